"""A failed strict build stays failed (code/course_build/build.py, which `make html` and `make pdf` run).

Sphinx saves its environment even when a warning failed the build; without code/course_build/build.py, a second
build with nothing changed re-reads no page, warns about nothing and passes, broken reference and
all. On the tiny book (tests/books/tiny/): a planted broken reference fails the first
build and the second; once fixed, the build passes."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tiny_books import add_extensions, chapter, copy_book, edit, env_for

from course_build import build as strict_build
from course_build import execute

BUILD = [sys.executable, "-m", "course_build.build"]


def build(book):
    return subprocess.run(
        [*BUILD, str(book), "--builder", "html"],
        cwd=book,
        env=env_for(book),
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_a_failed_build_fails_again_until_fixed(tmp_path):
    book = copy_book(tmp_path / "book")
    page = book / "ch1.md"
    page.write_text(chapter("ch1", prose="See {doc}`a-page-that-does-not-exist`."))
    for attempt in ("first", "second"):
        result = build(book)
        log = result.stdout + result.stderr
        assert result.returncode != 0, f"the {attempt} build passed with a broken reference:\n{log[-2000:]}"
        assert "a-page-that-does-not-exist" in log, f"the {attempt} build did not report the cause"
    page.write_text(chapter("ch1", prose="See {doc}`ch2`."))
    result = build(book)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert (book / "_build" / "html" / "ch1.html").is_file()


def test_a_good_build_keeps_its_environment(tmp_path):
    """Only a failure costs the next build its saved environment: after a good build, the next one
    reads nothing again."""
    book = copy_book(tmp_path / "book")
    assert build(book).returncode == 0
    again = build(book)
    assert again.returncode == 0
    assert (
        "0 source files that are out of date" in again.stdout or "no targets are out of date" in again.stdout
    ), again.stdout[-2000:]


def test_a_page_taken_out_of_the_book_leaves_no_output(tmp_path):
    """A chapter removed from _toc.yml: its page, its download and its executed notebook go from
    _build (the site, and the notebooks branch assembled from it, would publish them); and so does
    a figure that a chapter no longer draws."""
    book = copy_book(tmp_path / "book")
    add_extensions(book, "prune")
    figure = "import matplotlib.pyplot as plt\nplt.plot([0, 1], [0, {}])\nplt.show()"
    edit(book / "ch1.md", "result = 1", "result = 1\n" + figure.format(1))
    assert build(book).returncode == 0
    html = book / "_build" / "html"
    (drawn,) = (html / "_images").iterdir()
    edit(book / "ch1.md", figure.format(1), figure.format(2))

    def outputs():
        return [
            html / "ch2.html",
            *(html / "_sources").glob("ch2.*"),
            book / "_build" / "jupyter_execute" / "ch2.ipynb",
        ]

    before = [p for p in outputs() if p.is_file()]
    assert len(before) >= 3, before
    (book / "_toc.yml").write_text((book / "_toc.yml").read_text().replace("  - file: ch2\n", ""))
    result = build(book)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert not [p for p in before if p.exists()], "the removed chapter's outputs are still there"
    (now,) = (html / "_images").iterdir()
    assert now.name != drawn.name and now.name in (html / "ch1.html").read_text()
    assert (html / "ch1.html").is_file() and list((html / "_sources").glob("ch1.*"))
    assert (html / "index.html").is_file() and (html / "search.html").is_file(), "pages with no source"


def test_a_page_cannot_loosen_the_books_execution_settings(tmp_path):
    """Front matter `execution: allow_errors: true` (jupyter-cache reads it) or `mystnb:
    execution_timeout` (myst-nb reads it) would let a page pass with an error on it: the build fails
    and names the setting, and the cell's error is not published as a page that built."""
    book = copy_book(tmp_path / "book")
    for front, code in [
        ("execution:\n  allow_errors: true\n", "result = 1 / 0"),
        ("mystnb:\n  execution_timeout: 5\n", "result = 1"),
    ]:
        text = chapter("ch1", code=code).replace("kernelspec:", front + "kernelspec:", 1)
        (book / "ch1.md").write_text(text)
        result = build(book)
        log = result.stdout + result.stderr
        assert result.returncode != 0, log[-3000:]
        setting = front.replace("\n  ", " ").strip().split(":")[0]
        assert re.search(rf"ch1\.md.*the page sets its own execution setting \({setting}: ", log), log[-3000:]
        assert "ZeroDivisionError" not in log, "the page was executed with its own settings"


KILLER = '''\
"""Kills the whole build (code/course_build/build.py and jupyter-book) while it writes the page named by
KILL_WHILE_WRITING, as Ctrl-C or a machine going down would."""
import os
import signal


def _kill(app, pagename, templatename, context, doctree):
    if pagename == os.environ.get("KILL_WHILE_WRITING"):
        os.killpg(os.getpgrp(), signal.SIGKILL)


def setup(app):
    app.connect("html-page-context", _kill)
    return {"parallel_read_safe": True}
'''


def test_a_build_that_did_not_finish_is_followed_by_one_that_does(tmp_path):
    """Killed while writing its output, a build leaves a saved environment that says every page
    was written, and no search index: the next build failed ("search index couldn't be loaded")
    and only the third passed. Now the second starts afresh and passes, with every page."""
    book = copy_book(tmp_path / "book")
    (tmp_path / "killer").mkdir()
    (tmp_path / "killer" / "killer.py").write_text(KILLER)
    add_extensions(book, local=f"    killer: {tmp_path / 'killer'}\n")
    killed = subprocess.run(
        [*BUILD, str(book), "--builder", "html"],
        cwd=book,
        env=env_for(book, KILL_WHILE_WRITING="ch2"),
        capture_output=True,
        text=True,
        timeout=600,
        start_new_session=True,  # its own process group, which the extension kills
    )
    assert killed.returncode == -9, (killed.stdout + killed.stderr)[-3000:]
    assert not (book / "_build" / "html" / "searchindex.js").exists(), "the build was killed too late"
    result = build(book)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert "the last html build did not finish" in result.stdout
    html = book / "_build" / "html"
    assert all((html / f"{page}.html").is_file() for page in ("intro", "ch1", "ch2", "search"))
    assert "ch2" in (html / "searchindex.js").read_text()
    assert not list((book / "_build").glob(".*-unfinished")), "the finished build left its mark"


def executed(log: str) -> set[str]:
    return set(re.findall(r"\[execute\] (\w+)\.md: executed in", log))


def test_a_broken_execution_cache_is_repaired_and_said_so(tmp_path):
    """A cached notebook's file deleted, then the cache's database truncated, then emptied: each
    crashed every build (a raw KeyError; sqlalchemy's "database disk image is malformed" or "no
    such table"). Now a broken record is executed again, and a database that cannot be read is set
    aside with one line saying so; the build passes each time."""
    book = copy_book(tmp_path / "book")
    assert build(book).returncode == 0
    base = book / "_build" / ".jupyter_cache"
    (cache,) = base.glob("deps-*")
    database = cache / "global.db"

    sorted((cache / "executed").glob("*/base.ipynb"))[0].unlink()
    for name in ("ch1", "ch2"):  # a prose edit: the build reads the page's outputs from the cache
        (book / f"{name}.md").write_text(chapter(name, prose="Edited prose."))
    result = build(book)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    assert "a cached notebook is broken" in log and len(executed(log)) == 1, log[-3000:]

    for kept in (100, 0):  # truncated, then emptied
        database.write_bytes(database.read_bytes()[:kept])
        result = build(book)
        log = result.stdout + result.stderr
        assert result.returncode == 0, log[-3000:]
        said = [line for line in log.splitlines() if "could not be read" in line]
        assert len(said) == 1 and f"unreadable-{cache.name}" in said[0], log[-3000:]
        assert executed(log) == {"ch1", "ch2"}, log[-3000:]
        assert (base / f"unreadable-{cache.name}" / "global.db").is_file()


def test_an_edit_to_the_books_extensions_makes_the_next_build_read_every_page(tmp_path):
    """Sphinx writes again only pages whose sources changed, so pages made by an extension's old
    code would stay: build.py forgets the saved environments when the extensions' code changed
    since the last good build."""
    book, extensions = tmp_path / "book", tmp_path / "ext"
    extensions.mkdir()
    (extensions / "fix.py").write_text("X = 1\n")
    saved = book / "_build" / ".doctrees" / "environment.pickle"

    def build(status=0):  # what a build that saves its environment does around Sphinx
        why = strict_build.start(book, "html", extensions)
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_bytes(b"environment")
        strict_build.finish(book, "html", status)
        return why

    assert build() is None  # nothing saved yet
    assert build() is None  # nothing changed: the environment is kept
    (extensions / "fix.py").write_text("X = 2\n")
    assert build() == "the course's extensions changed"
    assert build() is None
    (extensions / "new.py").write_text("")
    assert build(status=1) == "the course's extensions changed"
    assert not saved.exists()  # a failed build forgets its environment, as before
    saved.write_bytes(b"environment")  # (an environment from before the record existed)
    assert build() == "the course's extensions changed"


def test_a_build_executes_only_the_chapters_whose_code_changed(tmp_path):
    """The pre-execution's full check is skipped when its record shows the dependencies as they
    were cached (course_build.execute.stale): a prose edit executes nothing, a code edit executes
    that chapter alone without the full check, and a cached notebook gone from the cache is not
    taken on trust."""
    from tiny_books import new_runs, runs

    book = copy_book(tmp_path / "book")
    assert build(book).returncode == 0
    before = runs(book)
    edit(book / "ch1.md", "Some prose.", "Some prose, edited.")
    prose = build(book)
    assert prose.returncode == 0, (prose.stdout + prose.stderr)[-3000:]
    assert "nothing to execute" in prose.stdout and "[execute]" not in prose.stdout, prose.stdout[-3000:]
    edit(book / "ch1.md", "result = 1", "result = 6 * 7")
    code = build(book)
    assert code.returncode == 0, (code.stdout + code.stderr)[-3000:]
    assert "1 notebook(s) whose code changed" in code.stdout, code.stdout[-3000:]
    assert "to execute with" not in code.stdout  # the full check's summary
    assert executed(code.stdout) == {"ch1"}, code.stdout[-3000:]
    assert new_runs(book, before) == {"ch1": 1}
    assert "result 42" in (book / "_build" / "html" / "ch1.html").read_text()
    assert execute.stale(book) == []
    # a cell that fails fails the build, and the next build executes the chapter again
    edit(book / "ch1.md", "result = 6 * 7", "result = 6 / 0")
    failed = build(book)
    assert failed.returncode != 0 and "ZeroDivisionError" in failed.stderr, failed.stderr[-3000:]
    assert execute.stale(book) == [(book / "ch1.md").resolve()]
    edit(book / "ch1.md", "result = 6 / 0", "result = 6 * 7")  # back to the cached code
    again = build(book)
    assert again.returncode == 0 and not executed(again.stdout), again.stdout[-3000:]
    assert new_runs(book, before) == {"ch1": 2}
    record = json.loads(execute.record_file(book).read_text())
    _, key = record["notebooks"][str((book / "ch1.md").resolve())]
    stored = Path(record["cache"]) / "executed" / key / "base.ipynb"
    stored.rename(stored.with_suffix(".gone"))
    assert execute.stale(book) is None  # a cached notebook gone from the cache
    stored.with_suffix(".gone").rename(stored)
    assert execute.stale(book) == []
    # a copy of the book, its build folder and all (cp -a), is checked in full once: its record
    # names the original's chapters, which its edits do not change
    copy = tmp_path / "copy"
    shutil.copytree(book, copy, symlinks=True)
    assert execute.stale(copy) is None
    # a page that myst-nb cannot read sends the build to the full check, which reports it
    edit(
        book / "ch1.md",
        "```{code-cell} ipython3\nimport os",
        "```{code-cell} ipython3\n---\ntags: [\n---\nimport os",
    )
    assert execute.stale(book) is None
