"""Chapter 9's figures draw what they are given (data, fitted curves, intervals, shares of counts)
and reject bad input with a ValueError that names the argument."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from scipy import stats  # noqa: E402

from conftest import png_bytes  # noqa: E402
from likelihood_course import figures, real_data, style  # noqa: E402

# binary_outcome -----------------------------------------------------------------------------------


def test_binary_outcome_draws_each_group_apart_and_the_curves():
    data = real_data.spector()
    gpa, psi, grade = data.column("GPA"), data.column("PSI").astype(int), data.y
    grid = np.linspace(2, 4, 50)
    curves = {0: (grid, stats.norm.cdf(grid - 3.5)), 1: (grid, stats.norm.cdf(grid - 3))}
    ax = figures.binary_outcome(gpa, grade, psi, curves=curves, group_labels=("a", "b"))
    without, with_ = ax.collections
    np.testing.assert_allclose(
        without.get_offsets(), np.column_stack([gpa[psi == 0], grade[psi == 0] - 0.04])
    )
    np.testing.assert_allclose(with_.get_offsets(), np.column_stack([gpa[psi == 1], grade[psi == 1] + 0.04]))
    assert len(without.get_offsets()) + len(with_.get_offsets()) == 32
    for line, g in zip(ax.lines, (0, 1)):
        np.testing.assert_allclose(line.get_xdata(), grid)
        np.testing.assert_allclose(line.get_ydata(), curves[g][1])
    assert [line.get_color() for line in ax.lines] == [style.PALETTE["blue"], style.PALETTE["orange"]]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["a: data", "a: fitted probability", "b: data", "b: fitted probability"]
    plt.close(ax.figure)


def test_binary_outcome_draws_on_the_given_axes():
    fig, ax = plt.subplots()
    assert figures.binary_outcome([1.0, 2.0], [0, 1], [0, 1], ax=ax) is ax
    assert not ax.lines
    plt.close(fig)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(x=[1.0, 2.0], y=[0, 2], group=[0, 1]), "y"),
        (dict(x=[1.0, 2.0], y=[0, 1], group=[0, 3]), "group"),
        (dict(x=[1.0, np.nan], y=[0, 1], group=[0, 1]), "x"),
        (dict(x=[1.0, 2.0, 3.0], y=[0, 1], group=[0, 1]), "x and y"),
        (dict(x=[1.0, 2.0], y=[0, 1], group=[0, 1], curves={2: ([1.0], [0.5])}), "curves"),
        (dict(x=[1.0, 2.0], y=[0, 1], group=[0, 1], curves={0: ([1.0, 2.0], [0.5, 1.5])}), "curves[0]"),
        (dict(x=[1.0, 2.0], y=[0, 1], group=[0, 1], group_labels=("one",)), "group_labels"),
    ],
)
def test_binary_outcome_rejects_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name.replace("[", r"\[").replace("]", r"\]")):
        figures.binary_outcome(**kwargs)


# scatter_data -------------------------------------------------------------------------------------


def test_scatter_data_draws_the_points():
    data = real_data.engel()
    ax = figures.scatter_data(data.X[:, 0], data.y, xlabel="income", ylabel="food", title="t")
    np.testing.assert_allclose(ax.collections[0].get_offsets(), np.column_stack([data.X[:, 0], data.y]))
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("income", "food", "t")
    plt.close(ax.figure)


def test_scatter_data_rejects_bad_input():
    with pytest.raises(ValueError, match="x and y"):
        figures.scatter_data([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="y must"):
        figures.scatter_data([1.0, 2.0], [1.0, np.inf])


# interval_bands -----------------------------------------------------------------------------------


def _bands():
    grid = np.linspace(0.0, 2.0, 21)
    mean = 1.0 + grid
    return grid, {
        "narrow": (grid, mean, mean - 0.1, mean + 0.1),
        "wide": (grid, mean, mean - 0.5 * (1 + grid), mean + 0.5 * (1 + grid)),
    }


def test_interval_bands_one_panel_per_model_with_band_mean_and_misses():
    grid, bands = _bands()
    x = np.array([0.0, 0.5, 1.0, 1.5, 2.0])
    y = 1.0 + x + np.array([0.0, 0.3, -0.05, -1.4, 0.9])
    fig = figures.interval_bands(x, y, bands, xlabel="income", ylabel="food")
    assert isinstance(fig, Figure)
    assert [ax.get_title() for ax in fig.axes] == ["narrow", "wide"]
    for ax, (_, mean, lower, upper) in zip(fig.axes, bands.values()):
        np.testing.assert_allclose(ax.lines[0].get_ydata(), mean)
        band = ax.collections[0].get_paths()[0].vertices
        assert band[:, 1].min() == pytest.approx(lower.min())
        assert band[:, 1].max() == pytest.approx(upper.max())
        inside = (np.interp(x, grid, lower) <= y) & (y <= np.interp(x, grid, upper))
        np.testing.assert_allclose(ax.collections[1].get_offsets(), np.column_stack([x[inside], y[inside]]))
        np.testing.assert_allclose(ax.collections[2].get_offsets(), np.column_stack([x[~inside], y[~inside]]))
    narrow, wide = fig.axes
    assert len(narrow.collections[2].get_offsets()) == 3  # 0.3, -1.4 and 0.9 lie outside +/- 0.1
    assert len(wide.collections[2].get_offsets()) == 1  # only -1.4 lies outside +/- 1.25 (at x = 1.5)
    assert fig.axes[0].get_ylabel() == "food"
    plt.close(fig)


@pytest.mark.parametrize(
    "bands, match",
    [
        ({}, "bands"),
        ({"m": ([0.0, 1.0], [0.0, 1.0], [0.0, 1.0])}, "bands"),
        ({"m": ([0.0, 1.0], [0.0, 1.0], [0.5, 1.0], [0.0, 1.0])}, "lower"),
        ({"m": ([0.0, 1.0], [0.0, 1.0, 2.0], [0.0, 1.0], [0.0, 1.0])}, "one shape"),
    ],
)
def test_interval_bands_rejects_bad_bands(bands, match):
    with pytest.raises(ValueError, match=match):
        figures.interval_bands([0.5], [0.5], bands)


# count_frequencies --------------------------------------------------------------------------------


def test_count_frequencies_bars_are_the_shares_and_lines_the_expected_shares():
    y = np.array([0, 0, 0, 1, 1, 2, 3, 7, 12])
    counts = np.arange(6)
    expected = {
        "Poisson": stats.poisson(1.5).pmf(counts),
        "negative binomial": stats.nbinom(1, 0.4).pmf(counts),
    }
    ax = figures.count_frequencies(y, expected=expected, max_count=5)
    heights = [p.get_height() for p in ax.patches]
    np.testing.assert_allclose(heights, [3 / 9, 2 / 9, 1 / 9, 1 / 9, 0, 0])
    for line, (name, prob) in zip(ax.lines, expected.items()):
        np.testing.assert_allclose(line.get_xdata(), counts)
        np.testing.assert_allclose(line.get_ydata(), prob)
        assert line.get_label() == name
    assert "22.2% are larger" in ax.get_title()  # 7 and 12: two of nine counts
    plt.close(ax.figure)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(y=[0, -1, 2]), "non-negative integer"),
        (dict(y=[0, 1.5, 2]), "non-negative integer"),
        (dict(y=[0, 1, 2], max_count=0), "max_count"),
        (dict(y=[0, 1, 2], max_count=2, expected={"m": [0.5, 0.5]}), "3 probabilities"),
        (dict(y=[0, 1, 2], max_count=1, expected={"m": [0.5, 1.5]}), r"expected\['m'\]"),
        (dict(y=[0, 1, 2], expected=[0.5]), "expected"),
    ],
)
def test_count_frequencies_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        figures.count_frequencies(**kwargs)


def test_figures_are_identical_at_every_call():
    data = real_data.randhie()
    assert png_bytes(figures.count_frequencies(data.y)) == png_bytes(figures.count_frequencies(data.y))
