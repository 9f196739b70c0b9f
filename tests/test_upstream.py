"""The workarounds' version guards (_ext/upstream.py): a moved upstream stops the build with a
message that names the workaround, and every guard names the version that the lock pins."""

import ast
import re
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "_ext"))
from upstream import UpstreamMoved, written_for  # noqa: E402


def test_a_moved_upstream_stops_with_the_workaround_named():
    with pytest.raises(UpstreamMoved, match=r"the fix: written for sphinx 0\.1, but 7\.4\.7 is installed"):
        written_for("sphinx", "0.1", "the fix")


def test_an_unmoved_upstream_passes():
    import sphinx

    written_for("sphinx", sphinx.__version__, "the fix")


def guards():
    reaching = [ROOT / "tools" / name for name in ("execute.py", "preview.py", "resident_sphinx.py")]
    reaching.append(ROOT / "conf.py")
    for path in [*sorted((ROOT / "_ext").glob("*.py")), *reaching]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "written_for":
                yield path.name, *(ast.literal_eval(a) for a in node.args)


def test_every_guard_names_the_locked_version():
    locked = dict(re.findall(r"^([\w.-]+)==(\S+)", (ROOT / "requirements.txt").read_text(), re.M))
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
