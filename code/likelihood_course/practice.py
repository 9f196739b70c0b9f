"""Coding exercises, checked the same way wherever they run.

A chapter's coding exercise is a code cell: the learner writes a function, and the cell's last line
hands it to `check`, which runs it on test cases, compares it with the course's own answer, and
prints what it found. The same check answers in the reader's browser (the site's Python), in
JupyterLab (Binder, a school's hub, a download, Colab) and in an instructor's grader, which reads
the exercises from `EXERCISES`. Where an answer matches a common mistake (a sum where the sample's
probabilities multiply, the log-likelihood without its minus sign, a mean where the NLL sums, a
probability where a logit was meant), the feedback names it and says what to do instead.

This module needs NumPy and the standard library only, and it prints nothing to stderr: a
NumPy warning raised by a learner's code (a log of 0) is part of what the check looks at, not noise.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np

from . import data

__all__ = ["Case", "Exercise", "Feedback", "Mistake", "EXERCISES", "check", "evaluate"]

RTOL, ATOL = 1e-7, 1e-12


@dataclass(frozen=True)
class Case:
    """The arguments of one call, and what is special about it (`edge`: 'log0' where a 0 log 0
    term must count as 0; 'overflow' where a naive formula overflows)."""

    args: tuple
    edge: str | None = None


@dataclass(frozen=True)
class Mistake:
    """A common wrong answer, as a function, and what to tell the learner who gave it."""

    key: str
    wrong: object
    message: str


@dataclass(frozen=True)
class Exercise:
    name: str
    chapter: int
    signature: str
    reference: object
    cases: tuple
    mistakes: tuple = ()
    edges: dict = field(default_factory=dict)  # edge -> message, when only those cases fail


@dataclass(frozen=True)
class Feedback:
    """What `check` found: passed or not, the recognised mistake's key (None if none), the text."""

    exercise: str
    passed: bool
    mistake: str | None
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        return f"Feedback({self.exercise!r}, passed={self.passed}, mistake={self.mistake!r})"


def _call(func, case: Case):
    """The function's answer for a case, as a float array; or the reason it gave none."""
    args = tuple(np.array(a, copy=True) if isinstance(a, np.ndarray | list) else a for a in case.args)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        result = func(*args)
    if result is None:
        raise _NoAnswer("returned None: write its body and `return` the result")
    try:
        value = np.asarray(result, dtype=float)
    except (TypeError, ValueError):
        raise _NoAnswer(f"returned {type(result).__name__} {result!r:.60}, not a number") from None
    return value


class _NoAnswer(Exception):
    pass


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=ATOL, equal_nan=True))


def _show(args: tuple) -> str:
    def one(a):
        if isinstance(a, np.ndarray | list):
            a = np.asarray(a)
            return np.array2string(a, precision=4, separator=", ", threshold=8)
        return f"{a:g}" if isinstance(a, float) else repr(a)

    return ", ".join(one(a) for a in args)


def evaluate(exercise: Exercise, func) -> Feedback:
    """Check `func` against `exercise`, without printing: the Feedback that `check` prints."""
    if not isinstance(exercise, Exercise):
        raise ValueError(f"exercise must be one of practice.EXERCISES' values, got {type(exercise).__name__}")
    if not callable(func):
        raise ValueError(f"func must be the function you wrote (callable), got {type(func).__name__}")
    name = exercise.name

    def feedback(passed, mistake, message):
        return Feedback(name, passed, mistake, message)

    expected = [np.asarray(exercise.reference(*c.args), dtype=float) for c in exercise.cases]
    got = []
    for case in exercise.cases:
        try:
            got.append(_call(func, case))
        except _NoAnswer as reason:
            return feedback(False, "none" if "None" in str(reason) else "type", f"Not yet: {name} {reason}.")
        except Exception as error:  # the learner's code raised: say what, not a traceback
            return feedback(
                False,
                "error",
                f"Not yet: {name}({_show(case.args)}) raised {type(error).__name__}: {error}",
            )
    right = [_same(g, e) for g, e in zip(got, expected)]
    if all(right):
        return feedback(
            True, None, f"Correct: {name} agrees with the course's answer on all {len(right)} test cases."
        )
    for g, e, case in zip(got, expected, exercise.cases):
        if g.shape != e.shape:
            return feedback(
                False,
                "shape",
                f"Not yet: {name}({_show(case.args)}) returned an array of shape {g.shape}; the answer "
                f"has shape {e.shape}"
                + (" (one number: did you forget to add up?)" if e.shape == () else "."),
            )
    ordinary = [i for i, c in enumerate(exercise.cases) if c.edge is None]
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        for mistake in exercise.mistakes:
            wrong = [np.asarray(mistake.wrong(*exercise.cases[i].args), dtype=float) for i in ordinary]
            if all(_same(got[i], w) for i, w in zip(ordinary, wrong)):
                return feedback(False, mistake.key, f"Not yet: {mistake.message}")
    failing = [i for i, ok in enumerate(right) if not ok]
    edges = {exercise.cases[i].edge for i in failing}
    if None not in edges and len(edges) == 1:
        (edge,) = edges
        return feedback(False, edge, f"Not yet: {exercise.edges[edge]}")
    i = failing[0]
    return feedback(
        False,
        "other",
        f"Not yet: for {name}({_show(exercise.cases[i].args)}) the answer is "
        f"{_number(expected[i])}, and your function returned {_number(got[i])}.",
    )


def _number(value: np.ndarray) -> str:
    return f"{float(value):.6g}" if value.shape == () else np.array2string(value, precision=6)


def check(name: str, func) -> None:
    """Check the learner's function for the exercise `name` and print the feedback. (It returns
    nothing, so that a cell ending in it shows the feedback alone; a grader calls `evaluate`.)"""
    if not isinstance(name, str) or name not in EXERCISES:
        raise ValueError(f"name must be one of {sorted(EXERCISES)}, got {name!r}")
    if not callable(func):
        raise ValueError(f"func must be the function you wrote (callable), got {type(func).__name__}")
    print(evaluate(EXERCISES[name], func).message)


# --- the exercises -------------------------------------------------------------------------------


def _xlogy(x, y):
    """x log y, 0 where x is 0 (as scipy.special.xlogy), in NumPy alone."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x == 0, 0.0, x * np.log(np.where(x == 0, 1.0, y)))


def _bernoulli_terms(y, theta):
    y = np.asarray(y, dtype=float)
    return theta**y * (1 - theta) ** (1 - y)


def _sample_probability(y, theta):
    return np.prod(_bernoulli_terms(y, theta))


def _normal_density(y, mu, variance):
    y = np.asarray(y, dtype=float)
    return np.exp(-((y - mu) ** 2) / (2 * variance)) / np.sqrt(2 * np.pi * variance)


def _bernoulli_loglik(theta, y):
    y = np.asarray(y, dtype=float)
    return np.sum(_xlogy(y, theta) + _xlogy(1 - y, 1 - theta))


def _grid_likelihood(y, grid):
    grid = np.asarray(grid, dtype=float)
    return np.array([_sample_probability(y, t) for t in grid])


def _sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def _bce(y, z):
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))


def _naive_bce_terms(y, p):
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def _residuals(w, b, x, y):
    return np.asarray(y, dtype=float) - (w * np.asarray(x, dtype=float) + b)


def _gaussian_nll(w, b, x, y, sigma):
    r = _residuals(w, b, x, y)
    return np.sum(r**2) / (2 * sigma**2) + r.size * np.log(sigma) + r.size / 2 * np.log(2 * np.pi)


_RNG = np.random.default_rng(20261205)  # the random cases: the same at every import
_FLIPS = _RNG.binomial(1, 0.35, size=20)
_MORE_FLIPS = _RNG.binomial(1, 0.7, size=30)
_NORMAL = np.round(_RNG.normal(1.0, 2.0, size=6), 3)
_LABELS, _LOGITS = _RNG.binomial(1, 0.5, size=8), np.round(_RNG.normal(0.0, 2.5, size=8), 3)
_X = np.round(np.linspace(-1.0, 2.0, 9), 3)
_Y = np.round(0.8 * _X - 0.3 + _RNG.normal(0.0, 0.4, size=_X.size), 3)
_COINS = data.COIN_FLIPS
_EXAMPLE = data.NORMAL_EXAMPLE

LOG0 = (
    "at θ = 0 or θ = 1, with data that agree, your function gives nan or inf where the answer is "
    "finite: a term 0 · log 0 counts as 0. Use scipy.special.xlogy(y, theta) + "
    "scipy.special.xlogy(1 - y, 1 - theta), or np.where to leave out the terms whose factor is 0."
)

_PROBABILITIES = np.round(1 / (1 + np.exp(-_LOGITS)), 3)  # for the Brier score (chapter 11)


def _brier(y, q):
    y, q = np.asarray(y, dtype=float), np.asarray(q, dtype=float)
    return np.mean((q - y) ** 2)


EXERCISES = {
    exercise.name: exercise
    for exercise in [
        Exercise(
            name="sample_probability",
            chapter=1,
            signature="sample_probability(y, theta)",
            reference=_sample_probability,
            cases=(
                Case((_COINS, 0.3)),
                Case(([1, 0, 1], 0.4)),
                Case(([1, 1, 1, 0], 0.75)),
                Case((_FLIPS, 0.35)),
            ),
            mistakes=(
                Mistake(
                    "sum",
                    lambda y, t: np.sum(_bernoulli_terms(y, t)),
                    "you added the probabilities of the observations. Independent observations "
                    "multiply: take their product (np.prod).",
                ),
                Mistake(
                    "swapped",
                    lambda y, t: np.prod(_bernoulli_terms(y, 1 - t)),
                    "θ and 1 − θ are swapped. θ is the probability that y = 1: each 1 contributes "
                    "θ and each 0 contributes 1 − θ.",
                ),
                Mistake(
                    "mean",
                    lambda y, t: np.mean(_bernoulli_terms(y, t)),
                    "you averaged the probabilities; the probability of the whole sample is their product.",
                ),
                Mistake(
                    "log",
                    lambda y, t: np.log(_sample_probability(y, t)),
                    "you returned the log of the probability (a sum of logs). This exercise asks "
                    "for the probability itself: the product.",
                ),
            ),
        ),
        Exercise(
            name="normal_likelihood",
            chapter=2,
            signature="normal_likelihood(mu, sigma, y)",
            reference=lambda mu, sigma, y: np.prod(_normal_density(y, mu, sigma**2)),
            cases=(
                Case((0.0, 1.0, _EXAMPLE)),
                Case((0.5, 0.8, _EXAMPLE)),
                Case((1.2, 2.0, _NORMAL)),
                Case((-0.3, 0.5, [-0.5, 0.1, -0.2])),
            ),
            mistakes=(
                Mistake(
                    "variance",
                    lambda mu, sigma, y: np.prod(_normal_density(y, mu, sigma)),
                    "you used σ where the formula has σ². σ is the standard deviation; the "
                    "variance is sigma**2.",
                ),
                Mistake(
                    "no_constant",
                    lambda mu, sigma, y: np.prod(
                        np.exp(-((np.asarray(y, dtype=float) - mu) ** 2) / (2 * sigma**2))
                    ),
                    "the factor 1 / √(2πσ²) of each density is missing: without it the area under "
                    "the curve is not 1.",
                ),
                Mistake(
                    "sum",
                    lambda mu, sigma, y: np.sum(_normal_density(y, mu, sigma**2)),
                    "you added the densities; the likelihood of independent observations is their product.",
                ),
                Mistake(
                    "no_two",
                    lambda mu, sigma, y: np.prod(_normal_density(y, mu, sigma**2 / 2) * np.sqrt(0.5)),
                    "the exponent is −(y − μ)² / (2σ²): the 2 is missing.",
                ),
            ),
        ),
        Exercise(
            name="grid_mle",
            chapter=3,
            signature="grid_mle(y, grid)",
            reference=lambda y, grid: np.asarray(grid, dtype=float)[np.argmax(_grid_likelihood(y, grid))],
            cases=(
                Case((_COINS, np.linspace(0, 1, 101))),
                Case(([1, 1, 0, 1], np.linspace(0, 1, 11))),
                Case((_MORE_FLIPS, np.linspace(0.01, 0.99, 99))),
                Case(([0, 0, 0], np.linspace(0, 1, 21))),
            ),
            mistakes=(
                Mistake(
                    "argmin",
                    lambda y, grid: np.asarray(grid)[np.argmin(_grid_likelihood(y, grid))],
                    "you picked the θ where the likelihood is smallest. The estimate is where it "
                    "is largest: np.argmax.",
                ),
                Mistake(
                    "index",
                    lambda y, grid: np.argmax(_grid_likelihood(y, grid)),
                    "you returned the position of the best θ in the grid (an index), not θ itself: "
                    "grid[np.argmax(...)].",
                ),
                Mistake(
                    "max_value",
                    lambda y, grid: np.max(_grid_likelihood(y, grid)),
                    "you returned the largest likelihood, not the θ at which it is reached.",
                ),
            ),
        ),
        Exercise(
            name="bernoulli_nll",
            chapter=4,
            signature="bernoulli_nll(theta, y)",
            reference=lambda theta, y: -_bernoulli_loglik(theta, y),
            cases=(
                Case((0.3, _COINS)),
                Case((0.2, _COINS)),
                Case((0.65, [1, 1, 0, 1, 1, 0])),
                Case((0.45, _FLIPS)),
                Case((0.0, [0, 0, 0]), edge="log0"),
                Case((1.0, [1, 1]), edge="log0"),
            ),
            mistakes=(
                Mistake(
                    "sign",
                    lambda theta, y: _bernoulli_loglik(theta, y),
                    "you returned the log-likelihood. The negative log-likelihood is its negative: "
                    "put a minus sign in front of the sum.",
                ),
                Mistake(
                    "mean",
                    lambda theta, y: -_bernoulli_loglik(theta, y) / np.size(y),
                    "you averaged over the observations (that is the binary cross-entropy). The NLL "
                    "is the sum.",
                ),
                Mistake(
                    "likelihood",
                    lambda theta, y: _sample_probability(y, theta),
                    "you returned the likelihood, a product of probabilities. The NLL is "
                    "−Σ log P(y_i | θ): take the log of each probability, add them up, change the sign.",
                ),
            ),
            edges={"log0": LOG0},
        ),
        Exercise(
            name="bce_from_logits",
            chapter=5,
            signature="bce_from_logits(y, z)",
            reference=_bce,
            cases=(
                Case(([0, 1, 1], [-2.2, 1.4, 0.4])),
                Case(([1, 0, 1, 0], [3.0, -1.0, 0.0, 2.5])),
                Case((_LABELS, _LOGITS)),
                Case(([1, 0], [800.0, -900.0]), edge="overflow"),
                Case(([0, 1], [1000.0, -1000.0]), edge="overflow"),
            ),
            mistakes=(
                Mistake(
                    "sum",
                    lambda y, z: _bce(y, z) * np.size(y),
                    "you added up over the examples. Keras' binary cross-entropy, and this "
                    "exercise, is the mean.",
                ),
                Mistake(
                    "probabilities",
                    lambda y, z: np.mean(_naive_bce_terms(y, z)),
                    "you treated the logits as probabilities. A logit z is any real number; the "
                    "probability it stands for is σ(z) = 1 / (1 + e^(−z)).",
                ),
                Mistake(
                    "sign",
                    lambda y, z: -_bce(y, z),
                    "your loss is negative. The cross-entropy is −[y log p + (1 − y) log(1 − p)], "
                    "which is never below 0.",
                ),
                Mistake(
                    "one_term",
                    lambda y, z: np.mean(-np.asarray(y, dtype=float) * np.log(_sigmoid(z))),
                    "only the y = 1 term is there. The examples with y = 0 count too, through "
                    "(1 − y) log(1 − p).",
                ),
            ),
            edges={
                "overflow": "for large logits (|z| in the hundreds) your function gives inf or nan: "
                "σ(z) rounds to exactly 0 or 1 and its log is −inf (or e^(−z) overflows). Write the "
                "loss in z itself: max(z, 0) − z·y + log(1 + e^(−|z|)), with np.log1p."
            },
        ),
        Exercise(
            name="gaussian_nll",
            chapter=6,
            signature="gaussian_nll(w, b, x, y, sigma)",
            reference=_gaussian_nll,
            cases=(
                Case((0.8, -0.3, _X, _Y, 0.4)),
                Case((2.0, -1.0, [0.0, 1.0, 2.0], [-1.0, 1.2, 2.9], 1.5)),
                Case((1.0, 0.0, _EXAMPLE, _EXAMPLE + 0.1, 0.8)),
                Case((0.5, 0.25, _X, _Y, 2.0)),
            ),
            mistakes=(
                Mistake(
                    "sse",
                    lambda w, b, x, y, s: np.sum(_residuals(w, b, x, y) ** 2),
                    "that is the sum of squared errors. The NLL is SSE / (2σ²) + n log σ + "
                    "(n/2) log(2π): minimising either gives the same line, but their values differ.",
                ),
                Mistake(
                    "no_constant",
                    lambda w, b, x, y, s: np.sum(_residuals(w, b, x, y) ** 2) / (2 * s**2),
                    "you left out n log σ + (n/2) log(2π). They do not move the best line, but "
                    "they are part of the NLL, and they matter as soon as σ is learned.",
                ),
                Mistake(
                    "mean",
                    lambda w, b, x, y, s: _gaussian_nll(w, b, x, y, s) / np.size(x),
                    "you averaged over the observations. The NLL is the sum.",
                ),
                Mistake(
                    "variance",
                    lambda w, b, x, y, s: _gaussian_nll(w, b, x, y, math.sqrt(s)),
                    "you used σ where the formula has σ². σ is the standard deviation; the "
                    "variance is sigma**2.",
                ),
                Mistake(
                    "no_two",
                    lambda w, b, x, y, s: (
                        _gaussian_nll(w, b, x, y, s) + np.sum(_residuals(w, b, x, y) ** 2) / (2 * s**2)
                    ),
                    "the squared errors are divided by 2σ², not by σ².",
                ),
            ),
        ),
        Exercise(
            name="brier_score",
            chapter=11,
            signature="brier_score(y, q)",
            reference=_brier,
            cases=(
                Case(([1, 0, 1], [0.8, 0.3, 0.4])),
                Case(([0, 0, 1, 1, 0], [0.1, 0.6, 0.9, 0.55, 0.2])),
                Case((_LABELS, _PROBABILITIES)),
                Case(([1, 0], [1.0, 0.0])),
            ),
            mistakes=(
                Mistake(
                    "sum",
                    lambda y, q: _brier(y, q) * np.size(y),
                    "you added up over the examples. The Brier score here is the mean.",
                ),
                Mistake(
                    "absolute",
                    lambda y, q: np.mean(np.abs(np.asarray(q, dtype=float) - np.asarray(y, dtype=float))),
                    "you took the absolute difference |q − y|. The Brier score squares it: (q − y)².",
                ),
                Mistake(
                    "flipped",
                    lambda y, q: _brier(1 - np.asarray(y, dtype=float), q),
                    "you compared q with 1 − y. q is the probability that y = 1, so a label 1 is "
                    "predicted perfectly by q = 1: the difference is q − y.",
                ),
                Mistake(
                    "root",
                    lambda y, q: np.sqrt(_brier(y, q)),
                    "you took the square root of the mean. The Brier score is the mean squared "
                    "difference itself, without the root.",
                ),
            ),
        ),
    ]
}


# --- chapter 10: the MAP weights of a linear-Gaussian model under a Gaussian prior (ridge) ------


def _ridge(X, y, lam):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)


def _ridge_every_entry(X, y, lam):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return np.linalg.solve(X.T @ X + lam, X.T @ y)


_RIDGE_RNG = np.random.default_rng(20261210)  # the cases of ridge_map: the same at every import
_RIDGE_X = np.round(_RIDGE_RNG.normal(size=(12, 3)), 3)
_RIDGE_Y = np.round(_RIDGE_X @ [1.0, -0.5, 0.0] + _RIDGE_RNG.normal(0.0, 0.5, size=12), 3)
_RIDGE_X2 = np.round(_RIDGE_RNG.normal(size=(8, 2)), 3)
_RIDGE_Y2 = np.round(_RIDGE_X2 @ [2.0, 1.0] + _RIDGE_RNG.normal(0.0, 1.0, size=8), 3)

EXERCISES["ridge_map"] = Exercise(
    name="ridge_map",
    chapter=10,
    signature="ridge_map(X, y, sigma, tau)",
    reference=lambda X, y, sigma, tau: _ridge(X, y, sigma**2 / tau**2),
    cases=(
        Case((_RIDGE_X, _RIDGE_Y, 1.0, 0.5)),
        Case((_RIDGE_X2, _RIDGE_Y2, 2.0, 1.0)),
        Case((_RIDGE_X, _RIDGE_Y, 0.5, 2.0)),
        Case(([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [1.0, 2.0, 2.5], 1.5, 1.0)),
    ),
    mistakes=(
        Mistake(
            "inverted",
            lambda X, y, sigma, tau: _ridge(X, y, tau**2 / sigma**2),
            "your λ is τ² / σ², upside down. The prior weighs more when it is narrow (small τ) and "
            "when the data are noisy (large σ): λ = σ² / τ².",
        ),
        Mistake(
            "not_squared",
            lambda X, y, sigma, tau: _ridge(X, y, sigma / tau),
            "your λ is σ / τ. The penalty compares variances: λ = σ² / τ² (sigma**2 / tau**2).",
        ),
        Mistake(
            "least_squares",
            lambda X, y, sigma, tau: _ridge(X, y, 0.0),
            "that is least squares, the MLE: the prior is missing. Add λ = σ² / τ² to the diagonal of XᵀX.",
        ),
        Mistake(
            "every_entry",
            lambda X, y, sigma, tau: _ridge_every_entry(X, y, sigma**2 / tau**2),
            "you added λ to every entry of XᵀX (X.T @ X + lam). The prior adds it to the diagonal "
            "only: X.T @ X + lam * np.eye(X.shape[1]).",
        ),
    ),
)
