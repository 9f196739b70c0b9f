"""The mathematics typeset when the site is built (code/course_build/ext/built_maths.py).

- units: Sphinx's markup becomes MathJax's CommonHTML with its assistive MathML (the MathML is
  checked against the TeX's structure), the equation number stays, the page's stylesheet names the
  site's own fonts, a page typeset once holds nothing to typeset again, and TeX errors and undefined
  macros are reported with their page;
- a long display equation gets a version for each range of viewport widths, the ranges tile the
  line without overlap, and a short one stays a single container;
- in chromium, on the chapters with the most broken equations, from a desktop to a 320 px phone
  (each side of the theme's breakpoints): each display equation shows exactly one version, and
  none is wider than the box that shows it, in the column or in an exercise's box.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import keep_on_site
from course_build.book import ROOT
from course_build.ext import built_maths

PAGE = """<!DOCTYPE html><html><head><title>t</title></head><body>
<p>Inline <span class="math notranslate nohighlight">\\(\\frac{a}{b} &lt; 1\\)</span>.</p>
<div class="math notranslate nohighlight" id="equation-eq-one">
<span class="eqno">(1.1)<a class="headerlink" href="#equation-eq-one" title="Link to this equation">#</a></span>\\[{body}\\]</div>
</body></html>"""
SHORT = "\\sqrt{x}"
LONG = " + ".join(f"\\frac{{a_{{{i}}}}}{{b_{{{i}}}}}" for i in range(24))


def _typeset(tmp_path: Path, body: str = SHORT) -> tuple[str, list[str]]:
    page = tmp_path / "book" / "ch.html"
    page.parent.mkdir(parents=True)
    pages, problems = built_maths.typeset({page: PAGE.replace("{body}", body)}, tmp_path)
    return pages[page], problems


def test_equations_become_commonhtml_with_their_mathml(tmp_path):
    out, problems = _typeset(tmp_path)
    assert problems == []
    assert "\\(" not in out and "\\[" not in out and not built_maths.MATH.search(out)
    maths = re.findall(r"<math\b.*?</math>", out, re.S)
    assert len(maths) == 2
    # the assistive MathML has the TeX's structure: a fraction, "<" (unescaped once, escaped in HTML)
    assert re.search(r"<mfrac>\s*<mi>a</mi>\s*<mi>b</mi>\s*</mfrac>", maths[0])
    assert "<mo>&lt;</mo>" in maths[0] and "<mn>1</mn>" in maths[0]
    assert "<msqrt>" in maths[1] and 'display="block"' in maths[1]
    # the TeX stays on each equation's <math> only
    assert re.findall(r'data-latex="([^"]*)"', out) == ["\\frac{a}{b} < 1", "\\sqrt{x}"]
    assert '<span class="eqno">(1.1)<a class="headerlink" href="#equation-eq-one"' in out
    assert out.count('<mjx-container class="MathJax"') == 2
    # the page's own stylesheet, naming fonts that the site serves
    style = re.search(r'<style id="lc-maths">(.*?)</style>\n</head>', out, re.S).group(1)
    fonts = re.findall(r'url\("([^"]+\.woff2)"\)', style)
    assert fonts and all(f.startswith("../_static/mathjax/woff2/") for f in fonts)
    vendored = ROOT / "_vendor" / "mathjax" / "woff2"
    assert all((vendored / Path(f).name).is_file() for f in fonts), "run `make setup`"
    assert "mjx-c1D44E" in style  # the glyph of italic a, which the page uses
    # the text shows at once, before MathJax's fonts arrive
    faces = re.findall(r"@font-face[^{]*\{[^}]*\}", style)
    assert faces and all("font-display: swap;" in face for face in faces)


def test_tex_errors_and_undefined_macros_are_reported_with_their_page(tmp_path):
    _, problems = _typeset(tmp_path, "\\frac{x + \\nosuchmacro")
    assert len(problems) == 1 and problems[0].startswith("book/ch.html: MathJax: ")
    assert "Missing close brace" in problems[0]
    _, problems = _typeset(tmp_path / "again", "x + \\nosuchmacro")
    assert problems == ["book/ch.html: MathJax: undefined macro \\nosuchmacro in 'x + \\\\nosuchmacro'"]


OTHER_MARKUP = """<!DOCTYPE html><html><head><title>t</title></head><body>
<p><span class="lc-term math notranslate nohighlight">\\(x\\)</span></p>
<div class="amsmath math notranslate nohighlight" id="equation-x">
\\begin{align}a &amp;= b\\\\ c &amp;= d\\end{align}</div>
{other}</body></html>"""


def test_an_amsmath_environment_and_a_nodes_own_classes_are_typeset_too(tmp_path):
    page = tmp_path / "ch.html"
    pages, problems = built_maths.typeset({page: OTHER_MARKUP.replace("{other}", "")}, tmp_path)
    assert problems == []
    out = pages[page]
    assert out.count("<mjx-container") == 2 and "\\begin" not in out.split("<math", 1)[0]
    assert '<span class="lc-term math notranslate nohighlight"><mjx-container' in out
    assert re.search(r"<mtable[^>]*>.*<mtd>.*<mi>a</mi>", out, re.S)  # the aligned rows
    # maths that this markup does not cover is reported, not left to reach the reader as TeX
    unknown = '<div class="output text_latex math notranslate nohighlight">$$y$$</div>\n'
    page.write_text(OTHER_MARKUP.replace("{other}", unknown))
    _, problems = built_maths.typeset({page: page.read_text()}, tmp_path)
    assert len(problems) == 1 and "maths left untypeset: '$$y$$" in problems[0]


def _ranges(display_html: str) -> list[tuple[int, float]]:
    ranges = []
    for classes in re.findall(r'<mjx-container class="MathJax([^"]*)"[^>]*display="true"', display_html):
        low = re.search(r"lc-from-(\d+)", classes)
        high = re.search(r"lc-below-(\d+)", classes)
        ranges.append((int(low.group(1)) if low else 0, int(high.group(1)) if high else float("inf")))
    return ranges


def test_a_long_display_equation_has_a_version_for_each_range_of_widths(tmp_path):
    out, problems = _typeset(tmp_path, LONG)
    assert problems == []
    ranges = sorted(_ranges(out))
    assert len(ranges) >= 3, ranges  # 24 fractions break differently on a phone, a tablet, a desktop
    assert ranges[0][0] == 0 and ranges[-1][1] == float("inf")
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:])), ranges  # tiled, no gap, no overlap
    assert {low for low, _ in ranges} <= {0, *built_maths.WIDTHS}
    # the narrowest version has the most lines
    lines = [v.count("<mjx-linebox") for v in re.findall(r"<mjx-container.*?</mjx-container>", out, re.S)[1:]]
    assert lines[-1] > lines[0] >= 1
    short, _ = _typeset(tmp_path / "short")
    assert _ranges(short) == [(0, float("inf"))] and 'class="MathJax lc-' not in short


# --------------------------------------------------------------------------------------------------
# In chromium: one version of each display equation at every width, and none cut

_DISPLAY_JS = r"""
() => {
  const out = {shown: [], clipped: []};
  for (const div of document.querySelectorAll('div.math')) {
    const shown = Array.from(div.querySelectorAll(':scope > mjx-container'))
      .filter(c => getComputedStyle(c).display !== 'none');
    if (shown.length !== 1) out.shown.push(`${div.id || div.textContent.slice(0, 40)}: ${shown.length} shown`);
    const s = getComputedStyle(div);
    const box = div.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    for (const c of shown) {
      const width = c.querySelector('mjx-math').getBoundingClientRect().width;
      if (width > box + 1) out.clipped.push(`${div.id}: ${Math.round(width)} px in ${Math.round(box)} px`);
    }
  }
  return out;
}
"""
# the theme's breakpoints (the sidebars come and go), each side of them, and phones down to 320 px
VIEWPORTS = (1280, 1200, 1199, 992, 991, 768, 576, 575, 390, 360, 320)


@pytest.mark.parametrize("doc", ["book/05_classifiers", "book/08_estimates", "book/10_map"])
def test_every_screen_shows_one_version_of_each_equation_and_none_is_cut(browser, site, html_dir, doc):
    assert "lc-below-" in (html_dir / f"{doc}.html").read_text(), f"{doc} has no broken equation"
    context = keep_on_site(browser.new_context(viewport={"width": VIEWPORTS[0], "height": 900}), site)
    page = context.new_page()
    page.goto(f"{site}/{doc}.html", wait_until="load")
    page.evaluate("document.fonts.ready")
    problems = {}
    for width in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": 900})
        found = page.evaluate(_DISPLAY_JS)
        if found["shown"] or found["clipped"]:
            problems[width] = found["shown"][:4] + found["clipped"][:4]
    context.close()
    assert not problems, f"{doc}: {problems}"
