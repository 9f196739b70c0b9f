"""The set-up that `make` runs on a fresh machine (the README's commands): it makes the venv with the
Python that runtime.txt names, or stops with a message that says what to do; it waits for another
apt or dpkg instead of failing on its lock; it retries downloads."""

import subprocess

from conftest import ROOT
from course_build.book import NOT_THE_BOOK


def make(*args):
    return subprocess.run(["make", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_setup_stops_with_a_clear_message_without_python_3_11(tmp_path):
    venv = tmp_path / "venv"
    result = make("-B", f"{venv}/.installed", f"VENV={venv}", "PYTHON=python3.11-not-installed")
    assert result.returncode != 0
    assert "python3.11-not-installed not found" in result.stderr
    assert "Python 3.11 (runtime.txt)" in result.stderr and "PYTHON=" in result.stderr
    assert not venv.exists(), "nothing is installed with the wrong Python"


def test_setup_uses_the_python_of_runtime_txt(tmp_path):
    version = (ROOT / "runtime.txt").read_text().strip().removeprefix("python-")
    venv = tmp_path / "venv"
    plan = make("-n", "-B", f"{venv}/.installed", f"VENV={venv}").stdout
    assert f"python{version} -m venv {venv}" in plan, plan
    assert "--retries" in plan, "pip does not retry its downloads"


def test_apt_waits_for_the_dpkg_lock_and_retries():
    plan = make("-n", "system", "APT_PACKAGES=a-package-this-machine-lacks").stdout
    installs = [line for line in plan.splitlines() if "apt-get" in line]
    assert installs, plan
    for line in installs:
        assert "DPkg::Lock::Timeout=600" in line and "Acquire::Retries=" in line, line


def test_a_rebuilt_site_never_serves_the_pdf_of_older_sources():
    """`make pdf` copies the PDF into the site; `make html` after a change removes that copy before
    it builds (until `make pdf` makes a current one), so the site never offers a stale PDF."""
    plan = make("-n", "--always-make", "html").stdout.splitlines()
    removes = [i for i, line in enumerate(plan) if line.startswith("rm -f _build/html/course.pdf")]
    builds = [i for i, line in enumerate(plan) if "-m course_build.build --builder html" in line]
    assert removes and builds and removes[0] < builds[0], plan
    pdf_plan = make("-n", "--always-make", "pdf").stdout
    assert "cp _build/latex/course.pdf _build/html/course.pdf" in pdf_plan


def test_every_input_of_the_site_is_a_source_of_its_build():
    """`make html` builds again when anything the site is made from changes: runtime.txt (part of the
    execution cache's key) and the files it serves from _vendor/ (MathJax, Plot, Pyodide: their
    set-up stamps move when package-lock.json or the pinned package set does), not only the pages."""
    database = subprocess.run(["make", "-pnq", "html"], cwd=ROOT, capture_output=True, text=True).stdout
    rule = next(line for line in database.splitlines() if line.startswith("_build/html/.built:"))
    sources = set(rule.split(":", 1)[1].split())
    for source in ["runtime.txt", "requirements.txt", "pyproject.toml", "_config.yml", "_toc.yml",
                   "_vendor/mathjax/LICENSE", "_vendor/plot/plot.umd.min.js",
                   "_vendor/pyodide/pyodide-lock.json", "_assets/run-cells.js", "book/01_probability.md",
                   "code/likelihood_course/likelihood.py", "code/course_build/ext/inpage_python.py"]:  # fmt: skip
        assert source in sources, f"make html does not rebuild after a change of {source}"
    vendored = database.split("\n_vendor/pyodide/pyodide-lock.json:", 1)[1].split("\n", 1)[0]
    assert "code/course_build/pyodide-packages.txt" in vendored and "node_modules/.installed" in vendored
    # what is not the book (course_build.book.NOT_THE_BOOK, from _config.yml) holds no file of the
    # site's sources, and every file under the folders the site is made of is one
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert not [f for f in tracked if f in sources and f.split("/")[0] in NOT_THE_BOOK], NOT_THE_BOOK
    made_of = [f for f in tracked if f.split("/")[0] in ("book", "code", "_assets")]
    assert set(made_of) <= sources, set(made_of) - sources
