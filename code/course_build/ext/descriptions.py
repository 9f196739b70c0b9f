"""A meta description on every page, the text a search engine shows under the page's title: the
page's first paragraph of running text (not one in a note or a learning-goals box), its maths as
text ("θ", not "\\theta"), cut at a word near 160 characters; a page with no such text, its title
and the book's. A page whose front matter already gives one (``html_meta: {description: ...}``)
keeps its own. tests/test_light_pages.py checks every page.
"""

from __future__ import annotations

import html
import re

from docutils import nodes
from sphinx.application import Sphinx

LENGTH = 160
GREEK = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi "
    "rho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega"
).split()
LETTERS = "αβγδεεζηθθικλμνξπρστυφφχψωΓΔΘΛΞΠΣΦΨΩ"
SYMBOLS = {
    **dict(zip(GREEK, LETTERS)),
    "mid": "|", "dots": "…", "ldots": "…", "cdots": "⋯", "cdot": "·", "times": "×", "le": "≤",
    "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "approx": "≈", "sim": "~", "to": "→",
    "in": "∈", "infty": "∞", "sum": "∑", "prod": "∏", "log": "log", "exp": "exp", "pm": "±",
}  # fmt: skip
IN_A_BOX = (nodes.Admonition, nodes.sidebar, nodes.topic, nodes.table, nodes.figure, nodes.footnote)


def tex_as_text(tex: str) -> str:
    """Simple inline TeX as plain text: "P(y_1, \\dots \\mid \\theta)" -> "P(y_1, … | θ)"."""
    text = re.sub(
        r"\\(?:hat|widehat)\s*\{?\\?([A-Za-z]+)\}?", lambda m: SYMBOLS.get(m[1], m[1]) + "\u0302", tex
    )
    text = re.sub(r"\\[dt]?frac\s*(\{[^{}]*\}|\w)\s*(\{[^{}]*\}|\w)", r"\1/\2", text)
    text = re.sub(r"\\(?:mathrm|mathbf|mathcal|operatorname|text|boldsymbol|left|right)\b", "", text)
    text = re.sub(r"\\([A-Za-z]+)", lambda m: SYMBOLS.get(m[1], m[1]), text)
    text = re.sub(r"\\[,;:! ]", " ", text)
    return re.sub(r"\s+", " ", text.replace("{", "").replace("}", "")).strip()


def _text(node: nodes.Node) -> str:
    if isinstance(node, nodes.math):
        return tex_as_text(node.astext())
    if isinstance(node, nodes.Text):
        return node.astext()
    return "".join(_text(child) for child in node.children)


def description(doctree: nodes.document) -> str | None:
    """The page's description, or None when it has no paragraph of running text."""
    for paragraph in doctree.findall(nodes.paragraph):
        if any(isinstance(a, IN_A_BOX) for a in _ancestors(paragraph)):
            continue
        text = re.sub(r"\s+", " ", _text(paragraph)).strip()
        if len(text) < 40:
            continue
        if len(text) > LENGTH:
            cut = text.rfind(" ", 0, LENGTH - 1)
            text = text[: cut if cut > 0 else LENGTH - 1].rstrip(",;:") + "…"
        return text
    return None


def _ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


def _add_description(app: Sphinx, pagename, templatename, context, doctree) -> None:
    if 'name="description"' in context.get("metatags", ""):
        return
    # a page with no running text (the index, the search page): its title and the book's
    title = context.get("title") or {"genindex": "Index", "search": "Search"}.get(pagename, pagename)
    text = (doctree is not None and description(doctree)) or html.unescape(
        re.sub(r"<[^>]+>", "", f"{title}: {app.config.html_title}")
    )
    context["metatags"] = (
        context.get("metatags", "") + f'\n<meta name="description" content="{html.escape(text)}" />'
    )


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", _add_description)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
