"""Accessible names and roles, fixed in the generated HTML (axe-core in tests/test_browser.py).

1. An element's accessible name must contain its visible text (axe-core
   "label-content-name-mismatch", serious):
   - myst-nb's "Show code cell source" toggle is a ``<summary aria-label="Toggle hidden content">``
     (myst_nb/sphinx_.py, no upstream issue yet); our visitor writes the same ``<summary>`` without
     the aria-label, so that its name is its text;
   - the theme's search field and colour-mode button: templates/ overrides the two pydata-sphinx-theme
     components (copies of 0.17.1's, with only the attribute changed; see the comment in each; the
     icons' titles came with pydata/pydata-sphinx-theme#1924).

2. The bibliography (axe-core "aria-required-children", critical). Docutils writes each citation as
   ``<div role="doc-biblioentry">`` inside ``<div role="list">``; doc-biblioentry is deprecated in
   DPUB-ARIA 1.1 (w3c/dpub-aria#22), so browsers and axe ignore it and the list is left without list
   items. Our visitor writes the same markup with ``role="listitem"``.
"""

from html import escape
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from course_build.upstream import written_for

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _visit_hide_cell_input(self, node) -> None:
    """myst-nb's visitor, without the aria-label that hid the summary's visible text."""
    self.body.append(f'<details class="admonition hide {" ".join(node["classes"])}">\n')
    self.body.append("<summary>\n")
    self.body.append(f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def _depart_hide_cell_input(self, node) -> None:
    self.body.append("</details>\n")


def _visit_citation(self, node) -> None:
    """Docutils' visitor (html5 writer), with role="listitem" instead of the deprecated role."""
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def _depart_citation(self, node) -> None:
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), type(node)):
        self.body.append("</div>\n")


def _add_templates(app: Sphinx, config) -> None:
    # before the themes' component folders, which the themes append to templates_path
    config.templates_path.insert(0, str(TEMPLATES))


def setup(app: Sphinx) -> dict:
    written_for("myst-nb", "1.4.0", "accessibility 1 (myst-nb's hidden-code toggle, copied)")
    written_for("pydata-sphinx-theme", "0.17.1", "accessibility 1 (templates/, copies of the theme's)")
    written_for("docutils", "0.21.2", "accessibility 2 (docutils' citation visitor, copied)")
    app.setup_extension("myst_nb")  # so that our visitor replaces myst-nb's, not the reverse
    from myst_nb.sphinx_ import HideCodeCellNode

    app.add_node(HideCodeCellNode, override=True, html=(_visit_hide_cell_input, _depart_hide_cell_input))
    app.add_node(nodes.citation, override=True, html=(_visit_citation, _depart_citation))
    app.connect("config-inited", _add_templates)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
