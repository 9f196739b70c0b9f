"""Figures of chapter 1: probability mass and density functions."""

import numpy as np

from .. import likelihood as lk
from .._checks import as_finite, as_positive, as_probability, as_real
from ._axes import axes

__all__ = ["bernoulli_pmfs", "normal_pdfs"]


def bernoulli_pmfs(thetas=(0.2, 0.5, 0.9), ax=None):
    """Bars of P(y | theta) at y = 0 and y = 1, side by side for each theta."""
    thetas = np.atleast_1d(as_probability("thetas", thetas))
    ax = axes(ax)
    width = 0.8 / thetas.size
    for i, theta in enumerate(thetas):
        offset = (i - (thetas.size - 1) / 2) * width
        ax.bar(
            np.array([0, 1]) + offset,
            lk.bernoulli_pmf([0, 1], theta),
            width=width,
            label=rf"$\theta = {theta:g}$",
        )
    ax.set(
        xticks=[0, 1],
        xticklabels=["y = 0", "y = 1"],
        ylim=(0, 1.05),
        ylabel=r"$P(y \mid \theta)$",
        title="Bernoulli probability mass function",
    )
    ax.legend()
    return ax


def normal_pdfs(params=((0.0, 1.0), (0.0, 0.3), (1.5, 0.6)), ax=None):
    """Curves of p(y | mu, sigma) for each (mu, sigma) pair."""
    params = np.atleast_2d(as_real("params", params))
    if params.ndim != 2 or params.shape[1] != 2:
        raise ValueError(f"params must be (mu, sigma) pairs, got shape {params.shape}")
    mus = as_finite("params mu", params[:, 0])
    sigmas = as_positive("params sigma", params[:, 1])
    ax = axes(ax)
    y = np.linspace(min(mus - 4 * sigmas), max(mus + 4 * sigmas), 400)
    for mu, sigma in zip(mus, sigmas):
        ax.plot(y, lk.normal_pdf(y, mu, sigma), label=rf"$\mu = {mu:g},\ \sigma = {sigma:g}$")
    ax.set(
        xlabel="y",
        ylabel=r"$p(y \mid \mu, \sigma)$",
        ylim=(0, None),
        title="Normal probability density function",
    )
    ax.legend()
    return ax
