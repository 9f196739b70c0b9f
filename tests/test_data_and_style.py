"""Seeded data sets are reproducible and have the stated shapes and parameters; the style is
colour-blind safe and white, and every colour a figure draws comes from its palette."""

import re
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pytest
import statsmodels.api as sm
from matplotlib.colors import to_hex

from likelihood_course import data, style

ROOT = Path(__file__).resolve().parents[1]


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


# Okabe & Ito (2008), as published: the reference that style.PALETTE claims to be
OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}


def test_the_palette_is_okabe_itos_on_white():
    style.use()
    named = {name: colour.upper() for name, colour in style.PALETTE.items()}
    assert named.pop("white") == "#FFFFFF"
    assert set(named.values()) == OKABE_ITO
    for key in ("figure.facecolor", "axes.facecolor", "savefig.facecolor"):
        assert to_hex(mpl.rcParams[key]) == "#ffffff", key
    colours = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
    assert set(c.upper() for c in colours) <= OKABE_ITO and len(colours) >= 4


# A colour named in a figure's code: a string given to a colour argument (Python) or to a fill or
# stroke (the explorers' JavaScript, where "currentColor" is the theme's text colour), or a hex
# literal anywhere. Each is a colour from outside the palette (style.py, which writes it, aside).
COLOUR_ARGUMENT = re.compile(
    r"\b(?:color|colors|c|edgecolor|facecolor|markeredgecolor|markerfacecolor|fill|stroke)\s*[=:]\s*"
    r"[\"'](?!currentColor[\"'])"
)
HEX = re.compile(r"[\"']#[0-9a-fA-F]{3,8}[\"']")
DRAWING = [
    *sorted(p for p in (ROOT / "code" / "likelihood_course").rglob("*.py") if p.name != "style.py"),
    ROOT / "_assets" / "explorers.js",
    *sorted((ROOT / "book").glob("*.md")),
]


@pytest.mark.parametrize("path", DRAWING, ids=lambda p: str(p.relative_to(ROOT)))
def test_colours_come_from_the_palette(path):
    text = path.read_text(encoding="utf-8")
    found = [m.group(0) for m in (*COLOUR_ARGUMENT.finditer(text), *HEX.finditer(text))]
    assert not found, f"{path.name} names colours outside style.PALETTE: {found}"


def test_the_colour_check_finds_a_named_colour():
    """The patterns above are live: each finds the kind of colour it is for."""
    assert COLOUR_ARGUMENT.search('ax.plot(x, y, color="red")')
    assert COLOUR_ARGUMENT.search("Plot.dot(points, {fill: 'white'})")
    assert not COLOUR_ARGUMENT.search('Plot.line(curve, {stroke: "currentColor"})')
    assert not COLOUR_ARGUMENT.search('ax.legend(loc="upper left")')
    assert HEX.search('colours = ["#D55E00"]')
