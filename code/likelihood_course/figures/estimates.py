"""Figures of the estimates chapter."""

__all__ = []
