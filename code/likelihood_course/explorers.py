"""Explorers: interactive figures that run in the reader's browser, with no kernel and no network.

Each function returns an `Explorer`: the data, the slider settings and the reference values, taken
from this package (the same seeded data as the chapters' figures), plus a static figure at the
sliders' starting values. In a notebook it displays as

- `application/vnd.likelihood-course.explorer+json`: the payload, which the course site turns into
  sliders and plots computed in the browser (`_assets/explorers.js`, Observable Plot);
- `image/png`: the static figure, which JupyterLab shows (and, where the kernel's inline backend
  emits PDF too, as the course build's does, `application/pdf`, which the PDF book prints);
- `text/plain`: a one-line description.

The browser computes the formulas itself; the tests hold the numbers it shows against the NumPy
references in `likelihood`.
"""

import base64
import io

import matplotlib.pyplot as plt
import numpy as np
from scipy import optimize, special

from . import data, style
from . import likelihood as lk
from ._checks import as_data, as_labels, flag, same_length, scalar
from ._mime import EXPLORER as MIME
from .figures import explorers as static
from .figures import map as static_map
from .figures.calibration import MAX_LOGIT, mean_nll_of_logits

__all__ = [
    "Explorer",
    "MIME",
    "pmf_pdf",
    "bernoulli_likelihood",
    "normal_likelihood",
    "classifier",
    "regression",
    "temperature",
]


class Explorer:
    """An interactive figure: `payload` for the browser, `figure()` for print and notebooks."""

    def __init__(self, kind, title, sliders, data, reference, figure, switch=None):
        self.payload = {
            "kind": kind,
            "title": title,
            "sliders": sliders,
            "switch": switch,
            "data": data,
            "reference": reference,
            "colors": style.PALETTE,
        }
        self._figure = figure

    def figure(self):
        """The static figure at the sliders' starting values (a matplotlib Figure)."""
        return self._figure()

    def start(self, name):
        """The starting value of slider `name`."""
        for slider in self.payload["sliders"]:
            if slider["name"] == name:
                return slider["value"]
        names = [slider["name"] for slider in self.payload["sliders"]]
        raise ValueError(f"name must be one of the sliders {names}, got {name!r}")

    def _repr_mimebundle_(self, include=None, exclude=None):
        fig = self.figure()
        bundle = {MIME: self.payload}
        for fmt in _figure_formats():
            buf = io.BytesIO()
            fig.savefig(buf, format=fmt)
            bundle[FIGURE_MIME[fmt]] = base64.b64encode(buf.getvalue()).decode("ascii")
        plt.close(fig)
        bundle["text/plain"] = f"Explorer: {self.payload['title']} (interactive on the course website)"
        return bundle


FIGURE_MIME = {"png": "image/png", "pdf": "application/pdf"}


def _figure_formats():
    """The figure formats that the running IPython kernel's inline backend emits (those it can
    among FIGURE_MIME), as every other figure of the chapter is emitted; PNG outside IPython."""
    try:
        from IPython import get_ipython
        from matplotlib_inline.config import InlineBackend
    except ImportError:
        return ["png"]
    shell = get_ipython()
    if shell is None:
        return ["png"]
    formats = InlineBackend.instance(parent=shell).figure_formats
    return [fmt for fmt in FIGURE_MIME if fmt in formats] or ["png"]


def _slider(name, label, low, high, step, value):
    """A slider's settings; `label` is plain text (the page shows it next to the slider). `value`
    is the function's argument `name`: one number in [low, high]."""
    value = scalar(name, value)
    if not low <= value <= high:
        raise ValueError(f"{name} must lie in [{low:g}, {high:g}] (its slider's range), got {value:g}")
    return {"name": name, "label": label, "min": low, "max": high, "step": step, "value": value}


def _floats(values):
    return [float(v) for v in np.ravel(values)]


def pmf_pdf(theta=0.3, mu=0.0, sigma=1.0):
    """Chapter 1: the Bernoulli pmf with a theta slider, the Normal pdf with mu and sigma sliders."""
    sliders = [
        _slider("theta", "θ (Bernoulli)", 0.0, 1.0, 0.01, theta),
        _slider("mu", "μ (Normal)", -2.0, 2.0, 0.1, mu),
        _slider("sigma", "σ (Normal)", 0.1, 2.0, 0.05, sigma),
    ]
    theta, mu, sigma = (slider["value"] for slider in sliders)
    return Explorer(
        "pmf-pdf",
        "Probability mass and density",
        sliders,
        data={"y_range": [-4.0, 4.0]},
        reference={"sigma_peak_one": float(1 / np.sqrt(2 * np.pi))},
        figure=lambda: static.pmf_pdf_explorer(theta, mu, sigma),
    )


def bernoulli_likelihood(y=data.COIN_FLIPS, theta=0.3, nll=False):
    """Chapters 2 and 4: each flip's factor as a bar, their product L(theta) and the point on the
    likelihood curve; with the switch (on at the start if `nll`), the NLL, where the product
    becomes a sum."""
    y = as_labels("y", y)
    sliders = [_slider("theta", "θ", 0.01, 0.99, 0.01, theta)]
    theta, nll = sliders[0]["value"], flag("nll", nll)
    switch = {"name": "nll", "label": "Show the negative log-likelihood", "value": nll}
    return Explorer(
        "bernoulli-likelihood",
        "The Bernoulli likelihood",
        sliders,
        data={"y": [int(v) for v in y]},
        reference={"theta_hat": lk.bernoulli_mle(y)},
        figure=lambda: static.bernoulli_likelihood_explorer(y, theta, nll=nll),
        switch=switch,
    )


def normal_likelihood(y=data.NORMAL_EXAMPLE, mu=0.5, sigma=1.2, window=((-2.0, 2.0), (0.3, 2.5))):
    """Chapter 3: mu and sigma sliders over the data; the density with the data's heights, the
    likelihood and the NLL, and the point (mu, sigma) on the likelihood's contour map with the
    maximum likelihood estimate."""
    y = as_data("y", y)
    window = (mu_lo, mu_hi), (sigma_lo, sigma_hi) = static.mu_sigma_window(window)
    sliders = [
        _slider("mu", "μ", mu_lo, mu_hi, 0.05, mu),
        _slider("sigma", "σ", sigma_lo, sigma_hi, 0.05, sigma),
    ]
    mu, sigma = (slider["value"] for slider in sliders)
    mu_hat, sigma_hat = lk.normal_mle(y)
    if not sigma_hat > 0:
        raise ValueError("y must hold at least two different values (else the likelihood has no maximum)")
    return Explorer(
        "normal-likelihood",
        "The Normal likelihood",
        sliders,
        data={"y": _floats(y), "mu_range": [mu_lo, mu_hi], "sigma_range": [sigma_lo, sigma_hi]},
        reference={
            "mu_hat": mu_hat,
            "sigma_hat": sigma_hat,
            "likelihood_max": float(lk.normal_likelihood(mu_hat, sigma_hat, y)),
        },
        figure=lambda: static.normal_likelihood_explorer(y, mu, sigma, window),
    )


def logistic_mle(x, y):
    """The weights (w1, w2) and bias b that minimise the binary cross-entropy of a logistic
    model, by BFGS on the NumPy formula; the tests hold them against statsmodels."""
    x = as_data("x", x, ndim=2)
    if x.shape[1] != 2:
        raise ValueError(f"x must have shape (n, 2), one row (x1, x2) per point, got {x.shape}")
    y = as_labels("y", y)
    same_length("x", x, "y", y)
    design = np.column_stack([x, np.ones(len(x))])

    def mean_nll(params):
        z = design @ params
        return float(np.mean(np.logaddexp(0.0, z) - y * z))  # -[y log s(z) + (1-y) log s(-z)]

    def gradient(params):
        return design.T @ (special.expit(design @ params) - y) / len(y)

    fit = optimize.minimize(mean_nll, np.zeros(3), jac=gradient, method="BFGS", options={"gtol": 1e-10})
    return fit.x, fit.fun


def classifier(w1=1.0, w2=-0.5, b=0.5):
    """Chapter 5: weight and bias sliders over the chapter's two classes; the predicted
    probabilities, the decision boundary and the binary cross-entropy."""
    x, y = data.two_classes()
    sliders = [
        _slider("w1", "weight w₁", -3.0, 3.0, 0.05, w1),
        _slider("w2", "weight w₂", -3.0, 3.0, 0.05, w2),
        _slider("b", "bias b", -3.0, 3.0, 0.05, b),
    ]
    w1, w2, b = (slider["value"] for slider in sliders)
    params, best = logistic_mle(x, y)
    return Explorer(
        "classifier",
        "A logistic classifier",
        sliders,
        data={"x1": _floats(x[:, 0]), "x2": _floats(x[:, 1]), "y": [int(v) for v in y]},
        reference={
            "w1_hat": float(params[0]),
            "w2_hat": float(params[1]),
            "b_hat": float(params[2]),
            "bce_min": float(best),
        },
        figure=lambda: static.classifier_explorer(x, y, (w1, w2), b),
    )


def regression(w=0.3, b=0.5, sigma=1.0):
    """Chapter 6: slope, intercept and sigma sliders over the chapter's data; the line with its
    +/- 2 sigma band, and the MSE and the Gaussian NLL side by side."""
    x, y = data.linear()
    sliders = [
        _slider("w", "slope w", -1.0, 2.5, 0.01, w),
        _slider("b", "intercept b", -1.0, 3.0, 0.01, b),
        _slider("sigma", "σ", 0.1, 3.0, 0.01, sigma),
    ]
    w, b, sigma = (slider["value"] for slider in sliders)
    design = np.column_stack([np.ones_like(x), x])
    (b_hat, w_hat), *_ = np.linalg.lstsq(design, y, rcond=None)
    mse_min = float(np.mean((y - b_hat - w_hat * x) ** 2))
    return Explorer(
        "regression",
        "Squared error and the Gaussian NLL",
        sliders,
        data={"x": _floats(x), "y": _floats(y)},
        reference={
            "w_hat": float(w_hat),
            "b_hat": float(b_hat),
            "mse_min": mse_min,
            "sigma_hat": float(np.sqrt(mse_min)),
        },
        figure=lambda: static.regression_explorer(x, y, w, b, sigma),
    )


# --- chapter 10: a prior's strength moves the MAP estimate from the MLE to the prior's mode -----

__all__.append("map_beta")


def map_beta(y=(0, 0, 0, 0, 0), strength=4.0, mode=0.5):
    """Chapter 10: Bernoulli flips `y` and a Beta prior with its mode at `mode` and the weight of
    `strength` pseudo-counts, a = 1 + strength * mode, b = 1 + strength * (1 - mode). Sliders move
    both; the page draws the prior, the scaled likelihood and the posterior, and shows the MAP
    estimate (k + strength * mode) / (n + strength) between the MLE and the prior's mode."""
    y = as_labels("y", y)
    sliders = [
        _slider("strength", "prior strength a + b − 2 (pseudo-counts)", 0.0, 100.0, 1.0, strength),
        _slider("mode", "prior mode", 0.05, 0.95, 0.05, mode),
    ]
    strength, mode = (slider["value"] for slider in sliders)
    k, n = int(y.sum()), int(y.size)
    a, b = 1 + strength * mode, 1 + strength * (1 - mode)
    return Explorer(
        "map-beta",
        "A prior's strength against the data",
        sliders,
        data={"y": [int(v) for v in y]},
        reference={"k": k, "n": n, "mle": float(k / n)},
        figure=lambda: _map_beta_figure(k, n, a, b),
    )


def _map_beta_figure(k, n, a, b):
    ax = static_map.beta_bernoulli(k, n, a, b)
    return ax.figure


def temperature(z, y, T=1.0):
    """Chapter 11: a temperature slider over a classifier's logits `z` for the labels `y`; the
    reliability diagram of sigmoid(z / T) in ten bins, the mean NLL against T, the ECE and the
    accuracy (which T does not change)."""
    z = as_data("z", z)
    if np.any(np.abs(z) > MAX_LOGIT):
        raise ValueError(f"z must hold logits of at most {MAX_LOGIT:g} in absolute value")
    y = as_labels("y", y)
    same_length("z", z, "y", y)
    sliders = [_slider("T", "temperature T", 0.25, 40.0, 0.25, T)]
    T = sliders[0]["value"]

    best = optimize.minimize_scalar(
        lambda log_t: mean_nll_of_logits(z, y, np.exp(log_t)),
        bounds=(np.log(0.01), np.log(100.0)),
        method="bounded",
        options={"xatol": 1e-10},
    )
    return Explorer(
        "temperature",
        "Temperature scaling",
        sliders,
        data={"z": _floats(z), "y": [int(v) for v in y], "bins": 10},
        reference={"T_hat": float(np.exp(best.x)), "nll_min": float(best.fun)},
        figure=lambda: static.temperature_explorer(z, y, T),
    )
