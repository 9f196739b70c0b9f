"""The built site in a real browser (Debian's chromium, driven by Python Playwright).

Every page that _toc.yml lists is served from the build directory on a loopback port by the test
itself, opened once at desktop size (1280 x 900) and then loaded again at phone size (390 x 844).
The checks:

- every equation is typeset (by MathJax 4, when the site was built: no MathJax script on a page)
  with its assistive MathML; no mjx-merror, no undefined macro (MathJax draws those in red:
  mathcolor="red" in its MathML), no math left untypeset, and MathJax's fonts load from the site;
- no console error, no page error, no failed request, no request to any other host; the test's own
  server records every request it answers, so that a 404 the page's events do not show (the
  browser's own request for /favicon.ico) fails too; every page declares a favicon that loads;
- every image has loaded and has alt text that is not just its file name;
- every internal link and #anchor resolves;
- the site's search finds the chapters for "likelihood" and "cross-entropy";
- at both sizes no equation is typeset wider than the box that shows it (a long display equation is
  shown broken across lines for the width of its column); at phone size no page scrolls sideways, and every figure's
  smallest text is at least 9 CSS px (its size in the PNG, scaled to the width the image is shown);
- at desktop size one search control and the book's title once in the sidebar;
- axe-core: no critical or serious violation on the intro and the chapters (the rest are counted).

Requests to other hosts are recorded as failures and then blocked, so the run never waits on the
network. Chromium comes from Debian (`make system` installs it); Playwright never downloads one.
COURSE_SCREENSHOTS=DIR saves a desktop and a phone screenshot of every page into DIR.
"""

from __future__ import annotations

import functools
import html.parser
import os
import re
import struct
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest

from conftest import AXE_JS, DOCS, PHONE, collect_errors, inject_axe, keep_on_site
from conftest import is_local as _is_local
from course_build.book import CONFIG

# The chapters each search must find (those of them that _toc.yml lists), besides every page whose
# text contains the query's words.
SEARCHES = {
    "likelihood": ["book/02_likelihood", "book/03_mle", "book/04_nll"],
    "cross-entropy": ["book/05_classifiers"],
}


# --------------------------------------------------------------------------------------------------
# Serving the build and driving the browser


@dataclass(repr=False)
class Visit:
    """What one page did in the browser."""

    doc: str
    url: str
    errors: list = field(default_factory=list)  # console and page errors (conftest.collect_errors)
    failed_requests: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    math: dict = field(default_factory=dict)
    images: list = field(default_factory=list)
    links: list = field(default_factory=list)
    ids: set = field(default_factory=set)
    text: str = ""
    overflow: dict = field(default_factory=dict)
    desktop_overflow: dict = field(default_factory=dict)
    figures: list = field(default_factory=list)
    favicons: list = field(default_factory=list)
    axe: list | None = None

    def __repr__(self):
        return f"Visit({self.url})"


# The maths is typeset when the site is built (code/course_build/ext/built_maths.py): a page
# loads no MathJax, every .math holds MathJax's output, and the fonts it names load
_MATH_JS = r"""
async () => {
  await document.fonts.ready;
  const mathEls = Array.from(document.querySelectorAll('.math'));
  const out = {
    mathjaxScripts: Array.from(document.scripts, s => s.src).filter(src => /mathjax/i.test(src)),
    mathElements: mathEls.length, typeset: document.querySelectorAll('mjx-container').length,
    merrors: [], red: [], untypeset: [], leftover: [], fonts: [],
  };
  for (const e of document.querySelectorAll('mjx-merror')) {
    out.merrors.push((e.getAttribute('data-mjx-error') || e.textContent).slice(0, 120));
  }
  // an undefined macro: MathJax draws its name in red (mathcolor="red" in the assistive MathML)
  for (const e of document.querySelectorAll('mjx-assistive-mml [mathcolor="red"]')) {
    out.red.push(e.closest('math').getAttribute('data-latex').slice(0, 120));
  }
  for (const e of mathEls) {
    if (!e.querySelector('mjx-container > mjx-assistive-mml > math'))
      out.untypeset.push(e.textContent.trim().slice(0, 120));
  }
  for (const f of document.fonts) {
    if (f.family.startsWith('MJX') && f.status === 'error') out.fonts.push(f.family);
  }
  // TeX delimiters or commands left in the running text (outside code and typeset math)
  const skip = 'pre, code, script, style, textarea, mjx-container, .highlight, .math';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const tex = /\\\(|\\\)|\\\[|\\\]|\$\$|\\begin\{|\$[^$\n]*\\[A-Za-z]+[^$\n]*\$/;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement && n.parentElement.closest(skip)) continue;
    const m = n.textContent.match(tex);
    if (m) {
      const i = Math.max(0, m.index - 40);
      out.leftover.push(n.textContent.slice(i, m.index + 60).replace(/\s+/g, ' '));
    }
  }
  return out;
}
"""

_IMAGES_JS = r"""
async () => {
  const out = [];
  // not the figures of the other theme, which the page hides and never fetches (test_theme_figures.py)
  const otherTheme = img => img.matches('img.lc-light, img.lc-dark') && !img.checkVisibility();
  for (const img of Array.from(document.images).filter(img => !otherTheme(img))) {
    if (!img.complete || img.naturalWidth === 0) {
      img.scrollIntoView();
      await Promise.race([img.decode().catch(() => null), new Promise(r => setTimeout(r, 5000))]);
    }
    out.push({src: img.getAttribute('src'), url: img.currentSrc || img.src,
              alt: img.getAttribute('alt'), width: img.naturalWidth});
  }
  window.scrollTo(0, 0);
  return out;
}
"""

_DOM_JS = r"""
() => ({
  links: Array.from(document.querySelectorAll('a[href]'), a => a.href),
  ids: Array.from(document.querySelectorAll('[id]'), e => e.id)
         .concat(Array.from(document.querySelectorAll('a[name]'), a => a.name)),
  text: (() => {  // the article's prose: what the search index holds (no code, no math, no nav)
    const article = (document.querySelector('article') || document.body).cloneNode(true);
    article.querySelectorAll('pre, code, .highlight, .math, mjx-container, script, style, nav')
      .forEach(e => e.remove());
    return article.textContent;
  })(),
})
"""

_OVERFLOW_JS = r"""
async () => {
  // open what a reader can open (hidden code cells, solutions), so that it is measured too
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  document.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'));
  await document.fonts.ready;
  const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  await frame();
  // the theme slides its sidebars off-canvas with CSS transitions: measure the settled layout
  const transitions = document.getAnimations().filter(a => a instanceof CSSTransition);
  await Promise.race([Promise.all(transitions.map(a => a.finished.catch(() => null))),
                      new Promise(r => setTimeout(r, 3000))]);
  await frame();
  const root = document.documentElement;
  const width = root.clientWidth;
  const scrollWidth = root.scrollWidth;
  window.scrollTo(100000, window.scrollY);
  const scrollX = window.scrollX;
  window.scrollTo(0, 0);
  const describe = el => {
    let d = el.tagName.toLowerCase();
    if (el.id) d += '#' + el.id;
    if (el.classList.length) d += '.' + Array.from(el.classList).slice(0, 3).join('.');
    return d + ' "' + (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 50) + '"';
  };
  // what sticks out of the viewport without a scrolling (or clipping) box of its own
  const contained = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX !== 'visible' || s.position === 'fixed') return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1 || getComputedStyle(el).position === 'fixed') continue;
    if (contained(el) || wide.some(w => w.contains(el))) continue;
    wide.push(el);
  }
  // math that does not fit: typeset wider than the nearest box that clips it or scrolls it (a
  // reader sees "exp(-[(mu-1" and no hint that the rest scrolls); compare the typeset box, not
  // scrollWidth: the hidden assistive MathML is wider than the glyphs. Unrendered math (a closed
  // hint) has no width.
  const clipped = [];
  for (const math of document.querySelectorAll('mjx-container mjx-math')) {
    const width = math.getBoundingClientRect().width;
    if (width === 0) continue;
    for (let a = math.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX === 'visible') continue;
      const shown = a.getBoundingClientRect().width;
      if (shown + 1 < width) {
        clipped.push(describe(math.closest('mjx-container')) + ` (${Math.round(width)} px wide, ${Math.round(shown)} px shown)`);
      }
      break;
    }
  }
  // punctuation that opens a line of its own after inline maths (a lone ":", ", gives")
  const stranded = [];
  for (const math of document.querySelectorAll('span.math')) {
    const text = math.nextSibling, shown = math.querySelector('mjx-container');
    if (!shown || !text || text.nodeType !== Node.TEXT_NODE) continue;
    const m = text.textContent.match(/^\u2060?[.,:;?!)]/);
    if (!m) continue;
    const range = document.createRange();
    range.setStart(text, m[0].length - 1);
    range.setEnd(text, m[0].length);
    const mark = range.getBoundingClientRect(), before = shown.getBoundingClientRect();
    if (mark.height > 0 && mark.top >= before.bottom - 1)
      stranded.push(describe(math.parentElement) + ` ("${m[0].slice(-1)}" after ${math.textContent.slice(0, 30)})`);
  }
  // code wider than its box: a line of a code cell (its input, or what it printed) cut at the right
  const cutCode = [];
  for (const pre of document.querySelectorAll('div.cell pre')) {
    if (pre.clientWidth > 0 && pre.scrollWidth > pre.clientWidth + 1)
      cutCode.push(describe(pre) + ` (${pre.scrollWidth} px wide, ${pre.clientWidth} px shown)`);
  }
  return {width, scrollWidth, scrollX, clipped, stranded, cutCode,
          wide: wide.slice(0, 6).map(e => describe(e) + ' right=' + Math.round(e.getBoundingClientRect().right))};
}
"""

_FIGURES_JS = r"""
() => Array.from(document.querySelectorAll('article img'))
  .filter(img => (img.getAttribute('src') || '').includes('_images/'))
  .map(img => ({src: img.getAttribute('src'), shown: img.getBoundingClientRect().width,
                column: img.closest('article').getBoundingClientRect().width}))
"""

_FAVICON_JS = r"""
async () => {
  const out = [];
  for (const link of document.querySelectorAll('link[rel~="icon"]')) {
    const r = await fetch(link.href);
    out.push({href: link.href, status: r.status, type: r.headers.get('content-type')});
  }
  return out;
}
"""

_AXE_JS = r"""
async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
                                 nodes: v.nodes.slice(0, 4).map(n => n.target.join(' '))}));
}
"""


def _open(page, visit: Visit):
    """Open visit.url in `page`, recording errors and requests into visit."""
    collect_errors(page, visit.errors)
    page.on("request", lambda r: visit.requests.append(r.url))
    page.on("requestfailed", lambda r: visit.failed_requests.append(f"{r.url} ({r.failure})"))
    page.on(
        "response", lambda r: r.status >= 400 and visit.failed_requests.append(f"{r.url} (HTTP {r.status})")
    )
    page.goto(visit.url, wait_until="load")
    return page


def _doc_url(origin: str, doc: str) -> str:
    return f"{origin}/{quote(doc)}.html"


@pytest.fixture(scope="session")
def pages(html_dir):
    """The pages to check: every page of _toc.yml that the build has."""
    built = [d for d in DOCS if (html_dir / f"{d}.html").is_file()]
    assert built, f"none of the pages of _toc.yml is in {html_dir}"
    return built


@pytest.fixture(scope="session")
def visits(browser, browser_context_args, site, pages):
    """Open every page once and record what it did: at desktop size (1280 x 900) the errors,
    requests, math, images, links, axe-core and the equations' widths; then loaded at phone size
    (390 x 844), the page width and the equations' widths again."""
    if not AXE_JS.is_file():
        pytest.fail(f"no axe-core at {AXE_JS}: run `make setup` (npm ci, package.json)")
    shots = os.environ.get("COURSE_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
    context = keep_on_site(browser.new_context(**browser_context_args), site)  # desktop size
    out = {}
    for doc in pages:
        visit = Visit(doc, _doc_url(site, doc))
        page = _open(context.new_page(), visit)
        visit.math = page.evaluate(_MATH_JS)
        visit.images = page.evaluate(_IMAGES_JS)
        dom = page.evaluate(_DOM_JS)
        visit.favicons = page.evaluate(_FAVICON_JS)
        visit.links, visit.ids, visit.text = dom["links"], set(dom["ids"]), dom["text"]
        inject_axe(page)  # no request, and past the page's Content-Security-Policy
        visit.axe = page.evaluate(_AXE_JS)
        page.wait_for_load_state("networkidle")
        if shots:
            page.screenshot(path=str(Path(shots) / f"{doc.replace('/', '_')}-desktop.png"))
        visit.desktop_overflow = page.evaluate(_OVERFLOW_JS)
        # The same page as a phone loads it.
        page.set_viewport_size(PHONE)
        page.reload(wait_until="load")
        visit.overflow = page.evaluate(_OVERFLOW_JS)
        visit.figures = page.evaluate(_FIGURES_JS)
        if shots:
            page.screenshot(path=str(Path(shots) / f"{doc.replace('/', '_')}-phone.png"))
        page.close()
        out[doc] = visit
    context.close()
    return out


def _fail_listing(title: str, problems: dict):
    lines = [title]
    for where, items in problems.items():
        lines.append(f"  {where}:")
        lines += [f"    - {item}" for item in items[:12]]
        if len(items) > 12:
            lines.append(f"    ... and {len(items) - 12} more")
    pytest.fail("\n".join(lines), pytrace=False)


# --------------------------------------------------------------------------------------------------
# A summary at the end of the run: pages, equations, axe counts, external requests


class _Summary:
    def __init__(self):
        self.lines = []

    def pytest_terminal_summary(self, terminalreporter):
        if self.lines:
            terminalreporter.section("browser")
            for line in self.lines:
                terminalreporter.write_line(line)


@pytest.fixture(scope="session", autouse=True)
def _summary(request):
    summary = _Summary()
    request.config.pluginmanager.register(summary, "course-browser-summary")
    t0 = time.perf_counter()
    yield summary
    summary.lines.append(f"browser tests: {time.perf_counter() - t0:.1f} s")


# --------------------------------------------------------------------------------------------------
# The tests


def test_every_page_of_the_toc_is_built(html_dir, pages):
    missing = [d for d in DOCS if d not in pages]
    assert not missing, f"pages listed in _toc.yml but not built in {html_dir}: {missing}"


def test_every_equation_is_typeset_when_built(visits, _summary):
    problems = {}
    for v in visits.values():
        m, items = v.math, []
        items += [
            f"a MathJax script on the page (the build typesets the maths): {s}" for s in m["mathjaxScripts"]
        ]
        items += [f"MathJax's font did not load: {f}" for f in m["fonts"]]
        items += [f"MathJax error (mjx-merror) in: {t}" for t in m["merrors"]]
        items += [f"undefined macro (drawn in red) in: {t}" for t in m["red"]]
        items += [f"math left untypeset: {t}" for t in m["untypeset"]]
        items += [f"TeX left in the text: ...{t}..." for t in m["leftover"]]
        if items:
            problems[v.doc] = items
    typeset = sum(v.math["typeset"] for v in visits.values())
    _summary.lines.append(
        f"pages checked: {len(visits)} ({', '.join(visits)}); equations typeset: {typeset} "
        "(" + ", ".join(f"{v.doc}: {v.math['typeset']}" for v in visits.values()) + ")"
    )
    if problems:
        _fail_listing("the pages' maths is not typeset cleanly:", problems)
    assert typeset > 0, "no page has any typeset equation: is course_build.ext.built_maths in _config.yml?"


def test_no_console_errors_or_page_errors(visits):
    problems = {}
    for v in visits.values():
        if v.errors:
            problems.setdefault(v.url, []).extend(v.errors)
    if problems:
        _fail_listing("the browser reported errors:", problems)


def test_no_failed_requests(visits, server_log):
    problems = {v.url: sorted(set(v.failed_requests)) for v in visits.values() if v.failed_requests}
    assert server_log, "the server recorded no request: its log does not work"
    # what the server answered with an error, whoever asked (the browser's favicon request too)
    errors = sorted({f"{path} (HTTP {status})" for path, status in server_log if status >= 400})
    if errors:
        problems["the server answered"] = errors
    if problems:
        _fail_listing("requests failed (HTTP status >= 400, or not served):", problems)


def test_every_page_declares_a_favicon_that_loads(visits):
    problems = {}
    for v in visits.values():
        icons = v.favicons
        if not icons:
            problems[v.doc] = ["no <link rel=icon>: the browser asks for /favicon.ico"]
        elif any(i["status"] != 200 or not (i["type"] or "").startswith("image/") for i in icons):
            problems[v.doc] = [f"{i['href']}: HTTP {i['status']}, {i['type']}" for i in icons]
    if problems:
        _fail_listing("favicons missing or not served:", problems)


def test_no_request_leaves_the_site(visits, site, _summary):
    requests = [r for v in visits.values() for r in v.requests]
    external = {v.url: sorted({r for r in v.requests if not _is_local(r, site)}) for v in visits.values()}
    external = {k: v for k, v in external.items() if v}
    n_external = sum(len(v) for v in external.values())
    _summary.lines.append(f"requests: {len(requests)} to {site}, {n_external} to other hosts")
    assert requests, "no request was recorded at all: the request log does not work"
    if external:
        _fail_listing("pages requested other hosts (the site must be self-contained):", external)


def test_images_load_and_have_alt_text(visits):
    problems = {}
    for v in visits.values():
        items = []
        for img in v.images:
            if img["width"] == 0:
                items.append(f"not loaded: {img['src']}")
            alt = (img["alt"] or "").strip()
            name = Path(urlsplit(img["src"] or "").path).name
            if not alt:
                items.append(f"no alt text: {img['src']}")
            elif name and (alt == img["src"] or Path(alt).name == name):
                items.append(f"alt text is only the file name: {img['src']}")
        if items:
            problems[v.doc] = items
    if problems:
        _fail_listing("images that did not load or have no alt text:", problems)


class _IdParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key == "id" or (tag == "a" and key == "name"):
                self.ids.add(value)


@functools.cache
def _static_ids(path: Path) -> frozenset:
    parser = _IdParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return frozenset(parser.ids)


def test_internal_links_and_anchors_resolve(visits, site, html_dir):
    by_path = {urlsplit(v.url).path: v for v in visits.values()}
    problems, checked = {}, 0
    for v in visits.values():
        items = []
        for href in sorted(set(v.links)):
            parts = urlsplit(href)
            if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" != site:
                continue  # mailto:, javascript:, and links to other sites (Binder, the repository)
            checked += 1
            path = unquote(parts.path)
            target = html_dir / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
            if not target.is_file():
                items.append(f"broken link: {href}")
                continue
            anchor = unquote(parts.fragment)
            if anchor and target.suffix == ".html":
                ids = by_path[parts.path].ids if parts.path in by_path else _static_ids(target)
                if anchor not in ids:
                    items.append(f"missing anchor #{anchor} in {path}")
        if items:
            problems[v.doc] = items
    assert checked, "no internal link was found: the link check checks nothing"
    if problems:
        _fail_listing("internal links or anchors that do not resolve:", problems)


@pytest.mark.parametrize("query", list(SEARCHES))
def test_search_finds_the_chapters(query, page, site, visits):
    words = [w for w in re.split(r"\W+", query.lower()) if w]
    expected = {d for d in SEARCHES[query] if d in visits}
    expected |= {
        d
        for d, v in visits.items()
        if all(re.search(rf"(?<!\w){re.escape(w)}s?(?!\w)", v.text.lower()) for w in words)
    }
    assert expected, f"no page of the site mentions {query!r}, so the search cannot be tested"
    visit = Visit("search", f"{site}/search.html?q={quote(query)}")
    _open(page, visit)
    page.wait_for_function(
        "() => { const s = document.querySelector('#search-results .search-summary');"
        " return s && s.textContent.trim().length > 0; }"
    )
    hrefs = page.eval_on_selector_all("#search-results ul.search li a", "as => as.map(a => a.href)")
    summary = page.inner_text("#search-results .search-summary")
    found = {unquote(urlsplit(h).path).lstrip("/").removesuffix(".html") for h in hrefs}
    missing = sorted(expected - found)
    assert not missing, (
        f"search for {query!r} ({summary!r}) does not find {missing}; it found {sorted(found)}"
    )
    external = [r for r in visit.requests if not _is_local(r, site)]
    problems = visit.errors + visit.failed_requests + external
    assert not problems, f"the search page reported errors or left the site: {problems}"


# The maths' TeX source, which a search snippet must not show
TEX_SOURCE = re.compile(r"\\[()\[\]]|\\(?:theta|mu|sigma|frac|log|sum|hat|mathrm|operatorname|lvert)\b")


@pytest.mark.parametrize("query", ["cross-entropy", "likelihood"])
def test_search_snippets_read_as_the_page_does(query, page, site):
    """A reader searching sees each result's context as the page shows it: "θ − y", not
    "\\(\\theta - y\\)", and "cross-entropy The mean", not "cross-entropyThe mean"."""
    page.goto(f"{site}/search.html?q={quote(query)}")
    page.locator("#search-results .search-summary").filter(has_text="found").wait_for()
    snippets = page.locator("#search-results ul.search li p.context")
    results = page.locator("#search-results ul.search li").count()
    snippets.nth(min(5, results) - 1).wait_for()  # they arrive one page fetch at a time
    texts = [t for t in snippets.all_inner_texts() if t.strip()]
    tex = [t for t in texts if TEX_SOURCE.search(t)]
    assert not tex, f"snippets that show TeX: {tex[:3]}"
    # the typeset maths' own text: its glyphs (mathematical italic), then its MathML's, "𝐾K"
    glyphs = [t for t in texts if re.search("[\U0001d400-\U0001d7ff]", t)]
    assert not glyphs, f"snippets that show the typeset maths' glyphs: {glyphs[:3]}"
    glued = [t for t in texts if re.search(r"[a-z][A-Z][a-z]+ (?:negative|mean|probability|log)", t)]
    assert not glued, f"a glossary term runs into its definition: {glued[:3]}"
    assert any(s in " ".join(texts) for s in "θσμ"), "no snippet shows maths as text"


def test_no_page_scrolls_sideways_on_a_phone(visits):
    problems = {}
    for v in visits.values():
        o = v.overflow
        items = []
        if o["scrollWidth"] > o["width"] or o["scrollX"] > 0:
            items = [
                f"page is {o['scrollWidth']} px wide in a {o['width']} px viewport "
                f"(scrolls {o['scrollX']} px sideways); too wide:"
            ] + o["wide"]
        items += [f"equation cut off: {c}" for c in o["clipped"]]
        if items:
            problems[v.doc] = items
    if problems:
        _fail_listing(
            f"at {PHONE['width']} x {PHONE['height']}, pages that scroll sideways or cut equations off:",
            problems,
        )


def _at_both_widths(visits, measure: str) -> dict:
    """What `_OVERFLOW_JS` found as `measure` on each page, at 1280 and at 390 px, where it found any."""
    return {
        f"{v.doc} at {width}": measured[measure]
        for v in visits.values()
        for width, measured in (("1280 px", v.desktop_overflow), ("390 px", v.overflow))
        if measured[measure]
    }


def test_no_punctuation_opens_a_line_after_inline_maths(visits):
    """At 1280 and at 390 px: a ":" or ", gives" after an inline equation stays on its line."""
    stranded = _at_both_widths(visits, "stranded")
    if stranded:
        _fail_listing("punctuation on a line of its own after inline maths:", stranded)


def test_every_equation_fits_its_box_on_a_desktop(visits):
    """At 1280 px no equation is typeset wider than the box that shows it (the theme's boxes scroll
    or clip, with no hint that more is there): a long one breaks across lines."""
    problems = {
        v.doc: v.desktop_overflow["clipped"] for v in visits.values() if v.desktop_overflow["clipped"]
    }
    if problems:
        _fail_listing("at 1280 px, equations wider than their box:", problems)


def test_no_code_line_is_cut_at_the_right(visits):
    """At 1280 and at 390 px a long line of a code cell, or of what it printed, wraps: none is cut
    at the right of its box (a scroll bar under a block of code is easy to miss)."""
    cut = _at_both_widths(visits, "cutCode")
    if cut:
        _fail_listing("code cut at the right of its box:", cut)


def test_axe_no_critical_or_serious_violations(visits, _summary):
    checked = [v for v in visits.values() if v.axe is not None]
    assert checked, "axe-core ran on no page"
    rules, nodes = Counter(), Counter()
    problems = {}
    for v in checked:
        for viol in v.axe:
            rules[viol["impact"]] += 1
            nodes[viol["impact"]] += viol["count"]
            if viol["impact"] in ("critical", "serious"):
                problems.setdefault(v.doc, []).append(
                    f"{viol['impact']}: {viol['id']} ({viol['help']}), {viol['count']} elements, "
                    f"e.g. {viol['nodes']}"
                )
    rest = Counter()  # (impact, rule) -> [pages, elements]
    for v in checked:
        for x in v.axe:
            if x["impact"] not in ("critical", "serious"):
                rest[(x["impact"], x["id"], "pages")] += 1
                rest[(x["impact"], x["id"], "elements")] += x["count"]
    counts = ", ".join(
        f"{imp} {rules[imp]} ({nodes[imp]} elements)" for imp in ("critical", "serious", "moderate", "minor")
    )
    _summary.lines.append(f"axe-core violations on {len(checked)} pages, by impact: {counts}")
    _summary.lines += [
        f"  {imp} {rule}: {n} elements on {rest[(imp, rule, 'pages')]} pages"
        for (imp, rule, kind), n in sorted(rest.items())
        if kind == "elements"
    ]
    if problems:
        _fail_listing("axe-core found critical or serious accessibility violations:", problems)


# --------------------------------------------------------------------------------------------------
# Legibility of the figures on a phone, and the header and sidebar at desktop size

MIN_FIGURE_TEXT_PX = 9  # the smallest text of a figure on a 390 px phone, in CSS px


def _width_pt(path: Path) -> float:
    """A figure's width in points: an SVG's as its root gives it, a PNG's from its pixels and the
    resolution it declares (its pHYs chunk, which matplotlib writes)."""
    data = path.read_bytes()
    if path.suffix == ".svg":
        root = re.search(rb"<svg\b[^>]*>", data).group(0)
        width = re.search(rb'\swidth="([\d.]+)pt"', root)
        assert width, f"{path}: its width is not in points: {root[:200]}"
        return float(width.group(1))
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is neither an SVG nor a PNG"
    pixels = struct.unpack(">I", data[16:20])[0]
    position = 8
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        if kind == b"pHYs":
            per_unit_x, _, unit = struct.unpack(">IIB", data[position + 8 : position + 17])
            assert unit == 1, f"{path}: pHYs is not in pixels per metre"
            return pixels / (per_unit_x * 0.0254) * 72
        position += 12 + length
    raise AssertionError(f"{path} declares no resolution (no pHYs chunk)")


def _smallest_figure_font_pt() -> float:
    """The smallest text the course's figures draw: CourseFigure raises every text below
    style.MIN_FONT_PT to it (tests/test_figure_legibility.py checks that it does, and that every
    figure is a CourseFigure); the style's own sizes are larger still."""
    from likelihood_course import style

    return float(style.MIN_FONT_PT)


def test_figure_text_is_legible_on_a_phone(visits, html_dir, _summary):
    """Each figure's smallest text, in CSS px at 390 px: its size in points over the figure's width
    in points, times the width the figure is shown at."""
    smallest_pt = _smallest_figure_font_pt()
    problems, sizes = {}, []
    for v in visits.values():
        for fig in v.figures:
            if fig["shown"] == 0:
                continue  # not displayed (an explorer's static figure; the other theme's twin)
            width_pt = _width_pt((html_dir / v.doc).parent / unquote(fig["src"]))
            px = smallest_pt / width_pt * fig["shown"]
            sizes.append(px)
            if px < MIN_FIGURE_TEXT_PX:
                problems.setdefault(v.doc, []).append(
                    f"{fig['src']}: {width_pt:.0f} pt wide, shown {fig['shown']:.0f} px wide: "
                    f"{smallest_pt:g} pt text at {px:.1f} CSS px"
                )
    assert sizes, "no figure was measured at phone size"
    _summary.lines.append(
        f"figures at {PHONE['width']} px: {len(sizes)}, smallest text "
        f"{min(sizes):.1f} CSS px, median {sorted(sizes)[len(sizes) // 2]:.1f}"
    )
    if problems:
        _fail_listing(
            f"figure text smaller than {MIN_FIGURE_TEXT_PX} CSS px on a {PHONE['width']} px phone:", problems
        )


_HEADER_JS = r"""
(title) => {
  const visible = e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const norm = t => t.replace(/\s+/g, ' ').trim().toLowerCase();
  const search = Array.from(document.querySelectorAll(
      'button.search-button__button, .search-button-field, form.bd-search, input[type="search"]'))
    .filter(e => !e.closest('.search-button__wrapper')) // the dialog the button opens, closed
    .filter(visible).map(e => e.outerHTML.slice(0, 100));
  const sidebar = document.querySelector('.bd-sidebar-primary');
  const titles = sidebar ? Array.from(sidebar.querySelectorAll('a, p, span'))
    .filter(visible).filter(e => norm(e.textContent) === norm(title)
            && !Array.from(e.children).some(c => norm(c.textContent) === norm(title)))
    .map(e => e.outerHTML.slice(0, 120)) : null;
  return {search, titles};
}
"""


@pytest.mark.parametrize("doc", ["book/intro", "book/02_likelihood"])
def test_one_search_control_and_the_title_once_at_desktop(doc, page, site, pages):

    if doc not in pages:
        pytest.skip(f"{doc} is not built")
    title = CONFIG["title"]
    _open(page, Visit(doc, _doc_url(site, doc)))
    found = page.evaluate(_HEADER_JS, title)
    assert found["titles"] is not None, "no primary sidebar at desktop width"
    assert len(found["search"]) == 1, f"{len(found['search'])} visible search controls: {found['search']}"
    assert len(found["titles"]) == 1, (
        f"the title {title!r} shows {len(found['titles'])} times in the sidebar: {found['titles']}"
    )
