"""The GitHub Pages workflow (.github/workflows/pages.yml): actionlint finds nothing wrong in it
(and does find a planted mistake, so the check is live), and it does what the course needs: on a
push to main, build the site and the PDF with the README's commands and deploy _build/html."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def actionlint_command() -> list[str]:
    """actionlint from the project's environment (requirements.txt), else from PATH."""
    found = Path(sys.prefix, "bin", "actionlint")
    if not found.is_file():
        found = shutil.which("actionlint")
    assert found, "no actionlint: requirements.txt installs it (make setup)"
    return [str(found), "-no-color", "-oneline"]


def actionlint(*paths: Path, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([*actionlint_command(), *map(str, paths)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def test_actionlint_passes_the_workflows():
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
    assert WORKFLOW in workflows
    result = actionlint(*workflows)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


@pytest.mark.parametrize("mistake", [
    ("steps.deployment.outputs.page_url", "steps.deploy.outputs.page_url"),  # no such step
    ("path: _build/html", "paths: _build/html"),  # no such input of upload-pages-artifact
    ("needs: build", "needs: bulid"),  # no such job
])
def test_actionlint_finds_a_planted_mistake(tmp_path, mistake):
    old, new = mistake
    text = WORKFLOW.read_text()
    assert old in text
    broken = tmp_path / ".github" / "workflows" / "pages.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(text.replace(old, new))
    result = actionlint(broken, cwd=tmp_path)
    assert result.returncode != 0 and result.stdout.strip(), f"actionlint missed {new!r}"


def test_workflow_deploys_on_push_to_main(workflow):
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert "pull_request" not in workflow["on"], "a pull request must not deploy the site"
    assert workflow["concurrency"]["group"] == "pages"


def test_workflow_builds_site_and_pdf_with_the_readme_commands(workflow):
    build = workflow["jobs"]["build"]
    runs = [step["run"].strip() for step in build["steps"] if "run" in step]
    assert runs == ["make html", "make pdf"], runs
    readme, makefile = (ROOT / "README.md").read_text(), (ROOT / "Makefile").read_text()
    assert "make html" in readme, "the README does not name `make html`"
    for target in ("html", "pdf"):
        assert re.search(rf"^{target}:", makefile, re.M), f"the Makefile has no {target} target"
    # the Python of the build is the one runtime.txt names for Binder
    version = (ROOT / "runtime.txt").read_text().strip().removeprefix("python-")
    assert re.fullmatch(rf"python:{re.escape(version)}(-\w+)?", build["container"]), build["container"]


def test_workflow_deploys_the_built_site(workflow):
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    upload = [s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert len(upload) == 1 and upload[0]["with"]["path"] == "_build/html"
    order = [s.get("run") or s.get("uses", "").split("@")[0] for s in build["steps"]]
    assert order.index("make pdf") < order.index("actions/upload-pages-artifact"), (
        "the PDF must be built (into _build/html/course.pdf) before the site is uploaded")
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert workflow["permissions"] == {"contents": "read"}, "the build job needs no write access"
