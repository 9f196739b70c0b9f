"""The formulas of the course in NumPy: pmf/pdf, likelihood, negative log-likelihood and closed-form
maximum likelihood estimates for the Bernoulli and Normal models, and the cross-entropies.

The chapters compute these quantities in view, with NumPy, scipy.stats and TensorFlow Probability.
This module computes them for what the chapters do not show: the figures, the explorers (whose
data and reference values the browser receives) and the answers of the self-check questions.
tests/test_likelihood.py holds it against scipy.stats and closed forms.

Parameters broadcast against a grid: `bernoulli_likelihood(thetas, y)` with `thetas` of shape (m,)
returns m likelihoods, one per theta, each a product over the whole data set `y`.
"""

import numpy as np
from scipy.special import xlog1py, xlogy

from ._checks import (
    as_data,
    as_finite,
    as_labels,
    as_positive,
    as_probability,
    as_real,
    flat,
    like,
    open_probability,
    same_length,
)

LOG_2PI = np.log(2 * np.pi)


# Bernoulli: y in {0, 1}, P(y | theta) = theta^y (1 - theta)^(1 - y)


def bernoulli_pmf(y, theta):
    """P(y | theta) for each label y; theta is one number or one per label."""
    y = as_labels("y", flat("y", np.atleast_1d(as_real("y", y, bools=True))))
    theta = like("theta", as_probability("theta", theta), "y", y)
    return np.where(y == 1, theta, 1 - theta)


def bernoulli_nll(theta, y):
    """Negative log-likelihood -sum_i log P(y_i | theta), one value per theta."""
    y = as_labels("y", y)
    theta = as_probability("theta", theta)[..., None]
    k, n = y.sum(), y.size
    with np.errstate(divide="ignore"):  # theta = 0 or 1 with data against it: NLL = +inf, as it should
        return -(xlogy(k, theta) + xlog1py(n - k, -theta))[..., 0]


def bernoulli_likelihood(theta, y):
    """L(theta) = prod_i theta^y_i (1 - theta)^(1 - y_i), one value per theta."""
    return np.exp(-bernoulli_nll(theta, y))


def bernoulli_mle(y):
    """The closed-form MLE: the fraction of ones."""
    return float(as_labels("y", y).mean())


# Normal: p(y | mu, sigma) = exp(-(y - mu)^2 / (2 sigma^2)) / sqrt(2 pi sigma^2)
#
# Computed through the standardised residual z = (y - mu) / sigma, which stays finite where
# (y - mu)^2 or sigma^2 alone would overflow float64; a z that itself overflows is refused.


def _standardised(y, mu, sigma):
    with np.errstate(over="ignore", invalid="ignore"):
        z = (y - mu) / sigma
    if not np.all(np.isfinite(z)):
        raise ValueError("y, mu and sigma must be within float64's range: (y - mu) / sigma overflows")
    return z


def normal_pdf(y, mu, sigma):
    """The density p(y | mu, sigma) at each y; mu and sigma are one number each or one per y."""
    y = as_finite("y", y)
    mu = like("mu", as_finite("mu", mu), "y", y)
    sigma = like("sigma", as_positive("sigma", sigma), "y", y)
    z = _standardised(y, mu, sigma)
    with np.errstate(over="ignore", under="ignore", divide="ignore"):  # z^2 = inf: a density of 0
        density = np.exp(-0.5 * z**2) / (np.sqrt(2 * np.pi) * sigma)
    if not np.all(np.isfinite(density)):
        raise ValueError("sigma must be at least about 1e-308 near y = mu: the density overflows float64")
    return density


def normal_nll(mu, sigma, y):
    """NLL = n/2 log(2 pi sigma^2) + sum_i (y_i - mu)^2 / (2 sigma^2), broadcast over (mu, sigma)."""
    y = as_data("y", y)
    mu, sigma = as_finite("mu", mu), as_positive("sigma", sigma)
    try:
        np.broadcast_shapes(mu.shape, sigma.shape)
    except ValueError:
        raise ValueError(
            f"mu and sigma must be single numbers or grids of one shape, got shapes "
            f"{mu.shape} and {sigma.shape}"
        ) from None
    z = _standardised(y, mu[..., None], sigma[..., None])
    with np.errstate(over="ignore"):
        nll = y.size * (0.5 * LOG_2PI + np.log(sigma)) + 0.5 * np.sum(z**2, axis=-1)
    if not np.all(np.isfinite(nll)):
        raise ValueError("y must lie within float64's range of mu in units of sigma: the NLL overflows")
    return nll


def normal_likelihood(mu, sigma, y):
    """L(mu, sigma) = prod_i p(y_i | mu, sigma), broadcast over (mu, sigma)."""
    return np.exp(-normal_nll(mu, sigma, y))


def normal_mle(y):
    """The closed-form MLEs (mu_hat, sigma_hat): the mean and the root mean squared deviation
    (dividing by n, not n - 1)."""
    y = as_data("y", y)
    scale = np.max(np.abs(y)) or 1.0  # computed on y / scale, which cannot overflow
    u = y / scale
    mu = u.mean()
    return float(scale * mu), float(scale * np.sqrt(np.mean((u - mu) ** 2)))


# Cross-entropies: the mean NLL of a classifier's predicted distributions


def binary_cross_entropy(y, p):
    """Mean Bernoulli NLL of labels y under predicted probabilities p (no clipping). Each may be
    of shape (n,) or (n, 1), as Keras' labels and predictions are."""
    y = as_labels("y", flat("y", as_real("y", y, bools=True)))
    p = flat("p", open_probability("p", p))
    same_length("y", y, "p", p)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log1p(-p)))


def sparse_categorical_cross_entropy(y, probs):
    """Mean categorical NLL of integer labels y (shape (n,) or (n, 1)) under rows of class
    probabilities `probs` (n, K). A class that was not observed may have probability 0; the
    observed one must not."""
    probs = as_probability("probs", probs)
    if probs.ndim != 2:
        raise ValueError(f"probs must be a 2-D array (n, K), got shape {probs.shape}")
    if not np.allclose(probs.sum(axis=1), 1.0):
        raise ValueError("probs must have rows that sum to 1")
    y = as_labels("y", flat("y", as_real("y", y, bools=True)), classes=probs.shape[1])
    same_length("y", y, "probs", probs)
    observed = probs[np.arange(y.size), y]
    if not np.all(observed > 0):
        raise ValueError("probs must give each observed class y a probability > 0")
    return float(-np.mean(np.log(observed)))


def softmax(logits):
    """Row-wise softmax, shifted by the row maximum so that exp never overflows."""
    z = as_finite("logits", logits)
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)
