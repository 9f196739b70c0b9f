"""The course's Sphinx extensions, each in a Sphinx of its own, in process (sphinx.testing, as
Sphinx's and sphinx-exercise's suites test theirs): a tiny project per test under tests/roots/,
copied for the test and built. Where the command line, Jupyter Book's configuration or the
execution cache is what is under test, tests/test_build.py and tests/test_cache.py build with
`jupyter-book` in a process of its own."""

import re
from pathlib import Path

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return Path(__file__).resolve().parent / "roots"


@pytest.mark.sphinx("html", testroot="csp")
def test_code_in_a_pages_content_is_refused_with_its_page_and_line(app, warning):
    """The site's policy (course_build.ext.csp) hashes the inline scripts it finds in the finished
    pages, and allows no inline handler; content must not bring code of its own. Planted: a raw
    <script> in the prose, an <img onerror=...>, an <iframe srcdoc=...>, a javascript: link, and a
    cell whose output is HTML with a script (as IPython.display.HTML gives). Each is a warning (so
    a failed strict build) that names the page and line; a data block (<script type=
    "application/json">) passes."""
    app.build()
    log = warning.getvalue()
    found = re.findall(
        r"ch1\.md:(\d+): WARNING: (a script|an event handler attribute|a srcdoc frame|a javascript: URL) in the page's content",
        log,
    )
    kinds = [kind for _, kind in found]
    assert kinds.count("a script") == 2, log  # the raw one and the cell's output
    for kind in ("an event handler attribute", "a srcdoc frame", "a javascript: URL"):
        assert kind in kinds, f"{kind} passed:\n{log}"
    assert all(int(line) > 1 for line, _ in found)
    assert len(found) == 5, log  # the data block is not one of them


@pytest.mark.sphinx("html", testroot="static")
def test_an_edited_static_file_reaches_the_site(app, make_app):
    """A rebuild after an edit of a static file alone (a script, the CSS) copies it to the site,
    although no page is outdated (course_build.ext.sphinx7_fixes, fix 2): a new Sphinx on the same
    project, as the next `make html` is."""
    script = Path(app.srcdir, "assets", "course.js")
    copy = Path(app.outdir, "_static", "course.js")
    app.build()
    assert copy.read_text() == script.read_text()
    script.write_text("// the second version\n")
    again = make_app("html", srcdir=app.srcdir)
    again.build()
    assert copy.read_text() == script.read_text(), f"the site serves an old {copy.name}"
