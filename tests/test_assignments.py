"""Graded assignments (code/course_build/assignments.py, grading.py, assignments_branch.py): built
once by otter-grader's `otter assign` from the chapters' coding exercises, then three submissions of
each graded by otter run's local mode (no container), as an instructor grades a class here: the
chapter's own solution, a wrong answer that the course's check recognises, and a partly right one.
The scores are written down here, by hand, from what each answer gets right; the student notebooks
carry no line of any solution, and the workflow's assignments job publishes them alone."""

import json
import re
import subprocess
import zipfile

import nbformat
import pandas as pd
import pytest
import yaml
from practice_answers import ANSWERS, chapter_source, check_line, learner_function, solution

from conftest import ROOT
from course_build import assignments, assignments_branch, grading
from likelihood_course import practice

# A recognised mistake that gets no case right (the sum where a sample's probabilities multiply...).
WRONG = {
    "sample_probability": "sum",
    "normal_likelihood": "sum",
    "grid_mle": "argmin",
    "bernoulli_nll": "likelihood",
    "bce_from_logits": "probabilities",
    "gaussian_nll": "sse",
    "ridge_map": "least_squares",
    "brier_score": "flipped",
}

# Partly right, as learners write it, and the points it earns (one a test case it gets right):
PARTLY = {
    # rounded to 3 decimals, as for a report: right only for [1, 0, 1] at 0.4 (0.096)
    "sample_probability": (
        "def sample_probability(y, theta):\n    y = np.asarray(y)\n"
        "    return round(float(np.prod(theta**y * (1 - theta) ** (1 - y))), 3)",
        1,
    ),
    # sigma**2 as the scale of stats.norm: right only where sigma = 1, the first case
    "normal_likelihood": (ANSWERS["normal_likelihood"]["variance"], 1),
    # the sample mean, not the best point of the grid: right where the mean is on the grid (3 of
    # 10 flips on a grid of steps 0.01; three zeros), wrong for 3 of 4 on steps of 0.1 and 30 flips
    "grid_mle": ("def grid_mle(y, grid):\n    return np.mean(y)", 2),
    # the NLL from the logs of theta and 1 - theta: nan at theta = 0 and 1 (0 log 0), 2 cases of 6
    "bernoulli_nll": (ANSWERS["bernoulli_nll"]["log0"], 4),
    # the loss from sigma(z): inf for logits in the hundreds, the 2 overflow cases of 5
    "bce_from_logits": (ANSWERS["bce_from_logits"]["overflow"], 3),
    # y - w * x + b, without the parentheses: right only where b = 0, the third case
    "gaussian_nll": (
        "def gaussian_nll(w, b, x, y, sigma):\n"
        "    r = y - w * x + b\n"
        "    return np.sum(r**2) / (2 * sigma**2) + len(r) * np.log(sigma) + len(r) / 2 * np.log(2 * np.pi)",
        1,
    ),
    # lambda = sigma**2 / tau, tau not squared: right where tau = 1, the second and fourth cases
    "ridge_map": (
        "def ridge_map(X, y, sigma, tau):\n    X, y = np.asarray(X), np.asarray(y)\n    lam = sigma**2 / tau\n"
        "    return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)",
        2,
    ),
    # the root of the mean squared difference: right only where it is 0, perfect forecasts (case 4)
    "brier_score": (ANSWERS["brier_score"]["root"], 1),
}
POINTS = {  # one a test case of the exercise, counted in likelihood_course/practice.py by hand
    "sample_probability": 4,
    "normal_likelihood": 4,
    "grid_mle": 4,
    "bernoulli_nll": 6,
    "bce_from_logits": 5,
    "gaussian_nll": 4,
    "ridge_map": 4,
    "brier_score": 4,
}
NAMES = sorted(practice.EXERCISES, key=lambda name: practice.EXERCISES[name].chapter)


def chapter(name: str) -> str:
    return assignments.chapter_page(name).stem


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Every assignment, built as `make assignments` builds them, into a folder of the test's. Without
    otter assign's own run of the solved notebook: the test below grades the chapter's solution."""
    out = tmp_path_factory.mktemp("assignments")
    for name in NAMES:
        assignments.build(name, out, run_tests=False)
    return out


def submission(built, name: str, answer: str, kind: str):
    """The student notebook, its answer cell written as a student writes it: their def, and the
    check line that the cell ends with."""
    folder = built / chapter(name)
    notebook = nbformat.read(folder / "student" / f"{chapter(name)}.ipynb", as_version=4)
    (cell,) = [c for c in notebook.cells if check_line(name) in c.source]
    cell.source = answer + "\n\n\n" + check_line(name)
    path = built / "submissions" / kind / f"{chapter(name)}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


ANSWERS_BY_KIND = {
    "right": {name: solution(name) for name in NAMES},
    "wrong": {name: ANSWERS[name][WRONG[name]] for name in NAMES},
    "partly": {name: PARTLY[name][0] for name in NAMES},
}
EXPECTED = {
    "right": POINTS,
    "wrong": dict.fromkeys(POINTS, 0),
    "partly": {n: p for n, (_, p) in PARTLY.items()},
}


@pytest.fixture(scope="session")
def graded(built):
    """{name: otter's GradingResults} of each partly right notebook, graded as `otter run` grades it
    (the notebook run in a kernel, then the hidden tests of the assignment's autograder.zip), on
    every core: about 4 CPU seconds a notebook, mostly otter's and the kernel's imports."""
    bundles = [built / chapter(name) / "autograder" / "autograder.zip" for name in NAMES]
    notebooks = [submission(built, name, PARTLY[name][0], "partly") for name in NAMES]
    return dict(zip(NAMES, grading.grade_all(list(zip(notebooks, bundles)))))


def hidden_tests(built, name: str):
    """Otter's own test file of the assignment, from its autograder.zip, as otter run reads it."""
    from otter.test_files import ExceptionTestFile

    with zipfile.ZipFile(built / chapter(name) / "autograder" / "autograder.zip") as bundle:
        path = built / "hidden" / name / f"{name}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bundle.read(f"tests/{name}.py"))
    return ExceptionTestFile.from_file(str(path))  # the format that otter assign wrote


@pytest.mark.parametrize("name", NAMES)
def test_the_right_the_wrong_and_the_partly_right_answer_get_their_scores(built, name):
    """All three, cheaply (no kernel each): otter's test runner on the bundle's hidden tests, with
    the function that the answer cell defines in the notebook's namespace."""
    for kind, answers in ANSWERS_BY_KIND.items():
        tests = hidden_tests(built, name)
        tests.run({name: learner_function(name, answers[name])})
        assert (tests.score, tests.possible) == (EXPECTED[kind][name], POINTS[name]), (kind, tests.summary())


@pytest.mark.parametrize("name", NAMES)
def test_otter_run_grades_the_partly_right_notebook(graded, name):
    """The whole of otter run's local mode on a student's notebook: the notebook runs, its cell's
    check prints the chapter's feedback, and the hidden tests give the points of the cases it gets
    right."""
    result = graded[name]
    assert (result.total, result.possible) == (PARTLY[name][1], POINTS[name]), result.summary()
    (cell,) = [c for c in result.notebook.cells if c.source.endswith(check_line(name))]  # the answer's
    printed = "".join(o.get("text", "") for o in cell.outputs)
    expected = practice.evaluate(practice.EXERCISES[name], learner_function(name, PARTLY[name][0])).message
    assert printed == expected + "\n", printed
    assert printed.startswith("Not yet: ")


def test_a_class_is_graded_into_otters_csv(built, tmp_path):
    """The class's command (course_build.grading): chapter 4's right and wrong notebooks through otter
    run, into the CSV that otter grade writes; a file that is no notebook gets its own row, no
    points and otter's error, and does not stop the class's grading."""
    folder = tmp_path / "handed-in"
    folder.mkdir()
    for student, kind in {"ada": "right", "bob": "wrong"}.items():
        path = submission(built, "bernoulli_nll", ANSWERS_BY_KIND[kind]["bernoulli_nll"], kind)
        (folder / f"{student}.ipynb").write_bytes(path.read_bytes())
    (folder / "cy.ipynb").write_text("the notebook was lost; this is what the upload holds")
    csv = tmp_path / "final_grades.csv"
    bundle = built / "04_nll" / "autograder" / "autograder.zip"
    assert grading.main([str(bundle), str(folder), "--csv", str(csv)]) == 0
    rows = pd.read_csv(csv).set_index("file")
    assert rows.loc["ada.ipynb", "bernoulli_nll"] == 6 and rows.loc["ada.ipynb", "total_points_earned"] == 6
    assert (
        rows.loc["bob.ipynb", "bernoulli_nll"] == 0 and rows.loc["bob.ipynb", "grading_status"] == "Completed"
    )
    assert rows.loc["points-per-question", "bernoulli_nll"] == 6
    assert rows.loc["cy.ipynb", "total_points_earned"] == 0
    assert rows.loc["cy.ipynb", "grading_status"] not in ("Completed", ""), rows.loc["cy.ipynb"]


def solution_lines(name: str) -> list[str]:
    """The lines of the chapter's solution below its def line that its hints do not give away (a
    hint may show a line: `y = np.asarray(y)`): none may reach a student."""
    hints = "".join(re.findall(r":::\{dropdown\} Hint \d+\n(.*?)\n:::", chapter_source(name), re.S))
    lines = [line.strip() for line in solution(name).splitlines()[1:] if line.strip()]
    distinctive = [line for line in lines if line not in hints]
    assert any(line.startswith("return ") for line in distinctive), (name, lines)
    return distinctive


@pytest.mark.parametrize("name", NAMES)
def test_no_line_of_the_solution_reaches_the_student(built, name):
    folder = built / chapter(name)
    student = [p for p in (folder / "student").rglob("*") if p.is_file()]
    assert student, "no student files"
    texts = {p.name: p.read_text(encoding="utf-8") for p in student}
    for line in solution_lines(name):
        for file, text in texts.items():  # as written, and as JSON writes it (quotes escaped)
            assert line not in text and json.dumps(line)[1:-1] not in text, (file, line)
        # the grep finds a solution where one is: the instructor's solved notebook
        assert line in "".join(
            c.source for c in nbformat.read(folder / "autograder" / f"{chapter(name)}.ipynb", 4).cells
        )
    notebook = nbformat.read(folder / "student" / f"{chapter(name)}.ipynb", as_version=4)
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    assert "otter" not in code, "the student's notebook needs no otter"
    assert check_line(name) in code, "the cell checks at once, as the chapter's does"


def test_the_assignments_branch_holds_the_student_notebooks_alone(built, tmp_path):
    """The workflow's assignments job, run as the runner runs it (bash, the system's python3 without
    the course's packages), on the artifact that its build job uploads, pushing to a bare remote."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())
    (upload,) = [
        s for s in workflow["jobs"]["build"]["steps"] if s.get("with", {}).get("name") == "assignments"
    ]
    make = next(
        i for i, s in enumerate(workflow["jobs"]["build"]["steps"]) if s.get("run") == "make assignments"
    )
    assert workflow["jobs"]["build"]["steps"].index(upload) == make + 1
    job = workflow["jobs"]["assignments"]
    (download,) = [s for s in job["steps"] if s.get("uses", "").startswith("actions/download-artifact@")]
    assert download["with"]["name"] == "assignments"
    # the artifact: what the upload's glob matches under _build/ (_build/assignments/ as `built`),
    # relative to the glob's fixed part, as upload-artifact stores it
    pattern = upload["with"]["path"].removeprefix("_build/assignments/")
    workspace = tmp_path / "workspace"
    artifact = workspace / download["with"]["path"]
    for path in built.glob(pattern):
        (artifact / path.relative_to(built)).parent.mkdir(parents=True, exist_ok=True)
        (artifact / path.relative_to(built)).write_bytes(path.read_bytes())
    for module in ("__init__.py", "notebooks_branch.py", "assignments_branch.py"):  # the checkout's
        (workspace / "code" / "course_build").mkdir(parents=True, exist_ok=True)
        (workspace / "code" / "course_build" / module).write_bytes(
            (ROOT / "code" / "course_build" / module).read_bytes()
        )
    remote = tmp_path / "github" / "org" / "repo.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path), "GITHUB_SHA": "0" * 40,
           "GITHUB_SERVER_URL": (tmp_path / "github").as_uri(), "GITHUB_REPOSITORY": "org/repo"}  # fmt: skip
    for step in job["steps"]:
        if "run" in step:
            run = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=workspace, capture_output=True, text=True,
                                 env={**env, **{k: "not-a-token" for k in step.get("env", {})}})  # fmt: skip
            assert run.returncode == 0, f"{step.get('name')}: {run.stdout}{run.stderr}"

    def git(*args):
        return subprocess.run(
            ["git", "--git-dir", str(remote), *args], check=True, capture_output=True, text=True
        ).stdout

    branch = assignments_branch.BRANCH
    assert git("for-each-ref", "--format=%(refname)").split() == [f"refs/heads/{branch}"]
    files = git("ls-tree", "-r", "--name-only", branch).split()
    assert sorted(files) == sorted(["README.md", *(f"{chapter(n)}.ipynb" for n in NAMES)])
    for name in NAMES:
        published = git("show", f"{branch}:{chapter(name)}.ipynb")
        assert published == (built / chapter(name) / "student" / f"{chapter(name)}.ipynb").read_text()
        assert not any(line in published for line in solution_lines(name)), name


def test_make_assignments_builds_them_and_the_site_has_none(html_dir):
    make = subprocess.run(["make", "-n", "assignments"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "-m course_build.assignments --out _build/assignments" in make, make
    assert not [p for p in html_dir.rglob("*") if "autograder" in p.name or "assignment" in p.name.lower()]
    leaked = [p for p in html_dir.rglob("*.ipynb") if "BEGIN SOLUTION" in p.read_text(encoding="utf-8")]
    assert not leaked, leaked


def test_bad_input_is_refused_with_what_is_allowed(tmp_path):
    with pytest.raises(ValueError, match="name must be one of"):
        assignments.chapter_page("sample")
    with pytest.raises(ValueError, match="autograder must be"):
        grading.grade_all([(tmp_path / "a.ipynb", tmp_path / "nothing.zip")])
    with pytest.raises(ValueError, match="assignments must hold"):
        assignments_branch.assemble(tmp_path, tmp_path / "out", "x")


def test_the_guides_link_hands_out_a_notebook_of_the_branch(html_dir):
    """book/teaching.md's nbgitpuller link: the assignments branch, cloned beside the chapters'
    clone (not into it: nbgitpuller would refuse a folder holding another branch), opening one of
    the student notebooks that the branch holds."""
    from urllib.parse import parse_qs, urlsplit

    page = (html_dir / "book" / "teaching.html").read_text(encoding="utf-8").replace("&amp;", "&")
    (link,) = [
        u
        for u in re.findall(r"https://\S+/hub/user-redirect/git-pull\?[^\s<\"]+", page)
        if "assignments" in u
    ]
    query = {k: v for k, (v,) in parse_qs(urlsplit(link).query).items()}
    assert query["branch"] == assignments_branch.BRANCH
    assert query["targetpath"] != query["repo"].rstrip("/").rsplit("/", 1)[1]
    assert query["urlpath"].startswith(f"lab/tree/{query['targetpath']}/")
    assert query["urlpath"].rsplit("/", 1)[1] in {f"{chapter(n)}.ipynb" for n in NAMES}
