"""The tiny books that the build tests build: folders on disk (tests/books/<name>/), copied into a
test's own folder and edited there, built as `make html` builds the course.

- tiny: an intro page and two chapters of one cell each. Each cell imports the helper package and
  the book's own `tinyhelper` (helper/, which the execution cache is keyed on, as the course's key is
  on likelihood_course), waits CACHE_TEST_SLEEP seconds and logs its run (runs.log).
- numbered: three such chapters, each with a section, in two numbered parts, with the course's
  extensions that number and rewrite pages (toc_titles) and its fixes of Sphinx 7.
"""

import collections
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from course_build.build import FLAGS  # the strict build's flags, as `make html` runs it

BOOKS = Path(__file__).resolve().parent / "books"
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def copy_book(
    dest: Path, name: str = "tiny", chapters: tuple[str, ...] | None = None, timeout: int | None = None
):
    """tests/books/<name>/ copied to `dest`; with `chapters`, only those (in that order); with
    `timeout`, that many seconds per cell."""
    shutil.copytree(BOOKS / name, dest)
    if chapters is not None:
        for page in dest.glob("ch*.md"):
            if page.stem not in chapters:
                page.unlink()
        toc = "format: jb-book\nroot: intro\nchapters:\n" + "".join(f"  - file: {c}\n" for c in chapters)
        (dest / "_toc.yml").write_text(toc)
    if timeout is not None:
        edit(dest / "_config.yml", "timeout: 60", f"timeout: {timeout}")
    return dest


def chapter(name: str, prose: str = "Some prose.", code: str = "result = 1") -> str:
    """The text of the tiny book's chapter `name`, with other prose or code."""
    text = (BOOKS / "tiny" / "ch1.md").read_text().replace("ch1", name)  # its title and its log line
    for old, new in (("Some prose.", prose), ("result = 1\n", code + "\n")):
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def add_extensions(book: Path, *names: str, local: str = "") -> None:
    """Register more of the course's extensions (course_build.ext.<name>) in the book's
    _config.yml, and `local` (YAML lines) as its local_extensions."""
    first = "    - course_build.ext.execution_deps\n"
    edit(book / "_config.yml", first, first + "".join(f"    - course_build.ext.{name}\n" for name in names))
    if local:
        edit(book / "_config.yml", "  config:\n", f"  local_extensions:\n{local}  config:\n")


def env_for(book: Path, **extra) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(book / "helper"), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def pre_execute(book: Path, **extra) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "course_build.execute", str(book)],
        cwd=book,
        env=env_for(book, **extra),
        capture_output=True,
        text=True,
        timeout=600,
    )


def jb_build(book: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(JUPYTER_BOOK), "build", str(book), "--builder", "html", *FLAGS],
        cwd=book,
        env=env_for(book),
        capture_output=True,
        text=True,
        timeout=600,
    )


def make_html(book: Path, **extra) -> tuple[str, str]:
    """What `make html` runs: the parallel pre-execution, then the strict build."""
    pre = pre_execute(book, **extra)
    assert pre.returncode == 0, f"pre-execution failed:\n{pre.stdout}\n{pre.stderr}"
    build = jb_build(book)
    assert build.returncode == 0, f"build failed:\n{build.stdout[-3000:]}\n{build.stderr[-3000:]}"
    return pre.stdout + pre.stderr, build.stdout + build.stderr


def runs(book: Path) -> collections.Counter:
    """How many times each chapter's code has run, over the book's life."""
    log = book / "runs.log"
    lines = log.read_text().splitlines() if log.exists() else []
    return collections.Counter(line.split()[0] for line in lines)


def new_runs(book: Path, before: collections.Counter) -> dict:
    return dict(runs(book) - before)


def page(book: Path, name: str) -> str:
    return (book / "_build" / "html" / f"{name}.html").read_text(encoding="utf8")


def written(build_log: str) -> set[str]:
    """The pages a build wrote, from its log (in colour: jupyter-book's Sphinx colours it)."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", build_log)
    return set(re.findall(r"^writing output\.\.\. \[\s*\d+%\] (\S+)$", plain, re.M))


def chapter_number(book: Path, doc: str) -> str:
    return re.search(r'<span class="section-number">([^<]*)</span>', page(book, doc)).group(1)
