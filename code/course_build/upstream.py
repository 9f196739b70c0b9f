"""The upstream versions that the book's workarounds were written for.

Some of the course's extensions (`ext/`), `execute.py` and the preview reach into other projects: private classes of Sphinx and
myst-nb, copies of pydata-sphinx-theme's templates, jupyter-cache's executor. Each such place calls
`written_for` with the version it was written and checked against, and with the upstream issue or
pull request it works around. When the lock (requirements-dev.txt, the site's) moves one of them, the build stops
with a message naming the workaround, instead of shipping a site that a silently broken override
spoils: check whether the workaround is still needed and still right, then update the version.
"""

from __future__ import annotations

import importlib.metadata


class UpstreamMoved(RuntimeError):
    """A workaround meets another version than the one it was written for."""


def written_for(distribution: str, version: str, workaround: str) -> None:
    installed = importlib.metadata.version(distribution)
    if installed != version:
        raise UpstreamMoved(
            f"{workaround}: written for {distribution} {version}, but {installed} is installed. "
            f"Check whether the workaround is still needed and still right, then change the "
            f"version it names."
        )
