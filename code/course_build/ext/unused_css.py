"""The rules of a bundled stylesheet that can match nothing on the site, left out (issue 23,
point 3). pydata-sphinx-theme's stylesheet holds all of Bootstrap: 480 KB of CSS that a phone
parses before its first paint, and indexes again whenever a page's styles change, for a site
that uses a tenth of it.

A selector can match only if every class and id that it requires is on the site: in an
attribute of one of its pages, or a name in one of its scripts, which may add it to a page
(Bootstrap adds `show` to an open menu, and makes `bs-tooltip-auto` from `bs-${name}-auto`: a
name that a script writes with a trailing `-` is read as the start of any class). Only what a
selector requires counts: a class in `:not()`, `:is()`, `:where()` or `:has()` is not looked at.
A rule none of whose selectors can match is left out, and so is a selector that cannot match
from a rule's list; `@media`, `@supports`, `@container` and `@layer` blocks are pruned inside
and left out when empty; every other rule (`@font-face`, `@keyframes`, ...) is kept as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import tinycss2

ATTRIBUTE = re.compile(r'\b(?:class|id)="([^"]*)"')
INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S)
NAME = re.compile(r"-?[A-Za-z_][\w-]*")
BLOCKS = {"media", "supports", "container", "layer"}


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


def _selectors(prelude: list) -> list[list]:
    """A rule's selector list, split at its top-level commas, each selector without its outer
    whitespace."""
    selectors: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return [_strip(selector) for selector in selectors]


def _strip(tokens: list) -> list:
    while tokens and tokens[0].type in ("whitespace", "comment"):
        tokens = tokens[1:]
    while tokens and tokens[-1].type in ("whitespace", "comment"):
        tokens = tokens[:-1]
    return tokens


def _required(selector: list) -> Iterable[str]:
    """The classes and ids that `selector` requires (those outside its functions)."""
    for before, token in zip([None, *selector], selector, strict=False):
        if token.type == "ident" and before is not None and before.type == "literal" and before.value == ".":
            yield token.value
        elif token.type == "hash" and token.is_identifier:
            yield token.value


def _pruned_rules(rules: list, names: SiteNames) -> str:
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = _selectors(rule.prelude)
            live = [s for s in selectors if all(n in names for n in _required(s))]
            if len(live) == len(selectors):
                out.append(rule.serialize())
            elif live:
                prelude = ",".join(tinycss2.serialize(selector) for selector in live)
                out.append(f"{prelude}{{{tinycss2.serialize(rule.content)}}}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in BLOCKS and rule.content is not None:
            inner = _pruned_rules(
                tinycss2.parse_rule_list(rule.content, skip_whitespace=True, skip_comments=True), names
            )
            if inner:
                out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{inner}}}")
        elif rule.type == "at-rule":
            out.append(rule.serialize())
        # a parse error: a rule that browsers drop as well
    return "\n".join(out)


def pruned(css: str, names: SiteNames) -> str:
    """`css` without the rules and selectors that can match nothing with `names` (see above)."""
    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    return _pruned_rules(rules, names) + "\n"
