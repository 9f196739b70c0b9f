"""Figures of chapter 6: regression."""

import numpy as np

from .._checks import as_data, as_finite, as_positive, as_real, same_length, scalar
from ..style import CYCLE, PALETTE
from ._axes import axes

__all__ = ["regression_line", "regression_band", "seed_fits"]


def _per_point(name, values, x, check):
    """One checked value per point of x (a single number is repeated)."""
    arr = check(name, values)
    if arr.ndim == 0 or arr.size == 1:
        arr = np.full(x.shape, float(arr.ravel()[0]))
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a number or a 1-D array, one value per x")
    same_length("x", x, name, arr)
    return arr


def _xy(x, y):
    x = as_data("x", x)
    y = as_data("y", y)
    same_length("x", x, "y", y)
    return x, y


def regression_line(x, y, intercept, slope, true_intercept=None, true_slope=None, ax=None):
    """The data (x, y), the fitted line y-hat = intercept + slope * x and, if given, the true line
    (dashed) that generated the data."""
    x, y = _xy(x, y)
    intercept, slope = scalar("intercept", intercept), scalar("slope", slope)
    if (true_intercept is None) != (true_slope is None):
        raise ValueError("true_intercept and true_slope must be given together")
    if true_intercept is not None:
        true_intercept = scalar("true_intercept", true_intercept)
        true_slope = scalar("true_slope", true_slope)
    ax = axes(ax)
    grid = np.array([x.min(), x.max()])
    ax.scatter(
        x, y, s=14, color=PALETTE["sky"], edgecolor=PALETTE["white"], linewidth=0.4, label="data", zorder=2
    )
    ax.plot(
        grid,
        intercept + slope * grid,
        color=PALETTE["blue"],
        zorder=3,
        label=rf"fitted: $\hat y = {intercept:.3f} + {slope:.3f}\,x$",
    )
    if true_intercept is not None:
        ti, ts = true_intercept, true_slope
        ax.plot(
            grid,
            ti + ts * grid,
            color=PALETTE["black"],
            linestyle="--",
            linewidth=1,
            zorder=3,
            label=rf"true: $y = {ti:g} + {ts:g}\,x$",
        )
    ax.set(xlabel="x", ylabel="y", title="A straight line fitted to noisy data")
    ax.legend(loc="upper left")
    return ax


def regression_band(x, y, mean, sigma, true_sigma=None, true_mean=None, ax=None):
    """The data (x, y), a model's mean y-hat(x) and its band y-hat(x) +/- 2 sigma(x).

    `mean` and `sigma` are the model's predictions at the points x (a scalar sigma is the same
    everywhere). If `true_sigma` is given, dashed lines mark true_mean +/- 2 true_sigma (around
    `mean` when `true_mean` is not given)."""
    x, y = _xy(x, y)
    mean = _per_point("mean", mean, x, as_finite)
    sigma = _per_point("sigma", sigma, x, as_positive)
    if true_mean is not None and true_sigma is None:
        raise ValueError("true_mean needs true_sigma")
    if true_sigma is not None:
        true_sigma = _per_point("true_sigma", true_sigma, x, as_positive)
        true_mean = mean if true_mean is None else _per_point("true_mean", true_mean, x, as_finite)
    order = np.argsort(x, kind="stable")
    xs, ms, ss = x[order], mean[order], sigma[order]
    ax = axes(ax)
    ax.fill_between(
        xs,
        ms - 2 * ss,
        ms + 2 * ss,
        color=PALETTE["blue"],
        alpha=0.2,
        linewidth=0,
        label=r"model: $\hat y \pm 2\sigma$",
    )
    ax.scatter(
        x, y, s=12, color=PALETTE["sky"], edgecolor=PALETTE["white"], linewidth=0.4, label="data", zorder=2
    )
    ax.plot(xs, ms, color=PALETTE["blue"], zorder=3, label=r"model: $\hat y$")
    if true_sigma is not None:
        centre, ts = true_mean[order], true_sigma[order]
        ax.plot(
            xs,
            centre - 2 * ts,
            color=PALETTE["black"],
            linestyle="--",
            linewidth=1,
            zorder=3,
            label=r"true $\pm 2\sigma$",
        )
        ax.plot(xs, centre + 2 * ts, color=PALETTE["black"], linestyle="--", linewidth=1, zorder=3)
    ax.set(xlabel="x", ylabel="y", title=r"Mean and $\pm 2\sigma$ band")
    ax.legend(loc="upper left")
    return ax


def seed_fits(x, y, grid, curves, truth=None, ax=None):
    """The data (x, y) and one fitted curve per entry of `curves`, a dict that maps a label (say,
    the seed a network started from) to the curve's values at the points `grid`; `truth`, if
    given, is the true mean at `grid` (dashed)."""
    x, y = _xy(x, y)
    grid = as_data("grid", grid)
    if not isinstance(curves, dict) or not curves:
        raise ValueError("curves must be a non-empty dict {label: values at grid}")
    checked = {}
    for label, values in curves.items():
        values = as_data(f"curves[{label!r}]", np.ravel(as_real(f"curves[{label!r}]", values)))
        same_length("grid", grid, f"curves[{label!r}]", values)
        checked[label] = values
    if truth is not None:
        truth = as_data("truth", np.ravel(as_real("truth", truth)))
        same_length("grid", grid, "truth", truth)
    order = np.argsort(grid, kind="stable")
    ax = axes(ax)
    ax.scatter(x, y, s=18, color=PALETTE["black"], alpha=0.6, label="training data", zorder=3)
    for (label, values), color in zip(checked.items(), CYCLE):
        ax.plot(grid[order], values[order], color=color, linewidth=1.5, label=label)
    if truth is not None:
        ax.plot(
            grid[order], truth[order], color=PALETTE["black"], linestyle="--", linewidth=1, label="true mean"
        )
    ax.set(xlabel="x", ylabel="y", title="One network, trained from different seeds")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize=9)
    return ax
