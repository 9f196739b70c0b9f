"""The header's sidebar buttons. pydata-sphinx-theme 0.17 and sphinx-book-theme 1.3 bind only the
first ``.primary-toggle`` and ``.secondary-toggle`` of a page, the hidden ones in the theme's own
header, so the visible buttons of the article header did nothing: on a phone neither the chapter
list nor the page contents opened, and on a desktop the chapter list did not collapse
(pydata/pydata-sphinx-theme#2451, executablebooks/sphinx-book-theme#988, both open). The script
static/header-toggles.js passes each visible button's click on to the bound one, and keeps the
header's tooltips from opening on a tap (they stayed over the next icons). tests/test_header.py taps
and clicks them. Delete this module when a release of either theme fixes it.
"""

from sphinx.application import Sphinx

from course_build.ext import static_files
from course_build.upstream import written_for


def setup(app: Sphinx) -> dict:
    written_for("pydata-sphinx-theme", "0.17.1", "header_toggles (the sidebar buttons it binds)")
    written_for("sphinx-book-theme", "1.3.0", "header_toggles (its header's sidebar buttons, never bound)")
    static_files.serve(app, "header-toggles.js")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
