"""Unit tests of chapter 6's figure of one network trained from several seeds (`seed_fits`) and of
its data (`noisy_data.wave`): the figure draws the data and each curve where it says, the true mean
dashed, the same at every call, and refuses bad input with a ValueError that names the argument."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conftest import png_bytes  # noqa: E402
from likelihood_course import figures, noisy_data, style  # noqa: E402

X, Y = noisy_data.wave(n=30, seed=3)
GRID = np.linspace(-3, 3, 50)
CURVES = {"seed 0": np.sin(GRID), "seed 1": np.cos(GRID)}


def test_wave_is_seeded_sorted_and_has_its_mean_and_noise():
    x, y = noisy_data.wave(n=5000, seed=11)
    assert np.all(np.diff(x) >= 0) and x.min() >= -3 and x.max() <= 3
    residuals = y - noisy_data.wave_mean(x)
    assert abs(residuals.mean()) < 0.02 and residuals.std() == pytest.approx(0.3, abs=0.01)
    np.testing.assert_array_equal(noisy_data.wave(n=30, seed=3)[1], Y)
    assert not np.array_equal(noisy_data.wave(n=30, seed=4)[1], Y)  # held-out data differ
    np.testing.assert_allclose(noisy_data.wave_mean(np.array([0.0, np.pi / 3])), [0.0, 1.0 + np.pi / 6])


def test_seed_fits_draws_data_curves_and_truth():
    ax = figures.seed_fits(X, Y, GRID, CURVES, truth=noisy_data.wave_mean(GRID))
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert set(lines) == {"seed 0", "seed 1", "true mean"}
    np.testing.assert_allclose(lines["seed 1"].get_ydata(), np.cos(GRID))
    assert lines["true mean"].get_linestyle() == "--"
    assert lines["seed 0"].get_color() == style.CYCLE[0]
    np.testing.assert_allclose(ax.collections[0].get_offsets(), np.column_stack([X, Y]))
    assert ax.get_xlabel() == "x" and ax.get_ylabel() == "y"
    plt.close(ax.figure)


def test_seed_fits_sorts_the_grid_draws_on_a_given_axes_and_is_reproducible():
    order = np.random.default_rng(0).permutation(GRID.size)
    ax = figures.seed_fits(X, Y, GRID[order], {"a": np.sin(GRID)[order]})
    np.testing.assert_allclose(ax.get_lines()[0].get_xdata(), GRID)
    fig, given = plt.subplots()
    assert figures.seed_fits(X, Y, GRID, CURVES, ax=given) is given
    plt.close("all")
    draw = lambda: figures.seed_fits(X, Y, GRID, CURVES)  # noqa: E731
    assert png_bytes(draw()) == png_bytes(draw())


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: figures.seed_fits(X, Y[:-1], GRID, CURVES), "x and y must have the same length"),
        (lambda: figures.seed_fits(X, Y, GRID, {}), "curves must be a non-empty dict"),
        (lambda: figures.seed_fits(X, Y, GRID, {"a": GRID[:-1]}), r"grid and curves\['a'\] must have"),
        (
            lambda: figures.seed_fits(X, Y, GRID, {"a": GRID * np.nan}),
            r"curves\['a'\] must contain only finite",
        ),
        (lambda: figures.seed_fits(X, Y, GRID, CURVES, truth=GRID[:3]), "grid and truth must have"),
        (lambda: figures.seed_fits(X, Y, [], CURVES), "grid must not be empty"),
        (lambda: noisy_data.wave(n=0), "n must be a positive integer"),
        (lambda: noisy_data.wave(sigma=0), "sigma must be > 0"),
        (lambda: noisy_data.wave_mean([np.inf]), "x must contain only finite"),
    ],
)
def test_bad_input_is_refused_by_name(call, message):
    with pytest.raises(ValueError, match=message):
        call()
