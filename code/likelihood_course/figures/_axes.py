"""What every figure function shares: the course style, and an Axes to draw on."""

import matplotlib.pyplot as plt

from .. import style


def axes(ax=None, **subplot_kw):
    """`ax` itself, or the Axes of a new figure in the course style."""
    style.use()
    if ax is not None:
        return ax
    fig, ax = plt.subplots(subplot_kw=subplot_kw or None)
    return ax


def figure(nrows=1, ncols=1, **kwargs):
    """A new multi-panel figure in the course style: (fig, axes)."""
    style.use()
    return plt.subplots(nrows, ncols, **kwargs)
