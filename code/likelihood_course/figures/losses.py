"""Figures of the losses chapter: from distributions to loss functions."""

import numpy as np
from scipy import stats

from .._checks import (
    as_counts,
    as_data,
    as_finite,
    as_positive,
    as_real,
    integer,
    open_probability,
    same_length,
    scalar,
)
from ..style import CYCLE, PALETTE
from ._axes import axes, figure

__all__ = ["residual_penalties", "outlier_fits", "count_fits", "estimate_spread"]


def _line(name, params):
    """An (intercept, slope) pair of finite numbers."""
    params = as_real(name, params)
    if params.shape != (2,):
        raise ValueError(f"{name} must be an (intercept, slope) pair, got shape {params.shape}")
    return as_finite(name, params)


def residual_penalties(max_residual=4.0, sigma=1.0, beta=1.0, ax=None):
    """The per-example NLL of a Normal(0, sigma) and a Laplace(0, beta) noise model (beta its
    scale) against the residual r = y - prediction: a parabola and a V."""
    max_residual = scalar("max_residual", max_residual, as_positive)
    sigma = scalar("sigma", sigma, as_positive)
    beta = scalar("beta", beta, as_positive)
    ax = axes(ax)
    r = np.linspace(-max_residual, max_residual, 401)
    gauss = r**2 / (2 * sigma**2) + np.log(sigma * np.sqrt(2 * np.pi))
    laplace = np.abs(r) / beta + np.log(2 * beta)
    ax.plot(r, gauss, label=rf"Gaussian, $\sigma = {sigma:g}$: squared error")
    ax.plot(r, laplace, label=rf"Laplace, $\beta = {beta:g}$: absolute error")
    ax.set(
        xlabel=r"residual $r = y - \hat{y}$",
        ylabel=r"$-\log p(y \mid \hat{y})$",
        title="The penalty each noise model puts on a residual",
    )
    ax.legend()
    return ax


def outlier_fits(x, y, lines, outlier=None, ax=None):
    """The data (outliers marked) and one fitted line per entry of `lines`, a dict that maps a
    label to an (intercept, slope) pair."""
    x = as_data("x", x)
    y = as_data("y", y)
    same_length("x", x, "y", y)
    if not isinstance(lines, dict) or not lines:
        raise ValueError("lines must be a non-empty dict {label: (intercept, slope)}")
    lines = {label: _line(f"lines[{label!r}]", params) for label, params in lines.items()}
    if outlier is None:
        outlier = np.zeros(x.size, dtype=bool)
    try:
        outlier = np.asarray(outlier)
    except ValueError:  # a ragged nesting
        outlier = None
    if outlier is None or outlier.dtype != bool or outlier.shape != x.shape:
        raise ValueError(f"outlier must be a boolean mask of shape {x.shape}")
    ax = axes(ax)
    grey = PALETTE["black"]
    ax.scatter(x[~outlier], y[~outlier], s=18, color=grey, alpha=0.6, label="data")
    if outlier.any():
        ax.scatter(x[outlier], y[outlier], s=40, marker="x", color=PALETTE["vermillion"], label="outliers")
    grid = np.linspace(x.min(), x.max(), 2)
    for (label, (intercept, slope)), color in zip(lines.items(), CYCLE):
        ax.plot(grid, intercept + slope * grid, color=color, label=label)
    ax.set(xlabel="x", ylabel="y", title="A line fitted by two losses")
    ax.legend(loc="upper left")
    return ax


def count_fits(x, y, poisson, gaussian, sigma, level=0.9):
    """Two panels over the same count data, each with a log-link mean exp(b + w x) and its central
    `level` prediction band: left the Poisson model (band from Poisson quantiles, widening with the
    mean), right the Gaussian model with constant `sigma` (mean +/- z sigma). `poisson` and
    `gaussian` are (intercept, slope) pairs. Returns the Figure."""
    x = as_data("x", x)
    y = as_counts("y", y)
    same_length("x", x, "y", y)
    poisson = _line("poisson", poisson)
    gaussian = _line("gaussian", gaussian)
    sigma = scalar("sigma", sigma, as_positive)
    level = scalar("level", level, open_probability)
    fig, (left, right) = figure(1, 2, figsize=(7.5, 3.4), sharey=True)
    grid = np.linspace(x.min(), x.max(), 200)
    tail = (1 - level) / 2
    percent = f"{100 * level:g}%"

    mean = np.exp(poisson[0] + poisson[1] * grid)
    lo, hi = stats.poisson(mean).ppf(tail), stats.poisson(mean).ppf(1 - tail)
    blue = PALETTE["blue"]
    left.fill_between(grid, lo, hi, step="mid", color=blue, alpha=0.2, label=f"{percent} of the Poisson")
    left.plot(grid, mean, color=blue, label="mean, Poisson loss")
    left.set(title="Poisson noise model", xlabel="x", ylabel="count y")

    mean = np.exp(gaussian[0] + gaussian[1] * grid)
    z = stats.norm.ppf(1 - tail)
    orange = PALETTE["orange"]
    right.fill_between(
        grid, mean - z * sigma, mean + z * sigma, color=orange, alpha=0.25, label=f"{percent} of the Gaussian"
    )
    right.plot(grid, mean, color=orange, label="mean, squared error")
    right.axhline(0, color=PALETTE["black"], linewidth=0.8)
    right.set(title="Gaussian noise model, constant $\\sigma$", xlabel="x")

    for ax in (left, right):
        ax.scatter(x, y, s=10, color=PALETTE["black"], alpha=0.5, label="data")
        ax.legend(loc="upper left")
    return fig


def estimate_spread(estimates, truth=None, bins=20, ax=None):
    """Overlaid histograms of repeated estimates of one parameter, one per entry of `estimates`
    (a dict label -> 1-D array), with the true value as a vertical line."""
    if not isinstance(estimates, dict) or not estimates:
        raise ValueError("estimates must be a non-empty dict {label: 1-D array}")
    estimates = {label: as_data(f"estimates[{label!r}]", v) for label, v in estimates.items()}
    bins = integer("bins", bins)
    truth = None if truth is None else scalar("truth", truth)
    ax = axes(ax)
    values = np.concatenate(list(estimates.values()))
    edges = np.histogram_bin_edges(values, bins=bins)
    for (label, v), color in zip(estimates.items(), CYCLE):
        ax.hist(v, bins=edges, color=color, alpha=0.15, histtype="stepfilled")
        ax.hist(
            v, bins=edges, color=color, histtype="step", linewidth=2, label=f"{label} (sd {np.std(v):.3f})"
        )
    if truth is not None:
        ax.axvline(truth, color=PALETTE["black"], linestyle="--", label="true value")
    ax.set(xlabel="estimate", ylabel="data sets", title="Estimates over repeated data sets")
    ax.legend()
    return ax
