"""The explorers' static form: each explorer (`likelihood_course.explorers`) drawn at one setting
of its sliders, for the PDF and for notebooks, where the browser's interactive version does not
run. Each returns a two-panel Figure that shows what the explorer shows."""

import numpy as np
from scipy import special

from .. import likelihood as lk
from .._checks import as_data, as_labels, as_positive, as_probability, as_real, flag, open_probability, scalar
from ..style import CYCLE, PALETTE
from ._axes import figure
from .classifiers import _line, _points, _weights, _window
from .regression import _xy

__all__ = [
    "pmf_pdf_explorer",
    "bernoulli_likelihood_explorer",
    "normal_likelihood_explorer",
    "classifier_explorer",
    "regression_explorer",
    "temperature_explorer",
]


def mu_sigma_window(window):
    """A window of the (mu, sigma) plane, ((mu_lo, mu_hi), (sigma_lo, sigma_hi)), as floats:
    finite, each low < high, and sigma_lo > 0."""
    arr = as_real("window", window)
    if arr.shape != (2, 2):
        raise ValueError(f"window must be ((mu_lo, mu_hi), (sigma_lo, sigma_hi)), got shape {arr.shape}")
    (mu_lo, mu_hi), (sigma_lo, sigma_hi) = arr.tolist()
    if not (np.all(np.isfinite(arr)) and mu_lo < mu_hi and 0 < sigma_lo < sigma_hi):
        raise ValueError(
            "window must be ((mu_lo, mu_hi), (sigma_lo, sigma_hi)) of finite numbers with "
            f"mu_lo < mu_hi and 0 < sigma_lo < sigma_hi, got {arr.tolist()}"
        )
    return (mu_lo, mu_hi), (sigma_lo, sigma_hi)


def pmf_pdf_explorer(theta, mu, sigma):
    """Left: the Bernoulli pmf at theta. Right: the Normal pdf at (mu, sigma), its peak and area."""
    theta = scalar("theta", theta, as_probability)
    mu, sigma = scalar("mu", mu), scalar("sigma", sigma, as_positive)
    fig, (ax_b, ax_n) = figure(1, 2, figsize=(8.0, 3.4))
    ax_b.bar([0, 1], lk.bernoulli_pmf([0, 1], theta), width=0.6, color=PALETTE["blue"])
    ax_b.set(
        xticks=[0, 1],
        xticklabels=["y = 0", "y = 1"],
        ylim=(0, 1.05),
        ylabel=r"$P(y \mid \theta)$",
        title=rf"Bernoulli pmf, $\theta = {theta:g}$",
    )
    y = np.linspace(-4, 4, 401)
    density = lk.normal_pdf(y, mu, sigma)
    ax_n.fill_between(y, density, color=PALETTE["orange"], alpha=0.3, label="area = 1")
    ax_n.plot(y, density, color=PALETTE["orange"])
    peak = float(lk.normal_pdf(mu, mu, sigma)[()])
    ax_n.axhline(1.0, color=PALETTE["black"], linestyle=":", linewidth=1, label="density 1")
    ax_n.set(
        xlabel="y",
        ylabel=r"$p(y \mid \mu, \sigma)$",
        ylim=(0, max(1.1, 1.1 * peak)),
        title=rf"Normal pdf, $\mu = {mu:g}$, $\sigma = {sigma:g}$, peak {peak:.3f}",
    )
    ax_n.legend(loc="upper left")
    return fig


def bernoulli_likelihood_explorer(y, theta, nll=False):
    """Left: each observation's factor P(y_i | theta) (or -log of it, with `nll`). Right: the
    likelihood (or the NLL) over theta, with the point at theta."""
    y = as_labels("y", y)
    theta = scalar("theta", theta, open_probability)
    nll = flag("nll", nll)
    factors = lk.bernoulli_pmf(y, theta)
    grid = np.arange(1, 200) / 200
    fig, (ax_f, ax_c) = figure(1, 2, figsize=(8.0, 3.4))
    labels = [f"y{i + 1} = {v}" for i, v in enumerate(y)]
    if nll:
        total = lk.bernoulli_nll(theta, y)[()]
        ax_f.bar(labels, -np.log(factors), color=PALETTE["orange"])
        ax_f.set(ylabel=r"$-\log P(y_i \mid \theta)$", title=f"Terms: their sum is {total:.4f}")
        ax_c.plot(grid, lk.bernoulli_nll(grid, y), color=PALETTE["orange"])
        ax_c.plot([theta], [total], "o", color=PALETTE["black"])
        ax_c.set(ylabel=r"$-\log L(\theta)$", title="Negative log-likelihood")
    else:
        product = np.prod(factors)
        ax_f.bar(labels, factors, color=PALETTE["blue"])
        ax_f.set(
            ylim=(0, 1.05), ylabel=r"$P(y_i \mid \theta)$", title=f"Factors: their product is {product:.5f}"
        )
        ax_c.plot(grid, lk.bernoulli_likelihood(grid, y), color=PALETTE["blue"])
        ax_c.plot([theta], [product], "o", color=PALETTE["black"])
        ax_c.set(ylim=(0, None), ylabel=r"$L(\theta)$", title="Likelihood")
    ax_c.axvline(theta, color=PALETTE["black"], linestyle=":", linewidth=1)
    ax_c.set(xlabel=rf"$\theta$ (now {theta:g})", xlim=(0, 1))
    return fig


def normal_likelihood_explorer(y, mu, sigma, window=((-2.0, 2.0), (0.3, 2.5))):
    """Left: the density at (mu, sigma) with the data's heights. Right: the likelihood's contour
    map with the point (mu, sigma) and the maximum likelihood estimate."""
    y = as_data("y", y)
    mu, sigma = scalar("mu", mu), scalar("sigma", sigma, as_positive)
    (mu_lo, mu_hi), (sigma_lo, sigma_hi) = mu_sigma_window(window)
    fig, (ax_d, ax_s) = figure(1, 2, figsize=(8.0, 3.4))
    grid = np.linspace(-4, 4, 401)
    ax_d.plot(grid, lk.normal_pdf(grid, mu, sigma), color=PALETTE["blue"])
    heights = lk.normal_pdf(y, mu, sigma)
    ax_d.vlines(y, 0, heights, color=PALETTE["vermillion"])
    ax_d.plot(y, heights, "o", color=PALETTE["vermillion"], label="the data's densities")
    ax_d.set(
        xlabel="y",
        ylabel=r"$p(y \mid \mu, \sigma)$",
        ylim=(0, None),
        title=f"L = {np.prod(heights):.5f}, NLL = {-np.sum(np.log(heights)):.4f}",
    )
    ax_d.legend(loc="upper left")
    mus, sigmas = np.meshgrid(np.linspace(mu_lo, mu_hi, 121), np.linspace(sigma_lo, sigma_hi, 121))
    ax_s.contourf(mus, sigmas, lk.normal_likelihood(mus, sigmas, y), levels=12)
    mu_hat, sigma_hat = lk.normal_mle(y)
    ax_s.plot(
        [mu_hat],
        [sigma_hat],
        "*",
        markersize=14,
        color=PALETTE["white"],
        markeredgecolor=PALETTE["black"],
        label="maximum",
    )
    ax_s.plot(
        [mu],
        [sigma],
        "o",
        color=PALETTE["orange"],
        markeredgecolor=PALETTE["black"],
        label=rf"$(\mu, \sigma) = ({mu:g}, {sigma:g})$",
    )
    ax_s.set(xlabel=r"$\mu$", ylabel=r"$\sigma$", title=r"$L(\mu, \sigma)$")
    ax_s.grid(False)
    ax_s.legend(loc="upper left", frameon=True)
    return fig


def classifier_explorer(x, y, w, b):
    """Left: the two classes with the lines theta = 0.1, 0.5, 0.9 of theta = sigmoid(w . x + b).
    Right: each point's predicted probability of class 1 against its logit."""
    x, y = _points(x, y, classes=2)
    w, b = _weights(w), scalar("b", b)
    z = x @ w + b
    theta = special.expit(z)
    bce = lk.binary_cross_entropy(y, theta)
    fig, (ax_p, ax_s) = figure(1, 2, figsize=(8.0, 3.6))
    colours = np.array(CYCLE)[y]
    ax_p.scatter(*x.T, s=14, c=colours, edgecolor=PALETTE["white"], linewidth=0.3)
    window = _window(x)
    if np.any(w != 0):
        for level, dash in [(0.1, "--"), (0.5, "-"), (0.9, "--")]:
            ax_p.plot(
                *_line(w, np.log(level / (1 - level)) - b, window),
                color=PALETTE["black"],
                linestyle=dash,
                linewidth=1.5 if level == 0.5 else 1,
            )
    ax_p.set(
        xlim=window[:2],
        ylim=window[2:],
        xlabel="$x_1$",
        ylabel="$x_2$",
        title=f"w = ({w[0]:g}, {w[1]:g}), b = {b:g}",
    )
    grid = np.linspace(min(z.min(), -6), max(z.max(), 6), 200)
    ax_s.plot(grid, special.expit(grid), color=PALETTE["black"], linewidth=1)
    ax_s.scatter(z, theta, s=14, c=colours, edgecolor=PALETTE["white"], linewidth=0.3)
    ax_s.set(
        xlabel=r"logit $w \cdot x + b$",
        ylabel=r"predicted $\theta_i$",
        title=f"Binary cross-entropy {bce:.4f}",
    )
    return fig


def regression_explorer(x, y, w, b, sigma):
    """Left: the data, the line b + w x and its +/- 2 sigma band. Right: the Gaussian NLL against
    the MSE for this sigma, a straight line, with the current line's point on it."""
    x, y = _xy(x, y)
    w, b, sigma = scalar("w", w), scalar("b", b), scalar("sigma", sigma, as_positive)
    n = x.size
    y_hat = b + w * x
    mse = float(np.mean((y - y_hat) ** 2))
    nll = float(lk.normal_nll(0.0, sigma, y - y_hat)[()])
    fig, (ax_l, ax_n) = figure(1, 2, figsize=(8.0, 3.4))
    grid = np.array([x.min(), x.max()])
    ax_l.fill_between(
        grid,
        b + w * grid - 2 * sigma,
        b + w * grid + 2 * sigma,
        color=PALETTE["blue"],
        alpha=0.2,
        label=r"$\pm 2 \sigma$",
    )
    ax_l.scatter(x, y, s=12, color=PALETTE["sky"], edgecolor=PALETTE["white"], linewidth=0.3)
    ax_l.plot(grid, b + w * grid, color=PALETTE["blue"], label=rf"$\hat y = {b:g} + {w:g} x$")
    ax_l.set(xlabel="x", ylabel="y", title=rf"MSE {mse:.4f}, NLL {nll:.2f} ($\sigma = {sigma:g}$)")
    ax_l.legend(loc="upper left")
    mses = np.linspace(0, max(2 * mse, 1.0), 50)
    ax_n.plot(
        mses, 0.5 * n * np.log(2 * np.pi * sigma**2) + n * mses / (2 * sigma**2), color=PALETTE["orange"]
    )
    ax_n.plot([mse], [nll], "o", color=PALETTE["black"])
    ax_n.set(
        xlabel="MSE",
        ylabel="NLL",
        title=r"$\mathrm{NLL} = \frac{n}{2} \log(2\pi\sigma^2) + \frac{n}{2\sigma^2} \mathrm{MSE}$",
    )
    return fig


def temperature_explorer(z, y, T, bins=10):
    """Chapter 11. Left: the reliability diagram of the probabilities sigmoid(z / T) for the labels
    `y`. Right: the mean NLL against the temperature (log axis), with the point at `T`."""
    from .calibration import MAX_LOGIT, mean_nll_of_logits, reliability_bins  # as the diagrams

    z = as_data("z", z)
    if np.any(np.abs(z) > MAX_LOGIT):
        raise ValueError(f"z must hold logits of at most {MAX_LOGIT:g} in absolute value")
    y = as_labels("y", y)
    if z.shape != y.shape:
        raise ValueError(f"z and y must have the same length, got {z.size} and {y.size}")
    T = scalar("T", T, as_positive)
    if not 0.01 <= T <= 100:
        raise ValueError(f"T must lie in [0.01, 100], got {T:g}")
    q = special.expit(z / T)
    counts, mean_q, freq = reliability_bins(q, y, bins)
    full = counts > 0
    ece = float(np.sum(counts[full] / z.size * np.abs(freq[full] - mean_q[full])))
    nll = mean_nll_of_logits(z, y, T)
    fig, (ax_r, ax_n) = figure(1, 2, figsize=(8.0, 3.4))
    ax_r.plot([0, 1], [0, 1], color=PALETTE["black"], linestyle=":", linewidth=1.5)
    ax_r.scatter(
        mean_q[full], freq[full], s=15 + 150 * counts[full] / z.size, color=PALETTE["blue"], zorder=3
    )
    ax_r.set(
        xlabel="predicted probability",
        ylabel="observed frequency of y = 1",
        xlim=(-0.02, 1.02),
        ylim=(-0.02, 1.02),
        title=f"T = {T:g}: ECE {ece:.3f}",
    )
    temperatures = np.geomspace(0.25, 50, 200)
    nlls = [mean_nll_of_logits(z, y, t) for t in temperatures]
    ax_n.plot(temperatures, nlls, color=PALETTE["orange"])
    ax_n.plot([T], [nll], "o", color=PALETTE["black"])
    ax_n.set(xscale="log", xlabel="temperature T", ylabel="mean NLL", title=f"NLL {nll:.3f} at T = {T:g}")
    return fig
