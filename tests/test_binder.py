"""Run it yourself: Binder launch buttons, the downloadable notebooks, and a Binder rehearsal.

Static checks on the built site (the build that `make html` makes, or COURSE_BUILD_DIR):

- every chapter page has a Binder launch button built from `repository:` and `launch_buttons:` in
  _config.yml, naming that chapter's MyST Markdown file (`urlpath=lab/tree/book/NN_name.md`);
- every chapter page offers the chapter as a .ipynb: a valid notebook with the executed chapter,
  whose first cell installs what is missing, the helper package from the configured repository.

The rehearsal does what Binder does, on this machine, in a temporary folder:

1. a copy of the repository as a clone has it (the files git tracks or would track);
2. a fresh virtual environment, with the Python that runtime.txt names, from requirements.txt
   alone (`pip install -r requirements.txt` in the copy, as repo2docker does), then `postBuild`,
   both in a throwaway HOME;
3. JupyterLab from that environment on a loopback port with a token, the copy as its root, started
   through the repository's `start` script as repo2docker's entrypoint starts it;
4. Debian's chromium (Playwright) opens the first chapter at the path its launch button names and
   must get a notebook with the chapter's cells, not a text editor (which viewer opens MyST
   Markdown is a setting, the same for every chapter); the server gives every chapter as that
   notebook; every downloaded .ipynb opens as a notebook too, with its figures and questions;
5. every chapter's download is executed (nbclient), one after the other in a background thread
   while the browser checks run, each in a venv that sees only the kernel's tools and what the
   download's first cell names (with what those require), less the helper and every named package
   but TensorFlow and TFP: the first cell must install those, and no cell may raise;
6. the downloadable notebook's first cell: silent where everything is installed, and where the
   helper package is missing it installs it (from the repository copy instead of GitHub, which
   this machine cannot reach) so that the notebook runs outside the repository;
7. as on Colab, a download runs in a fresh venv where another TensorFlow stack (TensorFlow, NumPy,
   TensorFlow Probability at other versions than the course's) is installed already: its first cell
   installs what is missing without changing any installed package (on the course's Python, or on
   the one COURSE_COLAB_PYTHON names; the stack is Colab's of late 2024, whose TensorFlow 2.17
   takes a tf-keras that fails on Python 3.12, keras-team/tf-keras#803: there the cell refuses, as
   it should, and test_colab.py checks that it weighs only what it would install).

The rehearsal reports the size of the environment, the time from an empty venv to a running
JupyterLab and the time to run every chapter. It needs the package index that pip is configured
with (PyPI); pip's download cache is shared with the caller (it holds the same wheels pip would
download). The temporary folder (about 3 GB) is removed afterwards. For a developer's reruns,
COURSE_BINDER_DIR=DIR rehearses in DIR and keeps it; the environment there is made again only when
runtime.txt, requirements.txt, pyproject.toml or postBuild changed.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import CHAPTERS, ROOT
from course_build.book import CONFIG
from course_build.ext.notebooks import SETUP_CELL_TAG
from course_build.serving import free_port

# nbformat and jupytext (2 s of imports) are imported by the functions that use them: every
# pytest-xdist worker of `make test-fast` imports this module, to collect it, and runs none of it.
CELL_TIMEOUT = 900  # seconds; a cell that trains a small model takes a few


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return {}
    return yaml.safe_load(text[4 : text.index("\n---", 4)]) or {}


# The chapters that are notebooks (a kernelspec in their jupytext header): only these get launch
# buttons and downloads. A page of the table of contents without a source is the site tests' job.
NOTEBOOKS = [
    d for d in CHAPTERS if (ROOT / f"{d}.md").is_file() and "kernelspec" in front_matter(ROOT / f"{d}.md")
]


def code_sources(notebook) -> list[str]:
    return [c.source.strip() for c in notebook.cells if c.cell_type == "code"]


def repository():
    """(org, repo, branch) from _config.yml: the one place they are configured."""
    url = CONFIG["repository"]["url"].rstrip("/").removesuffix(".git")
    match = re.fullmatch(r"https://github\.com/([^/]+)/([^/]+)", url)
    assert match, f"_config.yml repository url {url!r} is not a GitHub repository"
    return match[1], match[2], CONFIG["repository"].get("branch", "main")


def expected_binder_url(doc: str) -> str:
    org, repo, branch = repository()
    hub = CONFIG["launch_buttons"]["binderhub_url"].rstrip("/")
    assert CONFIG["launch_buttons"].get("notebook_interface") == "jupyterlab"
    return f"{hub}/v2/gh/{org}/{repo}/{branch}?urlpath=lab/tree/{doc}.md"


def chapter_page(html_dir: Path, doc: str) -> BeautifulSoup:
    path = html_dir / f"{doc}.html"
    assert path.is_file(), f"{doc} was not built: {path} is missing"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def binder_url(html_dir: Path, doc: str) -> str:
    hub = CONFIG["launch_buttons"]["binderhub_url"].rstrip("/")
    links = [
        a["href"]
        for a in chapter_page(html_dir, doc).find_all("a", href=True)
        if a["href"].startswith(hub + "/v2/")
    ]
    assert len(links) == 1, f"{doc}: {len(links)} Binder launch buttons: {links}"
    return links[0]


def download_path(html_dir: Path, doc: str) -> Path:
    links = chapter_page(html_dir, doc).select("a.btn-download-notebook-button[href]")
    assert len(links) == 1, f"{doc}: {len(links)} .ipynb download buttons"
    href = links[0]["href"]
    assert href.endswith(".ipynb"), f"{doc}: the notebook download is {href}"
    return (html_dir / Path(doc).parent / href).resolve()


def setup_call(cell_source: str) -> tuple[dict[str, str], list | None]:
    """The ({module: requirement}, [module, distribution, url] of the helper) that the first cell
    passes to _install."""
    for node in ast.walk(ast.parse(cell_source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_install":
            return ast.literal_eval(node.args[0]), ast.literal_eval(node.args[1])
    raise AssertionError("the first cell does not call _install({...}, [...])")


# what the downloads install (not code/course_build, the site's build)
HELPER_FILES = ["code/likelihood_course", "pyproject.toml"]


def built_commit(html_dir: Path) -> str:
    """The commit whose archive the downloads install the helper from: one that exists and whose
    helper package is the one in this checkout."""
    import nbformat

    source = nbformat.read(download_path(html_dir, NOTEBOOKS[0]), as_version=4).cells[0].source
    org, repo, _ = repository()
    found = re.findall(rf"https://github\.com/{org}/{repo}/archive/([0-9a-f]{{40}})\.zip", source)
    assert len(found) == 1, f"the set-up cell names no commit archive of {org}/{repo}"
    commit = found[0]
    git = ["git", "-C", str(ROOT)]
    assert subprocess.run([*git, "cat-file", "-e", f"{commit}^{{commit}}"]).returncode == 0, commit
    changed = subprocess.run(
        [*git, "diff", "--name-only", commit, "--", *HELPER_FILES], capture_output=True, text=True, check=True
    ).stdout.split()
    assert not changed, f"the helper at {commit[:12]} differs from this checkout's: {changed}"
    return commit


def helper_archive(html_dir: Path) -> str:
    org, repo, _ = repository()
    return f"https://github.com/{org}/{repo}/archive/{built_commit(html_dir)}.zip"


# --------------------------------------------------------------------------------------------
# The built site: launch buttons and downloads


def test_there_are_notebook_chapters():
    assert NOTEBOOKS, "no chapter in _toc.yml is a notebook (jupytext header with a kernelspec)"


def test_binder_configuration_files():
    runtime = (ROOT / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.\d+", runtime), f"runtime.txt: {runtime!r}"
    for script in ("postBuild", "start"):
        path = ROOT / script
        assert os.access(path, os.X_OK), f"{script} is not executable: Binder would not run it"
        assert path.read_text().startswith("#!"), f"{script} has no #! line"
    requirements = (ROOT / "requirements.txt").read_text()
    for needed in ("jupyterlab", "jupytext", "ipykernel", "jupyterhub", "nbgitpuller"):
        assert re.search(rf"^{needed}==", requirements, re.M), f"requirements.txt lacks {needed}"
    assert re.search(r"^-e \.$", requirements, re.M), "requirements.txt does not install the helper"


@pytest.mark.parametrize("doc", NOTEBOOKS)
def test_chapter_has_binder_button_for_the_chapter(html_dir, doc):
    url = binder_url(html_dir, doc)
    assert url == expected_binder_url(doc), f"{doc}: launch button {url}"
    path = url.split("urlpath=lab/tree/", 1)[1]
    assert (ROOT / path).is_file(), f"{doc}: the launch button names {path}, which does not exist"


@pytest.mark.parametrize("doc", NOTEBOOKS)
def test_chapter_offers_a_notebook_that_runs_anywhere(html_dir, doc):
    import jupytext
    import nbformat

    path = download_path(html_dir, doc)
    assert path.is_file(), f"{doc}: the .ipynb download {path} is missing"
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.nbformat == 4 and notebook.nbformat_minor >= 5
    assert notebook.metadata.kernelspec.name == "python3", "Jupyter and Colab need a python3 kernel"
    assert "jupytext" not in notebook.metadata, "a download is a plain notebook, not a paired file"

    first, rest = notebook.cells[0], notebook.cells[1:]
    assert first.cell_type == "code" and SETUP_CELL_TAG in first.metadata.get("tags", [])
    assert not first.get("outputs"), "the set-up cell has outputs"
    requirements, helper = setup_call(first.source)
    # the helper package as it was at the commit the site was built from
    assert helper == ["likelihood_course", "likelihood-course", helper_archive(html_dir)], helper
    source = jupytext.read(ROOT / f"{doc}.md")
    for module in ("numpy", "scipy", "matplotlib"):  # the helper's own dependencies, pinned
        assert re.fullmatch(rf"{module}==[\d.]+", requirements.get(module, "")), requirements
    site_only = {"myst_nb", "docutils", "sphinx", "jupyter_book"} & set(requirements)
    assert not site_only, f"{doc}: a reader's notebook would install the site's toolchain: {site_only}"

    assert code_sources(nbformat.v4.new_notebook(cells=rest)) == code_sources(source), (
        f"{doc}: the download's code cells are not the chapter's"
    )
    assert any(c.get("outputs") for c in rest), f"{doc}: the download was not executed"
    errors = [o for c in rest for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, f"{doc}: the download has error outputs"


# --------------------------------------------------------------------------------------------
# The rehearsal: a fresh environment from requirements.txt, postBuild, JupyterLab


def _runtime_python() -> str:
    """The interpreter that runtime.txt names (python-3.11 -> python3.11), resolved to its real
    path while the caller's environment (pyenv shims need HOME) is still in place."""
    version = (ROOT / "runtime.txt").read_text().strip().removeprefix("python-")
    found = shutil.which(f"python{version}")
    assert found, f"runtime.txt asks for Python {version}: no python{version} on PATH"
    return subprocess.run(
        [found, "-c", "import sys; print(sys.executable)"], check=True, capture_output=True, text=True
    ).stdout.strip()


def _copy_repository(dest: Path) -> None:
    """The files a clone would have: tracked ones and new ones git does not ignore."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)


def _clean_env(venv: Path, home: Path) -> dict[str, str]:
    """The caller's environment without its Python/Jupyter settings, the venv first on PATH."""
    drop = (
        "VIRTUAL_ENV",
        "PYTHONPATH",
        "PYTHONHOME",
        "PYTHONSTARTUP",
        "IPYTHONDIR",
        "MPLCONFIGDIR",
        "MPLBACKEND",
        "CONDA_PREFIX",
        "TF_USE_LEGACY_KERAS",
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in drop and not k.startswith(("JUPYTER", "XDG_", "PYENV", "COURSE_"))
    }
    own = Path(sys.prefix).resolve()
    path = [
        p
        for p in os.environ.get("PATH", "").split(os.pathsep)
        if p and not Path(p).resolve().is_relative_to(own) and ".pyenv" not in p
    ]
    env["PATH"] = os.pathsep.join([str(venv / "bin"), *path])
    env["HOME"] = str(home)
    # pip's download cache holds the same files that pip would download again: share it
    env["PIP_CACHE_DIR"] = os.environ.get("PIP_CACHE_DIR") or str(Path.home() / ".cache" / "pip")
    return env


def _du(path: Path) -> int:
    return sum(p.lstat().st_size for p in path.rglob("*") if not p.is_symlink() and p.is_file())


class Rehearsal:
    def __init__(self, base: Path):
        self.base = base
        self.repo, self.home, self.venv = base / "repo", base / "home", base / "venv"
        self.python = self.venv / "bin" / "python"
        self.env = _clean_env(self.venv, self.home)
        self.token = secrets.token_hex(16)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.lab: subprocess.Popen | None = None
        self.numbers: dict[str, float] = {}
        self.chapter_seconds: dict[str, float] = {}

    def run(self, *args, **kwargs) -> subprocess.CompletedProcess:
        kwargs.setdefault("cwd", self.repo)
        kwargs.setdefault("env", self.env)
        result = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
        assert result.returncode == 0, (
            f"{' '.join(map(str, args))} failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
        )
        return result

    def stamp(self) -> str:
        files = ("runtime.txt", "requirements.txt", "pyproject.toml", "postBuild")
        return hashlib.sha256(b"".join((ROOT / f).read_bytes() for f in files)).hexdigest()

    def setup(self) -> None:
        stamp = self.venv / ".rehearsal-stamp"
        reuse = stamp.is_file() and stamp.read_text() == self.stamp()
        shutil.rmtree(self.repo, ignore_errors=True)
        self.repo.mkdir(parents=True)
        self.home.mkdir(exist_ok=True)
        _copy_repository(self.repo)
        if reuse:  # COURSE_BINDER_DIR with an environment from the same files: a developer's rerun
            self.start_lab()
            return
        shutil.rmtree(self.venv, ignore_errors=True)
        shutil.rmtree(self.home, ignore_errors=True)
        self.home.mkdir()
        python = _runtime_python()
        start = time.monotonic()
        self.run(python, "-m", "venv", self.venv)
        self.run(self.python, "-m", "pip", "install", "--quiet", "-r", "requirements.txt")
        self.numbers["pip install -r requirements.txt (s)"] = time.monotonic() - start
        self.run(self.repo / "postBuild")
        self.start_lab()
        self.numbers["empty venv -> running JupyterLab (s)"] = time.monotonic() - start
        self.numbers["environment size (GB)"] = _du(self.venv) / 1e9
        stamp.write_text(self.stamp())

    def start_lab(self) -> None:
        self.lab_log = open(self.base / "jupyterlab.log", "w")
        self.lab = subprocess.Popen(
            [
                self.repo / "start",
                self.venv / "bin" / "jupyter",
                "lab",
                "--no-browser",
                "--ip=127.0.0.1",
                f"--port={self.port}",
                f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={self.repo}",
                "--ServerApp.port_retries=0",
                *(["--allow-root"] if os.getuid() == 0 else []),
            ],  # Binder runs as a user; CI may not
            cwd=self.repo,
            env=self.env,
            stdout=self.lab_log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            assert self.lab.poll() is None, f"JupyterLab exited:\n{self.lab_log_text()}"
            try:
                with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=5):
                    return
            except OSError:
                time.sleep(0.5)
        raise AssertionError(f"JupyterLab did not answer within 180 s:\n{self.lab_log_text()}")

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(
            f"{self.url}/api/{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Stop the kernels that opening notebooks started (they would compete for the CPU)."""
        for kernel in self.api("kernels"):
            self.api(f"kernels/{kernel['id']}", method="DELETE")

    def lab_log_text(self) -> str:
        self.lab_log.flush()
        return (self.base / "jupyterlab.log").read_text()[-5000:]

    def stop(self) -> None:
        if self.lab is not None and self.lab.poll() is None:
            self.lab.terminate()
            try:
                self.lab.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.lab.kill()
                self.lab.wait()
            self.lab_log.close()


@pytest.fixture(scope="session")
def rehearsal(tmp_path_factory, pytestconfig):
    keep = os.environ.get("COURSE_BINDER_DIR")
    base = Path(keep).resolve() if keep else tmp_path_factory.mktemp("binder")
    rehearsal = Rehearsal(base)
    try:
        rehearsal.setup()
        yield rehearsal
    finally:
        rehearsal.stop()
        numbers = dict(rehearsal.numbers)
        if rehearsal.chapter_seconds:
            numbers["run every download alone, sum of the chapters (s)"] = sum(
                rehearsal.chapter_seconds.values()
            )
            numbers.update({f"  {doc} (s)": s for doc, s in rehearsal.chapter_seconds.items()})
        reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None and numbers:
            reporter.write_line("")
            reporter.write_line("Binder rehearsal:")
            for name, value in numbers.items():
                reporter.write_line(f"  {name}: {value:.1f}")
        (base / "numbers.json").write_text(json.dumps(numbers, indent=1))
        if not keep:
            shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def chapter_runs(rehearsal, html_dir):
    """Every chapter's download, executed one after the other in a background thread while the
    browser tests use JupyterLab, each in a Python that has only what its first cell names
    (`download_venv`): {doc: Future of its seconds}."""
    pool = ThreadPoolExecutor(max_workers=1)
    start = time.monotonic()

    installed_once = set()  # the sets of packages that a first cell has installed

    def run(doc):
        base = rehearsal.base / "downloads-alone" / Path(doc).name
        shutil.rmtree(base, ignore_errors=True)  # a developer's rerun in COURSE_BINDER_DIR
        base.mkdir(parents=True)
        notebook = base / f"{Path(doc).name}.ipynb"
        venv, to_install = download_venv(rehearsal, html_dir, doc, notebook, installed_once)
        python = venv / "bin" / "python"
        env = _clean_env(venv, rehearsal.home)
        seconds = execute(python, notebook, env, base, save=notebook)
        rehearsal.chapter_seconds[doc] = seconds
        if len(rehearsal.chapter_seconds) == len(NOTEBOOKS):
            rehearsal.numbers["run every download alone, wall clock (s)"] = time.monotonic() - start
        check_installed_by_the_first_cell(venv, notebook, to_install)
        installed_once.add(frozenset(to_install[:-1]))
        shutil.rmtree(venv)  # its links only: the rehearsal's files stay
        return seconds

    try:
        yield {doc: pool.submit(run, doc) for doc in NOTEBOOKS}
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# The top-level entries of site-packages (packages, modules, .dist-info folders, .pth files) of
# the distributions before "--" and everything they require, transitively; then those of the
# distributions after it, alone; then the site-packages folder itself.
ENTRIES = """
import importlib.metadata as md, json, re, sys, sysconfig
from packaging.requirements import Requirement

def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()

def own(name):
    return {f.parts[0] for f in md.distribution(name).files or ()} - {"..", "__pycache__"}

split = sys.argv.index("--")
todo, seen, closure = [canonical(n) for n in sys.argv[1:split]], set(), set()
while todo:
    name = todo.pop()
    if name not in seen:
        seen.add(name)
        closure |= own(name)
        for line in md.distribution(name).requires or ():
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(canonical(req.name))
alone = set().union(*(own(n) for n in sys.argv[split + 1:]))
print(json.dumps([sorted(closure), sorted(alone), sysconfig.get_paths()["purelib"]]))
"""
# What runs the notebook, not what it needs: nbclient, its kernel, and pip for the first cell.
KERNEL_TOOLS = ["ipykernel", "nbclient", "jupytext", "pip"]
# Seen by every download's Python, so that the first cell does not install them once per chapter
# (over 1.5 GB unpacked); every other package that the cell names, it must install.
TOO_BIG_TO_INSTALL_PER_CHAPTER = {"tensorflow", "tensorflow-probability"}


def download_venv(rehearsal, html_dir, doc, notebook: Path, installed_once: set) -> tuple[Path, list[str]]:
    """A venv beside `notebook` that sees, of the rehearsal's packages, only the kernel's tools and
    the closure of what the download's first cell names, less the helper and every named package
    but TensorFlow and TFP: the first cell must install those (the helper from the repository
    copy, the rest from the package index), and a package that the chapter needs but the cell
    does not name is not there (tf-keras was once). Where a first cell has installed the same
    packages already (`installed_once`: chapters share a few sets), they are seen like TensorFlow,
    and the cell installs the helper alone (about 25 s of pip a chapter). Writes the download to
    `notebook`; returns the venv and the requirements the first cell must install, the helper's
    last."""
    import nbformat

    download = nbformat.read(download_path(html_dir, doc), as_version=4)
    requirements, helper = setup_call(download.cells[0].source)
    github = helper_archive(html_dir)
    assert helper[2] == github, f"{doc}: the first cell installs the helper from {helper[2]}"
    # this machine cannot reach GitHub: the same requirement, from the repository copy
    download.cells[0].source = download.cells[0].source.replace(github, rehearsal.repo.as_uri())
    nbformat.write(download, notebook)

    names = {re.split("[=<>]", r)[0]: r for r in requirements.values()}
    to_install = {n: r for n, r in names.items() if n not in TOO_BIG_TO_INSTALL_PER_CHAPTER}
    assert to_install, f"{doc}: the first cell names only {sorted(names)}"
    if frozenset(to_install.values()) in installed_once:
        to_install = {}
    closure, alone, site = json.loads(
        rehearsal.run(
            rehearsal.python, "-c", ENTRIES, *KERNEL_TOOLS, *names, "--", *to_install, helper[1]
        ).stdout
    )
    venv = notebook.parent / "venv"
    rehearsal.run(_runtime_python(), "-m", "venv", "--without-pip", venv, cwd=notebook.parent)
    for entry in set(closure) - set(alone):
        (site_packages(venv) / entry).symlink_to(Path(site) / entry)
    return venv, [*to_install.values(), helper[1]]


def site_packages(venv: Path) -> Path:
    """The venv's own site-packages (a venv made with the runtime's Python holds exactly one)."""
    (folder,) = venv.glob("lib/python*/site-packages")
    return folder


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def check_installed_by_the_first_cell(venv: Path, notebook: Path, to_install: list[str]) -> None:
    """The first cell said it installed each package the venv lacked, and did: at the version it
    names, in the venv itself."""
    import nbformat

    printed = "".join(o.get("text", "") for o in nbformat.read(notebook, as_version=4).cells[0].outputs)
    *packages, helper = to_install
    first = f"Installing {', '.join(packages)} ..." if packages else f"Installing {helper} @ "
    assert printed.startswith(first), f"{notebook.name}: {printed!r}"
    assert f"Installing {helper} @ " in printed, f"{notebook.name}: {printed!r}"
    assert "RESTART" not in printed, f"{notebook.name}: {printed!r}"
    found = {  # the distributions installed in the venv itself, not seen through a link
        canonical(info.name.split("-")[0]): info.name.removesuffix(".dist-info").split("-")[1]
        for info in site_packages(venv).glob("*.dist-info")
        if not info.is_symlink()
    }
    for requirement in packages:
        name, version = requirement.split("==")
        assert found.get(canonical(name)) == version, (
            f"{notebook.name}: {name} {found.get(canonical(name))} in its venv, not {version}"
        )
    assert canonical(helper) in found, f"{notebook.name}: the helper is not installed in its venv"


@pytest.fixture(scope="session")
def lab_browser(rehearsal, chapter_runs, browser):
    return browser


# JupyterLab renders only the cells near the viewport: scroll the notebook from top to bottom and
# count every cell that was rendered on the way, by its index in the notebook.
# Scrolls through the windowed notebook, collecting its cells, until it has seen `total` of them
# (the file's count) or 60 s have passed: on a busy machine the notebook fills in by fits, and a
# pass that met the bottom early counted 11 of 25 cells.
COUNT_CELLS = """async (panel, total) => {
  const outer = panel.querySelector('.jp-WindowedPanel-outer');
  const seen = new Map(), pictures = new Set(), selfChecks = new Set();
  const frame = () => new Promise(r => setTimeout(r, 150));
  // the notebook is still filling in as long as its height changes
  for (let last = -1, same = 0; same < 6; ) {
    await frame();
    same = outer.scrollHeight === last ? same + 1 : 0;
    last = outer.scrollHeight;
  }
  outer.scrollTop = 0;
  for (let i = 0; i < 400; i++) {
    await frame();
    for (const cell of panel.querySelectorAll('.jp-Cell')) {
      const index = cell.dataset.windowedListIndex;
      if (index === undefined) continue;
      seen.set(index, cell.classList.contains('jp-CodeCell') ? 'code' : 'markdown');
      // outputs: a picture (a figure, or an explorer's static form) and self-check questions
      if (cell.querySelector('.jp-OutputArea-output img')) pictures.add(index);
      for (const md of cell.querySelectorAll('.jp-OutputArea-output.jp-RenderedMarkdown'))
        if (/Self-check \\d+\\./.test(md.textContent)) selfChecks.add(index);
    }
    if (outer.scrollTop + outer.clientHeight >= outer.scrollHeight - 2) {
      // at the bottom, for now: outputs that are still rendering make the notebook grow
      let grew = false;
      for (let k = 0; k < 10 && !grew; k++) {
        await frame();
        grew = outer.scrollTop + outer.clientHeight < outer.scrollHeight - 2;
      }
      if (!grew && seen.size >= total) break;
      if (!grew) { outer.scrollTop = 0; continue; }  // cells are missing: look again from the top
    }
    outer.scrollTop += Math.max(100, outer.clientHeight * 0.7);
  }
  const kinds = [...seen.values()];
  return {code: kinds.filter(k => k === 'code').length,
          markdown: kinds.filter(k => k === 'markdown').length,
          pictures: pictures.size, selfChecks: selfChecks.size};
}"""


def open_in_lab(rehearsal: Rehearsal, browser, urlpath: str, cells_in_file: int) -> dict:
    """Open JupyterLab at a Binder urlpath (e.g. lab/tree/book/01_probability.md) in a new page,
    and describe the document that JupyterLab shows in front (it looks for as many cells as the
    file has, and counts those it finds)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{rehearsal.url}/{urlpath}?token={rehearsal.token}", wait_until="load")
        name = urlpath.rsplit("/", 1)[-1]
        tab = page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current")
        tab.filter(has_text=name).wait_for(timeout=90_000)
        current = page.locator("#jp-main-dock-panel .jp-MainAreaWidget:not(.lm-mod-hidden)")
        current.wait_for(timeout=30_000)
        is_notebook = "jp-NotebookPanel" in (current.get_attribute("class") or "")
        if is_notebook:
            # the notebook's cells are there once its model has loaded
            current.locator(".jp-Cell").first.wait_for(timeout=60_000)
        cells = (
            current.evaluate(COUNT_CELLS, cells_in_file)
            if is_notebook
            else {"code": 0, "markdown": 0, "pictures": 0, "selfChecks": 0}
        )
        return {
            "tab": tab.inner_text().strip(),
            "notebook": is_notebook,
            "editor": current.locator(".jp-FileEditor").count() > 0,
            "code_cells": cells["code"],
            "markdown_cells": cells["markdown"],
            "output_pictures": cells["pictures"],
            "self_checks": cells["selfChecks"],
            "kernel": current.locator(".jp-Toolbar-kernelName").all_inner_texts(),
        }
    finally:
        context.close()
        rehearsal.shutdown_kernels()


def test_jupyterlab_opens_a_chapter_as_a_notebook(rehearsal, lab_browser, html_dir):
    """What a launch button does, in the browser, for the first chapter: JupyterLab's default viewer
    for MyST Markdown is a setting, the same for every chapter (postBuild), and what each chapter
    becomes is the server's, checked for all of them below."""
    import jupytext

    doc = NOTEBOOKS[0]
    urlpath = binder_url(html_dir, doc).split("?urlpath=", 1)[1]
    notebook = jupytext.read(rehearsal.repo / f"{doc}.md")
    shown = open_in_lab(rehearsal, lab_browser, urlpath, len(notebook.cells))
    assert shown["notebook"] and not shown["editor"], f"{doc}: JupyterLab shows {shown}"
    expected = len(code_sources(notebook))
    assert shown["code_cells"] == expected, f"{doc}: {shown['code_cells']} code cells, not {expected}"
    markdown = sum(c.cell_type == "markdown" for c in notebook.cells)
    assert shown["markdown_cells"] == markdown > 0, (
        f"{doc}: {shown['markdown_cells']} Markdown cells, not {markdown}"
    )
    assert any("Python 3" in k for k in shown["kernel"]), f"{doc}: kernel {shown['kernel']}"


@pytest.mark.parametrize("doc", NOTEBOOKS)
def test_the_server_gives_each_chapter_as_a_notebook(rehearsal, html_dir, doc):
    """The document JupyterLab asks for when a launch button opens the chapter: the server's
    notebook model of the .md file (jupytext's contents manager), with the chapter's cells."""
    import jupytext

    path = binder_url(html_dir, doc).split("?urlpath=lab/tree/", 1)[1]
    model = rehearsal.api(f"contents/{quote(path)}?type=notebook&content=1")
    assert model["type"] == "notebook", f"{doc}: the server gives a {model['type']}"
    cells = model["content"]["cells"]
    notebook = jupytext.read(rehearsal.repo / f"{doc}.md")
    assert [c["cell_type"] for c in cells] == [c.cell_type for c in notebook.cells]
    code = [c["source"].strip() for c in cells if c["cell_type"] == "code"]
    assert code == code_sources(notebook) and code, f"{doc}: the server's code cells differ"


def _site_outputs(html_dir: Path, doc: str) -> tuple[int, int]:
    """The chapter page's figures and self-check questions."""
    site = BeautifulSoup((html_dir / f"{doc}.html").read_text(), "html.parser")
    return len(site.select("article figure")), len(site.select("article .lc-question"))


@pytest.mark.parametrize("doc", NOTEBOOKS)
def test_every_download_holds_what_jupyterlab_shows(html_dir, doc):
    """What the test below sees JupyterLab show of one download, read from every download's file:
    the chapter's code cells after the install cell, a PNG for each figure and explorer (its static
    form), and each self-check question as Markdown, which JupyterLab renders."""
    import jupytext
    import nbformat

    notebook = nbformat.read(download_path(html_dir, doc), as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert len(code) == len(code_sources(jupytext.read(ROOT / f"{doc}.md"))) + 1, doc
    pictures = sum(any("image/png" in o.get("data", {}) for o in c.outputs) for c in code)
    checks = sum(
        any(re.search(r"Self-check \d+\.", o.get("data", {}).get("text/markdown", "")) for o in c.outputs)
        for c in code
    )
    figures, questions = _site_outputs(html_dir, doc)
    assert pictures >= figures, f"{doc}: {pictures} pictures, {figures} figures"
    assert checks == questions, f"{doc}: {checks} of {questions} questions as Markdown"


# JupyterLab itself, on the download with the most kinds of output (explorers, questions, figures):
# it renders every notebook the same way, and each one opened costs about 50 s of the test run.
LAB_SHOWN = ["book/10_map"]


@pytest.mark.parametrize("doc", LAB_SHOWN)
def test_jupyterlab_opens_the_downloaded_notebook(rehearsal, lab_browser, html_dir, doc):
    import jupytext
    import nbformat

    downloads = rehearsal.base / "repo" / "downloads"
    downloads.mkdir(exist_ok=True)
    shutil.copy2(download_path(html_dir, doc), downloads)
    cells = len(nbformat.read(download_path(html_dir, doc), as_version=4).cells)
    shown = open_in_lab(rehearsal, lab_browser, f"lab/tree/downloads/{Path(doc).name}.ipynb", cells)
    assert shown["notebook"], f"{doc}: JupyterLab shows {shown}"
    expected = len(code_sources(jupytext.read(rehearsal.repo / f"{doc}.md"))) + 1
    assert shown["code_cells"] == expected, f"{doc}: {shown['code_cells']} code cells, not {expected}"
    # JupyterLab does not know the site's explorer and question outputs: it shows their fallbacks,
    # the static figure and the question as text, next to the chapter's other figures
    figures, questions = _site_outputs(html_dir, doc)
    assert shown["output_pictures"] >= figures, (
        f"{doc}: {shown['output_pictures']} pictures, {figures} figures"
    )
    assert shown["self_checks"] == questions, f"{doc}: {shown['self_checks']} of {questions} questions shown"


EXECUTE = """
import sys, time
from pathlib import Path
import jupytext, nbclient
path = Path(sys.argv[1])
nb = jupytext.read(path)
start = time.monotonic()
nbclient.NotebookClient(nb, timeout=int(sys.argv[2]), kernel_name="python3",
                        resources={"metadata": {"path": str(path.parent)}}).execute()
seconds = time.monotonic() - start
errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
assert not errors, errors
if len(sys.argv) > 3:
    import nbformat
    nbformat.write(nb, sys.argv[3])
print(f"{seconds:.3f}")
"""


def execute(python: Path, notebook: Path, env: dict, cwd: Path, save: Path | None = None) -> float:
    """Run every cell of a notebook (.md or .ipynb) in the python3 kernel of `python`'s
    environment, from the notebook's folder (as JupyterLab does); fail on the first error.
    `save`: where to write the executed notebook. Returns the seconds it took."""
    extra = [str(save)] if save else []
    result = subprocess.run(
        [str(python), "-c", EXECUTE, str(notebook), str(CELL_TIMEOUT), *extra],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"{notebook.name} failed:\n{result.stderr[-6000:]}"
    return float(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("doc", NOTEBOOKS)
def test_download_runs_where_only_what_its_first_cell_names_is_installed(chapter_runs, doc):
    chapter_runs[doc].result()  # raises what the run raised


@pytest.mark.parametrize("doc", NOTEBOOKS)
def test_download_setup_cell_is_silent_where_everything_is_installed(rehearsal, html_dir, doc):
    import nbformat

    cell = nbformat.read(download_path(html_dir, doc), as_version=4).cells[0].source
    result = rehearsal.run(rehearsal.python, "-c", cell, cwd=rehearsal.home)
    assert result.stdout == "" and result.stderr == "", (
        f"{doc}: the set-up cell printed {result.stdout!r} {result.stderr!r} in the Binder "
        "environment, where everything is installed"
    )


def test_download_installs_the_helper_outside_the_repository(rehearsal, html_dir):
    """A Python that has every package of the chapter except the helper (a venv that sees the
    rehearsal's site-packages, but not the helper's editable install): the download's first cell
    installs the helper, outside the repository, and the helper is then imported from the venv.
    (The whole downloads run in test_download_runs_where_only_what_its_first_cell_names_is_installed.)"""
    import nbformat

    doc = NOTEBOOKS[0]
    outside = rehearsal.base / "outside"
    venv = outside / "venv"
    rehearsal.run(_runtime_python(), "-m", "venv", venv, cwd=rehearsal.base)
    site = rehearsal.run(rehearsal.python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    own_site = rehearsal.run(
        venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    )
    # a path entry only: the .pth files in there (the helper's editable install) are not read
    Path(own_site.stdout.strip(), "rehearsal.pth").write_text(site.stdout.strip() + "\n")
    env = _clean_env(venv, rehearsal.home)
    check = "import importlib.util as u; print(u.find_spec('likelihood_course'), u.find_spec('numpy') is not None)"
    assert rehearsal.run(venv / "bin" / "python", "-c", check, env=env, cwd=outside).stdout.split() == [
        "None",
        "True",
    ], "the outside venv should see numpy but not the helper"

    notebook = nbformat.read(download_path(html_dir, doc), as_version=4)
    github = helper_archive(html_dir)
    assert github in notebook.cells[0].source
    # this machine cannot reach GitHub: the same requirement, from the repository copy
    notebook.cells[0].source = notebook.cells[0].source.replace(github, rehearsal.repo.as_uri())
    setup_only = nbformat.v4.new_notebook(cells=[notebook.cells[0]], metadata=notebook.metadata)
    path = outside / "setup.ipynb"
    nbformat.write(setup_only, path)
    execute(venv / "bin" / "python", path, env, outside, save=path)

    printed = "".join(o.get("text", "") for o in nbformat.read(path, as_version=4).cells[0].outputs)
    assert printed.startswith("Installing likelihood-course @ "), f"the set-up cell printed {printed!r}"
    assert "RESTART" not in printed, "a first install changes nothing that was loaded"
    installed = rehearsal.run(
        venv / "bin" / "python",
        "-c",
        "import likelihood_course; print(likelihood_course.__file__)",
        env=env,
        cwd=outside,
    ).stdout.strip()
    assert Path(installed).is_relative_to(venv), f"the helper was imported from {installed}"
    assert not Path(installed).is_relative_to(rehearsal.repo)

    # run again: the helper is the one the site was built from, so the cell does nothing
    again = outside / "setup-again.ipynb"
    nbformat.write(setup_only, again)
    execute(venv / "bin" / "python", again, env, outside, save=again)
    assert not nbformat.read(again, as_version=4).cells[0].outputs, "the cell reinstalled a current helper"

    # another copy of the helper (as an older download would have installed): replaced, and the
    # reader is told to restart the kernel
    other = outside / "likelihood-course-elsewhere"
    shutil.copytree(
        rehearsal.repo, other, ignore=shutil.ignore_patterns(".git", "_build", ".venv", "node_modules")
    )
    rehearsal.run(
        venv / "bin" / "python",
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "--force-reinstall",
        f"likelihood-course @ {other.as_uri()}",
        env=env,
        cwd=outside,
    )
    execute(venv / "bin" / "python", again, env, outside, save=again)
    printed = "".join(o.get("text", "") for o in nbformat.read(again, as_version=4).cells[0].outputs)
    assert f"Installing likelihood-course @ {rehearsal.repo.as_uri()}" in printed, printed
    assert "RESTART THE KERNEL" in printed and "likelihood-course" in printed.split("RESTART")[1], printed


# --------------------------------------------------------------------------------------------
# A download where another TensorFlow stack is installed already, as on Colab

# Colab preinstalls TensorFlow, tf-keras, TensorFlow Probability and NumPy as a matched set. This
# one is the set Colab shipped in late 2024: every version other than the course's pins (TF 2.18.1,
# TFP 0.25.0, NumPy 2.0.2; TFP 0.25 is its newest release, so another TFP means an older set), and
# it installs on Python 3.11 and 3.12. tf-keras is left out: the cell must not install the site's
# tf-keras 2.18.0 (it needs TensorFlow 2.18, which pip would put over 2.17) but the one that fits.
COLAB_STACK = {"numpy": "1.26.4", "tensorflow": "2.17.1", "tensorflow-probability": "0.24.0"}
COLAB_CHAPTER = "book/05_classifiers"  # TFP's layers on tf_keras, and statsmodels and pandas


def test_download_runs_where_another_tensorflow_stack_is_installed(tmp_path, html_dir):
    """A fresh venv with the stack above and a Jupyter kernel (on COURSE_COLAB_PYTHON where it is
    set, else on the course's Python): the download's first cell installs what is missing without
    changing any installed package, and the chapter runs."""
    import nbformat

    python = os.environ.get("COURSE_COLAB_PYTHON") or _runtime_python()
    venv, home, repo = tmp_path / "venv", tmp_path / "home", tmp_path / "repo"
    home.mkdir()
    repo.mkdir()
    _copy_repository(repo)  # the helper's source, instead of GitHub's archive (unreachable here)
    env = _clean_env(venv, home)

    def run(*args) -> str:
        result = subprocess.run([str(a) for a in args], cwd=tmp_path, env=env, capture_output=True, text=True)
        assert result.returncode == 0, f"{args}: {result.stdout[-3000:]}{result.stderr[-3000:]}"
        return result.stdout

    run(python, "-m", "venv", venv)
    stack = [f"{name}=={version}" for name, version in COLAB_STACK.items()]
    run(
        venv / "bin" / "python",
        "-m",
        "pip",
        "install",
        "--quiet",
        *stack,
        "ipykernel",
        "nbclient",
        "jupytext",
    )

    def installed() -> dict[str, str]:
        freeze = run(venv / "bin" / "python", "-m", "pip", "list", "--format=json")
        return {canonical(p["name"]): p["version"] for p in json.loads(freeze)}

    before = installed()
    assert "tf-keras" not in before and "likelihood-course" not in before, sorted(before)

    notebook = nbformat.read(download_path(html_dir, COLAB_CHAPTER), as_version=4)
    github = helper_archive(html_dir)
    notebook.cells[0].source = notebook.cells[0].source.replace(github, repo.as_uri())
    path = tmp_path / f"{Path(COLAB_CHAPTER).name}.ipynb"
    nbformat.write(notebook, path)
    execute(venv / "bin" / "python", path, env, tmp_path, save=path)  # every cell, no error

    printed = "".join(o.get("text", "") for o in nbformat.read(path, as_version=4).cells[0].outputs)
    assert printed.startswith("Installing "), printed
    assert "tf-keras==2.18.0 does not fit the packages installed here" in printed, printed
    assert "RESTART" not in printed, printed
    after = installed()
    changed = {name: (v, after.get(name)) for name, v in before.items() if after.get(name) != v}
    assert not changed, f"the cell changed installed packages: {changed}"
    tf_minor = ".".join(COLAB_STACK["tensorflow"].split(".")[:2])
    assert after["tf-keras"].startswith(tf_minor + "."), f"tf-keras {after['tf-keras']} for TF {tf_minor}"
    assert "likelihood-course" in after
    run(venv / "bin" / "python", "-m", "pip", "check")  # nothing installed is at odds with the rest
