"""Incremental rebuilds with sphinx-external-toc 1.1.0, which replaces Sphinx's table-of-contents
collector with one that restyles the section numbers (``TocTreeCollectorWithStyles``):

- its counters live on the collector and are never reset, so that a second build in the same
  process (``make preview``'s) numbered chapter 3 as 12, and wrote every numbered page again;
- like Sphinx's own (sphinx-doc/sphinx#1360, #5506), it writes a page whose title or number
  changed again, but not the other pages, whose sidebars show that title too.

The fix resets the counters before each numbering, and compares every page's title and number with
the last build's (saved with the environment): when one changed, every page is written.
"""

import functools

from sphinx.application import Sphinx

from course_build.upstream import written_for

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


def setup(app: Sphinx) -> dict:
    written_for("sphinx-external-toc", "1.1.0", "toc_titles (its collector's renumbering, copied names)")
    app.setup_extension("sphinx_external_toc")
    _replace_collector_listener(app)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
