"""Figures of chapters 2 to 4: the likelihood, maximum likelihood estimation and the negative
log-likelihood."""

import numpy as np

from .. import likelihood as lk
from .._checks import (
    as_data,
    as_finite,
    as_labels,
    as_positive,
    flag,
    integer,
    open_probability,
    same_length,
    scalar,
)
from ..style import PALETTE
from ._axes import axes, figure

__all__ = [
    "bernoulli_likelihood_curve",
    "normal_likelihood_surface",
    "optimiser_path",
    "likelihood_and_nll",
    "product_underflow",
]


def _interval(name, values, *, positive=False):
    """A (low, high) pair of finite numbers with low < high (and low > 0 if `positive`)."""
    check = as_positive if positive else as_finite
    arr = check(name, values)
    if arr.shape != (2,) or not arr[0] < arr[1]:
        raise ValueError(f"{name} must be a pair (low, high) with low < high, got {values!r}")
    return float(arr[0]), float(arr[1])


def bernoulli_likelihood_curve(y, ax=None, mark_max=True, shade=False):
    """L(theta) = prod_i P(y_i | theta) over theta in [0, 1], for the 0/1 data `y`.

    With `mark_max`, a point marks the maximum at theta = k / n; with `shade`, the area under the
    curve is filled (it is not 1: the likelihood is not a density in theta)."""
    y = as_labels("y", y)
    mark_max, shade = flag("mark_max", mark_max), flag("shade", shade)
    ax = axes(ax)
    k, n = int(y.sum()), y.size
    theta = np.linspace(0.0, 1.0, 401)
    like = lk.bernoulli_likelihood(theta, y)
    ax.plot(theta, like, label=r"$L(\theta)$")
    if shade:
        ax.fill_between(theta, like, alpha=0.25, label="area under the curve")
    if mark_max:
        theta_hat = k / n
        ax.plot(
            [theta_hat],
            lk.bernoulli_likelihood([theta_hat], y),
            "o",
            label=rf"maximum at $\theta = {theta_hat:g}$",
        )
    ax.set(
        xlabel=r"$\theta$",
        ylabel=r"$L(\theta)$",
        xlim=(0, 1),
        ylim=(0, None),
        title=rf"Bernoulli likelihood, $k = {k}$ ones in $n = {n}$ observations",
    )
    ax.legend()
    return ax


def normal_likelihood_surface(y, mu=(-2.0, 2.0), sigma=(0.3, 2.5), ax=None, mark_max=True, levels=14):
    """Filled contours of L(mu, sigma) = prod_i p(y_i | mu, sigma) over a (mu, sigma) window.

    With `mark_max`, a point marks the maximum at the closed-form estimates (mean, root mean
    squared deviation)."""
    y = as_data("y", y)
    mu_lo, mu_hi = _interval("mu", mu)
    sigma_lo, sigma_hi = _interval("sigma", sigma, positive=True)
    levels = integer("levels", levels, minimum=2)
    mark_max = flag("mark_max", mark_max)
    ax = axes(ax)
    mus, sigmas = np.meshgrid(np.linspace(mu_lo, mu_hi, 241), np.linspace(sigma_lo, sigma_hi, 241))
    like = lk.normal_likelihood(mus, sigmas, y)
    # below zorder 0, drawn as one picture in the vector figures (the site's SVG: 46 KB, not 405 KB
    # of paths); set_rasterization_zorder, as Pyodide's matplotlib ignores a ContourSet's own flag
    filled = ax.contourf(mus, sigmas, like, levels=levels, zorder=-2)
    ax.contour(
        mus, sigmas, like, levels=filled.levels, colors=PALETTE["white"], linewidths=0.5, alpha=0.6, zorder=-1
    )
    ax.set_rasterization_zorder(0)
    ax.figure.colorbar(filled, ax=ax, label=r"$L(\mu, \sigma)$")
    if mark_max:
        mu_hat, sigma_hat = lk.normal_mle(y)
        if mu_lo <= mu_hat <= mu_hi and sigma_lo <= sigma_hat <= sigma_hi:
            ax.plot(
                [mu_hat],
                [sigma_hat],
                marker="*",
                markersize=14,
                color=PALETTE["white"],
                markeredgecolor=PALETTE["black"],
                linestyle="none",
                label="maximum",
            )
            ax.legend(loc="upper left", frameon=True)
    ax.set(xlabel=r"$\mu$", ylabel=r"$\sigma$", title="Normal likelihood surface")
    ax.grid(False)
    return ax


def optimiser_path(y, mus, sigmas, ax=None, **surface_kw):
    """The iterates (mus[i], sigmas[i]) of an optimiser, drawn on the likelihood surface of `y`.

    `surface_kw` goes to `normal_likelihood_surface` (the window, `levels`)."""
    mus = np.atleast_1d(as_finite("mus", mus))
    sigmas = np.atleast_1d(as_positive("sigmas", sigmas))
    if mus.ndim != 1 or sigmas.ndim != 1:
        raise ValueError("mus and sigmas must be 1-D sequences of iterates")
    same_length("mus", mus, "sigmas", sigmas)
    ax = normal_likelihood_surface(y, ax=ax, mark_max=False, **surface_kw)
    ax.plot(
        mus,
        sigmas,
        "-",
        marker="o",
        markersize=2.5,
        color=PALETTE["vermillion"],
        linewidth=1.2,
        label="optimiser path",
    )
    ax.plot(
        mus[:1], sigmas[:1], "o", color=PALETTE["orange"], markeredgecolor=PALETTE["black"], label="start"
    )
    ax.plot(
        mus[-1:],
        sigmas[-1:],
        "*",
        markersize=14,
        color=PALETTE["white"],
        markeredgecolor=PALETTE["black"],
        label=f"end, after {mus.size - 1} steps",
    )
    ax.legend(loc="upper left", frameon=True)
    ax.set_title("Gradient steps on the likelihood surface")
    return ax


def likelihood_and_nll(y):
    """Two panels for the 0/1 data `y`: L(theta) on the left and NLL(theta) = -log L(theta) on
    the right, with the common optimum theta = k / n marked in both. Returns the Figure."""
    y = as_labels("y", y)
    theta_hat = y.mean()
    theta = np.arange(1, 400) / 400  # the open interval (0, 1), where the NLL is finite
    fig, (ax_l, ax_n) = figure(1, 2, figsize=(8.0, 3.4))
    ax_l.plot(theta, lk.bernoulli_likelihood(theta, y))
    ax_l.set(
        xlabel=r"$\theta$", ylabel=r"$L(\theta)$", title="Likelihood: maximise", xlim=(0, 1), ylim=(0, None)
    )
    ax_n.plot(theta, lk.bernoulli_nll(theta, y), color=PALETTE["orange"])
    ax_n.set(
        xlabel=r"$\theta$",
        ylabel=r"$\mathrm{NLL}(\theta) = -\log L(\theta)$",
        title="Negative log-likelihood: minimise",
        xlim=(0, 1),
    )
    for ax in (ax_l, ax_n):
        ax.axvline(
            theta_hat,
            color=PALETTE["black"],
            linestyle="--",
            linewidth=1,
            label=rf"$\hat\theta = {theta_hat:g}$",
        )
        ax.legend()
    return fig


def product_underflow(y, theta, ax=None):
    """log10 of the likelihood of the first n observations of the 0/1 data `y`, for n = 1, ...,
    len(y), computed two ways: as a running product of probabilities (which underflows to 0.0)
    and as a running sum of log-probabilities (which does not)."""
    y = as_labels("y", y)
    theta = scalar("theta", theta, open_probability)
    ax = axes(ax)
    n = np.arange(1, y.size + 1)
    probs = np.where(y == 1, theta, 1 - theta)
    by_sum = np.cumsum(np.log(probs)) / np.log(10)
    product = np.cumprod(probs)
    alive = product > 0
    ax.plot(n, by_sum, label="sum of logs, divided by log 10")
    ax.plot(n[alive], np.log10(product[alive]), linestyle="--", label="log10 of the product")
    if not alive.all():
        first_zero = int(n[~alive][0])
        ax.axvline(
            first_zero,
            color=PALETTE["black"],
            linestyle=":",
            linewidth=1,
            label=f"product is 0.0 from n = {first_zero}",
        )
    ax.axhline(
        np.log10(np.finfo(float).smallest_subnormal),
        color=PALETTE["vermillion"],
        linewidth=1,
        label="smallest positive float64",
    )
    ax.set(
        xlabel="number of observations n",
        ylabel=r"$\log_{10} L(\theta)$",
        title=rf"Likelihood of the first n flips at $\theta = {theta:g}$",
        xlim=(0, y.size),
    )
    ax.legend(loc="lower left")
    return ax
