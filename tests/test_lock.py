"""The locked environment: requirements.in lists what the course uses directly, requirements.txt
(made from it by `make lock`, pip-tools) pins every package exactly, for readers, Binder and CI. The
lock must be complete (every dependency of every locked package is locked too), agree with
requirements.in, and be what this environment runs."""

import importlib.metadata
import re

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT


def lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line == "-e .":
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==([\w.+!-]+)", line)
        assert match, f"requirements.txt: {line!r} is not an exact pin"
        pins[canonicalize_name(match[1])] = match[2]
    return pins


def test_every_direct_dependency_is_locked_as_asked():
    pins = lock()
    for line in (ROOT / "requirements.in").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-e"):
            continue
        req = Requirement(line)
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} (requirements.in) is not in the lock"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"{req.name}: locked {pins[name]}, asked {req.specifier}"
        )


def test_the_lock_is_complete():
    """Every dependency that a locked package declares (for this Python and platform) is locked."""
    pins = lock()
    missing = []
    for name in pins:
        for spec in importlib.metadata.requires(name) or []:
            req = Requirement(spec)
            if req.marker is not None and not req.marker.evaluate({"extra": ""}):
                continue  # another platform's, or an optional extra's
            dep = canonicalize_name(req.name)
            if dep not in pins and dep not in {"setuptools", "pip"}:
                missing.append(f"{name} needs {req}")
            elif dep in pins and not req.specifier.contains(pins[dep], prereleases=True):
                missing.append(f"{name} needs {req}, the lock has {pins[dep]}")
    assert not missing, "the lock is incomplete or inconsistent:\n" + "\n".join(missing)


def test_this_environment_is_the_lock():
    wrong = [
        f"{name}: locked {version}, installed {importlib.metadata.version(name)}"
        for name, version in lock().items()
        if importlib.metadata.version(name) != version
    ]
    assert not wrong, "run `make setup`:\n" + "\n".join(wrong)
