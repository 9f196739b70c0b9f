"""One look for every figure: the Okabe-Ito colour-blind-safe palette, a white background (so that
figures read in a dark theme too), and font sizes that stay readable on a phone and in print."""

import matplotlib as mpl
from cycler import cycler

#: Okabe & Ito (2008), safe for the common colour-vision deficiencies: every colour a figure or an
#: explorer draws is one of these (the explorers get them as their payload's `colors`).
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "white": "#FFFFFF",  # not one of the eight: the background, and the edge that sets markers apart
}
CYCLE = [PALETTE[c] for c in ("blue", "orange", "green", "vermillion", "purple", "sky")]

# Legible on a phone: a figure fills the content column (342 CSS px on a 390 px phone), so text of
# s pt in a figure w inches wide (as saved, tight) shows at s / 72 * 342 / w CSS px. At 4.8 in (about
# 4.9 in saved) and 10 pt that is 9.7 px (at the former 6.4 in, 10 pt showed at 7.2 px and an 8 in
# wide figure's 9 pt at 5.3 px).
MAX_WIDTH_IN = 4.8  # figures/_axes.py stacks side-by-side panels wider than this
MIN_FONT_PT = 10  # figures/_axes.py raises smaller text to this

RC = {
    "figure.figsize": (MAX_WIDTH_IN, 3.2),
    "figure.dpi": 150,  # print resolution in the PDF, sharp on high-density screens
    "savefig.dpi": 150,
    "figure.facecolor": PALETTE["white"],
    "axes.facecolor": PALETTE["white"],
    "savefig.facecolor": PALETTE["white"],
    "axes.prop_cycle": cycler(color=CYCLE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "font.size": 11,
    "axes.titlesize": 11,
    "axes.labelsize": 11,
    "legend.fontsize": 10,
    "legend.frameon": False,
    "lines.linewidth": 2,
    "image.cmap": "viridis",
    "figure.constrained_layout.use": True,
    "svg.hashsalt": "likelihood-course",  # identical output at every build
    "pdf.fonttype": 42,  # the PDF book's vector figures embed TrueType: their text is searchable
}


def use():
    """Apply the course style to matplotlib (idempotent)."""
    mpl.rcParams.update(RC)
