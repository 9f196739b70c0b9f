"""Property-based tests (Hypothesis) of the helper package's public functions: for any input, of any
shape, with NaN and infinities among the numbers, either the result agrees with an independent
reference (scipy.stats, scipy.special) and holds no NaN, or a ValueError is raised. Nothing is
answered wrongly, and nothing fails with another exception.

The examples are derandomised, so that every run tries the same inputs (CI is repeatable): 250 a
property, 50 in `make test-fast` (the profiles are in conftest.py)."""

import statistics

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import special, stats

from likelihood_course import data
from likelihood_course import likelihood as lk

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
