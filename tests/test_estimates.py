"""The claims of chapter 8 (how good is an estimate?), held against independent references: exact
sampling distributions from scipy.stats (chi-square, chi, binomial), statsmodels' standard errors
and Wald interval, NumPy finite differences of the reference NLLs, and closed forms.

Simulations use their own seeds (not the chapter's) and are checked within a few Monte Carlo
standard errors, so that they test the claim, not one lucky draw."""

import statistics

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import special, stats
from statsmodels.stats.proportion import proportion_confint

import likelihood_course as lc

lc.tfsetup.load()
import tensorflow as tf  # noqa: E402
import tensorflow_probability as tfp  # noqa: E402

tfd = tfp.distributions
Z = stats.norm.ppf(0.975)


# The chapter's autodiff recipes, as written there ------------------------------------------------

def bernoulli_curvature(flips, theta):
    """d^2 NLL / d theta^2 by nested GradientTapes on tfd.Bernoulli(...).log_prob."""
    theta = tf.Variable(theta, dtype=tf.float64)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            nll = -tf.reduce_sum(tfd.Bernoulli(probs=theta, dtype=tf.float64).log_prob(flips))
        slope = inner.gradient(nll, theta)
    return float(slope.numpy()), float(outer.gradient(slope, theta).numpy())


def normal_hessian(y, mu, sigma):
    """The 2 x 2 Hessian of the Normal NLL in (mu, sigma), by the outer tape's jacobian."""
    params = tf.Variable([mu, sigma], dtype=tf.float64)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            nll = -tf.reduce_sum(tfd.Normal(loc=params[0], scale=params[1]).log_prob(y))
        gradient = inner.gradient(nll, params)
    return gradient.numpy(), outer.jacobian(gradient, params).numpy()


def second_difference(f, x, h):
    return (f(x + h) - 2 * f(x) + f(x - h)) / h**2


# Bias of the variance MLE: E[sigma_hat^2] = (n - 1)/n sigma^2; E[s^2] = sigma^2 -----------------

@pytest.mark.parametrize("n", [2, 3, 5, 10, 30, 100])
@pytest.mark.parametrize("sigma2", [1.0, 4.0])
def test_variance_mle_expectation_against_the_chi_square_distribution(n, sigma2):
    # n sigma_hat^2 / sigma^2 is chi-square with n - 1 degrees of freedom (Cochran's theorem)
    exact_mean = stats.chi2(n - 1).mean() * sigma2 / n
    assert exact_mean == pytest.approx((n - 1) / n * sigma2, rel=1e-12)
    exact_corrected = exact_mean * n / (n - 1)
    assert exact_corrected == pytest.approx(sigma2, rel=1e-12)
    # and the chapter's simulation recipe, with another seed, within 4 Monte Carlo errors
    repeats = 20_000
    samples = np.random.default_rng(100 + n).normal(0.0, np.sqrt(sigma2), size=(repeats, n))
    mle = samples.var(axis=1)
    mc_error = stats.chi2(n - 1).std() * sigma2 / n / np.sqrt(repeats)
    assert abs(mle.mean() - exact_mean) < 4 * mc_error
    assert abs(samples.var(axis=1, ddof=1).mean() - sigma2) < 4 * mc_error * n / (n - 1)


def test_the_corrected_variance_is_what_the_chapter_says_the_libraries_compute():
    y = np.random.default_rng(7).normal(size=12)
    s2 = np.var(y) * y.size / (y.size - 1)
    assert np.var(y, ddof=1) == pytest.approx(s2, rel=1e-12)
    assert statistics.variance(y.tolist()) == pytest.approx(s2, rel=1e-12)
    pandas = pytest.importorskip("pandas")
    assert pandas.Series(y).var() == pytest.approx(s2, rel=1e-12)
    # the MLE itself is the divide-by-n variance of the reference implementation
    assert lc.likelihood.normal_mle(y)[1] ** 2 == pytest.approx(np.var(y), rel=1e-12)


def test_the_spread_of_s2_is_larger_by_n_over_n_minus_1():
    for n in (2, 100):
        sd_mle = stats.chi2(n - 1).std() / n
        sd_corrected = stats.chi2(n - 1).std() / (n - 1)
        assert sd_corrected / sd_mle == pytest.approx(n / (n - 1), rel=1e-12)


def test_s_is_biased_for_sigma_as_the_exercise_says():
    # E[s] for n = 3 from the chi distribution: sqrt(chi2_{n-1} / (n - 1))
    n = 3
    exact = stats.chi(n - 1).mean() / np.sqrt(n - 1)
    assert exact == pytest.approx(np.sqrt(np.pi) / 2, rel=1e-12)  # Gamma(3/2) / Gamma(1)
    assert exact == pytest.approx(0.886, abs=5e-4)
    simulated = np.random.default_rng(0).normal(size=(100_000, 3)).std(axis=1, ddof=1).mean()
    assert simulated == pytest.approx(exact, abs=0.005)


# Consistency: P(|sigma_hat - sigma| > eps) -> 0 and sd(sigma_hat) ~ sigma / sqrt(2n) -------------

def test_sigma_hat_concentrates_exactly_by_the_chi_distribution():
    # sigma_hat = sigma sqrt(chi2_{n-1} / n): the exact miss probability falls to zero
    eps, misses = 0.05, []
    for n in (10, 100, 1000, 10_000):
        dist = stats.chi2(n - 1)
        inside = dist.cdf(n * (1 + eps) ** 2) - dist.cdf(n * (1 - eps) ** 2)
        misses.append(1 - inside)
    assert all(a > b for a, b in zip(misses, misses[1:]))
    assert misses[-1] < 1e-10
    # the chapter's simulation for n = 100 (another seed) against the exact value
    n, repeats = 100, 10_000
    sigma_hat = np.random.default_rng(11).normal(size=(repeats, n)).std(axis=1)
    simulated = np.mean(np.abs(sigma_hat - 1) > eps)
    assert abs(simulated - misses[1]) < 4 * np.sqrt(misses[1] * (1 - misses[1]) / repeats)


@pytest.mark.parametrize("n, tolerance", [(10, 0.03), (100, 0.01), (1000, 0.002)])
def test_the_spread_of_sigma_hat_approaches_sigma_over_sqrt_2n(n, tolerance):
    exact_sd = stats.chi(n - 1).std() / np.sqrt(n)  # sigma = 1
    assert exact_sd * np.sqrt(2 * n) == pytest.approx(1.0, abs=tolerance)


# Observed information of the Bernoulli model: J = n / (theta_hat (1 - theta_hat)) ---------------

@pytest.mark.parametrize("seed, n", [(2, 100), (0, 20), (5, 7), (9, 1000)])
def test_bernoulli_curvature_by_autodiff_is_the_closed_form(seed, n):
    flips = lc.data.coin_flips(n, theta=0.3, seed=seed)
    k = int(flips.sum())
    assert 0 < k < n
    theta_hat = k / n
    slope, curvature = bernoulli_curvature(flips, theta_hat)
    assert abs(slope) < 1e-9 * n
    assert curvature == pytest.approx(n / (theta_hat * (1 - theta_hat)), rel=1e-10)
    # an independent reference: a central second difference of the NumPy NLL
    numeric = second_difference(lambda t: lc.likelihood.bernoulli_nll([t], flips)[0], theta_hat, 1e-4)
    assert curvature == pytest.approx(numeric, rel=1e-5)


def test_bernoulli_curvature_away_from_the_mle_is_k_over_theta2_plus_n_minus_k_over_1_minus_theta2():
    flips = lc.data.coin_flips(50, theta=0.3, seed=3)
    k, n = int(flips.sum()), flips.size
    for theta in (0.1, 0.45, 0.8):
        _, curvature = bernoulli_curvature(flips, theta)
        assert curvature == pytest.approx(k / theta**2 + (n - k) / (1 - theta) ** 2, rel=1e-10)


def test_bernoulli_standard_error_agrees_with_statsmodels_logit():
    # statsmodels fits the logit of theta and reports its SE from the observed information; by the
    # delta method d theta / d logit = theta (1 - theta), so SE(theta_hat) = theta(1-theta) SE(logit)
    flips = lc.data.coin_flips(100, theta=0.3, seed=2)
    theta_hat = flips.mean()
    fit = sm.Logit(flips, np.ones((flips.size, 1))).fit(disp=0)
    assert special.expit(fit.params[0]) == pytest.approx(theta_hat, rel=1e-8)
    se_statsmodels = theta_hat * (1 - theta_hat) * fit.bse[0]
    _, curvature = bernoulli_curvature(flips, theta_hat)
    assert 1 / np.sqrt(curvature) == pytest.approx(se_statsmodels, rel=1e-6)
    assert 1 / np.sqrt(curvature) == pytest.approx(np.sqrt(theta_hat * (1 - theta_hat) / 100), rel=1e-10)


@pytest.mark.parametrize("n, theta", [(100, 0.3), (20, 0.5), (1000, 0.1)])
def test_the_spread_over_repeats_is_sqrt_theta_1_minus_theta_over_n(n, theta):
    exact = stats.binom(n, theta).std() / n  # the exact sd of k / n
    assert exact == pytest.approx(np.sqrt(theta * (1 - theta) / n), rel=1e-12)
    repeats = 20_000
    theta_hats = (np.random.default_rng(n).random(size=(repeats, n)) < theta).mean(axis=1)
    # the sd of a sample sd is about sd / sqrt(2 (repeats - 1)) for near-Normal data
    assert theta_hats.std() == pytest.approx(exact, rel=4 / np.sqrt(2 * repeats) + 0.01)


# Observed information of the Normal model: diag(n / sigma_hat^2, 2n / sigma_hat^2) ---------------

@pytest.mark.parametrize("seed, n", [(5, 50), (1, 3), (8, 400)])
def test_normal_hessian_by_autodiff_is_the_closed_form(seed, n):
    y = np.random.default_rng(seed).normal(loc=1.0, scale=2.0, size=n)
    mu_hat, sigma_hat = lc.likelihood.normal_mle(y)
    gradient, hessian = normal_hessian(y, mu_hat, sigma_hat)
    np.testing.assert_allclose(gradient, 0.0, atol=1e-9 * n)
    closed = np.diag([n / sigma_hat**2, 2 * n / sigma_hat**2])
    np.testing.assert_allclose(hessian, closed, rtol=1e-10, atol=1e-9)
    # independent reference: second differences of the NumPy NLL
    h = 1e-4
    nll = lc.likelihood.normal_nll
    d_mu = second_difference(lambda m: nll(m, sigma_hat, y), mu_hat, h)
    d_sigma = second_difference(lambda s: nll(mu_hat, s, y), sigma_hat, h)
    cross = (nll(mu_hat + h, sigma_hat + h, y) - nll(mu_hat + h, sigma_hat - h, y)
             - nll(mu_hat - h, sigma_hat + h, y) + nll(mu_hat - h, sigma_hat - h, y)) / (4 * h**2)
    np.testing.assert_allclose(hessian, [[d_mu, cross], [cross, d_sigma]], rtol=1e-5, atol=1e-4)
    se_mu, se_sigma = np.sqrt(np.diag(np.linalg.inv(hessian)))
    assert se_mu == pytest.approx(sigma_hat / np.sqrt(n), rel=1e-10)
    assert se_sigma == pytest.approx(sigma_hat / np.sqrt(2 * n), rel=1e-10)


def test_normal_hessian_away_from_the_mle_has_the_exercise_entries():
    y = np.random.default_rng(4).normal(size=30)
    mu, sigma = 0.4, 1.3
    _, hessian = normal_hessian(y, mu, sigma)
    n, sse, resid = y.size, np.sum((y - mu) ** 2), np.sum(y - mu)
    expected = [[n / sigma**2, 2 * resid / sigma**3],
                [2 * resid / sigma**3, -n / sigma**2 + 3 * sse / sigma**4]]
    np.testing.assert_allclose(hessian, expected, rtol=1e-10)
    assert abs(hessian[0, 1]) > 1e-3  # not zero away from the MLE


def test_standard_error_of_the_mean_agrees_with_statsmodels_ols():
    # OLS on a constant: bse = s / sqrt(n) with s^2 dividing by n - 1; the MLE divides by n
    y = np.random.default_rng(5).normal(loc=1.0, scale=2.0, size=50)
    fit = sm.OLS(y, np.ones((50, 1))).fit()
    _, hessian = normal_hessian(y, *lc.likelihood.normal_mle(y))
    se_mu = np.sqrt(np.linalg.inv(hessian)[0, 0])
    assert se_mu == pytest.approx(fit.bse[0] * np.sqrt(49 / 50), rel=1e-10)


def test_sd_of_the_mean_over_repeats_is_sigma_over_sqrt_n_exactly():
    n, sigma, repeats = 50, 2.0, 20_000
    mu_hats = np.random.default_rng(21).normal(1.0, sigma, size=(repeats, n)).mean(axis=1)
    assert mu_hats.std() == pytest.approx(sigma / np.sqrt(n), rel=4 / np.sqrt(2 * repeats))


# The Wald interval theta_hat +/- 1.96 SE and its coverage ------------------------------------------

@pytest.mark.parametrize("k, n", [(32, 100), (3, 10), (500, 1000), (0, 10)])
def test_wald_interval_is_statsmodels_normal_interval(k, n):
    theta_hat = k / n
    se = np.sqrt(theta_hat * (1 - theta_hat) / n)
    low, high = proportion_confint(k, n, alpha=0.05, method="normal")
    np.testing.assert_allclose([theta_hat - Z * se, theta_hat + Z * se], [low, high], rtol=1e-12, atol=1e-15)
    assert Z == pytest.approx(1.96, abs=5e-5)


def exact_wald_coverage(n, theta):
    """P(|k/n - theta| <= z SE(k/n)), summed over the binomial pmf of k."""
    k = np.arange(n + 1)
    est = k / n
    covers = np.abs(est - theta) <= Z * np.sqrt(est * (1 - est) / n)
    return float(stats.binom(n, theta).pmf(k)[covers].sum())


@pytest.mark.parametrize("n", [10, 30, 100, 1000])
def test_simulated_coverage_matches_the_exact_binomial_coverage(n):
    exact = exact_wald_coverage(n, 0.3)
    repeats = 20_000
    est = np.random.default_rng(60 + n).binomial(n, 0.3, size=repeats) / n
    simulated = np.mean(np.abs(est - 0.3) <= Z * np.sqrt(est * (1 - est) / n))
    assert abs(simulated - exact) < 4 * np.sqrt(exact * (1 - exact) / repeats)


def test_coverage_is_near_95_percent_for_large_n_and_worse_for_n_10():
    assert exact_wald_coverage(1000, 0.3) == pytest.approx(0.95, abs=0.01)
    assert exact_wald_coverage(100, 0.3) == pytest.approx(0.95, abs=0.01)
    assert exact_wald_coverage(10, 0.3) < 0.9
    # the exercise: no heads in 10 flips happens with probability 0.7^10 ~ 0.028, and then the
    # interval is [0, 0]
    assert stats.binom(10, 0.3).pmf(0) == pytest.approx(0.7**10, rel=1e-12)
    assert 0.7**10 == pytest.approx(0.028, abs=5e-4)
    assert proportion_confint(0, 10, method="normal") == pytest.approx((0.0, 0.0), abs=1e-15)


# Numbers in the chapter's prose and exercises -----------------------------------------------------

def test_the_poll_exercise():
    n = 0.25 / 0.01**2
    assert n == pytest.approx(2500)
    assert Z * 0.01 == pytest.approx(0.02, abs=5e-4)
    assert 0.25 / 0.005**2 == pytest.approx(10_000)


def test_the_chapter_coin_sequence_has_the_heads_the_figure_alt_text_names():
    flips = lc.data.coin_flips(100, theta=0.3, seed=2)
    assert [int(flips[:n].sum()) for n in (0, 1, 2, 5, 20, 100)] == [0, 1, 2, 3, 8, 32]
    _, curvature_20 = bernoulli_curvature(flips[:20], 0.4)
    _, curvature_100 = bernoulli_curvature(flips, 0.32)
    assert round(curvature_20) == 83 and round(curvature_100, -1) == 460


def test_every_number_the_chapter_prints_in_prose_is_glued_and_its_labels_are_prefixed():
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "book" / "08_estimates.md").read_text()
    used = set(re.findall(r"\{glue:text\}`([A-Za-z0-9_]+)", text))
    patterns = [re.sub(r"\\\{[^}]*\\\}", "[0-9]+", re.escape(name))
                for name in re.findall(r'glue\(f?"([^"]+)"', text)]
    missing = {name for name in used if not any(re.fullmatch(p, name) for p in patterns)}
    assert not missing, f"glued in prose but never glue()d: {missing}"
    assert all(name.startswith("est_") for name in used)
    labels = re.findall(r":label: (\S+)", text) + re.findall(r"name: (fig-\S+)", text)
    assert labels and all(label.startswith(("eq-est-", "ex-est-", "fig-est-")) for label in labels)
    assert len(labels) == len(set(labels))
