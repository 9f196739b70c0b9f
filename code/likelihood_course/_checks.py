"""Argument checks shared by the helper modules: bad input raises a ValueError that names the
argument and what is allowed, so that nothing downstream computes or plots a NaN."""

import numpy as np


def as_data(name, values, *, ndim=1):
    """A non-empty, finite float array with `ndim` dimensions."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {arr.shape}")
    return as_finite(name, arr)


def as_counts(name, values):
    """A non-empty 1-D array of counts: non-negative whole numbers (as floats)."""
    arr = as_data(name, values)
    if np.any(arr < 0) or np.any(arr != np.round(arr)):
        raise ValueError(f"{name} must contain only non-negative integer counts")
    return arr


def as_labels(name, values, *, classes=2):
    """A non-empty 1-D array of integer class labels in {0, ..., classes - 1}."""
    arr = as_data(name, values)
    allowed = np.arange(classes)
    if not np.all(np.isin(arr, allowed)):
        shown = "{0, 1}" if classes == 2 else f"{{0, ..., {classes - 1}}}"
        raise ValueError(f"{name} must contain only labels in {shown}")
    return arr.astype(int)


def as_probability(name, values):
    """Probabilities in [0, 1]."""
    return _checked(name, values, lambda a: (a >= 0) & (a <= 1), "lie in [0, 1]")


def open_probability(name, values):
    """Probabilities in the open interval (0, 1): where a log of both p and 1 - p is taken."""
    return _checked(name, values, lambda a: (a > 0) & (a < 1), "lie in the open interval (0, 1)")


def as_positive(name, values):
    """Strictly positive finite numbers (a standard deviation, a scale)."""
    return _checked(name, values, lambda a: np.isfinite(a) & (a > 0), "be > 0 and finite")


def as_finite(name, values):
    """Finite numbers of any shape (a location, a weight)."""
    return _checked(name, values, np.isfinite, "contain only finite numbers (no NaN or inf)")


def _checked(name, values, ok, must):
    """A non-empty float array whose every element is `ok`, else "{name} must {must}"."""
    arr = np.asarray(values, dtype=float)
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    if not np.all(ok(arr)):
        raise ValueError(f"{name} must {must}")
    return arr


def same_length(name_a, a, name_b, b):
    if len(a) != len(b):
        raise ValueError(f"{name_a} and {name_b} must have the same length, got {len(a)} and {len(b)}")


def flat(name, arr):
    """A 1-D array from shape (n,) or (n, 1) (a column, as Keras' predict returns); any other
    shape is refused, so that a column never broadcasts against a row into an n x n result."""
    if arr.ndim == 2 and arr.shape[1] == 1:
        return arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(f"{name} must have shape (n,) or (n, 1), got {arr.shape}")
    return arr


def like(name, arr, ref_name, ref):
    """A parameter given per observation: a single number, or one value for each element of `ref`
    (a column (n, 1) for data (n,) counts as one per element)."""
    if arr.size == 1:
        return arr.reshape(()) if arr.ndim else arr
    if arr.shape != ref.shape and arr.ndim == ref.ndim + 1 and arr.shape[-1] == 1:
        arr = arr[..., 0]
    if arr.shape != ref.shape:
        raise ValueError(
            f"{name} must be a single number or have the shape of {ref_name} {ref.shape}, got {arr.shape}"
        )
    return arr


def scalar(name, value, check=None):
    """One number (a Python or NumPy scalar, or an array holding one), checked by `check`."""
    arr = np.asarray(value, dtype=float) if not isinstance(value, (str, bytes)) else None
    if arr is None or arr.size != 1:
        raise ValueError(f"{name} must be a single number, got {value!r}")
    arr = (check or as_finite)(name, arr)
    return float(arr.reshape(()))


def integer(name, value, *, minimum=1):
    """An integer (a Python or NumPy one; not a bool, not a float) of at least `minimum`."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        allowed = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
        raise ValueError(f"{name} must be {allowed}, got {value!r}")
    return int(value)
