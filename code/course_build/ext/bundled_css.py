"""A page's stylesheets as one file (issue 23, point 3). Sphinx, the theme and the extensions link
16 stylesheets in a chapter's head, each of which holds up the first paint: on a phone's slow
connection each costs a request, and six at most go at once. Once the build has finished, the
stylesheets that a page links from the site's _static/ become one file, `_static/bundles/<hash>.css`,
in the same order, so that the cascade is the same: an `@import` is put in its place, each `url()`
is rewritten for the bundle's folder, `@charset` and source-map comments are dropped, and so are the
rules that can match nothing on the site (unused_css.py: most of Bootstrap's).

The bundle's name is the hash of all it is made from (its parts' text, the names on the site, the
code that prunes it), so that a browser never keeps an old one, and a bundle that is there already
is not made again. The link keeps the names of what it holds (`data-parts`), so that every build
makes the bundles again from the files as they are then: a page that Sphinx does not write again
(its source did not change) still gets a stylesheet that changed. Bundles that no page links any
more are removed.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path

from course_build.ext import pages, unused_css
from course_build.ext.unused_css import SiteNames, pruned

STYLESHEET = re.compile(r'[ \t]*<link (?=[^>]*\brel="stylesheet")(?P<attrs>[^>]*)>\n?')
HREF = re.compile(r'\bhref="(?P<href>[^"]+)"')
BUNDLE = re.compile(
    r'[ \t]*<link rel="stylesheet" href="(?P<href>[^"]+)" data-parts="(?P<parts>[^"]+)" />\n?'
)
IMPORT = re.compile(r"""@import\s+(?:url\()?["']?(?P<url>[^"')\s;]+)["']?\)?\s*;""")
URL = re.compile(r"""url\(\s*(?P<quote>["']?)(?P<url>[^"')]+)(?P=quote)\s*\)""")
CHARSET = re.compile(r'@charset\s+"[^"]*";\s*')
SOURCE_MAP = re.compile(r"/\*[#@] sourceMappingURL=[^*]*\*/")
FOLDER = "_static/bundles"


def _outside(url: str) -> bool:
    """A URL that is not a file of the site relative to the stylesheet: data:, another host, the root."""
    return bool(re.match(r"[a-z][a-z0-9+.-]*:|/|#", url, re.I))


def inlined(css_path: str, read, folder: str = FOLDER) -> str:
    """The stylesheet at `css_path` (relative to the site's root, posix) with its `@import`s put in
    place and each relative `url()` made relative to `folder` (where the text will be served
    from): `read(path)` gives a file's text."""
    here = posixpath.dirname(css_path)
    text = SOURCE_MAP.sub("", CHARSET.sub("", read(css_path)))

    def rooted(url: str) -> str:
        path, _, tail = url.partition("?")
        return posixpath.normpath(posixpath.join(here, path)) + (f"?{tail}" if tail else "")

    def relative(match: re.Match) -> str:
        url = match.group("url")
        return match.group(0) if _outside(url) else f'url("{posixpath.relpath(rooted(url), folder)}")'

    pieces = IMPORT.split(text)  # [css, imported url, css, imported url, ..., css]
    out = []
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            out.append(URL.sub(relative, piece))
        elif _outside(piece):
            raise ValueError(f"{css_path}: @import of {piece}, which is not a file of the site")
        else:
            out.append(inlined(rooted(piece).split("?")[0], read, folder))
    return "".join(out)


def bundle_text(parts: list[str], read) -> str:
    """The stylesheets `parts` (paths relative to the site's root) as one, for the bundles' folder."""
    return "\n".join(f"/* {part} */\n{inlined(part, read)}" for part in parts)


def _site_path(attrs: str, page: Path, outdir: Path) -> str | None:
    """The path (relative to the site's root) of the stylesheet that a link with `attrs` on `page`
    names, if it is a file of the site's _static/ for every medium."""
    href = HREF.search(attrs)
    if not href or _outside(href.group("href")) or re.search(r'\bmedia="(?!all")', attrs):
        return None
    href = href.group("href")
    path = (page.parent / href.split("?")[0]).resolve()
    try:
        relative = path.relative_to(outdir.resolve()).as_posix()
    except ValueError:
        return None
    return relative if relative.startswith("_static/") and path.is_file() else None


def bundle_pages(outdir: Path) -> tuple[list[str], list[str]]:
    """Every page's stylesheets as one bundle (see the module's docstring): the bundles' names, and
    the pages left as they are because they link a stylesheet from elsewhere or for one medium only."""
    outdir = Path(outdir)
    made: dict[tuple[str, ...], str] = {}
    left: list[str] = []
    names = SiteNames.of_site(outdir)
    made_from = names.key() + Path(unused_css.__file__).read_text(encoding="utf-8")

    def read(path: str) -> str:
        return (outdir / path).read_text(encoding="utf-8")

    def name_of(parts: tuple[str, ...]) -> str:
        if parts not in made:
            text = bundle_text(list(parts), read)
            name = hashlib.sha256((text + made_from).encode()).hexdigest()[:16] + ".css"
            target = outdir / FOLDER / name
            if not target.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(pruned(text, names), encoding="utf-8")
            made[parts] = name
        return made[parts]

    def transform(html: str, page: Path) -> str:
        head_end = html.find("</head>")
        if head_end < 0:
            return html
        head, body = html[:head_end], html[head_end:]
        bundled = BUNDLE.search(head)
        if bundled:
            parts = tuple(bundled.group("parts").split())
            if posixpath.basename(bundled.group("href").split("?")[0]) == name_of(parts):
                return html  # as it is, with the checksum that sphinx7_fixes gave its link
            start, end = bundled.span()
            head = head[:start] + head[end:]
        else:
            found = [(m, _site_path(m.group("attrs"), page, outdir)) for m in STYLESHEET.finditer(head)]
            if len(found) < 2:
                return html
            if not all(path for _, path in found):  # to bundle the others would change the cascade
                left.append(page.relative_to(outdir).as_posix())
                return html
            parts = tuple(path for _, path in found)
            start = found[0][0].start()
            for match, _ in reversed(found):
                head = head[: match.start()] + head[match.end() :]
        href = posixpath.relpath(f"{FOLDER}/{name_of(parts)}", page.parent.relative_to(outdir).as_posix())
        link = f'    <link rel="stylesheet" href="{href}" data-parts="{" ".join(parts)}" />\n'
        return head[:start] + link + head[start:] + body

    pages.rewrite(outdir, transform)
    for stale in (outdir / FOLDER).glob("*.css"):
        if stale.name not in made.values():
            stale.unlink()
    return sorted(made.values()), left
