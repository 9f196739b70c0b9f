"""Figures of the likelihoods chapters."""

__all__ = []
