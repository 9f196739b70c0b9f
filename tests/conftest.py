"""Shared fixtures: where the built book is, and which pages it must have.

The site tests read the build that the README's commands make (`_build/`); COURSE_BUILD_DIR points
them at another build directory (one made with `jupyter-book build --path-output DIR`)."""

import os
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BUILD = Path(os.environ.get("COURSE_BUILD_DIR", ROOT / "_build")).resolve()
if BUILD.name != "_build" and (BUILD / "_build").is_dir():
    BUILD = BUILD / "_build"  # accept the --path-output directory too
HTML = BUILD / "html"


def toc_docs():
    """Every page in _toc.yml, in reading order, as paths without suffix (e.g. 'book/intro')."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    docs = [toc["root"]]
    for part in toc.get("parts", []):
        docs += [entry["file"] for entry in part["chapters"]]
    return docs


DOCS = toc_docs()
CHAPTERS = [d for d in DOCS if d.split("/")[-1][:2].isdigit()]  # the numbered, executed chapters


@pytest.fixture(scope="session")
def html_dir():
    index = HTML / "index.html"
    assert index.is_file(), f"no built site at {HTML}: run `make html` first"
    return HTML
