"""The same site at every build: a second build of this checkout writes every file of `make html`'s
_build/html byte for byte.

In a copy of the repository (the files a clone has, the served _vendor/ linked), with a copy of the
execution cache from which chapter 9 (both its pages) is removed, `code/course_build/build.py` builds the book
again: every page is read and written afresh, and chapter 9, whose TensorFlow once logged retracing warnings
with memory addresses into its page, is executed again. Every file of both builds must be the same:
pages, downloads (their cell ids), the helper's wheel, the search index, figures. Not compared:
`make html`'s own stamp, the PDF that `make pdf` copies in, and Sphinx's .buildinfo (a hash of the
configuration, which holds the checkout's absolute paths).
"""

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_binder import _copy_repository

from conftest import HTML, ROOT

EXECUTED_AGAIN = ("book/09_real_data.md", "book/09_counts.md")  # chapter 9, both pages
NOT_COMPARED = {".built", "course.pdf", ".buildinfo"}


def _helper_commit() -> str:
    run = subprocess.run(
        ["git", "log", "-1", "--format=%H", "--", "code/likelihood_course", "pyproject.toml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout.strip()


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} - NOT_COMPARED


@pytest.mark.build
def test_a_second_build_writes_every_file_byte_for_byte(tmp_path):
    from jupyter_cache import get_cache

    copy = tmp_path / "repo"
    _copy_repository(copy)
    for linked in ("_vendor", "node_modules"):
        (copy / linked).symlink_to(ROOT / linked)
    shutil.copytree(ROOT / "_build" / ".jupyter_cache", copy / "_build" / ".jupyter_cache")
    if (HTML / "course.pdf").is_file():  # as `make html` finds a current PDF: the pages link it
        (copy / "_build" / "html").mkdir(parents=True)
        shutil.copy2(HTML / "course.pdf", copy / "_build" / "html" / "course.pdf")
    for folder in (copy / "_build" / ".jupyter_cache").glob("deps-*"):
        cache = get_cache(str(folder))
        for record in cache.list_cache_records():
            if record.uri.endswith(EXECUTED_AGAIN):
                cache.remove_cache(record.pk)
    # the copy is no git checkout: it names the helper's commit as a CI job's checkout does
    env = {**os.environ, "GITHUB_SHA": _helper_commit()}
    build = subprocess.run(
        [sys.executable, "-m", "course_build.build", str(copy), "--builder", "html"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    log = build.stdout + build.stderr
    assert build.returncode == 0, log[-4000:]
    for page in EXECUTED_AGAIN:
        assert f"[execute] {page}: executed in" in log, log[-4000:]

    again = copy / "_build" / "html"
    first, second = _files(HTML), _files(again)
    assert first == second, (
        f"only in make html's: {sorted(first - second)[:10]}; only in the second: {sorted(second - first)[:10]}"
    )
    differ = [name for name in sorted(first) if not filecmp.cmp(HTML / name, again / name, shallow=False)]
    assert not differ, f"{len(differ)} files differ between two builds: {differ[:20]}"
