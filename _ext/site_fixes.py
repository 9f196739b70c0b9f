"""Local Sphinx fixes for the course site (registered in _config.yml under sphinx: local_extensions).

Each fix removes a browser error or an accessibility violation at its cause, in the generated HTML;
tests/test_browser.py checks the result in a real browser.

1. Duplicate inline scripts. sphinx-thebe (`env-before-read-docs`) and sphinx-togglebutton
   (`builder-inited`) add inline scripts with ``app.add_js_file(None, body=...)`` after the HTML
   builder has been initialised. Sphinx 7.4 then stores each one twice: in the registry, and in the
   builder with ``filename=None``. ``prepare_writing`` re-adds every registry script with
   ``filename=''``, and because ``_JavaScript(None, ...) != _JavaScript('', ...)`` its
   de-duplication misses it. Every page carried ``const THEBE_JS_URL = ...`` twice, and the browser
   reported "SyntaxError: Identifier 'THEBE_JS_URL' has already been declared" on every page. The
   fix normalises the builder's inline scripts to ``filename=''`` when writing starts (the
   ``write-started`` event comes just before ``prepare_writing``), so that Sphinx's own
   de-duplication recognises the copies. Fixed upstream by sphinx-doc/sphinx#13402 (Sphinx 8),
   out of reach under Jupyter Book 1's Sphinx 7 pin.

2. Accessible names (axe-core "label-content-name-mismatch", serious). An element's accessible name
   must contain its visible text:
   - myst-nb's "Show code cell source" toggle is a ``<summary aria-label="Toggle hidden content">``
     (myst_nb/sphinx_.py, no upstream issue yet); our visitor writes the same ``<summary>`` without
     the aria-label, so that its name is its text;
   - the theme's search field and colour-mode button: templates/ overrides the two pydata-sphinx-theme
     components (copies of 0.17.1's, with only the attribute changed; see the comment in each; the
     icons' titles came with pydata/pydata-sphinx-theme#1924).

3. Static files that changed alone. When no page is outdated, Sphinx 7.4 logs "no targets are out
   of date" and stops before its write phase, which is where it copies html_static_path: an edit
   of _assets/ (the explorers' script, the CSS) never reached the site. The fix hashes the static
   files; when the hash differs from the last build's, the root page counts as outdated, so that
   the write phase runs and copies them. Fixed upstream by sphinx-doc/sphinx#13236 (Sphinx 8,
   closing sphinx-doc/sphinx#1810).

4. The bibliography (axe-core "aria-required-children", critical). Docutils writes each citation as
   ``<div role="doc-biblioentry">`` inside ``<div role="list">``; doc-biblioentry is deprecated in
   DPUB-ARIA 1.1 (w3c/dpub-aria#22), so browsers and axe ignore it and the list is left without list
   items. Our visitor writes the same markup with ``role="listitem"``.

5. Back matter in the PDF. Sphinx's LaTeX writer makes every page of the toctree a numbered
   \\chapter, so the Reference part (the instructors' guide, the glossary, the references), which
   _toc.yml leaves unnumbered and the site shows unnumbered, printed as numbered chapters. The fix
   puts ``\\setcounter{secnumdepth}{-1}`` (the report class's way to unnumbered chapters that still
   enter the table of contents and the PDF outline; fncychap then prints no "Chapter" line) before
   the first page of the trailing unnumbered parts of _toc.yml, in the one doctree that the LaTeX
   builder assembles (its ``start_of_file`` nodes mark where each page begins). Jupyter Book 1 has
   no way to number some chapters and not others in the PDF: jupyter-book/jupyter-book#1646 (open),
   as QuantEcon found (QuantEcon/lecture-python.myst#98, "won't fix" in Jupyter Book 1).

6. Incremental rebuilds. sphinx-external-toc 1.1.0 replaces Sphinx's table-of-contents collector
   with one that restyles the section numbers (``TocTreeCollectorWithStyles``):
   - its counters live on the collector and are never reset, so that a second build in the same
     process (``make preview``'s) numbered chapter 3 as 12, and wrote every numbered page again;
   - like Sphinx's own (sphinx-doc/sphinx#1360, #5506), it writes a page whose title or number
     changed again, but not the other pages, whose sidebars show that title too.
   The fix resets the counters before each numbering, and compares every page's title and number
   with the last build's (saved with the environment): when one changed, every page is written.

7. Bibliography plugins. pybtex 0.26.1 looks each plugin (the style, its name, label and sorting
   formats) up again among the entry points of every installed distribution whenever
   sphinxcontrib-bibtex formats or resolves a citation, about 25 ms each (importlib.metadata caches
   nothing; pygments met the same, pygments/pygments#2979): a third of a prose edit's rebuild in
   `make preview`, since every build formats the whole bibliography again. The fix loads each
   plugin once per process.

8. The header's sidebar buttons. pydata-sphinx-theme 0.17 and sphinx-book-theme 1.3 bind only the
   first ``.primary-toggle`` and ``.secondary-toggle`` of a page, the hidden ones in the theme's own
   header, so the visible buttons of the article header did nothing: on a phone neither the
   chapter list nor the page contents opened, and on a desktop the chapter list did not collapse
   (pydata/pydata-sphinx-theme#2451, executablebooks/sphinx-book-theme#988, both open). The
   script static/header-toggles.js passes each visible button's click on to the bound one, and
   keeps the header's tooltips from opening on a tap (they stayed over the next icons).
   tests/test_header.py taps and clicks them.

9. The same page at every build. Sphinx adds a checksum (``?v=``) to a stylesheet's or script's
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

Each fix names the version it was written for (`upstream.written_for`): the build stops when the
lock moves one of them, until someone checks the fix.
"""

import functools
import hashlib
import io
import re
from html import escape
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.html._assets import _file_checksum, _JavaScript

import static_files
from upstream import written_for

TEMPLATES = Path(__file__).resolve().parent / "templates"


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

    for page in outdir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        fixed = _BARE_ASSET.sub(functools.partial(with_checksum, page), html)
        if fixed != html:
            page.write_text(fixed, encoding="utf-8")


def _keep_the_search_index_whole() -> None:
    """Site fix 9, the search index (sphinx.search.IndexBuilder, patched once per process)."""
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
            for word in [word for word, pages in mapping.items() if not pages]:
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


def _visit_hide_cell_input(self, node) -> None:
    """myst-nb's visitor, without the aria-label that hid the summary's visible text."""
    self.body.append(f'<details class="admonition hide {" ".join(node["classes"])}">\n')
    self.body.append("<summary>\n")
    self.body.append(f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def _depart_hide_cell_input(self, node) -> None:
    self.body.append("</details>\n")


def _visit_citation(self, node) -> None:
    """Docutils' visitor (html5 writer), with role="listitem" instead of the deprecated role."""
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def _depart_citation(self, node) -> None:
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), type(node)):
        self.body.append("</div>\n")


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


STYLE_COUNTERS = [
    f"_TocTreeCollectorWithStyles__{style}_count"
    for style in ("numerical", "romanupper", "romanlower", "alphaupper", "alphalower")
]


def _titles(env) -> dict:
    """Each page's title and number, as every page's sidebar shows them."""
    return {doc: (title.astext(), title.get("secnumber")) for doc, title in env.titles.items()}


def _pages_to_rewrite(collector, app: Sphinx, env) -> list[str]:
    for counter in STYLE_COUNTERS:
        setattr(collector, counter, 0)
    rewrite = collector.get_updated_docs(app, env)
    before, env.page_titles = getattr(env, "page_titles", None), _titles(env)  # pickled with env
    if before is not None and before != env.page_titles:
        return sorted(env.all_docs)
    return rewrite


def _replace_collector_listener(app: Sphinx) -> None:
    """Put `_pages_to_rewrite` in place of the restyling collector's own `env-get-updated`."""
    from sphinx_external_toc.collectors import TocTreeCollectorWithStyles

    for listener in list(app.events.listeners["env-get-updated"]):
        collector = getattr(listener.handler, "__self__", None)
        if isinstance(collector, TocTreeCollectorWithStyles):
            app.disconnect(listener.id)
            handler = functools.partial(_pages_to_rewrite, collector)
            collector.listener_ids["env-get-updated"] = app.connect("env-get-updated", handler)


def back_matter(site_map) -> list[str]:
    """The pages of the root's unnumbered parts after its last numbered one (the back matter)."""
    trees = site_map.root.subtrees
    numbered = [i for i, tree in enumerate(trees) if tree.numbered]
    if not numbered:
        return []
    return [doc for tree in trees[numbered[-1] + 1 :] for doc in tree.files()]


BACK_MATTER_LATEX = "\\setcounter{secnumdepth}{-1}% back matter: unnumbered chapters (site_fixes 5)\n"


def _latex_back_matter(app: Sphinx, doctree, docname: str) -> None:
    if app.builder.format != "latex":
        return
    site_map = getattr(app.env, "external_site_map", None)
    back = set(back_matter(site_map)) if site_map is not None else set()
    for node in doctree.findall(addnodes.start_of_file):
        if node["docname"] in back:
            node.parent.insert(node.parent.index(node), nodes.raw("", BACK_MATTER_LATEX, format="latex"))
            return


def _load_plugins_once() -> None:
    import pybtex.plugin

    if not hasattr(pybtex.plugin._load_entry_point, "cache_info"):
        pybtex.plugin._load_entry_point = functools.cache(pybtex.plugin._load_entry_point)


def _add_templates(app: Sphinx, config) -> None:
    # before the themes' component folders, which the themes append to templates_path
    config.templates_path.insert(0, str(TEMPLATES))


def setup(app: Sphinx) -> dict:
    written_for(
        "sphinx",
        "7.4.7",
        "site_fixes 1, 3 and 9 (sphinx-doc/sphinx#13402, #13236; _file_checksum, IndexBuilder)",
    )
    written_for("myst-nb", "1.4.0", "site_fixes 2 (myst-nb's hidden-code toggle, copied)")
    written_for(
        "pydata-sphinx-theme",
        "0.17.1",
        "site_fixes 2 (_ext/templates/, copies of the theme's) and 8 (the sidebar buttons it binds)",
    )
    written_for("docutils", "0.21.2", "site_fixes 4 (docutils' citation visitor, copied)")
    written_for(
        "sphinx-external-toc",
        "1.1.0",
        "site_fixes 5 (the PDF's back matter, jupyter-book/jupyter-book#1646) and 6 (its collector's "
        "renumbering, copied names)",
    )
    written_for("pybtex", "0.26.1", "site_fixes 7 (its plugins' lookup, pybtex.plugin._load_entry_point)")
    written_for("sphinx-book-theme", "1.3.0", "site_fixes 8 (its header's sidebar buttons, never bound)")
    _load_plugins_once()
    _keep_the_search_index_whole()
    app.setup_extension("sphinx_external_toc")
    _replace_collector_listener(app)
    app.setup_extension("myst_nb")  # so that our visitor replaces myst-nb's, not the reverse
    from myst_nb.sphinx_ import HideCodeCellNode

    app.add_node(HideCodeCellNode, override=True, html=(_visit_hide_cell_input, _depart_hide_cell_input))
    app.add_node(nodes.citation, override=True, html=(_visit_citation, _depart_citation))
    app.connect("config-inited", _add_templates)
    app.connect("doctree-resolved", _latex_back_matter)
    app.connect("write-started", _normalise_inline_scripts)
    app.connect("build-finished", _checksum_late_assets, priority=900)  # after the copies
    app.connect("env-get-outdated", _static_outdated)
    static_files.serve(app, "header-toggles.js")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
