"""The coding exercises' checks (likelihood_course.practice): the chapters' solutions pass, every
listed wrong answer gets the feedback of its own mistake, and the course's answers agree with
independent references (scipy.stats, scipy.special). Then the same answers in a real Jupyter kernel
print exactly what the check prints here: one mechanism, wherever it runs (the browser:
tests/test_inpage_python.py)."""

import contextlib
import io
import subprocess
import sys

import numpy as np
import pytest
from practice_answers import ANSWERS, CHAPTERS, check_line, exercise_cell, learner_function, solution
from scipy import special, stats

from likelihood_course import practice


def test_every_core_chapter_has_one_coding_exercise_checked_by_the_helper():
    assert sorted(CHAPTERS) == sorted(practice.EXERCISES)
    for name, exercise in practice.EXERCISES.items():
        assert CHAPTERS[name] == f"book/{exercise.chapter:02d}_" + CHAPTERS[name].split("_", 1)[1]
        cell = exercise_cell(name)
        assert f"def {exercise.signature}:" in cell, cell
        assert check_line(name) == f'lc.practice.check("{name}", {name})'
        assert "tf." not in cell and "tfd." not in cell, "the page's Python has no TensorFlow"


@pytest.mark.parametrize("name", sorted(practice.EXERCISES))
def test_the_chapters_solution_passes_and_the_starting_cell_does_not(name):
    assert practice.evaluate(practice.EXERCISES[name], learner_function(name, solution(name))).passed
    starter = exercise_cell(name).replace(check_line(name), "")
    feedback = practice.evaluate(practice.EXERCISES[name], learner_function(name, starter))
    assert not feedback.passed and feedback.mistake == "none", feedback


@pytest.mark.parametrize("name,mistake", [(n, m) for n, answers in ANSWERS.items() for m in answers])
def test_each_answer_gets_the_feedback_of_its_mistake(name, mistake):
    feedback = practice.evaluate(practice.EXERCISES[name], learner_function(name, ANSWERS[name][mistake]))
    assert feedback.passed == (mistake is None), feedback.message
    assert feedback.mistake == mistake, feedback.message
    assert feedback.message.startswith("Correct: " if mistake is None else "Not yet: ")
    if mistake not in (None, "other", "none", "error", "shape"):
        known = {m.key: m.message for m in practice.EXERCISES[name].mistakes} | practice.EXERCISES[name].edges
        assert feedback.message == "Not yet: " + known[mistake]


def test_every_recognised_mistake_has_a_wrong_answer_that_shows_it():
    for name, exercise in practice.EXERCISES.items():
        keys = {m.key for m in exercise.mistakes} | set(exercise.edges)
        assert keys <= set(ANSWERS[name]), f"{name}: no answer shows {keys - set(ANSWERS[name])}"


def test_the_course_answers_agree_with_scipy():
    """The references, against independent ones on every test case."""
    references = {
        "sample_probability": lambda y, t: np.prod(stats.bernoulli(t).pmf(y)),
        "normal_likelihood": lambda mu, s, y: np.prod(stats.norm(mu, s).pdf(y)),
        "grid_mle": lambda y, grid: grid[np.argmax([stats.bernoulli(t).logpmf(y).sum() for t in grid])],
        "bernoulli_nll": lambda t, y: -np.sum(stats.bernoulli(t).logpmf(y)),
        "bce_from_logits": lambda y, z: np.mean(
            -special.log_expit(np.asarray(z)) * np.asarray(y)
            - special.log_expit(-np.asarray(z)) * (1 - np.asarray(y))
        ),
        "gaussian_nll": lambda w, b, x, y, s: -np.sum(stats.norm(w * np.asarray(x) + b, s).logpdf(y)),
        # ridge as least squares on data augmented by sqrt(lambda) I and zeros (no normal equations)
        "ridge_map": lambda X, y, s, t: np.linalg.lstsq(
            np.vstack([np.asarray(X), s / t * np.eye(np.shape(X)[1])]),
            np.concatenate([np.asarray(y), np.zeros(np.shape(X)[1])]),
            rcond=None,
        )[0],
        "brier_score": lambda y, q: np.sum(  # the Brier score as a mean over the labels' two outcomes
            [np.mean((np.asarray(y) == k) * (np.asarray(q) - k) ** 2) for k in (0, 1)]
        ),
    }
    for name, exercise in practice.EXERCISES.items():
        for case in exercise.cases:
            assert np.allclose(exercise.reference(*case.args), references[name](*case.args), rtol=1e-10), (
                name,
                case,
            )


def test_check_prints_the_feedback_and_refuses_what_is_not_an_exercise():
    out = io.StringIO()
    right = learner_function("grid_mle", ANSWERS["grid_mle"][None])
    with contextlib.redirect_stdout(out):
        shown = practice.check("grid_mle", right)
    assert shown is None, "a cell that ends with the check would show its value too"
    assert out.getvalue() == practice.evaluate(practice.EXERCISES["grid_mle"], right).message + "\n"
    with pytest.raises(ValueError, match="name must be one of"):
        practice.check("bernoulli", print)
    with pytest.raises(ValueError, match="func must be the function you wrote"):
        practice.check("grid_mle", 3)


def test_the_check_needs_no_tensorflow_and_no_matplotlib():
    """It runs in the reader's browser, which has no TensorFlow, and loads nothing it does not use."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, likelihood_course.practice; print(*sys.modules)"],
        check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    assert "tensorflow" not in loaded and "tensorflow_probability" not in loaded


@pytest.mark.process
def test_a_jupyter_kernel_prints_what_the_check_prints_here():
    """Every answer, in one real ipykernel (as JupyterLab, Binder and the hub run it), with the
    chapter's check line: the kernel prints exactly the feedback printed in process."""
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3")
    try:

        def run(code: str) -> str:
            out = []

            def hook(message):  # what the notebook shows: streams, and a value if the cell has one
                content = message["content"]
                out.append(content.get("text", "") + content.get("data", {}).get("text/plain", ""))

            client.execute_interactive(code, timeout=120, output_hook=hook)
            return "".join(out)

        run("import numpy as np\nfrom scipy import special, stats\nimport likelihood_course as lc")
        for name, answers in ANSWERS.items():
            for mistake, source in answers.items():
                expected = practice.evaluate(practice.EXERCISES[name], learner_function(name, source)).message
                printed = run(source + "\n\n" + check_line(name))
                assert printed == expected + "\n", (name, mistake, printed)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
