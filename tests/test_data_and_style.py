"""Seeded data sets are reproducible and have the stated shapes and parameters; the style is
colour-blind safe and white."""

import matplotlib as mpl
import numpy as np
import pytest
import statsmodels.api as sm

from likelihood_course import data, style


@pytest.mark.parametrize(
    "make", [data.coin_flips, data.two_classes, data.three_classes, data.linear, data.heteroscedastic]
)
def test_same_seed_same_data_other_seed_other_data(make):
    a, b, c = make(seed=3), make(seed=3), make(seed=4)
    a, b, c = (
        np.concatenate([np.ravel(v) for v in (x if isinstance(x, tuple) else (x,))]) for x in (a, b, c)
    )
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_class_data_shapes_and_balance():
    x, y = data.two_classes(n=200)
    assert x.shape == (200, 2) and set(y) == {0, 1} and y.sum() == 100
    x, y = data.three_classes(n=300)
    assert x.shape == (300, 2) and np.bincount(y).tolist() == [100, 100, 100]


def test_linear_data_recovers_its_parameters():
    x, y = data.linear(n=4000, slope=0.8, intercept=1.0, sigma=0.5, seed=1)
    fit = sm.OLS(y, sm.add_constant(x)).fit()
    assert fit.params == pytest.approx([1.0, 0.8], abs=0.03)
    assert np.sqrt(fit.scale) == pytest.approx(0.5, abs=0.02)


def test_heteroscedastic_noise_follows_its_scale():
    x, y, sigma = data.heteroscedastic(n=20000, seed=2)
    np.testing.assert_allclose(sigma, data.noise_scale(x))
    z = (y - (1.0 + 0.8 * x)) / sigma
    assert z.std() == pytest.approx(1.0, abs=0.02)


def test_coin_flips_rate():
    assert data.coin_flips(n=20000, theta=0.3, seed=5).mean() == pytest.approx(0.3, abs=0.01)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: data.coin_flips(n=0), "n must be a positive integer"),
        (lambda: data.coin_flips(theta=2), "theta must lie in [0, 1]"),
        (lambda: data.linear(sigma=0), "sigma must be > 0"),
        (lambda: data.two_classes(n=2.5), "n must be a positive integer"),
        (lambda: data.noise_scale(-5), "x must lie in [-3, 3]"),
        (lambda: data.noise_scale([0.0, np.nan]), "x must contain only finite numbers"),
        (lambda: data.linear(slope=np.nan), "slope must contain only finite numbers"),
        (lambda: data.linear(intercept=np.inf), "intercept must contain only finite numbers"),
        (lambda: data.heteroscedastic(slope=-np.inf), "slope must contain only finite numbers"),
        (lambda: data.heteroscedastic(intercept=[1.0, 2.0]), "intercept must be a single number"),
        (lambda: data.coin_flips(theta=[0.1, 0.2]), "theta must be a single number"),
        (lambda: data.coin_flips(theta="0.3"), "theta must be a single number"),
        (lambda: data.coin_flips(theta=np.nan), "theta must lie in [0, 1]"),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        call()


def test_style_is_white_and_uses_the_okabe_ito_palette():
    style.use()
    assert mpl.rcParams["figure.facecolor"] == "white" and mpl.rcParams["axes.facecolor"] == "white"
    colours = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}
    assert set(c.upper() for c in colours) <= okabe_ito and len(colours) >= 4
