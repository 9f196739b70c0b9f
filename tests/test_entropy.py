"""Chapter 5's entropy, cross-entropy and Kullback-Leibler divergence, held against
scipy.stats.entropy: H(p, q) = H(p) + KL(p || q), the mean NLL of data is the cross-entropy from
their empirical distribution, and a one-hot label's cross-entropy is the example's NLL."""

import numpy as np
import pytest
from scipy import stats

import likelihood_course as lc


def cross_entropy(p, q):
    return -np.sum(p * np.log(q))


def test_the_chapters_example_five_flips_against_a_fair_coin():
    flips = np.array([0, 0, 0, 1, 0])
    p_hat = np.bincount(flips, minlength=2) / flips.size
    q = np.array([0.5, 0.5])
    entropy, kl = stats.entropy(p_hat), stats.entropy(p_hat, q)
    assert entropy == pytest.approx(-(0.8 * np.log(0.8) + 0.2 * np.log(0.2)), rel=1e-12)
    assert entropy + kl == pytest.approx(np.log(2), rel=1e-12)  # H(p_hat, q) for a fair coin
    mean_nll = -np.mean(stats.bernoulli(0.5).logpmf(flips))
    assert mean_nll == pytest.approx(entropy + kl, rel=1e-12)
    # at the MLE theta = 1/5 the model is the empirical distribution: KL = 0, NLL = entropy
    at_mle = -np.mean(stats.bernoulli(0.2).logpmf(flips))
    assert at_mle == pytest.approx(entropy, rel=1e-12)
    assert stats.entropy(p_hat, [0.8, 0.2]) == pytest.approx(0.0, abs=1e-15)


@pytest.mark.parametrize("seed", range(5))
def test_cross_entropy_is_entropy_plus_kl_and_kl_is_not_negative(seed):
    rng = np.random.default_rng(seed)
    p, q = rng.dirichlet(np.ones(6)), rng.dirichlet(np.ones(6))
    assert cross_entropy(p, q) == pytest.approx(stats.entropy(p) + stats.entropy(p, q), rel=1e-12)
    assert stats.entropy(p, q) > 0
    assert cross_entropy(p, q) > cross_entropy(p, p)  # smallest when the model is the data


def test_mean_nll_of_labels_is_the_cross_entropy_of_their_empirical_distribution():
    rng = np.random.default_rng(9)
    labels = rng.integers(0, 4, size=500)
    q = np.array([0.1, 0.2, 0.3, 0.4])
    p_hat = np.bincount(labels, minlength=4) / labels.size
    mean_nll = lc.likelihood.sparse_categorical_cross_entropy(labels, np.tile(q, (labels.size, 1)))
    assert mean_nll == pytest.approx(stats.entropy(p_hat) + stats.entropy(p_hat, q), rel=1e-12)


def test_a_one_hot_rows_cross_entropy_is_its_nll_and_its_kl():
    theta = np.random.default_rng(3).dirichlet(np.ones(3), size=4)
    y = np.array([0, 2, 1, 2])
    one_hot = np.eye(3)[y]
    for row, probs, label in zip(one_hot, theta, y):
        assert stats.entropy(row) == 0.0
        assert stats.entropy(row, probs) == pytest.approx(-np.log(probs[label]), rel=1e-12)
    mean = np.mean([stats.entropy(row, probs) for row, probs in zip(one_hot, theta)])
    assert mean == pytest.approx(lc.likelihood.sparse_categorical_cross_entropy(y, theta), rel=1e-12)


def test_the_kl_exercise():
    """ex-clf-kl-coin: KL((0.8, 0.2) || (0.7, 0.3)) and its two terms, as the solution states."""
    assert stats.entropy([0.8, 0.2], [0.7, 0.3]) == pytest.approx(0.02573, abs=5e-6)
    assert 0.8 * np.log(0.8 / 0.7) == pytest.approx(0.10683, abs=5e-6)
    assert 0.2 * np.log(0.2 / 0.3) == pytest.approx(-0.08109, abs=5e-6)


def test_the_bias_gradient_exercise_predicted_probabilities_sum_to_the_ones():
    """ex-clf-bias-gradient: at the logistic regression MLE, sum theta_i = sum y_i."""
    sm = pytest.importorskip("statsmodels.api")
    x, y = lc.data.two_classes()
    fit = sm.Logit(y.astype(float), sm.add_constant(x.astype(float))).fit(disp=0, tol=1e-12)
    assert fit.predict().sum() == pytest.approx(y.sum(), abs=1e-6)
