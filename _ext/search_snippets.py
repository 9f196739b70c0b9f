"""Search results' snippets that read as the page does: its maths as text and a glossary term apart
from its definition (static/search-snippets.js, on the search page only)."""

import static_files


def setup(app):
    static_files.serve(app, "search-snippets.js", page="search")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
