"""Helpers for the course "Maximum likelihood: how neural networks learn".

The lesson's code lives in the chapters; this package holds what would distract from it: seeded
data sets (`data`, and `noisy_data` for chapter 7's outliers and counts), real ones that ship with
statsmodels (`real_data`), the figures (`figures`), one matplotlib style and palette (`style`),
the course's formulas in NumPy for the figures, the explorers and the self-check answers
(`likelihood`, and `intervals` for chapter 8's confidence intervals), a quiet, seeded TensorFlow
import (`tfsetup`), and the learn-by-doing parts that run in the reader's browser: interactive
figures (`explorers`), self-check questions (`selfcheck`) and the checks of the coding exercises
(`practice`), which answer the same in the browser, in Jupyter and in a grader.
"""

from . import (
    data,
    explorers,
    intervals,
    likelihood,
    noisy_data,
    practice,
    real_data,
    selfcheck,
    style,
    tfsetup,
)

__all__ = [
    "data",
    "explorers",
    "intervals",
    "likelihood",
    "noisy_data",
    "practice",
    "real_data",
    "selfcheck",
    "style",
    "tfsetup",
]
