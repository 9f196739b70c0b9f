"""Figures of the calibration chapter: expected scores against the reported probability, reliability
diagrams, and histograms of PIT values."""

import numpy as np

from .._checks import as_labels, as_probability, integer, open_probability, same_length, scalar, shown
from ..style import PALETTE
from ._axes import axes, figure

__all__ = ["reliability_bins", "expected_scores", "reliability_diagram", "pit_histograms"]

_COLOURS = (PALETTE["blue"], PALETTE["vermillion"], PALETTE["green"], PALETTE["purple"])


#: The largest logit, in absolute value, that the temperature explorer takes: divided by the
#: smallest temperature it tries, 0.01, it stays far within float64's range.
MAX_LOGIT = 1e6


def mean_nll_of_logits(z, y, T=1.0):
    """The mean Bernoulli NLL of the labels `y` under the probabilities sigmoid(z / T), from the
    logits `z` without overflow: log(1 + e^s) - y s with s = z / T. (The callers check `z`, `y`.)"""
    s = np.asarray(z, dtype=float) / T
    return float(np.mean(np.logaddexp(0.0, s) - y * s))


def reliability_bins(p, y, bins=10):
    """The equal-width bins of [0, 1] that a reliability diagram and the ECE use: for each of the
    `bins` bins, the number of predictions `p` that fall in it (the last bin includes 1), their
    mean and the share of labels `y` equal to 1 among them (NaN for an empty bin). Returns
    (counts, mean predicted probability, observed frequency), each of shape (bins,)."""
    p = as_probability("p", p)
    if p.ndim != 1:
        raise ValueError(f"p must be a 1-D array, got shape {p.shape}")
    y = as_labels("y", y)
    same_length("p", p, "y", y)
    bins = integer("bins", bins)
    index = np.minimum((p * bins).astype(int), bins - 1)  # bin b holds [b/bins, (b+1)/bins)
    counts = np.bincount(index, minlength=bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_p = np.bincount(index, weights=p, minlength=bins) / counts
        freq = np.bincount(index, weights=y, minlength=bins) / counts
    return counts, mean_p, freq


def expected_scores(p, ax=None):
    """The expected penalty of reporting the probability q when an event has the true probability
    `p` (in (0, 1)), against q: the log score (expected NLL), the Brier score and the error rate
    of the decision q > 1/2. The first two are lowest at q = p; the error rate is flat on each
    side of 1/2."""
    p = scalar("p", p, open_probability)
    ax = axes(ax)
    q = np.linspace(0.005, 0.995, 397)
    log_score = -(p * np.log(q) + (1 - p) * np.log(1 - q))
    brier = p * (1 - q) ** 2 + (1 - p) * q**2
    error = np.where(q > 0.5, 1 - p, p)
    ax.plot(q, log_score, color=_COLOURS[0], label="log score (expected NLL)")
    ax.plot(q, brier, color=_COLOURS[1], label="Brier score")
    ax.plot(q[q < 0.5], error[q < 0.5], color=_COLOURS[2], label="error rate (1 - accuracy)")
    ax.plot(q[q > 0.5], error[q > 0.5], color=_COLOURS[2])
    ax.axvline(p, color=PALETTE["black"], linestyle=":", linewidth=1.5, label=f"true probability p = {p:g}")
    ax.set(
        xlabel="reported probability q",
        ylabel="expected penalty",
        ylim=(0, 1.6),
        title=f"Expected penalties when the true probability is {p:g}",
    )
    ax.legend(loc="upper center", fontsize=9)
    return ax


def reliability_diagram(models, y, bins=10):
    """One panel per entry of `models`, a dict that maps a model's name to its predicted
    probabilities of y = 1 for the labels `y`: the observed frequency of y = 1 in each of `bins`
    equal-width bins against the bin's mean predicted probability (points, sized by the bin's
    count), the diagonal of perfect calibration, and the gap to it as bars. Returns the Figure."""
    y = as_labels("y", y)
    bins = integer("bins", bins)
    if not isinstance(models, dict) or not models:
        raise ValueError(f"models must be a non-empty dict {{name: probabilities}}, got {shown(models)}")
    checked = {}
    for name, p in models.items():
        p = as_probability(f"models[{name!r}]", p)
        if p.shape != y.shape:
            raise ValueError(f"models[{name!r}] must have the shape of y {y.shape}, got {p.shape}")
        checked[name] = reliability_bins(p, y, bins)
    fig, panels = figure(1, len(checked), figsize=(3.4 * len(checked), 3.4), sharey=True, squeeze=False)
    for ax, (name, (counts, mean_p, freq)), colour in zip(panels.flat, checked.items(), _COLOURS):
        full = counts > 0
        ax.plot([0, 1], [0, 1], color=PALETTE["black"], linestyle=":", linewidth=1.5, label="calibrated")
        ax.vlines(
            mean_p[full],
            np.minimum(mean_p, freq)[full],
            np.maximum(mean_p, freq)[full],
            color=PALETTE["vermillion"],
            linewidth=2,
            label="gap",
        )
        sizes = 15 + 150 * counts[full] / counts.sum()
        ax.scatter(mean_p[full], freq[full], s=sizes, color=colour, zorder=3, label="bins")
        ax.set(title=name, xlabel="predicted probability", xlim=(-0.02, 1.02), ylim=(-0.02, 1.02))
        ax.legend(loc="upper left", fontsize=9)
    for ax in panels[:, 0]:
        ax.set_ylabel("observed frequency of y = 1")
    return fig


def pit_histograms(pits, bins=10):
    """One panel per entry of `pits`, a dict that maps a model's name to its PIT values (in [0, 1]):
    their histogram over `bins` equal-width bins, as a density, with the level 1 of the uniform
    density that a calibrated model's PIT values follow. Returns the Figure."""
    bins = integer("bins", bins)
    if not isinstance(pits, dict) or not pits:
        raise ValueError(f"pits must be a non-empty dict {{name: PIT values}}, got {shown(pits)}")
    checked = {}
    for name, u in pits.items():
        u = as_probability(f"pits[{name!r}]", u)
        if u.ndim != 1:
            raise ValueError(f"pits[{name!r}] must be a 1-D array, got shape {u.shape}")
        checked[name] = u
    columns = 2 if len(checked) > 1 else 1
    rows = -(-len(checked) // columns)
    fig, panels = figure(rows, columns, figsize=(2.4 * columns, 2.3 * rows), sharex=True, squeeze=False)
    edges = np.linspace(0, 1, bins + 1)
    for ax, (name, u), colour in zip(panels.flat, checked.items(), _COLOURS * 2):
        ax.hist(u, bins=edges, density=True, color=colour, alpha=0.75, edgecolor=PALETTE["white"])
        ax.axhline(1, color=PALETTE["black"], linestyle=":", linewidth=1.5)
        ax.set(title=name, xlim=(0, 1))
    for ax in panels.flat[len(checked) :]:
        ax.set_visible(False)
    for ax in panels[-1, :]:
        ax.set_xlabel("PIT value")
    for ax in panels[:, 0]:
        ax.set_ylabel("density")
    return fig
