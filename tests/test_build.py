"""A failed strict build stays failed (tools/build.py, which `make html` and `make pdf` run).

Sphinx saves its environment even when a warning failed the build; without tools/build.py, a second
build with nothing changed re-reads no page, warns about nothing and passes, broken reference and
all. On a tiny book (the one of tests/test_cache.py): a planted broken reference fails the first
build and the second; once fixed, the build passes."""

import subprocess
import sys

from test_cache import ROOT, chapter, env_for, write_book

BUILD = ROOT / "tools" / "build.py"


def build(book):
    return subprocess.run(
        [sys.executable, str(BUILD), str(book), "--builder", "html"],
        cwd=book,
        env=env_for(book),
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_a_failed_build_fails_again_until_fixed(tmp_path):
    book = write_book(tmp_path / "book")
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
    book = write_book(tmp_path / "book")
    assert build(book).returncode == 0
    again = build(book)
    assert again.returncode == 0
    assert (
        "0 source files that are out of date" in again.stdout or "no targets are out of date" in again.stdout
    ), again.stdout[-2000:]
