"""The numbers chapter 11 computed when the site was built, held against independent references.

The executed chapter's glued values (`_build/jupyter_execute/book/11_calibration.glue.json`) are
compared with closed forms (the expected log and Brier scores), with scipy.optimize (the maximum
likelihood temperature, the Engel and Poisson fits), with an ECE computed here another way (NumPy's
`digitize`), with the true probabilities of the data's generator computed from scipy.stats
densities, and with PIT values from scipy.stats' distribution functions. The chapter hands its
logits to the build (Keras' float32 values as base64 text, which recovers them exactly), so
that every number here is recomputed from the model's outputs, not copied from the chapter's
code. And the chapter's figure helpers are checked, bad input included."""

import base64
import re

import built
import matplotlib
import numpy as np
import pytest
import statsmodels.api as sm
from scipy import optimize, special, stats
from test_real_data import engel_models, engel_parts

from likelihood_course import data, explorers, figures, real_data

matplotlib.use("Agg")

MODELS = {"lr": "logistic regression", "net": "overfitted network"}


@pytest.fixture(scope="module")
def glued():
    return built.glued("11_calibration")


def logits(glued, key, part):
    """The chapter's logits of model `key` on the validation or test set, exactly as it had them."""
    raw = base64.b64decode(glued[f"cal_z_{part}_{key}"])
    return np.frombuffer(raw, dtype=np.float32).astype(float)


def nll(z, y):
    """The mean Bernoulli NLL, from scipy's log-sigmoid (finite for any logit)."""
    return -np.mean(np.where(y == 1, special.log_expit(z), special.log_expit(-z)))


def ece(q, y, bins=10):
    """The expected calibration error over equal-width bins, by np.digitize (1 in the last bin)."""
    edges = np.linspace(0, 1, bins + 1)
    index = np.digitize(q, edges[1:-1])  # 0 .. bins - 1
    total = 0.0
    for b in np.unique(index):
        part = index == b
        total += part.sum() / q.size * abs(y[part].mean() - q[part].mean())
    return total


def test_every_number_in_the_prose_is_glued_and_labels_are_prefixed(glued):
    built.check_glue_names_and_labels("11_calibration", glued, "cal", "fig-explore-")


def test_the_expected_scores_are_the_closed_forms(glued):
    p = glued["cal_p"]
    assert p == 0.7
    entropy = -(p * np.log(p) + (1 - p) * np.log(1 - p))
    assert glued["cal_log_min"] == pytest.approx(entropy, rel=1e-12)
    assert glued["cal_brier_min"] == pytest.approx(p * (1 - p), rel=1e-12)
    for key in ("log", "brier"):  # the minimum at the truth, on the grid of step 0.001
        assert glued[f"cal_{key}_argmin_low"] == pytest.approx(p, abs=1e-9)
        assert glued[f"cal_{key}_argmin_high"] == pytest.approx(p, abs=1e-9)
    assert glued["cal_log_at_09"] == pytest.approx(-(p * np.log(0.9) + (1 - p) * np.log(0.1)), rel=1e-12)
    assert glued["cal_brier_at_09"] == pytest.approx((0.9 - p) ** 2 + p * (1 - p), rel=1e-12)
    # the error rate is flat at 1 - p over the whole grid above 1/2
    assert glued["cal_error_min"] == pytest.approx(1 - p, rel=1e-12)
    assert (glued["cal_error_argmin_low"], glued["cal_error_argmin_high"]) == pytest.approx((0.501, 0.999))


@pytest.mark.parametrize("p", [0.05, 0.3, 0.5, 0.7, 0.93])
def test_log_and_brier_scores_are_strictly_proper_and_the_error_is_not(p):
    """The minimiser of each expected score, by scipy's bounded scalar minimiser: the truth."""
    scores = {
        "log": lambda q: -(p * np.log(q) + (1 - p) * np.log(1 - q)),
        "brier": lambda q: p * (1 - q) ** 2 + (1 - p) * q**2,
    }
    for name, score in scores.items():
        best = optimize.minimize_scalar(
            score, bounds=(1e-9, 1 - 1e-9), method="bounded", options={"xatol": 1e-10}
        )
        assert best.x == pytest.approx(p, abs=1e-6), name
    error = lambda q: np.where(q > 0.5, 1 - p, p)  # noqa: E731
    if p != 0.5:
        side = np.linspace(0.51, 0.99, 9) if p > 0.5 else np.linspace(0.01, 0.49, 9)
        assert np.ptp(error(side)) == 0  # flat: the truth is no better than any q on its side


def test_the_data_and_the_models_accuracy_and_nll(glued):
    _, y_test = data.two_classes(n=4000, seed=3)
    for key in MODELS:
        z = logits(glued, key, "test")
        assert z.shape == y_test.shape
        assert glued[f"cal_{key}_nll"] == pytest.approx(nll(z, y_test), rel=1e-9)
        assert glued[f"cal_{key}_acc"] == pytest.approx(np.mean((z > 0) == y_test), abs=1e-12)
    assert glued["cal_net_train_acc"] == 1.0 and glued["cal_net_train_nll"] < 1e-2
    assert glued["cal_net_nll"] > 3 * glued["cal_lr_nll"]  # the overconfident network


def true_probability(x):
    """P(y = 1 | x) of lc.data.two_classes, from the two Normal densities by Bayes' rule."""
    one = stats.multivariate_normal([1.0, 0.75]).pdf(x)
    zero = stats.multivariate_normal([-1.0, -0.5]).pdf(x)
    return one / (one + zero)


def test_the_true_probabilities_and_their_ece(glued):
    x_test, y_test = data.two_classes(n=4000, seed=3)
    p_true = true_probability(x_test)
    assert glued["cal_true_nll"] == pytest.approx(nll(special.logit(p_true), y_test), rel=1e-9)
    assert glued["cal_true_acc"] == pytest.approx(np.mean((p_true > 0.5) == y_test), abs=1e-12)
    for bins in (5, 10, 20, 50):
        assert glued[f"cal_true_ece_{bins}"] == pytest.approx(ece(p_true, y_test, bins), abs=1e-9), bins
    # calibrated by construction, yet the ECE grows with the bins
    assert (
        glued["cal_true_ece_5"]
        < glued["cal_true_ece_10"]
        < glued["cal_true_ece_20"]
        < glued["cal_true_ece_50"]
    )
    assert glued["cal_lr_nll_gap"] == pytest.approx(glued["cal_lr_nll"] - glued["cal_true_nll"], abs=1e-12)
    assert glued["cal_const_ece"] == pytest.approx(abs(y_test.mean() - 0.5), abs=1e-12)
    assert glued["cal_const_nll"] == pytest.approx(np.log(2), rel=1e-12)


def test_the_ece_recomputed_another_way(glued):
    _, y_test = data.two_classes(n=4000, seed=3)
    for key in MODELS:
        q = special.expit(logits(glued, key, "test"))
        assert glued[f"cal_{key}_ece"] == pytest.approx(ece(q, y_test), abs=1e-9), key
        for bins in (5, 10, 20, 50):
            assert glued[f"cal_{key}_ece_{bins}"] == pytest.approx(ece(q, y_test, bins), abs=1e-9), (
                key,
                bins,
            )
    q = special.expit(logits(glued, "net", "test"))
    assert glued["cal_net_share_extreme"] == pytest.approx(np.mean((q < 0.01) | (q > 0.99)), abs=1e-12)


def test_the_temperature_is_the_maximum_likelihood_one(glued):
    """The chapter's Newton fit (statsmodels' Logit on the logit, no intercept) against scipy's
    bounded scalar minimiser of the validation NLL in T."""
    _, y_val = data.two_classes(n=1000, seed=2)
    for key in MODELS:
        z = logits(glued, key, "val")
        best = optimize.minimize_scalar(
            lambda T, z=z: nll(z / T, y_val), bounds=(0.01, 100), method="bounded", options={"xatol": 1e-9}
        )
        assert glued[f"cal_{key}_T"] == pytest.approx(best.x, rel=1e-5), key
        assert glued[f"cal_{key}_val_nll_T"] == pytest.approx(best.fun, abs=1e-9), key
        assert glued[f"cal_{key}_val_nll"] == pytest.approx(nll(z, y_val), rel=1e-9), key
        assert best.fun < nll(z, y_val)  # the fitted T is better than T = 1 on the data it was fitted to
    assert glued["cal_lr_T"] == pytest.approx(1, abs=0.15)
    assert glued["cal_net_T"] > 3


def test_temperature_scaling_on_the_test_set_keeps_the_accuracy(glued):
    _, y_test = data.two_classes(n=4000, seed=3)
    for key in MODELS:
        z, T = logits(glued, key, "test"), glued[f"cal_{key}_T"]
        q_before, q_after = special.expit(z), special.expit(z / T)
        assert glued[f"cal_{key}_nll_T"] == pytest.approx(nll(z / T, y_test), rel=1e-9), key
        assert glued[f"cal_{key}_ece_T"] == pytest.approx(ece(q_after, y_test), abs=1e-9), key
        accuracy = np.mean((q_after > 0.5) == y_test)
        assert accuracy == np.mean((q_before > 0.5) == y_test)
        assert glued[f"cal_{key}_acc_T"] == pytest.approx(accuracy, abs=1e-12) == glued[f"cal_{key}_acc"]
    assert glued["cal_net_nll_T"] < glued["cal_net_nll"] / 2 and glued["cal_net_ece_T"] < glued["cal_net_ece"]


def test_the_temperature_fitted_on_the_training_points_runs_to_the_bound(glued):
    assert glued["cal_T_on_train"] == pytest.approx(0.01, abs=1e-3)
    assert glued["cal_min_abs_logit"] > 0


def count_parts():
    rand = real_data.randhie()
    X = sm.add_constant(rand.X)
    train, held = real_data.split(len(rand.y), heldout=1 / 3, seed=0)
    return X[train], rand.y[train], X[held], rand.y[held]


def test_the_fits_of_chapter_9_again(glued):
    models = engel_models()
    const = models["Gaussian, constant scale"][1]
    growing = models["Gaussian, scale grows with income"][1]
    assert glued["cal_en_const_params"] == pytest.approx(list(const[:3]) + [0.0], abs=1e-5)
    assert glued["cal_en_grow_params"] == pytest.approx(list(growing), abs=1e-5)
    X_tr, y_tr, _, _ = count_parts()

    def poisson_nll(w):
        eta = X_tr @ w
        return np.mean(np.exp(eta) - y_tr * eta)

    def poisson_gradient(w):
        return X_tr.T @ (np.exp(X_tr @ w) - y_tr) / len(y_tr)

    w = optimize.minimize(
        poisson_nll, np.zeros(X_tr.shape[1]), jac=poisson_gradient, method="BFGS", options={"gtol": 1e-10}
    ).x
    assert glued["cal_rh_p_params"] == pytest.approx(list(w), abs=1e-4)
    # given alpha, the negative binomial's weights are a GLM's (iteratively reweighted least squares)
    alpha = glued["cal_rh_nb_params"][-1]
    assert glued["cal_rh_alpha"] == alpha
    glm = sm.GLM(y_tr, X_tr, family=sm.families.NegativeBinomial(alpha=alpha)).fit(tol=1e-12)
    assert glued["cal_rh_nb_params"][:-1] == pytest.approx(list(glm.params), abs=1e-4)


def pit_summary(u):
    ks = stats.kstest(u, "uniform")
    return {
        "outer": np.mean((u < 0.05) | (u > 0.95)),
        "low": np.mean(u < 0.05),
        "high": np.mean(u > 0.95),
        "ks": ks.statistic,
        "ks_p": ks.pvalue,
    }


def test_the_pit_values_against_scipy_stats(glued):
    _, _, x_ho, y_ho = engel_parts()
    assert glued["cal_en_n_held"] == len(y_ho) == 78
    pits = {}
    for key in ("en_const", "en_grow"):
        b, w, b_scale, w_scale = glued[f"cal_{key}_params"]
        pits[key] = stats.norm(w * x_ho + b, np.exp(w_scale * x_ho + b_scale)).cdf(y_ho)
    _, _, X_ho, n_ho = count_parts()
    assert glued["cal_rh_n_held"] == len(n_ho)
    v = np.random.default_rng(glued["cal_pit_seed"]).uniform(size=len(n_ho))
    w = np.asarray(glued["cal_rh_p_params"])
    poisson = stats.poisson(np.exp(X_ho @ w))
    pits["rh_p"] = poisson.cdf(n_ho - 1) + v * poisson.pmf(n_ho)
    *w, alpha = glued["cal_rh_nb_params"]
    mu = np.exp(X_ho @ np.asarray(w))
    negbin = stats.nbinom(1 / alpha, 1 / (1 + alpha * mu))
    pits["rh_nb"] = negbin.cdf(n_ho - 1) + v * negbin.pmf(n_ho)
    for key, u in pits.items():
        for name, value in pit_summary(u).items():
            if name == "ks_p" and value < 1e-12:
                assert glued[f"cal_{key}_{name}"] < 1e-10, key
                continue
            # a PIT value on the edge of 0.05 may fall either way, the KS distance moves as much
            assert glued[f"cal_{key}_{name}"] == pytest.approx(value, rel=1e-4, abs=1e-6), (key, name)
    assert glued["cal_rh_p_outer"] > 0.2 > glued["cal_rh_nb_outer"]
    poorer = x_ho <= np.median(x_ho)
    assert glued["cal_en_half"] == poorer.sum() == 39
    assert glued["cal_en_half_se"] == pytest.approx(np.sqrt(0.09 / 39), rel=1e-12)
    for key in ("en_const", "en_grow"):
        for half, part in [("poor", poorer), ("rich", ~poorer)]:
            share = np.mean((pits[key][part] < 0.05) | (pits[key][part] > 0.95))
            assert glued[f"cal_{key}_outer_{half}"] == pytest.approx(share, abs=1e-12), (key, half)
    # the constant scale: too wide for the poorer half, too narrow for the richer; the growing one
    # too narrow for the poorer half
    assert glued["cal_en_const_outer_poor"] < 0.05 < 0.1 < glued["cal_en_const_outer_rich"]
    assert glued["cal_en_grow_outer_poor"] > 0.15


def test_the_randomised_pit_is_uniform_under_the_model():
    """The formula of the chapter, F(y - 1) + v P(Y = y), on counts drawn from the model itself."""
    rng = np.random.default_rng(1)
    mu, alpha = rng.uniform(0.5, 6, size=20_000), 1.3
    model = stats.nbinom(1 / alpha, 1 / (1 + alpha * mu))
    y = model.rvs(random_state=rng)
    u = model.cdf(y - 1) + rng.uniform(size=y.size) * model.pmf(y)
    assert stats.kstest(u, "uniform").pvalue > 0.01
    assert stats.kstest(model.cdf(y), "uniform").pvalue < 1e-6  # without the randomisation: not uniform


# ---- the figure helpers ---------------------------------------------------------------------------


def test_reliability_bins_against_digitize():
    rng = np.random.default_rng(0)
    q = np.r_[rng.uniform(size=500), 0.0, 1.0, 0.5]
    y = (rng.uniform(size=q.size) < q).astype(int)
    counts, mean_q, freq = figures.reliability_bins(q, y, bins=8)
    index = np.digitize(q, np.linspace(0, 1, 9)[1:-1])
    assert counts.sum() == q.size and list(counts) == [np.sum(index == b) for b in range(8)]
    for b in range(8):
        assert mean_q[b] == pytest.approx(q[index == b].mean())
        assert freq[b] == pytest.approx(y[index == b].mean())
    assert sum(c / q.size * abs(f - m) for c, m, f in zip(counts, mean_q, freq)) == pytest.approx(
        ece(q, y, 8)
    )


def test_expected_scores_draws_minima_at_the_truth():
    ax = figures.expected_scores(0.3)
    log_line, brier_line = ax.lines[0], ax.lines[1]
    for line in (log_line, brier_line):
        q, value = line.get_data()
        assert q[np.argmin(value)] == pytest.approx(0.3, abs=0.003)
    matplotlib.pyplot.close("all")


def test_the_diagrams_draw_one_panel_per_model():
    rng = np.random.default_rng(0)
    q = rng.uniform(size=200)
    y = (rng.uniform(size=200) < q).astype(int)
    fig = figures.reliability_diagram({"a": q, "b": q**2}, y)
    assert [ax.get_title() for ax in fig.axes] == ["a", "b"]
    fig = figures.pit_histograms({"a": q, "b": q, "c": q})
    assert [ax.get_title() for ax in fig.axes if ax.get_visible()] == ["a", "b", "c"]
    matplotlib.pyplot.close("all")


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: figures.reliability_bins([0.2, 1.5], [0, 1]), "p"),
        (lambda: figures.reliability_bins([0.2, 0.5], [0, 2]), "y"),
        (lambda: figures.reliability_bins([0.2, 0.5], [0]), "p and y"),
        (lambda: figures.reliability_bins([0.2, 0.5], [0, 1], bins=0), "bins"),
        (lambda: figures.expected_scores(1.0), "p"),
        (lambda: figures.expected_scores("0.5"), "p"),
        (lambda: figures.reliability_diagram({}, [0, 1]), "models"),
        (lambda: figures.reliability_diagram({"a": [0.1, np.nan]}, [0, 1]), "models['a']"),
        (lambda: figures.reliability_diagram({"a": [0.1]}, [0, 1]), "models['a']"),
        (lambda: figures.pit_histograms({"a": [0.1, -0.2]}), "pits['a']"),
        (lambda: figures.pit_histograms([0.1]), "pits"),
        (lambda: figures.pit_histograms({"a": [0.1]}, bins=1.5), "bins"),
    ],
)
def test_bad_input_is_refused_by_name(call, name):
    with pytest.raises(ValueError, match=re.escape(name)):
        call()


def test_the_explorer_carries_the_networks_validation_logits_and_the_fitted_temperature(glued):
    """The explorer's reference temperature (a bounded search in log T) is the chapter's Newton fit."""
    _, y_val = data.two_classes(n=1000, seed=2)
    z = logits(glued, "net", "val")
    explorer = explorers.temperature(z, y_val)
    payload = explorer.payload
    assert payload["kind"] == "temperature" and payload["data"]["z"] == list(z)
    assert payload["reference"]["T_hat"] == pytest.approx(glued["cal_net_T"], rel=1e-6)
    assert payload["reference"]["nll_min"] == pytest.approx(glued["cal_net_val_nll_T"], abs=1e-9)
    fig = explorer.figure()
    top, bottom = fig.axes
    assert top.get_title() == f"T = 1: ECE {ece(special.expit(z), y_val):.3f}"
    assert bottom.get_title() == f"NLL {nll(z, y_val):.3f} at T = 1"
    matplotlib.pyplot.close("all")
    for bad, name in [(dict(T=0.1), "T"), (dict(z=z * 1e7), "z"), (dict(y=y_val[:-1]), "z and y")]:
        kwargs = {"z": z, "y": y_val} | bad
        with pytest.raises(ValueError, match=re.escape(name)):
            explorers.temperature(**kwargs)
