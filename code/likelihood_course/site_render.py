"""How the course site (myst-nb, Sphinx's HTML builder) renders the explorers and the self-check
questions: a myst-nb MIME render plugin, registered under the entry point group
`myst_nb.mime_renderers` in pyproject.toml. Only the HTML builders pick these MIME types; the
PDF takes the static figure (`image/png`) and the question's `text/markdown` instead.

The page gets the payload as a JSON data block (not a script that runs) next to the parts that
should be typeset like the rest of the book (prompts, options and explanations, parsed as MyST
Markdown so that their maths renders); `_assets/explorers.js` and `_assets/selfcheck.js` build
the sliders, plots and forms from them in the reader's browser.
"""

import html
import json

from docutils import nodes

from ._mime import ANSWERS as ANSWERS_MIME
from ._mime import EXPLORER as EXPLORER_MIME
from ._mime import QUESTION as QUESTION_MIME
from .selfcheck import LETTERS

HTML_BUILDERS = ("html", "dirhtml", "singlehtml", "readthedocs")
#: CSS classes that mark a page as needing the browser side (see code/course_build/ext/interactive.py)
EXPLORER_CLASS, QUESTION_CLASS = "lc-explorer", "lc-question"


def _payload(data):
    return json.loads(data.content) if isinstance(data.content, str) else dict(data.content)


#: What JSON may hold that HTML reads: `<` (which could open `<!--` or `<script` inside a script
#: element, or close it with `</script`), `>` and `&` (the rest of HTML's syntax), and the line
#: separators U+2028 and U+2029 (line ends in older JavaScript). Each becomes its \uXXXX escape,
#: which JSON reads back as the same character.
_HTML_UNSAFE = {c: f"\\u{ord(c):04x}" for c in "<>&\u2028\u2029"}


def json_for_html(data) -> str:
    """`data` as JSON text that is safe in an HTML page's `<script type="application/json">` block
    and in a file served beside the page. No `<`, `>` or `&` remains, so that nothing in a string
    of `data` can end the block early or keep it open (`</script>`, `<!--<script>`), and
    `JSON.parse` gives back `data` exactly.

    Keys are sorted (the same bytes at every build). What JSON cannot hold raises a ValueError
    instead of breaking the page: NaN and infinities (which `JSON.parse` refuses), and objects
    other than dicts with string keys, lists, strings, numbers, booleans and None."""
    try:
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, allow_nan=False)
    except (ValueError, TypeError) as err:
        raise ValueError(
            "data must be JSON: dicts with string keys, lists, strings, finite numbers, booleans and "
            f"None ({err})"
        ) from None
    return text.translate(str.maketrans(_HTML_UNSAFE))


def _json_block(payload, cls):
    """A JSON data block, which no text in the payload can close early or keep open."""
    return nodes.raw(
        "", f'<script type="application/json" class="{cls}">{json_for_html(payload)}</script>', format="html"
    )


def _markdown(renderer, data, text, cls):
    """`text` parsed as MyST Markdown (maths included) into a container with class `cls`."""
    from myst_nb.core.render import MimeData

    parsed = renderer.render_markdown(
        MimeData(
            "text/markdown",
            text,
            cell_metadata=data.cell_metadata,
            cell_index=data.cell_index,
            line=data.line,
        )
    )
    return nodes.container("", *parsed, classes=[cls])


def _explorer(renderer, data):
    payload = _payload(data)
    alt = data.cell_metadata.get("mystnb", {}).get("image", {}).get("alt", payload["title"])
    root = nodes.container("", classes=[EXPLORER_CLASS])
    root += _json_block(payload, "lc-explorer-data")
    root += nodes.raw(
        "",
        '<p class="lc-explorer-static">The interactive version of this figure '
        f"needs JavaScript. What it shows: {html.escape(alt)}</p>",
        format="html",
    )
    return [root]


def _question(renderer, data):
    q = _payload(data)
    root = nodes.container("", classes=[QUESTION_CLASS], ids=[f"self-check-{q['number']}"])
    check = {k: v for k, v in q.items() if k in ("kind", "number", "answer", "tol", "shown")}
    if q["kind"] == "choice":
        check["right"] = next(i for i, o in enumerate(q["options"]) if o["right"])
    root += _json_block(check, "lc-question-data")
    root += _markdown(renderer, data, f"**Self-check {q['number']}.** {q['prompt']}", "lc-question-prompt")
    if q["kind"] == "choice":
        options = nodes.container("", classes=["lc-options"])
        for letter, option in zip(LETTERS, q["options"]):  # the letters the answer key names
            item = nodes.container("", classes=["lc-option"])
            item += _markdown(renderer, data, f"({letter}) {option['text']}", "lc-option-text")
            item += _markdown(renderer, data, option["explanation"], "lc-explanation")
            options += item
        root += options
    else:
        root += _markdown(renderer, data, q["explanation"], "lc-explanation")
    return [root]


def _answers(renderer, data):
    listing = _markdown(renderer, data, _payload(data)["markdown"], "lc-answers-list")
    return [
        nodes.raw(
            "",
            '<details class="lc-answers"><summary>Answers to the self-check questions</summary>',
            format="html",
        ),
        listing,
        nodes.raw("", "</details>", format="html"),
    ]


_RENDERERS = {EXPLORER_MIME: _explorer, QUESTION_MIME: _question, ANSWERS_MIME: _answers}


class MimeRenderer:
    """The myst-nb plugin: HTML builders prefer these MIME types to everything else."""

    mime_priority_overrides = [(builder, mime, 1) for builder in HTML_BUILDERS for mime in _RENDERERS]

    @staticmethod
    def handle_mime(renderer, data, inline):
        render = _RENDERERS.get(data.mime_type)
        if render is None or inline:
            return None
        return render(renderer, data)
