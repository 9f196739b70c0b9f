"""Figures of the regression chapters."""

__all__ = []
