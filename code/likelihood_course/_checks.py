"""Argument checks shared by the helper modules: bad input raises a ValueError that names the
argument and what is allowed, so that nothing downstream computes or plots a NaN."""

import numbers

import numpy as np

#: The largest seed: what every generator of NumPy and TensorFlow (tfsetup) accepts.
MAX_SEED = 2**32 - 1


def shown(value, limit=60):
    """A short repr of `value` for an error message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _is_real(value):
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def as_real(name, values, *, bools=False):
    """`values` (a number or an array of numbers, of any shape) as a float array, with nothing
    coerced: text, bytes, booleans (unless `bools`, for labels), complex numbers, None, dicts and
    other objects, and ragged nestings are refused, not read as numbers."""
    try:
        arr = np.asarray(values)
    except (ValueError, TypeError):  # a ragged nesting, or an object NumPy cannot hold
        raise ValueError(f"{name} must be a number or an array of numbers, got {shown(values)}") from None
    kind = arr.dtype.kind
    if kind == "b" and bools:
        return arr.astype(float)
    if kind == "O" and all(_is_real(v) for v in arr.flat):  # e.g. Python ints beyond int64
        try:
            return arr.astype(float)
        except OverflowError:
            raise ValueError(
                f"{name} must hold numbers within float64's range, got {shown(values)}"
            ) from None
    if kind not in "iuf":
        what = {
            "b": "booleans",
            "c": "complex numbers",
            "U": "text",
            "S": "bytes",
            "O": "objects that are not real numbers",
        }.get(kind, f"values of type {arr.dtype}")
        allowed = "real numbers or booleans" if bools else "real numbers (int or float)"
        raise ValueError(f"{name} must hold {allowed}, not {what}: got {shown(values)}")
    return arr.astype(float)


def as_data(name, values, *, ndim=1):
    """A non-empty, finite float array with `ndim` dimensions."""
    arr = as_real(name, values)
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
    """A non-empty 1-D array of integer class labels in {0, ..., classes - 1} (booleans count as
    0 and 1)."""
    arr = as_real(name, values, bools=True)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array, got shape {arr.shape}")
    arr = as_finite(name, arr)
    allowed = np.arange(classes)
    if not np.all(np.isin(arr, allowed)):
        labels = "{0, 1}" if classes == 2 else f"{{0, ..., {classes - 1}}}"
        raise ValueError(f"{name} must contain only labels in {labels}")
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
    arr = as_real(name, values)
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    if not np.all(ok(arr)):
        raise ValueError(f"{name} must {must}")
    return arr


def finite_result(names, values):
    """`values`, computed under np.errstate(over="ignore"), if finite; else a ValueError that names
    the arguments (`names`) that took the result beyond float64's range."""
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{names} must keep the result within float64's range (about 1.8e308)")
    return values


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
    try:
        arr = as_real(name, value)
    except ValueError:
        arr = None
    if arr is None or arr.size != 1:
        raise ValueError(f"{name} must be a single number (an int or a float), got {shown(value)}")
    arr = (check or as_finite)(name, arr)
    return float(arr.reshape(()))


def integer(name, value, *, minimum=1, maximum=None):
    """An integer (a Python or NumPy one; not a bool, not a float) in [minimum, maximum]."""
    if (
        isinstance(value, (bool, np.bool_))
        or not isinstance(value, (int, np.integer))
        or value < minimum
        or (maximum is not None and value > maximum)
    ):
        if maximum is not None:
            allowed = f"an integer in [{minimum}, {maximum}]"
        else:
            allowed = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
        raise ValueError(f"{name} must be {allowed}, got {shown(value)}")
    return int(value)


def as_seed(value, name="seed"):
    """A seed for NumPy's and TensorFlow's generators: an integer in [0, 2**32 - 1]. Not None (a
    different draw at every build) and not a float, a string or a boolean."""
    return integer(name, value, minimum=0, maximum=MAX_SEED)


def flag(name, value):
    """A switch: True or False (a Python or NumPy bool), not a string or a number read as one."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {shown(value)}")
    return bool(value)


def text(name, value, *, optional=False):
    """A string (a label, a title); None too if `optional`."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        allowed = "a string or None" if optional else "a string"
        raise ValueError(f"{name} must be {allowed}, got {shown(value)}")
    return value
