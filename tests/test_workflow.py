"""The GitHub Pages workflow (.github/workflows/pages.yml) does what the course needs: on a push
to main, run the README's test command, and deploy _build/html only when it passed, with a pinned
supply chain (actions by commit SHA, no credentials left in the checkout, a supported Node).
actionlint checks the workflows with the rest of the lint (`make lint`, .pre-commit-config.yaml)."""

import re
import subprocess
import tomllib

import pytest
import yaml

from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


PUSH, PULL_REQUEST = "github.event_name != 'pull_request'", "github.event_name == 'pull_request'"
PUBLISH = "github.event_name == 'push' || github.event_name == 'workflow_dispatch'"


def test_workflow_deploys_on_push_to_main_and_checks_pull_requests(workflow):
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert "pull_request" in workflow["on"]
    assert workflow["jobs"]["deploy"]["if"] == PUBLISH, "a pull request or the weekly run must not deploy"
    assert "'pages'" in workflow["concurrency"]["group"]
    steps = {
        s.get("run", s.get("uses", "").split("@")[0]): s.get("if") for s in workflow["jobs"]["build"]["steps"]
    }
    # every run but a pull request's runs everything; a pull request, the gate
    assert steps["make test"] == PUSH and steps["actions/upload-pages-artifact"] == PUBLISH
    assert steps["make test-gate"] == PULL_REQUEST


def test_ci_by_cost_the_gate_leaves_out_the_slow_layers_which_run_weekly(workflow):
    """A pull request runs every layer but binder, hub and process (`make test-gate`); those run on
    every push before the deploy and once a week, and a failed weekly run opens an issue."""
    make = subprocess.run(["make", "-n", "test-gate"], cwd=ROOT, capture_output=True, text=True).stdout
    assert 'pytest -m "not (binder or hub or process)"' in make, make
    declared = {
        m.split(":")[0]
        for m in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"][
            "markers"
        ]
    }
    assert {"binder", "hub", "process"} < declared and {"unit", "site", "browser", "pdf", "build"} < declared
    (cron,) = workflow["on"]["schedule"]
    assert re.fullmatch(r"\d+ \d+ \* \* [0-6]", cron["cron"]), cron
    report = workflow["jobs"]["report"]
    assert report["needs"] == "build" and report["if"] == "failure() && github.event_name == 'schedule'"
    assert report["permissions"] == {"issues": "write"}
    assert "gh issue create" in report["steps"][0]["run"]


def test_workflow_deploys_only_what_passed_the_readme_test_command(workflow):
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    steps = [s.get("run", "").strip() or s.get("uses", "").split("@")[0] for s in build["steps"]]
    readme = (ROOT / "README.md").read_text()
    test_command = re.search(r"```\n(make \w+)\n```\n\nsets up everything, including", readme).group(1)
    assert test_command in steps, f"the workflow does not run the README's test command {test_command!r}"
    upload = steps.index("actions/upload-pages-artifact")
    assert steps.index(test_command) < upload, "the site is uploaded before the tests ran"
    assert build["steps"][upload]["with"]["path"] == "_build/html"
    assert deploy["needs"] == ["build", "notebooks"], "deploy does not wait for the tested build"
    # a condition chooses by event only: no step runs although an earlier one failed
    assert {s.get("if") for s in build["steps"]} <= {None, PUSH, PULL_REQUEST, PUBLISH}
    # the Python of the build is the one runtime.txt names for Binder
    version = (ROOT / "runtime.txt").read_text().strip().removeprefix("python-")
    assert re.fullmatch(rf"python:{re.escape(version)}(-\w+)?(@sha256:[0-9a-f]{{64}})?", build["container"])


def test_only_the_branch_jobs_may_push_and_only_after_the_tested_build(workflow):
    """Least privilege: the workflow reads; the two jobs that push (the notebooks branch that Colab
    opens: code/course_build/notebooks_branch.py, tests/test_colab.py runs its steps; the assignments
    branch: code/course_build/assignments_branch.py, tests/test_assignments.py runs its steps) may
    write contents, run on a push only, after the tested build; the notebooks before the site that
    links to them goes live."""
    assert workflow["permissions"] == {"contents": "read"}
    writes = {
        name: scope
        for name, job in workflow["jobs"].items()
        for scope, access in job.get("permissions", {}).items()
        if access == "write" and scope == "contents"
    }
    assert writes == {"notebooks": "contents", "assignments": "contents"}, writes
    assignments = workflow["jobs"]["assignments"]
    assert assignments["needs"] == "build" and assignments["if"] == PUBLISH
    assert assignments["permissions"] == {"contents": "write"}
    assert any("course_build.assignments_branch" in s.get("run", "") for s in assignments["steps"])
    notebooks = workflow["jobs"]["notebooks"]
    assert notebooks["needs"] == "build" and notebooks["if"] == PUBLISH
    assert notebooks["permissions"] == {"contents": "write"}
    assert "notebooks" in workflow["jobs"]["deploy"]["needs"]
    assert any("code/course_build/notebooks_branch.py" in s.get("run", "") for s in notebooks["steps"])


def test_actions_are_pinned_by_commit_and_credentials_not_kept(workflow):
    text = WORKFLOW.read_text()
    uses = re.findall(r"uses:\s*(\S+)(.*)", text)
    assert uses
    for ref, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref), f"{ref} is not pinned by a commit SHA"
        assert re.search(r"#\s*v\d+(\.\d+)*", comment), f"{ref}: no release tag in a comment"
    checkouts = [
        s
        for job in workflow["jobs"].values()
        for s in job["steps"]
        if s.get("uses", "").startswith("actions/checkout@")
    ]
    assert checkouts and all(s.get("with", {}).get("persist-credentials") is False for s in checkouts)
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/setup-node@"):
                assert int(step["with"]["node-version"]) >= 22, "Node 20 is past its end of life"


def test_the_push_token_is_masked_and_never_on_a_command_line(workflow):
    """The notebooks job's basic-auth header is derived from the token: GitHub masks the token, not
    what is derived from it, so the step masks it itself (::add-mask::) before using it, and hands it
    to git through the environment (GIT_CONFIG_*), not as `-c http.extraheader=...` in git's argv."""
    for job in ("notebooks", "assignments"):
        (push,) = [s for s in workflow["jobs"][job]["steps"] if "push" in s.get("run", "")]
        script = push["run"]
        masked = script.index('echo "::add-mask::$auth"')
        assert masked < script.index("GIT_CONFIG_VALUE_0="), f"{job}: the header is used before it is masked"
        assert "-c " not in script and "extraheader=" not in script, (
            f"{job}: the header is on git's command line"
        )
        assert push["env"] == {"TOKEN": "${{ github.token }}"}


def test_a_scheduled_job_proposes_the_container_images_digest(tmp_path):
    """The image is named by tag (no registry here answers for a digest); pin-image.yml reads the
    tag's digest where the registry is reachable and proposes the pin as a pull request. Its steps,
    run here in bash on a copy of pages.yml with `docker` answering as the registry would: the tag
    is read, pinned by the digest, and read back as the same tag at the next run."""
    pin = yaml.safe_load((ROOT / ".github" / "workflows" / "pin-image.yml").read_text())
    pin["on"] = pin.pop(True, pin.get("on"))
    assert "schedule" in pin["on"] and pin["permissions"] == {"contents": "read"}
    read, rewrite, propose = pin["jobs"]["pin"]["steps"][1:]
    assert "gh pr create" in propose["run"] and "::add-mask::" in propose["run"]
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    pages = tmp_path / ".github" / "workflows" / "pages.yml"
    pages.write_text(WORKFLOW.read_text())
    (tmp_path / "bin").mkdir()
    docker = tmp_path / "bin" / "docker"
    docker.write_text('#!/bin/sh\necho \'{"mediaType": "x", "digest": "sha256:' + "ab" * 32 + "\"}'\n")
    docker.chmod(0o755)
    digest = "sha256:" + "ab" * 32
    tag = re.search(r"^    container: (\S+)", WORKFLOW.read_text(), re.M)[1].split("@")[0]
    for attempt in ("first", "again"):
        output = tmp_path / f"output-{attempt}"
        env = {"PATH": f"{tmp_path / 'bin'}:/usr/bin:/bin", "GITHUB_OUTPUT": str(output)}
        subprocess.run(["bash", "-e", "-c", read["run"]], cwd=tmp_path, env=env, check=True)
        assert output.read_text().splitlines() == [f"tag={tag}", f"digest={digest}"], attempt
        env |= {"TAG": tag, "DIGEST": digest}
        subprocess.run(["bash", "-e", "-c", rewrite["run"]], cwd=tmp_path, env=env, check=True)
        pinned = yaml.safe_load(pages.read_text())["jobs"]["build"]["container"]
        assert pinned == f"{tag}@{digest}", pinned
