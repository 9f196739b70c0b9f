"""Light pages (issue 23, point 3), read from the built HTML: what a chapter page makes a reader
download before anything else (the page, its stylesheets and scripts, gzipped as GitHub Pages and
`make serve` send them), no icon-font script, head scripts that do not hold up the first paint,
sized and lazy figures, and a meta description on every page. `python -m course_build.lighthouse`
measures the score in chromium."""

import gzip
import re
from functools import cache
from pathlib import Path
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup

from conftest import CHAPTERS, DOCS, built_page, scroll_to
from course_build.ext.bundled_css import bundle_text
from course_build.ext.fast_pages import SCROLLING_BLOCKS
from course_build.ext.icons import icon_table
from course_build.lighthouse import median_run

# The page and what it links at once, gzipped: about 1.0-1.2 MB with the icon font's script (540 KB
# gzipped), D3 and Plot loaded with the page; about 0.5 MB without, of which MathJax was 280 KB
# until the maths was typeset at build time (built_maths.py).
BUDGET_KB = 550


@cache
def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


def _linked(soup: BeautifulSoup, page: Path) -> set[Path]:
    urls = [tag["src"] for tag in soup.find_all("script", src=True)]
    urls += [
        tag["href"]
        for tag in soup.find_all("link", href=True)
        if {"stylesheet", "preload", "modulepreload"} & set(tag.get("rel", []))
    ]
    return {(page.parent / url.split("?")[0]).resolve() for url in urls if not re.match(r"\w+:|//", url)}


@pytest.mark.parametrize("doc", CHAPTERS)
def test_a_chapter_page_downloads_little_at_once(html_dir, doc):
    page = html_dir / f"{doc}.html"
    files = _linked(built_page(doc), page)
    missing = [str(f) for f in files if not f.is_file()]
    assert not missing, f"{doc} links files the site does not have: {missing}"
    sizes = {f.relative_to(html_dir.resolve()).as_posix(): gzipped(f) for f in files}
    total = gzipped(page) + sum(sizes.values())
    largest = sorted(sizes.items(), key=lambda item: -item[1])[:4]
    assert total <= BUDGET_KB * 1024, (
        f"{doc}: {total / 1024:.0f} KB gzipped at once (budget {BUDGET_KB} KB); the largest: "
        + ", ".join(f"{name} {size / 1024:.0f} KB" for name, size in largest)
    )


@pytest.mark.parametrize("doc", DOCS)
def test_a_page_waits_for_one_stylesheet_whose_urls_all_resolve(html_dir, doc):
    """The 16 stylesheets of Sphinx, the theme and the extensions as one file (bundled_css): one
    request before the first paint, its parts in the order the page linked them."""
    links = built_page(doc).find_all("link", rel="stylesheet")
    assert len(links) == 1, f"{doc} links {[link['href'] for link in links]}"
    parts = links[0]["data-parts"].split()
    assert parts[0] == "_static/styles/theme.css" and parts[-1] == "_static/course.css", parts
    bundle = (html_dir / doc).parent / links[0]["href"].split("?")[0]
    css = bundle.read_text(encoding="utf-8")
    assert "@import" not in css
    for url in set(re.findall(r"""url\(["']?([^"')]+)""", css)):
        if not url.startswith(("data:", "#")):
            assert (bundle.parent / url.split("?")[0]).is_file(), f"{bundle.name}: url({url}) names no file"


# Every selector of the whole stylesheet (its parts, as chromium parses them) that matches an element
# of the page, without its pseudo-elements and the states a reader puts an element in (:hover, ...):
# those that the page's bundle does not have.
_LOST_SELECTORS_JS = r"""
text => {
  const split = list => {  // a selector list at its top-level commas
    const out = []; let depth = 0, start = 0;
    for (let i = 0; i < list.length; i++) {
      const c = list[i];
      if (c === "(" || c === "[") depth++;
      else if (c === ")" || c === "]") depth--;
      else if (c === "," && depth === 0) { out.push(list.slice(start, i).trim()); start = i + 1; }
    }
    out.push(list.slice(start).trim());
    return out;
  };
  // each selector of each rule, with the blocks it is in and its declarations
  const selectors = (rules, into, within = "") => {
    for (const rule of rules) {
      if (rule instanceof CSSStyleRule) {
        split(rule.selectorText).forEach(s => into.set(`${within} ${s} {${rule.style.cssText}}`, s));
      } else if (rule.cssRules) {
        selectors(rule.cssRules, into, `${within} ${rule.cssText.slice(0, rule.cssText.indexOf("{"))}`);
      }
    }
    return into;
  };
  const whole = new CSSStyleSheet();
  whole.replaceSync(text);
  const bundle = [...document.styleSheets].find(s => s.href && s.href.includes("/_static/bundles/"));
  const kept = selectors(bundle.cssRules, new Map());
  const state = /::?(?:before|after|marker|placeholder|selection|first-line|first-letter|backdrop|-webkit-[\w-]+|-moz-[\w-]+)|:(?:hover|focus|focus-visible|focus-within|active|visited|target|checked|disabled|enabled|invalid|valid|open|modal|fullscreen|placeholder-shown|autofill)(?![\w-])/g;
  const all = selectors(whole.cssRules, new Map());
  const lost = [];
  for (const [rule, s] of all) {
    if (kept.has(rule)) continue;
    try { if (document.querySelector(s.replace(state, "") || "*")) lost.push(rule); } catch (e) { /* not a selector once its states are cut */ }
  }
  return {lost, all: all.size, kept: kept.size};
}
"""


@pytest.mark.parametrize("doc", DOCS)
def test_no_rule_that_matches_on_a_page_was_left_out_of_its_stylesheet(browser, site, html_dir, doc):
    """The bundle leaves out the rules that can match nothing on the site (unused_css.py): chromium
    checks every selector of the whole stylesheet against the page as it stands once its scripts
    have run, and against the bundle."""
    link = built_page(doc).find("link", rel="stylesheet")
    whole = bundle_text(
        link["data-parts"].split(), lambda path: (html_dir / path).read_text(encoding="utf-8")
    )
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{site}/{doc}.html", wait_until="load")
    found = page.evaluate(_LOST_SELECTORS_JS, whole)
    page.close()
    assert not found["lost"], f"{doc}: rules that match on it were left out: {found['lost'][:20]}"
    assert found["kept"] < found["all"] / 2, found  # most of Bootstrap goes


def test_a_chapter_loads_no_search_index_and_its_search_box_still_finds(browser, site):
    """Sphinx's search scripts (the 90 KB index) are loaded by the search page alone (fast_pages):
    a reader who searches from a chapter on a phone is taken there, and it finds the chapters."""
    page = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True)
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{site}/book/03_mle.html", wait_until="load")
    assert not [u for u in requests if re.search(r"searchindex|searchtools|language_data", u)], requests
    page.locator("button.search-button__button:visible").first.tap()
    box = page.locator("#pst-search-dialog input[name=q]")
    box.fill("likelihood")
    box.press("Enter")
    page.wait_for_url("**/search.html?q=likelihood*")
    page.wait_for_function("() => document.querySelectorAll('#search-results ul.search li a').length > 3")
    page.close()


@pytest.mark.parametrize("doc", DOCS)
def test_no_page_loads_the_icon_fonts_script_and_every_icon_is_drawn(html_dir, doc):
    soup = built_page(doc)
    scripts = [tag["src"] for tag in soup.find_all("script", src=True)]
    assert not [s for s in scripts if "fontawesome" in s], f"{doc} loads Font Awesome's script"
    left = [str(tag)[:100] for tag in soup.find_all(["i", "span"], class_=re.compile(r"^fa[a-z]?(-|$)"))]
    assert not left, f"{doc}: icons left for the script to draw: {left}"
    icons = soup.select("svg.svg-inline--fa")
    assert icons, f"{doc} has no icon"
    for svg in icons:
        assert svg.get("viewbox") and svg.select_one("path[d]"), f"{doc}: an empty icon {str(svg)[:100]}"
        assert svg.get("aria-hidden") == "true", f"{doc}: an icon that a screen reader reads {str(svg)[:100]}"
    # the header's sidebar buttons, search and colour mode are drawn
    for name in ["bars", "magnifying-glass", "sun", "moon", "circle-half-stroke"]:
        assert soup.select_one(f"svg.svg-inline--fa.fa-{name}"), f"{doc}: no {name} icon"


@pytest.mark.parametrize("doc", DOCS)
def test_head_scripts_do_not_hold_up_the_first_paint(html_dir, doc):
    head = built_page(doc).head  # (not the search page's: it searches as it loads)
    blocking = [
        tag["src"]
        for tag in head.find_all("script", src=True)
        if not (tag.has_attr("defer") or tag.has_attr("async") or tag.get("type") == "module")
    ]
    # documentation_options.js: 300 bytes, which an inline script right after it extends
    assert [s.split("?")[0] for s in blocking] == ["../_static/documentation_options.js"], blocking


@pytest.mark.parametrize("doc", CHAPTERS)
def test_figures_are_sized_and_lazy(html_dir, doc):
    images = [img for img in built_page(doc).select("article img") if "_images/" in img.get("src", "")]
    assert images, f"{doc} has no figure"
    for img in images:
        assert img.get("loading") == "lazy", f"{doc}: {img['src']} loads with the page"
        width, height = int(img.get("width", 0)), int(img.get("height", 0))
        assert width > 0 and height > 0, f"{doc}: {img['src']} has no size"
        png = (html_dir / doc).parent.joinpath(img["src"]).resolve().read_bytes()
        if png[:8] == b"\x89PNG\r\n\x1a\n":
            assert (width, height) == (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big"))


@pytest.mark.parametrize("doc", [*DOCS, "search", "genindex"])
def test_every_page_has_a_meta_description(html_dir, doc):
    soup = built_page(doc)
    metas = soup.find_all("meta", attrs={"name": "description"})
    assert len(metas) == 1, f"{doc}: {len(metas)} meta descriptions"
    text = metas[0].get("content", "")
    assert 30 <= len(text) <= 170, f"{doc}: a description of {len(text)} characters: {text!r}"
    assert "\\" not in text and "$" not in text, f"{doc}: TeX in the description: {text!r}"


def test_a_description_is_the_paragraphs_text_escaped_and_cut_to_length():
    """The text between a "<" and a ">" of a paragraph's maths stays (it is no tag), and a
    paragraph with no space to cut at is cut all the same."""
    from types import SimpleNamespace

    from docutils import nodes
    from docutils.utils import new_document

    from course_build.ext import descriptions

    def meta(text: str) -> str:
        doctree = new_document("page")
        doctree += nodes.paragraph(text=text)
        context = {"title": "A page"}
        descriptions._add_description(
            SimpleNamespace(config=SimpleNamespace(html_title="T")), "p", "", context, doctree
        )
        (content,) = re.findall(r'<meta name="description" content="([^"]*)" />', context["metatags"])
        return content

    assert meta("When p < 0.5 and n > 10 the estimate is near the truth, as this chapter shows.") == (
        "When p &lt; 0.5 and n &gt; 10 the estimate is near the truth, as this chapter shows."
    )
    assert len(meta("x" * 400)) == descriptions.LENGTH


_ADMONITION_ICONS_JS = r"""
() => Array.from(document.querySelectorAll('div.admonition > .admonition-title'), title => {
  const after = getComputedStyle(title, '::after');
  return {kind: title.parentElement.className, content: after.content, mask: after.maskImage,
          width: parseFloat(after.width), font: after.fontFamily};
})
"""


def test_admonition_icons_are_drawn_without_the_icon_font(browser, site):
    """The tips' and exercises' icons are masks (icons.py), the solutions keep none, and no page
    fetches the icon font for them (156 KB for three icons)."""
    page = browser.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{site}/book/05_classifiers.html", wait_until="load")
    page.evaluate("document.fonts.ready")
    titles = page.evaluate(_ADMONITION_ICONS_JS)
    fonts = page.evaluate("() => Array.from(document.fonts, f => f.family + ' ' + f.status)")
    page.close()
    assert not [u for u in requests if "webfonts" in u or "fontawesome" in u], requests
    assert not [f for f in fonts if "Awesome" in f and not f.endswith("unloaded")], fonts
    by_kind = {}
    for t in titles:
        by_kind.setdefault(t["kind"].split()[0], t)
    for kind, icon in (("tip", "lightbulb"), ("exercise", "pencil")):
        width, height, path = icon_table()["fas"][icon]
        drawn = by_kind[kind]
        assert drawn["content"] == '""' and drawn["width"] > 0, drawn
        assert "data:image/svg+xml" in drawn["mask"] and quote(path[:40]) in drawn["mask"], (
            kind,
            drawn["mask"][:200],
        )
    assert by_kind["solution"]["content"] == "none"  # no icon box at all


_SETTLED_TOP_JS = r"""
async selector => {
  const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  let top = null;
  for (let i = 0; i < 50; i++) {
    await frame();
    const now = document.querySelector(selector).getBoundingClientRect().top;
    if (now === top) return now;
    top = now;
  }
  return top;
}
"""


@pytest.mark.parametrize("heading", ["h2", "h3"])
def test_a_link_to_a_far_section_lands_on_it(browser, site, html_dir, heading):
    """The sections and subsections far from the screen are laid out only as they near it
    (course.css, content-visibility): a link to the last one still brings its heading to the top."""
    html = (html_dir / "book" / "08_estimates.html").read_text()
    target = re.findall(rf'<section id="([^"]+)">\n<{heading}>', html)[-1]
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{site}/book/08_estimates.html#{target}", wait_until="load")
    # where the heading settles, once the sections around it have been laid out
    top = page.evaluate(_SETTLED_TOP_JS, f"#{target} > {heading}")
    page.close()
    assert 0 <= top < 200, f"the heading of #{target} is at {top:.0f} px, not at the top of the screen"


def test_a_block_that_scrolls_gets_its_tab_stop_as_it_nears_the_screen(browser, site):
    """The theme's tab stops for blocks that scroll (a keyboard scrolls them) are checked as each
    nears the screen (fast_pages.lazy_tab_stops), not by laying out the whole chapter as it loads:
    every block has one at first, and one that does not scroll loses it as it comes near."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{site}/book/09_real_data.html", wait_until="load")
    page.wait_for_timeout(500)
    blocks = page.locator(", ".join(SCROLLING_BLOCKS))
    tab_stops = blocks.evaluate_all("els => els.map(e => e.getAttribute('tabindex'))")
    scrolls = blocks.evaluate_all(
        "els => els.map(e => e.scrollWidth > e.clientWidth || e.scrollHeight > e.clientHeight)"
    )
    assert True in scrolls, "no block of chapter 10 scrolls at 390 px: the test needs one that does"
    assert all(tab_stops[i] == "0" for i, s in enumerate(scrolls) if s), (
        "a block that scrolls has no tab stop"
    )
    still = len(scrolls) - 1 - scrolls[::-1].index(False)  # the last block that does not scroll
    assert tab_stops[still] == "0", (
        f"block {still} of {len(scrolls)}, far from the screen, was checked at load"
    )
    block = blocks.nth(still)
    scroll_to(block)
    page.wait_for_function(
        "el => el.getAttribute('tabindex') === '-1'", arg=block.element_handle(), timeout=5000
    )
    page.close()


def test_the_theme_stylesheet_has_no_icon_font(html_dir):
    """Font Awesome's glyph rules and fonts are gone from the stylesheet that every page waits for
    (icons.py); its sizing rules, which the SVG icons use, stay."""
    css = (html_dir / "_static" / "styles" / "pydata-sphinx-theme.css").read_text()
    assert not re.search(r'\.fa-[a-z0-9-]+:before\{content:"', css)
    assert not re.search(r"@font-face\{[^}]*Font Awesome", css) and "webfonts/fa-" not in css
    assert ".fa-fw{" in css and ".fa-lg{" in css
    assert gzipped(html_dir / "_static" / "styles" / "pydata-sphinx-theme.css") < 50 * 1024


def test_lighthouse_keeps_the_median_run():
    runs = [{"performance": p, "lcp_ms": 10 * p} for p in (84, 97, 91)]
    assert median_run(runs) == {"performance": 91, "lcp_ms": 910, "performance_runs": [84, 97, 91]}
    assert median_run(runs[:2])["performance"] == 84  # of two, the lower
