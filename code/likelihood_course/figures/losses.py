"""Figures of the losses chapter."""

__all__ = []
