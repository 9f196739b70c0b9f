"""Back matter in the PDF. Sphinx's LaTeX writer makes every page of the toctree a numbered
\\chapter, so the Reference part (the instructors' guide, the glossary, the references), which
_toc.yml leaves unnumbered and the site shows unnumbered, printed as numbered chapters. The fix
puts ``\\setcounter{secnumdepth}{-1}`` (the report class's way to unnumbered chapters that still
enter the table of contents and the PDF outline; fncychap then prints no "Chapter" line) before the
first page of the trailing unnumbered parts of _toc.yml, in the one doctree that the LaTeX builder
assembles (its ``start_of_file`` nodes mark where each page begins). Jupyter Book 1 has no way to
number some chapters and not others in the PDF: jupyter-book/jupyter-book#1646 (open), as QuantEcon
found (QuantEcon/lecture-python.myst#98, "won't fix" in Jupyter Book 1).
"""

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

from course_build.upstream import written_for


def back_matter(site_map) -> list[str]:
    """The pages of the root's unnumbered parts after its last numbered one (the back matter)."""
    trees = site_map.root.subtrees
    numbered = [i for i, tree in enumerate(trees) if tree.numbered]
    if not numbered:
        return []
    return [doc for tree in trees[numbered[-1] + 1 :] for doc in tree.files()]


BACK_MATTER_LATEX = "\\setcounter{secnumdepth}{-1}% back matter: unnumbered chapters (latex_back_matter)\n"


def _latex_back_matter(app: Sphinx, doctree, docname: str) -> None:
    if app.builder.format != "latex":
        return
    site_map = getattr(app.env, "external_site_map", None)
    back = set(back_matter(site_map)) if site_map is not None else set()
    for node in doctree.findall(addnodes.start_of_file):
        if node["docname"] in back:
            node.parent.insert(node.parent.index(node), nodes.raw("", BACK_MATTER_LATEX, format="latex"))
            return


def setup(app: Sphinx) -> dict:
    written_for("sphinx-external-toc", "1.1.0", "latex_back_matter (jupyter-book/jupyter-book#1646)")
    app.connect("doctree-resolved", _latex_back_matter)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
