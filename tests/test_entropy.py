"""Chapter 5's entropy, cross-entropy and Kullback-Leibler divergence, held against
scipy.stats.entropy: the helper's mean NLL of labels is the cross-entropy from their empirical
distribution (H(p) + KL(p || q)) and the mean KL from one-hot rows, and the numbers the KL
exercise's solution states are scipy's. (The chapter's own entropies are glued and held in
test_chapter_values.py.)"""

import re

import numpy as np
import pytest
from built import solution
from scipy import stats

import likelihood_course as lc


def test_mean_nll_of_labels_is_the_cross_entropy_of_their_empirical_distribution():
    rng = np.random.default_rng(9)
    labels = rng.integers(0, 4, size=500)
    q = np.array([0.1, 0.2, 0.3, 0.4])
    p_hat = np.bincount(labels, minlength=4) / labels.size
    mean_nll = lc.likelihood.sparse_categorical_cross_entropy(labels, np.tile(q, (labels.size, 1)))
    assert mean_nll == pytest.approx(stats.entropy(p_hat) + stats.entropy(p_hat, q), rel=1e-12)


def test_the_mean_kl_from_one_hot_rows_is_the_mean_nll():
    theta = np.random.default_rng(3).dirichlet(np.ones(3), size=4)
    y = np.array([0, 2, 1, 2])
    one_hot = np.eye(3)[y]
    mean = np.mean([stats.entropy(row, probs) for row, probs in zip(one_hot, theta)])
    assert mean == pytest.approx(lc.likelihood.sparse_categorical_cross_entropy(y, theta), rel=1e-12)


def test_the_kl_exercise_solution_states_scipys_numbers():
    """ex-clf-kl-coin: KL((0.8, 0.2) || (0.7, 0.3)) and its two terms, as the solution writes them."""
    text = solution("05_classifiers", "ex-clf-kl-coin")
    stated = re.search(r"= (\d\.\d+) - (\d\.\d+) = (\d\.\d+)\$", text)
    assert stated, f"the solution's numbers are not where the test looks: {text[:200]}"
    first, second, kl = map(float, stated.groups())
    assert first == pytest.approx(0.8 * np.log(0.8 / 0.7), abs=5e-6)
    assert -second == pytest.approx(0.2 * np.log(0.2 / 0.3), abs=5e-6)
    assert kl == pytest.approx(stats.entropy([0.8, 0.2], [0.7, 0.3]), abs=5e-6)
