"""What every figure function shares: the course style, and an Axes to draw on.

Legible on a phone. A figure fills the content column, about 360 CSS px wide on a 390 px phone, so
its text shrinks by that width over the figure's. Three rules keep its smallest text at 9 CSS px
or more there (tests/test_figure_legibility.py measures it in the built site):
- the course style's figures are `style.MAX_WIDTH_IN` wide (style.py), with its font sizes;
- no text is drawn smaller than `style.MIN_FONT_PT`: a `CourseFigure` raises smaller text to it
  when it is drawn (an explicit ``fontsize=9`` of a figure function included);
- panels asked for side by side (one row, wider than `style.MAX_WIDTH_IN`) are stacked instead;
  a grid asked for with ``squeeze=False`` (the caller takes a 2-D array of axes) keeps the size of
  its cells and gets as many columns as fit in `style.MAX_WIDTH_IN`, and the rows it then needs.
"""

import math

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

from .. import style
from .._checks import shown


class CourseFigure(Figure):
    """A matplotlib Figure whose text is never smaller than `style.MIN_FONT_PT` (public API:
    `plt.subplots(FigureClass=...)`); the sizes are raised before the layout is computed."""

    def draw(self, renderer):
        for text in self.findobj(Text):
            if text.get_fontsize() < style.MIN_FONT_PT:
                text.set_fontsize(style.MIN_FONT_PT)
        super().draw(renderer)


def axes(ax=None, **subplot_kw):
    """`ax` itself, or the Axes of a new figure in the course style."""
    if ax is not None and not isinstance(ax, Axes):
        raise ValueError(f"ax must be a matplotlib Axes or None, got {shown(ax)}")
    style.use()
    if ax is not None:
        return ax
    fig, ax = plt.subplots(subplot_kw=subplot_kw or None, FigureClass=CourseFigure)
    return ax


def figure(nrows=1, ncols=1, **kwargs):
    """A new multi-panel figure in the course style: (fig, axes). One row of panels wider than
    `style.MAX_WIDTH_IN` becomes one column (the axes come back in the same order)."""
    style.use()
    width, height = kwargs.get("figsize") or plt.rcParams["figure.figsize"]
    if ncols > 1 and width > style.MAX_WIDTH_IN:
        if not kwargs.get("squeeze", True):  # a grid: as many columns of its cells as fit
            cell_width, cell_height = width / ncols, height / nrows
            fit = max(1, math.floor(style.MAX_WIDTH_IN / cell_width))
            panels = nrows * ncols
            nrows, ncols = math.ceil(panels / fit), fit
            kwargs["figsize"] = (
                round(min(cell_width * fit, style.MAX_WIDTH_IN), 2),
                round(cell_height * nrows, 2),
            )
        elif nrows == 1:  # one row of panels: one column
            nrows, ncols = ncols, 1
            kwargs["figsize"] = (style.MAX_WIDTH_IN, round(height * 0.85 * nrows, 2))
    return plt.subplots(nrows, ncols, FigureClass=CourseFigure, **kwargs)
