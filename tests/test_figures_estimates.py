"""Chapter 8's figures draw what they say, against scipy.stats, statsmodels and the reference
implementations, and reject bad input."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from scipy import stats  # noqa: E402
from statsmodels.stats.proportion import proportion_confint  # noqa: E402

import likelihood_course as lc  # noqa: E402
from conftest import png_bytes  # noqa: E402
from likelihood_course import figures  # noqa: E402
from likelihood_course.style import PALETTE  # noqa: E402

FLIPS = lc.data.coin_flips(100, theta=0.3, seed=2)


def test_variance_bias_draws_the_formula_and_the_simulated_points():
    ns = np.array([2, 3, 10, 100])
    mle = np.array([0.49, 0.68, 0.9, 0.99])
    corrected = mle * ns / (ns - 1)
    ax = figures.variance_bias(ns, mle, corrected, sigma2=2.0)
    truth, formula, points, squares = ax.lines
    assert truth.get_ydata()[0] == 2.0
    x, y = formula.get_data()
    assert x[0] == 2 and x[-1] == 100
    np.testing.assert_allclose(y, (x - 1) / x * 2.0)  # E[sigma_hat^2] = (n - 1)/n sigma^2
    np.testing.assert_array_equal(points.get_xdata(), ns)
    np.testing.assert_allclose(points.get_ydata(), mle)
    np.testing.assert_allclose(squares.get_ydata(), corrected)
    assert ax.get_xscale() == "log"
    assert len(ax.get_legend().get_texts()) == 4


def test_variance_bias_without_the_correction_draws_three_lines():
    ax = figures.variance_bias([2, 5], [0.5, 0.8])
    assert len(ax.lines) == 3


def test_sampling_distributions_are_normalised_histograms_one_per_n():
    rng = np.random.default_rng(0)
    estimates = {n: rng.normal(1.0, 1 / np.sqrt(2 * n), size=2000) for n in (10, 100, 1000)}
    ax = figures.sampling_distributions(estimates, truth=1.0, bins=40, xlabel=r"$\hat\sigma$")
    assert len(ax.patches) == 3
    for patch, values in zip(ax.patches, estimates.values()):
        x, y = patch.get_path().vertices.T
        # the outline of a density histogram encloses an area of 1, over the range of the values
        assert np.isclose(x.min(), values.min()) and np.isclose(x.max(), values.max())
        counts, edges = np.histogram(values, bins=40, density=True)
        assert y.max() == pytest.approx(counts.max())
        # the area the outline encloses (shoelace formula) is 1: a density, not counts
        area = 0.5 * abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))
        assert area == pytest.approx(1.0, rel=1e-9)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["n = 10", "n = 100", "n = 1000", "true value 1"]
    assert ax.lines[0].get_xdata()[0] == 1.0
    assert ax.get_xlabel() == r"$\hat\sigma$"


def test_likelihood_learns_draws_one_normalised_likelihood_per_panel():
    ns = [0, 1, 2, 5, 20, 100]
    fig = figures.likelihood_learns(FLIPS, ns=ns, theta_true=0.3)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == 6
    assert [ax.get_title() for ax in panels] == [
        "n = 0: 0 heads",
        "n = 1: 1 head",
        "n = 2: 2 heads",
        "n = 5: 3 heads",
        "n = 20: 8 heads",
        "n = 100: 32 heads",
    ]
    for ax, n in zip(panels, ns):
        k = int(FLIPS[:n].sum())
        theta, curve = ax.lines[0].get_data()
        assert curve.max() == pytest.approx(1.0, abs=1e-12)  # every panel peaks at 1
        if n == 0:
            np.testing.assert_array_equal(curve, 1.0)
            continue
        # L(theta) / L(theta_hat), against scipy's binomial pmf (the binomial coefficient cancels)
        expected = stats.binom(n, theta).pmf(k) / stats.binom(n, k / n).pmf(k)
        np.testing.assert_allclose(curve, expected, rtol=1e-9, atol=1e-300)
        # and against the reference likelihood of the first n flips
        np.testing.assert_allclose(
            curve,
            lc.likelihood.bernoulli_likelihood(theta, FLIPS[:n])
            / lc.likelihood.bernoulli_likelihood([k / n], FLIPS[:n]),
            rtol=1e-9,
            atol=1e-300,
        )
        dot = ax.lines[1]
        assert dot.get_xdata()[0] == pytest.approx(k / n) and dot.get_ydata()[0] == 1.0
        assert ax.lines[-1].get_xdata()[0] == 0.3  # the true theta
    # the narrowing: the width where the likelihood is above half its peak shrinks
    widths = [np.ptp(ax.lines[0].get_xdata()[ax.lines[0].get_ydata() >= 0.5]) for ax in panels[3:]]
    assert widths[0] > widths[1] > widths[2]


def test_likelihood_learns_hides_unused_panels_and_is_deterministic():
    fig = figures.likelihood_learns(FLIPS, ns=[1, 10, 100, 50], ncols=3)
    assert sum(ax.get_visible() for ax in fig.axes) == 4 and len(fig.axes) == 6
    assert png_bytes(figures.likelihood_learns(FLIPS)) == png_bytes(figures.likelihood_learns(FLIPS))


def test_nll_curvature_draws_the_nll_above_its_minimum_and_the_parabola():
    datasets = [FLIPS[:20], FLIPS]
    ax = figures.nll_curvature(datasets)
    assert len(ax.lines) == 4
    for (nll_line, quad_line), y in zip(zip(ax.lines[::2], ax.lines[1::2]), datasets):
        theta, excess = nll_line.get_data()
        theta_hat = y.mean()
        reference = lc.likelihood.bernoulli_nll(theta, y) - lc.likelihood.bernoulli_nll([theta_hat], y)
        np.testing.assert_allclose(excess, reference, rtol=1e-9, atol=1e-9)
        info = y.size / (theta_hat * (1 - theta_hat))
        np.testing.assert_allclose(quad_line.get_ydata(), 0.5 * info * (theta - theta_hat) ** 2)
        # near the minimum the parabola is the NLL to second order
        near = np.abs(theta - theta_hat) < 0.02
        np.testing.assert_allclose(quad_line.get_ydata()[near], excess[near], rtol=0.05, atol=1e-6)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[1] == "quadratic, curvature 83" and labels[3] == "quadratic, curvature 460"


def test_confidence_intervals_colour_by_coverage_like_statsmodels():
    rng = np.random.default_rng(3)
    n = 100
    ks = rng.binomial(n, 0.3, size=60)
    est = ks / n
    se = np.sqrt(est * (1 - est) / n)
    z = stats.norm.ppf(0.975)
    ax = figures.confidence_intervals(est, se, truth=0.3, z=z)
    low_sm, high_sm = proportion_confint(ks, n, alpha=0.05, method="normal")
    covers = (low_sm <= 0.3) & (0.3 <= high_sm)
    hit, miss = ax.collections
    assert to_hex(hit.get_colors()[0]) == PALETTE["blue"].lower()
    assert to_hex(miss.get_colors()[0]) == PALETTE["vermillion"].lower()
    assert len(hit.get_segments()) == covers.sum() and len(miss.get_segments()) == (~covers).sum()
    for collection, mask in ((hit, covers), (miss, ~covers)):
        segments = np.array(collection.get_segments())  # (m, 2 points, (x, y))
        np.testing.assert_allclose(segments[:, 0, 0], low_sm[mask], rtol=1e-12)
        np.testing.assert_allclose(segments[:, 1, 0], high_sm[mask], rtol=1e-12)
        np.testing.assert_array_equal(segments[:, 0, 1], np.flatnonzero(mask))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [f"covers the truth ({covers.sum()})", f"misses ({(~covers).sum()})", "true value 0.3"]


def test_confidence_intervals_that_all_cover_draw_one_collection():
    ax = figures.confidence_intervals([0.3, 0.31], [0.05, 0.05], truth=0.3)
    assert len(ax.collections) == 1


def test_figures_draw_on_a_given_axes():
    for draw in (
        lambda ax: figures.variance_bias([2, 3], [0.5, 0.6], ax=ax),
        lambda ax: figures.sampling_distributions({10: [0.9, 1.1, 1.0]}, ax=ax),
        lambda ax: figures.nll_curvature(FLIPS, ax=ax),
        lambda ax: figures.confidence_intervals([0.3], [0.1], 0.3, ax=ax),
    ):
        fig, ax = plt.subplots()
        assert draw(ax) is ax
        plt.close(fig)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: figures.variance_bias([1, 2], [0.0, 0.5]), r"ns must contain integers >= 2"),
        (lambda: figures.variance_bias([2, 3], [0.5]), "ns and mle_means must have the same length"),
        (lambda: figures.variance_bias([2, 3], [0.5, np.nan]), "mle_means must contain only finite"),
        (lambda: figures.variance_bias([2, 3], [0.5, 0.6], [1.0]), "ns and corrected_means"),
        (lambda: figures.variance_bias([2, 3], [0.5, 0.6], sigma2=0), "sigma2 must be > 0"),
        (lambda: figures.variance_bias([2.5, 3], [0.5, 0.6]), "ns must contain integers"),
        (lambda: figures.sampling_distributions([0.1, 0.2]), "estimates must be a non-empty dict"),
        (lambda: figures.sampling_distributions({}), "estimates must be a non-empty dict"),
        (lambda: figures.sampling_distributions({10: []}), r"estimates\[10\] must not be empty"),
        (lambda: figures.sampling_distributions({0: [1.0]}), "estimates keys must contain integers"),
        (lambda: figures.sampling_distributions({10: [1.0]}, truth=np.inf), "truth must contain only finite"),
        (lambda: figures.sampling_distributions({10: [1.0]}, bins=0), "bins must be a positive integer"),
        (lambda: figures.likelihood_learns([0, 1, 2]), r"flips must contain only labels in \{0, 1\}"),
        (lambda: figures.likelihood_learns([], ns=[0]), "flips must not be empty"),
        (
            lambda: figures.likelihood_learns(FLIPS, ns=[5, 101]),
            r"ns must not exceed the number of flips \(100\)",
        ),
        (lambda: figures.likelihood_learns(FLIPS, ns=[-1, 5]), "ns must contain integers >= 0"),
        (lambda: figures.likelihood_learns(FLIPS, ns=[]), "ns must be a non-empty list"),
        (lambda: figures.likelihood_learns(FLIPS, ns=list(range(13))), "at most 12"),
        (lambda: figures.likelihood_learns(FLIPS, theta_true=1.5), r"theta_true must lie in \[0, 1\]"),
        (lambda: figures.likelihood_learns(FLIPS, ncols=0), "ncols must be a positive integer"),
        (lambda: figures.nll_curvature([[0, 0, 0]]), r"datasets\[0\] must contain both 0 and 1"),
        (lambda: figures.nll_curvature([[0, 1], [0, 3]]), r"datasets\[1\] must contain only labels"),
        (lambda: figures.nll_curvature([]), "datasets must hold at least one"),
        (lambda: figures.nll_curvature(FLIPS, window=-1), "window must be > 0"),
        (
            lambda: figures.confidence_intervals([0.3, 0.4], [0.1], 0.3),
            "estimates and standard_errors must have the same length",
        ),
        (lambda: figures.confidence_intervals([0.3], [-0.1], 0.3), "standard_errors must be >= 0"),
        (lambda: figures.confidence_intervals([0.3], [0.1], np.nan), "truth must contain only finite"),
        (lambda: figures.confidence_intervals([0.3], [0.1], 0.3, z=0), "z must be > 0"),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
