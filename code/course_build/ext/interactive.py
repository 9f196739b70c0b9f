"""The browser side of the explorers and self-check questions, on the pages that have them.

The helper package's MIME render plugin (likelihood_course/site_render.py) writes each explorer and
question into the page as markup plus a JSON data block. This extension adds the JavaScript that
brings them to life, and only to those pages: _assets/explorers.js where a page has an explorer
(it loads Observable Plot and D3, from npm, copied to _vendor/plot/ by `make setup` and served by
the site itself, when the first explorer nears the screen), _assets/selfcheck.js where it has a
question, and _assets/interactive.css to both. Every script is deferred: it runs once the page is
parsed, in order.
"""

from docutils import nodes
from sphinx.application import Sphinx

from likelihood_course.site_render import EXPLORER_CLASS, QUESTION_CLASS

EXPLORER_JS = ["explorers.js"]  # it loads plot/d3.min.js and plot/plot.umd.min.js itself
QUESTION_JS = ["selfcheck.js"]


def _has(doctree, cls):
    return any(
        True for _ in doctree.findall(lambda n: isinstance(n, nodes.Element) and cls in n.get("classes", ()))
    )


def _add_assets(app: Sphinx, pagename, templatename, context, doctree) -> None:
    if doctree is None:
        return
    scripts = (EXPLORER_JS if _has(doctree, EXPLORER_CLASS) else []) + (
        QUESTION_JS if _has(doctree, QUESTION_CLASS) else []
    )
    if not scripts:
        return
    app.add_css_file("interactive.css")  # in html-page-context: for this page only
    for script in scripts:
        app.add_js_file(script, loading_method="defer")


def setup(app: Sphinx):
    app.connect("html-page-context", _add_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
