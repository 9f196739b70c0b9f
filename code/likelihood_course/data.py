"""Seeded data sets: the same numbers at every build, so that every number quoted in the text is
the same too. Each generator takes `n` and `seed` (an integer in [0, 2**32 - 1]); nothing is
downloaded. A generator whose numbers would overflow float64 refuses its arguments instead of
returning an infinity."""

import numpy as np

from ._checks import as_finite, as_positive, as_probability, as_seed, finite_result, integer, scalar

#: The interval that `linear` and `heteroscedastic` draw x from.
X_RANGE = (-3.0, 3.0)

#: The reading's five coin flips: three tails, one head, one tail.
COIN_FLIPS = np.array([0, 0, 0, 1, 0])

#: The reading's three observations for the Normal example.
NORMAL_EXAMPLE = np.array([-1.0, 0.0, 1.0])


def coin_flips(n=100, theta=0.3, seed=0):
    """n Bernoulli(theta) draws, as a 0/1 integer array."""
    n, seed = integer("n", n), as_seed(seed)
    theta = scalar("theta", theta, as_probability)
    return (np.random.default_rng(seed).random(n) < theta).astype(int)


def two_classes(n=200, seed=0):
    """Two overlapping Gaussian blobs in the plane, labelled 0 and 1 (n points in all).

    Returns x of shape (n, 2) and y of shape (n,)."""
    n, seed = integer("n", n), as_seed(seed)
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    centres = np.array([[-1.0, -0.5], [1.0, 0.75]])
    x = centres[y] + rng.normal(scale=1.0, size=(n, 2))
    order = rng.permutation(n)
    return x[order], y[order]


def three_classes(n=300, seed=0):
    """Three Gaussian blobs in the plane, labelled 0, 1 and 2. Returns x (n, 2) and y (n,)."""
    n, seed = integer("n", n), as_seed(seed)
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 3
    angles = 2 * np.pi * np.arange(3) / 3 + np.pi / 2
    centres = 2.0 * np.column_stack([np.cos(angles), np.sin(angles)])
    x = centres[y] + rng.normal(scale=0.9, size=(n, 2))
    order = rng.permutation(n)
    return x[order], y[order]


def linear(n=100, slope=0.8, intercept=1.0, sigma=0.5, seed=0):
    """y = intercept + slope * x + Normal(0, sigma) noise, x uniform on [-3, 3].

    Returns x and y, each of shape (n,), sorted by x so that lines draw cleanly."""
    n, seed = integer("n", n), as_seed(seed)
    slope, intercept = scalar("slope", slope), scalar("intercept", intercept)
    sigma = scalar("sigma", sigma, as_positive)
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(*X_RANGE, size=n))
    with np.errstate(over="ignore", invalid="ignore"):
        y = intercept + slope * x + rng.normal(scale=sigma, size=n)
    return x, finite_result("slope, intercept and sigma", y)


def heteroscedastic(n=200, slope=0.8, intercept=1.0, seed=0):
    """Like `linear`, but the noise grows with x: sigma(x) = 0.1 + 0.3 * (x + 3).

    Returns x, y and the true sigma(x), each of shape (n,)."""
    n, seed = integer("n", n), as_seed(seed)
    slope, intercept = scalar("slope", slope), scalar("intercept", intercept)
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(*X_RANGE, size=n))
    sigma = noise_scale(x)
    with np.errstate(over="ignore", invalid="ignore"):
        y = intercept + slope * x + rng.normal(size=n) * sigma
    return x, finite_result("slope and intercept", y), sigma


def noise_scale(x):
    """The true noise standard deviation of `heteroscedastic` at x, for x in [-3, 3] (outside
    that interval the formula would give a standard deviation of 0.1 or less, or a negative one)."""
    x = as_finite("x", x)
    if np.any((x < X_RANGE[0]) | (x > X_RANGE[1])):
        raise ValueError(f"x must lie in [{X_RANGE[0]:g}, {X_RANGE[1]:g}], where the noise scale is defined")
    return 0.1 + 0.3 * (x - X_RANGE[0])
