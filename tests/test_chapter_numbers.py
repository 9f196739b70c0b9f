"""The worked examples of chapters 1 to 6, as the chapters computed them: the numbers each chapter
glued into its prose when the build executed it (tests/built.py), held against closed forms,
scipy.stats and statsmodels. If a chapter changes its data or its code, these see the new number;
a copy of the chapter's code in a test would not. (Chapter 8's numbers: test_estimates.py and
test_intervals.py.)"""

import itertools

import numpy as np
import pytest
import statsmodels.api as sm
from built import glued
from scipy import integrate, optimize, special, stats

import likelihood_course as lc

FLIPS = [0, 0, 0, 1, 0]  # the five flips of chapters 1 to 4: one head
NORMAL = [-1.0, 0.0, 1.0]  # the Normal example of chapters 2 to 4


def bernoulli_likelihood(theta, y=FLIPS):
    return float(np.prod(stats.bernoulli(theta).pmf(y)))


def normal_likelihood(mu, sigma, y=NORMAL):
    return float(np.prod(stats.norm(mu, sigma).pdf(y)))


def test_chapter_1_the_narrow_density_and_the_sample_probability():
    g = glued("01_probability")
    assert g["narrow_peak"] == pytest.approx(1 / (0.1 * np.sqrt(2 * np.pi)), rel=1e-12)
    assert g["narrow_peak"] > 1, "the point of the example: a density may exceed 1"
    assert g["sample_prob"] == pytest.approx(0.3 * 0.7**4, rel=1e-12)


def test_chapter_2_the_bernoulli_likelihood_at_four_thetas():
    g = glued("02_likelihood")
    for theta, name in ((0.3, "lik_at_03"), (0.2, "lik_at_02"), (0.5, "lik_at_05"), (0.8, "lik_at_08")):
        assert g[name] == pytest.approx(theta * (1 - theta) ** 4, rel=1e-12), name
        assert g[name] == pytest.approx(bernoulli_likelihood(theta), rel=1e-12), name
    assert g["lik_at_02"] == pytest.approx(0.08192, abs=1e-12)  # DESIGN's worked example
    assert g["lik_ratio"] == pytest.approx(bernoulli_likelihood(0.2) / bernoulli_likelihood(0.5), rel=1e-12)


def test_chapter_2_all_sequences_sum_to_one_and_the_likelihood_area_is_one_thirtieth():
    g = glued("02_likelihood")
    sequences = list(itertools.product([0, 1], repeat=5))
    assert g["lik_n_sequences"] == len(sequences)
    assert g["lik_total_prob"] == pytest.approx(
        sum(bernoulli_likelihood(0.3, s) for s in sequences), abs=1e-12
    )
    for name in ("lik_area_quad", "lik_area_beta"):
        # B(2, 5) = 1! 4! / 6!, and the integral of theta (1 - theta)^4, by quad
        assert g[name] == pytest.approx(1 * 24 / 720, rel=1e-10), name
        assert g[name] == pytest.approx(integrate.quad(bernoulli_likelihood, 0, 1)[0], rel=1e-10), name


def test_chapter_2_the_normal_likelihood_at_two_points():
    g = glued("02_likelihood")
    for (mu, sigma), name in (((0.0, 1.0), "lik_normal_a"), ((0.5, 0.8), "lik_normal_b")):
        # the bracketed exponent: -[(mu-1)^2 + mu^2 + (mu+1)^2] / (2 sigma^2)
        closed = (2 * np.pi * sigma**2) ** -1.5 * np.exp(
            -((mu - 1) ** 2 + mu**2 + (mu + 1) ** 2) / (2 * sigma**2)
        )
        assert g[name] == pytest.approx(closed, rel=1e-12), name
        assert g[name] == pytest.approx(normal_likelihood(mu, sigma), rel=1e-12), name


def test_chapter_3_the_bernoulli_mle_three_ways():
    g = glued("03_mle")
    assert g["mle_theta_hat"] == pytest.approx(1 / 5, abs=1e-15)
    assert g["mle_lik_max"] == pytest.approx(256 / 3125, rel=1e-12)  # (1/5) (4/5)^4
    # the optimisers land on the argmax that scipy.stats' likelihood has on a fine grid
    grid = np.linspace(0, 1, 100_001)
    argmax = grid[np.argmax(stats.binom(5, grid).pmf(1))]
    assert g["mle_theta_scipy"] == pytest.approx(argmax, abs=1e-5)
    assert g["mle_theta_tf"] == pytest.approx(1 / 5, abs=1e-8)


def test_chapter_3_the_normal_mle_and_the_gradient_steps():
    g = glued("03_mle")
    _, sigma = stats.norm.fit(NORMAL)  # scipy's maximum likelihood fit
    assert g["mle_sigma_hat"] == pytest.approx(sigma, rel=1e-10)
    assert g["mle_sigma_hat"] == pytest.approx(np.sqrt(2 / 3), rel=1e-12)
    assert g["mle_normal_lik_max"] == pytest.approx(normal_likelihood(0.0, np.sqrt(2 / 3)), rel=1e-12)
    assert g["mle_sigma_tf"] == pytest.approx(np.sqrt(2 / 3), abs=1e-6)
    assert g["mle_tf_steps"] > 0


def test_chapter_4_the_nll_has_the_likelihoods_optimum():
    g = glued("04_nll")
    assert g["nll_argmax_l"] == g["nll_argmin_nll"] == pytest.approx(0.2, abs=1e-9)
    assert g["nll_max_l"] == pytest.approx(256 / 3125, rel=1e-12)
    assert g["nll_min"] == pytest.approx(-np.sum(stats.bernoulli(0.2).logpmf(FLIPS)), rel=1e-12)
    assert g["nll_bernoulli_03"] == pytest.approx(-np.sum(stats.bernoulli(0.3).logpmf(FLIPS)), rel=1e-12)
    assert g["nll_bernoulli_03"] > g["nll_min"]


def test_chapter_4_underflow_of_two_thousand_flips():
    g = glued("04_nll")
    flips = lc.data.coin_flips(n=g["nll_many_n"], theta=0.3, seed=0)  # the chapter's data set
    loglik = stats.bernoulli(0.3).logpmf(flips)
    assert g["nll_many_product"] == 0.0
    assert g["nll_many_loglik"] == pytest.approx(loglik.sum(), rel=1e-10)
    assert g["nll_many_log10"] == pytest.approx(loglik.sum() / np.log(10), rel=1e-10)
    assert g["nll_tiny"] == 2.0**-1074  # the smallest positive (subnormal) float64
    assert g["nll_tiny_log10"] == pytest.approx(-1074 * np.log10(2), rel=1e-12)
    # the product is 0.0 from where the log-likelihood falls below about half the smallest float
    # (round to nearest), give or take the rounding of the subnormals on the way down
    crossing = int(np.argmax(np.cumsum(loglik) < -1075 * np.log(2))) + 1
    assert crossing - 5 <= g["nll_first_zero"] <= crossing + 20


def test_chapter_4_the_normal_nll():
    g = glued("04_nll")
    assert g["nll_normal_a"] == pytest.approx(-np.sum(stats.norm(0.5, 0.8).logpdf(NORMAL)), rel=1e-12)
    assert g["nll_normal_mle"] == pytest.approx(-np.log(normal_likelihood(0.0, np.sqrt(2 / 3))), rel=1e-12)


def test_chapter_5_binary_cross_entropy_and_the_untrained_loss():
    g = glued("05_classifiers")
    # y = [0, 1, 1], p = [0.1, 0.8, 0.6]: the mean Bernoulli NLL (DESIGN: 0.27978)
    mean_nll = -np.mean(stats.bernoulli([0.1, 0.8, 0.6]).logpmf([0, 1, 1]))
    assert g["clf_bce"] == pytest.approx(mean_nll, rel=1e-6)  # Keras computes in float32
    assert round(g["clf_bce"], 5) == 0.27978
    K = len(np.unique(lc.data.three_classes()[1]))
    assert g["clf_log_k"] == pytest.approx(np.log(K), rel=1e-12)
    assert g["clf_untrained"] == pytest.approx(np.log(K), abs=0.01), "an untrained model's loss is about ln K"


def test_chapter_5_the_log_sum_exp_and_the_squared_errors_vanishing_gradient():
    """The NLL of label 1 for the logits (100, 0, -100): direct, inf in float32; as log-sum-exp,
    exactly that of float64 (mpmath-free: with e^-100 and e^-200, log(1 + ...) is 1e-44, below
    rounding). The gradients at z = 0 and 20 for y = 0: (theta - y) theta (1 - theta) against
    theta - y, by the closed form."""
    g = glued("05_classifiers")
    assert g["clf_lse_direct"] == np.inf
    exact = -0.0 + special.logsumexp(np.array([100.0, 0.0, -100.0]))  # float64
    assert exact == pytest.approx(100.0, abs=1e-12)
    assert g["clf_lse_shifted"] == pytest.approx(exact, abs=1e-5)  # float32
    assert g["clf_lse_keras"] == pytest.approx(exact, abs=1e-4)
    theta0, theta20 = special.expit(0.0), special.expit(20.0)
    assert g["clf_sq_grad_0"] == pytest.approx(theta0 * theta0 * (1 - theta0), rel=1e-12) == 0.125
    # (1 - theta) at z = 20 is e^-20 / (1 + e^-20): computed without the cancellation of 1 - expit
    one_minus = special.expit(-20.0)
    assert g["clf_sq_grad_20"] == pytest.approx(theta20**2 * one_minus, rel=1e-6)
    assert g["clf_nll_grad_20"] == pytest.approx(theta20, rel=1e-12)
    assert g["clf_sq_grad_20"] / g["clf_nll_grad_20"] < 1e-8


def test_chapter_5_where_float32_rounds_the_sigmoid_to_one_and_e_to_the_z_overflows():
    """sigma(z) = 1 / (1 + e^-z) is 1.0 in float32 once e^-z is at most 2^-24, half the spacing
    of float32 above 1 (a tie rounds to the even 1.0): from z = 24 log 2, which the chapter found
    on a grid 1e-4 apart. e^z overflows above the log of float32's largest number, (2 - 2^-23)
    2^127, that is 128 log 2 + log(1 - 2^-24). The stable NLL of y = 0 is log(1 + e^z)."""
    g = glued("05_classifiers")
    threshold = 24 * np.log(2)
    assert threshold <= g["clf_f32_sigmoid_one"] < threshold + 2e-4
    below, at = np.float32(threshold - 1e-4), np.float32(g["clf_f32_sigmoid_one"])
    assert special.expit(below) < 1.0 == special.expit(at)  # SciPy, in float32, agrees
    assert g["clf_f32_exp_max"] == pytest.approx(128 * np.log(2) + np.log1p(-(2.0**-24)), abs=1e-5)
    with np.errstate(over="ignore"):
        assert np.isfinite(np.exp(np.float32(g["clf_f32_exp_max"] - 1e-3)))
        assert np.isinf(np.exp(np.float32(g["clf_f32_exp_max"] + 1e-3)))
    for z in (20, 40):
        assert g[f"clf_logit_nll_{z}"] == pytest.approx(np.logaddexp(0.0, z), rel=1e-6)


def minimum_mean_nll(x, y, logpmf, outputs):
    """The smallest mean NLL of a linear model's `outputs` logits, x @ w + b, found by Nelder-Mead
    (no gradient, no statsmodels): `logpmf(logits, y)` is each example's log-probability."""

    def mean_nll(params):
        w = params[:-outputs].reshape(x.shape[1], outputs)
        return -np.mean(logpmf(x @ w + params[-outputs:], y))

    fit = optimize.minimize(
        mean_nll,
        np.zeros((x.shape[1] + 1) * outputs),
        method="Nelder-Mead",
        options={"xatol": 1e-9, "fatol": 1e-13, "maxiter": 40_000},
    )
    assert fit.success, fit.message
    return fit.fun


def bernoulli_logpmf(logits, y):
    return stats.bernoulli(special.expit(logits[:, 0])).logpmf(y)


def categorical_logpmf(logits, y):
    return logits[np.arange(len(y)), y] - special.logsumexp(logits, axis=1)


def test_chapter_5_the_trained_classifiers_land_on_the_maximum_likelihood():
    g = glued("05_classifiers")
    x, y = lc.data.two_classes()
    # the mean NLL the chapter quotes at the optimum is the smallest there is
    assert g["clf_final_bce"] == pytest.approx(minimum_mean_nll(x, y, bernoulli_logpmf, outputs=1), rel=1e-6)
    # Keras and TFP land on the same weights (float32 rounding apart), and on statsmodels'
    assert 0 <= g["clf_diff_tfp"] < 1e-5
    assert 0 <= g["clf_diff_sm"] < 1e-4


def test_chapter_5_the_three_class_model_is_near_its_maximum_likelihood():
    g = glued("05_classifiers")
    x, y = lc.data.three_classes()
    best = minimum_mean_nll(x, y, categorical_logpmf, outputs=3)
    assert best - 1e-6 <= g["clf_k_loss"] <= best + 0.005, "no model beats the maximum likelihood"
    assert g["clf_k_loss"] < np.log(3) / 2, "far below log 3"


def test_chapter_5_a_probability_rounded_to_one_is_clipped():
    g = glued("05_classifiers")
    # Keras clips theta to 1 - eps and adds eps inside the log, in float32: -log(1 - (1 - eps) + eps)
    eps, one = np.float32(1e-7), np.float32(1.0)
    assert g["clf_clipped"] == pytest.approx(-np.log(one - (one - eps) + eps), rel=1e-6)
    assert g["clf_clipped"] < np.logaddexp(0.0, 20.0), "the clipped loss is below the true NLL of z = 20"


def test_chapter_6_least_squares_and_sigma_are_the_statsmodels_ols_fit():
    g = glued("06_regression")
    x, y = lc.data.linear()
    ols = sm.OLS(y, sm.add_constant(x)).fit()
    assert g["reg_n"] == len(y)
    assert (g["reg_b"], g["reg_w"]) == pytest.approx(tuple(ols.params), rel=1e-8)
    assert 0 <= g["reg_diff"] < 1e-5, "the Keras and TFP lines are least squares' (float32 rounding apart)"
    # the MLE of sigma is the root mean squared residual; OLS's scale divides by n - p
    assert g["reg_sigma_hat"] == pytest.approx(np.sqrt(ols.ssr / len(y)), rel=1e-10)
    assert g["reg_sigma_unbiased"] == pytest.approx(np.sqrt(ols.scale), rel=1e-10)
    assert g["reg_sigma_ratio"] == pytest.approx(np.sqrt(len(y) / (len(y) - 2)), rel=1e-10)
    # a model that learns sigma by the Gaussian NLL lands on the same sigma
    assert g["reg_sigma_learned"] == pytest.approx(np.sqrt(ols.ssr / len(y)), rel=1e-5)


def test_chapter_6_the_two_sigma_band_holds_about_95_percent():
    g = glued("06_regression")
    n = g["reg_n"]
    inside = stats.binom(n, special.erf(2 / np.sqrt(2)))  # P(|Z| < 2) for Normal residuals
    assert inside.ppf(0.0005) <= g["reg_inside_band"] / 100 * n <= inside.ppf(0.9995)


def test_chapter_7_the_counts_means_are_computed_not_typed():
    """Chapter 7's counts: the true means over the data, exp(0.5 + 0.8 x) at the data's smallest and
    largest x, within e^0.5 and e^2.9."""
    g = glued("07_losses")
    x = np.sort(np.random.default_rng(0).uniform(0, 3, size=150))  # the counts' inputs (seed 0)
    assert g["loss_counts_mu_min"] == pytest.approx(np.exp(0.5 + 0.8 * x[0]), rel=1e-12)
    assert g["loss_counts_mu_max"] == pytest.approx(np.exp(0.5 + 0.8 * x[-1]), rel=1e-12)
    assert np.exp(0.5) <= g["loss_counts_mu_min"] < g["loss_counts_mu_max"] <= np.exp(2.9)
