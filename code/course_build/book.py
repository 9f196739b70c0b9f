"""The course's book as the build tooling and the tests read it: the repository it is in, its
configuration (_config.yml, read here and nowhere else) and its pages in reading order (_toc.yml,
by sphinx-external-toc's parser, which the build uses too)."""

from __future__ import annotations

from pathlib import Path

import yaml
from sphinx_external_toc.parsing import parse_toc_yaml

ROOT = Path(__file__).resolve().parents[2]  # this package is code/course_build/ of the repository
CONFIG: dict = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))

_TOC = parse_toc_yaml(ROOT / "_toc.yml")
DOCS = list(_TOC)  # every page, in reading order, as paths without suffix ('book/intro')
PARTS = _TOC.root.subtrees  # each with .caption, .numbered and .files() (its pages)
CHAPTERS = [doc for part in PARTS if part.numbered for doc in part.files()]  # numbered, executed
