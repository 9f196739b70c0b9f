"""Confidence intervals for a Bernoulli probability theta from k ones in n flips: Wald, Wilson
(score) and likelihood-ratio.

The chapter writes the Wald and Wilson formulas out in view; these are the reference versions
that its figures and the tests use. The likelihood-ratio interval has no closed form: its ends are
where the negative log-likelihood rises by half the chi-square(1) quantile above its minimum, found
here by bisection on all the counts at once. Counts k may be arrays (one interval per count).
"""

import numpy as np
from scipy import stats
from scipy.special import xlog1py, xlogy

from ._checks import as_real, integer, open_probability, scalar, shown

__all__ = ["wald_interval", "wilson_interval", "lr_cutoff", "lr_interval"]


def _counts(k, n):
    """(k as a float array of integers in [0, n], n as an int)."""
    n = integer("n", n)
    allowed = f"k must contain whole numbers in [0, n] = [0, {n}] (ints or floats), got {shown(k)}"
    try:
        arr = as_real("k", k)  # no text, booleans or complex numbers read as counts
    except ValueError:
        raise ValueError(allowed) from None
    if arr.size == 0:
        raise ValueError("k must not be empty")
    if not np.all(np.isfinite(arr) & (arr == np.round(arr)) & (arr >= 0) & (arr <= n)):
        raise ValueError(allowed)
    return arr, n


def _level(level):
    return scalar("level", level, open_probability)


def _z(level):
    """The two-sided normal quantile z with P(|Z| <= z) = level, from the upper tail (1 - level) / 2:
    1 - level is exact for a level near 1, where 0.5 + level / 2 would round to 1 (z = inf)."""
    return float(stats.norm.isf((1 - _level(level)) / 2))


def wald_interval(k, n, level=0.95):
    """theta_hat -/+ z sqrt(theta_hat (1 - theta_hat) / n), not clipped to [0, 1]."""
    k, n = _counts(k, n)
    z = _z(level)
    theta_hat = k / n
    half = z * np.sqrt(theta_hat * (1 - theta_hat) / n)
    return (theta_hat - half)[()], (theta_hat + half)[()]


def wilson_interval(k, n, level=0.95):
    """The Wilson (score) interval: every theta with |theta_hat - theta| <= z sqrt(theta (1 - theta)
    / n), the standard error taken at theta itself. Its ends solve a quadratic in theta."""
    k, n = _counts(k, n)
    z = _z(level)
    theta_hat = k / n
    centre = (k + z**2 / 2) / (n + z**2)
    half = z * np.sqrt(n) / (n + z**2) * np.sqrt(theta_hat * (1 - theta_hat) + z**2 / (4 * n))
    return (centre - half)[()], (centre + half)[()]


def lr_cutoff(level=0.95):
    """How far the NLL may rise above its minimum inside the interval: chi2(1).ppf(level) / 2
    (1.92 for 95%)."""
    return float(stats.chi2(df=1).isf(1 - _level(level)) / 2)  # the upper tail: exact near level 1


def _nll(theta, k, n):
    return -(xlogy(k, theta) + xlog1py(n - k, -theta))


def lr_interval(k, n, level=0.95, iterations=80):
    """The likelihood-ratio interval {theta : NLL(theta) - NLL(theta_hat) <= lr_cutoff(level)}.

    Each end is found by bisection between theta_hat, where the rise is 0, and the edge of [0, 1],
    where it is infinite; with no ones the lower end is 0, with only ones the upper end is 1."""
    k, n = _counts(k, n)
    iterations = integer("iterations", iterations)
    cutoff = lr_cutoff(level)
    theta_hat = k / n
    floor = _nll(theta_hat, k, n)

    def outside(theta):
        with np.errstate(divide="ignore"):
            return _nll(theta, k, n) - floor > cutoff

    # lower end: in [0, theta_hat]; `a` stays outside the interval (or at 0), `b` inside
    a, b = np.zeros_like(theta_hat), theta_hat.copy()
    for _ in range(iterations):
        m = (a + b) / 2
        out = outside(m)
        a, b = np.where(out, m, a), np.where(out, b, m)
    low = np.where(k == 0, 0.0, (a + b) / 2)
    # upper end: in [theta_hat, 1]; `a` inside, `b` outside (or at 1)
    a, b = theta_hat.copy(), np.ones_like(theta_hat)
    for _ in range(iterations):
        m = (a + b) / 2
        out = outside(m)
        a, b = np.where(out, a, m), np.where(out, m, b)
    high = np.where(k == n, 1.0, (a + b) / 2)
    return low[()], high[()]
