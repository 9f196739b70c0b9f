"""Unit tests of the figures of chapters 2 to 4 (likelihood_course.figures.likelihoods).

What a figure draws is checked against independent references: scipy.stats and closed forms
(L(theta) = theta (1 - theta)^4 with its maximum 256/3125 at theta = 1/5, the Normal maximum at
mu = 0, sigma = sqrt(2/3), the Beta-function area 1/30), never against the helper's own formulas."""

import itertools
import operator

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from scipy import integrate, special, stats  # noqa: E402

from conftest import png_bytes  # noqa: E402
from likelihood_course import figures  # noqa: E402

FLIPS = [0, 0, 0, 1, 0]
NORMAL = [-1.0, 0.0, 1.0]
L_MAX = 256 / 3125  # (1/5) (4/5)^4
SIGMA_HAT = np.sqrt(2 / 3)


def line_with_label(ax, label):
    matches = [line for line in ax.get_lines() if line.get_label() == label]
    assert len(matches) == 1, [line.get_label() for line in ax.get_lines()]
    return matches[0]


def bernoulli_reference(theta, y):
    return np.prod(stats.bernoulli(np.asarray(theta)[:, None]).pmf(np.asarray(y)), axis=1)


# bernoulli_likelihood_curve


def test_bernoulli_curve_matches_scipy_and_peaks_at_one_fifth():
    ax = figures.bernoulli_likelihood_curve(FLIPS)
    assert isinstance(ax, Axes)
    x, y = line_with_label(ax, r"$L(\theta)$").get_data()
    assert np.all(np.isfinite(x)) and np.all(np.isfinite(y))
    assert x.min() == 0 and x.max() == 1
    np.testing.assert_allclose(y, bernoulli_reference(x, FLIPS), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(y, x * (1 - x) ** 4, rtol=1e-12, atol=1e-15)
    assert x[np.argmax(y)] == pytest.approx(0.2)
    assert y.max() == pytest.approx(L_MAX, rel=1e-12)


def test_bernoulli_curve_marks_the_maximum_and_labels_axes():
    ax = figures.bernoulli_likelihood_curve(FLIPS)
    marker = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert len(marker) == 1
    mx, my = marker[0].get_data()
    assert mx[0] == pytest.approx(0.2) and my[0] == pytest.approx(L_MAX, rel=1e-12)
    assert ax.get_xlabel() == r"$\theta$"
    assert ax.get_ylabel() == r"$L(\theta)$"
    assert "n = 5" in ax.get_title() and "k = 1" in ax.get_title()


def test_bernoulli_curve_without_marker_has_one_line():
    ax = figures.bernoulli_likelihood_curve(FLIPS, mark_max=False)
    assert len(ax.get_lines()) == 1


def test_bernoulli_curve_shaded_area_is_one_thirtieth():
    ax = figures.bernoulli_likelihood_curve(FLIPS, shade=True)
    assert len(ax.collections) == 1  # the fill under the curve
    x, y = line_with_label(ax, r"$L(\theta)$").get_data()
    area = integrate.trapezoid(y, x)
    assert area == pytest.approx(special.beta(2, 5), rel=1e-4)
    assert area == pytest.approx(1 / 30, rel=1e-4)
    verts = ax.collections[0].get_paths()[0].vertices
    assert np.all(np.isfinite(verts))
    assert verts[:, 1].max() == pytest.approx(y.max())


def test_bernoulli_curve_draws_on_a_given_axes():
    fig, ax = plt.subplots()
    assert figures.bernoulli_likelihood_curve(FLIPS, ax=ax) is ax


@pytest.mark.parametrize("bad", [[0, 2, 1], [], [0.5, 1], [0, np.nan]])
def test_bernoulli_curve_rejects_bad_labels(bad):
    with pytest.raises(ValueError, match=r"\by\b"):
        figures.bernoulli_likelihood_curve(bad)


# normal_likelihood_surface


def normal_reference(mu, sigma, y=NORMAL):
    return np.prod(stats.norm(loc=mu, scale=sigma).pdf(np.asarray(y)))


def test_normal_surface_marks_the_closed_form_maximum():
    ax = figures.normal_likelihood_surface(NORMAL)
    assert isinstance(ax, Axes)
    star = line_with_label(ax, "maximum")
    mx, my = star.get_data()
    assert mx[0] == pytest.approx(0.0, abs=1e-12)
    assert my[0] == pytest.approx(SIGMA_HAT, rel=1e-12)
    assert ax.get_xlabel() == r"$\mu$" and ax.get_ylabel() == r"$\sigma$"


def test_normal_surface_contours_span_the_likelihood():
    ax = figures.normal_likelihood_surface(NORMAL, mu=(-2, 2), sigma=(0.3, 2.5))
    filled = ax.collections[0]
    levels = np.asarray(filled.levels)
    l_max = normal_reference(0.0, SIGMA_HAT)
    assert levels[0] <= 0 + 1e-12
    assert levels[-2] < l_max <= levels[-1]
    for path in filled.get_paths():
        assert np.all(np.isfinite(path.vertices))
    assert ax.get_xlim() == pytest.approx((-2, 2))
    assert ax.get_ylim() == pytest.approx((0.3, 2.5))


def test_normal_surface_has_a_labelled_colorbar():
    ax = figures.normal_likelihood_surface(NORMAL)
    fig = ax.figure
    assert len(fig.axes) == 2
    colorbar_ax = fig.axes[1]
    assert colorbar_ax.get_ylabel() == r"$L(\mu, \sigma)$"


def test_normal_surface_omits_a_maximum_outside_the_window():
    ax = figures.normal_likelihood_surface(NORMAL, mu=(1.0, 2.0))
    assert [line.get_label() for line in ax.get_lines()] == []


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"y": []}, "y"),
        ({"y": [0.0, np.inf]}, "y"),
        ({"y": [[0.0, 1.0]]}, "y"),
        ({"y": NORMAL, "sigma": (0.0, 2.0)}, "sigma"),
        ({"y": NORMAL, "sigma": (-1.0, 2.0)}, "sigma"),
        ({"y": NORMAL, "sigma": (2.0, 1.0)}, "sigma"),
        ({"y": NORMAL, "mu": (1.0, -1.0)}, "mu"),
        ({"y": NORMAL, "mu": (0.0, np.nan)}, "mu"),
        ({"y": NORMAL, "mu": (0.0, 1.0, 2.0)}, "mu"),
        ({"y": NORMAL, "levels": 1}, "levels"),
    ],
)
def test_normal_surface_rejects_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        figures.normal_likelihood_surface(**kwargs)


# optimiser_path


def test_optimiser_path_draws_the_iterates():
    mus = [1.5, 0.6, 0.1, 0.0]
    sigmas = [2.0, 1.4, 0.9, SIGMA_HAT]
    ax = figures.optimiser_path(NORMAL, mus, sigmas)
    assert isinstance(ax, Axes)
    x, y = line_with_label(ax, "optimiser path").get_data()
    np.testing.assert_array_equal(x, mus)
    np.testing.assert_array_equal(y, sigmas)
    sx, sy = line_with_label(ax, "start").get_data()
    assert (sx[0], sy[0]) == (1.5, 2.0)
    ex, ey = line_with_label(ax, "end, after 3 steps").get_data()
    assert (ex[0], ey[0]) == (0.0, SIGMA_HAT)
    assert ax.get_xlabel() == r"$\mu$" and ax.get_ylabel() == r"$\sigma$"


@pytest.mark.parametrize(
    "mus, sigmas, name",
    [
        ([0.0, 1.0], [1.0], "mus and sigmas"),
        ([0.0, 1.0], [1.0, -1.0], "sigmas"),
        ([0.0, np.nan], [1.0, 1.0], "mus"),
        ([], [], "mus"),
    ],
)
def test_optimiser_path_rejects_bad_input(mus, sigmas, name):
    with pytest.raises(ValueError, match=name):
        figures.optimiser_path(NORMAL, mus, sigmas)


# likelihood_and_nll


def test_likelihood_and_nll_share_the_optimum():
    fig = figures.likelihood_and_nll(FLIPS)
    assert isinstance(fig, Figure)
    ax_l, ax_n = fig.axes
    x_l, y_l = ax_l.get_lines()[0].get_data()
    x_n, y_n = ax_n.get_lines()[0].get_data()
    for arr in (x_l, y_l, x_n, y_n):
        assert np.all(np.isfinite(arr))
    np.testing.assert_allclose(y_l, bernoulli_reference(x_l, FLIPS), rtol=1e-12)
    nll_reference = -np.sum(stats.bernoulli(x_n[:, None]).logpmf(np.asarray(FLIPS)), axis=1)
    np.testing.assert_allclose(y_n, nll_reference, rtol=1e-12)
    assert x_l[np.argmax(y_l)] == pytest.approx(0.2)
    assert x_n[np.argmin(y_n)] == pytest.approx(0.2)
    assert y_l.max() == pytest.approx(L_MAX, rel=1e-12)
    assert y_n.min() == pytest.approx(-np.log(L_MAX), rel=1e-12)
    for ax in (ax_l, ax_n):
        vline = ax.get_lines()[1]
        assert np.all(np.asarray(vline.get_xdata()) == pytest.approx(0.2))
        assert ax.get_xlabel() == r"$\theta$"
    assert ax_l.get_ylabel() == r"$L(\theta)$"
    assert "NLL" in ax_n.get_ylabel()


def test_likelihood_and_nll_rejects_bad_labels():
    with pytest.raises(ValueError, match=r"\by\b"):
        figures.likelihood_and_nll([0, 1, 3])


# product_underflow


def test_product_underflow_against_scipy_logpmf():
    rng = np.random.default_rng(1)
    y = (rng.random(1500) < 0.3).astype(int)
    ax = figures.product_underflow(y, theta=0.3)
    assert isinstance(ax, Axes)
    by_sum = line_with_label(ax, "sum of logs, divided by log 10")
    n, log10_l = by_sum.get_data()
    np.testing.assert_array_equal(n, np.arange(1, 1501))
    reference = np.cumsum(stats.bernoulli(0.3).logpmf(y)) / np.log(10)
    np.testing.assert_allclose(log10_l, reference, rtol=1e-10)

    tiny_log10 = np.log10(np.finfo(float).smallest_subnormal)
    floor = line_with_label(ax, "smallest positive float64")
    assert floor.get_ydata()[0] == pytest.approx(-323.3062, abs=1e-3)

    by_product = line_with_label(ax, "log10 of the product")
    n_p, log10_p = by_product.get_data()
    assert np.all(np.isfinite(log10_p))
    # the running product in plain Python floats (the standard library, not NumPy) hits 0.0 at
    # the same flip; it holds on a little past the floor, as subnormals round up under * 0.7
    running = list(itertools.accumulate((0.3 if v else 0.7 for v in y), operator.mul))
    first_zero = running.index(0.0) + 1
    assert n_p.max() == first_zero - 1
    assert n[reference < tiny_log10][0] <= first_zero <= n[reference < tiny_log10][0] + 20
    normal = reference > np.log10(np.finfo(float).tiny)  # no precision lost to subnormals yet
    np.testing.assert_allclose(log10_p[: normal.sum()], reference[normal], rtol=1e-9)

    zero_marks = [line for line in ax.get_lines() if line.get_label().startswith("product is 0.0")]
    assert len(zero_marks) == 1
    assert zero_marks[0].get_label() == f"product is 0.0 from n = {first_zero}"
    assert zero_marks[0].get_xdata()[0] == first_zero


def test_product_underflow_without_underflow_has_no_zero_mark():
    ax = figures.product_underflow(FLIPS, theta=0.3)
    labels = [line.get_label() for line in ax.get_lines()]
    assert not any(label.startswith("product is 0.0") for label in labels)
    assert ax.get_ylabel() == r"$\log_{10} L(\theta)$"
    assert "number of observations" in ax.get_xlabel()


@pytest.mark.parametrize("theta", [0.0, 1.0, -0.1, 1.5, np.nan, [0.2, 0.3]])
def test_product_underflow_rejects_bad_theta(theta):
    with pytest.raises(ValueError, match=r"\btheta\b"):
        figures.product_underflow(FLIPS, theta=theta)


def test_product_underflow_rejects_bad_labels():
    with pytest.raises(ValueError, match=r"\by\b"):
        figures.product_underflow([0, 1, 2], theta=0.3)


# every figure: deterministic output


@pytest.mark.parametrize(
    "draw",
    [
        lambda: figures.bernoulli_likelihood_curve(FLIPS, shade=True).figure,
        lambda: figures.normal_likelihood_surface(NORMAL).figure,
        lambda: figures.optimiser_path(NORMAL, [1.5, 0.5, 0.0], [2.0, 1.0, SIGMA_HAT]).figure,
        lambda: figures.likelihood_and_nll(FLIPS),
        lambda: figures.product_underflow(np.tile(FLIPS, 400), theta=0.3).figure,
    ],
    ids=["bernoulli_curve", "normal_surface", "optimiser_path", "likelihood_and_nll", "underflow"],
)
def test_figures_are_deterministic(draw):
    first = png_bytes(draw())
    plt.close("all")
    second = png_bytes(draw())
    assert first == second
