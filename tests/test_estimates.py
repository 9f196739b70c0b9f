"""The claims of chapter 8 (how good is an estimate?), as the chapter computed them: the numbers it
glued into its prose when the build executed it (tests/built.py), held against independent
references: exact sampling distributions from scipy.stats (chi-square, chi, binomial), statsmodels'
standard errors and Wald interval, second differences of scipy.stats' log-likelihood, and closed
forms. The chapter's own simulations are checked within a few Monte Carlo standard errors of the
exact values, so that the test holds the claim, not one lucky draw. Typed numbers (the solutions of
the exercises, the alt text of the figures) are read from the page and checked the same way."""

import re

import numpy as np
import pytest
import statsmodels.api as sm
from built import figure_alt, glued, solution
from scipy import special, stats
from statsmodels.stats.proportion import proportion_confint

from conftest import ROOT

CHAPTER = "08_estimates"
Z = stats.norm.ppf(0.975)


def flips_with(k, n):
    """n flips with k heads: all that the Bernoulli NLL, its curvature and a fit depend on."""
    return np.r_[np.ones(k), np.zeros(n - k)]


@pytest.fixture(scope="module")
def g():
    return glued(CHAPTER)


def within_mc(simulated, exact, mc_error, k=4):
    """A simulated mean agrees with its exact value within k Monte Carlo standard errors."""
    assert abs(simulated - exact) < k * mc_error, f"{simulated} vs exact {exact} (MC error {mc_error})"


def numbers(text):
    return [float(x.replace(r"\,", "")) for x in re.findall(r"-?\d+(?:\\,\d{3})*(?:\.\d+)?", text)]


def exact_wald_coverage(n, theta):
    """P(|k/n - theta| <= z SE(k/n)), summed over the binomial pmf of k."""
    k = np.arange(n + 1)
    est = k / n
    covers = np.abs(est - theta) <= Z * np.sqrt(est * (1 - est) / n)
    return float(stats.binom(n, theta).pmf(k)[covers].sum())


# An estimate is a random quantity ----------------------------------------------------------------


def test_the_five_estimates_are_fractions_of_twenty_flips(g):
    for name in ("est_five_min", "est_five_max"):
        assert 0 <= g[name] <= 1 and g[name] * 20 == pytest.approx(round(g[name] * 20), abs=1e-9)
    assert g["est_five_min"] < g["est_five_max"], "five repeats that all agree show no variation"


# Bias of the variance MLE: E[sigma_hat^2] = (n - 1)/n sigma^2 ---------------------------------------


def test_the_simulated_bias_at_n_2_is_the_chi_square_expectation(g):
    # n sigma_hat^2 / sigma^2 is chi-square with n - 1 degrees of freedom (Cochran), sigma^2 = 1
    repeats, n = g["est_bias_repeats"], 2
    chi2 = stats.chi2(n - 1)
    within_mc(g["est_bias_n2_sim"], chi2.mean() / n, chi2.std() / n / np.sqrt(repeats))
    within_mc(g["est_bias_n2_corrected"], chi2.mean() / (n - 1), chi2.std() / (n - 1) / np.sqrt(repeats))
    assert g["est_bias_n2_sim"] < 0.6 and g["est_bias_n2_corrected"] > 0.9  # "instead of 1"


def test_the_largest_deviations_the_chapter_reports_are_monte_carlo_sized(g):
    repeats, ns = g["est_bias_repeats"], np.array([2, 3, 5, 10, 30, 100])
    mc = np.array([stats.chi2(n - 1).std() / n for n in ns]) / np.sqrt(repeats)
    mc_corrected = mc * ns / (ns - 1)
    # the maximum over n includes n = 2, and stays within 4 Monte Carlo errors of the largest
    assert abs(g["est_bias_n2_sim"] - 0.5) <= g["est_bias_max_dev"] < 4 * mc.max()
    assert abs(g["est_bias_n2_corrected"] - 1) <= g["est_bias_max_dev_corrected"] < 4 * mc_corrected.max()
    # the z-score quoted beside it: deviations in units of the (simulated) Monte Carlo error
    assert g["est_bias_max_z"] < 4
    assert g["est_bias_max_z"] >= abs(g["est_bias_n2_sim"] - 0.5) / (1.1 * mc[0])


def test_the_unbiased_exercise_quotes_the_spread_ratio_of_the_chi_square(g):
    text = solution(CHAPTER, "ex-est-unbiased")
    found = re.search(r"twice as large for \$n = (\d+)\$, about (\d+)% larger for \$n = (\d+)\$", text)
    assert found, text
    small, percent, large = int(found[1]), int(found[2]), int(found[3])

    def spread_ratio(n):  # sd(s^2) / sd(sigma_hat^2), both from the chi-square of n - 1 dof
        chi2 = stats.chi2(n - 1)
        return (chi2.std() / (n - 1)) / (chi2.std() / n)

    assert spread_ratio(small) == pytest.approx(2.0, rel=1e-12)
    assert round(100 * (spread_ratio(large) - 1)) == percent


def test_the_sqrt_exercise_quotes_the_chi_mean_and_its_code_gives_it():
    text = solution(CHAPTER, "ex-est-sqrt")
    found = re.search(r"near \$([0-9.]+)\$: `([^`]+)`", text)
    assert found, text
    n = 3  # E[s] = E[sqrt(chi2_{n-1} / (n - 1))] for sigma = 1
    exact = stats.chi(n - 1).mean() / np.sqrt(n - 1)
    assert float(found[1]) == pytest.approx(exact, abs=5e-4)
    simulated = eval(found[2], {"np": np})  # the solution's own line of code
    sd = np.sqrt(1 - exact**2)  # Var(s) = E[s^2] - E[s]^2 = 1 - E[s]^2
    within_mc(simulated, exact, sd / np.sqrt(100_000))


# Many fitted parameters: E[sigma_hat^2] = (n - p)/n sigma^2 on the training data ------------------


def test_the_many_parameter_bias_is_the_chi_square_expectation(g):
    n, repeats = 50, 2_000  # the chapter's setting (its prose: "n = 50 training points")
    for p, name in ((1, "est_many_train_1"), (40, "est_many_train_40")):
        chi2 = stats.chi2(n - p)  # residual sum of squares over sigma^2
        within_mc(g[name], chi2.mean() / n, chi2.std() / n / np.sqrt(repeats))
    # new data: E[MSE] = sigma^2 (1 + p / (n - p - 1)) for Normal inputs (inverse Wishart mean)
    assert g["est_many_new_40"] == pytest.approx(1 + 40 / (n - 40 - 1), rel=0.05)
    assert g["est_many_train_40"] < 1 < g["est_many_new_40"]


def test_the_noise_is_sse_over_n_minus_p_and_held_out_data_give_the_predictive_error(g):
    """Issue 24, correction 5: SSE/(n - p) estimates sigma^2 = 1 without bias, and the new data's
    MSE estimates sigma^2 (1 + p/(n - p - 1)), not sigma^2."""
    n, p, repeats = 50, 40, 2_000
    chi2 = stats.chi2(n - p)  # SSE / sigma^2
    within_mc(g["est_many_unbiased_40"], chi2.mean() / (n - p), chi2.std() / (n - p) / np.sqrt(repeats))
    assert g["est_many_predictive_40"] == pytest.approx(1 + p / (n - p - 1), rel=1e-15)
    # the closed form, independently: E[x' (X'X)^-1 x] = p / (n - p - 1) for Normal inputs, the
    # trace of the inverse-Wishart mean (X'X)^-1 -> I / (n - p - 1)
    wishart_inverse_mean = stats.invwishart(df=n, scale=np.eye(p)).mean()
    assert 1 + np.trace(wishart_inverse_mean) == pytest.approx(g["est_many_predictive_40"], rel=1e-12)
    assert g["est_many_new_40"] == pytest.approx(g["est_many_predictive_40"], rel=0.05)
    assert abs(g["est_many_unbiased_40"] - 1) < 0.05 < g["est_many_new_40"] - 1


# The likelihood learns, and the curvature figure ---------------------------------------------------


def test_the_glued_heads_are_counts_of_one_growing_sequence(g):
    k2, k20, k100 = g["est_learns_k2"], g["est_learns_k20"], g["est_learns_k100"]
    assert 0 <= k2 <= k20 <= k100 and k2 <= 2 and k20 - k2 <= 18 and k100 - k20 <= 80
    assert g["est_learns_theta100"] == pytest.approx(k100 / 100, abs=1e-15)
    assert k2 == 2, "the prose and the caption say: after two heads in two flips the maximum sits at 1"


def test_the_alt_texts_name_the_heads_and_curvatures_the_chapter_computed(g):
    alt = figure_alt(CHAPTER, "fig-est-learns")
    for n, k in ((2, g["est_learns_k2"]), (20, g["est_learns_k20"]), (100, g["est_learns_k100"])):
        assert f"n = {n}, {k} heads" in alt, (n, k, alt)
    assert f"peak at {g['est_learns_theta100']:.2f}" in alt, alt
    # the curvature figure: minima k/n and the observed information n / (theta (1 - theta)),
    # against second differences of scipy.stats' Bernoulli NLL
    alt = figure_alt(CHAPTER, "fig-est-curvature")
    quoted = re.findall(r"minimum at ([0-9.]+) and curvature about (\d+)", alt)
    assert len(quoted) == 2, alt
    for (minimum, curvature), (n, k) in zip(quoted, ((20, g["est_learns_k20"]), (100, g["est_learns_k100"]))):
        theta, h, flips = k / n, 1e-4, flips_with(k, n)

        def nll(t, y=flips):
            return -stats.bernoulli(t).logpmf(y).sum()

        info = (nll(theta + h) - 2 * nll(theta) + nll(theta - h)) / h**2
        assert float(minimum) == pytest.approx(theta, abs=5e-3)
        assert int(curvature) == pytest.approx(info, abs=0.01 * info)


# Consistency: P(|sigma_hat - sigma| > eps) -> 0 and sd(sigma_hat) ~ sigma / sqrt(2n) -------------


@pytest.mark.parametrize("n", [10, 100, 1000])
def test_the_simulated_misses_and_spreads_are_the_chi_distributions(g, n):
    repeats, eps = 10_000, 0.05  # the chapter's (its figure caption: "10,000 simulated samples")
    # sigma_hat = sigma sqrt(chi2_{n-1} / n), sigma = 1: the exact miss probability
    dist = stats.chi2(n - 1)
    exact_miss = 1 - (dist.cdf(n * (1 + eps) ** 2) - dist.cdf(n * (1 - eps) ** 2))
    within_mc(g[f"est_cons_miss_{n}"], exact_miss, np.sqrt(exact_miss * (1 - exact_miss) / repeats))
    exact_sd = stats.chi(n - 1).std() / np.sqrt(n)
    # the sd of a sample sd is about sd / sqrt(2 (repeats - 1)) for near-Normal values
    assert g[f"est_cons_sd_{n}"] == pytest.approx(exact_sd, rel=5 / np.sqrt(2 * repeats))


def test_the_misses_fall_and_the_spread_shrinks_like_one_over_sqrt_n(g):
    misses = [g[f"est_cons_miss_{n}"] for n in (10, 100, 1000)]
    assert misses[0] > misses[1] > misses[2]
    sds = [g[f"est_cons_sd_{n}"] for n in (10, 100, 1000)]
    for a, b in zip(sds, sds[1:]):  # "a tenfold larger sample gives a spread about 3.2 times smaller"
        assert a / b == pytest.approx(np.sqrt(10), rel=0.05)
    assert sds[-1] * np.sqrt(2 * 1000) == pytest.approx(1.0, rel=0.05)  # close to sigma / sqrt(2n)


# Observed information of the Bernoulli model: J = n / (theta_hat (1 - theta_hat)) ---------------


def test_the_bernoulli_curvature_by_autodiff_is_the_closed_form_and_a_second_difference(g):
    k, n = g["est_learns_k100"], 100  # "we take the 100 flips of the figure"
    flips = flips_with(k, n)
    assert g["est_bern_theta_hat"] == pytest.approx(k / n, abs=1e-15)
    theta = k / n
    closed = n / (theta * (1 - theta))
    assert g["est_bern_info_tf"] == pytest.approx(closed, rel=1e-10)
    assert g["est_bern_info_closed"] == pytest.approx(closed, rel=1e-12)
    h = 1e-4

    def nll(t):
        return -stats.bernoulli(t).logpmf(flips).sum()

    assert g["est_bern_info_tf"] == pytest.approx(
        (nll(theta + h) - 2 * nll(theta) + nll(theta - h)) / h**2, rel=1e-5
    )


def test_the_bernoulli_standard_error_agrees_with_statsmodels_logit(g):
    # statsmodels fits the logit of theta and reports its SE from the observed information; by the
    # delta method d theta / d logit = theta (1 - theta), so SE(theta_hat) = theta(1-theta) SE(logit)
    flips = flips_with(g["est_learns_k100"], 100)
    fit = sm.Logit(flips, np.ones((flips.size, 1))).fit(disp=0)
    theta_hat = special.expit(fit.params[0])
    assert theta_hat == pytest.approx(g["est_bern_theta_hat"], rel=1e-8)
    assert g["est_bern_se"] == pytest.approx(theta_hat * (1 - theta_hat) * fit.bse[0], rel=1e-6)


def test_the_spread_over_repeats_is_the_binomial_sd(g):
    n, theta, repeats = 100, 0.3, g["est_bern_repeats"]
    exact = stats.binom(n, theta).std() / n
    assert g["est_bern_se_true"] == pytest.approx(exact, rel=1e-12)
    assert g["est_bern_sd_repeats"] == pytest.approx(exact, rel=4 / np.sqrt(2 * repeats) + 0.01)
    # "which is why it is a little off": the SE at theta_hat differs from the one at the truth
    assert g["est_bern_se"] != pytest.approx(exact, rel=1e-3)


# Observed information of the Normal model: diag(n / sigma_hat^2, 2n / sigma_hat^2) ---------------


def test_the_normal_hessian_and_standard_errors_are_the_closed_forms(g):
    n, sigma_hat = g["est_norm_n"], g["est_norm_sigma_hat"]
    assert g["est_norm_h_mu"] == pytest.approx(n / sigma_hat**2, rel=1e-10)
    assert g["est_norm_h_sigma"] == pytest.approx(2 * n / sigma_hat**2, rel=1e-10)
    assert g["est_norm_h_cross"] < 1e-10 * g["est_norm_h_mu"], "zero up to rounding"
    assert g["est_norm_se_mu"] == pytest.approx(sigma_hat / np.sqrt(n), rel=1e-10)
    assert g["est_norm_se_sigma"] == pytest.approx(sigma_hat / np.sqrt(2 * n), rel=1e-10)
    # sigma_hat comes from a sample of the Normal with sigma = 2 (the prose): a plausible draw
    sd = 2 * stats.chi(n - 1).std() / np.sqrt(n)
    assert abs(sigma_hat - 2 * stats.chi(n - 1).mean() / np.sqrt(n)) < 4 * sd


# The Wald interval theta_hat +/- 1.96 SE and its coverage ------------------------------------------


def test_the_wald_interval_is_statsmodels_normal_interval(g):
    assert g["est_wald_z"] == pytest.approx(Z, rel=1e-12)
    low, high = proportion_confint(g["est_learns_k100"], 100, alpha=0.05, method="normal")
    assert (g["est_wald_low"], g["est_wald_high"]) == pytest.approx((low, high), rel=1e-10)
    assert g["est_wald_low"] < 0.3 < g["est_wald_high"], "the prose: it contains the true 0.3"


@pytest.mark.parametrize("n", [10, 30, 100, 1000])
def test_the_simulated_coverage_is_the_exact_binomial_coverage(g, n):
    exact = exact_wald_coverage(n, 0.3)
    within_mc(g[f"est_cover_{n}"], exact, np.sqrt(exact * (1 - exact) / g["est_cover_repeats"]))


def test_the_coverage_claims_of_the_prose(g):
    assert g["est_cover_10"] < 0.9, "only n = 10 falls short"
    for n in (100, 1000):
        assert g[f"est_cover_{n}"] == pytest.approx(0.95, abs=0.01), "close to the promised 95%"
    # the misses among the first 50 intervals of n = 100: a plausible binomial count
    miss = stats.binom(50, 1 - exact_wald_coverage(100, 0.3))
    assert miss.ppf(0.0005) <= g["est_miss_of_50"] <= miss.ppf(0.9995)


# The exercises' typed numbers --------------------------------------------------------------------


def test_the_poll_exercise_numbers_are_binomial_standard_errors():
    text = solution(CHAPTER, "ex-est-how-many")
    found = re.search(
        r"gives \$n = ([\d\\,]+)\$.*?\\pm ([0-9.]+) \\cdot ([0-9.]+) \\approx "
        r"\\hat\\theta \\pm ([0-9.]+)\$.*?\$n = ([\d\\,]+)\$",
        text,
    )
    assert found, text
    n_first, z_typed, se_typed, half_width, n_half = (numbers(x)[0] for x in found.groups())
    # the standard deviation of k / n for a proportion of 0.5, at the sizes the solution names
    assert stats.binom(int(n_first), 0.5).std() / n_first == pytest.approx(se_typed, rel=1e-12)
    assert stats.binom(int(n_half), 0.5).std() / n_half == pytest.approx(se_typed / 2, rel=1e-12)
    assert z_typed == pytest.approx(Z, abs=5e-3)
    assert Z * se_typed == pytest.approx(half_width, abs=5e-4)


def test_the_no_heads_exercise_numbers():
    text = solution(CHAPTER, "ex-est-no-heads")
    # the slope at the edge, 10, and the second derivative there, a finite 10: NLL -10 log(1 - t)
    h = 1e-6
    zeros = np.zeros(10)
    slope = -stats.bernoulli(h).logpmf(zeros).sum() / h  # NLL(0) = 0
    assert "where its slope is $10$" in text and slope == pytest.approx(10, rel=1e-4)
    second = -stats.bernoulli(2e-3).logpmf(zeros).sum() - 2 * -stats.bernoulli(1e-3).logpmf(zeros).sum()
    assert "a finite $10$" in text and second / 1e-6 == pytest.approx(10, rel=1e-2)
    # "It happens with probability 0.7^10 ~ 0.028", "almost three percentage points at n = 10"
    found = re.search(r"\$0\.7\^\{10\} \\approx ([0-9.]+)\$", text)
    assert found, text
    p_none = stats.binom(10, 0.3).pmf(0)
    assert float(found[1]) == pytest.approx(p_none, abs=5e-4)
    assert "almost three percentage points" in text and 2.5 < 100 * p_none < 3
    # and the Wald interval of no heads is the single point [0, 0]
    assert proportion_confint(0, 10, method="normal") == pytest.approx((0.0, 0.0), abs=1e-15)
    assert "$[0, 0]$" in text


# The page's conventions ----------------------------------------------------------------------------


def test_every_number_the_prose_quotes_was_glued_by_the_build_and_labels_are_prefixed(g):
    text = (ROOT / "book" / f"{CHAPTER}.md").read_text(encoding="utf-8")
    quoted = set(re.findall(r"\{glue:text\}`([A-Za-z0-9_]+)", text))
    assert quoted and not quoted - set(g), f"quoted in prose, never glued: {quoted - set(g)}"
    assert all(name.startswith("est_") for name in set(g) | quoted)
    labels = re.findall(r":label: (\S+)", text) + re.findall(r"name: (fig-\S+)", text)
    assert labels and all(label.startswith(("eq-est-", "ex-est-", "fig-est-")) for label in labels)
    assert len(labels) == len(set(labels))
