"""Real data sets for the real-data chapter, as NumPy arrays, and a seeded train/held-out split.

The data ship inside statsmodels (`statsmodels.datasets`): nothing is downloaded when the book is
built or read. Each loader returns a `DataSet` with the inputs `X` (one column per input, no
constant column), the outcome `y`, the names of the columns and the source to cite.
"""

from dataclasses import dataclass

import numpy as np

from ._checks import as_seed, integer

__all__ = ["DataSet", "spector", "engel", "randhie", "split"]


@dataclass(frozen=True)
class DataSet:
    """A real data set: inputs `X` (n, k), outcome `y` (n,), their names, and where it is from."""

    X: np.ndarray
    y: np.ndarray
    names: tuple
    target: str
    source: str

    def column(self, name):
        """The input column called `name`, as a 1-D array."""
        if name not in self.names:
            raise ValueError(f"name must be one of {self.names}, got {name!r}")
        return self.X[:, self.names.index(name)]


def _load(module, names, target, dtype=float):
    from statsmodels import datasets

    frame = getattr(datasets, module).load_pandas().data
    X = frame[list(names)].to_numpy(dtype=float)
    y = frame[target].to_numpy(dtype=dtype)
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


def spector():
    """Spector and Mazzeo (1980): did the grade of 32 students improve (GRADE = 1) after a course
    in intermediate macroeconomics? Inputs: grade point average (GPA), score on a test of economics
    taken before the course (TUCE), and whether the student was taught with the new Personalized
    System of Instruction (PSI = 1)."""
    names = ("GPA", "TUCE", "PSI")
    X, y = _load("spector", names, "GRADE", dtype=int)
    return DataSet(X, y, names, "GRADE", "Spector and Mazzeo (1980)")


def engel():
    """Engel's food expenditure data, as in Koenker and Bassett (1982): the annual income and the
    annual food expenditure of 235 working-class households in Belgium in 1857, both in Belgian
    francs."""
    X, y = _load("engel", ("income",), "foodexp")
    return DataSet(X, y, ("income",), "foodexp", "Koenker and Bassett (1982)")


def randhie():
    """The RAND Health Insurance Experiment, as in Cameron and Trivedi (2005): the number of
    outpatient visits to a doctor in a year (mdvis) of 20,190 people, and nine inputs: the
    coinsurance rate (lncoins, the log of 1 + the rate in percent), an individual deductible (idp), the log of the
    annual participation incentive payment (lpi), the log of the maximum medical deductible
    expenditure (fmde), physical limitation (physlm), the number of chronic diseases (disea), and
    self-rated health good, fair or poor (hlthg, hlthf, hlthp; excellent is the baseline)."""
    names = ("lncoins", "idp", "lpi", "fmde", "physlm", "disea", "hlthg", "hlthf", "hlthp")
    X, y = _load("randhie", names, "mdvis", dtype=int)
    return DataSet(X, y, names, "mdvis", "Cameron and Trivedi (2005)")


def split(n, heldout=1 / 3, seed=0):
    """A seeded random split of the indices 0..n-1 into a training part and a held-out part of
    round(heldout * n) indices, `seed` an integer in [0, 2**32 - 1]. Returns (train, held_out),
    each sorted, together all of 0..n-1."""
    n, seed = integer("n", n), as_seed(seed)
    if isinstance(heldout, bool) or not isinstance(heldout, (int, float, np.floating)) or not 0 < heldout < 1:
        raise ValueError(f"heldout must be a fraction in the open interval (0, 1), got {heldout!r}")
    size = int(round(heldout * n))
    if not 1 <= size <= n - 1:
        raise ValueError(
            f"heldout * n must leave at least one index in each part, got n = {n}, heldout = {heldout}"
        )
    order = np.random.default_rng(seed).permutation(n)
    return np.sort(order[size:]), np.sort(order[:size])
