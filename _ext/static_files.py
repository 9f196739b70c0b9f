"""The local extensions' own browser scripts (_ext/static/), served by the extension that uses
them: a book that registers the extension needs nothing in its html_static_path (the tests' tiny
books have no _assets/ folder)."""

from pathlib import Path

from sphinx.application import Sphinx

STATIC = Path(__file__).resolve().parent / "static"


def serve(app: Sphinx, script: str) -> None:
    """Add `script` (a file in _ext/static/) to every page, deferred, and _ext/static/ to the
    static path once."""
    if not (STATIC / script).is_file():
        raise FileNotFoundError(STATIC / script)

    def add_folder(app: Sphinx, config) -> None:
        if str(STATIC) not in config.html_static_path:
            config.html_static_path.append(str(STATIC))

    app.connect("config-inited", add_folder)
    app.add_js_file(script, loading_method="defer")
