"""The JSON data blocks that the site writes into its pages (issue 28, point 3).

An explorer's payload or a question's data goes into the page as `<script type="application/json">`.
A browser ends such a block at the first `</script` (any case), unless the text before it holds
`<!--`: then a `<script` after that keeps the block open past its own end tag, and the explorer, and
every explorer, question and paragraph after it, vanished from the page (an explorer titled
`<!--<script>` did that). The property: whatever text is in every string of an explorer payload and
of a quiz, the page's blocks end where they were written and give back the data, and the markup
after them is intact.

Rendered the way the site renders them (site_render's myst-nb plugin, docutils' HTML writer), with
the question texts as plain paragraphs: their Markdown is myst-nb's, not what is tested here."""

import itertools
import json
import re

import pytest
from bs4 import BeautifulSoup
from docutils import core, frontend, nodes, utils
from docutils.writers import html5_polyglot
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from myst_nb.core.render import MimeData

from likelihood_course import explorers
from likelihood_course._mime import ANSWERS, EXPLORER, QUESTION
from likelihood_course.selfcheck import Quiz
from likelihood_course.site_render import MimeRenderer, json_for_html

# What breaks a script block or a page, mixed with arbitrary text
PIECES = ["<!--", "-->", "<script>", "<SCRIPT ", "</script>", "</ScRiPt\t", "<!--<script>", "<\\/", "</"]
PIECES += ["&", "&amp;", "<", ">", '"', "'", "\\", "\u2028", "\u2029", "\x00", "]]>", "<![CDATA["]
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text()), max_size=6).map("".join)


def quiz_text(texts):
    """The next text, as a quiz's: not blank (the quiz refuses that, and strips it)."""
    return f"q {next(texts)} q"


def words(text):
    """The printable text, without its spaces: how docutils' writer spaces text out and which
    control characters it drops (NUL, say) is not what is tested here."""
    return "".join(c for c in text if c.isprintable() and not c.isspace())


EXPLORERS = {}


def explorer_payload(name):
    """Each explorer's payload, made once (the classifier fits a model)."""
    if name not in EXPLORERS:
        EXPLORERS[name] = getattr(explorers, name)().payload
    return EXPLORERS[name]


def with_text(obj, texts, *, keys=False):
    """`obj` with every string replaced by the next of `texts` (an endless iterator), and with
    `keys`, every key of a dict too."""
    if isinstance(obj, str):
        return next(texts)
    if isinstance(obj, dict):
        return {(next(texts) if keys else k): with_text(v, texts, keys=keys) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [with_text(v, texts, keys=keys) for v in obj]
    return obj


class PlainRenderer:
    """myst-nb's renderer, as far as site_render uses it: Markdown as one paragraph of text."""

    def render_markdown(self, data):
        return [nodes.paragraph("", data.content)]


def render(outputs):
    """The HTML body docutils writes for these (MIME type, content) outputs, then a last paragraph."""
    document = utils.new_document("<page>", frontend.get_default_settings(html5_polyglot.Writer))
    for mime, content in outputs:
        document += MimeRenderer.handle_mime(PlainRenderer(), MimeData(mime, content), False)
    document += nodes.paragraph("", "the end", ids=["lc-after"])
    page = core.publish_from_doctree(
        document, writer=html5_polyglot.Writer(), settings_overrides={"output_encoding": "unicode"}
    )
    return page[page.index("<body>") :]


OPENING = re.compile(r'<script type="application/json" class="([\w-]+)">')


def data_blocks(page):
    """The JSON blocks of `page` as a browser reads them, and the page without their contents.

    A block's text runs to the first `</script` in any case (HTML's script data state). Holding no
    `<!--` and no `<script` is what keeps that so: with `<!--` then `<script` in it, the browser's
    tokenizer goes into its double-escaped state and reads on past that `</script`."""
    blocks, skeleton, pos = [], [], 0
    while match := OPENING.search(page, pos):
        start = match.end()
        end = page.lower().find("</script", start)
        assert end >= 0, "a data block is never closed"
        text = page[start:end]
        for opener in ("<!--", "<script"):
            assert opener not in text.lower(), f"a data block holds {opener!r}: {text[:200]!r}"
        assert page.startswith("</script>", end), f"a data block ends at {page[end : end + 12]!r}"
        blocks.append((match.group(1), text))
        skeleton.append(page[pos:start])
        pos = end
    skeleton.append(page[pos:])
    return blocks, "".join(skeleton)


# Not shrunk: a failing example of forty draws would take Hypothesis minutes to shrink; the
# report shows the example as drawn (and each assertion says what was broken).
@settings(phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(st.data())
def test_data_blocks_keep_any_text_and_the_page_after_them(data):
    draw = data.draw
    # a few arbitrary texts, handed out in turn to every string (drawing one for each of some
    # forty strings would make each example ten times slower, for little more variety)
    texts = itertools.cycle(draw(st.lists(TEXT, min_size=1, max_size=5)))
    name = draw(
        st.sampled_from(["pmf_pdf", "bernoulli_likelihood", "normal_likelihood", "classifier", "regression"])
    )
    payload = explorer_payload(name)
    # every string of the payload, and every key below its top level (the renderer reads "title")
    payload = {k: with_text(v, texts, keys=isinstance(v, dict)) for k, v in payload.items()}
    quiz = Quiz()
    numeric = quiz.numeric(quiz_text(texts), 0.5, 0.01, quiz_text(texts))._repr_mimebundle_()[QUESTION]
    numeric = {**numeric, "shown": next(texts)}  # the one string of a numeric question's data block
    options = [(quiz_text(texts), i == 1, quiz_text(texts)) for i in range(3)]
    choice = quiz.choice(quiz_text(texts), options)._repr_mimebundle_()[QUESTION]
    answers = quiz.answers()._repr_mimebundle_()[ANSWERS]
    # as the site gets them: from the notebook's JSON, which holds a payload as a dict or as text
    as_text = draw(st.booleans())
    outputs = [
        (mime, json.dumps(content) if as_text else content)
        for mime, content in [
            (EXPLORER, payload),
            (QUESTION, numeric),
            (QUESTION, choice),
            (ANSWERS, answers),
        ]
    ]

    blocks, skeleton = data_blocks(render(outputs))

    assert [cls for cls, _ in blocks] == ["lc-explorer-data", "lc-question-data", "lc-question-data"]
    assert json.loads(blocks[0][1]) == payload
    for (_, text), question in zip(blocks[1:], (numeric, choice)):
        shown = json.loads(text)
        right = shown.pop("right", None)
        assert shown == {
            k: question[k] for k in ("kind", "number", "answer", "tol", "shown") if k in question
        }
        if question["kind"] == "choice":
            assert question["options"][right]["right"] is True
    # the markup after each block: the static text, both questions, the answers and the last paragraph
    soup = BeautifulSoup(skeleton, "html.parser")
    static = soup.select_one("div.lc-explorer > p.lc-explorer-static")
    assert words(static.get_text()).endswith(words(f"What it shows: {payload['title']}"))
    questions = soup.select("div.lc-question")
    assert [q["id"] for q in questions] == ["self-check-1", "self-check-2"]
    prompts = [words(q.select_one(".lc-question-prompt").get_text()) for q in questions]
    assert prompts == [words(f"**Self-check {q['number']}.** {q['prompt']}") for q in (numeric, choice)]
    options = [words(o.get_text()) for o in questions[1].select(".lc-option-text")]
    assert options == [words(f"({c}) {o['text']}") for c, o in zip("abc", choice["options"])]
    listing = soup.select_one("details.lc-answers .lc-answers-list").get_text()
    assert words(listing) == words(answers["markdown"])
    last = soup.find_all(True)[-1]
    assert (last.name, last.get("id"), last.get_text()) == ("p", "lc-after", "the end")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


@given(JSON)
def test_json_for_html_reads_back_and_holds_nothing_html_reads(value):
    text = json_for_html(value)
    assert json.loads(text) == value
    assert not set(text) & set("<>&\u2028\u2029")


@pytest.mark.parametrize("bad", [float("nan"), [1.0, float("inf")], {"x": -float("inf")}, {"a": object()}])
def test_json_for_html_refuses_what_json_parse_would(bad):
    """NaN and infinities: Python writes them, JSON.parse refuses them and the explorer would be
    gone; and what is not JSON at all."""
    with pytest.raises(ValueError, match="data must be JSON"):
        json_for_html(bad)
