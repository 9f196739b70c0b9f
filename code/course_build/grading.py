"""Grade a class's notebooks with otter-grader's local mode, and write otter's CSV of scores.

`otter run -a autograder.zip notebook.ipynb` grades one notebook in the instructor's own
environment (no container; the course's, which has the helper that the hidden tests call), and
`otter grade` grades a folder of them into `final_grades.csv`, but only in Docker containers. This
is the two together: every notebook through otter run's own function (otter.run.main, which that
command calls), on every core, into the CSV that `otter grade` writes (its own merge_scores_to_df):
a row of points possible, then one row a notebook: each question's score, the total, the percentage
and whether grading completed.

Usage: python -m course_build.grading AUTOGRADER_ZIP SUBMISSION... [--csv final_grades.csv] [--workers N]
(a SUBMISSION that is a folder stands for the .ipynb files in it).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path


def grade(submission: Path, autograder: Path):
    """Grade one notebook as `otter run -a AUTOGRADER SUBMISSION` does; otter's GradingResults,
    named after the notebook (its `file`, the CSV's first column). A notebook that otter cannot
    grade (not a notebook, not this assignment's) gets the row that `otter grade` gives it: no
    points, and the error as its grading status; the rest of the class is still graded."""
    from otter.run import main as otter_run
    from otter.test_files import GradingResults

    try:
        with contextlib.redirect_stdout(io.StringIO()):  # otter's summary: the CSV says it
            results = otter_run(str(submission), autograder=str(autograder), output_dir=None, no_logo=True)
    except Exception as error:  # noqa: BLE001 (any failure of one notebook is that notebook's row)
        # a plain exception: otter's own may not survive the trip back from the worker process
        results = GradingResults.without_results(RuntimeError(f"{type(error).__name__}: {error}"))
    results.file = Path(submission).name
    return results


def grade_all(graded: list[tuple[Path, Path]], workers: int | None = None) -> list:
    """The GradingResults of every (submission, its autograder.zip), in their order, graded
    `workers` at a time (default: one a core); each grading runs the notebook in a kernel of its own."""
    for submission, autograder in graded:
        if not Path(autograder).is_file() or Path(autograder).suffix != ".zip":
            raise ValueError(f"autograder must be an assignment's autograder.zip, got {autograder}")
        if not Path(submission).is_file():
            raise ValueError(f"submission must be a notebook file, got {submission}")
    if not graded:
        raise ValueError("graded must name at least one (submission, autograder) pair")
    context = multiprocessing.get_context("spawn")  # otter changes the working folder: a process each
    with ProcessPoolExecutor(workers or os.cpu_count(), mp_context=context) as pool:
        return list(pool.map(grade, *zip(*graded)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("autograder", type=Path, help="the assignment's autograder/autograder.zip")
    parser.add_argument("submissions", type=Path, nargs="+", help="notebooks, or folders of them")
    parser.add_argument("--csv", type=Path, default=Path("final_grades.csv"), help="where the scores go")
    parser.add_argument("--workers", type=int, default=None, help="notebooks graded at once (default: cores)")
    args = parser.parse_args(argv)
    from otter.grade.utils import merge_scores_to_df

    notebooks = [n for s in args.submissions for n in (sorted(s.glob("*.ipynb")) if s.is_dir() else [s])]
    scores = merge_scores_to_df(grade_all([(n, args.autograder) for n in notebooks], args.workers))
    scores.to_csv(args.csv, index=False)
    print(f"{args.csv}: {len(notebooks)} notebooks graded")
    return 0


if __name__ == "__main__":
    sys.exit(main())
