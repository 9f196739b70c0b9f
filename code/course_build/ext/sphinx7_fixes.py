"""What Sphinx 8 fixed, for Jupyter Book 1's Sphinx 7.4: delete this module when the Sphinx pin moves.

1. Duplicate inline scripts. sphinx-thebe (`env-before-read-docs`) and sphinx-togglebutton
   (`builder-inited`) add inline scripts with ``app.add_js_file(None, body=...)`` after the HTML
   builder has been initialised. Sphinx 7.4 then stores each one twice: in the registry, and in the
   builder with ``filename=None``. ``prepare_writing`` re-adds every registry script with
   ``filename=''``, and because ``_JavaScript(None, ...) != _JavaScript('', ...)`` its
   de-duplication misses it. Every page carried ``const THEBE_JS_URL = ...`` twice, and the browser
   reported "SyntaxError: Identifier 'THEBE_JS_URL' has already been declared" on every page. The
   fix normalises the builder's inline scripts to ``filename=''`` when writing starts (the
   ``write-started`` event comes just before ``prepare_writing``), so that Sphinx's own
   de-duplication recognises the copies. Fixed upstream by sphinx-doc/sphinx#13402 (Sphinx 8).

2. Static files that changed alone. When no page is outdated, Sphinx 7.4 logs "no targets are out
   of date" and stops before its write phase, which is where it copies html_static_path: an edit
   of _assets/ (the explorers' script, the CSS) never reached the site. The fix hashes the static
   files; when the hash differs from the last build's, the root page counts as outdated, so that
   the write phase runs and copies them. Fixed upstream by sphinx-doc/sphinx#13236 (Sphinx 8,
   closing sphinx-doc/sphinx#1810).

3. The same page at every build. Sphinx adds a checksum (``?v=``) to a stylesheet's or script's
   link only if the file is in the output when the page is written, and myst-nb and
   sphinx-exercise copy theirs (``mystnb.<hash>.css``, ``exercise.css``) after the pages: a cold
   build linked them bare and a rebuild with their checksum, so the published pages differed from
   a local rebuild's. When the build has finished, every local asset link without a checksum gets
   Sphinx's own (``_file_checksum``). The search index of a rebuild differed too
   (``IndexBuilder``): it kept every word that a page had once held, with no page left (the
   memory addresses of an output long gone were still in it); it lost the index entries (the
   glossary's terms) of every page that it did not write again, since it loads the words of the
   last index but not its entries; and it listed a term's entries in the order the pages were
   written. Words with no page are dropped, the entries are loaded, and listed in page order.
   tests/test_reproducible.py builds twice and compares.
"""

import functools
import hashlib
import io
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.builders.html._assets import _file_checksum, _JavaScript

from course_build.ext import pages
from course_build.upstream import written_for


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


def _static_hash(app: Sphinx) -> str:
    digest = hashlib.sha256()
    for folder in app.config.html_static_path:
        root = Path(app.confdir, folder)
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _static_outdated(app: Sphinx, env, added, changed, removed) -> list:
    current = _static_hash(app)
    previous, env.static_files_hash = getattr(env, "static_files_hash", None), current
    # unknown (an environment from before this fix) counts as changed: the page read then saves
    # the environment with the hash, which a build that reads nothing would not
    return [app.config.root_doc] if previous != current else []


# a page's link to a local stylesheet or script with no query string: (attribute=", URL, ")
_BARE_ASSET = re.compile(r'(<(?:link|script)\b[^>]*?\b(?:href|src)=")((?:\.\./)*_static/[^"?#:]+)(")')


def _checksum_late_assets(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)

    def with_checksum(page: Path, match: re.Match) -> str:
        asset = (page.parent / match.group(2)).resolve()
        if not asset.is_file():
            return match.group(0)
        checksum = _file_checksum(outdir, asset.relative_to(outdir))
        return f"{match.group(1)}{match.group(2)}?v={checksum}{match.group(3)}"

    pages.rewrite(outdir, lambda html, page: _BARE_ASSET.sub(functools.partial(with_checksum, page), html))


def _keep_the_search_index_whole() -> None:
    """Fix 3, the search index (sphinx.search.IndexBuilder, patched once per process)."""
    from sphinx.search import IndexBuilder

    if getattr(IndexBuilder.prune, "__wrapped__", None):  # the preview builds again in one process
        return
    load, prune, freeze = IndexBuilder.load, IndexBuilder.prune, IndexBuilder.freeze

    @functools.wraps(load)
    def load_index_entries_too(self, stream, format) -> None:
        format = self.formats[format] if isinstance(format, str) else format
        text = stream.read()
        load(self, (io.StringIO if isinstance(text, str) else io.BytesIO)(text), format)
        frozen = format.loads(text)
        found = {}
        for entry, hits in frozen.get("indexentries", {}).items():
            for doc, entry_id, main in hits:
                found.setdefault(frozen["docnames"][doc], set()).add(
                    (entry, entry_id, "main" if main else "")
                )
        for docname, entries in found.items():
            self._index_entries.setdefault(docname, sorted(entries))

    @functools.wraps(prune)
    def prune_words_too(self, docnames) -> None:
        prune(self, docnames)
        keep = set(docnames)
        for mapping in (self._mapping, self._title_mapping):
            for word in [word for word, docs in mapping.items() if not docs]:
                del mapping[word]
        for docname in [docname for docname in self._index_entries if docname not in keep]:
            del self._index_entries[docname]  # written again (fed anew) or gone

    @functools.wraps(freeze)
    def freeze_in_page_order(self):
        entries = sorted(self._index_entries.items())  # not in the order the pages were written
        self._index_entries.clear()
        self._index_entries.update(entries)
        return freeze(self)

    IndexBuilder.load, IndexBuilder.prune, IndexBuilder.freeze = (
        load_index_entries_too,
        prune_words_too,
        freeze_in_page_order,
    )


def setup(app: Sphinx) -> dict:
    written_for(
        "sphinx",
        "7.4.7",
        "sphinx7_fixes (sphinx-doc/sphinx#13402, #13236; _JavaScript, _file_checksum, IndexBuilder)",
    )
    _keep_the_search_index_whole()
    app.connect("write-started", _normalise_inline_scripts)
    app.connect("env-get-outdated", _static_outdated)
    app.connect("build-finished", _checksum_late_assets, priority=900)  # after the copies
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
