"""Unit tests of the explorers' build-time side (likelihood_course.explorers) and their static
figures (likelihood_course.figures.explorers).

The payload is what the browser computes from: its data must be the chapters' seeded data, and its
reference values (the maxima the explorers point to) must agree with independent fits
(statsmodels, scipy.stats, closed forms). The static figure, which the PDF prints, must show the
same quantities at the starting setting."""

import base64
import json

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import statsmodels.api as sm  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from scipy import stats  # noqa: E402

from likelihood_course import data, explorers, figures  # noqa: E402
from likelihood_course._mime import EXPLORER  # noqa: E402

ALL = [
    explorers.pmf_pdf,
    explorers.bernoulli_likelihood,
    explorers.normal_likelihood,
    explorers.classifier,
    explorers.regression,
]


@pytest.mark.parametrize("make", ALL, ids=lambda f: f.__name__)
def test_bundle_has_payload_static_png_and_text(make):
    explorer = make()
    bundle = explorer._repr_mimebundle_()
    assert set(bundle) == {EXPLORER, "image/png", "text/plain"}
    png = base64.b64decode(bundle["image/png"])
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    payload = json.loads(json.dumps(bundle[EXPLORER], allow_nan=False))  # plain, finite JSON
    assert payload == bundle[EXPLORER]
    for slider in payload["sliders"]:
        assert slider["min"] <= slider["value"] <= slider["max"] and slider["step"] > 0
        assert slider["label"].strip(), "every slider has a label"
    assert "interactive on the course website" in bundle["text/plain"]


def test_payloads_carry_the_chapters_data():
    assert explorers.bernoulli_likelihood().payload["data"]["y"] == [0, 0, 0, 1, 0]
    assert explorers.normal_likelihood().payload["data"]["y"] == [-1.0, 0.0, 1.0]
    x, y = data.two_classes()
    clf = explorers.classifier().payload["data"]
    np.testing.assert_array_equal(clf["x1"], x[:, 0])
    np.testing.assert_array_equal(clf["x2"], x[:, 1])
    np.testing.assert_array_equal(clf["y"], y)
    x, y = data.linear()
    reg = explorers.regression().payload["data"]
    np.testing.assert_array_equal(reg["x"], x)
    np.testing.assert_array_equal(reg["y"], y)


def test_normal_reference_is_the_closed_form_maximum():
    ref = explorers.normal_likelihood().payload["reference"]
    assert ref["mu_hat"] == pytest.approx(0.0, abs=1e-15)
    assert ref["sigma_hat"] == pytest.approx(np.sqrt(2 / 3), rel=1e-14)
    assert ref["likelihood_max"] == pytest.approx(
        np.prod(stats.norm(0, np.sqrt(2 / 3)).pdf([-1, 0, 1])), rel=1e-12
    )


def test_classifier_reference_is_the_statsmodels_fit():
    x, y = data.two_classes()
    fit = sm.Logit(y.astype(float), sm.add_constant(x)).fit(disp=0, tol=1e-12)
    ref = explorers.classifier().payload["reference"]
    np.testing.assert_allclose([ref["w1_hat"], ref["w2_hat"], ref["b_hat"]], fit.params[[1, 2, 0]], atol=1e-6)
    assert ref["bce_min"] == pytest.approx(-fit.llf / len(y), rel=1e-9)


def test_regression_reference_is_the_statsmodels_fit():
    x, y = data.linear()
    ols = sm.OLS(y, sm.add_constant(x)).fit()
    ref = explorers.regression().payload["reference"]
    np.testing.assert_allclose([ref["b_hat"], ref["w_hat"]], ols.params, rtol=1e-10)
    assert ref["mse_min"] == pytest.approx(ols.ssr / len(y), rel=1e-10)
    assert ref["sigma_hat"] == pytest.approx(np.sqrt(ols.ssr / len(y)), rel=1e-10)


def test_pmf_pdf_reference_is_where_the_peak_is_one():
    sigma = explorers.pmf_pdf().payload["reference"]["sigma_peak_one"]
    assert stats.norm(0, sigma).pdf(0) == pytest.approx(1.0, rel=1e-14)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"theta": 1.5}, "theta"),
        ({"sigma": 5.0}, "sigma"),
    ],
)
def test_start_outside_a_slider_is_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        explorers.pmf_pdf(**kwargs)


def test_bad_data_is_refused():
    with pytest.raises(ValueError, match="y must contain only labels"):
        explorers.bernoulli_likelihood(y=[0, 2, 1])
    with pytest.raises(ValueError, match="y must contain only finite"):
        explorers.normal_likelihood(y=[0.0, np.nan])


def test_start_names_the_sliders():
    explorer = explorers.regression()
    assert explorer.start("sigma") == 1.0
    with pytest.raises(ValueError, match="sliders"):
        explorer.start("tau")


# --- the static figures ----------------------------------------------------------------------


def _titles(fig):
    return [ax.get_title() for ax in fig.axes]


def test_static_pmf_pdf_shows_the_bars_and_the_peak():
    fig = figures.pmf_pdf_explorer(0.3, 0.0, 0.2)
    assert isinstance(fig, Figure)
    bars = [p.get_height() for p in fig.axes[0].patches]
    np.testing.assert_allclose(bars, [0.7, 0.3], rtol=1e-12)
    assert f"{stats.norm(0, 0.2).pdf(0):.3f}" in _titles(fig)[1]


def test_static_bernoulli_shows_factors_and_their_product():
    fig = figures.bernoulli_likelihood_explorer([0, 0, 0, 1, 0], 0.3)
    bars = [p.get_height() for p in fig.axes[0].patches]
    np.testing.assert_allclose(bars, stats.bernoulli(0.3).pmf([0, 0, 0, 1, 0]), rtol=1e-12)
    assert f"{0.3 * 0.7**4:.5f}" in _titles(fig)[0]


def test_static_bernoulli_nll_shows_terms_and_their_sum():
    fig = figures.bernoulli_likelihood_explorer([0, 0, 0, 1, 0], 0.3, nll=True)
    terms = [p.get_height() for p in fig.axes[0].patches]
    np.testing.assert_allclose(terms, -stats.bernoulli(0.3).logpmf([0, 0, 0, 1, 0]), rtol=1e-12)
    assert f"{-np.log(0.3 * 0.7**4):.4f}" in _titles(fig)[0]


def test_static_normal_shows_heights_likelihood_and_nll():
    fig = figures.normal_likelihood_explorer([-1.0, 0.0, 1.0], 0.5, 1.2)
    heights = stats.norm(0.5, 1.2).pdf([-1, 0, 1])
    title = _titles(fig)[0]
    assert f"{np.prod(heights):.5f}" in title and f"{-np.sum(np.log(heights)):.4f}" in title


def test_static_classifier_shows_the_cross_entropy():
    x, y = data.two_classes()
    fig = figures.classifier_explorer(x, y, (1.0, -0.5), 0.5)
    z = x @ np.array([1.0, -0.5]) + 0.5
    bce = -np.mean(stats.bernoulli(1 / (1 + np.exp(-z))).logpmf(y))
    assert f"{bce:.4f}" in _titles(fig)[1]


def test_static_regression_shows_mse_and_nll():
    x, y = data.linear()
    fig = figures.regression_explorer(x, y, 0.3, 0.5, 1.0)
    mse = np.mean((y - 0.5 - 0.3 * x) ** 2)
    nll = -np.sum(stats.norm(0.5 + 0.3 * x, 1.0).logpdf(y))
    assert f"{mse:.4f}" in _titles(fig)[0] and f"{nll:.2f}" in _titles(fig)[0]


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: figures.pmf_pdf_explorer(1.2, 0, 1), "theta"),
        (lambda: figures.pmf_pdf_explorer(0.5, 0, -1), "sigma"),
        (lambda: figures.bernoulli_likelihood_explorer([0, 1], 0.0), "theta"),
        (lambda: figures.normal_likelihood_explorer([0.0, 1.0], np.nan, 1.0), "mu"),
        (lambda: figures.classifier_explorer(np.zeros((3, 2)), [0, 1, 1], (1.0,), 0.0), "w"),
        (lambda: figures.regression_explorer([0.0, 1.0], [1.0], 1.0, 0.0, 1.0), "same length"),
    ],
)
def test_static_figures_refuse_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
