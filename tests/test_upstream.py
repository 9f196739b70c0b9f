"""The workarounds' version guards (code/course_build/upstream.py): a moved upstream stops the build with a
message that names the workaround, and every guard names the version that the lock pins."""

import ast
import re

import pytest

from conftest import ROOT
from course_build.upstream import UpstreamMoved, written_for


def test_a_moved_upstream_stops_with_the_workaround_named():
    with pytest.raises(UpstreamMoved, match=r"the fix: written for sphinx 0\.1, but 7\.4\.7 is installed"):
        written_for("sphinx", "0.1", "the fix")


def test_an_unmoved_upstream_passes():
    import sphinx

    written_for("sphinx", sphinx.__version__, "the fix")


def guards():
    package = ROOT / "code" / "course_build"
    for path in [*sorted(package.glob("**/*.py")), ROOT / "conf.py"]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "written_for":
                yield path.name, *(ast.literal_eval(a) for a in node.args)


def test_every_guard_names_the_locked_version():
    locks = [ROOT / "requirements.txt", ROOT / "requirements-dev.txt"]  # the readers', the site's
    locked = dict(re.findall(r"^([\w.-]+)==(\S+)", "".join(p.read_text() for p in locks), re.M))
    found = list(guards())
    assert {dist for _, dist, *_ in found} >= {
        "sphinx",
        "myst-nb",
        "pydata-sphinx-theme",
        "docutils",
        "jupyter-cache",
        "jupyter-book",
    }
    for where, dist, version, workaround in found:
        assert locked.get(dist) == version, (
            f"{where}: {workaround!r} names {dist} {version}, the lock {locked.get(dist)}"
        )
