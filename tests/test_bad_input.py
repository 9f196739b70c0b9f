"""Bad input to the helper package, the rest (issue 28, point 7): each call below once answered
with a raw TypeError, KeyError or ZeroDivisionError, silently coerced what it was given (a string,
a boolean, a complex number), or returned an infinity or a NaN. Each must now raise a ValueError
that names the argument; and a level close to 1 gives the right interval, not (-inf, inf).

tests/test_properties.py holds every public function to the same rule for arbitrary input."""

import warnings
from statistics import NormalDist

import numpy as np
import pytest

from likelihood_course import capacity, data, explorers, intervals, noisy_data, real_data
from likelihood_course import likelihood as lk
from likelihood_course.selfcheck import Quiz


def _options():
    return [("yes", True, "right"), ("no", False, "wrong")]


def _measured(worst):
    return {"classes": [{"students": 1, "memory_mib": {"median": worst, "worst": worst}}]}


REFUSED = {
    # unchecked seeds: TypeError from NumPy
    "coin_flips seed='a'": (lambda: data.coin_flips(seed="a"), "seed"),
    "two_classes seed=nan": (lambda: data.two_classes(seed=float("nan")), "seed"),
    "three_classes seed=-1": (lambda: data.three_classes(seed=-1), "seed"),
    "linear seed=1.5": (lambda: data.linear(seed=1.5), "seed"),
    "heteroscedastic seed=True": (lambda: data.heteroscedastic(seed=True), "seed"),
    "split seed='x'": (lambda: real_data.split(10, seed="x"), "seed"),
    "wave seed=None": (lambda: noisy_data.wave(seed=None), "seed"),
    "counts seed=[1, 2]": (lambda: noisy_data.counts(seed=[1, 2]), "seed"),
    "line_with_outliers seed=2**64": (lambda: noisy_data.line_with_outliers(seed=2**64), "seed"),
    # a list where one number belongs: TypeError from float()
    "wave sigma=[.3, .4]": (lambda: noisy_data.wave(sigma=[0.3, 0.4]), "sigma"),
    "line_with_outliers slope=[1, 2]": (lambda: noisy_data.line_with_outliers(slope=[1, 2]), "slope"),
    "counts intercept=[0, 1]": (lambda: noisy_data.counts(intercept=[0.0, 1.0]), "intercept"),
    # a string compared with numbers: TypeError
    "pmf_pdf theta='0.3'": (lambda: explorers.pmf_pdf(theta="0.3"), "theta"),
    "classifier w1=None": (lambda: explorers.classifier(w1=None), "w1"),
    "bernoulli_likelihood explorer nll='no'": (lambda: explorers.bernoulli_likelihood(nll="no"), "nll"),
    # the quiz: a format error, a TypeError from len(None)
    "numeric digits=-1": (lambda: Quiz().numeric("p", 0.5, 0.01, "e", digits=-1), "digits"),
    "numeric digits=2.0": (lambda: Quiz().numeric("p", 0.5, 0.01, "e", digits=2.0), "digits"),
    "numeric answer=[1, 2]": (lambda: Quiz().numeric("p", [1.0, 2.0], 0.01, "e"), "answer"),
    "choice options=None": (lambda: Quiz().choice("p", None), "options"),
    "choice options='ab'": (lambda: Quiz().choice("p", "ab"), "options"),
    "choice options=[1, 2]": (lambda: Quiz().choice("p", [1, 2]), "options"),
    # capacity: a KeyError, a ZeroDivisionError
    "sizing({})": (lambda: capacity.sizing({}), "measured"),
    "sizing(worst memory 0)": (lambda: capacity.sizing(_measured(0)), "measured"),
    "sizing(worst memory nan)": (lambda: capacity.sizing(_measured(float("nan"))), "measured"),
    "sizing(classes=[])": (lambda: capacity.sizing({"classes": []}), "measured"),
    # logistic_mle: x of shape (n, 3), a matmul error that names no argument
    "logistic_mle x (n, 3)": (lambda: explorers.logistic_mle(np.ones((4, 3)), [0, 1, 0, 1]), "x"),
    "logistic_mle y too short": (lambda: explorers.logistic_mle(np.ones((4, 2)), [0, 1]), "y"),
    # complex numbers: silently cast to their real part (ComplexWarning) or a TypeError
    "normal_pdf complex y": (lambda: lk.normal_pdf(1 + 2j, 0.0, 1.0), "y"),
    "bernoulli_pmf complex theta": (lambda: lk.bernoulli_pmf([0, 1], 0.5 + 0j), "theta"),
    "normal_mle complex y": (lambda: lk.normal_mle([1 + 1j, 2.0]), "y"),
    "linear complex slope": (lambda: data.linear(slope=1j), "slope"),
    "wald complex level": (lambda: intervals.wald_interval(3, 10, level=0.9 + 0j), "level"),
    # silent coercion: strings and booleans read as numbers
    "bernoulli_pmf('1', '0.3')": (lambda: lk.bernoulli_pmf("1", "0.3"), "y"),
    "bernoulli_pmf(1, '0.3')": (lambda: lk.bernoulli_pmf(1, "0.3"), "theta"),
    "normal_pdf(True, 0, 1)": (lambda: lk.normal_pdf(True, 0, 1), "y"),
    "normal_pdf(0, 0, True)": (lambda: lk.normal_pdf(0.0, 0.0, True), "sigma"),
    "normal_nll mu=[True]": (lambda: lk.normal_nll([True], 1.0, [0.0]), "mu"),
    "wave sigma='0.3'": (lambda: noisy_data.wave(sigma="0.3"), "sigma"),
    "softmax strings": (lambda: lk.softmax(["1", "2"]), "logits"),
    "normal_mle None": (lambda: lk.normal_mle([1.0, None]), "y"),
    "normal_mle ragged": (lambda: lk.normal_mle([[1.0, 2.0], [3.0]]), "y"),
    "normal_mle a dict": (lambda: lk.normal_mle({"a": 1.0}), "y"),
    "normal_mle beyond float64": (lambda: lk.normal_mle([10**400, 1]), "y"),
    # silent bad values: an infinity with an overflow warning, a window of negative sigmas
    "linear slope=1e308": (lambda: data.linear(slope=1e308), "slope"),
    "heteroscedastic slope=-1e308": (lambda: data.heteroscedastic(slope=-1e308), "slope"),
    "line_with_outliers slope=1e308": (lambda: noisy_data.line_with_outliers(slope=1e308), "slope"),
    "wave sigma=1e308": (lambda: noisy_data.wave(sigma=1e308), "sigma"),
    "normal_likelihood window below sigma 0": (
        lambda: explorers.normal_likelihood(sigma=0.5, window=((-2.0, 2.0), (-1.0, 2.5))),
        "window",
    ),
    "normal_likelihood window low > high": (
        lambda: explorers.normal_likelihood(window=((2.0, -2.0), (0.3, 2.5))),
        "window",
    ),
    "normal_likelihood window of strings": (
        lambda: explorers.normal_likelihood(window="wide"),
        "window",
    ),
    "normal_likelihood y all equal": (lambda: explorers.normal_likelihood(y=[1.0, 1.0]), "y"),
}


@pytest.mark.parametrize("call, name", REFUSED.values(), ids=REFUSED.keys())
def test_bad_input_is_refused_with_a_value_error_naming_the_argument(call, name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning (ComplexWarning, an overflow) is not a refusal
        with pytest.raises(ValueError, match=rf"\b{name}\b"):
            call()


def _z(level):
    """The two-sided normal quantile from the standard library (Wichura's AS241, accurate in the
    far tail): 1 - level is exact in float64 for a level of at least 0.5."""
    return -NormalDist().inv_cdf((1 - level) / 2)


@pytest.mark.parametrize("level", [1 - 1e-16, 1 - 1e-15, 1 - 1e-12, 0.999999, 0.95, 1e-300])
@pytest.mark.parametrize("k, n", [(3, 10), (0, 10), (10, 10), (1, 1)])
def test_intervals_at_levels_near_one_are_finite_and_right(level, k, n):
    """level = 1 - 1e-16 once gave Wald (-inf, inf) and Wilson (nan, nan): 0.5 + level / 2 rounds
    to 1, whose normal quantile is inf. The references are the closed forms with z from mpmath."""
    z = _z(level)  # chi2(1).ppf(level) = z^2, for the likelihood-ratio cutoff
    theta = k / n
    half = z * np.sqrt(theta * (1 - theta) / n)
    np.testing.assert_allclose(intervals.wald_interval(k, n, level), (theta - half, theta + half), rtol=1e-12)
    centre = (k + z**2 / 2) / (n + z**2)
    spread = z * np.sqrt(n) / (n + z**2) * np.sqrt(theta * (1 - theta) + z**2 / (4 * n))
    np.testing.assert_allclose(
        intervals.wilson_interval(k, n, level), (centre - spread, centre + spread), rtol=1e-12, atol=1e-15
    )
    assert intervals.lr_cutoff(level) == pytest.approx(z**2 / 2, rel=1e-12)
    low, high = intervals.lr_interval(k, n, level)
    assert np.isfinite(low) and np.isfinite(high) and 0 <= low <= theta <= high <= 1


def _halves(order):
    return np.sort(order[3:]), np.sort(order[:3])


VALID = {
    "bernoulli_pmf of booleans": (lambda: lk.bernoulli_pmf(np.array([True, False]), 0.25), [0.25, 0.75]),
    "bernoulli_mle of booleans": (lambda: lk.bernoulli_mle([True, False, False, True]), 0.5),
    "normal_pdf of NumPy scalars": (
        lambda: lk.normal_pdf(np.float32(0.0), np.int64(0), np.float64(1.0)),
        1 / np.sqrt(2 * np.pi),
    ),
    "normal_mle of Python ints beyond int64": (lambda: lk.normal_mle([2**70, 2**70]), (2.0**70, 0.0)),
    "coin_flips with a NumPy seed": (
        lambda: data.coin_flips(3, seed=np.int64(5)),
        data.coin_flips(3, seed=5),
    ),
    "split with the largest seed": (
        lambda: real_data.split(6, heldout=0.5, seed=2**32 - 1),
        _halves(np.random.default_rng(2**32 - 1).permutation(6)),
    ),
}


@pytest.mark.parametrize("call, expected", VALID.values(), ids=VALID.keys())
def test_valid_input_of_every_kind_still_answers(call, expected):
    """What the checks must keep accepting: labels as booleans, NumPy scalars, big Python ints,
    seeds as NumPy integers and up to 2**32 - 1."""
    out = call()
    if isinstance(expected, tuple):
        for a, b in zip(out, expected):
            np.testing.assert_allclose(a, b, rtol=1e-15)
    else:
        np.testing.assert_allclose(out, expected, rtol=1e-6)
