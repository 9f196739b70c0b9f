"""Figures of the classifiers chapters."""

__all__ = []
