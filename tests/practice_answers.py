"""Answers to the coding exercises (likelihood_course.practice), written as a learner writes them:
one right answer and the common wrong ones, each with the mistake that the check must recognise
("other": wrong in a way it does not name; "none": no return; "error": the function raises).
tests/test_practice.py checks them in process and in a Jupyter kernel, tests/test_inpage_python.py
types them into the page. Each is a complete cell body: the def; the chapter's check line follows.
"""

import re
from pathlib import Path

import numpy as np
from scipy import special, stats

import likelihood_course as lc

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = {
    "sample_probability": "book/01_probability.md",
    "normal_likelihood": "book/02_likelihood.md",
    "grid_mle": "book/03_mle.md",
    "bernoulli_nll": "book/04_nll.md",
    "bce_from_logits": "book/05_classifiers.md",
    "gaussian_nll": "book/06_regression.md",
    "brier_score": "book/11_calibration.md",
}

ANSWERS = {
    "sample_probability": {
        None: "def sample_probability(y, theta):\n    y = np.asarray(y)\n    return np.prod(theta**y * (1 - theta) ** (1 - y))",
        "sum": "def sample_probability(y, theta):\n    y = np.asarray(y)\n    return np.sum(theta**y * (1 - theta) ** (1 - y))",
        "swapped": "def sample_probability(y, theta):\n    y = np.asarray(y)\n    return np.prod((1 - theta)**y * theta ** (1 - y))",
        "mean": "def sample_probability(y, theta):\n    return np.mean(stats.bernoulli(theta).pmf(y))",
        "log": "def sample_probability(y, theta):\n    return np.sum(stats.bernoulli(theta).logpmf(y))",
        "none": "def sample_probability(y, theta):\n    np.prod(stats.bernoulli(theta).pmf(y))",
        "error": "def sample_probability(y, theta):\n    return theta[0]",  # a number indexed
    },
    "normal_likelihood": {
        None: "def normal_likelihood(mu, sigma, y):\n    return np.prod(stats.norm(mu, sigma).pdf(y))",
        "variance": "def normal_likelihood(mu, sigma, y):\n    y = np.asarray(y)\n    return np.prod(np.exp(-(y - mu)**2 / (2 * sigma)) / np.sqrt(2 * np.pi * sigma))",
        "no_constant": "def normal_likelihood(mu, sigma, y):\n    y = np.asarray(y)\n    return np.prod(np.exp(-(y - mu)**2 / (2 * sigma**2)))",
        "sum": "def normal_likelihood(mu, sigma, y):\n    return np.sum(stats.norm(mu, sigma).pdf(y))",
        "no_two": "def normal_likelihood(mu, sigma, y):\n    y = np.asarray(y)\n    return np.prod(np.exp(-(y - mu)**2 / sigma**2) / np.sqrt(2 * np.pi * sigma**2))",
        "other": "def normal_likelihood(mu, sigma, y):\n    return np.prod(stats.norm(mu, sigma).pdf(y)) ** 2",
    },
    "grid_mle": {
        None: "def grid_mle(y, grid):\n    likelihood = [np.prod(stats.bernoulli(t).pmf(y)) for t in grid]\n    return grid[np.argmax(likelihood)]",
        "argmin": "def grid_mle(y, grid):\n    likelihood = [np.prod(stats.bernoulli(t).pmf(y)) for t in grid]\n    return grid[np.argmin(likelihood)]",
        "index": "def grid_mle(y, grid):\n    likelihood = [np.prod(stats.bernoulli(t).pmf(y)) for t in grid]\n    return np.argmax(likelihood)",
        "max_value": "def grid_mle(y, grid):\n    return max(np.prod(stats.bernoulli(t).pmf(y)) for t in grid)",
        "other": "def grid_mle(y, grid):\n    return np.mean(y)",
    },
    "bernoulli_nll": {
        None: "def bernoulli_nll(theta, y):\n    y = np.asarray(y)\n    return -np.sum(special.xlogy(y, theta) + special.xlogy(1 - y, 1 - theta))",
        "sign": "def bernoulli_nll(theta, y):\n    y = np.asarray(y)\n    return np.sum(special.xlogy(y, theta) + special.xlogy(1 - y, 1 - theta))",
        "mean": "def bernoulli_nll(theta, y):\n    y = np.asarray(y)\n    return -np.mean(special.xlogy(y, theta) + special.xlogy(1 - y, 1 - theta))",
        "likelihood": "def bernoulli_nll(theta, y):\n    y = np.asarray(y)\n    return np.prod(theta**y * (1 - theta)**(1 - y))",
        "log0": "def bernoulli_nll(theta, y):\n    y = np.asarray(y)\n    return -np.sum(y * np.log(theta) + (1 - y) * np.log(1 - theta))",
        "shape": "def bernoulli_nll(theta, y):\n    y = np.asarray(y)\n    return -(special.xlogy(y, theta) + special.xlogy(1 - y, 1 - theta))",
    },
    "bce_from_logits": {
        None: "def bce_from_logits(y, z):\n    y, z = np.asarray(y), np.asarray(z)\n    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))",
        "sum": "def bce_from_logits(y, z):\n    y, z = np.asarray(y), np.asarray(z)\n    return np.sum(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))",
        "probabilities": "def bce_from_logits(y, z):\n    y, z = np.asarray(y), np.asarray(z)\n    return -np.mean(y * np.log(z) + (1 - y) * np.log(1 - z))",
        "sign": "def bce_from_logits(y, z):\n    y, z = np.asarray(y), np.asarray(z)\n    return -np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))",
        "one_term": "def bce_from_logits(y, z):\n    y, p = np.asarray(y), special.expit(z)\n    return -np.mean(y * np.log(p))",
        "overflow": "def bce_from_logits(y, z):\n    y, p = np.asarray(y), 1 / (1 + np.exp(-np.asarray(z)))\n    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))",
    },
    "gaussian_nll": {
        None: "def gaussian_nll(w, b, x, y, sigma):\n    return -np.sum(stats.norm(w * np.asarray(x) + b, sigma).logpdf(y))",
        "sse": "def gaussian_nll(w, b, x, y, sigma):\n    return np.sum((np.asarray(y) - (w * np.asarray(x) + b))**2)",
        "no_constant": "def gaussian_nll(w, b, x, y, sigma):\n    return np.sum((np.asarray(y) - (w * np.asarray(x) + b))**2) / (2 * sigma**2)",
        "mean": "def gaussian_nll(w, b, x, y, sigma):\n    return -np.mean(stats.norm(w * np.asarray(x) + b, sigma).logpdf(y))",
        "variance": "def gaussian_nll(w, b, x, y, sigma):\n    r = np.asarray(y) - (w * np.asarray(x) + b)\n    return np.sum(r**2) / (2 * sigma) + len(r) / 2 * np.log(2 * np.pi * sigma)",
        "no_two": "def gaussian_nll(w, b, x, y, sigma):\n    r = np.asarray(y) - (w * np.asarray(x) + b)\n    return np.sum(r**2) / sigma**2 + len(r) * np.log(sigma) + len(r) / 2 * np.log(2 * np.pi)",
    },
    "brier_score": {
        None: "def brier_score(y, q):\n    y, q = np.asarray(y, dtype=float), np.asarray(q, dtype=float)\n    return np.mean((q - y) ** 2)",
        "sum": "def brier_score(y, q):\n    return np.sum((np.asarray(q) - np.asarray(y)) ** 2)",
        "absolute": "def brier_score(y, q):\n    return np.mean(np.abs(np.asarray(q) - np.asarray(y)))",
        "flipped": "def brier_score(y, q):\n    return np.mean((np.asarray(q) - (1 - np.asarray(y))) ** 2)",
        "root": "def brier_score(y, q):\n    return np.sqrt(np.mean((np.asarray(q) - np.asarray(y)) ** 2))",
        "none": "def brier_score(y, q):\n    np.mean((np.asarray(q) - np.asarray(y)) ** 2)",
        "other": "def brier_score(y, q):\n    return np.mean((np.asarray(q) - np.asarray(y)) ** 2) / 2",
    },
}


def chapter_source(name: str) -> str:
    return (ROOT / CHAPTERS[name]).read_text(encoding="utf-8")


def exercise_cell(name: str) -> str:
    """The chapter's code cell that checks `name`: the learner's starting point."""
    cells = re.findall(r"```\{code-cell\} ipython3\n(.*?)```", chapter_source(name), re.S)
    (cell,) = [c for c in cells if f'lc.practice.check("{name}"' in c]
    return cell


def check_line(name: str) -> str:
    (line,) = [line for line in exercise_cell(name).splitlines() if line.startswith("lc.practice.check(")]
    return line


def solution(name: str) -> str:
    """The def in the chapter's solution of the exercise (its ```python block)."""
    text = chapter_source(name)
    blocks = re.findall(r"```python\n(def " + name + r"\(.*?)```", text, re.S)
    assert len(blocks) == 1, f"{CHAPTERS[name]}: {len(blocks)} solutions of {name}"
    return blocks[0]


def learner_function(name: str, source: str):
    """The function that an answer's cell defines, in a namespace like the chapter's."""
    namespace = {"np": np, "stats": stats, "special": special, "lc": lc}
    exec(source, namespace)  # noqa: S102 - the learner's answer, as a cell runs it
    return namespace[name]


# chapter 10 (book/10_map.md): the MAP weights under a Gaussian prior, ridge regression
CHAPTERS["ridge_map"] = "book/10_map.md"
ANSWERS["ridge_map"] = {
    None: "def ridge_map(X, y, sigma, tau):\n    X, y = np.asarray(X), np.asarray(y)\n    lam = sigma**2 / tau**2\n    return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)",
    "inverted": "def ridge_map(X, y, sigma, tau):\n    X, y = np.asarray(X), np.asarray(y)\n    lam = tau**2 / sigma**2\n    return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)",
    "not_squared": "def ridge_map(X, y, sigma, tau):\n    X, y = np.asarray(X), np.asarray(y)\n    return np.linalg.inv(X.T @ X + sigma / tau * np.eye(X.shape[1])) @ X.T @ y",
    "least_squares": "def ridge_map(X, y, sigma, tau):\n    return np.linalg.lstsq(np.asarray(X), np.asarray(y), rcond=None)[0]",
    "every_entry": "def ridge_map(X, y, sigma, tau):\n    X, y = np.asarray(X), np.asarray(y)\n    return np.linalg.solve(X.T @ X + sigma**2 / tau**2, X.T @ y)",
    "none": "def ridge_map(X, y, sigma, tau):\n    lam = sigma**2 / tau**2",
    "other": "def ridge_map(X, y, sigma, tau):\n    X, y = np.asarray(X), np.asarray(y)\n    return np.linalg.solve(X.T @ X + 2 * sigma**2 / tau**2 * np.eye(X.shape[1]), X.T @ y)",
}
