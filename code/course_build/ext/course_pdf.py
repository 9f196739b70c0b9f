"""The course's PDF on the site. The download menu's ".pdf" item, which the theme makes print the
page (live sliders, "Show code cell source" bars, code cut at the right), becomes a link to
`course.pdf`, the whole course as the PDF builder typesets it; the intro page links it too. Both
are shown only while the site holds that file, so that no page links a PDF that is not there:

- `make html` copies a current PDF (newer than every source) into the site before it builds and
  removes one of older sources; at the end of every build each page shows or hides its links;
- `make pdf` copies its PDF in and shows them (`python -m course_build.ext.course_pdf _build/html`).

A link to the PDF sits in an element of class `lc-course-pdf`, hidden and without its href (kept
as data-lc-pdf-href) while the site has no PDF; it then says that it is a link that leads nowhere
yet (role="link" aria-disabled="true"), so that a crawler does not take it for a broken one
(Lighthouse's SEO audit "crawlable-anchors")."""

import os
import re
import sys
from pathlib import Path

from course_build.ext import pages

NAME = "course.pdf"
# sphinx-book-theme 1.3's print item of the download menu (its onclick: before csp.py's pass)
PRINT_ITEM = re.compile(r'<li>\s*<button onclick="window\.print\(\)"[\s\S]*?</button>\s*</li>')
PDF_ITEM = (
    '<li class="lc-course-pdf"><a href="{href}" download class="btn btn-sm btn-download-pdf-button '
    'dropdown-item" title="The whole course as one PDF" data-bs-placement="left" data-bs-toggle="tooltip">'
    '<span class="btn__icon-container"><i class="fas fa-file-pdf"></i></span>'
    '<span class="btn__text-container">.pdf</span></a></li>'
)
CONTAINER = re.compile(r'(<(?:p|li) class="lc-course-pdf")(?: hidden)?>')
DISABLED = ' role="link" aria-disabled="true"'
LINK = re.compile(r'<a (?:href|data-lc-pdf-href)="([^"]*' + re.escape(NAME) + ')"(?:' + DISABLED + ")?")


def show(html: str, present: bool) -> str:
    """The page with its links to the PDF shown (present) or hidden."""
    html = CONTAINER.sub(r"\1>" if present else r"\1 hidden>", html)
    attribute = "href" if present else "data-lc-pdf-href"
    return LINK.sub(lambda m: f'<a {attribute}="{m[1]}"' + ("" if present else DISABLED), html)


def link_pages(outdir: Path) -> None:
    """Every page of the site at `outdir`: the print item replaced, the PDF's links shown or hidden."""
    present = (outdir / NAME).is_file()

    def linked(text: str, page: Path) -> str:
        href = Path(os.path.relpath(outdir / NAME, page.parent)).as_posix()
        return show(PRINT_ITEM.sub(PDF_ITEM.format(href=href), text), present)

    pages.rewrite(outdir, linked)


def _build_finished(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        link_pages(Path(app.outdir))


def setup(app):
    from course_build.upstream import written_for

    written_for("sphinx-book-theme", "1.3.0", "course_pdf.PRINT_ITEM (the download menu's print button)")
    app.connect("build-finished", _build_finished, priority=400)  # before csp.py reads the pages
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    link_pages(Path(sys.argv[1]))
