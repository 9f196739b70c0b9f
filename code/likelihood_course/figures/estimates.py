"""Figures of the estimates chapter: how good is a maximum likelihood estimate?

The simulations are the lesson and stay in the chapter; these functions only draw their results
(and the closed forms they are compared with)."""

import math

import numpy as np
from matplotlib.ticker import PercentFormatter

from .. import intervals
from .. import likelihood as lk
from .._checks import (
    as_data,
    as_labels,
    as_positive,
    as_probability,
    as_real,
    integer,
    open_probability,
    same_length,
    scalar,
    shown,
    text,
)
from ..style import PALETTE
from ._axes import axes, figure

__all__ = [
    "variance_bias",
    "sampling_distributions",
    "likelihood_learns",
    "nll_curvature",
    "confidence_intervals",
    "likelihood_ratio_interval",
    "interval_coverage",
]


def _sample_sizes(name, values, *, minimum=1):
    """A non-empty 1-D array of integers >= `minimum`."""
    arr = np.atleast_1d(as_real(name, values))
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty list of sample sizes, got {values!r}")
    if not np.all(np.isfinite(arr) & (arr == np.round(arr)) & (arr >= minimum)):
        raise ValueError(f"{name} must contain integers >= {minimum}, got {values!r}")
    return arr.astype(int)


def variance_bias(ns, mle_means, corrected_means=None, sigma2=1.0, ax=None):
    """Average variance estimates against the sample size n (log axis).

    `mle_means[i]` is the average of the MLE sigma_hat^2 (dividing by n) over simulated samples of
    size `ns[i]`, `corrected_means[i]` (optional) the average of the estimate dividing by n - 1.
    The curve is the formula E[sigma_hat^2] = (n - 1) / n * sigma2, the dotted line sigma2."""
    ns = _sample_sizes("ns", ns, minimum=2)
    mle_means = as_data("mle_means", mle_means)
    same_length("ns", ns, "mle_means", mle_means)
    if corrected_means is not None:
        corrected_means = as_data("corrected_means", corrected_means)
        same_length("ns", ns, "corrected_means", corrected_means)
    sigma2 = scalar("sigma2", sigma2, as_positive)
    ax = axes(ax)
    grid = np.geomspace(ns.min(), ns.max(), 200)
    ax.axhline(
        sigma2, color=PALETTE["black"], linestyle=":", linewidth=1.5, label=rf"true $\sigma^2 = {sigma2:g}$"
    )
    ax.plot(
        grid, (grid - 1) / grid * sigma2, color=PALETTE["blue"], label=r"formula $\frac{n-1}{n}\,\sigma^2$"
    )
    ax.plot(
        ns, mle_means, "o", color=PALETTE["orange"], label=r"simulated mean of $\hat\sigma^2$ (divide by $n$)"
    )
    if corrected_means is not None:
        ax.plot(ns, corrected_means, "s", color=PALETTE["green"], label=r"simulated mean, divide by $n - 1$")
    ax.set(
        xscale="log",
        xlabel="sample size n",
        ylabel="average variance estimate",
        title="The variance MLE is biased by (n - 1) / n",
    )
    ax.set_ylim(0, 1.15 * sigma2)
    ax.legend(loc="lower right")
    return ax


def sampling_distributions(estimates, truth=None, ax=None, bins=50, xlabel=r"$\hat\theta$"):
    """Histograms (as densities) of an estimate over simulated repeats, one per sample size.

    `estimates` maps a sample size n to the 1-D array of estimates from samples of that size;
    `truth`, if given, is drawn as a vertical line."""
    if not isinstance(estimates, dict) or not estimates:
        raise ValueError("estimates must be a non-empty dict {sample size n: array of estimates}")
    ns = _sample_sizes("estimates keys", list(estimates))
    values = [as_data(f"estimates[{n}]", estimates[n]) for n in estimates]
    truth = None if truth is None else scalar("truth", truth)
    bins = integer("bins", bins)
    xlabel = text("xlabel", xlabel)
    ax = axes(ax)
    colours = [PALETTE[c] for c in ("orange", "green", "blue", "vermillion", "purple", "sky")]
    for i, (n, v) in enumerate(zip(ns, values)):
        ax.hist(
            v,
            bins=bins,
            density=True,
            histtype="stepfilled",
            alpha=0.35,
            color=colours[i % len(colours)],
            edgecolor=colours[i % len(colours)],
            linewidth=1.5,
            label=f"n = {n}",
        )
    if truth is not None:
        ax.axvline(
            truth, color=PALETTE["black"], linestyle="--", linewidth=1.5, label=f"true value {truth:g}"
        )
    ax.set(xlabel=xlabel, ylabel="density over repeats", title="Sampling distribution of the estimate")
    ax.legend()
    return ax


def likelihood_learns(flips, ns=(0, 1, 2, 5, 20, 100), theta_true=None, ncols=3):
    """Small multiples of the Bernoulli likelihood after the first n of `flips`, one panel per n.

    Each curve is L(theta) / L(theta_hat), so that every panel peaks at 1 (after 0 flips the
    likelihood is flat). A dot marks the MLE k / n, a dashed line `theta_true` if given. Returns
    the Figure."""
    flips = as_labels("flips", flips)
    ns = _sample_sizes("ns", ns, minimum=0)
    if ns.max() > flips.size:
        raise ValueError(f"ns must not exceed the number of flips ({flips.size}), got {ns.max()}")
    if ns.size > 12:
        raise ValueError(f"ns must hold at most 12 sample sizes (one panel each), got {ns.size}")
    if theta_true is not None:
        theta_true = scalar("theta_true", theta_true, as_probability)
    ncols = integer("ncols", ncols)
    nrows = math.ceil(ns.size / ncols)
    fig, panels = figure(
        nrows, ncols, sharex=True, sharey=True, squeeze=False, figsize=(2.3 * ncols, 2.0 * nrows + 0.3)
    )
    theta = np.linspace(0.0, 1.0, 201)  # smooth in panels 2.3 in wide, and a light SVG
    for ax, n in zip(panels.flat, ns):
        k = int(flips[:n].sum())
        if n == 0:
            curve = np.ones_like(theta)
        else:
            theta_hat = k / n
            seen = flips[:n]
            curve = np.exp(lk.bernoulli_nll(theta_hat, seen) - lk.bernoulli_nll(theta, seen))
        ax.plot(theta, curve, color=PALETTE["blue"])
        ax.fill_between(theta, curve, color=PALETTE["blue"], alpha=0.15)
        if n > 0:
            ax.plot([k / n], [1.0], "o", color=PALETTE["orange"], markersize=5)
        if theta_true is not None:
            ax.axvline(theta_true, color=PALETTE["black"], linestyle="--", linewidth=1)
        heads = "head" if k == 1 else "heads"
        ax.set_title(f"n = {n}: {k} {heads}", fontsize=10)
        ax.set(
            xlim=(0, 1), ylim=(0, 1.1), xticks=[0, 0.5, 1], xticklabels=["0", "0.5", "1"], yticks=[0, 0.5, 1]
        )
    for ax in panels.flat[ns.size :]:
        ax.set_visible(False)
    for ax in panels[-1]:
        ax.set_xlabel(r"$\theta$")
    for ax in panels[:, 0]:
        ax.set_ylabel(r"$L(\theta) / L(\hat\theta)$")
    return fig


def nll_curvature(datasets, ax=None, window=0.3):
    """The Bernoulli NLL above its minimum, NLL(theta) - NLL(theta_hat), for each 0/1 data set,
    with its quadratic approximation I / 2 (theta - theta_hat)^2 (dashed), where
    I = n / (theta_hat (1 - theta_hat)) is the curvature at the minimum."""
    if isinstance(datasets, np.ndarray) and datasets.ndim == 1:
        datasets = [datasets]
    if not isinstance(datasets, (list, tuple)):
        raise ValueError(f"datasets must be a list of 0/1 data sets (or one), got {shown(datasets)}")
    datasets = [as_labels(f"datasets[{i}]", y) for i, y in enumerate(datasets)]
    if not datasets:
        raise ValueError("datasets must hold at least one 0/1 data set")
    for i, y in enumerate(datasets):
        if y.min() == y.max():
            raise ValueError(
                f"datasets[{i}] must contain both 0 and 1 (else the NLL has no "
                "interior minimum and no curvature)"
            )
    window = scalar("window", window, as_positive)
    ax = axes(ax)
    colours = [PALETTE[c] for c in ("blue", "vermillion", "green", "purple")]
    for i, y in enumerate(datasets):
        k, n = int(y.sum()), y.size
        theta_hat = k / n
        info = n / (theta_hat * (1 - theta_hat))
        theta = np.linspace(max(theta_hat - window, 1e-3), min(theta_hat + window, 1 - 1e-3), 301)
        excess = lk.bernoulli_nll(theta, y) - lk.bernoulli_nll(theta_hat, y)
        colour = colours[i % len(colours)]
        ax.plot(theta, excess, color=colour, label=rf"NLL, n = {n} ($\hat\theta = {theta_hat:.2f}$)")
        ax.plot(
            theta,
            0.5 * info * (theta - theta_hat) ** 2,
            color=colour,
            linestyle="--",
            linewidth=1.5,
            label=rf"quadratic, curvature {info:.0f}",
        )
    ax.set(
        xlabel=r"$\theta$",
        ylabel=r"$\mathrm{NLL}(\theta) - \mathrm{NLL}(\hat\theta)$",
        ylim=(0, 4),
        title="The curvature of the NLL at its minimum",
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
    return ax


def confidence_intervals(estimates, standard_errors, truth, z=1.96, ax=None):
    """One horizontal interval estimate +/- z * standard error per simulated repeat (bottom to
    top), blue if it covers `truth` (the dashed line), vermillion if it misses."""
    estimates = as_data("estimates", estimates)
    standard_errors = as_data("standard_errors", standard_errors)
    same_length("estimates", estimates, "standard_errors", standard_errors)
    if np.any(standard_errors < 0):
        raise ValueError("standard_errors must be >= 0")
    truth = scalar("truth", truth)
    z = scalar("z", z, as_positive)
    ax = axes(ax)
    low, high = estimates - z * standard_errors, estimates + z * standard_errors
    covers = (low <= truth) & (truth <= high)
    rows = np.arange(estimates.size)
    for mask, colour, label in [
        (covers, PALETTE["blue"], "covers the truth"),
        (~covers, PALETTE["vermillion"], "misses"),
    ]:
        if mask.any():
            ax.hlines(
                rows[mask],
                low[mask],
                high[mask],
                color=colour,
                linewidth=1.5,
                label=f"{label} ({int(mask.sum())})",
            )
            ax.plot(estimates[mask], rows[mask], "|", color=colour, markersize=5)
    ax.axvline(truth, color=PALETTE["black"], linestyle="--", linewidth=1.5, label=f"true value {truth:g}")
    ax.set(
        xlabel="interval",
        ylabel="repeat",
        ylim=(-1, estimates.size),
        title=rf"Intervals $\hat\theta \pm {z:.2f}\,\mathrm{{SE}}$",
    )
    ax.grid(False, axis="y")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax


def likelihood_ratio_interval(k, n, level=0.95, ax=None):
    """Two intervals read off one picture, for k heads (ones) in n flips (0 < k < n): the Bernoulli NLL
    above its minimum (solid) crosses the cutoff chi2(1).ppf(level) / 2 (dotted) at the ends of the
    likelihood-ratio interval (shaded); its parabola with the curvature at the minimum (dashed)
    crosses it at the ends of the Wald interval (vermillion ticks), which may pass below 0 or
    above 1."""
    k_arr, n = intervals._counts(k, n)
    if k_arr.size != 1:
        raise ValueError(f"k must be a single count, got {k!r}")
    k = int(k_arr.reshape(()))
    if not 0 < k < n:
        raise ValueError(
            f"k must lie strictly between 0 and n = {n} (else the NLL has no interior "
            f"minimum and no parabola), got {k}"
        )
    cutoff = intervals.lr_cutoff(level)
    lr_low, lr_high = intervals.lr_interval(k, n, level)
    wald_low, wald_high = intervals.wald_interval(k, n, level)
    theta_hat = k / n
    info = n / (theta_hat * (1 - theta_hat))
    left = min(lr_low, wald_low) - 0.05
    right = max(lr_high, wald_high) + 0.05
    ax = axes(ax)
    theta = np.linspace(max(left, 1e-4), min(right, 1 - 1e-4), 601)
    rise = lk.bernoulli_nll(theta, np.r_[np.ones(k), np.zeros(n - k)]) - lk.bernoulli_nll(
        theta_hat, np.r_[np.ones(k), np.zeros(n - k)]
    )
    grid = np.linspace(left, right, 601)
    ax.plot(theta, rise, color=PALETTE["blue"], label=r"NLL$(\theta)$ $-$ NLL$(\hat\theta)$")
    ax.plot(
        grid,
        0.5 * info * (grid - theta_hat) ** 2,
        color=PALETTE["vermillion"],
        linestyle="--",
        linewidth=1.5,
        label="its parabola (Wald)",
    )
    ax.axhline(cutoff, color=PALETTE["black"], linestyle=":", linewidth=1.5, label=f"cutoff {cutoff:.2f}")
    ax.axvspan(
        lr_low,
        lr_high,
        color=PALETTE["blue"],
        alpha=0.15,
        label=f"likelihood ratio [{lr_low:.3f}, {lr_high:.3f}]",
    )
    ax.plot(
        [wald_low, wald_high],
        [cutoff, cutoff],
        "|",
        color=PALETTE["vermillion"],
        markersize=18,
        markeredgewidth=2.5,
        label=f"Wald [{wald_low:.3f}, {wald_high:.3f}]",
    )
    if left < 0:
        ax.axvspan(
            left,
            0,
            color=PALETTE["black"],
            alpha=0.08,
            hatch="//",
            linewidth=0,
            label=r"impossible, $\theta < 0$",
        )
    if right > 1:
        ax.axvspan(
            1,
            right,
            color=PALETTE["black"],
            alpha=0.08,
            hatch="//",
            linewidth=0,
            label=r"impossible, $\theta > 1$",
        )
    ax.set(
        xlim=(left, right),
        ylim=(0, 2.5 * cutoff),
        xlabel=r"$\theta$",
        ylabel=r"rise of the NLL above its minimum",
        title=f"{k} {'head' if k == 1 else 'heads'} in {n} flips: two {level:.0%} intervals",
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
    return ax


def interval_coverage(ns, coverage, level=0.95, simulated=None, ax=None):
    """The coverage of interval methods against the sample size n, one line per method.

    `coverage` maps a method's name to its coverage (a fraction in [0, 1]) at each of `ns`;
    `simulated`, if given, maps a name from `coverage` to (sample sizes, simulated coverages),
    drawn as dots in the method's colour. The dotted line is the promised `level`."""
    ns = _sample_sizes("ns", ns)
    if not isinstance(coverage, dict) or not coverage:
        raise ValueError("coverage must be a non-empty dict {method name: coverage at each n}")
    lines = {}
    for name, values in coverage.items():
        values = as_probability(f"coverage[{name!r}]", as_data(f"coverage[{name!r}]", values))
        same_length("ns", ns, f"coverage[{name!r}]", values)
        lines[name] = values
    simulated = {} if simulated is None else simulated
    if not isinstance(simulated, dict):
        raise ValueError("simulated must be a dict {method name: (sample sizes, coverages)}")
    points = {}
    for name, pair in simulated.items():
        if name not in lines:
            raise ValueError(f"simulated names a method that coverage lacks: {name!r}")
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValueError(f"simulated[{name!r}] must be a pair (sample sizes, coverages)")
        sim_ns = _sample_sizes(f"simulated[{name!r}] sample sizes", pair[0])
        sim = as_probability(
            f"simulated[{name!r}] coverages", as_data(f"simulated[{name!r}] coverages", pair[1])
        )
        if sim.size != sim_ns.size:
            raise ValueError(f"simulated[{name!r}] must pair one coverage with each sample size")
        points[name] = (sim_ns, sim)
    level = scalar("level", level, open_probability)
    ax = axes(ax)
    colours = [PALETTE[c] for c in ("vermillion", "blue", "green", "purple", "orange", "sky")]
    for i, (name, values) in enumerate(lines.items()):
        colour = colours[i % len(colours)]
        ax.plot(ns, values, color=colour, linewidth=1.5, label=name)
        if name in points:
            ax.plot(
                *points[name],
                "o",
                color=colour,
                markersize=6,
                markeredgecolor=PALETTE["white"],
                label=f"{name}, simulated",
            )
    ax.axhline(level, color=PALETTE["black"], linestyle=":", linewidth=1.5, label=f"promised {level:.0%}")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set(xlabel="number of flips n", ylabel="coverage", title="How often the interval covers")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
    return ax
