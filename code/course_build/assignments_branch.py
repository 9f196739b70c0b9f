"""The branch that instructors hand the assignments out from: the student notebooks, nothing else.

`make assignments` (course_build.assignments) writes each assignment's student notebook to
``_build/assignments/<chapter>/student/<chapter>.ipynb``, beside the grader's bundle and the solved
notebook, which must never reach students. The publishing workflow uploads the student notebooks
alone, and this module commits them to the branch BRANCH, from which an nbgitpuller link copies
them into a student's home on the school's hub (book/teaching.md, "Assignments").

The branch's layout, one commit that replaces the last (as the notebooks branch: notebooks_branch):

    README.md                 what the branch is, and the commit it was built from
    01_probability.ipynb      the student notebook of chapter 1's assignment
    ...                       one per core chapter

Usage: PYTHONPATH=code python3 -m course_build.assignments_branch ASSIGNMENTS OUT [--source-commit SHA]
assembles the branch from ASSIGNMENTS (_build/assignments, or the workflow's artifact of its
student notebooks) into the empty folder OUT and commits it there, ready for ``git push <url> HEAD``.
Standard library and git only, as the workflow's job that pushes has no course environment.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from course_build.notebooks_branch import commit

BRANCH = "assignments"

README = """\
# The course's assignments, for students

This branch holds the student notebooks of the course's graded assignments, one per core chapter:
the chapter's coding exercise, whose cell checks your function as soon as you run it. Your
instructor hands them out with a link to your school's JupyterHub, and collects the notebooks you
save.

It is written by the publishing workflow (`.github/workflows/pages.yml`) each time the site is
published, as a single commit that replaces the previous one: do not edit it here. These notebooks
were built from commit {commit} of the course's sources by `make assignments`
(`code/course_build/assignments.py`).

{listing}
"""


def student_notebooks(assignments: Path) -> dict[str, Path]:
    """{name on the branch: file} of every <chapter>/student/<chapter>.ipynb under `assignments`."""
    found = {p.name: p for p in sorted(assignments.glob("*/student/*.ipynb")) if p.stem == p.parents[1].name}
    if not found:
        raise ValueError(
            f"assignments must hold <chapter>/student/<chapter>.ipynb (make assignments): {assignments} has none"
        )
    return found


def assemble(assignments: Path, out: Path, source_commit: str) -> list[str]:
    """Write the branch's files into `out` (empty or absent): the student notebooks alone."""
    notebooks = student_notebooks(assignments)
    if out.exists() and any(out.iterdir()):
        raise ValueError(f"out must be an empty folder: {out} is not")
    out.mkdir(parents=True, exist_ok=True)
    for name, path in notebooks.items():
        shutil.copyfile(path, out / name)
    listing = "\n".join(f"- `{name}`" for name in notebooks)
    (out / "README.md").write_text(README.format(commit=source_commit, listing=listing), encoding="utf-8")
    return ["README.md", *notebooks]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "assignments", type=Path, help="_build/assignments, or the artifact of its student notebooks"
    )
    parser.add_argument("out", type=Path, help="an empty folder for the branch")
    parser.add_argument("--source-commit", default="(not recorded)", help="the commit they were built from")
    args = parser.parse_args(argv)
    files = assemble(args.assignments, args.out, args.source_commit)
    commit(args.out, args.source_commit, BRANCH, "The student notebooks of the assignments")
    print(f"{args.out}: branch {BRANCH}, {len(files) - 1} notebooks and README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
