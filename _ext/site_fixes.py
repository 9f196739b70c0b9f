"""Local Sphinx fixes for the course site (registered in _config.yml under sphinx: local_extensions).

Duplicate inline scripts
------------------------
sphinx-thebe (`env-before-read-docs`) and sphinx-togglebutton (`builder-inited`) add inline scripts
with ``app.add_js_file(None, body=...)`` after the HTML builder has been initialised. Sphinx 7.4
stores such a script twice: in the registry, and in the builder with ``filename=None``. In
``prepare_writing`` the builder re-adds every registry script with ``filename=''``, and because
``_JavaScript(None, ...) != _JavaScript('', ...)`` its de-duplication misses it. Every page then
carries ``const THEBE_JS_URL = ...`` twice, and the browser reports
"SyntaxError: Identifier 'THEBE_JS_URL' has already been declared" on every page.

The fix normalises the builder's inline scripts to ``filename=''`` when writing starts (the
``write-started`` event is emitted just before ``prepare_writing``), so that Sphinx's own
de-duplication recognises the re-added copies.
"""

from sphinx.application import Sphinx
from sphinx.builders.html._assets import _JavaScript


def _normalise_inline_scripts(app: Sphinx, builder) -> None:
    js_files = getattr(builder, "_js_files", None)
    if js_files is None:  # not an HTML builder
        return
    normalised = []
    for js in js_files:
        if isinstance(js, _JavaScript) and js.filename is None:
            js = _JavaScript("", priority=js.priority, **js.attributes)
        if js not in normalised:
            normalised.append(js)
    js_files[:] = normalised


def setup(app: Sphinx) -> dict:
    app.connect("write-started", _normalise_inline_scripts)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
