"""Outputs of pages that are gone: a page removed from _toc.yml (or deleted) leaves its .html, its
downloads (_sources/) and its cells for the browser (_static/python/pages/) in _build/html, where
the site and the notebooks branch would publish them from a local build. Sphinx never removes an
output; this extension does, for every page the book no longer has, when an HTML build has finished.
So with images: a figure that a chapter no longer draws (its code changed) stays in _images/; the
images that no built page refers to are removed (Sphinx's environment would not do to find them:
it lists every format of a notebook's figure, of which a page shows one).
"""

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

LOGGER = logging.getLogger(__name__)
IMAGE = re.compile(r"""_images/([^"'?#\s)]+)""")  # an image's file name, where a page refers to it


def _outputs_of(outdir: Path, doc: str) -> list[Path]:
    sources = outdir / "_sources"
    return [
        outdir / f"{doc}.html",
        *sources.glob(f"{doc}.*"),
        outdir / "_static" / "python" / "pages" / f"{doc}.json",
        outdir.parent / "jupyter_execute" / f"{doc}.ipynb",
    ]


def prune(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for page in outdir.rglob("*.html"):
        doc = page.relative_to(outdir).with_suffix("").as_posix()
        if doc in app.env.found_docs or not any((outdir / "_sources").glob(f"{doc}.*")):
            continue  # a page of the book, or one made without a source (index.html, search.html)
        for path in _outputs_of(outdir, doc):
            if path.is_file():
                path.unlink()
        LOGGER.info(f"prune: removed the outputs of {doc}, which the book no longer has")


def prune_images(app: Sphinx, exception) -> None:
    images = Path(app.outdir) / "_images"
    if exception is not None or app.builder.format != "html" or not images.is_dir():
        return
    used = set()
    for page in Path(app.outdir).rglob("*.html"):
        used.update(IMAGE.findall(page.read_text(encoding="utf-8")))
    stale = [p for p in images.iterdir() if p.name not in used]
    for path in stale:
        path.unlink()
    if stale:
        LOGGER.info(f"prune: removed {len(stale)} image(s) that no page shows any more")


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", prune)
    app.connect("build-finished", prune_images, priority=800)  # after theme_figures writes the twins
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
