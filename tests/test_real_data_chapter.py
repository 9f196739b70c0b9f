"""The numbers chapter 9 computed when the site was built, held against independent references.

The executed chapter's glued values (`_build/jupyter_execute/book/09_real_data.glue.json`, written
by myst-nb) are compared with statsmodels and with scipy.optimize on the closed-form NLLs of
tests/test_real_data.py: the chapter's own fits, standard errors, held-out NLLs, coverages and the
models it names as the winners."""

import re

import built
import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats
from test_real_data import engel_models, engel_parts

from conftest import ROOT
from likelihood_course import real_data

CHAPTER = ROOT / "book" / "09_real_data.md"


@pytest.fixture(scope="module")
def glued():
    return built.glued("09_real_data")


def test_every_number_in_the_prose_is_glued_and_labels_are_prefixed(glued):
    text = CHAPTER.read_text()
    used = set(re.findall(r"\{glue:text\}`([A-Za-z0-9_]+)", text))
    assert used and used <= set(glued), f"glued in prose but never glue()d: {used - set(glued)}"
    assert all(name.startswith("real_") for name in glued)
    labels = re.findall(r":label: (\S+)", text) + re.findall(r"name: (fig-\S+)", text)
    assert labels and all(label.startswith(("eq-real-", "ex-real-", "fig-real-")) for label in labels)
    assert len(labels) == len(set(labels))


def test_the_students(glued):
    data = real_data.spector()
    psi = data.column("PSI") == 1
    assert glued["real_sp_n"] == 32 and glued["real_sp_improved"] == data.y.sum() == 11
    assert (
        (glued["real_sp_n_psi"], glued["real_sp_improved_psi"]) == (psi.sum(), data.y[psi].sum()) == (14, 8)
    )
    assert (glued["real_sp_n_trad"], glued["real_sp_improved_trad"]) == (18, 3)
    logit = sm.Logit(data.y, sm.add_constant(data.X)).fit(disp=0)
    assert glued["real_sp_coef_diff"] < 1e-6 and glued["real_sp_se_diff"] < 1e-6
    assert glued["real_sp_psi"] == pytest.approx(logit.params[3], abs=1e-6)
    assert glued["real_sp_psi_se"] == pytest.approx(logit.bse[3], abs=1e-6)
    z = stats.norm.ppf(0.975)
    assert glued["real_sp_psi_low"] == pytest.approx(logit.params[3] - z * logit.bse[3], abs=1e-6)
    assert glued["real_sp_psi_high"] == pytest.approx(logit.params[3] + z * logit.bse[3], abs=1e-6)
    assert glued["real_sp_psi_low"] > 0
    assert glued["real_sp_psi_odds"] == pytest.approx(np.exp(logit.params[3]), rel=1e-6)
    assert glued["real_sp_nll"] == pytest.approx(-logit.llf / 32, abs=1e-9)


def test_the_households_fits(glued):
    x, y, x_ho, _ = engel_parts()
    assert (glued["real_en_n"], glued["real_en_n_train"], glued["real_en_n_held"]) == (235, 157, 78)
    models = engel_models()
    ols = sm.OLS(y, sm.add_constant(x)).fit()
    assert glued["real_en_slope_c"] == pytest.approx(ols.params[1], abs=1e-8)
    assert glued["real_en_c_coef_diff"] < 1e-8 and glued["real_en_c_se_diff"] < 1e-8
    assert glued["real_en_c_se_ratio"] == pytest.approx(np.sqrt(157 / 155), rel=1e-12)
    growing = models["Gaussian, scale grows with income"][1]
    assert glued["real_en_slope_v"] == pytest.approx(growing[1], abs=1e-5)
    assert glued["real_en_d"] == pytest.approx(growing[3], abs=1e-5)
    assert glued["real_en_v_coef_diff"] < 1e-6 and glued["real_en_v_se_rel"] < 1e-4
    assert glued["real_en_l_coef_diff"] < 1e-3 and glued["real_en_l_nll_gap"] < 1e-6
    income = real_data.engel().X[:, 0] / 1000
    low, high = np.quantile(income, [0.1, 0.9])
    assert glued["real_en_sigma_low"] == pytest.approx(np.exp(growing[2] + growing[3] * low), rel=1e-4)
    assert glued["real_en_sigma_high"] == pytest.approx(np.exp(growing[2] + growing[3] * high), rel=1e-4)


def test_the_households_held_out_checks(glued):
    _, _, x_ho, y_ho = engel_parts()
    poor = x_ho <= np.median(x_ho)
    keys = dict(
        zip(
            [
                "Gaussian, constant scale",
                "Gaussian, scale grows with income",
                "Laplace, constant scale",
                "Laplace, scale grows with income",
            ],
            ["gc", "gv", "lc", "lv"],
        )
    )
    held_nll = {}
    for name, (family, p, varying) in engel_models().items():
        dist = family(p[0] + p[1] * x_ho, np.exp(p[2] + (p[3] * x_ho if varying else 0.0)))
        held_nll[name] = -np.mean(dist.logpdf(y_ho))
        assert glued[f"real_en_{keys[name]}_nll"] == pytest.approx(held_nll[name], abs=1e-4), name
        inside = (dist.ppf(0.05) <= y_ho) & (y_ho <= dist.ppf(0.95))
        for label, part in [("cover", slice(None)), ("cover_poor", poor), ("cover_rich", ~poor)]:
            # a point on the edge of an interval may fall either way: one household at most
            assert glued[f"real_en_{keys[name]}_{label}"] == pytest.approx(
                inside[part].mean(), abs=1.01 / inside[part].size
            ), (name, label)
    best = min(held_nll, key=held_nll.get)
    assert glued["real_en_best"] == best
    assert glued["real_en_worst"] == max(held_nll, key=held_nll.get)
    assert glued["real_en_best_gain"] == pytest.approx(max(held_nll.values()) - held_nll[best], abs=1e-4)
    assert glued["real_en_half"] == 39
    assert glued["real_en_cover_se"] == pytest.approx(np.sqrt(0.09 / 39))


def test_the_doctor_visits(glued):
    data = real_data.randhie()
    train, held = real_data.split(len(data.y), heldout=1 / 3, seed=0)
    X = sm.add_constant(data.X)
    y, y_ho = data.y[train], data.y[held]
    assert glued["real_rh_n"] == 20190 and glued["real_rh_n_train"] + glued["real_rh_n_held"] == 20190
    assert glued["real_rh_mean"] == pytest.approx(data.y.mean())
    assert glued["real_rh_var"] == pytest.approx(data.y.var())
    assert glued["real_rh_zeros"] == pytest.approx(np.mean(data.y == 0))
    assert glued["real_rh_poisson_zeros"] == pytest.approx(np.exp(-data.y.mean()))

    poisson = sm.Poisson(y, X[train]).fit(disp=0)
    mu = poisson.predict(X[train])
    assert glued["real_rh_p_coef_diff"] < 1e-6 and glued["real_rh_p_se_diff"] < 1e-6
    assert glued["real_rh_dispersion"] == pytest.approx(
        np.sum((y - mu) ** 2 / mu) / (len(y) - X.shape[1]), rel=1e-6
    )
    assert glued["real_rh_zeros_poisson"] == pytest.approx(np.mean(np.exp(-mu)), rel=1e-6)

    negbin = sm.NegativeBinomial(y, X[train], loglike_method="nb2").fit(disp=0, method="newton")
    alpha = negbin.params[-1]
    assert glued["real_rh_nb_coef_diff"] < 1e-5 and glued["real_rh_nb_se_diff"] < 1e-5
    assert glued["real_rh_alpha"] == pytest.approx(alpha, abs=1e-5)
    assert glued["real_rh_alpha_se"] == pytest.approx(negbin.bse[-1], abs=1e-5)
    assert glued["real_rh_lr"] == pytest.approx(2 * (negbin.llf - poisson.llf), rel=1e-6)
    assert glued["real_rh_se_ratio_min"] > 1  # the Poisson standard errors are all too small

    mu_ho = poisson.predict(X[held])
    mu_nb = np.exp(X[held] @ negbin.params[:-1])
    references = {
        "Poisson": stats.poisson(mu_ho),
        "negative binomial": stats.nbinom(1 / alpha, 1 / (1 + alpha * mu_nb)),
    }
    held_nll = {}
    for name, key in [("Poisson", "p"), ("negative binomial", "nb")]:
        dist = references[name]
        held_nll[name] = -np.mean(dist.logpmf(y_ho))
        assert glued[f"real_rh_{key}_nll"] == pytest.approx(held_nll[name], abs=1e-5)
        inside = (dist.ppf(0.05) <= y_ho) & (y_ho <= dist.ppf(0.95))
        assert glued[f"real_rh_{key}_cover"] == pytest.approx(inside.mean(), abs=2 / len(y_ho))
        assert glued[f"real_rh_{key}_zeros"] == pytest.approx(np.mean(dist.pmf(0)), abs=1e-5)
    assert glued["real_rh_best"] == min(held_nll, key=held_nll.get) == "negative binomial"
    assert glued["real_rh_gain"] == pytest.approx(
        held_nll["Poisson"] - held_nll["negative binomial"], abs=1e-5
    )
    assert glued["real_rh_p_cover"] < 0.9 <= glued["real_rh_nb_cover"]  # as the text says
