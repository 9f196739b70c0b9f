"""What a Sphinx application needs to build the book again and again in one process: `make
preview`'s build process (code/course_build/preview.py), which keeps one Sphinx between saves.

Sphinx 7.4 is made for one build per process, as sphinx-build runs it. Built again in the same
process, without these:

1. Scripts pile up. pydata-sphinx-theme adds a script to each page (`DOCUMENTATION_OPTIONS.pagename`,
   with app.add_js_file in html-page-context), and Sphinx 7.4 also keeps it in its registry: the next
   build would put every page's script on every page. Each build starts from the scripts and styles
   as they were before the first.
2. Warnings add up: each build counts its own (app._warncount, app.statuscode), and those of the
   Sphinx's start (the configuration's, the bibliography's), which no later build repeats: while
   they stand, every build of this Sphinx fails, as every `make html` would.
3. Doctrees go stale. env.get_doctree keeps each page's pickled doctree in memory and does not drop
   it when the page is read again (sphinx-doc/sphinx#11474; Sphinx's own test application clears
   that cache before every build, and esbonio met the same, swyddfa/esbonio#705): a table numbered
   in the preview crashed the numref resolution with an AssertionError. A page's doctree is dropped
   when the page is read again (env-purge-doc), and env.master_doctree with the root page's.
4. Doctrees are unpickled again and again. Each build that reads a page numbers the sections and
   figures of the whole book again, which unpickles every page's doctree (about a third of a
   prose edit's build), and each {numref} unpickles its target's page. These READERS only read
   the doctrees they are given: they share one unpickled doctree per page, kept until the page is
   read again (what sphinx-doc/sphinx#12883 proposes for every reader, for these ones only: the
   writers change the doctree they are given). Without it a prose edit takes 0.7 s longer (below).
5. A failed build passes when retried. Sphinx keeps what it read, warnings and all, and reads a page
   again only when it changes: a save of another page would build without a word about the
   first one's broken reference (the problem that code/course_build/build.py solves for `make html`). The pages
   that a failed build wrote are read again by the next build (env.reread_always), until a build
   passes; and, as code/course_build/build.py does, the failed build's saved environment is removed, so that a
   new Sphinx (a configuration saved, the next `make preview`) reads every page again.
6. The bibliography is looked up again and again. pybtex 0.26.1 looks each plugin (the style, its
   name, label and sorting formats) up among the entry points of every installed distribution
   whenever sphinxcontrib-bibtex formats or resolves a citation, about 25 ms each (importlib.metadata
   caches nothing; pygments met the same, pygments/pygments#2979), and every build formats the whole
   bibliography again: about a third of a prose edit's build. Each plugin is loaded once per process.
   Without it a prose edit takes 1.5 s longer.

What 4 and 6 buy, measured on 2026-12-06 (one Sphinx building the book as the preview does, five
prose edits of chapter 3 each, the median; 1, 2, 3 and 5 are needed for a right build, not speed):
1.06 s with every repair, 1.73 s without 4, 2.60 s without 6, 3.44 s without either. The course's
goal for the preview is 2 s (`make bench`).
"""

from __future__ import annotations

import functools
from pathlib import Path

from course_build.upstream import written_for


def _asset_lists(app) -> list[list]:
    """The scripts and styles that Sphinx adds to the pages: the registry's and the builder's."""
    return [app.registry.js_files, app.registry.css_files, app.builder._js_files, app.builder._css_files]


def _load_plugins_once() -> None:
    import pybtex.plugin

    if not hasattr(pybtex.plugin._load_entry_point, "cache_info"):
        pybtex.plugin._load_entry_point = functools.cache(pybtex.plugin._load_entry_point)


class Rebuilds:
    """Builds `app` again on each call of `build`, with the six repairs above."""

    def __init__(self, app):
        written_for(
            "sphinx", "7.4.7", "code/course_build/resident_sphinx.py (Sphinx's doctree caches and registry)"
        )
        written_for("pybtex", "0.26.1", "resident_sphinx 6 (pybtex.plugin._load_entry_point)")
        _load_plugins_once()
        from sphinx.application import ENV_PICKLE_FILENAME
        from sphinx.domains.std import StandardDomain
        from sphinx.environment.collectors.toctree import TocTreeCollector

        self.app = app
        self.startup_warnings = app._warncount
        self.saved_environment = Path(app.doctreedir, ENV_PICKLE_FILENAME)
        self.assets = [list(found) for found in _asset_lists(app)]
        self.doctrees = {}  # docname -> the doctree that READERS share
        self.written = set()
        app.connect("env-purge-doc", self._forget)
        app.connect("doctree-resolved", lambda app, doctree, docname: self.written.add(docname))
        for cls, name in [
            (TocTreeCollector, "get_updated_docs"),  # section and figure numbers
            (StandardDomain, "_resolve_numref_xref"),  # the target's number
        ]:
            setattr(cls, name, self._sharing_doctrees(getattr(cls, name)))

    def build(self) -> int:
        """Build what changed since the last build; sphinx-build's exit status."""
        app = self.app
        for found, before in zip(_asset_lists(app), self.assets):
            found[:] = before
        app._warncount, app.statuscode = self.startup_warnings, 0
        self.written.clear()
        app.build()
        if app.statuscode:
            app.env.reread_always.update(self.written)
            self.saved_environment.unlink(missing_ok=True)
        return app.statuscode

    def _forget(self, app, env, docname: str) -> None:
        env._pickled_doctree_cache.pop(docname, None)
        self.doctrees.pop(docname, None)
        if docname == app.config.root_doc:
            env.__dict__.pop("master_doctree", None)  # a functools.cached_property

    def _shared_doctree(self, docname: str):
        from sphinx.environment import BuildEnvironment

        if docname not in self.doctrees:
            self.doctrees[docname] = BuildEnvironment.get_doctree(self.app.env, docname)
        return self.doctrees[docname]

    def _sharing_doctrees(self, method):
        @functools.wraps(method)
        def reading(*args, **kwargs):
            env = self.app.env
            env.get_doctree = self._shared_doctree  # for this call only: shadows the method
            try:
                return method(*args, **kwargs)
            finally:
                del env.get_doctree

        return reading
