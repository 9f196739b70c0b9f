"""The locked environments: requirements.in lists what the course uses directly, requirements.txt
(made from it by `make lock`, pip-tools) pins every package exactly, for readers, Binder and CI;
requirements-dev.in/.txt add what the site's checks need, within those pins. Each lock must be
complete (every dependency of every locked package is locked too, in it or in the readers'), agree
with its .in file and with the other lock, and be what this environment runs."""

import importlib.metadata
import re

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT

LOCKS = {"requirements.in": "requirements.txt", "requirements-dev.in": "requirements-dev.txt"}


def lock(name: str = "requirements.txt") -> dict[str, str]:
    pins = {}
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line == "-e .":
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==([\w.+!-]+)", line)
        assert match, f"{name}: {line!r} is not an exact pin"
        pins[canonicalize_name(match[1])] = match[2]
    return pins


@pytest.mark.parametrize("wanted", LOCKS)
def test_every_direct_dependency_is_locked_as_asked(wanted):
    pins = lock(LOCKS[wanted])
    for line in (ROOT / wanted).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-e"):
            continue
        req = Requirement(line)
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} ({wanted}) is not in {LOCKS[wanted]}"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"{req.name}: locked {pins[name]}, asked {req.specifier}"
        )


@pytest.mark.parametrize("locked", LOCKS.values())
def test_the_lock_is_complete(locked):
    """Every dependency that a locked package declares (for this Python and platform) is locked,
    in this lock or the readers'."""
    pins = {**lock(), **lock(locked)}
    missing = []
    for name in lock(locked):
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


def test_the_two_locks_agree():
    readers, checks = lock(), lock("requirements-dev.txt")
    differ = {
        name: (readers[name], checks[name])
        for name in readers.keys() & checks.keys()
        if readers[name] != checks[name]
    }
    assert not differ, f"the readers' lock and the checks' lock pin these differently: {differ}"


@pytest.mark.parametrize("locked", LOCKS.values())
def test_this_environment_is_the_lock(locked):
    wrong = [
        f"{name}: locked {version}, installed {importlib.metadata.version(name)}"
        for name, version in lock(locked).items()
        if importlib.metadata.version(name) != version
    ]
    assert not wrong, "run `make setup`:\n" + "\n".join(wrong)


# The hub of the hub tests (`make hub-venv`) is the one Zero to JupyterHub 4.4.0 runs: the chart's
# hub image's pins (code/course_build/hub-chart-4.4.0.txt, copied from the chart's repository).
HUB_LOCK, CHART = "code/course_build/hub-requirements.txt", "code/course_build/hub-chart-4.4.0.txt"


def test_the_hub_lock_is_the_charts():
    chart, hub = lock(CHART), lock(HUB_LOCK)
    assert hub["jupyterhub"] == "5.5.0" and hub["jupyterhub-ltiauthenticator"] == "1.6.3"
    assert {name: chart.get(name) for name in hub} == hub
    assert not {"jupyterhub-kubespawner", "pycurl", "psycopg2"} & hub.keys(), "what only Kubernetes needs"


def test_the_students_server_is_of_the_hubs_series():
    """JupyterHub asks for one major version on both sides (the single-user server warns otherwise)."""
    assert lock()["jupyterhub"].split(".")[0] == lock(CHART)["jupyterhub"].split(".")[0]
