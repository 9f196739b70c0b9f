"""Search results' snippets that read as the page does: its maths as text and a glossary term apart
from its definition (static/search-snippets.js, on the search page only)."""

from course_build.ext import static_files
from course_build.upstream import written_for


def setup(app):
    written_for("sphinx", "7.4.7", "search_snippets (wraps Search.htmlToText of Sphinx's searchtools.js)")
    static_files.serve(app, "search-snippets.js", page="search")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
