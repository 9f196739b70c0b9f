"""The figures stay legible on a phone (issue 14): the rules of figures/_axes.py and style.py that
tests/test_browser.py::test_figure_text_is_legible_on_a_phone relies on when it measures the built
site at 390 px (the smallest text a figure draws is style.MIN_FONT_PT, and figures are narrow)."""

import io
import re
from pathlib import Path

import matplotlib as mpl
from matplotlib.text import Text

from likelihood_course import style
from likelihood_course.figures import _axes

ROOT = Path(__file__).resolve().parents[1]
FIGURES = ROOT / "code" / "likelihood_course" / "figures"


def _drawn_font_sizes(fig):
    fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")  # as the notebook's inline backend
    return [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def test_small_text_is_raised_to_the_course_minimum():
    ax = _axes.axes()
    ax.plot([0, 1], [0, 1], label="a line")
    ax.legend(fontsize=7)
    ax.text(0.5, 0.5, "a note", fontsize=6)
    ax.set_title("a title", fontsize=8)
    ax.tick_params(labelsize=5)
    sizes = _drawn_font_sizes(ax.figure)
    assert len(sizes) >= 5, f"too few texts drawn to check: {sizes}"
    assert min(sizes) >= style.MIN_FONT_PT, f"text drawn at {min(sizes)} pt < {style.MIN_FONT_PT} pt"


def test_larger_text_is_left_alone():
    ax = _axes.axes()
    title = ax.set_title("a title", fontsize=15)
    _drawn_font_sizes(ax.figure)
    assert title.get_fontsize() == 15


TEXT_SIZES = [
    "font.size",
    "axes.titlesize",
    "axes.labelsize",
    "xtick.labelsize",
    "ytick.labelsize",
    "legend.fontsize",
    "legend.title_fontsize",
    "figure.titlesize",
    "figure.labelsize",
]


def test_the_style_draws_nothing_smaller_than_the_minimum():
    style.use()
    sizes = {}
    for key in TEXT_SIZES:
        value = mpl.rcParams[key]
        if value is not None:  # None: as another size (legend.title_fontsize: the legend's)
            sizes[key] = mpl.font_manager.FontProperties(size=value).get_size_in_points()
    too_small = {k: v for k, v in sizes.items() if v < style.MIN_FONT_PT}
    assert len(sizes) >= 7, f"too few sizes resolved: {sizes}"
    assert not too_small, f"the style's text below {style.MIN_FONT_PT} pt: {too_small}"


def test_default_figure_is_narrow_enough_for_a_phone():
    ax = _axes.axes()
    width, _ = ax.figure.get_size_inches()
    assert width <= style.MAX_WIDTH_IN
    # a figure w inches wide (and a little more, saved tight) shown in the 342 px column of a
    # 390 px phone: text of MIN_FONT_PT shows at 9 px or more
    assert style.MIN_FONT_PT / 72 * 342 / (style.MAX_WIDTH_IN + 0.2) >= 9


def test_side_by_side_panels_too_wide_for_a_phone_are_stacked():
    fig, (first, second) = _axes.figure(1, 2, figsize=(8.0, 3.4))
    assert fig.get_size_inches()[0] <= style.MAX_WIDTH_IN
    assert first.get_position().y0 > second.get_position().y0, "the first panel is not above the second"
    fig, (left, right) = _axes.figure(1, 2, figsize=(4.5, 3.0))  # narrow enough: left as asked
    assert left.get_position().x0 < right.get_position().x0


def test_every_figure_is_made_by_the_course_helpers():
    """A figure made elsewhere (plt.subplots in a figure module or a chapter) would not be a
    CourseFigure, and its text would not be raised to the minimum."""
    direct = re.compile(r"\b(?:plt|pyplot)\.(?:subplots|figure|subplot)\(|\bFigure\(")
    offenders = []
    for path in sorted(FIGURES.glob("*.py")):
        if path.name != "_axes.py" and direct.search(path.read_text()):
            offenders.append(str(path.relative_to(ROOT)))
    for path in sorted((ROOT / "book").glob("*.md")):
        if direct.search(path.read_text()):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"figures made without figures/_axes.py: {offenders}"


def test_a_grid_too_wide_for_a_phone_gets_fewer_columns():
    fig, panels = _axes.figure(2, 3, squeeze=False, figsize=(6.9, 4.3))  # cells 2.3 x 2.15 in
    assert panels.shape == (3, 2), panels.shape
    width, height = fig.get_size_inches()
    assert width <= style.MAX_WIDTH_IN and abs(width - 4.6) < 0.01 and abs(height - 6.45) < 0.01
