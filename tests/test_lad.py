"""Chapter 7's least-absolute-deviation (median regression) line on the data with outliers: the
linear program's solution is optimal and unique, checked independently of the solver, by the
subgradient optimality condition and by brute force over every line through two data points (an
LAD optimum passes through at least two). And the Gaussian fit's own sigma, which measures the
outliers in the chapter.

statsmodels' QuantReg (IRLS) is no reference here: on these data it stops short of the minimum."""

import itertools
import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import optimize

from likelihood_course import noisy_data


def lp_line(x, y):
    m = len(x)
    res = optimize.linprog(
        np.r_[0.0, 0.0, np.ones(2 * m)],
        A_eq=np.hstack([np.ones((m, 1)), x[:, None], np.eye(m), -np.eye(m)]),
        b_eq=y,
        bounds=[(None, None)] * 2 + [(0, None)] * (2 * m),
    )
    assert res.success
    return res.x[:2]


def mae(x, y, line):
    return float(np.mean(np.abs(y - line[0] - line[1] * x)))


@pytest.fixture(scope="module")
def data():
    x, y, outlier = noisy_data.line_with_outliers()
    return x, y, outlier, lp_line(x, y)


def pair_lines(x, y):
    """(MAE, intercept, slope, i, j) of the line through each pair of points."""
    for i, j in itertools.combinations(range(len(x)), 2):
        slope = (y[j] - y[i]) / (x[j] - x[i])
        intercept = y[i] - slope * x[i]
        yield mae(x, y, (intercept, slope)), intercept, slope, i, j


def test_the_chapters_numbers(data):
    x, y, _, lad = data
    assert lad[0] == pytest.approx(0.9834, abs=5e-5)
    assert lad[1] == pytest.approx(0.4832, abs=5e-5)
    assert mae(x, y, lad) == pytest.approx(1.0725536, abs=5e-8)


def test_brute_force_over_lines_through_two_points_finds_the_same_unique_line(data):
    x, y, _, lad = data
    lines = sorted(pair_lines(x, y))
    best, second = lines[0], lines[1]
    assert best[0] == pytest.approx(mae(x, y, lad), abs=1e-12)
    assert best[1:3] == pytest.approx(tuple(lad), abs=1e-8)
    # every other vertex line is strictly worse: the minimiser is one line, not a segment (the
    # ends of a segment of minimisers would be two distinct lines through two points each)
    assert second[0] > best[0] + 1e-6


def test_subgradient_optimality_condition_holds_strictly(data):
    """0 is in the subdifferential of sum |r_k| at the LP line: with s_k = sign(r_k) off the line
    and s_i, s_j free in [-1, 1] on it, sum_k s_k (1, x_k) = 0 has a solution strictly inside."""
    x, y, _, lad = data
    r = y - lad[0] - lad[1] * x
    on = np.flatnonzero(np.abs(r) < 1e-8)
    assert len(on) == 2
    off = np.setdiff1d(np.arange(len(x)), on)
    assert np.sum(r[off] > 0) == 19 and np.sum(r[off] < 0) == 19  # the rest split evenly
    design = np.column_stack([np.ones_like(x), x])
    rest = np.sign(r[off]) @ design[off]
    s = np.linalg.solve(design[on].T, -rest)
    assert np.all(np.abs(s) < 1 - 1e-6), s  # strictly inside: optimal and unique


def test_statsmodels_quantreg_stops_short_of_the_minimum(data):
    x, y, _, lad = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its iteration limit
        params = sm.QuantReg(y, sm.add_constant(x)).fit(q=0.5).params
    assert mae(x, y, params) > mae(x, y, lad) + 1e-6


def test_the_outliers_measured_in_two_sigmas(data):
    x, y, outlier, _ = data
    residuals = y - np.polyval(np.polyfit(x, y, 1), x)
    sigma_hat = np.sqrt(np.mean(residuals**2))
    assert sigma_hat == pytest.approx(2.1, abs=0.05)
    assert round(8 / sigma_hat) == 4
    assert round(sigma_hat / 0.5) == 4
    # the sensor's shift is 8 (noisy_data's default), the clean noise's sigma 0.5
    clean = noisy_data.line_with_outliers(shift=0.0)[1]
    np.testing.assert_allclose((y - clean)[outlier], -8.0)
    np.testing.assert_allclose((y - clean)[~outlier], 0.0)
