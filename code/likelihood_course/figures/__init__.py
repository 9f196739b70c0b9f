"""One function per book figure. Each draws on `ax` (a new figure when None) and returns it, after
matplotlib's explicit Axes API; multi-panel figures return their Figure. Inputs are checked first,
so that a bad argument raises a ValueError instead of drawing a NaN."""

from .calibration import *  # noqa: F401,F403
from .classifiers import *  # noqa: F401,F403
from .distributions import *  # noqa: F401,F403
from .estimates import *  # noqa: F401,F403
from .explorers import *  # noqa: F401,F403
from .likelihoods import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .map import *  # noqa: F401,F403
from .real_data import *  # noqa: F401,F403
from .regression import *  # noqa: F401,F403
