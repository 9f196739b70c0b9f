"""The local extensions' own browser scripts and stylesheets (code/course_build/ext/static/), served by the
extension that uses them: a book that registers the extension needs nothing in its html_static_path (the tests' tiny
books have no _assets/ folder)."""

from pathlib import Path

from sphinx.application import Sphinx

STATIC = Path(__file__).resolve().parent / "static"


def serve(app: Sphinx, script: str, page: str | None = None) -> None:
    """Add `script` (a file in code/course_build/ext/static/: a script, deferred, or a stylesheet) to every
    page, or to `page` alone (a page name such as "search"), and code/course_build/ext/static/ to the
    static path once."""
    if not (STATIC / script).is_file():
        raise FileNotFoundError(STATIC / script)

    def add_folder(app: Sphinx, config) -> None:
        if str(STATIC) not in config.html_static_path:
            config.html_static_path.append(str(STATIC))

    def add(app: Sphinx) -> None:
        if script.endswith(".css"):
            app.add_css_file(script)
        else:
            app.add_js_file(script, loading_method="defer")

    def add_to_page(app: Sphinx, pagename: str, templatename, context, doctree) -> None:
        if pagename == page:
            add(app)

    app.connect("config-inited", add_folder)
    if page is None:
        add(app)
    else:
        app.connect("html-page-context", add_to_page)
