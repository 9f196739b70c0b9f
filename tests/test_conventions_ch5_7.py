"""Conventions of chapters 5-7, read from their sources: the course speaks for itself (no "the
reading"), one logarithm symbol (log, never ln), the bookkeeping that feeds numbers to the prose
(`glue`) sits in cells the page removes, every glued name the prose quotes is glued, and the
Laplace scale is beta in both chapters that use it."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ["05_classifiers", "06_regression", "07_losses"]
FIGURES = ["classifiers", "regression", "losses"]
CELL = re.compile(r"```\{code-cell\}[^\n]*\n(.*?)```", re.S)


def source(doc):
    return (ROOT / "book" / f"{doc}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("doc", CHAPTERS)
def test_no_reference_to_a_reading(doc):
    prose = re.sub(r"\*\*Further reading\.\*\*", "", source(doc))
    assert not re.search(r"\breading\b", prose, re.I), f"{doc} mentions 'reading'"


@pytest.mark.parametrize(
    "path", [f"book/{d}.md" for d in CHAPTERS] + [f"code/likelihood_course/figures/{f}.py" for f in FIGURES]
)
def test_log_not_ln(path):
    text = (ROOT / path).read_text(encoding="utf-8")
    assert "\\ln" not in text, f"{path}: \\ln"
    assert not re.search(r"\bln\b", text), f"{path}: ln"


@pytest.mark.parametrize("doc", CHAPTERS)
def test_glue_sits_only_in_removed_cells(doc):
    for cell in CELL.findall(source(doc)):
        if re.search(r"^\s*glue\(", cell, re.M):
            assert re.search(r"tags: \[[^\]]*remove-cell", cell), (
                f"{doc}: glue in a shown cell:\n{cell[:300]}"
            )


@pytest.mark.parametrize("doc", CHAPTERS)
def test_every_quoted_number_is_glued(doc):
    text = source(doc)
    used = set(re.findall(r"\{glue:text\}`([A-Za-z0-9_]+)", text))
    patterns = [
        re.sub(r"\\\{[^}]*\\\}", "[a-z0-9_]+", re.escape(name))
        for name in re.findall(r'glue\(f?"([^"]+)"', text)
    ]
    missing = {name for name in used if not any(re.fullmatch(p, name) for p in patterns)}
    assert not missing, f"{doc}: quoted but never glued: {missing}"


def test_one_training_objective_cited_by_all_three_chapters():
    assert ":label: eq-clf-objective" in source("05_classifiers")
    for doc in CHAPTERS:
        assert "{eq}`eq-clf-objective`" in source(doc), doc


def test_the_laplace_scale_is_beta_and_b_is_the_bias():
    for doc in ["06_regression", "07_losses"]:
        text = source(doc)
        assert "\\beta" in text, doc
        assert not re.search(r"scale \$b\b", text), doc
    assert "bias $c$" not in source("07_losses") and "\\hat y = e^{w x + b}" in source("07_losses")
