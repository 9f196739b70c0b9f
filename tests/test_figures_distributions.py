"""Chapter 1's figures draw what they say, against scipy.stats, and reject bad input."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from scipy import stats  # noqa: E402

from conftest import png_bytes  # noqa: E402
from likelihood_course import figures  # noqa: E402


def test_bernoulli_pmfs_bar_heights_match_scipy():
    thetas = [0.2, 0.5, 0.9]
    ax = figures.bernoulli_pmfs(thetas)
    heights = np.array([p.get_height() for p in ax.patches]).reshape(len(thetas), 2)
    np.testing.assert_allclose(heights, [stats.bernoulli(t).pmf([0, 1]) for t in thetas])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        r"$\theta = 0.2$",
        r"$\theta = 0.5$",
        r"$\theta = 0.9$",
    ]
    plt.close(ax.figure)


def test_normal_pdfs_curves_match_scipy_and_have_unit_area():
    params = [(0.0, 1.0), (0.0, 0.3), (1.5, 0.6)]
    ax = figures.normal_pdfs(params)
    assert len(ax.lines) == 3
    for line, (mu, sigma) in zip(ax.lines, params):
        x, y = line.get_data()
        assert np.all(np.isfinite(y))
        np.testing.assert_allclose(y, stats.norm(mu, sigma).pdf(x))
    assert ax.get_ylabel() == r"$p(y \mid \mu, \sigma)$"
    plt.close(ax.figure)


def test_figures_draw_on_a_given_axes_and_are_deterministic():
    fig, ax = plt.subplots()
    assert figures.bernoulli_pmfs(ax=ax) is ax
    plt.close(fig)
    assert png_bytes(figures.normal_pdfs()) == png_bytes(figures.normal_pdfs())


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: figures.bernoulli_pmfs([0.5, 1.2]), r"thetas must lie in \[0, 1\]"),
        (lambda: figures.normal_pdfs([(0.0, 0.0)]), "sigma must be > 0"),
        (lambda: figures.normal_pdfs([(np.nan, 1.0)]), "mu must contain only finite numbers"),
        (lambda: figures.normal_pdfs([(0.0, 1.0, 2.0)]), r"params must be \(mu, sigma\) pairs"),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
