"""Figures of chapter 5: classifiers."""

import numpy as np
from matplotlib.colors import ListedColormap

from .. import likelihood as lk
from .._checks import as_data, as_finite, as_labels, integer, open_probability, same_length, scalar
from ..style import CYCLE, PALETTE
from ._axes import axes

__all__ = ["decision_boundary", "class_regions"]

_MARKERS = ["o", "s", "^", "D", "v", "P"]


def _points(x, y, classes):
    """Checked (n, 2) inputs and their labels."""
    x = as_data("x", x, ndim=2)
    if x.shape[1] != 2:
        raise ValueError(f"x must have shape (n, 2), got {x.shape}")
    y = as_labels("y", y, classes=classes)
    same_length("x", x, "y", y)
    return x, y


def _window(x, margin=0.5):
    """The data's bounding box, widened by `margin` on every side: (x1_lo, x1_hi, x2_lo, x2_hi)."""
    lo, hi = x.min(axis=0) - margin, x.max(axis=0) + margin
    return lo[0], hi[0], lo[1], hi[1]


def _scatter(ax, x, y, classes):
    for k in range(classes):
        ax.scatter(
            *x[y == k].T,
            s=18,
            marker=_MARKERS[k % len(_MARKERS)],
            color=CYCLE[k % len(CYCLE)],
            edgecolor=PALETTE["white"],
            linewidth=0.4,
            label=f"y = {k}",
            zorder=3,
        )


def _weights(w):
    """The two checked weights of a logistic model in the plane."""
    w = np.ravel(as_finite("w", w))
    if w.shape != (2,):
        raise ValueError(f"w must hold two weights, got shape {w.shape}")
    return w


def _line(w, c, window):
    """Two end points of the line w[0] x1 + w[1] x2 = c across `window`."""
    x1_lo, x1_hi, x2_lo, x2_hi = window
    if abs(w[1]) >= abs(w[0]):
        x1 = np.array([x1_lo, x1_hi])
        return x1, (c - w[0] * x1) / w[1]
    x2 = np.array([x2_lo, x2_hi])
    return (c - w[1] * x2) / w[0], x2


def decision_boundary(x, y, w, b, levels=(0.1, 0.9), ax=None):
    """Two classes in the plane and the lines of a logistic model theta = sigmoid(w . x + b).

    The solid line is the decision boundary theta = 0.5, where w . x + b = 0; dashed lines mark
    the other `levels` of theta, where w . x + b = log(theta / (1 - theta))."""
    x, y = _points(x, y, classes=2)
    w = _weights(w)
    if not np.any(w != 0):
        raise ValueError("w must not be zero: with w = 0 there is no decision boundary")
    b = scalar("b", b)
    levels = np.atleast_1d(open_probability("levels", levels))
    ax = axes(ax)
    window = _window(x)
    _scatter(ax, x, y, classes=2)
    ax.plot(
        *_line(w, -b, window), color=PALETTE["black"], zorder=4, label=r"$\theta = 0.5$: $w \cdot x + b = 0$"
    )
    levels = np.sort(levels)
    shown = r"$\theta = $" + ", ".join(f"{v:g}" for v in levels)
    for i, level in enumerate(levels):
        logit = np.log(level / (1 - level))
        ax.plot(
            *_line(w, logit - b, window),
            color=PALETTE["black"],
            linestyle="--",
            linewidth=1,
            zorder=4,
            label=shown if i == 0 else None,
        )
    ax.set(
        xlim=window[:2],
        ylim=window[2:],
        xlabel="$x_1$",
        ylabel="$x_2$",
        title="Two classes and a logistic regression",
        aspect="equal",
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize=9)
    return ax


def class_regions(x, y, w, b, ax=None, resolution=300):
    """K classes in the plane, each point coloured by its label, on the regions where a linear
    softmax model theta = softmax(x W + b) predicts each class (the largest theta_k)."""
    w = as_finite("w", w)
    if w.ndim != 2 or w.shape[0] != 2 or w.shape[1] < 2:
        raise ValueError(f"w must have shape (2, K) with K >= 2 classes, got {w.shape}")
    classes = w.shape[1]
    b = np.ravel(as_finite("b", b))
    if b.shape != (classes,):
        raise ValueError(f"b must hold one number per class ({classes}), got shape {b.shape}")
    x, y = _points(x, y, classes=classes)
    resolution = integer("resolution", resolution, minimum=2)
    ax = axes(ax)
    window = _window(x)
    g1, g2 = np.meshgrid(np.linspace(*window[:2], resolution), np.linspace(*window[2:], resolution))
    grid = np.column_stack([g1.ravel(), g2.ravel()])
    predicted = np.argmax(lk.softmax(grid @ w + b), axis=1).reshape(g1.shape)
    colours = [CYCLE[k % len(CYCLE)] for k in range(classes)]
    ax.pcolormesh(
        g1,
        g2,
        predicted,
        cmap=ListedColormap(colours),
        vmin=-0.5,
        vmax=classes - 0.5,
        alpha=0.2,
        shading="nearest",
        rasterized=True,
    )
    _scatter(ax, x, y, classes)
    ax.set(
        xlim=window[:2],
        ylim=window[2:],
        xlabel="$x_1$",
        ylabel="$x_2$",
        title="The regions of a softmax model",
        aspect="equal",
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize=9)
    return ax
