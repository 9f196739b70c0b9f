"""The execution cache is right, and `make html` executes the chapters in parallel.

On the tiny book (tests/books/tiny/: two chapters of one cell each, see tests/tiny_books.py) built
with the same pieces as the real one: course_build.execute (the parallel pre-execution of `make
html`), then `jupyter-book build` with the extension course_build.ext.execution_deps (the cache
keyed on the helper package and requirements.txt). The tiny book's "helper package" and
requirements.txt are its own, named by the extension's `execution_deps` config value.

Executions are counted, not timed: every run of a chapter's cell appends a line to `runs.log`
(whoever executes it), and jupyter-book's own log says "Executing notebook" when the build executes
one itself. Each test has a book of its own (the `book` fixture: freshly copied and built cold),
so that none depends on another having run.
"""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from tiny_books import (
    chapter_number,
    copy_book,
    edit,
    env_for,
    jb_build,
    make_html,
    new_runs,
    page,
    pre_execute,
    runs,
    written,
)

from conftest import ROOT
from course_build import execute
from course_build.ext import execution_deps


def executed_by_build(build_log: str) -> int:
    return len(re.findall(r"Executing notebook using", build_log))


@pytest.fixture
def book(tmp_path):
    """A tiny book of this test's own, built as `make html` builds it."""
    book = copy_book(tmp_path / "book")
    make_html(book)
    return book


# --- the real book is wired to the same code ------------------------------------------------


def test_real_book_registers_the_extension_and_strict_settings():

    settings = execute.load_settings(ROOT, ROOT)
    assert settings["mode"] == "cache"
    assert settings["timeout"] == 600 and settings["allow_errors"] is False
    assert settings["cache"].parent == (ROOT / "_build" / ".jupyter_cache").resolve()
    assert settings["cache"].name.startswith(execution_deps.PREFIX)
    deps = {
        p.relative_to(ROOT).as_posix()
        for p in execution_deps.dependency_files(ROOT, execution_deps.DEFAULT_DEPS)
    }
    assert "requirements.txt" in deps and "code/likelihood_course/__init__.py" in deps
    assert not any("__pycache__" in d for d in deps)


def test_make_builds_through_the_strict_build_script():
    """`make html` and `make pdf` run course_build.build (pre-execution, then the strict build; see
    tests/test_build.py), and nothing builds around it."""
    for target, builder in (("html", "html"), ("pdf", "pdflatex")):
        out = subprocess.run(
            ["make", "-n", "--always-make", target], cwd=ROOT, capture_output=True, text=True
        ).stdout
        assert f"-m course_build.build --builder {builder}" in out, out
        assert "jupyter-book build" not in out and "course_build.execute" not in out, out


def test_dependency_hash_is_of_contents_not_mtimes(tmp_path):
    root = copy_book(tmp_path / "b")
    patterns = ["helper/**/*.py", "requirements.txt"]
    key = execution_deps.dependency_hash(root, patterns)
    os.utime(root / "requirements.txt", (1, 1))
    (root / "helper" / "tinyhelper" / "__pycache__").mkdir()
    (root / "helper" / "tinyhelper" / "__pycache__" / "x.py").write_text("ignored")
    assert execution_deps.dependency_hash(root, patterns) == key
    (root / "helper" / "tinyhelper" / "extra.py").write_text("X = 2\n")  # a new module counts
    assert execution_deps.dependency_hash(root, patterns) != key


def test_of_pyproject_toml_only_the_project_table_is_a_dependency(tmp_path):
    """A tool's setting in pyproject.toml (a lint rule) executes nothing again; the helper's own
    metadata (its dependencies) does."""
    pyproject = tmp_path / "pyproject.toml"
    project = '[project]\nname = "helper"\ndependencies = ["numpy"]\n'
    pyproject.write_text(project + "[tool.ruff]\nline-length = 110\n")
    key = execution_deps.dependency_hash(tmp_path, ["pyproject.toml"])
    pyproject.write_text(
        project + "[tool.ruff]\nline-length = 100\n\n[tool.pytest.ini_options]\naddopts = '-q'\n"
    )
    assert execution_deps.dependency_hash(tmp_path, ["pyproject.toml"]) == key
    pyproject.write_text(project.replace('"numpy"', '"numpy", "scipy"') + "[tool.ruff]\nline-length = 100\n")
    assert execution_deps.dependency_hash(tmp_path, ["pyproject.toml"]) != key


# --- the tiny book ------------------------------------------------------------------------------


def test_cold_build_executes_each_chapter_once_in_parallel(tmp_path):
    book = copy_book(tmp_path / "book")
    pre, build = make_html(book, CACHE_TEST_SLEEP="3")
    assert runs(book) == {"ch1": 1, "ch2": 1}, pre
    assert executed_by_build(build) == 0, "the build executed a notebook the pre-execution had cached"
    assert build.count("Using cached notebook") == 2, build
    assert "helper value 1" in page(book, "ch1") and "helper value 1" in page(book, "ch2")
    # concurrently: two processes, and each chapter started before the other had finished
    rows = {r.split()[0]: r.split()[1:] for r in (book / "runs.log").read_text().splitlines()}
    (pid1, start1, end1), (pid2, start2, end2) = rows["ch1"], rows["ch2"]
    assert pid1 != pid2
    assert float(start1) < float(end2) and float(start2) < float(end1), rows


def test_workers_execute_and_the_parent_alone_writes_the_cache(tmp_path, monkeypatch):
    """jupyter-cache is not safe for concurrent writers: two workers' `truncate_caches` raced, and
    one failed on a record the other had created but not yet written (CI, stop 19). A worker of
    the pre-execution only executes; its parent process stores every result."""
    from jupyter_cache import get_cache

    book = copy_book(tmp_path / "book")
    monkeypatch.chdir(book)
    monkeypatch.setenv("PYTHONPATH", env_for(book)["PYTHONPATH"])
    cache_dir = tmp_path / "cache"
    cache = get_cache(str(cache_dir))
    uri = str(book / "ch1.md")
    record = cache.add_nb_to_project(uri, read_data=execute.MYST_READER)
    result = execute._execute((str(cache_dir), record.pk, uri, 60, False, False))
    assert result["ok"], result["error"]
    assert cache.list_cache_records() == [], "a worker wrote to the cache"
    execute._store(cache, result)
    assert [r.uri for r in cache.list_cache_records()] == [uri]
    cached = cache.get_cache_bundle(cache.get_cached_project_nb(record.pk).pk).nb
    assert "helper value 1" in json.dumps(cached.cells[0].outputs)


def test_rebuild_with_nothing_changed_executes_nothing(book):
    before = runs(book)
    pre, build = make_html(book)
    assert new_runs(book, before) == {}
    assert "0 to execute" in pre
    assert executed_by_build(build) == 0


def test_prose_edit_executes_nothing(book):
    before = runs(book)
    edit(book / "ch1.md", "Some prose.", "Some prose, edited by an instructor.")
    pre, build = make_html(book)
    assert new_runs(book, before) == {}
    assert executed_by_build(build) == 0
    assert "edited by an instructor" in page(book, "ch1")


def test_code_edit_reexecutes_that_chapter_alone(book):
    before = runs(book)
    edit(book / "ch1.md", "result = 1", "result = 6 * 7")
    pre, build = make_html(book)
    assert new_runs(book, before) == {"ch1": 1}
    assert executed_by_build(build) == 0
    assert "result 42" in page(book, "ch1")


def test_helper_change_reexecutes_the_chapters(book):
    before = runs(book)
    (book / "helper" / "tinyhelper" / "__init__.py").write_text("VALUE = 2\n")
    pre, build = make_html(book)
    assert new_runs(book, before) == {"ch1": 1, "ch2": 1}
    assert "helper value 2" in page(book, "ch1") and "helper value 2" in page(book, "ch2")


def test_requirements_change_reexecutes_the_chapters(book):
    before = runs(book)
    (book / "requirements.txt").write_text("numpy==2.0.2\nscipy==1.17.1\n")
    pre, build = make_html(book)
    assert new_runs(book, before) == {"ch1": 1, "ch2": 1}


def test_jupyter_book_build_alone_follows_a_helper_change(book):
    """Without the pre-execution, the build itself re-reads and re-executes the chapters."""
    before = runs(book)
    (book / "helper" / "tinyhelper" / "__init__.py").write_text("VALUE = 3\n")
    build = jb_build(book)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    assert new_runs(book, before) == {"ch1": 1, "ch2": 1}
    assert executed_by_build(build.stdout + build.stderr) == 2
    assert "helper value 3" in page(book, "ch2")
    before = runs(book)
    again = jb_build(book)
    assert again.returncode == 0 and new_runs(book, before) == {}
    assert executed_by_build(again.stdout + again.stderr) == 0


def test_reverting_the_helper_finds_the_earlier_cache(book):
    (book / "helper" / "tinyhelper" / "__init__.py").write_text("VALUE = 2\n")
    make_html(book)
    before = runs(book)
    (book / "helper" / "tinyhelper" / "__init__.py").write_text("VALUE = 1\n")
    pre, build = make_html(book)
    assert new_runs(book, before) == {}
    assert "helper value 1" in page(book, "ch1")


def test_a_data_file_of_the_helper_reexecutes_the_chapters(book):
    before = runs(book)
    (book / "helper" / "tinyhelper" / "table.csv").write_text("x\n1\n")  # not Python, still read
    make_html(book)
    assert new_runs(book, before) == {"ch1": 1, "ch2": 1}


def test_an_execution_setting_reexecutes_the_chapters(book):
    before = runs(book)
    edit(book / "_config.yml", "timeout: 60", "timeout: 90")
    make_html(book)
    assert new_runs(book, before) == {"ch1": 1, "ch2": 1}


def test_a_cache_made_in_another_environment_is_not_served(book):
    """What the publishing workflow restores by a key prefix may come from another environment
    (another Python, other packages): its directory carries that environment's key, so the
    chapters are executed again rather than served from it."""
    base = book / "_build" / ".jupyter_cache"
    caches = sorted(base.glob(f"{execution_deps.PREFIX}*"), key=lambda p: p.stat().st_mtime)
    for old in caches[:-1]:
        shutil.rmtree(old)
    caches[-1].rename(base / f"{execution_deps.PREFIX}{'0' * 16}")  # as if built elsewhere
    before = runs(book)
    make_html(book)
    assert new_runs(book, before) == {"ch1": 1, "ch2": 1}


def test_the_key_covers_python_platform_and_every_installed_package(tmp_path):
    listed = json.loads(
        subprocess.run(
            [sys.executable, "-m", "pip", "list", "--format=json"], capture_output=True, text=True, check=True
        ).stdout
    )
    env = execution_deps.environment()
    assert env[0] == f"python {sys.version}" and env[1].startswith("platform ")
    for dist in listed:  # pip's own list, normalised as pip writes names
        name = dist["name"].lower()
        assert any(
            line.replace("_", "-") == f"{name.replace('_', '-')}=={dist['version']}" for line in env
        ), f"{name} {dist['version']} is not in the key"
    root = copy_book(tmp_path / "b")
    key = execution_deps.dependency_hash(root, ["helper/**/*"], {"timeout": 60})
    assert execution_deps.dependency_hash(root, ["helper/**/*"], {"timeout": 61}) != key


def test_failing_cell_fails_make_html(book):
    edit(book / "ch2.md", "result = 1", "result = 1 / 0")
    pre = pre_execute(book)
    assert pre.returncode != 0
    assert "ZeroDivisionError" in pre.stderr
    build = jb_build(book)  # and the build alone fails on it too
    assert build.returncode != 0
    assert "ZeroDivisionError" in build.stdout + build.stderr


def test_pre_execution_honours_the_timeout(tmp_path):
    small = copy_book(tmp_path / "timeout", chapters=("ch1",), timeout=2)
    pre = pre_execute(small, CACHE_TEST_SLEEP="30")
    assert pre.returncode != 0
    assert "CellTimeoutError" in pre.stderr or "timed out" in pre.stderr, pre.stderr[-2000:]
    assert runs(small) == {}  # the cell never got to write its line


def test_an_edit_of_one_page_writes_that_page_alone(tmp_path):
    """A prose edit writes its page and the root page (which Sphinx always writes), and the
    chapters stay numbered on across the parts (tests/test_preview.py builds twice in one
    process, where sphinx-external-toc's counters numbered on: code/course_build/ext/toc_titles.py)."""
    book = copy_book(tmp_path / "book", "numbered")
    first = jb_build(book)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert written(first.stdout) == {"intro", "ch1", "ch2", "ch3"}, first.stdout
    numbers = [chapter_number(book, doc) for doc in ("ch1", "ch2", "ch3")]
    assert numbers == ["1. ", "2. ", "3. "]

    edit(book / "ch1.md", "Some prose.", "Some prose, edited.")
    again = jb_build(book)
    assert again.returncode == 0, again.stdout[-3000:]
    assert written(again.stdout) == {"ch1", "intro"}, again.stdout
    assert "edited" in page(book, "ch1")
    assert [chapter_number(book, doc) for doc in ("ch1", "ch2", "ch3")] == numbers


def test_a_new_title_is_written_into_every_page(tmp_path):
    """Every page's sidebar shows every chapter's title: a new title rewrites them all, not only
    its own page as Sphinx would (code/course_build/ext/toc_titles.py)."""
    book = copy_book(tmp_path / "book", "numbered")
    assert jb_build(book).returncode == 0
    edit(book / "ch1.md", "# Chapter ch1", "# A renamed chapter")
    again = jb_build(book)
    assert again.returncode == 0, again.stdout[-3000:]
    assert written(again.stdout) == {"intro", "ch1", "ch2", "ch3"}, again.stdout
    assert "A renamed chapter" in page(book, "ch3")
