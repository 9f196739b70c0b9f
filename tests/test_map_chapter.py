"""The numbers chapter 10 (priors and MAP estimates) computed when the site was built, held against
independent references.

The executed chapter's glued values (`_build/jupyter_execute/book/10_map.glue.json`) are compared
with closed forms (the Beta posterior's mode and mean, ridge by numpy.linalg.solve), scipy.stats and
scipy.optimize, and statsmodels (OLS.fit_regularized with L2 and L1 penalties, Logit on the
separable data). The chapter's data are made again here from the chapter's seed: if the chapter
changes its data, these tests fail until they are changed with it."""

import re
import warnings

import built
import numpy as np
import pytest
import statsmodels.api as sm
from scipy import optimize, special, stats
from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

from likelihood_course import explorers, figures


@pytest.fixture(scope="module")
def glued():
    return built.glued("10_map")


def regression_data():
    """The chapter's thirty examples (its seed and its lines)."""
    rng = np.random.default_rng(10)
    n, d = 30, 5
    X = rng.normal(size=(n, d))
    w_true = np.array([1.5, 0.0, -1.0, 0.0, 0.5])
    y = X @ w_true + rng.normal(0.0, 1.0, size=n)
    return X, y, w_true


def weights(glued, kind, d=5):
    return np.array([glued[f"map_w_{kind}_{j}"] for j in range(d)])


def test_every_number_in_the_prose_is_glued_and_labels_are_prefixed(glued):
    built.check_glue_names_and_labels("10_map", glued, "map", "fig-explore-map")


@pytest.mark.parametrize("a,b", [(1, 1), (2, 2), (10, 10)])
def test_the_beta_posterior_of_five_zeros(glued, a, b):
    k, n = 0, 5
    posterior = stats.beta(a + k, b + n - k)
    # the mode: the maximum of scipy's density, found by scipy's bounded minimiser
    mode = optimize.minimize_scalar(
        lambda t: -posterior.logpdf(t), bounds=(0, 1), method="bounded", options={"xatol": 1e-12}
    ).x
    assert glued[f"map_beta{a}_map"] == pytest.approx(mode, abs=1e-8)
    assert glued[f"map_beta{a}_numeric"] == pytest.approx(mode, abs=1e-7)
    assert glued[f"map_beta{a}_mean"] == pytest.approx(posterior.mean(), rel=1e-12)


def test_add_one_smoothing_is_two_things_at_once(glued):
    assert glued["map_add_one"] == pytest.approx(1 / 7, rel=1e-12)
    assert glued["map_beta2_map"] == pytest.approx(1 / 7, rel=1e-12)  # the mode under Beta(2, 2)
    assert glued["map_beta1_mean"] == pytest.approx(stats.beta(1, 6).mean(), rel=1e-12)  # the flat mean
    assert glued["map_beta1_map"] == 0.0 and glued["map_beta_numeric_gap"] < 1e-7


@pytest.mark.parametrize("n", [5, 50, 500, 5000])
def test_the_prior_weighs_less_as_n_grows(glued, n):
    k = n // 5
    posterior = stats.beta(k + 2, n - k + 2)  # Beta(2, 2) prior
    mode = optimize.minimize_scalar(
        lambda t: -posterior.logpdf(t), bounds=(0, 1), method="bounded", options={"xatol": 1e-12}
    ).x
    assert glued[f"map_weight_map{n}"] == pytest.approx(mode, abs=1e-8)


def test_ridge_is_the_map_under_a_gaussian_prior(glued):
    X, y, _ = regression_data()
    n, d = X.shape
    assert (glued["map_n"], glued["map_d"], glued["map_lam"]) == (n, d, 4.0)
    lam = glued["map_lam"]
    closed = np.linalg.solve(X.T @ X + lam * np.eye(d), X.T @ y)
    np.testing.assert_allclose(weights(glued, "ridge"), closed, rtol=0, atol=1e-12)
    # statsmodels' elastic net with L1_wt=0 minimises RSS / (2n) + alpha / 2 * |w|^2: alpha = lam / n
    ridge_sm = sm.OLS(y, X).fit_regularized(alpha=lam / n, L1_wt=0.0).params
    np.testing.assert_allclose(weights(glued, "ridge"), ridge_sm, atol=1e-10)
    np.testing.assert_allclose(weights(glued, "mle"), sm.OLS(y, X).fit().params, atol=1e-10)
    assert glued["map_ridge_gap"] < 1e-6
    assert glued["map_norm_ridge"] == pytest.approx(np.linalg.norm(closed), rel=1e-10)
    assert glued["map_norm_ridge"] < glued["map_norm_mle"]
    # the prose: the second weight, the one nearest 0, grows; the first shrinks
    mle, ridge = weights(glued, "mle"), weights(glued, "ridge")
    assert np.argmin(np.abs(mle)) == 1 and abs(ridge[1]) > abs(mle[1]) and abs(ridge[0]) < abs(mle[0])


def test_keras_with_l2_lands_on_the_ridge_weights(glued):
    X, y, _ = regression_data()
    n, d = X.shape
    lam = glued["map_lam"]
    assert glued["map_l2"] == pytest.approx(lam / n, rel=1e-12)
    closed = np.linalg.solve(X.T @ X + lam * np.eye(d), X.T @ y)
    np.testing.assert_allclose(weights(glued, "keras"), closed, atol=1e-5)  # float32 training
    assert glued["map_keras_gap"] < 1e-5
    # l2 = lambda makes the prior n times too strong: ridge with n * lambda
    too_strong = np.linalg.solve(X.T @ X + n * lam * np.eye(d), X.T @ y)
    assert glued["map_keras_wrong_norm"] == pytest.approx(np.linalg.norm(too_strong), abs=1e-5)
    assert glued["map_keras_wrong_gap"] == pytest.approx(np.max(np.abs(too_strong - closed)), abs=1e-5)
    assert glued["map_keras_wrong_gap"] > 0.1


def test_the_lasso_matches_statsmodels_and_has_exact_zeros(glued):
    X, y, w_true = regression_data()
    n, _ = X.shape
    lam1 = glued["map_lam1"]
    assert lam1 == pytest.approx(2 / glued["map_beta_scale"], rel=1e-12)  # 2 sigma^2 / beta, sigma = 1
    w = weights(glued, "lasso")
    # statsmodels' elastic net with L1_wt=1 minimises RSS / (2n) + alpha * |w|_1: alpha = lam1 / (2n)
    lasso_sm = sm.OLS(y, X).fit_regularized(alpha=lam1 / (2 * n), L1_wt=1.0).params
    np.testing.assert_allclose(w, lasso_sm, atol=1e-6)
    # the optimality conditions of RSS + lam1 |w|_1, independently of any solver
    pull = 2 * X.T @ (y - X @ w)
    nonzero = w != 0
    np.testing.assert_allclose(pull[nonzero], lam1 * np.sign(w[nonzero]), atol=1e-8)
    assert np.all(np.abs(pull[~nonzero]) <= lam1 + 1e-8)
    # the zeros the prose names: the second and the fourth weights, whose true values are 0
    assert list(np.flatnonzero(w == 0)) == list(np.flatnonzero(w_true == 0)) == [1, 3]
    assert glued["map_lasso_zeros"] == 2 and glued["map_ridge_zeros"] == 0


def test_the_paths_do_what_the_figure_says():
    """fig-map-paths' caption and alt text: ridge's length falls steadily while its weight nearest
    0 first grows; the lasso's weights reach 0 in the order of where they start nearest 0 (the
    fifth, 0.755, before the third, -0.733), the largest last, near lambda_1 = 150."""
    X, y, _ = regression_data()
    n, d = X.shape
    lams = np.geomspace(0.1, 1000, 60)
    ridge = np.array([np.linalg.solve(X.T @ X + s * np.eye(d), X.T @ y) for s in lams])
    assert np.all(np.diff(np.linalg.norm(ridge, axis=1)) < 0) and np.all(ridge != 0)
    nearest = np.argmin(np.abs(ridge[0]))
    assert nearest == 1 and np.abs(ridge[:, 1]).max() > 2 * abs(ridge[0, 1])
    assert all(np.all(np.diff(np.abs(ridge[:, j])) < 0) for j in range(d) if j != nearest)
    lasso = np.array([sm.OLS(y, X).fit_regularized(alpha=s / (2 * n), L1_wt=1.0).params for s in lams])
    first_zero = [int(np.argmax(lasso[:, j] == 0)) for j in range(d)]
    assert all(np.all(lasso[k:, j] == 0) for j, k in enumerate(first_zero))
    assert list(np.argsort(first_zero, kind="stable")) == [1, 3, 4, 2, 0]
    assert 100 < lams[first_zero[0]] < 200 and 2 < lams[first_zero[1]] < 4


def separable():
    x = np.array([-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0])
    return x, (x > 0).astype(float)


def test_separation_has_no_mle(glued):
    x, y = separable()
    X = sm.add_constant(x)
    for c in [1, 10, 100]:  # the NLL at slope c, intercept 0: -sum log Bernoulli, by scipy
        nll = -np.sum(stats.bernoulli(special.expit(c * x)).logpmf(y))
        if c == 100:  # scipy's log of a probability that rounds to 1 is 0: the closed form instead
            nll = np.sum(np.log1p(np.exp(-c * np.abs(x))))
        assert glued[f"map_sep_nll{c}"] == pytest.approx(nll, rel=1e-9)
    assert glued["map_sep_nll1"] > glued["map_sep_nll10"] > glued["map_sep_nll100"] > 0
    assert glued["map_sep_slope100"] < glued["map_sep_slope1000"] < glued["map_sep_slope10000"]
    with pytest.warns(PerfectSeparationWarning), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # it also fails to converge: no news
        fit = sm.Logit(y, X).fit(disp=0)
    assert "PerfectSeparationWarning" in glued["map_sep_warned"]
    assert glued["map_sep_sm_slope"] == pytest.approx(fit.params[1], rel=1e-6)
    assert glued["map_sep_sm_slope"] > glued["map_sep_slope10000"]


def test_a_gaussian_prior_gives_a_finite_map(glued):
    x, y = separable()
    tau = glued["map_sep_tau"]

    def objective(w):  # -log posterior, written with scipy's log-sigmoid
        z = w[0] + w[1] * x
        return -np.sum(y * special.log_expit(z) + (1 - y) * special.log_expit(-z)) + np.sum(w**2) / (
            2 * tau**2
        )

    best = optimize.minimize(
        objective, [0.5, 0.5], method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-14}
    )
    assert glued["map_sep_map_slope"] == pytest.approx(best.x[1], abs=1e-6)
    assert abs(glued["map_sep_map_intercept"]) < 1e-6
    # the slope's own condition: the NLL's slope balances the prior's, w / tau^2
    w = glued["map_sep_map_slope"]
    assert np.sum((special.expit(w * x) - y) * x) + w / tau**2 == pytest.approx(0.0, abs=1e-6)
    assert glued["map_sep_map_p"] == pytest.approx(special.expit(0.5 * w), abs=1e-6)


def test_the_map_is_a_point_of_the_posterior(glued):
    posterior = stats.beta(1, 6)  # uniform prior, five zeros
    assert glued["map_post_low"] == pytest.approx(posterior.ppf(0.025), rel=1e-10)
    assert glued["map_post_high"] == pytest.approx(posterior.ppf(0.975), rel=1e-10)
    assert glued["map_post_sf"] == pytest.approx(0.8**6, rel=1e-12)


def test_the_map_depends_on_the_parametrisation_and_the_mle_does_not(glued):
    assert glued["map_par_theta"] == pytest.approx(1 / 5, abs=1e-7)
    assert glued["map_par_mle_z"] == pytest.approx(1 / 5, abs=1e-7)
    # in the logit the posterior is theta^2 (1 - theta)^5: a Beta(3, 6) in theta, mode 2/7
    assert glued["map_par_z"] == pytest.approx(2 / 7, abs=1e-7)
    z = optimize.minimize_scalar(lambda z: -(2 * special.log_expit(z) + 5 * special.log_expit(-z))).x
    assert glued["map_par_z"] == pytest.approx(special.expit(z), abs=1e-7)


@pytest.mark.parametrize(
    "call,name",
    [
        (lambda: figures.beta_bernoulli(6, 5, 2, 2), "k"),
        (lambda: figures.beta_bernoulli(0, 0, 2, 2), "n"),
        (lambda: figures.beta_bernoulli(0, 5, 0.5, 2), "a"),
        (lambda: figures.beta_bernoulli(0, 5, 2, -1), "b"),
        (lambda: figures.shrinkage_paths([0.1, -1.0], np.ones((2, 2)), np.ones((2, 2))), "lams"),
        (lambda: figures.shrinkage_paths([0.1, 1.0], np.ones((3, 2)), np.ones((2, 2))), "ridge"),
        (lambda: figures.shrinkage_paths([0.1, 1.0], np.ones((2, 2)), np.ones((2, 3))), "ridge and lasso"),
        (lambda: figures.penalised_nll([0.0, 1.0], [1.0, np.nan], [0.0, 1.0]), "nll"),
        (lambda: figures.penalised_nll([0.0, 1.0], [1.0, 0.5], [0.0]), "penalty"),
    ],
)
def test_the_figures_refuse_bad_input_naming_the_argument(call, name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=re.escape(name)):
            call()


def test_the_explorer_starts_with_the_chapters_data_and_refuses_bad_sliders():
    explorer = explorers.map_beta((0, 0, 0, 0, 0))
    payload = explorer.payload
    assert payload["kind"] == "map-beta" and payload["data"]["y"] == [0] * 5
    assert payload["reference"] == {"k": 0, "n": 5, "mle": 0.0}
    assert [s["name"] for s in payload["sliders"]] == ["strength", "mode"]
    # what the page computes at its starting setting, against scipy: strength 4, mode 0.5, Beta(3, 3)
    posterior = stats.beta(3 + 0, 3 + 5)
    mode = optimize.minimize_scalar(lambda t: -posterior.logpdf(t), bounds=(0, 1), method="bounded").x
    assert (0 + 4 * 0.5) / (5 + 4) == pytest.approx(mode, abs=1e-5)
    for bad, name in [({"strength": -1.0}, "strength"), ({"mode": 1.0}, "mode"), ({"y": [0, 2]}, "y")]:
        with pytest.raises(ValueError, match=name):
            explorers.map_beta(**bad)
