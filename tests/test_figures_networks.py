"""Unit tests of the figures of chapters 5 (classifiers) and 6 (regression): each draws what it
claims (the decision boundary where w . x + b = 0, the class regions of argmax softmax, the fitted
line's values, a band 4 sigma wide), labels its axes, draws no NaN, draws the same at every call,
and rejects bad input with a ValueError that names the argument."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.collections import PolyCollection, QuadMesh  # noqa: E402

from likelihood_course import data, figures  # noqa: E402

X2, Y2 = data.two_classes(n=60, seed=1)
X3, Y3 = data.three_classes(n=60, seed=1)
XL, YL = data.linear(n=40, seed=1)
W = np.array([1.5, -0.7])
B = 0.3
W3 = np.array([[1.0, -0.5, -0.5], [0.0, 0.9, -0.9]])
B3 = np.array([0.1, 0.0, -0.1])


def _lines(ax):
    return {line.get_label(): line for line in ax.get_lines()}


def _no_nan_drawn(ax):
    for line in ax.get_lines():
        assert np.all(np.isfinite(line.get_xydata())), line.get_label()
    for coll in ax.collections:
        offsets = np.asarray(coll.get_offsets())
        assert np.all(np.isfinite(offsets))
        if isinstance(coll, PolyCollection):
            for path in coll.get_paths():
                assert np.all(np.isfinite(path.vertices))
        if isinstance(coll, QuadMesh):
            assert np.all(np.isfinite(np.asarray(coll.get_array())))


def _snapshot(ax):
    """Everything drawn, as plain arrays, to compare two calls."""
    out = [line.get_xydata().copy() for line in ax.get_lines()]
    for coll in ax.collections:
        out.append(np.asarray(coll.get_offsets()).copy())
        if isinstance(coll, QuadMesh):  # its cells' paths are made from the grid of their corners
            out += [coll.get_coordinates().copy(), np.asarray(coll.get_array()).copy()]
        else:
            out += [p.vertices.copy() for p in coll.get_paths()]
    out.append(np.array([ax.get_xlabel(), ax.get_ylabel(), ax.get_title()]))
    return out


def _same(a, b):
    assert len(a) == len(b)
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)


# decision_boundary ------------------------------------------------------------------------------


def test_decision_boundary_line_is_where_the_logit_is_zero():
    ax = figures.decision_boundary(X2, Y2, W, B)
    assert isinstance(ax, Axes)
    lines = ax.get_lines()
    boundary = [ln for ln in lines if ln.get_linestyle() == "-"]
    assert len(boundary) == 1
    pts = boundary[0].get_xydata()
    np.testing.assert_allclose(pts @ W + B, 0.0, atol=1e-12)
    # it spans the plotted window, not a point
    assert np.ptp(pts[:, 0]) > 1 and np.ptp(pts[:, 1]) > 1


def test_decision_boundary_dashed_lines_are_the_theta_levels():
    ax = figures.decision_boundary(X2, Y2, W, B, levels=(0.1, 0.9))
    dashed = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    assert len(dashed) == 2
    thetas = sorted(1 / (1 + np.exp(-(ln.get_xydata() @ W + B))).mean() for ln in dashed)
    np.testing.assert_allclose(thetas, [0.1, 0.9], atol=1e-9)
    for ln in dashed:  # theta is constant along each line
        logit = ln.get_xydata() @ W + B
        assert np.ptp(logit) < 1e-9


def test_decision_boundary_near_vertical_line():
    # w[1] = 0: the boundary is the vertical line x1 = -b / w[0]
    ax = figures.decision_boundary(X2, Y2, [2.0, 0.0], -1.0)
    boundary = [ln for ln in ax.get_lines() if ln.get_linestyle() == "-"][0]
    np.testing.assert_allclose(boundary.get_xdata(), 0.5)


def test_decision_boundary_points_labels_and_no_nan():
    ax = figures.decision_boundary(X2, Y2, W, B)
    scatters = [c for c in ax.collections if len(c.get_offsets())]
    drawn = np.concatenate([c.get_offsets() for c in scatters])
    assert drawn.shape == X2.shape
    np.testing.assert_allclose(np.sort(drawn, axis=0), np.sort(X2, axis=0))
    assert ax.get_xlabel() == "$x_1$" and ax.get_ylabel() == "$x_2$"
    assert ax.get_legend() is not None
    _no_nan_drawn(ax)


def test_decision_boundary_is_reproducible():
    _same(
        _snapshot(figures.decision_boundary(X2, Y2, W, B)), _snapshot(figures.decision_boundary(X2, Y2, W, B))
    )


def test_decision_boundary_draws_on_given_axes():
    fig, ax = plt.subplots()
    assert figures.decision_boundary(X2, Y2, W, B, ax=ax) is ax


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(x=X2[:, :1]), "x"),
        (dict(x=np.where(np.arange(60)[:, None] == 3, np.nan, X2)), "x"),
        (dict(y=np.where(Y2 == 1, 2, 0)), "y"),
        (dict(y=Y2[:-1]), "y"),
        (dict(w=[0.0, 0.0]), "w"),
        (dict(w=[1.0, 2.0, 3.0]), "w"),
        (dict(w=[np.inf, 1.0]), "w"),
        (dict(b=[0.0, 1.0]), "b"),
        (dict(b=np.nan), "b"),
        (dict(levels=(0.0, 0.9)), "levels"),
        (dict(levels=(0.5, 1.2)), "levels"),
    ],
)
def test_decision_boundary_rejects_bad_input(kwargs, name):
    args = dict(x=X2, y=Y2, w=W, b=B) | kwargs
    with pytest.raises(ValueError, match=name):
        figures.decision_boundary(**args)


# class_regions ----------------------------------------------------------------------------------


def test_class_regions_colour_the_argmax_of_the_logits():
    ax = figures.class_regions(X3, Y3, W3, B3, resolution=50)
    assert isinstance(ax, Axes)
    meshes = [c for c in ax.collections if isinstance(c, QuadMesh)]
    assert len(meshes) == 1
    regions = np.asarray(meshes[0].get_array()).reshape(50, 50)
    lo, hi = X3.min(axis=0) - 0.5, X3.max(axis=0) + 0.5
    g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], 50), np.linspace(lo[1], hi[1], 50))
    logits = np.stack([g1, g2], axis=-1) @ W3 + B3  # argmax of softmax = argmax of logits
    np.testing.assert_array_equal(regions, np.argmax(logits, axis=-1))
    assert set(np.unique(regions)) == {0, 1, 2}


def test_class_regions_points_labels_and_no_nan():
    ax = figures.class_regions(X3, Y3, W3, B3)
    scatters = [c for c in ax.collections if not isinstance(c, QuadMesh)]
    assert len(scatters) == 3
    for k, coll in enumerate(scatters):
        np.testing.assert_allclose(coll.get_offsets(), X3[Y3 == k])
    assert ax.get_xlabel() == "$x_1$" and ax.get_ylabel() == "$x_2$"
    _no_nan_drawn(ax)


def test_class_regions_is_reproducible():
    _same(_snapshot(figures.class_regions(X3, Y3, W3, B3)), _snapshot(figures.class_regions(X3, Y3, W3, B3)))


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(x=X3[:, :1]), "x"),
        (dict(y=np.where(Y3 == 2, 3, Y3)), "y"),
        (dict(y=Y3[:-1]), "y"),
        (dict(w=W3[:, :1]), "w"),
        (dict(w=W3.T), "w"),
        (dict(w=np.full((2, 3), np.nan)), "w"),
        (dict(b=B3[:2]), "b"),
        (dict(resolution=1), "resolution"),
        (dict(resolution=10.5), "resolution"),
    ],
)
def test_class_regions_rejects_bad_input(kwargs, name):
    args = dict(x=X3, y=Y3, w=W3, b=B3) | kwargs
    with pytest.raises(ValueError, match=name):
        figures.class_regions(**args)


# regression_line --------------------------------------------------------------------------------


def test_regression_line_values():
    ax = figures.regression_line(XL, YL, intercept=0.9, slope=0.75, true_intercept=1.0, true_slope=0.8)
    assert isinstance(ax, Axes)
    fitted, true = ax.get_lines()
    xs, ys = fitted.get_data()
    np.testing.assert_allclose(xs, [XL.min(), XL.max()])
    np.testing.assert_allclose(ys, 0.9 + 0.75 * xs)
    np.testing.assert_allclose(true.get_ydata(), 1.0 + 0.8 * true.get_xdata())
    assert true.get_linestyle() == "--"
    np.testing.assert_allclose(ax.collections[0].get_offsets(), np.column_stack([XL, YL]))
    assert ax.get_xlabel() == "x" and ax.get_ylabel() == "y"
    _no_nan_drawn(ax)


def test_regression_line_without_true_line():
    ax = figures.regression_line(XL, YL, intercept=0.9, slope=0.75)
    assert len(ax.get_lines()) == 1


def test_regression_line_is_reproducible():
    _same(
        _snapshot(figures.regression_line(XL, YL, 1.0, 0.8, 1.0, 0.8)),
        _snapshot(figures.regression_line(XL, YL, 1.0, 0.8, 1.0, 0.8)),
    )


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(x=XL[:-1]), "x"),
        (dict(x=XL[:, None]), "x"),
        (dict(y=np.full_like(YL, np.nan)), "y"),
        (dict(intercept=np.nan), "intercept"),
        (dict(slope=[1.0, 2.0]), "slope"),
        (dict(true_intercept=1.0), "true_slope"),
        (dict(true_intercept=np.inf, true_slope=0.8), "true_intercept"),
    ],
)
def test_regression_line_rejects_bad_input(kwargs, name):
    args = dict(x=XL, y=YL, intercept=1.0, slope=0.8) | kwargs
    with pytest.raises(ValueError, match=name):
        figures.regression_line(**args)


# regression_band --------------------------------------------------------------------------------


def _band_vertices(ax):
    (band,) = [c for c in ax.collections if isinstance(c, PolyCollection)]
    return band.get_paths()[0].vertices


def test_regression_band_is_four_sigma_wide_around_the_mean():
    x, y, true_sigma = data.heteroscedastic(n=50, seed=2)
    mean = 1.0 + 0.8 * x
    sigma = 0.2 + 0.1 * (x + 3)
    ax = figures.regression_band(x, y, mean=mean, sigma=sigma)
    assert isinstance(ax, Axes)
    verts = _band_vertices(ax)
    # fill_between draws the upper edge forwards and the lower edge backwards (or the reverse)
    for xi, mi, si in zip(x, mean, sigma):
        at = verts[np.isclose(verts[:, 0], xi)][:, 1]
        np.testing.assert_allclose([at.min(), at.max()], [mi - 2 * si, mi + 2 * si])
        assert np.isclose(at.max() - at.min(), 4 * si)
    (centre,) = ax.get_lines()
    np.testing.assert_allclose(centre.get_ydata(), mean[np.argsort(x)])
    assert ax.get_xlabel() == "x" and ax.get_ylabel() == "y"
    _no_nan_drawn(ax)


def test_regression_band_constant_sigma_and_true_lines():
    ax = figures.regression_band(
        XL, YL, mean=1.0 + 0.8 * XL, sigma=0.4, true_sigma=0.5, true_mean=1.0 + 0.8 * XL
    )
    verts = _band_vertices(ax)
    inner = verts[np.isin(verts[:, 0], XL)]
    widths = [np.ptp(inner[inner[:, 0] == xi, 1]) for xi in XL]
    np.testing.assert_allclose(widths, 1.6)
    _, low, high = ax.get_lines()
    np.testing.assert_allclose(high.get_ydata() - low.get_ydata(), 2.0)
    np.testing.assert_allclose(low.get_ydata(), 1.0 + 0.8 * low.get_xdata() - 1.0)
    assert low.get_linestyle() == "--"


def test_regression_band_sorts_unsorted_x():
    order = np.random.default_rng(0).permutation(XL.size)
    ax = figures.regression_band(XL[order], YL[order], mean=(2 * XL)[order], sigma=0.3)
    (centre,) = ax.get_lines()
    assert np.all(np.diff(centre.get_xdata()) >= 0)
    np.testing.assert_allclose(centre.get_ydata(), 2 * centre.get_xdata())


def test_regression_band_is_reproducible():
    x, y, s = data.heteroscedastic(n=30, seed=3)
    _same(
        _snapshot(figures.regression_band(x, y, 1 + 0.8 * x, s, true_sigma=s)),
        _snapshot(figures.regression_band(x, y, 1 + 0.8 * x, s, true_sigma=s)),
    )


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(x=XL[:-1]), "x"),
        (dict(mean=np.ones(XL.size - 1)), "mean"),
        (dict(mean=np.nan), "mean"),
        (dict(sigma=0.0), "sigma"),
        (dict(sigma=-np.ones(XL.size)), "sigma"),
        (dict(sigma=np.ones(XL.size + 2)), "sigma"),
        (dict(true_sigma=-1.0), "true_sigma"),
        (dict(true_mean=np.zeros(XL.size)), "true_mean"),
        (dict(true_sigma=0.5, true_mean=np.zeros(3)), "true_mean"),
    ],
)
def test_regression_band_rejects_bad_input(kwargs, name):
    args = dict(x=XL, y=YL, mean=1.0 + 0.8 * XL, sigma=0.5) | kwargs
    with pytest.raises(ValueError, match=name):
        figures.regression_band(**args)
