"""The strict build, as `make html` and `make pdf` run it: the chapters first, in parallel, into
the execution cache (code/course_build/execute.py), then `jupyter-book build` with every warning an error.

A failed build stays failed. Sphinx saves its environment even when warnings failed the build, so a
second build with nothing changed would re-read no page, warn about nothing and pass, broken
reference and all. After a failure this script therefore removes the saved environment: the next
build reads every page again (the notebooks' outputs still come from the execution cache) and
fails the same way until the cause is fixed. tests/test_build.py checks it.

A build that did not finish (Ctrl-C, a killed process, a machine that went down) leaves its mark,
`_build/.<builder>-unfinished`: its environment may say that pages were written which were not,
and the next build would then fail on a search index that was never written. The next build
starts from a fresh environment instead.

An edit to the course's own extensions (`code/course_build/ext/`) changes what every page is, but
Sphinx writes again only the pages whose sources changed: the site would keep pages made by the old
code. The extensions' code is recorded with each good build (`_build/.<builder>-extensions`), and a
build that finds it changed starts from a fresh environment too.

The pre-execution's full check (Jupyter Book's configuration, every chapter read and looked up in
the cache) is skipped when its record shows that none of the chapters' dependencies changed since
every chapter was last cached (course_build.execute.stale): a prose edit executes nothing, and a
code edit executes the chapters whose code changed, and no more is checked than Jupyter Book's own
build checks. The pre-execution and `jupyter-book build` run in this one process, which imports
what both need once (myst-nb, jupyter-cache, Jupyter Book's configuration: about 2 s of a second
Python's start).

Usage: python -m course_build.build [BOOK] --builder html|pdflatex
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import traceback
from pathlib import Path

from course_build import execute

EXTENSIONS = Path(__file__).resolve().parent / "ext"  # the course's Sphinx extensions
# Every warning is an error (-W), a reference that resolves to nothing warns (-n), and all of the
# warnings are reported (--keep-going): as `jupyter-book build` takes them, and as Sphinx(...) does.
FLAGS = ["-W", "-n", "--keep-going"]
STRICT = {"warningiserror": True, "keep_going": True, "confoverrides": {"nitpicky": True}}


def saved_environments(book: Path) -> list[Path]:
    """Sphinx's pickled environments under the book's build folder (one per doctree folder)."""
    return sorted((book / "_build").glob("**/.doctrees/environment.pickle"))


def forget_environments(book: Path) -> None:
    for env in saved_environments(book):
        env.unlink()


def extensions_code(extensions: Path) -> str:
    """A hash of the extensions' Python code (the files under the folder `extensions`)."""
    digest = hashlib.sha256()
    for path in sorted(extensions.glob("**/*.py")):
        digest.update(f"{path.relative_to(extensions)}\n".encode() + path.read_bytes())
    return digest.hexdigest()


def start(book: Path, builder: str, extensions: Path = EXTENSIONS) -> str | None:
    """Before a build: forget the saved environments if the last build did not finish or the
    extensions' code changed since the last good one (returns why), and mark the build unfinished
    with the extensions' code it is built with."""
    unfinished = book / "_build" / f".{builder}-unfinished"
    recorded = book / "_build" / f".{builder}-extensions"
    code = extensions_code(extensions)
    why = None
    if unfinished.exists():
        why = f"the last {builder} build did not finish"
    elif saved_environments(book) and (not recorded.exists() or recorded.read_text() != code):
        why = "the course's extensions changed"
    if why:
        forget_environments(book)
    unfinished.parent.mkdir(parents=True, exist_ok=True)
    unfinished.write_text(code)
    return why


def finish(book: Path, builder: str, status: int) -> None:
    """After a build: a good one's mark becomes the record of the extensions' code it was built
    with (not the code now: an edit during the build is news to the next one); a failed one
    forgets its environment."""
    unfinished = book / "_build" / f".{builder}-unfinished"
    recorded = book / "_build" / f".{builder}-extensions"
    if status == 0:
        unfinished.replace(recorded)
    else:
        recorded.unlink(missing_ok=True)
        unfinished.unlink()
        forget_environments(book)


def jupyter_book_build(book: Path, builder: str) -> int:
    """`jupyter-book build BOOK --builder BUILDER` with FLAGS, in this process (which has imported
    much of what it needs for the pre-execution already); its exit status."""
    from jupyter_book.cli.main import main as jupyter_book

    try:
        jupyter_book.main(["build", str(book), "--builder", builder, *FLAGS], standalone_mode=False)
    except SystemExit as stop:  # a build with warnings: jupyter-book has said so, and exits
        return stop.code if isinstance(stop.code, int) else 1
    except Exception:  # noqa: BLE001 (as the command would: the traceback, and status 1)
        traceback.print_exc()
        return 1
    return 0


def build(book: Path, builder: str) -> int:
    why = start(book, builder)
    if why:
        print(f"build.py: {why}: every page is read again", flush=True)
    changed = execute.stale(book)
    if changed == []:
        print("build.py: no chapter's code or dependencies changed: nothing to execute", flush=True)
        status = 0
    elif changed:
        status = execute.execute_changed(book, changed)
    else:
        status = execute.main([str(book)])
    if status == 0:
        status = jupyter_book_build(book, builder)
    finish(book, builder, status)
    if status != 0:
        print(
            f"build.py: the {builder} build failed; its saved environment is removed, so the next "
            "build reads every page again and reports the same problems",
            file=sys.stderr,
        )
    return status


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("book", nargs="?", default=".", help="the book's root (default: .)")
    parser.add_argument("--builder", default="html", choices=["html", "pdflatex"])
    args = parser.parse_args(argv)
    return build(Path(args.book).resolve(), args.builder)


if __name__ == "__main__":
    sys.exit(main())
