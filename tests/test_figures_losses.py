"""Chapter 7's figures draw what they say, against scipy.stats and closed forms, and reject bad
input."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from scipy import stats  # noqa: E402

from conftest import png_bytes  # noqa: E402
from likelihood_course import figures, noisy_data  # noqa: E402


def test_residual_penalties_are_the_gaussian_and_laplace_nll():
    ax = figures.residual_penalties(max_residual=3.0, sigma=0.7, beta=1.5)
    gauss, laplace = ax.lines
    r, v = gauss.get_data()
    assert r.min() == -3.0 and r.max() == 3.0
    np.testing.assert_allclose(v, -stats.norm(0, 0.7).logpdf(r))
    r, v = laplace.get_data()
    np.testing.assert_allclose(v, -stats.laplace(0, 1.5).logpdf(r))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "squared error" in labels[0] and "absolute error" in labels[1]
    plt.close(ax.figure)


def test_outlier_fits_draws_the_data_and_each_line():
    x, y, outlier = noisy_data.line_with_outliers()
    lines = {"a": (1.0, 0.5), "b": (2.0, -0.1)}
    ax = figures.outlier_fits(x, y, lines, outlier=outlier)
    clean, marked = ax.collections
    np.testing.assert_allclose(clean.get_offsets(), np.column_stack([x[~outlier], y[~outlier]]))
    np.testing.assert_allclose(marked.get_offsets(), np.column_stack([x[outlier], y[outlier]]))
    assert [line.get_label() for line in ax.lines] == ["a", "b"]
    for line, (intercept, slope) in zip(ax.lines, lines.values()):
        gx, gy = line.get_data()
        np.testing.assert_allclose(gy, intercept + slope * np.asarray(gx))
        assert min(gx) == x.min() and max(gx) == x.max()
    plt.close(ax.figure)


def test_outlier_fits_without_a_mask_has_no_outlier_markers():
    x, y, _ = noisy_data.line_with_outliers(n_outliers=0)
    ax = figures.outlier_fits(x, y, {"fit": (1.0, 0.5)})
    assert len(ax.collections) == 1
    plt.close(ax.figure)


def test_count_fits_bands_are_poisson_quantiles_and_a_constant_gaussian_band():
    x, y, _ = noisy_data.counts()
    poisson, gaussian, sigma = (0.5, 0.8), (0.6, 0.75), 2.5
    fig = figures.count_fits(x, y, poisson=poisson, gaussian=gaussian, sigma=sigma, level=0.9)
    assert isinstance(fig, Figure)
    left, right = fig.axes
    # the mean curves
    gx, gy = left.lines[0].get_data()
    np.testing.assert_allclose(gy, np.exp(poisson[0] + poisson[1] * gx))
    gx, gy = right.lines[0].get_data()
    np.testing.assert_allclose(gy, np.exp(gaussian[0] + gaussian[1] * gx))
    # the bands: Poisson quantiles on the left, mean +/- z sigma on the right
    band = left.collections[0].get_paths()[0].vertices
    mean = np.exp(poisson[0] + poisson[1] * gx)
    lo, hi = stats.poisson(mean).ppf(0.05), stats.poisson(mean).ppf(0.95)
    assert set(np.unique(band[:, 1])) <= set(np.unique(np.r_[lo, hi]))
    assert band[:, 1].max() == hi.max() and band[:, 1].min() == lo.min()
    band = right.collections[0].get_paths()[0].vertices
    mean = np.exp(gaussian[0] + gaussian[1] * band[:, 0])
    width = np.abs(band[:, 1] - mean)
    np.testing.assert_allclose(width[1:-1], stats.norm.ppf(0.95) * sigma, rtol=1e-9)  # ends close the path
    # the data in both panels
    for ax in (left, right):
        np.testing.assert_allclose(ax.collections[-1].get_offsets(), np.column_stack([x, y]))
    plt.close(fig)


def test_estimate_spread_histograms_count_every_estimate():
    rng = np.random.default_rng(0)
    estimates = {"narrow": rng.normal(0.8, 0.04, 300), "wide": rng.normal(0.8, 0.06, 300)}
    ax = figures.estimate_spread(estimates, truth=0.8)
    steps = [p for p in ax.patches if not p.get_fill()]  # one outline per histogram
    assert len(steps) == 2
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == f"narrow (sd {np.std(estimates['narrow']):.3f})"
    assert labels[-1] == "true value"
    (truth_line,) = ax.lines
    assert truth_line.get_xdata()[0] == 0.8
    plt.close(ax.figure)


def test_figures_draw_on_a_given_axes_and_are_deterministic():
    fig, ax = plt.subplots()
    assert figures.residual_penalties(ax=ax) is ax
    x, y, outlier = noisy_data.line_with_outliers()
    assert figures.outlier_fits(x, y, {"fit": (1, 0.5)}, outlier, ax=ax) is ax
    assert figures.estimate_spread({"a": [0.1, 0.2, 0.3]}, ax=ax) is ax
    plt.close(fig)
    x, y, _ = noisy_data.counts()
    draw = lambda: figures.count_fits(x, y, (0.5, 0.8), (0.5, 0.8), 2.0)  # noqa: E731
    assert png_bytes(draw()) == png_bytes(draw())
    assert png_bytes(figures.residual_penalties()) == png_bytes(figures.residual_penalties())


x0, y0, out0 = noisy_data.line_with_outliers()
xc, yc, _ = noisy_data.counts()


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: figures.residual_penalties(sigma=0), "sigma must be > 0"),
        (lambda: figures.residual_penalties(beta=-1), "beta must be > 0"),
        (lambda: figures.residual_penalties(max_residual=np.inf), "max_residual must be > 0"),
        (lambda: figures.outlier_fits(x0, y0[:-1], {"f": (0, 1)}), "x and y must have the same length"),
        (lambda: figures.outlier_fits(x0, y0, {}), "lines must be a non-empty dict"),
        (
            lambda: figures.outlier_fits(x0, y0, {"f": (0, 1, 2)}),
            r"lines\['f'\] must be an \(intercept, slope\) pair",
        ),
        (lambda: figures.outlier_fits(x0, y0, {"f": (0, np.nan)}), "must contain only finite numbers"),
        (
            lambda: figures.outlier_fits(x0, y0, {"f": (0, 1)}, outlier=out0[:-1]),
            "outlier must be a boolean mask",
        ),
        (lambda: figures.outlier_fits([], [], {"f": (0, 1)}), "x must not be empty"),
        (lambda: figures.count_fits(xc, yc + 0.5, (0, 1), (0, 1), 1.0), "non-negative integer counts"),
        (lambda: figures.count_fits(xc, -yc - 1, (0, 1), (0, 1), 1.0), "non-negative integer counts"),
        (lambda: figures.count_fits(xc, yc, (0, 1), (0, 1), 0.0), "sigma must be > 0"),
        (
            lambda: figures.count_fits(xc, yc, (0, 1), (0, 1), 1.0, level=1.0),
            r"level must lie in the open interval \(0, 1\)",
        ),
        (lambda: figures.count_fits(xc, yc, (0,), (0, 1), 1.0), "poisson must be an"),
        (lambda: figures.estimate_spread({}), "estimates must be a non-empty dict"),
        (lambda: figures.estimate_spread({"a": [0.1, np.nan]}), "must contain only finite numbers"),
        (
            lambda: figures.estimate_spread({"a": [0.1]}, truth=np.nan),
            "truth must contain only finite numbers",
        ),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
    plt.close("all")
