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

HTML_BUILDERS = ("html", "dirhtml", "singlehtml", "readthedocs")
#: CSS classes that mark a page as needing the browser side (see _ext/interactive.py)
EXPLORER_CLASS, QUESTION_CLASS = "lc-explorer", "lc-question"


def _payload(data):
    return json.loads(data.content) if isinstance(data.content, str) else dict(data.content)


def _json_block(payload, cls):
    """A JSON data block: `</` is escaped so that no text in it can close the script element."""
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return nodes.raw("", f'<script type="application/json" class="{cls}">{text}</script>', format="html")


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
        for option in q["options"]:
            item = nodes.container("", classes=["lc-option"])
            item += _markdown(renderer, data, option["text"], "lc-option-text")
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
