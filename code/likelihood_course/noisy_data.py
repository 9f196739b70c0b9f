"""Seeded data sets for the regression and losses chapters: a curve that a straight line cannot
follow (for a small network), a line with a few gross outliers, and counts. Like `data`, each
generator takes `n` and `seed` (an integer in [0, 2**32 - 1]) and returns the same numbers at every
build; nothing is downloaded."""

import numpy as np

from ._checks import as_finite, as_positive, as_seed, finite_result, integer, scalar

__all__ = ["wave", "line_with_outliers", "counts"]


def wave(n=30, sigma=0.3, seed=3):
    """y = sin(1.5 x) + 0.5 x + Normal(0, sigma) noise, x uniform on [-3, 3]: a curve that a small
    network can fit and a straight line cannot. Another `seed` gives held-out data from the same
    generator.

    Returns x and y, each of shape (n,), sorted by x."""
    n, seed = integer("n", n), as_seed(seed)
    sigma = scalar("sigma", sigma, as_positive)
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-3, 3, size=n))
    with np.errstate(over="ignore", invalid="ignore"):
        y = wave_mean(x) + rng.normal(scale=sigma, size=n)
    return x, finite_result("sigma", y)


def wave_mean(x):
    """The true mean of `wave`'s y at x: sin(1.5 x) + 0.5 x."""
    x = as_finite("x", x)
    with np.errstate(over="ignore", invalid="ignore"):  # |x| near float64's limit: inf, then NaN
        return finite_result("x", np.sin(1.5 * x) + 0.5 * x)


def line_with_outliers(n=40, n_outliers=4, slope=0.5, intercept=1.0, sigma=0.5, shift=-8.0, seed=1):
    """y = intercept + slope * x + Normal(0, sigma) noise, x uniform on [0, 10], except that the
    `n_outliers` points with the largest x are moved by `shift` (a sensor that fails at the end
    of its range, say).

    Returns x, y and a boolean mask `outlier`, each of shape (n,), sorted by x."""
    n, seed = integer("n", n), as_seed(seed)
    if integer("n_outliers", n_outliers, minimum=0) >= n / 2:
        raise ValueError(f"n_outliers must be an integer in [0, n/2), got {n_outliers!r}")
    slope, intercept, shift = scalar("slope", slope), scalar("intercept", intercept), scalar("shift", shift)
    sigma = scalar("sigma", sigma, as_positive)
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0, 10, size=n))
    outlier = np.zeros(n, dtype=bool)
    if n_outliers:
        outlier[-n_outliers:] = True
    with np.errstate(over="ignore", invalid="ignore"):
        y = intercept + slope * x + rng.normal(scale=sigma, size=n) + np.where(outlier, shift, 0.0)
    return x, finite_result("slope, intercept, sigma and shift", y), outlier


def counts(n=150, intercept=0.5, slope=0.8, seed=0):
    """Poisson counts with a log link: y ~ Poisson(lam), lam = exp(intercept + slope * x), x
    uniform on [0, 3].

    Returns x (float), y (int) and the true mean lam, each of shape (n,), sorted by x."""
    n, seed = integer("n", n), as_seed(seed)
    intercept, slope = scalar("intercept", intercept), scalar("slope", slope)
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0, 3, size=n))
    with np.errstate(over="ignore", invalid="ignore"):
        lam = np.exp(intercept + slope * x)
    if not np.all(np.isfinite(lam)) or lam.max() > 1e6:
        raise ValueError("intercept and slope must keep exp(intercept + slope * x) below 1e6 on [0, 3]")
    return x, rng.poisson(lam), lam
