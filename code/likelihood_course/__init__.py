"""Helpers for the course "Maximum likelihood: how neural networks learn".

The lesson's code lives in the chapters; this package holds what would distract from it: seeded
data sets (`data`), the figures (`figures`), one matplotlib style (`style`), NumPy reference
formulas that the tests hold the chapters' tools against (`likelihood`), and a quiet, seeded
TensorFlow import (`tfsetup`).
"""

from . import data, likelihood, style, tfsetup

__all__ = ["data", "likelihood", "style", "tfsetup"]
