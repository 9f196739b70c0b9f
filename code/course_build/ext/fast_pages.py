"""Pages that a phone shows at once, rewritten when the build has finished (issue 23, point 3):

- no script holds up the first paint: each classic ``<script src>`` that Sphinx and the theme put in
  the ``<head>`` (doctools, the copy and toggle buttons, the theme's own, the search index) is
  deferred; it then runs once the page is parsed, in the order of the page, as the theme's
  bootstrap.js and pydata-sphinx-theme.js already do. documentation_options.js stays as it is: the
  inline script after it sets its DOCUMENTATION_OPTIONS.pagename while the page is parsed; and the
  search page keeps its scripts as they are (it searches as it loads);
- Sphinx's search (searchtools.js, language_data.js and the 90 KB searchindex.js) is loaded by the
  search page alone. pydata-sphinx-theme's layout loads it on every page for its search as you type,
  which is off here (its search box opens the search page), and its script looks at it only when
  that is on: on a chapter it was parsed and run for nothing;
- the stylesheets are one file (bundled_css.py): one request that holds up the first paint, not 16;
- every image of the content is sized (``width`` and ``height`` from its file, so that nothing
  moves when it arrives; course.css keeps its aspect ratio where it is shown smaller) and loaded
  lazily, when it nears the screen.

The maths is typeset when the site is built (built_maths.py), the explorers are drawn as they come
into view (_assets/explorers.js), and the sections far from the screen are laid out as a reader nears
them (_assets/course.css). tests/test_light_pages.py checks the
pages; `python -m course_build.lighthouse` measures the score.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from course_build.ext import pages
from course_build.ext.bundled_css import bundle_pages
from course_build.upstream import written_for

LOGGER = logging.getLogger(__name__)

HEAD_SCRIPT = re.compile(
    r'<script (?P<attrs>(?:(?!\b(?:defer|async|type)\b)[^>])*?\bsrc="(?P<src>[^"]+)"[^>]*)></script>'
)
KEEP_BLOCKING = ("documentation_options.js",)
SEARCH_SCRIPT = re.compile(
    r'[ \t]*<script\b[^>]*\bsrc="[^"]*\b(?:searchtools\.js|language_data\.js|searchindex\.js)\b[^"]*"[^>]*></script>\n?'
)
IMAGE = re.compile(r"<img\b(?P<attrs>[^>]*?)\s*/?>")


def defer_head_scripts(html: str) -> str:
    head_end = html.find("</head>")
    if head_end < 0:
        return html

    def defer(match: re.Match) -> str:
        if any(name in match.group("src") for name in KEEP_BLOCKING):
            return match.group(0)
        return f"<script defer {match.group('attrs')}></script>"

    return HEAD_SCRIPT.sub(defer, html[:head_end]) + html[head_end:]


def drop_search_scripts(html: str) -> str:
    """The page without Sphinx's search scripts in its head (for a page other than the search page)."""
    head_end = html.find("</head>")
    return html if head_end < 0 else SEARCH_SCRIPT.sub("", html[:head_end]) + html[head_end:]


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) in pixels of a PNG, or of an SVG whose root gives them in px (or unitless)."""
    try:
        head = path.read_bytes()[:4096]
    except OSError:
        return None
    if head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR":
        return struct.unpack(">II", head[16:24])
    if path.suffix == ".svg":
        root = re.search(rb"<svg\b[^>]*>", head)
        if root:
            w = re.search(rb'\swidth="([\d.]+)(?:px)?"', root.group(0))
            h = re.search(rb'\sheight="([\d.]+)(?:px)?"', root.group(0))
            if w and h:
                return round(float(w.group(1))), round(float(h.group(1)))
    return None


def size_and_defer_images(html: str, page: Path) -> str:
    def rewrite(match: re.Match) -> str:
        attrs = match.group("attrs")
        src = re.search(r'\ssrc="([^"]+)"', attrs)
        if not src or "_images/" not in src.group(1):
            return match.group(0)  # the theme's logos in the header: small, and at the top
        if " loading=" not in attrs:
            attrs += ' loading="lazy" decoding="async"'
        if " width=" not in attrs and " height=" not in attrs:
            size = image_size((page.parent / src.group(1).split("?")[0]).resolve())
            if size:
                attrs += f' width="{size[0]}" height="{size[1]}"'
        return f"<img{attrs} />"

    return IMAGE.sub(rewrite, html)


# pydata-sphinx-theme.js gives each block that scrolls (code, outputs, tables) a tab stop, so that a
# keyboard can scroll it: on load it reads every such block's scrollWidth, which lays out the whole
# chapter at once, skipped sections too (800 ms of a phone's main thread on chapter 5). Here every
# such block gets a tab stop at once (which needs no layout: a keyboard that jumps far still reaches
# it), and is checked as it nears the screen (within a screen's height), and again when it comes
# back: one that does not scroll then loses its tab stop.
SCROLLING_BLOCKS = (
    "pre",
    ".nboutput > .output_area",
    ".cell_output > .output",
    ".jp-RenderedHTMLCommon",
    ".pst-scrollable-table-container",
)
TAB_STOPS_SELECTORS = "[" + ",".join(f'"{block}"' for block in SCROLLING_BLOCKS) + '].join(", ")'
TAB_STOPS = (
    "function I(){const e=()=>{document.querySelectorAll(" + TAB_STOPS_SELECTORS + ").forEach(e=>{"
    "e.tabIndex=e.scrollWidth>e.clientWidth||e.scrollHeight>e.clientHeight?0:-1})},t=_(e,300);"
)
LAZY_TAB_STOPS = (
    "function I(){const o=new IntersectionObserver(n=>n.forEach(x=>{const e=x.target;"
    "x.isIntersecting&&(e.tabIndex=e.scrollWidth>e.clientWidth||e.scrollHeight>e.clientHeight?0:-1)}),"
    '{rootMargin:"100% 0px"}),e=()=>{o.disconnect(),document.querySelectorAll(' + TAB_STOPS_SELECTORS + ")"
    '.forEach(e=>{e.hasAttribute("tabindex")||(e.tabIndex=0),o.observe(e)})},t=_(e,300);'
)


def lazy_tab_stops(script: str) -> str | None:
    """The theme's script with its tab stops set as the blocks near the screen; None if it has no
    such code (another version of the theme)."""
    if LAZY_TAB_STOPS in script:
        return script
    return script.replace(TAB_STOPS, LAZY_TAB_STOPS) if script.count(TAB_STOPS) == 1 else None


def _rewrite_theme_script(app: Sphinx) -> None:
    path = Path(app.outdir) / "_static" / "scripts" / "pydata-sphinx-theme.js"
    script = path.read_text(encoding="utf-8")
    lazy = lazy_tab_stops(script)
    if lazy is None:
        LOGGER.warning(
            f"{path}: its tab stops for scrolling blocks are not the code fast_pages rewrites",
            type="fast_pages",
        )
    elif lazy != script:
        path.write_text(lazy, encoding="utf-8")


def _rewrite_pages(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    _rewrite_theme_script(app)
    as_you_type = app.config.html_theme_options.get("search_as_you_type", False)

    def faster(text: str, page: Path) -> str:
        # not the search page: it searches as it loads, and search-snippets.js wraps its Search
        if page.name != "search.html":
            text = defer_head_scripts(text if as_you_type else drop_search_scripts(text))
        return size_and_defer_images(text, page)

    pages.rewrite(app.outdir, faster)
    _, left = bundle_pages(Path(app.outdir))
    for page in left:
        LOGGER.warning(
            f"{page}: a stylesheet from elsewhere or for one medium: its stylesheets are not bundled",
            type="fast_pages",
        )


def setup(app: Sphinx) -> dict:
    written_for(
        "pydata-sphinx-theme", "0.17.1", "fast_pages (the scripts its layout puts in the head, its tab stops)"
    )
    app.connect("build-finished", _rewrite_pages, priority=700)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
