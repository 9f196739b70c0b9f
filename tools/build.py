"""The strict build, as `make html` and `make pdf` run it: the chapters first, in parallel, into
the execution cache (tools/execute.py), then `jupyter-book build` with every warning an error.

A failed build stays failed. Sphinx saves its environment even when warnings failed the build, so a
second build with nothing changed would re-read no page, warn about nothing and pass, broken
reference and all. After a failure this script therefore removes the saved environment: the next
build reads every page again (the notebooks' outputs still come from the execution cache) and
fails the same way until the cause is fixed. tests/test_build.py checks it.

A build that did not finish (Ctrl-C, a killed process, a machine that went down) leaves its mark,
`_build/.<builder>-unfinished`: its environment may say that pages were written which were not,
and the next build would then fail on a search index that was never written. The next build
starts from a fresh environment instead.

Usage: python tools/build.py [BOOK] --builder html|pdflatex
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FLAGS = ["-W", "-n", "--keep-going"]  # every warning is an error, all of them reported


def saved_environments(book: Path) -> list[Path]:
    """Sphinx's pickled environments under the book's build folder (one per doctree folder)."""
    return sorted((book / "_build").glob("**/.doctrees/environment.pickle"))


def forget_environments(book: Path) -> None:
    for env in saved_environments(book):
        env.unlink()


def build(book: Path, builder: str) -> int:
    unfinished = book / "_build" / f".{builder}-unfinished"
    if unfinished.exists():
        forget_environments(book)
        print(f"build.py: the last {builder} build did not finish: every page is read again", flush=True)
    unfinished.parent.mkdir(parents=True, exist_ok=True)
    unfinished.touch()
    status = subprocess.call([sys.executable, str(HERE / "execute.py"), str(book)])
    if status == 0:
        jupyter_book = Path(sys.executable).with_name("jupyter-book")
        status = subprocess.call([str(jupyter_book), "build", str(book), "--builder", builder, *FLAGS])
    if status != 0:
        forget_environments(book)
        print(
            f"build.py: the {builder} build failed; its saved environment is removed, so the next "
            "build reads every page again and reports the same problems",
            file=sys.stderr,
        )
    unfinished.unlink()
    return status


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("book", nargs="?", default=".", help="the book's root (default: .)")
    parser.add_argument("--builder", default="html", choices=["html", "pdflatex"])
    args = parser.parse_args(argv)
    return build(Path(args.book).resolve(), args.builder)


if __name__ == "__main__":
    sys.exit(main())
