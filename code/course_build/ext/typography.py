"""Punctuation stays on the line of the inline equation it follows.

A browser may break a line between an inline equation (MathJax's inline-block) and the text after
it, so that a lone ":" or ", gives" opens the next line. On the site, the equation and the
punctuation that follows it are wrapped in ``<span class="lc-nowrap">``, which course.css keeps on
one line (the equation itself may still break inside, as MathJax breaks a long one). A word
joiner (U+2060) does not do it: chromium breaks after an inline-block whatever character follows.
LaTeX keeps them together by itself, so the PDF is left as it is.
"""

import re

from docutils import nodes
from sphinx.application import Sphinx

PUNCTUATION = re.compile(r"[.,:;?!)\]]+")


def keep_punctuation_with_maths(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    for math in list(doctree.findall(nodes.math)):
        parent = math.parent
        at = parent.index(math)
        after = parent[at + 1] if at + 1 < len(parent) else None
        found = PUNCTUATION.match(after.astext()) if isinstance(after, nodes.Text) else None
        if found:
            text = after.astext()
            wrapper = nodes.inline("", "", classes=["lc-nowrap"])
            parent.replace(math, wrapper)
            wrapper += [math, nodes.Text(found.group())]
            rest = text[found.end() :]
            if rest:
                parent.replace(after, nodes.Text(rest))
            else:
                parent.remove(after)


def setup(app: Sphinx) -> dict:
    app.connect("doctree-resolved", keep_punctuation_with_maths)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
