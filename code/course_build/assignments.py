"""Graded assignments from the chapters' coding exercises, made by otter-grader's own `otter assign`.

Each core chapter has one coding exercise (likelihood_course.practice.EXERCISES): a statement, a
code cell with the function's stub and the check line, hints, and a solution. For each, this module
writes otter's master notebook (the statement and hints as Markdown, the stub with the chapter's
solution inside otter's solution markers, one hidden test per test case of the exercise) and runs
`otter assign` on it, which writes

    _build/assignments/<chapter>/source/<chapter>.ipynb      the master notebook (solutions)
    _build/assignments/<chapter>/autograder/autograder.zip   the grader's bundle: hidden tests
    _build/assignments/<chapter>/autograder/<chapter>.ipynb  the solved notebook (the instructor's)
    _build/assignments/<chapter>/student/<chapter>.ipynb     the student's notebook: no solutions

The hidden tests are not a second copy of the checks: each calls practice.evaluate on one of the
exercise's own cases, so a function right on some cases gets those points (one point a case). The
student's notebook checks at once, as the chapter's cell does, through lc.practice.check: it needs
no otter (otter's init, check and export cells are left out), and a student hands in the notebook
itself. The assignments branch (course_build.assignments_branch) publishes the student notebooks.

Usage: python -m course_build.assignments [--out _build/assignments] [CHAPTER ...]
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

from course_build.book import ROOT
from likelihood_course import practice

OUT = ROOT / "_build" / "assignments"
SETUP = "import numpy as np\nfrom scipy import special, stats\n\nimport likelihood_course as lc"
STUB = "    ...  # your code here"


@dataclass(frozen=True)
class Exercise:
    """A chapter's coding exercise as the chapter writes it."""

    name: str
    chapter: str  # the page's name, '01_probability'
    title: str  # the chapter's heading
    statement: str  # Markdown, the roles resolved
    stub: str  # the code cell, stub and check line
    hints: tuple[tuple[str, str], ...]  # (summary, Markdown)
    solution: str  # the def of the chapter's solution


def chapter_page(name: str) -> Path:
    """The chapter file of the exercise `name` (one of practice.EXERCISES)."""
    if name not in practice.EXERCISES:
        raise ValueError(f"name must be one of {sorted(practice.EXERCISES)}, got {name!r}")
    (page,) = sorted((ROOT / "book").glob(f"{practice.EXERCISES[name].chapter:02d}_*.md"))
    return page


def _equations() -> dict[str, str]:
    """The book's labelled ```{math} blocks: {label: LaTeX} (a chapter may cite an earlier one's)."""
    pages = sorted((ROOT / "book").glob("*.md"))
    text = "\n".join(page.read_text(encoding="utf-8") for page in pages)
    return dict(re.findall(r"```\{math\}\n:label: (\S+)\n(.*?)\n```", text, re.S))


def _markdown(myst: str, equations: dict[str, str], numbers: dict[str, int]) -> str:
    """MyST prose as JupyterLab's Markdown: an equation reference becomes (n), numbered in the
    order of first use; any other role its text."""

    def role(match: re.Match) -> str:
        kind, target = match[1], match[2]
        if kind == "eq":
            if target not in equations:
                raise ValueError(f"equation {target!r} is not one of the book's")
            return f"({numbers.setdefault(target, len(numbers) + 1)})"
        return re.sub(r"\s*<.*>$", "", target)  # {term}`text <target>`: the text

    return re.sub(r"\{(\w+)\}`([^`]*)`", role, myst)


def read_exercise(name: str) -> Exercise:
    """The coding exercise `name` from its chapter: statement, stub, hints and solution."""
    page = chapter_page(name)
    text = page.read_text(encoding="utf-8")
    cells = [m for m in re.finditer(r"```\{code-cell\} ipython3\n(.*?)```", text, re.S)]
    (cell,) = [m for m in cells if f'lc.practice.check("{name}", {name})' in m[1]]
    statement = list(re.finditer(r"```\{exercise\}\n:label: (\S+)\n(.*?)\n```", text[: cell.start()], re.S))[
        -1
    ]
    label = statement[1]
    solution_block = re.search(r"````\{solution\} " + re.escape(label) + r"\n(.*?)\n````", text, re.S)
    (solution,) = re.findall(r"```python\n(def " + name + r"\(.*?)```", solution_block[1], re.S)
    hints = re.findall(
        r":::\{dropdown\} (Hint \d+)\n(.*?)\n:::", text[cell.end() : solution_block.start()], re.S
    )
    title = re.search(r"^# (.+)$", text, re.M)[1]

    equations, numbers = _equations(), {}
    prose = _markdown(statement[2], equations, numbers)
    hints = tuple((summary, _markdown(body, equations, numbers)) for summary, body in hints)
    if numbers:  # the equations the text refers to, numbered as it refers to them
        shown = "\n\n".join(f"$$\n{equations[label]}\n\\tag{{{n}}}\n$$" for label, n in numbers.items())
        prose += "\n\nFrom the chapter:\n\n" + shown
    return Exercise(name, page.stem, title, prose, cell[1].strip(), hints, solution.strip())


def solved_cell(exercise: Exercise) -> str:
    """The stub with the chapter's solution in otter's solution markers (which `otter assign`
    replaces by `...` in the student's notebook)."""
    stub = exercise.stub
    if stub.count(STUB) != 1:
        raise ValueError(f"{exercise.chapter}: the exercise's cell must have the line {STUB!r} once")
    definition, *body = exercise.solution.splitlines()
    if not stub.startswith(definition):
        raise ValueError(f"{exercise.chapter}: the solution's {definition!r} is not the stub's")
    solution = "\n".join(["    # your code here", "    # BEGIN SOLUTION", *body, "    # END SOLUTION"])
    return stub.replace(STUB, solution)


def hidden_test(name: str, index: int) -> str:
    """Otter's hidden test (exception-based) of the exercise's case `index`: the course's own
    check (practice.evaluate) on that case alone, worth one point."""
    case = practice.EXERCISES[name].cases[index]
    config = yaml.safe_dump({"hidden": True, "points": 1}).strip()
    about = f"the case {index + 1} of {len(practice.EXERCISES[name].cases)}" + (
        f" ({case.edge})" if case.edge else ""
    )
    return f'''""" # BEGIN TEST CONFIG
{config}
""" # END TEST CONFIG
def test_case_{index + 1}({name}):
    """{name}: {about}, checked by likelihood_course.practice."""
    import dataclasses

    from likelihood_course import practice

    exercise = practice.EXERCISES["{name}"]
    case = dataclasses.replace(exercise, cases=exercise.cases[{index}:{index + 1}])
    feedback = practice.evaluate(case, {name})
    assert feedback.passed, feedback.message

test_case_{index + 1}({name})'''


def master_notebook(exercise: Exercise) -> nbformat.NotebookNode:
    """Otter's master notebook of the exercise (otter-grader 7's format: raw cells for its config
    and blocks)."""
    config = {
        "name": exercise.chapter,  # otter run refuses a notebook of another assignment
        "init_cell": False,  # the student's notebook needs no otter: lc.practice.check answers
        "check_all_cell": False,
        "export_cell": False,  # the notebook itself is handed in
        "run_tests": True,  # otter assign grades the solved notebook: full marks, or it fails
        "tests": {"files": True, "ok_format": False},
        "generate": {"show_hidden": False},  # the autograder zip
    }
    cells = nbformat.v4
    hints = "\n\n".join(
        f"<details><summary>{summary}</summary>\n\n{body}\n\n</details>" for summary, body in exercise.hints
    )
    points = len(practice.EXERCISES[exercise.name].cases)
    notebook = cells.new_notebook(
        cells=[
            cells.new_raw_cell("# ASSIGNMENT CONFIG\n" + yaml.safe_dump(config, sort_keys=False)),
            cells.new_markdown_cell(
                f"# {exercise.title}: assignment\n\n"
                f"The coding exercise of the chapter *{exercise.title}*. Write the function in the "
                "cell below and run the cell: it checks your function at once, on the same test "
                "cases that your notebook is graded on. Keep the function's name; save the "
                f"notebook and hand it in. It is worth {points} points, one for each test case "
                "your function gets right."
            ),
            cells.new_code_cell(SETUP),
            cells.new_raw_cell(
                "# BEGIN QUESTION\n" + yaml.safe_dump({"name": exercise.name, "check_cell": False})
            ),
            cells.new_markdown_cell(exercise.statement),
            cells.new_raw_cell("# BEGIN SOLUTION"),
            cells.new_code_cell(solved_cell(exercise)),
            cells.new_raw_cell("# END SOLUTION"),
            cells.new_raw_cell("# BEGIN TESTS"),
            *[cells.new_code_cell(hidden_test(exercise.name, i)) for i in range(points)],
            cells.new_raw_cell("# END TESTS"),
            cells.new_raw_cell("# END QUESTION"),
            cells.new_markdown_cell(hints),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    return notebook


def build(name: str, out: Path = OUT, *, run_tests: bool = True) -> Path:
    """Write the master notebook of the exercise `name` and run `otter assign` on it (in this
    process: otter's import costs seconds); return the assignment's folder (source/, autograder/,
    student/). `run_tests`: otter grades the solved notebook, and fails unless it gets full marks."""
    from otter.assign import main as otter_assign

    exercise = read_exercise(name)
    folder = out / exercise.chapter
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "source").mkdir(parents=True)
    master = folder / "source" / f"{exercise.chapter}.ipynb"
    nbformat.write(master_notebook(exercise), master)
    otter_assign(str(master), str(folder), no_pdfs=True, no_run_tests=not run_tests)
    # otter names the bundle with the time it was made; one name, for the guide and the grader
    (bundle,) = (folder / "autograder").glob(f"{exercise.chapter}-autograder_*.zip")
    bundle.rename(folder / "autograder" / "autograder.zip")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where the assignments go")
    parser.add_argument("chapters", nargs="*", help="exercise names (default: every one)")
    args = parser.parse_args(argv)
    for name in args.chapters or sorted(practice.EXERCISES, key=lambda n: practice.EXERCISES[n].chapter):
        folder = build(name, args.out)
        print(f"{folder}: student/{folder.name}.ipynb, autograder/autograder.zip")
    return 0


if __name__ == "__main__":
    sys.exit(main())
