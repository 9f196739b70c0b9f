"""Shorter chapters (issue 24): the "three ways" check (formula, scipy.stats, TensorFlow
Probability) made once in each of chapters 1-4, where it teaches; chapter 7's rows checked in one
cell, with the Bernoulli and categorical rows pointing to chapter 5; and the self-check questions
that repeated an exercise on the same data replaced by conceptual ones. Read from the sources."""

import re

import pytest

from conftest import ROOT

CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```$", re.S | re.M)


def source(name):
    return (ROOT / "book" / f"{name}.md").read_text(encoding="utf-8")


def cells(name):
    return CELL.findall(source(name))


@pytest.mark.parametrize(
    "name, checks", [("01_probability", 1), ("02_likelihood", 1), ("03_mle", 0), ("04_nll", 1)]
)
def test_the_three_ways_check_is_made_once_per_chapter(name, checks):
    """A chapter compares a formula with TensorFlow Probability (`by_tfp`) in one cell at most;
    chapters 1 and 2 set scipy.stats beside the formula in the cell before it."""
    bodies = cells(name)
    with_tfp = [i for i, body in enumerate(bodies) if "by_tfp" in body]
    assert len(with_tfp) == checks, f"{name}: {len(with_tfp)} formula-against-TFP cells"
    if name in ("01_probability", "02_likelihood"):
        before = bodies[with_tfp[0] - 1]
        assert "by_formula" in before and re.search(r"\bstats\.", before), name


def test_chapter_7_checks_its_rows_in_one_cell_and_leaves_two_rows_to_chapter_5():
    text = source("07_losses")
    bodies = cells("07_losses")
    machinery = [b for b in bodies if re.search(r"\.log(?:pdf|pmf)\(", b) and "tf_keras.losses." in b]
    assert len(machinery) == 1, f"{len(machinery)} cells hold the per-row check"
    for row in ("mse", "gauss_learned", "mae", "poisson", "poisson_exact"):
        assert f'rows["{row}"]' in machinery[0], row
    # the classification rows are chapter 5's, not repeated here
    assert not any(
        re.search(r"binary_crossentropy|categorical_crossentropy|stats\.multinomial", b) for b in bodies
    )
    table = [
        line
        for line in text.splitlines()
        if line.startswith("| Bernoulli") or line.startswith("| categorical")
    ]
    assert len(table) == 4 and all("{doc}`05_classifiers`" in line for line in table), table
    # one closing table, measured
    assert text.count("## Closing note: the table, measured") == 1


@pytest.mark.parametrize(
    "name, repeated",
    [
        ("01_probability", r"pmf\(\[1, 0, 1\]\)"),  # the exercise's three flips, with other numbers
        ("03_mle", r"\[2, 4, 6\]"),  # the exercise's data, 2, 4, 6
        ("05_classifiers", r"binary_cross_entropy\(\[1, 0\]"),  # the exercise's two labels
    ],
)
def test_self_checks_ask_a_concept_not_the_exercise_again(name, repeated):
    quiz = [b for b in cells(name) if "quiz." in b and "quiz.answers()" not in b]
    assert 3 <= len(quiz) <= 5
    assert not any(re.search(repeated, b) for b in quiz), f"{name}: a self-check repeats an exercise"
    assert sum("quiz.choice(" in b for b in quiz) >= 2, f"{name}: the conceptual question is a choice"
