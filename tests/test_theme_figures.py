"""Figures that are crisp and belong to the reader's theme (issue 23, point 4;
code/course_build/ext/theme_figures.py): the site shows each figure as SVG, in a light version and
a dark twin; the page shows the one of its theme, with no filter and no white card, and does not
fetch the other (at 1280 and at 390 px, in both themes)."""

import re

import pytest

from conftest import CHAPTERS, built_page
from course_build.ext.theme_figures import DARK_BACKGROUND, DARK_TEXT, dark, twin_figures

DOC = "book/01_probability"  # Fig 1.1 near the top, more figures below
MAX_FIGURE_BYTES = 150 * 1024  # as `make bench`'s target: dense artists are drawn rasterized


def test_the_dark_twin_moves_the_greys_and_keeps_the_colours():
    svg = (
        '<svg width="72pt" height="36pt"><path d="M 0 0 L 1 1"/><path style="fill: #ffffff"/><path style="stroke: #000000; stroke-width: 0.8"/>'
        '<path style="stroke: #b0b0b0; stroke-opacity: 0.3"/><path style="fill: #0072b2"/>'
        '<use xlink:href="#DejaVuSans-30"/><path fill="#808080"/>'
    )
    out = dark(svg)
    assert out.startswith(f'<svg fill="{DARK_TEXT}" ')  # what SVG fills black by default: text, markers
    assert f"fill: {DARK_BACKGROUND}" in out and f"stroke: {DARK_TEXT}" in out
    assert "fill: #0072b2" in out and 'xlink:href="#DejaVuSans-30"' in out  # a colour; an id
    grid = re.search(r"stroke: (#\w{6}); stroke-opacity", out).group(1)
    assert grid == "#4e5359"  # 31 % of the way from the background to the text, as #b0b0b0 from white
    middle = re.search(r'<path fill="#(\w{6})"', out).group(1)  # #808080: half way between the two
    halves = [(int(DARK_BACKGROUND[i : i + 2], 16) + int(DARK_TEXT[i : i + 2], 16)) / 2 for i in (1, 3, 5)]
    assert all(abs(int(middle[j : j + 2], 16) - h) <= 1 for j, h in zip((0, 2, 4), halves)), middle


def test_a_figure_becomes_a_light_image_and_its_dark_twin_once(tmp_path):
    images = tmp_path / "_images"
    images.mkdir()
    metadata = "<metadata><dc:title>Matplotlib v3.10.3, https://matplotlib.org/</dc:title></metadata>"
    (images / "abc.svg").write_text(
        f'<svg width="72pt" height="36pt">{metadata}<path style="fill: #ffffff"/></svg>'
    )
    (images / "drawn.svg").write_text('<svg width="72pt" height="36pt"><path style="fill: #ffffff"/></svg>')
    page = tmp_path / "book" / "ch.html"
    page.parent.mkdir()
    html = '<figure><img alt="A curve." src="../_images/abc.svg" /><figcaption>Fig</figcaption></figure>'
    once = twin_figures(html, page)
    assert once.count("<img") == 2 and twin_figures(once, page) == once  # a second build changes nothing
    light, dark_img = re.findall(r"<img[^>]*>", once)
    assert 'class="dark-light lc-light"' in light and 'src="../_images/abc.svg"' in light
    assert 'class="dark-light lc-dark"' in dark_img and 'src="../_images/abc-dark.svg"' in dark_img
    for img in (light, dark_img):  # the alt text, and the size of the figure's PNG (150 dpi)
        assert 'alt="A curve."' in img and 'width="150" height="75"' in img, img
    assert f"fill: {DARK_BACKGROUND}" in (images / "abc-dark.svg").read_text()
    drawn = '<p><img alt="A diagram." class="align-center" src="../_images/drawn.svg" /></p>'
    assert twin_figures(drawn, page) == drawn  # an SVG that matplotlib did not write is left as it is


@pytest.mark.site
@pytest.mark.parametrize("doc", CHAPTERS)
def test_every_figure_is_an_svg_with_a_dark_twin(doc, html_dir):
    figures = [img for img in built_page(doc).select("article img") if "_images/" in img["src"]]
    rasters = [img["src"] for img in figures if not img["src"].endswith(".svg")]
    assert not rasters, f"{doc}: figures that are not SVG: {rasters}"
    light = [img for img in figures if "lc-light" in img.get("class", [])]
    twins = [img for img in figures if "lc-dark" in img.get("class", [])]
    assert light and len(light) == len(twins) == len(figures) / 2, f"{doc}: {len(figures)} figure images"
    for img in figures:
        size = (html_dir / doc).parent.joinpath(img["src"]).resolve().stat().st_size
        assert size <= MAX_FIGURE_BYTES, f"{doc}: {img['src']} is {size / 1024:.0f} KB (at most 150 KB)"
    for img in twins:
        svg = (html_dir / doc).parent.joinpath(img["src"]).resolve().read_text()
        assert not re.search(r"(fill|stroke): #(ffffff|000000)\b", svg), f"{img['src']} keeps white or black"
        assert re.search(rf'<svg fill="{DARK_TEXT}"', svg), f"{img['src']} fills its text black"


_SHOWN_JS = r"""
() => Array.from(document.querySelectorAll('article img[src*="_images/"]')).map(img => {
  const s = getComputedStyle(img);
  return {src: img.getAttribute('src'), shown: s.display !== 'none' && img.getBoundingClientRect().width > 0,
          filter: s.filter, background: s.backgroundColor, complete: img.complete && img.naturalWidth > 0};
})
"""


@pytest.mark.browser
@pytest.mark.parametrize("width", ["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_page_shows_the_figures_of_its_theme_and_fetches_only_those(scheme, width, browser, site):
    from conftest import DESKTOP, PHONE, collect_errors, keep_on_site

    viewport = DESKTOP if width == "desktop" else PHONE
    context = keep_on_site(browser.new_context(viewport=viewport, color_scheme=scheme), site)
    page = context.new_page()
    errors = collect_errors(page)
    fetched = []
    page.on("request", lambda r: "_images/" in r.url and fetched.append(r.url))
    page.goto(f"{site}/{DOC}.html", wait_until="load")
    assert page.evaluate("document.documentElement.dataset.theme") == scheme
    for _ in range(40):  # read the page to its end, so that every lazy figure on the way loads
        page.mouse.wheel(0, 800)
        page.wait_for_timeout(50)
    page.wait_for_load_state("networkidle")
    figures = page.evaluate(_SHOWN_JS)
    shown = [f for f in figures if f["shown"]]
    assert shown and len(shown) == len(figures) / 2, figures
    for figure in shown:
        assert figure["src"].endswith("-dark.svg") == (scheme == "dark"), figure
        assert figure["complete"], f"{figure['src']} did not load"
        assert figure["filter"] == "none" and figure["background"] == "rgba(0, 0, 0, 0)", figure
    other = [url for url in fetched if url.endswith("-dark.svg") != (scheme == "dark")]
    assert not other, f"the other theme's figures were fetched: {other}"
    assert not errors, errors
    context.close()
