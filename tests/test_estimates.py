"""The claims of the two estimate chapters (08_sampling: sampling distributions, bias and
consistency; 08_estimates: standard errors, intervals and tests), as the chapters computed them: the
numbers each glued into its prose when the build executed it (tests/built.py), held against
independent references: exact sampling distributions from scipy.stats (chi-square, chi, binomial,
order statistics), statsmodels' standard errors, tests, Wald interval and robust (HC0) covariance,
second differences of scipy.stats' log-likelihood, and closed forms. The chapter's own simulations are checked within a few Monte Carlo standard errors of the
exact values, so that the test holds the claim, not one lucky draw. Typed numbers (the solutions of
the exercises, the alt text of the figures) are read from the page and checked the same way."""

import re

import numpy as np
import pytest
import statsmodels.api as sm
from built import figure_alt, glued, solution
from scipy import integrate, optimize, special, stats
from statsmodels.stats.proportion import proportion_confint

from conftest import ROOT

SAMPLING, CHAPTER = "08_sampling", "08_estimates"
Z = stats.norm.ppf(0.975)


def flips_with(k, n):
    """n flips with k heads: all that the Bernoulli NLL, its curvature and a fit depend on."""
    return np.r_[np.ones(k), np.zeros(n - k)]


@pytest.fixture(scope="module")
def gs():
    return glued(SAMPLING)


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


def test_the_five_estimates_are_fractions_of_twenty_flips(gs):
    for name in ("est_five_min", "est_five_max"):
        assert 0 <= gs[name] <= 1 and gs[name] * 20 == pytest.approx(round(gs[name] * 20), abs=1e-9)
    assert gs["est_five_min"] < gs["est_five_max"], "five repeats that all agree show no variation"


# Bias of the variance MLE: E[sigma_hat^2] = (n - 1)/n sigma^2 ---------------------------------------


def test_the_simulated_bias_at_n_2_is_the_chi_square_expectation(gs):
    # n sigma_hat^2 / sigma^2 is chi-square with n - 1 degrees of freedom (Cochran), sigma^2 = 1
    repeats, n = gs["est_bias_repeats"], 2
    chi2 = stats.chi2(n - 1)
    within_mc(gs["est_bias_n2_sim"], chi2.mean() / n, chi2.std() / n / np.sqrt(repeats))
    within_mc(gs["est_bias_n2_corrected"], chi2.mean() / (n - 1), chi2.std() / (n - 1) / np.sqrt(repeats))
    assert gs["est_bias_n2_sim"] < 0.6 and gs["est_bias_n2_corrected"] > 0.9  # "instead of 1"


def test_the_largest_deviations_the_chapter_reports_are_monte_carlo_sized(gs):
    repeats, ns = gs["est_bias_repeats"], np.array([2, 3, 5, 10, 30, 100])
    mc = np.array([stats.chi2(n - 1).std() / n for n in ns]) / np.sqrt(repeats)
    mc_corrected = mc * ns / (ns - 1)
    # the maximum over n includes n = 2, and stays within 4 Monte Carlo errors of the largest
    assert abs(gs["est_bias_n2_sim"] - 0.5) <= gs["est_bias_max_dev"] < 4 * mc.max()
    assert abs(gs["est_bias_n2_corrected"] - 1) <= gs["est_bias_max_dev_corrected"] < 4 * mc_corrected.max()
    # the z-score quoted beside it: deviations in units of the (simulated) Monte Carlo error
    assert gs["est_bias_max_z"] < 4
    assert gs["est_bias_max_z"] >= abs(gs["est_bias_n2_sim"] - 0.5) / (1.1 * mc[0])


def test_the_unbiased_exercise_quotes_the_spread_ratio_of_the_chi_square():
    text = solution(SAMPLING, "ex-est-unbiased")
    found = re.search(r"twice as large for \$n = (\d+)\$, about (\d+)% larger for \$n = (\d+)\$", text)
    assert found, text
    small, percent, large = int(found[1]), int(found[2]), int(found[3])

    def spread_ratio(n):  # sd(s^2) / sd(sigma_hat^2), both from the chi-square of n - 1 dof
        chi2 = stats.chi2(n - 1)
        return (chi2.std() / (n - 1)) / (chi2.std() / n)

    assert spread_ratio(small) == pytest.approx(2.0, rel=1e-12)
    assert round(100 * (spread_ratio(large) - 1)) == percent


def test_the_sqrt_exercise_quotes_the_chi_mean_and_its_code_gives_it():
    text = solution(SAMPLING, "ex-est-sqrt")
    found = re.search(r"near \$([0-9.]+)\$: `([^`]+)`", text)
    assert found, text
    n = 3  # E[s] = E[sqrt(chi2_{n-1} / (n - 1))] for sigma = 1
    exact = stats.chi(n - 1).mean() / np.sqrt(n - 1)
    assert float(found[1]) == pytest.approx(exact, abs=5e-4)
    simulated = eval(found[2], {"np": np})  # the solution's own line of code
    sd = np.sqrt(1 - exact**2)  # Var(s) = E[s^2] - E[s]^2 = 1 - E[s]^2
    within_mc(simulated, exact, sd / np.sqrt(100_000))


# Many fitted parameters: E[sigma_hat^2] = (n - p)/n sigma^2 on the training data ------------------


def test_the_many_parameter_bias_is_the_chi_square_expectation(gs):
    n, repeats = 50, 2_000  # the chapter's setting (its prose: "n = 50 training points")
    for p, name in ((1, "est_many_train_1"), (40, "est_many_train_40")):
        chi2 = stats.chi2(n - p)  # residual sum of squares over sigma^2
        within_mc(gs[name], chi2.mean() / n, chi2.std() / n / np.sqrt(repeats))
    # new data: E[MSE] = sigma^2 (1 + p / (n - p - 1)) for Normal inputs (inverse Wishart mean)
    assert gs["est_many_new_40"] == pytest.approx(1 + 40 / (n - 40 - 1), rel=0.05)
    assert gs["est_many_train_40"] < 1 < gs["est_many_new_40"]


def test_the_noise_is_sse_over_n_minus_p_and_held_out_data_give_the_predictive_error(gs):
    """Issue 24, correction 5: SSE/(n - p) estimates sigma^2 = 1 without bias, and the new data's
    MSE estimates sigma^2 (1 + p/(n - p - 1)), not sigma^2."""
    n, p, repeats = 50, 40, 2_000
    chi2 = stats.chi2(n - p)  # SSE / sigma^2
    within_mc(gs["est_many_unbiased_40"], chi2.mean() / (n - p), chi2.std() / (n - p) / np.sqrt(repeats))
    assert gs["est_many_predictive_40"] == pytest.approx(1 + p / (n - p - 1), rel=1e-15)
    # the closed form, independently: E[x' (X'X)^-1 x] = p / (n - p - 1) for Normal inputs, the
    # trace of the inverse-Wishart mean (X'X)^-1 -> I / (n - p - 1)
    wishart_inverse_mean = stats.invwishart(df=n, scale=np.eye(p)).mean()
    assert 1 + np.trace(wishart_inverse_mean) == pytest.approx(gs["est_many_predictive_40"], rel=1e-12)
    assert gs["est_many_new_40"] == pytest.approx(gs["est_many_predictive_40"], rel=0.05)
    assert abs(gs["est_many_unbiased_40"] - 1) < 0.05 < gs["est_many_new_40"] - 1


# The likelihood learns, and the curvature figure ---------------------------------------------------


def test_the_glued_heads_are_counts_of_one_growing_sequence(gs):
    k2, k20, k100 = gs["est_learns_k2"], gs["est_learns_k20"], gs["est_learns_k100"]
    assert 0 <= k2 <= k20 <= k100 and k2 <= 2 and k20 - k2 <= 18 and k100 - k20 <= 80
    assert gs["est_learns_theta100"] == pytest.approx(k100 / 100, abs=1e-15)
    assert k2 == 2, "the prose and the caption say: after two heads in two flips the maximum sits at 1"


def test_the_alt_texts_name_the_heads_and_curvatures_the_chapters_computed(gs):
    alt = figure_alt(SAMPLING, "fig-est-learns")
    for n, k in ((2, gs["est_learns_k2"]), (20, gs["est_learns_k20"]), (100, gs["est_learns_k100"])):
        assert f"n = {n}, {k} heads" in alt, (n, k, alt)
    assert f"peak at {gs['est_learns_theta100']:.2f}" in alt, alt
    # the curvature figure of the next chapter, on the same flips: minima k/n and the observed
    # information n / (theta (1 - theta)), against second differences of scipy.stats' Bernoulli NLL
    alt = figure_alt(CHAPTER, "fig-est-curvature")
    quoted = re.findall(r"minimum at ([0-9.]+) and curvature about (\d+)", alt)
    assert len(quoted) == 2, alt
    for (minimum, curvature), (n, k) in zip(
        quoted, ((20, gs["est_learns_k20"]), (100, gs["est_learns_k100"]))
    ):
        theta, h, flips = k / n, 1e-4, flips_with(k, n)

        def nll(t, y=flips):
            return -stats.bernoulli(t).logpmf(y).sum()

        info = (nll(theta + h) - 2 * nll(theta) + nll(theta - h)) / h**2
        assert float(minimum) == pytest.approx(theta, abs=5e-3)
        assert int(curvature) == pytest.approx(info, abs=0.01 * info)


# Consistency: P(|sigma_hat - sigma| > eps) -> 0 and sd(sigma_hat) ~ sigma / sqrt(2n) -------------


@pytest.mark.parametrize("n", [10, 100, 1000])
def test_the_simulated_misses_and_spreads_are_the_chi_distributions(gs, n):
    repeats, eps = 10_000, 0.05  # the chapter's (its figure caption: "10,000 simulated samples")
    # sigma_hat = sigma sqrt(chi2_{n-1} / n), sigma = 1: the exact miss probability
    dist = stats.chi2(n - 1)
    exact_miss = 1 - (dist.cdf(n * (1 + eps) ** 2) - dist.cdf(n * (1 - eps) ** 2))
    within_mc(gs[f"est_cons_miss_{n}"], exact_miss, np.sqrt(exact_miss * (1 - exact_miss) / repeats))
    exact_sd = stats.chi(n - 1).std() / np.sqrt(n)
    # the sd of a sample sd is about sd / sqrt(2 (repeats - 1)) for near-Normal values
    assert gs[f"est_cons_sd_{n}"] == pytest.approx(exact_sd, rel=5 / np.sqrt(2 * repeats))


def test_the_misses_fall_and_the_spread_shrinks_like_one_over_sqrt_n(gs):
    misses = [gs[f"est_cons_miss_{n}"] for n in (10, 100, 1000)]
    assert misses[0] > misses[1] > misses[2]
    sds = [gs[f"est_cons_sd_{n}"] for n in (10, 100, 1000)]
    for a, b in zip(sds, sds[1:]):  # "a tenfold larger sample gives a spread about 3.2 times smaller"
        assert a / b == pytest.approx(np.sqrt(10), rel=0.05)
    assert sds[-1] * np.sqrt(2 * 1000) == pytest.approx(1.0, rel=0.05)  # close to sigma / sqrt(2n)


# Observed information of the Bernoulli model: J = n / (theta_hat (1 - theta_hat)) ---------------


def test_the_bernoulli_curvature_by_autodiff_is_the_closed_form_and_a_second_difference(g, gs):
    k, n = gs["est_learns_k100"], 100  # "we take the 100 flips of the figure" (of 08_sampling)
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


def test_the_bernoulli_standard_error_agrees_with_statsmodels_logit(g, gs):
    # statsmodels fits the logit of theta and reports its SE from the observed information; by the
    # delta method d theta / d logit = theta (1 - theta), so SE(theta_hat) = theta(1-theta) SE(logit)
    flips = flips_with(gs["est_learns_k100"], 100)
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


def exercise_code(label):
    """The Python code block of the solution to exercise `label` (a four-backtick solution)."""
    text = (ROOT / "book" / f"{CHAPTER}.md").read_text(encoding="utf-8")
    body = re.search(r"````\{solution\} " + re.escape(label) + r"\n(.*?)\n````", text, re.S)
    assert body, f"no solution to {label}"
    code = re.search(r"```python\n(.*?)\n```", body.group(1), re.S)
    assert code, f"the solution to {label} shows no code"
    return code.group(1)


def test_the_normal_hessian_exercise_code_gives_the_closed_forms(tf, tfp, capsys):
    """The solution's TensorFlow code, run as printed: its Hessian is diag(n / sigma_hat^2,
    2 n / sigma_hat^2), against second differences of scipy.stats' Normal log-density."""
    space = {"np": np, "tf": tf, "tfd": tfp.distributions}
    exec(exercise_code("ex-est-normal-info"), space)
    y, hessian = space["y"], space["hessian"]
    n, mu_hat, sigma_hat = y.size, y.mean(), y.std()
    np.testing.assert_allclose(
        hessian, np.diag([n / sigma_hat**2, 2 * n / sigma_hat**2]), rtol=1e-10, atol=1e-9
    )

    def nll(p):
        return -stats.norm(p[0], p[1]).logpdf(y).sum()

    h, p0 = 1e-4, np.array([mu_hat, sigma_hat])
    second = np.array(
        [
            [
                (
                    nll(p0 + h * (ei + ej))
                    - nll(p0 + h * (ei - ej))
                    - nll(p0 - h * (ei - ej))
                    + nll(p0 - h * (ei + ej))
                )
                / (4 * h**2)
                for ej in np.eye(2)
            ]
            for ei in np.eye(2)
        ]
    )
    np.testing.assert_allclose(hessian, second, rtol=1e-5, atol=1e-4)
    # the standard errors it prints: sigma_hat / sqrt(n) and sigma_hat / sqrt(2n)
    se = np.sqrt(np.diag(np.linalg.inv(hessian)))
    np.testing.assert_allclose(se, [sigma_hat / np.sqrt(n), sigma_hat / np.sqrt(2 * n)], rtol=1e-10)
    assert "0." in capsys.readouterr().out


# The Wald interval theta_hat +/- 1.96 SE and its coverage ------------------------------------------


def test_the_wald_interval_is_statsmodels_normal_interval(g, gs):
    assert g["est_wald_z"] == pytest.approx(Z, rel=1e-12)
    low, high = proportion_confint(gs["est_learns_k100"], 100, alpha=0.05, method="normal")
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


@pytest.mark.parametrize("chapter", [SAMPLING, CHAPTER])
def test_every_number_the_prose_quotes_was_glued_by_the_build_and_labels_are_prefixed(chapter):
    g = glued(chapter)
    text = (ROOT / "book" / f"{chapter}.md").read_text(encoding="utf-8")
    quoted = set(re.findall(r"\{glue:text\}`([A-Za-z0-9_]+)", text))
    assert quoted and not quoted - set(g), f"quoted in prose, never glued: {quoted - set(g)}"
    assert all(name.startswith("est_") for name in set(g) | quoted)
    labels = re.findall(r":label: (\S+)", text) + re.findall(r"name: (fig-\S+)", text)
    assert labels and all(label.startswith(("eq-est-", "ex-est-", "fig-est-")) for label in labels)
    assert len(labels) == len(set(labels))


def test_the_split_keeps_each_glued_name_on_one_page():
    """Chapter 8 in two (issue 24): no number glued on both pages, the theory's sections labelled."""
    assert not set(glued(SAMPLING)) & set(glued(CHAPTER))
    text = (ROOT / "book" / f"{CHAPTER}.md").read_text(encoding="utf-8")
    for label in (
        "sec-score-information",
        "sec-efficiency",
        "sec-invariance-delta",
        "sec-wald-score-lr",
        "sec-misspecification",
        "sec-profile-likelihood",
    ):
        assert f"({label})=" in text, label


# Score and information (sec-score-information) ----------------------------------------------------


def test_the_score_has_mean_zero_and_the_information_as_its_variance(g):
    n, theta, repeats = 100, 0.3, g["est_bern_repeats"]
    # s(theta) = k / theta - (n - k) / (1 - theta) = (k - n theta) / (theta (1 - theta)), k binomial
    k = stats.binom(n, theta)
    scale = theta * (1 - theta)
    assert k.mean() - n * theta == pytest.approx(0, abs=1e-12)
    exact_var = k.var() / scale**2
    assert g["est_info_true"] == pytest.approx(exact_var, rel=1e-12)  # I_n(theta) = Var s(theta)
    within_mc(g["est_score_mean"], 0.0, np.sqrt(exact_var / repeats))
    assert g["est_score_var"] == pytest.approx(exact_var, rel=4 * np.sqrt(2 / repeats))
    assert g["est_bern_se_true"] == pytest.approx(1 / np.sqrt(exact_var), rel=1e-12)


def test_the_laplace_median_spread_is_the_order_statistic_and_the_expected_information(g):
    """J = 0 for the Laplace location; the median's sd is near 1 / sqrt(I_n) = beta / sqrt(n), and
    exactly that of the middle order statistic of n = 2r - 1 draws, F^-1(U), U ~ Beta(r, r)."""
    n, repeats = g["est_lap_n"], 4_000
    assert n % 2 == 1
    assert g["est_lap_se_info"] == pytest.approx(1 / np.sqrt(n), rel=1e-12)  # beta = 1
    r = (n + 1) // 2
    laplace, beta_r = stats.laplace(), stats.beta(r, r)
    var = integrate.quad(lambda u: laplace.ppf(u) ** 2 * beta_r.pdf(u), 0, 1, points=[0.5], limit=200)[0]
    exact_sd = np.sqrt(var)
    assert g["est_lap_sd_median"] == pytest.approx(exact_sd, rel=4 / np.sqrt(2 * repeats))
    assert exact_sd == pytest.approx(1 / np.sqrt(n), rel=0.03), "the expected information's SE"


# The Cramer-Rao bound and chapter 7's variance ratio (sec-efficiency) -----------------------------


def test_the_cramer_rao_ratio_is_the_sandwich_of_nls_against_the_poisson_information(g):
    """Chapter 7 fitted counts mu = exp(0.8 x + 0.5), x uniform on [0, 3], n = 150, by the Poisson
    NLL and by squared error over 300 data sets; the asymptotic variances of the slope: the
    inverse Fisher information against A^-1 B A^-1, here by Monte Carlo over x (not quadrature)."""
    x = np.random.default_rng(0).uniform(0, 3, size=2_000_000)
    mu = np.exp(0.8 * x + 0.5)
    X = np.column_stack([np.ones_like(x), x])

    def avg(weight):
        return (X * weight[:, None]).T @ X / x.size

    info, A, B = avg(mu), avg(mu**2), avg(mu**3)
    ratio = (np.linalg.inv(A) @ B @ np.linalg.inv(A))[1, 1] / np.linalg.inv(info)[1, 1]
    assert g["est_cr_ratio"] == pytest.approx(ratio, rel=5e-3)
    assert g["est_cr_efficiency"] == pytest.approx(1 / g["est_cr_ratio"], rel=1e-12)
    assert g["est_cr_ratio"] > 1, "no unbiased estimate beats the bound"
    # chapter 7's measured ratio, over 300 data sets: its Monte Carlo error, for a ratio of two
    # sample variances of correlated estimates, is below sqrt(2 / 300) relative: within 3 of those
    ch7 = glued("07_losses")
    assert ch7["loss_var_ratio"] == pytest.approx(g["est_cr_ratio"], rel=3 * np.sqrt(2 / 300))
    # and the Poisson slope's sd over those data sets is near the bound's standard error
    assert ch7["loss_sd_poisson"] == pytest.approx(g["est_cr_sd_ml_150"], rel=3 / np.sqrt(2 * 300))


# Invariance and the delta method (sec-invariance-delta) -------------------------------------------


def test_the_log_odds_and_its_interval_are_statsmodels_logit(g, gs):
    flips = flips_with(gs["est_learns_k100"], 100)
    fit = sm.Logit(flips, np.ones((flips.size, 1))).fit(disp=0)  # fits the log-odds directly
    assert g["est_delta_eta"] == pytest.approx(fit.params[0], abs=1e-6)  # invariance
    assert g["est_delta_se_eta"] == pytest.approx(fit.bse[0], rel=1e-5)  # the delta method
    low, high = fit.conf_int(alpha=0.05)[0]
    assert (g["est_delta_odds_low"], g["est_delta_odds_high"]) == pytest.approx(np.exp([low, high]), rel=1e-5)
    assert (g["est_delta_theta_low"], g["est_delta_theta_high"]) == pytest.approx(
        special.expit([low, high]), rel=1e-5
    )
    assert g["est_delta_odds"] == pytest.approx(
        0.32 / 0.68 if gs["est_learns_k100"] == 32 else np.exp(fit.params[0]), rel=1e-6
    )
    # "lopsided": the odds interval is longer above the estimate than below it
    assert g["est_delta_odds_high"] - g["est_delta_odds"] > g["est_delta_odds"] - g["est_delta_odds_low"]


# Wald, score and likelihood ratio (sec-wald-score-lr) ---------------------------------------------


def test_the_three_statistics_are_statsmodels_tests_and_the_closed_form_lr(g, gs):
    from statsmodels.stats.proportion import proportions_ztest

    k, n = gs["est_learns_k100"], 100
    assert g["est_test_k"] == k
    z_wald, _ = proportions_ztest(k, n, value=0.5)  # variance at the estimate
    z_score, p_score = proportions_ztest(k, n, value=0.5, prop_var=0.5)  # variance at theta0
    assert g["est_test_wald"] == pytest.approx(z_wald**2, rel=1e-10)
    assert g["est_test_score"] == pytest.approx(z_score**2, rel=1e-10)
    assert g["est_test_p_score"] == pytest.approx(p_score, rel=1e-8)
    flips = flips_with(k, n)
    lr = 2 * (stats.bernoulli(k / n).logpmf(flips).sum() - stats.bernoulli(0.5).logpmf(flips).sum())
    assert g["est_test_lr"] == pytest.approx(lr, rel=1e-10)
    assert g["est_test_p_wald"] == pytest.approx(stats.chi2(1).sf(g["est_test_wald"]), rel=1e-10)
    assert g["est_test_p_score"] >= g["est_test_p_wald"], "the prose: p-values from Wald's to the score's"
    assert min(g["est_test_wald"], g["est_test_score"], g["est_test_lr"]) > Z**2


def test_the_wilson_interval_is_the_inverted_score_test():
    """Every theta0 inside Wilson's interval, and none outside, passes the score test at 5%."""
    from statsmodels.stats.proportion import proportions_ztest

    for k, n in ((1, 10), (32, 100), (7, 9)):
        low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
        for theta0 in np.linspace(0.001, 0.999, 999):
            _, p = proportions_ztest(k, n, value=theta0, prop_var=theta0)
            if min(abs(theta0 - low), abs(theta0 - high)) > 1e-9:
                assert (p >= 0.05) == (low < theta0 < high), (k, n, theta0)


# The profile likelihood (sec-profile-likelihood) --------------------------------------------------


def profile_data():
    """The chapter's 40 labels (its recipe: seed 10, x standard Normal, w = 1, b = -0.5)."""
    rng = np.random.default_rng(10)
    x = rng.normal(size=40)
    y = (rng.random(40) < special.expit(1.0 * x - 0.5)).astype(int)
    return x, y


def test_the_profile_interval_is_statsmodels_glm_with_the_weight_as_an_offset(g):

    x, y = profile_data()
    full = sm.Logit(y, np.column_stack([x, np.ones_like(x)])).fit(disp=0, tol=1e-12)
    assert g["est_prof_w_hat"] == pytest.approx(full.params[0], abs=1e-5)
    assert g["est_prof_se"] == pytest.approx(full.bse[0], rel=1e-4)
    wald_low, wald_high = full.conf_int(alpha=0.05)[0]
    assert (g["est_prof_wald_low"], g["est_prof_wald_high"]) == pytest.approx((wald_low, wald_high), abs=1e-4)

    def profile_nll(w):  # the bias fitted by statsmodels with w x held fixed as an offset
        fit = sm.GLM(y, np.ones((y.size, 1)), family=sm.families.Binomial(), offset=w * x).fit(tol=1e-12)
        return -fit.llf

    def rise(w):
        return profile_nll(w) + full.llf - stats.chi2(1).ppf(0.95) / 2

    w_hat = full.params[0]
    low = optimize.brentq(rise, w_hat - 10, w_hat, xtol=1e-10)
    high = optimize.brentq(rise, w_hat, w_hat + 10, xtol=1e-10)
    assert (g["est_prof_low"], g["est_prof_high"]) == pytest.approx((low, high), abs=1e-5)
    # the prose: the profile interval reaches further towards large weights than Wald's
    assert g["est_prof_high"] > g["est_prof_wald_high"] and g["est_prof_low"] > g["est_prof_wald_low"]


# Misspecification and the sandwich (sec-misspecification) -----------------------------------------


def misspecified_data():
    """The chapter's recipe: seed 8, 200 inputs uniform on [0, 3], negative binomial counts with
    mean exp(0.8 x + 0.5) and alpha = 0.5, as a Gamma(1/alpha, alpha) factor on a Poisson mean;
    the first of 2,000 draws is the one data set."""
    rng = np.random.default_rng(8)
    x = rng.uniform(0, 3, size=200)
    mu = np.exp(0.8 * x + 0.5)
    counts = rng.poisson(mu * rng.gamma(2.0, 0.5, size=(2_000, 200)))
    return x, mu, counts


def test_the_sandwich_is_statsmodels_hc0_and_the_model_se_its_nonrobust_fit(g):
    x, mu, counts = misspecified_data()
    X = np.column_stack([x, np.ones_like(x)])
    model = sm.GLM(counts[0], X, family=sm.families.Poisson())
    plain, robust = model.fit(tol=1e-12), model.fit(cov_type="HC0", tol=1e-12)
    assert (g["est_mis_w_hat"], g["est_mis_b_hat"]) == pytest.approx(tuple(plain.params), rel=1e-8)
    assert g["est_mis_se_model"] == pytest.approx(plain.bse[0], rel=1e-6)
    assert g["est_mis_se_sandwich"] == pytest.approx(robust.bse[0], rel=1e-6)


def test_the_sandwich_at_the_truth_is_the_negative_binomial_closed_form_and_the_spread(g):
    x, mu, counts = misspecified_data()
    X = np.column_stack([x, np.ones_like(x)])
    # Var y = mu + alpha mu^2, from scipy's negative binomial with n = 1 / alpha, p = 1 / (1 + alpha mu)
    var = stats.nbinom(2.0, 1 / (1 + 0.5 * mu)).var()
    J, K = (X * mu[:, None]).T @ X, (X * var[:, None]).T @ X
    limit = np.sqrt((np.linalg.inv(J) @ K @ np.linalg.inv(J))[0, 0])
    assert g["est_mis_se_limit"] == pytest.approx(limit, rel=1e-8)
    repeats = g["est_mis_repeats"]
    assert repeats == counts.shape[0]
    # the spread over the repeats: within Monte Carlo error of the sandwich at the truth
    assert g["est_mis_sd_repeats"] == pytest.approx(limit, rel=4 / np.sqrt(2 * repeats) + 0.02)
    within_mc(g["est_mis_w_mean"], 0.8, limit / np.sqrt(repeats) * 1.2)  # consistent for the mean
    # the model's own SE is far too small: the prose's claim
    assert g["est_mis_se_model"] < 0.6 * g["est_mis_sd_repeats"]
    assert g["est_mis_ratio"] == pytest.approx(g["est_mis_se_model"] / g["est_mis_sd_repeats"], rel=1e-12)


@pytest.mark.parametrize("chapter", [SAMPLING, CHAPTER])
def test_the_estimate_chapters_follow_the_course_notation(chapter):
    """Issue 24's notation: the sigmoid is not sigma, N(mu, sigma^2) in maths, w x + b with b the
    bias, the Poisson mean mu (lambda is the MAP chapter's strength)."""
    text = (ROOT / "book" / f"{chapter}.md").read_text(encoding="utf-8")
    maths = " ".join(re.findall(r"\$[^$]+\$", text)) + " ".join(
        re.findall(r"```\{math\}(.*?)```", text, re.S)
    )
    assert not re.search(r"\\sigma\s*\(", maths), "the sigmoid written as sigma"
    assert "\\lambda" not in maths and "Normal(" not in maths and "\\mathrm{Normal}" not in maths
    assert not re.search(r"\ba \+ b ?x", maths), "a + bx makes b a slope"
    if chapter == CHAPTER:
        assert "\\operatorname{sigmoid}(w x + b)" in text and "\\mathcal{N}" in text
        assert "e^{w x_i + b}" in text  # the Poisson mean of a count regression
