"""What the build computed: the values a chapter handed to its prose with `glue`, as myst-nb saved
them (`_build/jupyter_execute/book/<chapter>.glue.json`), and the text of a chapter's exercises.

Tests of a chapter's claims read these, not a copy of the chapter's code: if the chapter changes
what it computes, the test sees the new number."""

import ast
import json
import re

import pytest

from conftest import BUILD, ROOT

EXECUTED = BUILD / "jupyter_execute" / "book"


class Glued(dict):
    """A chapter's glued values by name; a name the build lacks fails the test with what to do."""

    def __init__(self, chapter, values):
        super().__init__(values)
        self.chapter = chapter

    def __missing__(self, name):
        pytest.fail(
            f"{self.chapter}: the build has no glued value {name!r} (glued: {sorted(self)}); run `make html`"
        )


def _value(text):
    """The Python value of a glued text/plain repr (a float, inf and nan too, an int, a string)."""
    text = re.sub(r"^np\.(?:float|int)\d+\((.*)\)$", r"\1", text.strip())
    if text in ("inf", "-inf", "nan"):
        return float(text)
    return ast.literal_eval(text)


def glued(chapter: str) -> Glued:
    """The values `chapter` (e.g. '08_estimates') glued when the build executed it."""
    path = EXECUTED / f"{chapter}.glue.json"
    if not path.is_file():
        pytest.fail(f"no glue data at {path}: run `make html` first")
    source = (ROOT / "book" / f"{chapter}.md").stat().st_mtime
    if path.stat().st_mtime < source:
        pytest.fail(f"{path} is older than book/{chapter}.md: run `make html`")
    data = json.loads(path.read_text(encoding="utf-8"))
    return Glued(chapter, {name: _value(out["data"]["text/plain"]) for name, out in data.items()})


def check_glue_names_and_labels(chapter: str, names, prefix: str, *also: str) -> None:
    """The chapter quotes only values it glued (`names`), glues them all as `<prefix>_...`, and
    labels its equations, exercises and figures `eq-<prefix>-`, `ex-<prefix>-` and
    `fig-<prefix>-` (or with a label that starts as one of `also`, its explorer's), each once."""
    text = (ROOT / "book" / f"{chapter}.md").read_text(encoding="utf-8")
    used = set(re.findall(r"\{glue:text\}`([A-Za-z0-9_]+)", text))
    assert used and used <= set(names), f"quoted but never glued: {used - set(names)}"
    assert all(name.startswith(f"{prefix}_") for name in names)
    labels = re.findall(r":label: (\S+)", text) + re.findall(r"name: (fig-\S+)", text)
    starts = (f"eq-{prefix}-", f"ex-{prefix}-", f"fig-{prefix}-", *also)
    assert labels and all(label.startswith(starts) for label in labels), labels
    assert len(labels) == len(set(labels))


def solution(chapter: str, label: str) -> str:
    """The text of the solution to exercise `label` in the chapter's source, whitespace folded."""
    text = (ROOT / "book" / f"{chapter}.md").read_text(encoding="utf-8")
    match = re.search(r"```\{solution\} " + re.escape(label) + r"\n(.*?)\n```", text, re.S)
    assert match, f"{chapter}: no solution to {label}"
    body = re.sub(r"^:class:.*\n", "", match.group(1), flags=re.M)
    return " ".join(body.split())


def figure_alt(chapter: str, name: str) -> str:
    """The alt text of the figure `name` (a code cell's `mystnb: figure: name:`), folded."""
    text = (ROOT / "book" / f"{chapter}.md").read_text(encoding="utf-8")
    match = re.search(r"name: " + re.escape(name) + r"\n\s*image:\n\s*alt: (.*?)\n---", text, re.S)
    assert match, f"{chapter}: no alt text for {name}"
    return " ".join(match.group(1).split())
