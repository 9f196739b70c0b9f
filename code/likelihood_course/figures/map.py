"""Figures of the chapter on priors and MAP estimates: the posterior of a Bernoulli parameter under
a Beta prior, the weights of ridge and lasso as the prior narrows, and the penalised NLL of
separable data.

The fits are the lesson and stay in the chapter; these functions only draw (the Beta densities are
drawn from their closed form)."""

import numpy as np
from scipy import stats

from .._checks import as_data, as_positive, integer, same_length, scalar, shown
from ..style import PALETTE
from ._axes import axes, figure

__all__ = ["beta_bernoulli", "shrinkage_paths", "penalised_nll"]


def _at_least_one(name, value):
    value = scalar(name, value, as_positive)
    if value < 1:
        raise ValueError(f"{name} must be >= 1 (a Beta prior whose density is finite), got {shown(value)}")
    return value


def _beta_mode(alpha, beta):
    """The mode of Beta(alpha, beta) for alpha, beta >= 1, not both 1 (at 0 or 1 when one is 1)."""
    return (alpha - 1) / (alpha + beta - 2)


def beta_bernoulli(k, n, a, b, ax=None):
    """Prior Beta(a, b), the likelihood of k ones in n flips scaled to area 1, and the posterior
    Beta(a + k, b + n - k) over theta, with the MLE k / n, the MAP (the posterior's mode) and the
    posterior mean marked. `a` and `b` are at least 1, so that every density is finite."""
    n = integer("n", n, minimum=1)
    k = integer("k", k, minimum=0, maximum=n)
    a, b = _at_least_one("a", a), _at_least_one("b", b)
    ax = axes(ax)
    theta = np.linspace(0.0, 1.0, 401)
    post_a, post_b = a + k, b + n - k
    curves = [
        (stats.beta(a, b), f"prior Beta({a:g}, {b:g})", PALETTE["green"], ":"),
        (stats.beta(k + 1, n - k + 1), "likelihood, scaled to area 1", PALETTE["blue"], "--"),
        (stats.beta(post_a, post_b), f"posterior Beta({post_a:g}, {post_b:g})", PALETTE["orange"], "-"),
    ]
    top = 0.0
    for dist, label, colour, style in curves:
        density = dist.pdf(theta)
        top = max(top, density.max())
        ax.plot(theta, density, color=colour, linestyle=style, linewidth=2, label=label)
    marks = [
        (k / n, "MLE", PALETTE["blue"], "o"),
        (_beta_mode(post_a, post_b), "MAP", PALETTE["vermillion"], "s"),
        (post_a / (post_a + post_b), "posterior mean", PALETTE["black"], "^"),
    ]
    for value, label, colour, marker in marks:
        ax.plot(
            [value],
            [0],
            marker=marker,
            color=colour,
            markersize=9,
            linestyle="none",
            clip_on=False,
            label=f"{label} {value:.3f}",
            zorder=5,
        )
    ax.set(xlabel=r"$\theta$", ylabel="density", xlim=(0, 1), ylim=(0, 1.08 * top))
    ax.set_title(f"{k} ones in {n} flips, prior Beta({a:g}, {b:g})")
    ax.legend(loc="upper right")
    return ax


def _paths(name, values, lams):
    arr = as_data(name, values, ndim=2)
    if arr.shape[0] != len(lams):
        raise ValueError(f"{name} must have one row per value of lams ({len(lams)}), got shape {arr.shape}")
    return arr


def shrinkage_paths(lams, ridge, lasso):
    """The weights of ridge regression and of the lasso (rows: one per strength in `lams`, columns:
    one per weight) against the strength of the penalty, on a log axis; two panels, a Figure."""
    lams = as_data("lams", lams)
    as_positive("lams", lams)
    ridge, lasso = _paths("ridge", ridge, lams), _paths("lasso", lasso, lams)
    if ridge.shape != lasso.shape:
        raise ValueError(f"ridge and lasso must have the same shape, got {ridge.shape} and {lasso.shape}")
    fig, (top, bottom) = figure(1, 2, figsize=(9.6, 4.0), sharex=True)
    colours = [PALETTE[c] for c in ("blue", "orange", "green", "vermillion", "purple", "sky")]
    for panel, paths, title in [
        (top, ridge, r"Gaussian prior (ridge): $\lambda = \sigma^2 / \tau^2$"),
        (bottom, lasso, r"Laplace prior (lasso): $\lambda_1 = 2 \sigma^2 / \beta$"),
    ]:
        for j in range(paths.shape[1]):
            panel.plot(lams, paths[:, j], color=colours[j % len(colours)], linewidth=2, label=f"$w_{j + 1}$")
        panel.axhline(0.0, color=PALETTE["black"], linewidth=0.8)
        panel.set(xscale="log", ylabel="MAP weight", title=title)
    bottom.set_xlabel("strength of the penalty (a narrower prior to the right)")
    top.legend(loc="upper right", ncols=min(3, ridge.shape[1]))
    return fig


def penalised_nll(w, nll, penalty, ax=None):
    """Along one weight `w`: the NLL, the penalty (the negative log prior, constants dropped) and
    their sum, whose minimum is the MAP estimate (marked)."""
    w = as_data("w", w)
    nll, penalty = as_data("nll", nll), as_data("penalty", penalty)
    same_length("w", w, "nll", nll)
    same_length("w", w, "penalty", penalty)
    ax = axes(ax)
    total = nll + penalty
    best = int(np.argmin(total))
    ax.plot(w, nll, color=PALETTE["blue"], linewidth=2, label="NLL (falls for ever)")
    ax.plot(w, penalty, color=PALETTE["green"], linestyle=":", linewidth=2, label="negative log prior")
    ax.plot(w, total, color=PALETTE["orange"], linewidth=2, label="their sum")
    ax.plot(
        [w[best]],
        [total[best]],
        "s",
        color=PALETTE["vermillion"],
        markersize=8,
        label=f"MAP, w = {w[best]:.2f}",
    )
    ax.set(xlabel="slope w", ylabel="value")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")
    return ax
