"""The NumPy reference formulas against scipy.stats, statsmodels and closed forms."""

import numpy as np
import pytest
from scipy import integrate, special, stats

from likelihood_course import likelihood as lk
from likelihood_course.data import COIN_FLIPS, NORMAL_EXAMPLE

THETAS = np.linspace(0.01, 0.99, 99)


def test_bernoulli_pmf_matches_scipy():
    for theta in (0.0, 0.3, 1.0):
        np.testing.assert_allclose(lk.bernoulli_pmf([0, 1], theta), stats.bernoulli(theta).pmf([0, 1]))


def test_bernoulli_likelihood_of_the_reading_example():
    # L(theta) = theta (1 - theta)^4 for the flips 0, 0, 0, 1, 0
    np.testing.assert_allclose(lk.bernoulli_likelihood(THETAS, COIN_FLIPS), THETAS * (1 - THETAS) ** 4)
    assert lk.bernoulli_likelihood(0.2, COIN_FLIPS) == pytest.approx(0.08192, abs=1e-12)


def test_bernoulli_likelihood_integrates_to_one_thirtieth():
    area, _ = integrate.quad(lambda t: lk.bernoulli_likelihood(t, COIN_FLIPS), 0, 1)
    assert area == pytest.approx(special.beta(2, 5), rel=1e-10)


def test_bernoulli_nll_matches_scipy_logpmf():
    y = np.array([1, 0, 1, 1, 0, 1])
    expected = [-stats.bernoulli(t).logpmf(y).sum() for t in THETAS]
    np.testing.assert_allclose(lk.bernoulli_nll(THETAS, y), expected)


def test_bernoulli_nll_at_the_edges():
    assert lk.bernoulli_nll(0.0, [0, 0]) == 0.0  # all zeros are certain under theta = 0
    assert lk.bernoulli_nll(0.0, [0, 1]) == np.inf  # a one is impossible


def test_bernoulli_mle_is_the_argmax():
    assert lk.bernoulli_mle(COIN_FLIPS) == 0.2
    grid = np.linspace(0, 1, 10001)
    assert grid[np.argmax(lk.bernoulli_likelihood(grid, COIN_FLIPS))] == pytest.approx(0.2)


def test_normal_pdf_matches_scipy():
    y = np.linspace(-3, 3, 13)
    np.testing.assert_allclose(lk.normal_pdf(y, 0.5, 0.7), stats.norm(0.5, 0.7).pdf(y))


def test_normal_likelihood_of_the_reading_example():
    mu, sigma = np.meshgrid(np.linspace(-1, 1, 21), np.linspace(0.3, 2, 18))
    closed = (2 * np.pi * sigma**2) ** -1.5 * np.exp(
        -((mu - 1) ** 2 + mu**2 + (mu + 1) ** 2) / (2 * sigma**2)
    )
    np.testing.assert_allclose(lk.normal_likelihood(mu, sigma, NORMAL_EXAMPLE), closed)


def test_normal_nll_matches_scipy_logpdf():
    y = np.random.default_rng(1).normal(2.0, 1.5, size=50)
    for mu, sigma in [(0.0, 1.0), (2.0, 1.5), (-1.0, 0.2)]:
        assert lk.normal_nll(mu, sigma, y) == pytest.approx(-stats.norm(mu, sigma).logpdf(y).sum())


def test_normal_mle_matches_scipy_fit_and_the_reading():
    y = np.random.default_rng(2).normal(3.0, 0.5, size=40)
    assert lk.normal_mle(y) == pytest.approx(stats.norm.fit(y))
    mu, sigma = lk.normal_mle(NORMAL_EXAMPLE)
    assert mu == 0.0 and sigma == pytest.approx(np.sqrt(2 / 3))


def test_binary_cross_entropy_of_the_reading_example():
    y, p = [0, 1, 1], [0.1, 0.8, 0.6]
    closed = -(np.log(0.9) + np.log(0.8) + np.log(0.6)) / 3
    assert lk.binary_cross_entropy(y, p) == pytest.approx(closed)
    assert round(lk.binary_cross_entropy(y, p), 5) == 0.27978
    assert lk.binary_cross_entropy(y, p) == pytest.approx(-np.mean(stats.bernoulli(p).logpmf(y)))


def test_sparse_categorical_cross_entropy_matches_scipy_multinomial():
    probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.25, 0.5, 0.25]])
    y = np.array([0, 2, 1])
    expected = -np.mean([stats.multinomial(1, p).logpmf(np.eye(3)[k]) for p, k in zip(probs, y)])
    assert lk.sparse_categorical_cross_entropy(y, probs) == pytest.approx(expected)


def test_uniform_prediction_costs_log_k():
    for k in (2, 3, 10):
        probs = np.full((4, k), 1 / k)
        assert lk.sparse_categorical_cross_entropy(np.arange(4) % k, probs) == pytest.approx(np.log(k))


def test_softmax_against_scipy():
    logits = np.array([[1000.0, 1001.0, 999.0], [0.0, 1.0, 2.0]])
    np.testing.assert_allclose(lk.softmax(logits), special.softmax(logits, axis=1))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: lk.bernoulli_pmf([0, 1], 1.5), "theta must lie in [0, 1]"),
        (lambda: lk.bernoulli_likelihood(-0.1, [0, 1]), "theta must lie in [0, 1]"),
        (lambda: lk.bernoulli_nll(0.5, [0, 2]), "y must contain only labels in {0, 1}"),
        (lambda: lk.bernoulli_mle([]), "y must not be empty"),
        (lambda: lk.bernoulli_mle([0, np.nan]), "y must contain only finite numbers"),
        (lambda: lk.normal_pdf(0.0, 0.0, 0.0), "sigma must be > 0"),
        (lambda: lk.normal_pdf(0.0, 0.0, 2e-313), "the density overflows"),  # a subnormal sigma
        (lambda: lk.normal_nll(0.0, -1.0, [1.0]), "sigma must be > 0"),
        (lambda: lk.normal_likelihood(np.nan, 1.0, [1.0]), "mu must contain only finite numbers"),
        (lambda: lk.normal_mle([[1.0, 2.0]]), "y must be a 1-D array"),
        (lambda: lk.binary_cross_entropy([0, 1], [0.5]), "y and p must have the same length"),
        (lambda: lk.binary_cross_entropy([0, 1], [0.0, 0.5]), "p must lie in the open interval (0, 1)"),
        (
            lambda: lk.sparse_categorical_cross_entropy([0, 3], np.full((2, 3), 1 / 3)),
            "y must contain only labels in {0, ..., 2}",
        ),
        (
            lambda: lk.sparse_categorical_cross_entropy([0], [[0.6, 0.6]]),
            "probs must have rows that sum to 1",
        ),
        # shapes that would broadcast into a wrong answer instead of failing
        (lambda: lk.binary_cross_entropy([0, 1, 1], [[0.1, 0.8, 0.6]]), "p must have shape (n,) or (n, 1)"),
        (lambda: lk.binary_cross_entropy([0, 1], np.full((2, 2), 0.5)), "p must have shape (n,) or (n, 1)"),
        (
            lambda: lk.bernoulli_pmf([0, 1, 1], [0.2, 0.3]),
            "theta must be a single number or have the shape of y",
        ),
        (
            lambda: lk.normal_pdf([0.0, 1.0, 2.0], [0.0, 1.0], 1.0),
            "mu must be a single number or have the shape of y",
        ),
        (
            lambda: lk.normal_pdf([0.0, 1.0], 0.0, [[1.0, 2.0]]),
            "sigma must be a single number or have the shape of y",
        ),
        (
            lambda: lk.normal_nll([0.0, 1.0], [1.0, 2.0, 3.0], [1.0]),
            "mu and sigma must be single numbers or grids of one shape",
        ),
        (
            lambda: lk.sparse_categorical_cross_entropy([0, 1], [[0.0, 1.0], [0.5, 0.5]]),
            "observed class y a probability > 0",
        ),
    ],
)
def test_bad_input_raises_a_value_error_naming_the_argument(call, message):
    with pytest.raises(ValueError) as err:
        call()
    assert message in str(err.value)


def test_binary_cross_entropy_of_a_keras_column():
    """Keras' predict returns a column (n, 1): the same value as for (n,), not an n x n broadcast."""
    y, p = np.array([0, 1, 1]), np.array([0.1, 0.8, 0.6])
    expected = -np.mean(stats.bernoulli(p).logpmf(y))
    assert lk.binary_cross_entropy(y, p[:, None]) == pytest.approx(expected, rel=1e-12)
    assert lk.binary_cross_entropy(y[:, None], p[:, None]) == pytest.approx(expected, rel=1e-12)


def test_per_observation_parameters_as_columns():
    y = np.array([-1.0, 0.0, 2.0])
    mu, sigma = np.array([0.0, 0.5, 1.0]), np.array([1.0, 2.0, 0.5])
    np.testing.assert_allclose(lk.normal_pdf(y, mu[:, None], sigma[:, None]), stats.norm(mu, sigma).pdf(y))
    theta = np.array([0.2, 0.9, 0.5])
    np.testing.assert_allclose(
        lk.bernoulli_pmf([0, 1, 1], theta[:, None]), stats.bernoulli(theta).pmf([0, 1, 1])
    )


def test_an_unobserved_class_may_have_probability_zero():
    probs = np.array([[0.5, 0.5, 0.0], [0.2, 0.8, 0.0]])
    expected = -np.mean(
        [stats.multinomial(1, probs[0]).logpmf([1, 0, 0]), stats.multinomial(1, probs[1]).logpmf([0, 1, 0])]
    )
    assert lk.sparse_categorical_cross_entropy([0, 1], probs) == pytest.approx(expected, rel=1e-12)
    assert lk.sparse_categorical_cross_entropy(np.array([[0], [1]]), probs) == pytest.approx(
        expected, rel=1e-12
    )
