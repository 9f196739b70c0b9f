"""The rules of a bundled stylesheet that can match nothing on the site, left out (issue 23,
point 3). pydata-sphinx-theme's stylesheet holds all of Bootstrap: the bundle was 480 KB of CSS
that a phone parses before its first paint, and matches against again whenever a page's styles
change, for a site that uses a third of it.

A selector can match only if every class and id that it requires is on the site: in an
attribute of one of its pages, or a name in one of its scripts, which may add it to a page
(Bootstrap adds `show` to an open menu, and makes `bs-tooltip-auto` from `bs-${name}-auto`: a
name that a script writes with a trailing `-` is read as the start of any class). Only what a
selector requires counts: a class in `:not()`, `:is()`, `:where()` or `:has()` is not looked at.
A rule none of whose selectors can match is left out, and so is a selector that cannot match
from a rule's list; `@media`, `@supports` and `@container` blocks are pruned inside and left out
when empty; every other rule (`@font-face`, `@keyframes`, `@layer`, whose first mention orders the
layers, ...) is kept as it is.

The stylesheet is read with regular expressions, not a CSS parser: a build makes a bundle for
every new site (each of the tests' small books), and tinycss2 took 0.4 s to read one. What the
reading needs is only where rules and blocks begin and end (braces and semicolons outside comments
and strings) and the classes and ids of a selector.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

ATTRIBUTE = re.compile(r'\b(?:class|id)="([^"]*)"')
INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S)
NAME = re.compile(r"-?[A-Za-z_][\w-]*")
BLOCKS = {"media", "supports", "container"}

COMMENT = re.compile(r"/\*.*?\*/", re.S)
STRING = r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'"
# what gives a stylesheet its shape: braces and semicolons, outside comments and strings
STRUCTURE = re.compile(rf"/\*.*?\*/|{STRING}|[{{}};]", re.S)
# a selector list's strings, the brackets of its functions and attribute selectors, and its commas
NESTING = re.compile(rf"({STRING}|[()\[\],])")
DEPTH = {"(": 1, "[": 1, ")": -1, "]": -1}
# a class or id a selector requires (once its functions, attributes and strings are cut)
REQUIRED = re.compile(r"[.#](-?(?:[A-Za-z_]|[^\x00-\x7f]|\\.)(?:[\w-]|[^\x00-\x7f]|\\.)*)")
ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})\s?|(.))", re.S)


class SiteNames:
    """The classes and ids that a page of the site can have."""

    def __init__(self, names: Iterable[str]):
        self.names = set(names)
        self.starts = tuple(name for name in self.names if name.endswith("-") and len(name) > 2)

    @classmethod
    def of_site(cls, outdir: Path) -> SiteNames:
        """The names on `outdir`'s pages (attributes and inline scripts) and in its scripts."""
        names: set[str] = set()
        for page in Path(outdir).rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            for match in ATTRIBUTE.finditer(text):
                names.update(match.group(1).split())
            for match in INLINE_SCRIPT.finditer(text):
                names.update(NAME.findall(match.group(1)))
        for script in Path(outdir).rglob("*.js"):
            names.update(NAME.findall(script.read_text(encoding="utf-8", errors="replace")))
        return cls(names)

    def __contains__(self, name: str) -> bool:
        return name in self.names or name.startswith(self.starts)

    def key(self) -> str:
        """What the pruning depends on, for the name of its result."""
        return " ".join(sorted(self.names))


def _rules(css: str) -> list[tuple[str, str | None]]:
    """The top-level rules of `css`: (prelude, block) pairs, without comments in the prelude; the
    block is None for a statement (`@layer a, b;`)."""
    rules: list[tuple[str, str | None]] = []
    depth, start, opened = 0, 0, 0
    for match in STRUCTURE.finditer(css):
        token = match.group()
        if token == "{":
            if depth == 0:
                opened = match.start()
            depth += 1
        elif token == "}" and depth > 0:
            depth -= 1
            if depth == 0:
                rules.append((COMMENT.sub("", css[start:opened]).strip(), css[opened + 1 : match.start()]))
                start = match.end()
        elif token == ";" and depth == 0:
            rules.append((COMMENT.sub("", css[start : match.start()]).strip(), None))
            start = match.end()
    return rules


def _selectors(prelude: str) -> list[str]:
    """A rule's selector list, split at its top-level commas."""
    selectors, depth = [""], 0
    for piece in NESTING.split(prelude):
        depth += DEPTH.get(piece, 0)
        if piece == "," and depth == 0:
            selectors.append("")
        else:
            selectors[-1] += piece
    return [selector.strip() for selector in selectors]


def _unescaped(name: str) -> str:
    return ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2), name)


def _required(selector: str) -> list[str]:
    """The classes and ids that `selector` requires: those outside its functions' arguments (so a
    class in `:not()` does not count) and its attribute selectors."""
    outside, depth = [], 0
    for piece in NESTING.split(selector):
        depth += DEPTH.get(piece, 0)
        if depth == 0 and piece not in (")", "]") and piece[:1] not in ("'", '"'):
            outside.append(piece)
    return [_unescaped(name) for name in REQUIRED.findall(" ".join(outside))]


def pruned(css: str, names: SiteNames) -> str:
    """`css` without the rules and selectors that can match nothing with `names` (see above)."""
    out = []
    for prelude, block in _rules(css):
        keyword = re.match(r"@([\w-]+)", prelude)
        if keyword is None and block is not None:
            selectors = _selectors(prelude)
            live = [s for s in selectors if all(n in names for n in _required(s))]
            if live:
                out.append(f"{prelude if len(live) == len(selectors) else ','.join(live)} {{{block}}}")
        elif keyword and keyword.group(1).lower() in BLOCKS and block is not None:
            inner = pruned(block, names)
            if inner:
                out.append(f"{prelude} {{\n{inner}}}")
        elif keyword:
            out.append(f"{prelude};" if block is None else f"{prelude} {{{block}}}")
    return "".join(rule + "\n" for rule in out)
