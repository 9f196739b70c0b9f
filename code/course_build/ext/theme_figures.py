"""Figures that are crisp and belong to the page's theme (issue 23, point 4).

The build's kernels draw every figure as SVG too (``execution_deps.FIGURE_FORMATS``), and the site
shows the SVG (myst-nb prefers it to the PNG): sharp at any zoom and on any screen. When the build
has finished, each SVG figure of a page gets a dark twin beside it in ``_images/``, with its neutral
colours carried over to the dark theme's (white to the page's background, black to its text, each
grey in between in proportion; the palette's colours stay), and the page holds both images: course.css
shows the one of the reader's theme, and the other, hidden and lazy, is never fetched. Both carry
pydata-sphinx-theme's ``dark-light`` class, which keeps the theme from laying its brightness filter
and white card over them, and the size the figure's PNG had (its points at the style's dpi), so
that a figure is shown as large as before and keeps its place before it loads. A reader's notebook
(the downloads) keeps the PNG alone (notebooks.py).
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx

from course_build.ext import pages
from course_build.upstream import written_for
from likelihood_course.style import RC

# pydata-sphinx-theme 0.17's dark theme: --pst-color-background and --pst-color-text-base
DARK_BACKGROUND, DARK_TEXT = "#14181e", "#ced6dd"
# a grey (#rrggbb with r = g = b) that an SVG fills or strokes with, or stops a gradient at
GREY = re.compile(
    r"(?P<key>(?:fill|stroke|stop-color|color)\s*[:=]\s*\"?)#(?P<level>[0-9a-fA-F]{2})(?P=level)(?P=level)\b"
)
MATPLOTLIB = "matplotlib.org"  # in the metadata of every SVG that matplotlib writes
PX_PER_PT = RC["savefig.dpi"] / 72  # the PNG's pixels per point
SIZE = re.compile(r'<svg\b[^>]*?\swidth="(?P<width>[\d.]+)pt"\s+height="(?P<height>[\d.]+)pt"')
FIGURE = re.compile(r'<img\b(?P<attrs>[^>]*\bsrc="(?P<src>[^"]*_images/[^"/]+)\.svg"[^>]*?)\s*/?>')


def _rgb(hex_colour: str) -> tuple[int, ...]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def dark(svg: str) -> str:
    """`svg` with each grey moved to the dark theme: level L (0 black, 1 white) becomes the mix
    (1 - L) of the theme's text colour over its background. What SVG fills black by default
    (matplotlib names no fill for its black text and markers) takes the text colour from the root."""
    background, text = _rgb(DARK_BACKGROUND), _rgb(DARK_TEXT)

    def swap(match: re.Match) -> str:
        ink = 1 - int(match.group("level"), 16) / 255
        mixed = (round(b + (t - b) * ink) for b, t in zip(background, text))
        return match.group("key") + "#" + "".join(f"{c:02x}" for c in mixed)

    return GREY.sub(swap, svg).replace("<svg ", f'<svg fill="{DARK_TEXT}" ', 1)


def twin_figures(html: str, page: Path) -> str:
    """Each SVG figure of `html` as a light image and its dark twin (written next to it)."""

    def twin(match: re.Match) -> str:
        attrs, src = match.group("attrs"), match.group("src")
        if "lc-light" in attrs or "lc-dark" in attrs:
            return match.group(0)  # twinned already (a page that this build did not write)
        light = (page.parent / f"{src}.svg").resolve()
        svg = light.read_text(encoding="utf-8")
        if MATPLOTLIB not in svg[:2000]:
            return match.group(0)  # an SVG the book includes as it is, not a figure of its code
        # written with every page that Sphinx writes: an edit of dark() reaches every twin
        light.with_name(f"{light.stem}-dark.svg").write_text(dark(svg), encoding="utf-8")
        size = SIZE.search(svg[:2000])
        if size and " width=" not in attrs:
            width, height = (round(float(size.group(k)) * PX_PER_PT) for k in ("width", "height"))
            attrs += f' width="{width}" height="{height}"'
        existing = re.search(r'\sclass="([^"]*)"', attrs)
        if existing:
            attrs = attrs.replace(existing.group(0), "")
        classes = " ".join(["dark-light", "lc-light", *(existing.group(1).split() if existing else [])])
        light_attrs = f' class="{classes}"{attrs}'
        dark_attrs = light_attrs.replace("lc-light", "lc-dark").replace(
            f'src="{src}.svg"', f'src="{src}-dark.svg"'
        )
        return f"<img{light_attrs} /><img{dark_attrs} />"

    return FIGURE.sub(twin, html)


def _twin_pages(app: Sphinx, exception) -> None:
    if exception is None and app.builder.format == "html":
        pages.rewrite(app.outdir, twin_figures)


def setup(app: Sphinx) -> dict:
    written_for(
        "pydata-sphinx-theme", "0.17.1", "theme_figures (its dark theme's colours, its dark-light class)"
    )
    app.connect("build-finished", _twin_pages, priority=600)  # before fast_pages sizes the images
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
