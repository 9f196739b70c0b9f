"""The mathematics typeset when the site is built, not in the reader's browser (issue 23, point 3).

MathJax 4 typesetting a page in a phone's browser cost about 1.4 s of blocked main thread and moved
the text as it went (Lighthouse's TBT and CLS). Here MathJax 4 runs once, in Node
(``typeset_maths.mjs``), over each page that the build wrote: every equation becomes MathJax's
CommonHTML with its assistive MathML (what a screen reader reads), each page gets a stylesheet with
the glyphs it uses, and no page loads a MathJax script. The fonts are MathJax's own woff2 files,
served by the site (``_vendor/mathjax/woff2``, copied from npm by ``make setup``).

The equations are written as Sphinx's MathJax renderer writes them (its visitors, under a renderer
of this extension's name, so that sphinx.ext.mathjax adds no script) and typeset when the build has
finished, so that an unchanged page is not typeset again.

A browser breaks a long inline equation where MathJax marks the breaks, at any width; a display
equation is broken for the width of its box. So each display equation is typeset for each of
``WIDTHS``, and where its lines differ the page holds each version, with classes that the page's
stylesheet shows by a container query on the box's width (div.math is a size container): the
right version in the column, in an exercise's narrower box, on any screen. A TeX error or an
undefined macro is a build warning (so a failed build) that names the page and the equation.

What a reader no longer has: MathJax's menu (zoom, "show maths as TeX") and its keyboard speech
explorer. A screen reader reads the assistive MathML, as the browser and the reader support MathML
(NVDA with MathCAT, JAWS, VoiceOver; TalkBack less well).
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import subprocess
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.ext import mathjax
from sphinx.util import logging

from course_build.book import ROOT
from course_build.upstream import written_for

LOGGER = logging.getLogger(__name__)

RENDERER = "built_mathjax"
SCRIPT = Path(__file__).with_name("typeset_maths.mjs")
MATHJAX = ROOT / "node_modules" / "mathjax"
FONT = ROOT / "node_modules" / "@mathjax" / "mathjax-newcm-font"
FONTS = "_static/mathjax/woff2"  # _vendor/mathjax/woff2 on the site (html_static_path)

# The widths of box (px) that a display equation is typeset for, widest first: the column at 1280 px
# less an equation number's gutter, down to a 320 px phone's. A version serves the boxes from its
# width to the next wider one's (the narrowest, every narrower box too).
WIDTHS = (720, 560, 420, 300)
# the size of the maths to the text's: what MathJax 4 measured in chromium (its matchFontHeight) as
# the ratio of the theme's body font's x-height to its own font's
SCALE = 1.273

# sphinx.ext.mathjax's markup (a node's own classes come first: amsmath's, a cell output's): an
# inline equation; a display equation with its number, if any, and its TeX in \[...\] or, for an
# amsmath environment (nowrap), as it is
_CLASS = r'class="(?:[^"]*\s)?math notranslate nohighlight[^"]*"'
MATH = re.compile(
    rf"(?P<span><span {_CLASS}>)\\\((?P<inline>.*?)\\\)</span>"
    rf'|(?P<div><div {_CLASS}[^>]*>\s*(?:<span class="eqno">.*?</span>)?)'
    r"(?:\\\[(?P<display>.*?)\\\]|(?P<environment>\\begin\{.*?))</div>",
    re.S,
)
# what holds maths that MATH did not find (it would reach the reader as TeX)
UNTYPESET = re.compile(rf'{_CLASS}[^>]*>(?>\s*(?:<span class="eqno">.*?</span>)?)(?!<mjx-container)', re.S)


def _items(page: str) -> list[dict]:
    """The equations of a page, in order."""
    return [
        {
            "tex": html.unescape(m["inline"] or m["display"] or m["environment"] or ""),
            "display": m["inline"] is None,
        }
        for m in MATH.finditer(page)
    ]


def _variants(item: dict) -> str:
    """The typeset equation: one container, or one for each range of widths it is broken for."""
    variants = item["variants"]
    if len(variants) == 1:
        return variants[0]["html"]
    out = []
    for v in variants:
        classes = f"lc-from-{v['from']}" + (f" lc-below-{v['below']}" if v["below"] else "")
        out.append(
            v["html"].replace(
                '<mjx-container class="MathJax"', f'<mjx-container class="MathJax {classes}"', 1
            )
        )
    return "".join(out)


def _substitute(page: str, typeset: list[dict]) -> str:
    results = iter(typeset)

    def replace(m: re.Match) -> str:
        if m["span"] is not None:
            return f"{m['span']}{_variants(next(results))}</span>"
        return f"{m['div']}{_variants(next(results))}</div>"

    return MATH.sub(replace, page)


def variant_css() -> str:
    """Each version of a display equation shown in boxes of its own range of widths (div.math is a
    size container: _assets/course.css); !important over MathJax's own display of a container."""
    rules = []
    for width in WIDTHS[:-1]:
        hide = "{ display: none !important }"
        rules.append(f"@container (width < {width}px) {{ div.math > mjx-container.lc-from-{width} {hide} }}")
        rules.append(
            f"@container (width >= {width}px) {{ div.math > mjx-container.lc-below-{width} {hide} }}"
        )
    return "\n".join(rules)


def typeset(pages: dict[Path, str], outdir: Path) -> tuple[dict[Path, str], list[str]]:
    """`pages` (path: HTML) with their mathematics typeset, in one run of MathJax; and the problems
    found (a TeX error, an undefined macro, maths that was not found), each naming its page."""
    if not (MATHJAX / "node-main.mjs").is_file():
        raise ExtensionError(f"no MathJax at {MATHJAX}: run `make setup` (npm ci, package.json)")
    items = {path: _items(text) for path, text in pages.items()}
    request = {
        "mathjax": str(MATHJAX),
        "scale": SCALE,
        "widths": WIDTHS,
        "pages": [
            {"fonts": Path(os.path.relpath(outdir / FONTS, path.parent)).as_posix(), "items": items[path]}
            for path in pages
        ],
    }
    run = subprocess.run(["node", str(SCRIPT)], input=json.dumps(request), capture_output=True, text=True)
    if run.returncode != 0:
        raise ExtensionError(
            f"MathJax could not typeset the pages (node {SCRIPT.name}):\n{run.stderr[-4000:]}"
        )
    out, problems, variants = {}, [], variant_css()
    for (path, text), result in zip(pages.items(), json.loads(run.stdout)["pages"], strict=True):
        where = path.relative_to(outdir).as_posix()
        for item, typeset_item in zip(items[path], result["items"], strict=True):
            if typeset_item["error"]:
                problems.append(f"{where}: MathJax: {typeset_item['error']} in {item['tex']!r}")
        updated = _substitute(text, result["items"])
        style = f'<style id="lc-maths">\n{result["css"]}\n{variants}\n</style>\n'
        updated = updated.replace("</head>", style + "</head>", 1)
        for left in UNTYPESET.finditer(updated):
            problems.append(f"{where}: maths left untypeset: {updated[left.end() : left.end() + 80]!r}")
        out[path] = updated
    return out, problems


def _typeset_written_pages(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    pages = {}
    for path in outdir.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if UNTYPESET.search(text):  # written by this build: a page typeset before holds no TeX
            pages[path] = text
    if not pages:
        return
    typeset_pages, problems = typeset(pages, outdir)
    for path, text in typeset_pages.items():
        path.write_text(text, encoding="utf-8")
    for problem in problems:
        LOGGER.warning(problem, type="maths")


def typesetting_key() -> str:
    """What the typeset pages depend on besides their equations: a page typeset with another key is
    written and typeset again (a config value of the html builder, which compares it)."""
    versions = [
        json.loads((package / "package.json").read_text())["version"] if package.is_dir() else "none"
        for package in (MATHJAX, FONT)  # the font's metrics make the glyphs' stylesheet
    ]
    parts = [*versions, repr((WIDTHS, SCALE)), SCRIPT.read_text(encoding="utf-8")]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _choose_renderer(app: Sphinx, config) -> None:
    if config.html_math_renderer is None:
        config.html_math_renderer = RENDERER


def setup(app: Sphinx) -> dict:
    written_for(
        "sphinx", "7.4.7", "built_maths (sphinx.ext.mathjax's markup: span.math and div.math, \\( and \\[)"
    )
    app.setup_extension("sphinx.ext.mathjax")
    app.add_html_math_renderer(
        RENDERER, (mathjax.html_visit_math, None), (mathjax.html_visit_displaymath, None)
    )
    app.add_config_value("built_maths_key", typesetting_key(), "html", [str])
    app.connect("config-inited", _choose_renderer)
    app.connect("build-finished", _typeset_written_pages, priority=400)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
