"""Property-based tests (Hypothesis) of the helper package's public functions: for any input, of any
shape, with NaN and infinities among the numbers, either the result agrees with an independent
reference (scipy.stats, scipy.special) and holds no NaN, or a ValueError is raised. Nothing is
answered wrongly, and nothing fails with another exception.

Below those, every public function and every argument, seeds and options included (CALLS, which a
test keeps complete): a value of the wrong kind is refused with a ValueError that names the
argument; a value of the right kind is answered (without NaN, and the same at every call when
seeded) or refused with a ValueError that names it.

The examples are derandomised, so that every run tries the same inputs (CI is repeatable): 250 a
property, 50 in `make test-fast` (the profiles are in conftest.py)."""

import importlib
import inspect
import pkgutil
import re
import statistics
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import special, stats

import likelihood_course
from likelihood_course import (
    capacity,
    data,
    explorers,
    figures,
    intervals,
    noisy_data,
    practice,
    real_data,
    site_render,
    tfsetup,
)
from likelihood_course import likelihood as lk
from likelihood_course.selfcheck import Quiz

NUMBERS = st.floats(allow_nan=True, allow_infinity=True, width=64)
PROBABILITIES = st.one_of(st.floats(0, 1), st.sampled_from([0.0, 1.0, -0.1, 1.5, np.nan, np.inf]))
LABELS = st.sampled_from([0.0, 1.0, 0.0, 1.0, 2.0, -1.0, 0.5, np.nan])
SHAPES = hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=4)


def arrays(elements, shape=SHAPES):
    return hnp.arrays(np.float64, shape, elements=elements)


def flat(arr):
    """What the helper accepts as a 1-D array: (n,), or a column (n, 1)."""
    return arr[:, 0] if arr.ndim == 2 and arr.shape[1] == 1 else arr


def per_element(param, ref):
    """A parameter given as one number or one per element of ref (a column counting as one)."""
    if param.size == 1:
        return param.reshape(())
    return param[..., 0] if param.shape != ref.shape else param


def refused_or(call):
    """The call's result, or None when it raised a ValueError (and only then)."""
    try:
        return call()
    except ValueError:
        return None


@given(y=arrays(LABELS), theta=arrays(PROBABILITIES))
def test_bernoulli_pmf(y, theta):
    out = refused_or(lambda: lk.bernoulli_pmf(y, theta))
    if out is not None:
        y1 = np.atleast_1d(flat(y))
        expected = stats.bernoulli(per_element(theta, y1)).pmf(y1)
        assert not np.any(np.isnan(out))
        np.testing.assert_allclose(out, expected, rtol=1e-12)


@given(theta=arrays(PROBABILITIES), y=arrays(LABELS))
def test_bernoulli_nll_and_likelihood(theta, y):
    nll = refused_or(lambda: lk.bernoulli_nll(theta, y))
    like = refused_or(lambda: lk.bernoulli_likelihood(theta, y))
    assert (nll is None) == (like is None)
    if nll is not None:
        expected = -stats.bernoulli(theta[..., None]).logpmf(y).sum(axis=-1)
        assert not np.any(np.isnan(nll))  # +inf where a theta makes an observation impossible
        np.testing.assert_allclose(nll, expected, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(like, np.exp(-expected), rtol=1e-10, atol=1e-300)


@given(y=arrays(LABELS))
def test_bernoulli_mle(y):
    out = refused_or(lambda: lk.bernoulli_mle(y))
    if out is not None:
        assert out == pytest.approx(np.mean(y), rel=1e-12)
        assert 0 <= out <= 1


@given(y=arrays(NUMBERS), mu=arrays(NUMBERS), sigma=arrays(NUMBERS))
def test_normal_pdf(y, mu, sigma):
    out = refused_or(lambda: lk.normal_pdf(y, mu, sigma))
    if out is not None:
        with np.errstate(over="ignore"):  # scipy squares z: its overflow means a density of 0
            expected = stats.norm(per_element(mu, y), per_element(sigma, y)).pdf(y)
        assert np.all(np.isfinite(out))
        np.testing.assert_allclose(out, expected, rtol=1e-9, atol=1e-300)


@given(mu=arrays(NUMBERS), sigma=arrays(NUMBERS), y=arrays(NUMBERS, hnp.array_shapes(max_dims=2, max_side=4)))
def test_normal_nll(mu, sigma, y):
    out = refused_or(lambda: lk.normal_nll(mu, sigma, y))
    if out is not None:
        m, s = np.broadcast_arrays(mu, sigma)
        expected = -stats.norm(m[..., None], s[..., None]).logpdf(y).sum(axis=-1)
        assert not np.any(np.isnan(out))
        np.testing.assert_allclose(out, expected, rtol=1e-9)


@given(y=arrays(NUMBERS))
def test_normal_mle(y):
    out = refused_or(lambda: lk.normal_mle(y))
    if out is not None:
        assert np.all(np.isfinite(out))
        exact = [statistics.mean(y.tolist()), statistics.pstdev(y.tolist())]  # exact fractions inside
        np.testing.assert_allclose(out, exact, rtol=1e-9, atol=1e-300)


@given(y=arrays(LABELS), p=arrays(PROBABILITIES))
def test_binary_cross_entropy(y, p):
    out = refused_or(lambda: lk.binary_cross_entropy(y, p))
    if out is not None:
        expected = -np.mean(stats.bernoulli(flat(p)).logpmf(flat(y)))
        assert np.isfinite(out) and out == pytest.approx(expected, rel=1e-10)


@given(data_=st.data())
def test_sparse_categorical_cross_entropy(data_):
    n, k = data_.draw(st.integers(0, 4)), data_.draw(st.integers(1, 4))
    weights = data_.draw(arrays(st.sampled_from([0.0, 1.0, 2.0, 3.0, -1.0, np.nan]), st.just((n, k))))
    with np.errstate(divide="ignore", invalid="ignore"):
        probs = weights / weights.sum(axis=1, keepdims=True)
    y = data_.draw(
        arrays(
            st.sampled_from([0.0, 1.0, 2.0, 3.0, 4.0, np.nan]),
            st.sampled_from([(n,), (n, 1), (1, n), (n, 2)]),
        )
    )
    out = refused_or(lambda: lk.sparse_categorical_cross_entropy(y, probs))
    if out is not None:
        labels = flat(y).astype(int)
        expected = -np.mean([stats.multinomial(1, row).logpmf(np.eye(k)[c]) for row, c in zip(probs, labels)])
        assert np.isfinite(out) and out == pytest.approx(expected, rel=1e-10)


@given(z=arrays(NUMBERS))
def test_softmax(z):
    out = refused_or(lambda: lk.softmax(z))
    if out is not None:
        assert np.all(np.isfinite(out))
        np.testing.assert_allclose(out, special.softmax(z, axis=-1), rtol=1e-12)


@given(x=arrays(NUMBERS))
def test_noise_scale(x):
    out = refused_or(lambda: data.noise_scale(x))
    if out is not None:
        assert np.all(out >= 0.1) and np.all(np.isfinite(out))
        np.testing.assert_allclose(out, 0.1 + 0.3 * (x + 3), rtol=1e-12)


# Every public function of the package, every argument (seeds and options included). Given a value
# of the wrong kind (text, bytes, a boolean or None for a number, a complex number, a ragged, empty
# or non-finite array, a float seed, a string for a switch, something that is not an Axes for `ax`):
# a ValueError that names the argument, and nothing else (no other exception, no warning, no
# answer). Given a value of the right kind: an answer with no NaN, the same at every call, or a
# ValueError that names the argument (a value out of its range). Each function is called with the
# valid arguments of CALLS but for the one tried; the kind of each argument is named beside it.

COLUMN = real_data.DataSet(np.zeros((2, 1)), np.zeros(2), ("a",), "t", "test").column
START = explorers.pmf_pdf().start
NUMERIC, CHOICE = Quiz().numeric, Quiz().choice
XY = [[0.0, 1.0], [1.0, 0.0], [0.5, 0.5], [1.0, 1.0]]
AXES = ("ax", None, "ax")  # (name, valid value, kind), common to most figures


def args(*triples):
    """{name: (valid value, kind)} from (name, valid value, kind) triples."""
    return {name: (value, kind) for name, value, kind in triples}


CALLS = {
    lk.bernoulli_pmf: args(("y", [0, 1, 1], "labels"), ("theta", 0.3, "numbers")),
    lk.bernoulli_nll: args(("theta", 0.3, "numbers"), ("y", [0, 1], "labels")),
    lk.bernoulli_likelihood: args(("theta", 0.3, "numbers"), ("y", [0, 1], "labels")),
    lk.bernoulli_mle: args(("y", [0, 1], "labels")),
    lk.normal_pdf: args(("y", [0.5], "numbers"), ("mu", 0.0, "numbers"), ("sigma", 1.0, "numbers")),
    lk.normal_nll: args(("mu", 0.0, "numbers"), ("sigma", 1.0, "numbers"), ("y", [0.5], "numbers")),
    lk.normal_likelihood: args(("mu", 0.0, "numbers"), ("sigma", 1.0, "numbers"), ("y", [0.5], "numbers")),
    lk.normal_mle: args(("y", [0.5, 1.0], "numbers")),
    lk.binary_cross_entropy: args(("y", [0, 1], "labels"), ("p", [0.2, 0.7], "numbers")),
    lk.sparse_categorical_cross_entropy: args(
        ("y", [0, 1], "labels"), ("probs", [[0.5, 0.5], [0.2, 0.8]], "numbers")
    ),
    lk.softmax: args(("logits", [1.0, 2.0], "numbers")),
    data.coin_flips: args(("n", 5, "count"), ("theta", 0.3, "number"), ("seed", 0, "seed")),
    data.two_classes: args(("n", 5, "count"), ("seed", 0, "seed")),
    data.three_classes: args(("n", 5, "count"), ("seed", 0, "seed")),
    data.linear: args(
        ("n", 5, "count"),
        ("slope", 0.8, "number"),
        ("intercept", 1.0, "number"),
        ("sigma", 0.5, "number"),
        ("seed", 0, "seed"),
    ),
    data.heteroscedastic: args(
        ("n", 5, "count"), ("slope", 0.8, "number"), ("intercept", 1.0, "number"), ("seed", 0, "seed")
    ),
    data.noise_scale: args(("x", [0.0], "numbers")),
    noisy_data.wave: args(("n", 5, "count"), ("sigma", 0.3, "number"), ("seed", 3, "seed")),
    noisy_data.wave_mean: args(("x", [0.0], "numbers")),
    noisy_data.line_with_outliers: args(
        ("n", 10, "count"),
        ("n_outliers", 2, "count"),
        ("slope", 0.5, "number"),
        ("intercept", 1.0, "number"),
        ("sigma", 0.5, "number"),
        ("shift", -8.0, "number"),
        ("seed", 1, "seed"),
    ),
    noisy_data.counts: args(
        ("n", 5, "count"), ("intercept", 0.5, "number"), ("slope", 0.8, "number"), ("seed", 0, "seed")
    ),
    real_data.split: args(("n", 10, "count"), ("heldout", 1 / 3, "number"), ("seed", 0, "seed")),
    COLUMN: args(("name", "a", "text")),
    intervals.wald_interval: args(("k", 3, "counts"), ("n", 10, "count"), ("level", 0.95, "number")),
    intervals.wilson_interval: args(("k", 3, "counts"), ("n", 10, "count"), ("level", 0.95, "number")),
    intervals.lr_cutoff: args(("level", 0.95, "number")),
    intervals.lr_interval: args(
        ("k", 3, "counts"), ("n", 10, "count"), ("level", 0.95, "number"), ("iterations", 20, "count")
    ),
    capacity.sizing: args(
        ("measured", {"classes": [{"memory_mib": {"worst": 900.0}}]}, "measured"),
        ("node_gib", 32, "number"),
        ("reserved_gib", 2, "number"),
        ("class_size", 300, "count"),
    ),
    explorers.pmf_pdf: args(("theta", 0.3, "number"), ("mu", 0.0, "number"), ("sigma", 1.0, "number")),
    explorers.bernoulli_likelihood: args(
        ("y", [0, 1], "labels"), ("theta", 0.3, "number"), ("nll", False, "flag")
    ),
    explorers.normal_likelihood: args(
        ("y", [-1.0, 0.0, 1.0], "numbers"),
        ("mu", 0.5, "number"),
        ("sigma", 1.2, "number"),
        ("window", ((-2, 2), (0.3, 2.5)), "window"),
    ),
    explorers.classifier: args(("w1", 1.0, "number"), ("w2", -0.5, "number"), ("b", 0.5, "number")),
    explorers.regression: args(("w", 0.3, "number"), ("b", 0.5, "number"), ("sigma", 1.0, "number")),
    explorers.logistic_mle: args(("x", XY, "numbers"), ("y", [0, 1, 1, 0], "labels")),
    START: args(("name", "theta", "text")),
    NUMERIC: args(
        ("prompt", "p", "text"),
        ("answer", 0.5, "number"),
        ("tol", 0.01, "number"),
        ("explanation", "e", "text"),
        ("digits", None, "optional count"),
    ),
    CHOICE: args(("prompt", "p", "text"), ("options", [("a", True, "e"), ("b", False, "e")], "options")),
    tfsetup.load: args(("seed", 0, "seed")),
    practice.check: args(("name", "bernoulli_nll", "exercise name"), ("func", len, "function")),
    practice.evaluate: args(
        ("exercise", practice.EXERCISES["bernoulli_nll"], "exercise"), ("func", len, "any")
    ),
    site_render.json_for_html: args(("data", {"a": [1.0, "b", None]}, "json")),
    figures.bernoulli_likelihood_curve: args(
        ("y", [0, 1, 1], "labels"), AXES, ("mark_max", True, "flag"), ("shade", False, "flag")
    ),
    figures.bernoulli_likelihood_explorer: args(
        ("y", [0, 1], "labels"), ("theta", 0.3, "number"), ("nll", False, "flag")
    ),
    figures.bernoulli_pmfs: args(("thetas", (0.2,), "numbers"), AXES),
    figures.binary_outcome: args(
        ("x", [1.0, 2.0], "numbers"),
        ("y", [0, 1], "labels"),
        ("group", [0, 1], "labels"),
        ("curves", None, "optional dict"),
        ("xlabel", "x", "text"),
        ("ylabel", "y", "text"),
        ("group_labels", ("a", "b"), "two texts"),
        AXES,
    ),
    figures.class_regions: args(
        ("x", XY[:2], "numbers"),
        ("y", [0, 1], "labels"),
        ("w", np.eye(2), "numbers"),
        ("b", [0.0, 0.0], "numbers"),
        AXES,
        ("resolution", 2, "count"),
    ),
    figures.classifier_explorer: args(
        ("x", XY[:2], "numbers"), ("y", [0, 1], "labels"), ("w", [1.0, 1.0], "numbers"), ("b", 0.0, "number")
    ),
    figures.confidence_intervals: args(
        ("estimates", [0.5], "numbers"),
        ("standard_errors", [0.1], "numbers"),
        ("truth", 0.5, "number"),
        ("z", 1.96, "number"),
        AXES,
    ),
    figures.count_fits: args(
        ("x", [0.0, 1.0], "numbers"),
        ("y", [0, 2], "numbers"),
        ("poisson", (0, 1), "pair"),
        ("gaussian", (0, 1), "pair"),
        ("sigma", 1, "number"),
        ("level", 0.9, "number"),
    ),
    figures.count_frequencies: args(
        ("y", [0, 1, 2], "numbers"), ("expected", None, "optional dict"), ("max_count", 3, "count"), AXES
    ),
    figures.decision_boundary: args(
        ("x", XY[:2], "numbers"),
        ("y", [0, 1], "labels"),
        ("w", [1.0, 1.0], "numbers"),
        ("b", 0.0, "number"),
        ("levels", (0.1, 0.9), "numbers"),
        AXES,
    ),
    figures.estimate_spread: args(
        ("estimates", {"a": [1.0, 2.0]}, "dict"),
        ("truth", None, "optional number"),
        ("bins", 5, "count"),
        AXES,
    ),
    figures.interval_bands: args(
        ("x", [0.0, 1.0], "numbers"),
        ("y", [0.0, 1.0], "numbers"),
        ("bands", {"m": ([0, 1], [0, 1], [-1, 0], [1, 2])}, "dict"),
        ("xlabel", "x", "text"),
        ("ylabel", "y", "text"),
    ),
    figures.interval_coverage: args(
        ("ns", [10, 20], "numbers"),
        ("coverage", {"w": [0.9, 0.95]}, "dict"),
        ("level", 0.95, "number"),
        ("simulated", None, "optional dict"),
        AXES,
    ),
    figures.likelihood_and_nll: args(("y", [0, 1], "labels")),
    figures.likelihood_learns: args(
        ("flips", [0, 1, 1], "labels"),
        ("ns", (0, 1), "numbers"),
        ("theta_true", None, "optional number"),
        ("ncols", 2, "count"),
    ),
    figures.likelihood_ratio_interval: args(
        ("k", 3, "counts"), ("n", 10, "count"), ("level", 0.95, "number"), AXES
    ),
    figures.nll_curvature: args(("datasets", [[0, 1, 1]], "datasets"), AXES, ("window", 0.3, "number")),
    figures.normal_likelihood_explorer: args(
        ("y", [-1.0, 0.0, 1.0], "numbers"),
        ("mu", 0.5, "number"),
        ("sigma", 1.2, "number"),
        ("window", ((-2, 2), (0.3, 2.5)), "window"),
    ),
    figures.normal_likelihood_surface: args(
        ("y", [-1.0, 0.0, 1.0], "numbers"),
        ("mu", (-2, 2), "pair"),
        ("sigma", (0.3, 2.5), "pair"),
        AXES,
        ("mark_max", True, "flag"),
        ("levels", 3, "count"),
    ),
    figures.normal_pdfs: args(("params", ((0.0, 1.0),), "numbers"), AXES),
    figures.optimiser_path: args(
        ("y", [-1.0, 0.0, 1.0], "numbers"),
        ("mus", [0.0, 0.5], "numbers"),
        ("sigmas", [1.0, 1.2], "numbers"),
        AXES,
    ),
    figures.outlier_fits: args(
        ("x", [0.0, 1.0], "numbers"),
        ("y", [0.0, 1.0], "numbers"),
        ("lines", {"l": (0, 1)}, "dict"),
        ("outlier", None, "optional mask"),
        AXES,
    ),
    figures.pmf_pdf_explorer: args(("theta", 0.3, "number"), ("mu", 0.0, "number"), ("sigma", 1.0, "number")),
    figures.product_underflow: args(("y", [0, 1], "labels"), ("theta", 0.3, "number"), AXES),
    figures.regression_band: args(
        ("x", [0.0, 1.0], "numbers"),
        ("y", [0.0, 1.0], "numbers"),
        ("mean", [0.0, 1.0], "numbers"),
        ("sigma", 1.0, "numbers"),
        ("true_sigma", None, "optional numbers"),
        ("true_mean", None, "optional numbers"),
        AXES,
    ),
    figures.regression_explorer: args(
        ("x", [0.0, 1.0], "numbers"),
        ("y", [0.0, 1.0], "numbers"),
        ("w", 1.0, "number"),
        ("b", 0.0, "number"),
        ("sigma", 1.0, "number"),
    ),
    figures.regression_line: args(
        ("x", [0.0, 1.0], "numbers"),
        ("y", [0.0, 1.0], "numbers"),
        ("intercept", 0.0, "number"),
        ("slope", 1.0, "number"),
        ("true_intercept", None, "optional number"),
        ("true_slope", None, "optional number"),
        AXES,
    ),
    figures.residual_penalties: args(
        ("max_residual", 4.0, "number"), ("sigma", 1.0, "number"), ("beta", 1.0, "number"), AXES
    ),
    figures.sampling_distributions: args(
        ("estimates", {10: [0.1, 0.2]}, "dict"),
        ("truth", None, "optional number"),
        AXES,
        ("bins", 5, "count"),
        ("xlabel", "x", "text"),
    ),
    figures.scatter_data: args(
        ("x", [0.0, 1.0], "numbers"),
        ("y", [0.0, 1.0], "numbers"),
        ("xlabel", "x", "text"),
        ("ylabel", "y", "text"),
        ("title", None, "optional text"),
        AXES,
    ),
    figures.seed_fits: args(
        ("x", [0.0, 1.0], "numbers"),
        ("y", [0.0, 1.0], "numbers"),
        ("grid", [0.0, 1.0], "numbers"),
        ("curves", {"s": [0.0, 1.0]}, "dict"),
        ("truth", None, "optional numbers"),
        AXES,
    ),
    figures.reliability_bins: args(
        ("p", [0.2, 0.7], "numbers"), ("y", [0, 1], "labels"), ("bins", 10, "count")
    ),
    figures.expected_scores: args(("p", 0.3, "number"), AXES),
    figures.reliability_diagram: args(
        ("models", {"m": [0.2, 0.7]}, "dict"), ("y", [0, 1], "labels"), ("bins", 10, "count")
    ),
    figures.pit_histograms: args(("pits", {"m": [0.2, 0.7]}, "dict"), ("bins", 10, "count")),
    figures.temperature_explorer: args(
        ("z", [0.5, -1.0], "numbers"), ("y", [1, 0], "labels"), ("T", 1.0, "number"), ("bins", 10, "count")
    ),
    explorers.temperature: args(
        ("z", [0.5, -1.0, 2.0], "numbers"), ("y", [1, 0, 1], "labels"), ("T", 1.0, "number")
    ),
    figures.variance_bias: args(
        ("ns", [2, 4], "numbers"),
        ("mle_means", [0.5, 0.75], "numbers"),
        ("corrected_means", None, "optional numbers"),
        ("sigma2", 1.0, "number"),
        AXES,
    ),
}
# chapter 10's figures (likelihood_course/figures/map.py)
CALLS |= {
    figures.beta_bernoulli: args(
        ("k", 0, "count"), ("n", 5, "count"), ("a", 2.0, "number"), ("b", 2.0, "number"), AXES
    ),
    figures.shrinkage_paths: args(
        ("lams", [0.1, 1.0], "numbers"),
        ("ridge", [[1.0, 0.5], [0.5, 0.2]], "numbers"),
        ("lasso", [[1.0, 0.5], [0.5, 0.0]], "numbers"),
    ),
    figures.penalised_nll: args(
        ("w", [0.0, 1.0, 2.0], "numbers"),
        ("nll", [5.0, 2.0, 1.0], "numbers"),
        ("penalty", [0.0, 0.5, 2.0], "numbers"),
        AXES,
    ),
    explorers.map_beta: args(
        ("y", [0, 0, 1], "labels"), ("strength", 4.0, "number"), ("mode", 0.5, "number")
    ),
}

# Values of the wrong kind, for every argument of a kind (an optional argument takes None too)
NOT_NUMBERS = [
    "0.3",
    b"1",
    True,
    np.bool_(False),
    1 + 2j,
    np.complex128(1),
    {},
    object(),
    [[1.0], [1.0, 2.0]],
]
WRONG = {
    "number": [None, *NOT_NUMBERS, [0.3, 0.4], np.array([]), np.nan, -np.inf, 10**400],
    "numbers": [
        None,
        *NOT_NUMBERS,
        ["1", "2"],
        [1 + 0j, 2.0],
        [None, 1.0],
        [],
        [np.nan],
        [np.inf, 1.0],
        [True, False],
    ],
    "labels": [
        None,
        "01",
        ["0", "1"],
        [1 + 0j, 0],
        [None, 1],
        [[0, 1], [1]],
        [],
        [0.5, 1],
        [np.nan, 1],
        [2, 0],
        [-1, 0],
    ],
    "count": [None, "3", 3.0, np.float64(3), 2.5, True, -1, np.nan, 1 + 0j, [3]],
    "counts": [None, "3", 3.5, True, -1, 11, 1 + 0j, np.nan, [[1], [1, 2]], []],
    "seed": [None, "a", "0", np.nan, -1, 1.5, np.float64(3), True, 2**32, [1, 2], 1 + 0j],
    "flag": [None, "yes", "False", 1, 0, 1.0, [True], np.array([True, False])],
    "text": [None, 1, 1.5, b"x", ["a"]],
    "ax": ["ax", 1, [], object(), np.zeros(2)],
    "dict": [None, "x", 1, [], {}, object(), [("a", 1)], {"k": "bad"}],
    "pair": [None, "ab", [1.0], [1.0, 2.0, 3.0], ["a", "b"], [1 + 0j, 2], [np.nan, 1.0]],
    "two texts": [None, "ab", ["a"], ["a", "b", "c"], [1, 2], [None, "b"]],
    "window": [
        None,
        "wide",
        ((2, -2), (0.3, 2.5)),
        ((-2, 2), (-1, 2.5)),
        [[1, 2]],
        ((-2, 2), (0.3, np.inf)),
        (("a", "b"), (1, 2)),
        ((-2, 2), (0.3, 2.5, 3)),
    ],
    "datasets": [None, "abc", 1, [[0, 2]], [["0", "1"]], [], [[0, 0]], object()],
    "optional mask": ["x", 1, [0, 1], [1.0, 0.0], [True], [[True], [True, False]]],
    "measured": [
        None,
        {},
        "x",
        [],
        {"classes": []},
        {"classes": "x"},
        {"classes": [{}]},
        {"classes": [{"memory_mib": {"worst": 0}}]},
        {"classes": [{"memory_mib": {"worst": "900"}}]},
        {"classes": [{"memory_mib": {"worst": np.nan}}]},
    ],
    "exercise name": [None, 1, b"bernoulli_nll", "no such exercise", ["bernoulli_nll"]],
    "exercise": [None, "bernoulli_nll", 1],
    "function": [None, "f", 1],
    "any": [],  # the learner's function: whatever it is, evaluate's feedback says what is wrong with it
    "json": [np.nan, [1.0, np.inf], {"a": -np.inf}, {"a": object()}, {1: "a", "b": 2}, b"x"],
    "options": [
        None,
        "ab",
        [1, 2],
        {},
        object(),
        [("a", True, "e")],
        [("a", "yes", "e"), ("b", False, "e")],
        [("a", True), ("b", False, "e")],
        [("a", True, "e"), ("b", True, "e")],
    ],
}
for _kind in ("number", "numbers", "count", "text", "dict"):
    WRONG[f"optional {_kind}"] = [v for v in WRONG[_kind] if v is not None]
WRONG["optional count"] += [21]  # digits: at most 20
WRONG["optional dict"].remove({})  # an empty dict of curves or expectations is fine


def public_functions():
    """Every public function of the package: in each module, the names of its `__all__` (or,
    without one, each public name), and the methods of its public classes."""
    found = set()
    for info in pkgutil.walk_packages(likelihood_course.__path__, "likelihood_course."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue  # a private module (the figures' _axes, the checks)
        module = importlib.import_module(info.name)
        names = getattr(module, "__all__", None) or [n for n in vars(module) if not n.startswith("_")]
        for obj in (getattr(module, name) for name in names):
            if getattr(obj, "__module__", None) != module.__name__:
                continue  # imported: found in its own module (or not the package's: myst-nb's glue)
            if inspect.isfunction(obj):
                found.add(qualified(obj))
            elif inspect.isclass(obj):
                found |= {
                    f"{qualified(obj)}.{n}"
                    for n, f in vars(obj).items()
                    if inspect.isfunction(f) and n[0] != "_"
                }
    return found


def qualified(function):
    target = getattr(function, "__func__", function)
    return f"{target.__module__}.{target.__qualname__}"


# Functions with no argument to check (the checks themselves are what the rest of this file tests)
WITHOUT_ARGUMENTS = {"spector", "engel", "randhie", "measurements", "use", "answers", "figure"}


def test_every_public_function_is_in_the_table():
    listed = {qualified(f) for f in CALLS}
    missing = {
        name for name in public_functions() - listed if name.rsplit(".", 1)[-1] not in WITHOUT_ARGUMENTS
    }
    assert not missing, f"add these to CALLS, with the kind of each argument: {sorted(missing)}"
    for function, arguments in CALLS.items():
        parameters = set(inspect.signature(function).parameters) - {"surface_kw"}
        assert set(arguments) == parameters, qualified(function)


def call(function, name, value):
    """function(valid arguments, with `name` = value), warnings raised as errors."""
    kwargs = {arg: valid for arg, (valid, _) in CALLS[function].items()}
    kwargs[name] = value
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return function(**kwargs)


def names(name):
    """The message names the argument: the word, or the word followed by an index."""
    return re.compile(rf"(?<![\w.]){re.escape(name)}(?![\w])")


SWEPT = list(CALLS)


@pytest.mark.parametrize("function", SWEPT, ids=qualified)
def test_a_value_of_the_wrong_kind_is_refused_naming_the_argument(function):
    wrong = []
    for name, (_, kind) in CALLS[function].items():
        for value in WRONG[kind]:
            try:
                call(function, name, value)
                wrong.append(f"{name}={value!r}: answered")
            except ValueError as err:
                if not names(name).search(str(err)):
                    wrong.append(f"{name}={value!r}: the message does not name {name}: {err}")
            except Exception as err:  # noqa: BLE001 - any other exception is the failure reported
                wrong.append(f"{name}={value!r}: {type(err).__name__}: {err}")
    assert not wrong, "\n".join(wrong)


# Values of the right kind, arbitrary: `ok` says which must be answered, the others may be refused
RIGHT_KIND = {
    "number": st.one_of(
        NUMBERS,
        st.integers(-(10**30), 10**30),
        st.floats(width=32).map(np.float32),
        st.integers(-9, 9).map(np.int64),
    ),
    "numbers": st.one_of(arrays(NUMBERS), st.lists(st.integers(-5, 5), max_size=4)),
    "labels": st.one_of(arrays(LABELS), hnp.arrays(np.bool_, SHAPES)),
    "count": st.one_of(st.integers(-3, 40), st.integers(0, 40).map(np.int64)),
    "counts": st.integers(-3, 40),
    "seed": st.one_of(
        st.integers(-3, 2**33), st.sampled_from([2**32 - 1, 2**32]), st.integers(0, 2**32 - 1).map(np.uint32)
    ),
    "flag": st.one_of(st.booleans(), st.booleans().map(np.bool_)),
    "text": st.text(max_size=8),
    "optional count": st.one_of(st.none(), st.integers(-3, 30)),
}
MUST_ANSWER = {  # what no function may refuse, whatever its other (valid) arguments
    "seed": lambda v: 0 <= v <= 2**32 - 1,
    "flag": lambda v: True,
    "optional count": lambda v: v is None or 0 <= v <= 20,
}


def finite(value):
    """Whether every number in `value` is finite in float64 (a Python int beyond it is not)."""
    try:
        return bool(np.all(np.isfinite(np.asarray(value, dtype=float))))
    except OverflowError:
        return False


MUST_REFUSE = {  # what every function must refuse
    "number": lambda v: not finite(v),
    "numbers": lambda v: np.size(v) == 0 or not finite(v),
    "labels": lambda v: np.size(v) == 0 or not np.all(np.isin(v, [0, 1])),
    "count": lambda v: v < 0,
    "counts": lambda v: v < 0,
    "seed": lambda v: not 0 <= v <= 2**32 - 1,
    "optional count": lambda v: v is not None and not 0 <= v <= 20,
}
# The arguments tried with values of the right kind: all but the figures' (drawing is slow: the
# sweep above tries theirs), TensorFlow's seed (importing it is slow) and logistic_mle's x (a fit's
# numerical range is another matter than its arguments' kinds)
TRIED = {
    function: [
        name
        for name, (_, kind) in arguments.items()
        if kind in RIGHT_KIND and (function, name) != (explorers.logistic_mle, "x")
    ]
    for function, arguments in CALLS.items()
    if function is not tfsetup.load
    and not qualified(function).startswith(figures.__name__)
    and any(kind in RIGHT_KIND for _, kind in arguments.values())
}


def without_nan(result):
    """Whether no number in `result` (arrays, tuples, dicts, an Explorer's payload, a question) is NaN."""
    if isinstance(result, explorers.Explorer):
        return without_nan(result.payload)
    if hasattr(result, "_repr_mimebundle_"):
        return without_nan(result._repr_mimebundle_())
    if isinstance(result, dict):
        return all(without_nan(v) for v in result.values())
    if isinstance(result, (list, tuple)):
        return all(without_nan(v) for v in result)
    if isinstance(result, (float, np.ndarray, np.number)):
        return not np.any(np.isnan(result))
    return True


@pytest.mark.parametrize("function", TRIED, ids=qualified)
@settings(max_examples=max(10, settings.default.max_examples // 5))  # a fifth of the profile's, each
@given(data_=st.data())
def test_a_value_of_the_right_kind_is_answered_or_refused_naming_the_argument(function, data_):
    name = data_.draw(st.sampled_from(TRIED[function]), label="argument")
    kind = CALLS[function][name][1]
    value = data_.draw(RIGHT_KIND[kind], label=name)
    try:
        result = call(function, name, value)
    except ValueError as err:
        assert not MUST_ANSWER.get(kind, lambda v: False)(value), f"{name}={value!r} refused: {err}"
        assert names(name).search(str(err)), f"the message does not name {name}: {err}"
        return
    assert not MUST_REFUSE.get(kind, lambda v: False)(value), f"{name}={value!r} answered: {result!r}"
    assert without_nan(result)
    if "seed" in CALLS[function]:  # seeded: the same answer at every call, all of it finite
        np.testing.assert_equal(call(function, name, value), result)
        assert all(np.all(np.isfinite(part)) for part in result)
