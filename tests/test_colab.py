"""Open in Colab: every notebook page's Colab button, the notebooks branch it points into, and the
download's install cell on a Python that the course's versions are not made for.

Colab opens notebooks only from GitHub, so the publishing workflow commits the site's downloads to
the `notebooks` branch (code/course_build/notebooks_branch.py). Here, on the built site:

- every page that offers a .ipynb download has one Colab button, to
  https://colab.research.google.com/github/<org>/<repo>/blob/notebooks/<page>.ipynb, with org and
  repo from `repository: url` in _config.yml;
- the workflow's own steps (read from .github/workflows/pages.yml and run in bash, as the runner
  would) turn the Pages artifact into a branch and push it, here to a local bare repository: the
  branch holds exactly the site's downloads, byte for byte, and a README, in one commit, and a
  second publication replaces it;
- the first cell of a download, on a Python that what it would install is not made for, stops
  before pip runs and says which Pythons work and how to get one (Binder, Colab); what is
  installed already is not weighed (Colab's own tf-keras on Python 3.12).
(tests/test_binder.py runs a download where another TensorFlow stack is already installed.)
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from test_binder import repository  # (org, repo, branch) from _config.yml

from conftest import CHAPTERS, ROOT, built_page

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
COLAB = "https://colab.research.google.com/"


def downloads(html_dir: Path) -> dict[str, bytes]:
    """{page: the bytes of its .ipynb download}, for every page whose download button offers one."""
    found = {}
    for page in sorted(html_dir.rglob("*.html")):
        doc = page.relative_to(html_dir).with_suffix("").as_posix()
        for link in built_page(doc).select("a.btn-download-notebook-button[href]"):
            found[doc] = (page.parent / link["href"]).resolve().read_bytes()
    return found


def colab_link_from_config(doc: str) -> str:
    org, repo, _ = repository()
    return f"https://colab.research.google.com/github/{org}/{repo}/blob/notebooks/{doc}.ipynb"


def colab_links(doc: str) -> list[str]:
    return [a["href"] for a in built_page(doc).find_all("a", href=True) if a["href"].startswith(COLAB)]


@pytest.fixture(scope="module")
def site_downloads(html_dir) -> dict[str, bytes]:
    found = downloads(html_dir)
    chapters = [d for d in found if d.split("/")[-1][:2].isdigit()]
    assert len(chapters) >= 6, f"only these pages offer a .ipynb: {sorted(found)}"
    return found


def test_every_notebook_page_opens_its_notebook_on_colab(html_dir, site_downloads):
    for doc in site_downloads:
        links = colab_links(doc)
        assert links == [colab_link_from_config(doc)], f"{doc}: Colab buttons {links}"
    others = [
        p.relative_to(html_dir).as_posix()
        for p in html_dir.rglob("*.html")
        if p.relative_to(html_dir).with_suffix("").as_posix() not in site_downloads
        and COLAB in p.read_text(encoding="utf-8")
    ]
    assert not others, f"pages without a notebook link to Colab: {others}"


# --------------------------------------------------------------------------------------------
# The workflow's notebooks job, run as the runner would run it


@pytest.fixture(scope="module")
def notebooks_job() -> dict:
    jobs = yaml.safe_load(WORKFLOW.read_text())["jobs"]
    assert "notebooks" in jobs, "the workflow has no notebooks job"
    return jobs["notebooks"]


def run_job(job: dict, workspace: Path, env: dict[str, str]) -> None:
    """The job's `run:` steps in bash (-e, as GitHub's runner runs them), in `workspace`."""
    for step in job["steps"]:
        if "run" in step:
            result = subprocess.run(
                ["bash", "-e", "-c", step["run"]],
                cwd=workspace,
                env={**env, **step.get("env", {})},
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert result.returncode == 0, f"{step.get('name')}: {result.stdout}{result.stderr}"


def workspace_for(job: dict, html_dir: Path, base: Path) -> Path:
    """What the job's actions leave in its workspace: the checkout (the script), and the Pages artifact
    downloaded to the path the job names: artifact.tar, as upload-pages-artifact packs the site."""
    uses = [s["uses"].split("@")[0] for s in job["steps"] if "uses" in s]
    assert uses == ["actions/checkout", "actions/download-artifact"], uses
    download = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/download-artifact@"))
    assert download["with"]["name"] == "github-pages", "the notebooks must come from the Pages artifact"
    workspace = base / "workspace"
    script = Path("code") / "course_build" / "notebooks_branch.py"  # a script of the standard library alone
    (workspace / script).parent.mkdir(parents=True)
    (workspace / script).write_bytes((ROOT / script).read_bytes())
    artifact = workspace / download["with"]["path"]
    artifact.mkdir()
    # upload-pages-artifact v4's own command (its action.yml), minus --verbose
    subprocess.run(
        ["tar", "--dereference", "--hard-dereference", "--directory", str(html_dir), "-cf",
         str(artifact / "artifact.tar"), "--exclude=.git", "--exclude=.github", "."],
        check=True,
    )  # fmt: skip
    return workspace


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


def test_workflow_publishes_exactly_the_site_downloads(tmp_path, html_dir, site_downloads, notebooks_job):
    org, repo, _ = repository()
    remote = tmp_path / "github" / org / f"{repo}.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",  # the system's python3, without the course's packages
        "HOME": str(tmp_path),
        "GITHUB_SHA": commit,
        "GITHUB_SERVER_URL": (tmp_path / "github").as_uri(),
        "GITHUB_REPOSITORY": f"{org}/{repo}",
        "GITHUB_TOKEN": "not-a-token",
    }
    for run in range(2):  # the second publication replaces the first
        workspace = workspace_for(notebooks_job, html_dir, tmp_path / f"run{run}")
        run_job(notebooks_job, workspace, {**env, "TOKEN": "not-a-token"})

    assert git(remote, "for-each-ref", "--format=%(refname)").split() == ["refs/heads/notebooks"]
    assert git(remote, "rev-list", "--count", "notebooks").strip() == "1", "the branch keeps one commit"
    assert commit in git(remote, "log", "-1", "--format=%s", "notebooks")
    files = git(remote, "ls-tree", "-r", "--name-only", "notebooks").split()
    expected = sorted(f"{doc}.ipynb" for doc in site_downloads)
    assert sorted(f for f in files if f != "README.md") == expected
    assert "README.md" in files
    for doc, content in site_downloads.items():
        published = subprocess.run(
            ["git", "--git-dir", str(remote), "show", f"notebooks:{doc}.ipynb"],
            check=True,
            capture_output=True,
        ).stdout
        assert published == content, f"{doc}.ipynb on the branch is not the site's download"
    readme = git(remote, "show", "notebooks:README.md")
    assert commit in readme and all(f"`{doc}.ipynb`" in readme for doc in site_downloads)


def test_every_colab_button_opens_a_notebook_on_the_branch(html_dir, site_downloads, tmp_path):
    """The path each button names is a file of the branch as the tool assembles it."""
    from course_build.notebooks_branch import assemble

    out = tmp_path / "branch"
    assemble(html_dir, out, "test")
    for doc in site_downloads:
        path = colab_links(doc)[0].split("/blob/notebooks/", 1)[1]
        assert (out / path).read_bytes() == site_downloads[doc], doc


# --------------------------------------------------------------------------------------------
# The install cell on a Python that the course's versions are not made for


def setup_call(source: str) -> ast.Call:
    calls = [
        n
        for n in ast.walk(ast.parse(source))
        if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "_install"
    ]
    assert len(calls) == 1, "the first cell does not call _install(...) once"
    return calls[0]


def first_cell(content: bytes) -> str:
    cell = json.loads(content)["cells"][0]
    return "".join(cell["source"])


INSTALL_ARGS = ["requirements", "helper", "pythons", "colab"]


def install_call(source: str, **replaced) -> str:
    """The cell's source with some of _install's arguments (requirements, helper, pythons, colab)
    replaced by the given values."""
    call = setup_call(source)
    lines = source.splitlines(keepends=True)
    for name, value in sorted(replaced.items(), key=lambda item: -INSTALL_ARGS.index(item[0])):
        arg = call.args[INSTALL_ARGS.index(name)]  # from the last, so that earlier lines stay put
        start, end = arg.lineno - 1, arg.end_lineno
        lines[start:end] = [f"    {json.dumps(value) if value is not None else 'None'},\n"]
    changed = "".join(lines)
    args = dict(zip(INSTALL_ARGS, map(ast.literal_eval, setup_call(changed).args)))
    assert all(args[name] == value for name, value in replaced.items()), args
    return changed


def test_install_cell_names_the_pythons_the_versions_are_made_for(site_downloads):
    binder = (ROOT / "runtime.txt").read_text().strip().removeprefix("python-")
    for doc, content in site_downloads.items():
        requirements, _, pythons, colab = map(ast.literal_eval, setup_call(first_cell(content)).args)
        assert sorted(pythons) == sorted(requirements.values()), f"{doc}: {pythons}"
        for requirement, made_for in pythons.items():
            assert binder in made_for, f"{doc}: {requirement} is not made for Binder's Python {binder}"
        for requirement in requirements.values():
            if requirement.startswith("tensorflow==2.18."):
                # TensorFlow 2.18 has wheels for Python 3.9 to 3.12 (Colab runs 3.12), not for 3.13
                assert "3.12" in pythons[requirement] and "3.13" not in pythons[requirement]
            if requirement.startswith("tf-keras==2.18."):
                # tf-keras 2.18 seeds with random.randint(1, 1e9), which 3.12 refuses (tf-keras#803)
                assert "3.12" not in pythons[requirement], f"{doc}: {pythons[requirement]}"
        assert colab == colab_link_from_config(doc), f"{doc}: the cell's Colab link {colab}"


def chapter_with(site_downloads, module: str) -> tuple[str, str]:
    """(doc, the install cell's source) of the first download that installs `module`."""
    for doc, content in site_downloads.items():
        source = first_cell(content)
        if module in ast.literal_eval(setup_call(source).args[0]):
            return doc, source
    pytest.fail(f"no download installs {module}")


def fresh_venv(tmp_path) -> tuple[Path, list[str]]:
    """A venv with nothing but pip, and the command that lists what it has."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    return python, [str(python), "-m", "pip", "freeze", "--all", "--disable-pip-version-check"]


@pytest.mark.process  # a fresh venv
def test_install_cell_stops_at_once_on_a_python_it_is_not_made_for(tmp_path, site_downloads):
    """A fresh venv (nothing but pip) whose Python the cell is told is not one of its Pythons: the
    cell raises before pip installs anything, naming the Pythons that work, Binder and Colab."""
    doc, source = chapter_with(site_downloads, "tensorflow")
    requirements = ast.literal_eval(setup_call(source).args[0])
    others = ["3.98", "3.99"]  # this Python is not one of them: as 3.13 is not one of TF 2.18's
    source = install_call(source, pythons=dict.fromkeys(requirements.values(), others))

    python, freeze = fresh_venv(tmp_path)
    before = subprocess.run(freeze, check=True, capture_output=True, text=True).stdout
    start_time = time.monotonic()
    result = subprocess.run([str(python), "-c", source], cwd=tmp_path, capture_output=True, text=True)
    seconds = time.monotonic() - start_time
    assert result.returncode != 0, f"the cell ran on: {result.stdout}"
    message = result.stderr.strip().splitlines()[-1]
    this = "{}.{}".format(*sys.version_info[:2])
    assert message.startswith(f"RuntimeError: This is Python {this}: "), result.stderr
    for needed in ("3.98 and 3.99", "3.98 or 3.99", "Binder", colab_link_from_config(doc), "numpy=="):
        assert needed in message, f"the message does not name {needed!r}: {message}"
    assert "Installing" not in result.stdout, result.stdout
    after = subprocess.run(freeze, check=True, capture_output=True, text=True).stdout
    assert after == before, "the cell installed something before it stopped"
    assert seconds < 30, f"the cell took {seconds:.0f} s to stop"


@pytest.mark.process  # a fresh venv
def test_install_cell_weighs_the_pythons_of_what_it_would_install_only(tmp_path, site_downloads):
    """On Colab's Python 3.12, a chapter whose tf-keras 2.18 is not made for 3.12 must still run
    where a tf-keras is installed already: the cell refuses a Python only for a package that it
    would install. In a fresh venv that sees the course's packages (PYTHONPATH), the cell is told
    that tf-keras is made for other Pythons, and given one package to install that is made for
    this one (pip itself, under a module name that is not installed, so that pip finds it
    satisfied and nothing is downloaded): it installs that and does not refuse. Without tf-keras
    (its module renamed to one that is not installed), it refuses, naming tf-keras's Pythons."""
    doc, source = chapter_with(site_downloads, "tf_keras")
    tf_keras = ast.literal_eval(setup_call(source).args[0])["tf_keras"]
    this = "{}.{}".format(*sys.version_info[:2])
    python, freeze = fresh_venv(tmp_path)
    before = subprocess.run(freeze, check=True, capture_output=True, text=True).stdout
    pip = next(line for line in before.splitlines() if line.startswith("pip=="))
    site_packages = next(Path(sys.prefix, "lib").glob("python3.*/site-packages"))
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(site_packages)}

    def run(requirements: dict) -> subprocess.CompletedProcess:
        pythons = {r: (["3.98"] if r == tf_keras else [this]) for r in requirements.values()}
        cell = install_call(source, requirements=requirements, helper=None, pythons=pythons)
        return subprocess.run(
            [str(python), "-c", cell], cwd=tmp_path, env=env, capture_output=True, text=True
        )

    installed = run({"tf_keras": tf_keras, "a_module_not_installed": pip})
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert installed.stdout.startswith(f"Installing {pip} ..."), installed.stdout
    missing = run({"tf_keras_not_installed": tf_keras})
    message = missing.stderr.strip().splitlines()[-1]
    assert message.startswith(f"RuntimeError: This is Python {this}: "), missing.stderr
    assert f"({tf_keras}, the versions" in message and "made for Python 3.98, so" in message, message
    assert "Installing" not in missing.stdout, missing.stdout
    after = subprocess.run(freeze, check=True, capture_output=True, text=True).stdout
    assert after == before, f"{doc}: the cell changed the venv"


def test_downloads_hold_the_figures_a_readers_kernel_draws(site_downloads):
    """PNG figures only: the PDF and SVG copies of each figure are the build's, for the PDF book
    and the site."""
    for doc, raw in site_downloads.items():
        outputs = [o for c in json.loads(raw)["cells"] for o in c.get("outputs", [])]
        kinds = {kind for o in outputs for kind in o.get("data", {})}
        assert not {"application/pdf", "image/svg+xml"} & kinds, (
            f"{doc}: the download carries the build's figures"
        )
        if doc in CHAPTERS:  # each chapter draws figures
            assert "image/png" in kinds, f"{doc}: the download has no figure"


def test_each_download_installs_what_the_helper_imports_for_it(site_downloads):
    """A chapter that calls `lc.tfsetup.load()` needs tf-keras (the helper imports it there, and TFP
    0.25 needs it at first use) though its own cells may never import it: the install cell lists
    what the chapter imports and what the helper imports for it. Checked against what a fresh
    Python actually imports for such a chapter (a subprocess: the independent reference)."""
    imported = subprocess.run(
        [sys.executable, "-c", "import sys, likelihood_course as lc; lc.tfsetup.load(); print(*sys.modules)"],
        check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    assert "tf_keras" in imported and "tensorflow_probability" in imported
    for doc, content in site_downloads.items():
        cells = json.loads(content)["cells"]
        code = "\n".join("".join(c["source"]) for c in cells[1:] if c["cell_type"] == "code")
        table = ast.literal_eval(setup_call(first_cell(content)).args[0])
        if "lc.tfsetup.load()" in code:
            for module in ("tf_keras", "tensorflow_probability", "tensorflow"):
                assert module in table, f"{doc}: the install cell leaves out {module}"
        if "likelihood_course" in code:
            assert {"numpy", "scipy", "matplotlib"} <= table.keys(), doc
        assert "myst_nb" not in table, f"{doc}: the site's toolchain in a reader's install"


def test_download_cell_ids_are_the_same_at_every_build(site_downloads):
    """Random cell ids would change every download (and the notebooks branch) at every publish."""
    for doc, content in site_downloads.items():
        ids = [c["id"] for c in json.loads(content)["cells"]]
        assert ids == [f"cell-{i}" for i in range(len(ids))], doc


def _notebooks_extension():
    from course_build.ext import notebooks

    return notebooks


def test_downloads_name_the_helpers_own_commit_and_none_from_uncommitted_changes(tmp_path, caplog):
    """The install cell's archive is of the newest commit that changed the helper (a later commit
    of prose alone does not move it); a tree whose helper has uncommitted changes, edited or new
    files, gets no commit at all (an archive of HEAD would not hold the code the site ran), and
    the build says so."""
    from types import SimpleNamespace

    notebooks = _notebooks_extension()
    repo, package = tmp_path / "repo", tmp_path / "repo" / "code" / "helper"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("VALUE = 1\n")
    (repo / "pyproject.toml").write_text('[project]\nname = "helper"\n')
    (repo / "intro.md").write_text("# A book\n")

    def git(*args: str) -> str:
        identity = ["-c", "user.name=Test", "-c", "user.email=test@example.org"]
        run = subprocess.run(
            ["git", "-C", str(repo), *identity, *args], capture_output=True, text=True, check=True
        )
        return run.stdout.strip()

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "the helper")
    helper_commit = git("rev-parse", "HEAD")
    (repo / "intro.md").write_text("# A book, edited\n")
    git("commit", "-q", "-am", "prose")
    app = SimpleNamespace(
        srcdir=str(repo),
        config=SimpleNamespace(html_theme_options={"repository_url": "https://github.com/org/repo"}),
    )
    assert notebooks._helper_url(app, package) == f"https://github.com/org/repo/archive/{helper_commit}.zip"

    (package / "__init__.py").write_text("VALUE = 2\n")
    with caplog.at_level("INFO"):
        assert notebooks._helper_url(app, package) is None
    assert "uncommitted changes (code/helper/__init__.py)" in caplog.text, caplog.text
    git("checkout", "-q", "--", ".")
    (package / "new.py").write_text("NEW = 1\n")
    assert notebooks._helper_url(app, package) is None, "an untracked file of the helper is not in any commit"
    git("add", "-A")
    git("commit", "-q", "-m", "the helper, again")
    assert (
        notebooks._helper_url(app, package)
        == f"https://github.com/org/repo/archive/{git('rev-parse', 'HEAD')}.zip"
    )


def test_a_download_that_names_no_commit_says_how_to_get_the_helper(tmp_path):
    """Its install cell stops with the way out where the helper is missing (instead of the chapter
    failing later with ModuleNotFoundError), and does nothing where the helper is importable."""
    notebooks = _notebooks_extension()
    for module, expected in [("no_such_helper", 1), ("json", 0)]:
        cell = notebooks.setup_cell({}, (module, module.replace("_", "-"), None), {}, None)
        run = subprocess.run(
            [sys.executable, "-c", cell.source], cwd=tmp_path, capture_output=True, text=True
        )
        assert run.returncode == expected, run.stderr[-2000:]
        if expected:
            assert "uncommitted changes of the course's no-such-helper" in run.stderr, run.stderr[-2000:]
            assert "pip install -e" in run.stderr
        else:
            assert run.stdout == "" and run.stderr == "", (run.stdout, run.stderr)
