"""Figures of the real-data chapter: a binary outcome, a spread that grows with the input, and
counts."""

import numpy as np

from .._checks import as_counts, as_data, as_labels, as_probability, integer, same_length, shown, text
from ..style import PALETTE
from ._axes import axes, figure

__all__ = ["binary_outcome", "scatter_data", "interval_bands", "count_frequencies"]

_OFFSET = 0.04  # how far the two groups of a binary outcome are drawn apart, vertically


def binary_outcome(
    x, y, group, curves=None, xlabel="x", ylabel="outcome", group_labels=("group 0", "group 1"), ax=None
):
    """A 0/1 outcome `y` against an input `x`, one colour per value of the 0/1 `group` (the groups
    drawn a little apart vertically, so that equal points stay visible). `curves` optionally maps
    a group (0 or 1) to (x grid, fitted probability), drawn in the group's colour."""
    x = as_data("x", x)
    y = as_labels("y", y)
    group = as_labels("group", group)
    same_length("x", x, "y", y)
    same_length("x", x, "group", group)
    xlabel, ylabel = text("xlabel", xlabel), text("ylabel", ylabel)
    if not isinstance(group_labels, (list, tuple)) or len(group_labels) != 2:
        raise ValueError(f"group_labels must name the two groups, got {shown(group_labels)}")
    group_labels = [text(f"group_labels[{g}]", label) for g, label in enumerate(group_labels)]
    curves = {} if curves is None else curves
    if not isinstance(curves, dict) or not set(curves) <= {0, 1}:
        raise ValueError("curves must be a dict {group (0 or 1): (x grid, probabilities)}")
    for g, curve in curves.items():
        if not isinstance(curve, (list, tuple)) or len(curve) != 2:
            raise ValueError(f"curves[{g}] must be a pair (x grid, probabilities), got {shown(curve)}")
    ax = axes(ax)
    colours = (PALETTE["blue"], PALETTE["orange"])
    markers = ("o", "s")
    for g in (0, 1):
        part = group == g
        offset = -_OFFSET if g == 0 else _OFFSET
        ax.scatter(
            x[part],
            y[part] + offset,
            s=30,
            marker=markers[g],
            color=colours[g],
            alpha=0.8,
            label=f"{group_labels[g]}: data",
        )
        if g in curves:
            grid, prob = curves[g]
            grid = as_data(f"curves[{g}] grid", grid)
            prob = as_probability(f"curves[{g}] probabilities", prob)
            same_length(f"curves[{g}] grid", grid, f"curves[{g}] probabilities", prob)
            ax.plot(grid, prob, color=colours[g], label=f"{group_labels[g]}: fitted probability")
    ax.set(xlabel=xlabel, ylabel=ylabel, ylim=(-0.1, 1.1), yticks=[0, 0.25, 0.5, 0.75, 1])
    ax.legend(loc="center left", fontsize=9)
    return ax


def scatter_data(x, y, xlabel="x", ylabel="y", title=None, ax=None):
    """The data as points: an input against a continuous outcome."""
    x = as_data("x", x)
    y = as_data("y", y)
    same_length("x", x, "y", y)
    xlabel, ylabel = text("xlabel", xlabel), text("ylabel", ylabel)
    title = text("title", title, optional=True)
    ax = axes(ax)
    ax.scatter(x, y, s=14, color=PALETTE["blue"], alpha=0.6)
    ax.set(xlabel=xlabel, ylabel=ylabel)
    if title:
        ax.set_title(title)
    return ax


def interval_bands(x, y, bands, xlabel="x", ylabel="y"):
    """One panel per entry of `bands`, a dict that maps a model's name to (x grid, mean, lower,
    upper) over the grid: the data `x`, `y` (held-out points, say), the model's mean and its
    interval as a shaded band. Points outside the band are drawn as vermillion crosses. Returns the
    Figure."""
    x = as_data("x", x)
    y = as_data("y", y)
    same_length("x", x, "y", y)
    if not isinstance(bands, dict) or not bands:
        raise ValueError("bands must be a non-empty dict {model: (grid, mean, lower, upper)}")
    xlabel, ylabel = text("xlabel", xlabel), text("ylabel", ylabel)
    checked = {}
    for name, parts in bands.items():
        if not isinstance(parts, (list, tuple)) or len(parts) != 4:
            raise ValueError(f"bands[{name!r}] must be (grid, mean, lower, upper)")
        grid, mean, lower, upper = (as_data(f"bands[{name!r}]", p) for p in parts)
        if not (grid.shape == mean.shape == lower.shape == upper.shape):
            raise ValueError(f"bands[{name!r}]: grid, mean, lower and upper must have one shape")
        if np.any(lower > upper):
            raise ValueError(f"bands[{name!r}]: lower must not exceed upper")
        checked[name] = (grid, mean, lower, upper)
    # squeeze=False: a 2-D grid of panels, as many columns as fit on a phone (figures._axes)
    fig, panels = figure(1, len(checked), figsize=(3.8 * len(checked), 3.6), sharey=True, squeeze=False)
    colours = (PALETTE["blue"], PALETTE["green"], PALETTE["purple"])
    for ax, (name, (grid, mean, lower, upper)), colour in zip(panels.flat, checked.items(), colours):
        inside = (np.interp(x, grid, lower) <= y) & (y <= np.interp(x, grid, upper))
        ax.fill_between(grid, lower, upper, color=colour, alpha=0.2, label="interval")
        ax.plot(grid, mean, color=colour, label="mean")
        ax.scatter(x[inside], y[inside], s=14, color=PALETTE["black"], alpha=0.6, label="inside")
        ax.scatter(x[~inside], y[~inside], s=36, marker="x", color=PALETTE["vermillion"], label="outside")
        ax.set(title=name, xlabel=xlabel)
        ax.legend(loc="upper left", fontsize=9)
    for ax in panels[:, 0]:
        ax.set_ylabel(ylabel)
    return fig


def count_frequencies(y, expected=None, max_count=15, ax=None):
    """The share of the counts `y` that equal 0, 1, ..., `max_count` (bars), and optionally the
    share each model expects: `expected` maps a model's name to an array of probabilities for the
    counts 0..max_count (the mean over the observations of each model's pmf), drawn as points
    joined by lines."""
    y = as_counts("y", y)
    max_count = integer("max_count", max_count)
    expected = {} if expected is None else expected
    if not isinstance(expected, dict):
        raise ValueError("expected must be a dict {model: probabilities of 0..max_count}")
    counts = np.arange(max_count + 1)
    ax = axes(ax)
    observed = np.array([np.mean(y == k) for k in counts])
    ax.bar(counts, observed, width=0.8, color=PALETTE["sky"], alpha=0.7, label="data")
    colours = (PALETTE["vermillion"], PALETTE["blue"], PALETTE["green"])
    markers = ("o", "s", "^")
    for (name, prob), colour, marker in zip(expected.items(), colours, markers):
        prob = as_probability(f"expected[{name!r}]", prob)
        if prob.shape != counts.shape:
            raise ValueError(
                f"expected[{name!r}] must hold {max_count + 1} probabilities, one for "
                f"each count 0..{max_count}, got shape {prob.shape}"
            )
        ax.plot(counts, prob, color=colour, marker=marker, markersize=5, label=name)
    beyond = np.mean(y > max_count)
    ax.set(
        xlabel="count",
        ylabel="share of the data",
        title=f"Counts 0 to {max_count} ({100 * beyond:.1f}% are larger)",
    )
    ax.legend()
    return ax
