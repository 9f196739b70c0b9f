"""The course's book as the build tooling and the tests read it: the repository it is in, its
configuration (_config.yml, read here and nowhere else) and its pages in reading order (_toc.yml,
by sphinx-external-toc's parser, which the build uses too)."""

from __future__ import annotations

from pathlib import Path

import yaml
from sphinx_external_toc.parsing import parse_toc_yaml

ROOT = Path(__file__).resolve().parents[2]  # this package is code/course_build/ of the repository
INPUTS_NOT_PAGES = ("code", "_assets", "_vendor")  # excluded from the pages, yet the site is made of them


def read_config(book: Path) -> dict:
    """A book's _config.yml."""
    return yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8")) or {}


def not_the_book(config: dict) -> list[str]:
    """What is not the book, written once: the names at its root that its exclude_patterns leave out
    of the pages (not their globs), less the site's inputs that are not pages; and git's folder.
    The preview does not watch them, the benchmarks' snapshot leaves them out, and the Makefile's
    SOURCES lists the rest (tests/test_setup.py checks that the two cover every file)."""
    patterns = config.get("exclude_patterns", [])
    return [".git", *(p for p in patterns if p not in INPUTS_NOT_PAGES and "*" not in p)]


CONFIG = read_config(ROOT)
NOT_THE_BOOK = not_the_book(CONFIG)

_TOC = parse_toc_yaml(ROOT / "_toc.yml")
DOCS = list(_TOC)  # every page, in reading order, as paths without suffix ('book/intro')
PARTS = _TOC.root.subtrees  # each with .caption, .numbered and .files() (its pages)
CHAPTERS = [doc for part in PARTS if part.numbered for doc in part.files()]  # numbered, executed
