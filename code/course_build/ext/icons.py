"""The theme's icons as inline SVG, written into the pages at build time, instead of Font Awesome's
JavaScript. pydata-sphinx-theme 0.17 loads `scripts/fontawesome.js` on every page (1.45 MB, about
540 KB gzipped, half a second of a phone's main thread) so that it can replace each
``<i class="fa-solid fa-bars">`` with an ``<svg>``, and its CSS then still fetches two icon fonts
(270 KB) before the script has done so. This does the script's work once, when the build has
finished: each icon element of every page becomes the SVG that the script would have made
(``svg-inline--fa``, the same classes and attributes, the path from the script's own icon table),
the script's tag goes, and static/icons.css carries the few rules of the script's stylesheet that
the SVGs need. An icon that the table does not have fails the build (a warning), rather than
vanish. tests/test_light_pages.py checks that no page loads the script and that every icon is drawn.
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path
from urllib.parse import quote

import pydata_sphinx_theme
from sphinx.application import Sphinx
from sphinx.util import logging

from course_build.ext import pages, static_files
from course_build.upstream import written_for

LOGGER = logging.getLogger(__name__)
FONTAWESOME_JS = (
    Path(pydata_sphinx_theme.__file__).parent / "theme/pydata_sphinx_theme/static/scripts/fontawesome.js"
)
# the theme's tag for the script (its webpack-macros.html, head_js_preload)
SCRIPT_TAG = re.compile(r'[ \t]*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>\n?')
# an empty <i> or <span> with a Font Awesome class: what fontawesome.js replaces
ICON = re.compile(
    r'<(?P<tag>i|span)\b(?P<attrs>[^>]*?\bclass="(?P<cls>(?:[^"]*\s)?fa[a-z]?(?:-[a-z0-9-]+)?(?:\s[^"]*)?)"[^>]*)>\s*</(?P=tag)>'
)
# Font Awesome 6's style classes and the icon pack each names; a bare icon class is a solid one
PACKS = {
    "fa-solid": "fas",
    "fas": "fas",
    "fa": "fas",
    "fa-regular": "far",
    "far": "far",
    "fa-brands": "fab",
    "fab": "fab",
}
# classes that only change the icon's size or layout, never name it
MODIFIERS = re.compile(
    r"fa-(?:\d?x|[0-9]?x?[sl]|2?xs|2xl|xl|lg|sm|fw|li|ul|border|pull-left|pull-right|spin|pulse|inverse|rotate-\d+|flip-[a-z]+)$"
)


@functools.cache
def icon_table() -> dict[str, dict[str, tuple[int, int, str]]]:
    """{pack: {name or alias: (width, height, path)}} from the theme's fontawesome.js: each pack's
    icons are an object literal `name:[width,height,[aliases],"unicode","path"]` that comes just
    before the call `d("fab",...)` that defines the pack."""
    text = FONTAWESOME_JS.read_text(encoding="utf-8")
    entry = re.compile(r'[,{]"?([a-z0-9-]+)"?:\[(\d+),(\d+),\[([^\]]*)\],"[0-9a-f]+","([^"]+)"\]')
    table, start = {}, 0
    for match in re.finditer(r'\bd\("(fa[srb])",', text):
        icons = table.setdefault(match.group(1), {})
        for name, width, height, aliases, path in entry.findall(text, start, match.start()):
            for alias in [name, *re.findall(r'"([a-z0-9-]+)"', aliases)]:
                icons.setdefault(alias, (int(width), int(height), path))
        start = match.end()
    return table


def svg_for(classes: list[str], attrs: str) -> str | None:
    """The SVG that fontawesome.js makes of an element with `classes` and its other `attrs`."""
    pack = next((PACKS[c] for c in classes if c in PACKS), "fas")
    names = [c[3:] for c in classes if c.startswith("fa-") and c not in PACKS and not MODIFIERS.match(c)]
    if len(names) != 1 or names[0] not in icon_table().get(pack, {}):
        return None
    name = names[0]
    width, height, path = icon_table()[pack][name]
    kept = [c for c in classes if c not in PACKS and c != f"fa-{name}"]
    return (
        f'<svg class="{" ".join(["svg-inline--fa", f"fa-{name}", *kept])}"{attrs} aria-hidden="true" '
        f'focusable="false" data-prefix="{pack}" data-icon="{name}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}">'
        f'<path fill="currentColor" d="{html.escape(path)}"></path></svg>'
    )


def inline_icons(page_html: str, where: str = "") -> str:
    """The page with its icon elements drawn as SVG and without fontawesome.js."""

    def replace(match: re.Match) -> str:
        attrs = re.sub(r'\s*\b(?:class|aria-hidden)="[^"]*"', "", match.group("attrs"))
        svg = svg_for(match.group("cls").split(), attrs.rstrip())
        if svg is None:
            LOGGER.warning(f"{where}: no icon for {match.group(0)!r} in fontawesome.js", type="icons")
            return match.group(0)
        return svg

    return ICON.sub(replace, SCRIPT_TAG.sub("", page_html))


# The icons that the themes' CSS (and sphinx-exercise's) draw as a glyph of the icon font (a 156 KB
# font fetched for three icons), the same icons as CSS masks in the text's colour:
# - the admonitions' titles; a title that its CSS gives no icon (content: none: the solutions, the
#   hidden cells) keeps none. {the theme's selector for that icon: Font Awesome's name of the icon}
ADMONITION = "div.admonition{}>.admonition-title::after"
ADMONITION_ICONS = {
    ADMONITION.format(""): "bell",
    **{ADMONITION.format(f".{kind}"): "circle-exclamation" for kind in ("attention", "important")},
    **{ADMONITION.format(f".{kind}"): "triangle-exclamation" for kind in ("caution", "danger", "warning")},
    ADMONITION.format(".error"): "circle-xmark",
    **{ADMONITION.format(f".{kind}"): "lightbulb" for kind in ("hint", "tip")},
    ADMONITION.format(".note"): "circle-info",
    ADMONITION.format(".seealso"): "share",
    ADMONITION.format(".todo"): "pencil",
    "div.exercise p.admonition-title::after": "pencil",
}
# - the others, drawn inline: the search's "hide matches" link, the collapsed page contents' arrow
INLINE_ICONS = {
    "div#searchbox p.highlight-link a::before": "magnifying-glass-minus",
    ".bd-sidebar-secondary.hide:not(:hover) .onthispage::after": "angle-down",
}
ICON_CSS = "icon-masks.css"


def _mask(name: str) -> str:
    width, height, path = icon_table()["fas"][name]
    svg = f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'><path d='{path}'/></svg>"
    return f'url("data:image/svg+xml,{quote(svg)}")'


def icon_css() -> str:
    rules = [
        "/* code/course_build/ext/icons.py: the themes' CSS icons as masks, not the icon font's glyphs */",
        ADMONITION.format("")
        + " { font: inherit; background-color: currentColor; mask: var(--lc-icon) center / contain no-repeat; }",
        *(
            f'{selector} {{ content: ""; --lc-icon: {_mask(name)}; }}'
            for selector, name in ADMONITION_ICONS.items()
        ),
        *(
            f'{selector} {{ content: ""; font: inherit; display: inline-block; width: 1em; height: 1em;'
            f" vertical-align: -0.125em; background-color: currentColor; mask: {_mask(name)} center / contain no-repeat; }}"
            for selector, name in INLINE_ICONS.items()
        ),
    ]
    return "\n".join(rules) + "\n"


# The theme's stylesheet carries Font Awesome's: the glyph of each of its 1,881 icons and its fonts,
# which no page uses once its icons are SVG and masks (20 KB of the 65 KB gzipped that every page
# waits for before it paints). Its other rules (sizes, .fa-fw, ...) stay: the SVGs use them.
FA_GLYPH_RULE = re.compile(r'(?:\.fa-[a-z0-9-]+:(?:before|after),?)+\{content:"[^"]*"\}')
FA_FONT_FACE = re.compile(r"@font-face\{[^}]*Font Awesome[^}]*\}")
THEME_CSS = Path("_static") / "styles" / "pydata-sphinx-theme.css"


def without_icon_font(css: str) -> str:
    return FA_FONT_FACE.sub("", FA_GLYPH_RULE.sub("", css))


def _write_icons(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    pages.rewrite(app.outdir, lambda text, page: inline_icons(text, str(page.relative_to(app.outdir))))
    (Path(app.outdir) / "_static" / ICON_CSS).write_text(icon_css(), encoding="utf-8")
    theme_css = Path(app.outdir) / THEME_CSS
    css = theme_css.read_text(encoding="utf-8")
    if FA_GLYPH_RULE.search(css):  # Sphinx copied the theme's stylesheet again
        theme_css.write_text(without_icon_font(css), encoding="utf-8")


def setup(app: Sphinx) -> dict:
    written_for("pydata-sphinx-theme", "0.17.1", "icons (its fontawesome.js: the script tag, the icon table)")
    # after course_pdf's pass (500), which writes an icon into the download menu
    app.connect("build-finished", _write_icons, priority=700)
    static_files.serve(app, "icons.css")
    app.add_css_file(ICON_CSS)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
