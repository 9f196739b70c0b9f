"""A class on the school's JupyterHub: the site's hub links, followed in a real browser against a
real JupyterHub on this machine (code/course_build/hub.py: JupyterHub and its proxy on loopback, a test
authenticator, one local server per student, nbgitpuller from requirements.txt, a bare clone of this
repository standing in for the public one).

- The site built with `launch_buttons: jupyterhub_url` has a JupyterHub button on every chapter,
  an nbgitpuller link that opens the chapter's MyST file in JupyterLab; without the setting (the
  public site), no chapter has one.
- A student follows a chapter's link (only its repository pointed at the bare clone), logs in, and
  gets the chapter as a notebook with a running Python kernel; every cell runs without error.
- The student edits a cell and saves, and deletes another chapter; a new commit reaches the
  repository; following the link again brings the commit's changes and keeps the student's edit,
  where both changed the same lines the student's version stays (nbgitpuller merges with `-Xours`,
  as its documentation says), and the deleted chapter comes back.
- A bad link (a chapter that does not exist, a branch that does not exist) ends with a message
  that says what is wrong, not with a blank page.
- The hub is the JupyterHub that Zero to JupyterHub 4.4.0 runs (5.5.0, from its own environment),
  the students' servers the course's single-user server, of the same series.
- A student signs in from the LMS with LTI 1.3 (a second hub, configured with the instructors'
  guide's values for jupyterhub-ltiauthenticator's LTI13Authenticator, and tests/lti_platform.py as
  Canvas or Moodle: a key pair made here, its JWKS on loopback, a signed id_token): the launch of a chapter's link lands in JupyterLab on the
  chapter, in the student's own server; a launch signed with another key is refused.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from lti_platform import Platform, new_key
from test_lock import lock

from conftest import CHAPTERS, HTML, ROOT
from course_build.hub import (
    BRANCH,
    HUB_VENV,
    IDLE,
    KERNEL,
    NOTEBOOK,
    REPO_NAME,
    REPOSITORY,
    LocalHub,  # noqa: E402
    build_site,
    cell_state,
    hub_link,
    log_in,
    run_finished,
    start_run_all,
)
from course_build.serving import free_port

RUN_SECONDS = 600  # a whole chapter, in the student's kernel


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    with LocalHub(tmp_path_factory.mktemp("hub")) as running:
        yield running


@pytest.fixture(scope="module")
def hub_site(hub, tmp_path_factory) -> Path:
    """The site as `make html` builds it, with the hub's URL as `jupyterhub_url`."""
    return build_site(hub.url, tmp_path_factory.mktemp("hub-site"))


@pytest.fixture
def student(new_context, hub, request):
    """A browser context of its own for each test (pytest-playwright's: closed after the test, with
    a screenshot if it failed), and a student name of its own (a fresh home)."""
    page = new_context().new_page()
    return page, re.sub(r"[^a-z0-9]", "", request.node.originalname.lower())[-20:]


def follow(page, link: str, user: str, until: str, password: str) -> None:
    """Follow a hub link as `user`, logging in when the hub asks; wait for the URL `until`."""
    page.goto(link)
    if "/hub/login" in page.url:
        log_in(page, user, password)
    page.wait_for_url(until, timeout=300_000)


def open_chapter(page, hub: LocalHub, link: str, user: str) -> None:
    """Follow a chapter's link; return once the notebook's Python kernel is idle."""
    follow(page, hub.local_link(link), user, f"**/user/{user}/lab/tree/**", hub.password)
    page.locator(KERNEL, has_text="Python 3").wait_for(timeout=120_000)
    page.locator(IDLE).wait_for(timeout=120_000)


def run_all(page) -> dict:
    """Run every cell; wait until all ran or one failed."""
    start_run_all(page)
    deadline = time.monotonic() + RUN_SECONDS
    while not run_finished(state := cell_state(page)) and time.monotonic() < deadline:
        time.sleep(1)
    return state


def chapter_links(html: Path) -> dict[str, str]:
    return {doc: hub_link(html, doc) for doc in CHAPTERS}


# --------------------------------------------------------------------------------------------
# The site's hub links


def test_every_chapter_has_a_hub_link_to_its_myst_file(hub, hub_site):
    for doc, link in chapter_links(hub_site).items():
        parts = urlsplit(link)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        assert f"{parts.scheme}://{parts.netloc}" == hub.url and parts.path == "/hub/user-redirect/git-pull"
        assert query == {"repo": REPOSITORY, "branch": BRANCH, "urlpath": f"lab/tree/{REPO_NAME}/{doc}.md"}, (
            f"{doc}: {link}"
        )
        assert (ROOT / f"{doc}.md").is_file()


def test_without_a_hub_url_there_is_no_hub_button():
    for doc in CHAPTERS:
        page = BeautifulSoup((HTML / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
        assert not page.select('a[href*="/git-pull?"]'), f"{doc}: a hub button without jupyterhub_url"


# --------------------------------------------------------------------------------------------
# A student on the hub


def test_a_student_gets_the_chapter_as_a_notebook_and_runs_it(hub, hub_site, student):
    import jupytext  # imported here, not at the top: see test_binder.py

    page, user = student
    doc = CHAPTERS[0]
    open_chapter(page, hub, hub_link(hub_site, doc), user)
    expected = sum(c.cell_type == "code" for c in jupytext.read(hub.clone(user) / f"{doc}.md").cells)
    state = run_all(page)
    assert not state["errors"], f"{doc} failed on the hub:\n" + "\n".join(state["errors"])
    assert state["total"] == expected and state["done"] == expected, f"{doc}: {state}"


def git(repo: Path, *args) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def test_a_new_commit_arrives_and_the_students_edit_survives(hub, hub_site, student, tmp_path):
    import jupytext  # imported here, not at the top: see test_binder.py

    page, user = student
    doc = CHAPTERS[0]
    link = hub_link(hub_site, doc)
    open_chapter(page, hub, link, user)

    # the student rewrites the first code cell and saves
    mine = "# my own notes on this chapter\nimport numpy as np"
    editor = page.locator(f"{NOTEBOOK} .jp-CodeCell .cm-content").first
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.type(mine)
    page.keyboard.press("Control+s")
    clone = hub.clone(user) / f"{doc}.md"
    deadline = time.monotonic() + 30
    while mine not in clone.read_text() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert mine in clone.read_text(), "the student's save did not reach the file"
    first_code = next(c for c in jupytext.read(ROOT / f"{doc}.md").cells if c.cell_type == "code")
    first_line, last_line = first_code.source.splitlines()[0], clone.read_text().rstrip().splitlines()[-1]

    # the instructor commits a change to the same line (a conflict) and one far from it
    author = tmp_path / "author"
    subprocess.run(["git", "clone", "--quiet", str(hub.origin), str(author)], check=True)
    path = author / f"{doc}.md"
    text = path.read_text()
    assert first_line in text and text.rstrip().endswith(last_line)
    theirs = first_line + "  # the instructor's version"
    news = "A sentence the instructor added after the class started."
    text = text.replace(first_line, theirs, 1).rstrip() + f"\n\n{news}\n"
    path.write_text(text)
    git(
        author,
        "-c",
        "user.name=Instructor",
        "-c",
        "user.email=instructor@example.org",
        "commit",
        "--quiet",
        "-am",
        "A new paragraph",
    )
    git(author, "push", "--quiet", "origin", BRANCH)

    # the student deletes another chapter, then follows the link again
    deleted = hub.clone(user) / f"{CHAPTERS[1]}.md"
    deleted.unlink()
    open_chapter(page, hub, link, user)
    assert deleted.is_file(), "a chapter the student deleted did not come back"
    pulled = clone.read_text()
    assert news in pulled, "the new commit did not arrive"
    assert mine in pulled, "the student's edit was lost"
    assert theirs not in pulled, "where both changed a line, nbgitpuller keeps the student's version"
    assert (
        git(hub.clone(user), "merge-base", "--is-ancestor", git(author, "rev-parse", "HEAD").strip(), "HEAD")
        == ""
    )


def test_a_link_to_a_missing_chapter_says_so(hub, hub_site, student):
    page, user = student
    link = hub_link(hub_site, CHAPTERS[0]).replace(f"{CHAPTERS[0]}.md", "book/99_missing.md")
    follow(page, hub.local_link(link), user, f"**/user/{user}/**", hub.password)
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(timeout=120_000)
    assert "Could not find path" in dialog.inner_text() and "99_missing.md" in dialog.inner_text()


def test_a_link_to_a_missing_branch_says_so(hub, hub_site, student):
    page, user = student
    link = hub_link(hub_site, CHAPTERS[0]).replace(f"branch={BRANCH}", "branch=no-such-branch")
    follow(page, hub.local_link(link), user, f"**/user/{user}/git-pull**", hub.password)
    page.get_by_text("Branch does not exist").first.wait_for(timeout=120_000)
    body = page.inner_text("body")
    assert "no-such-branch" in body and "incorrect branch name" in body, body[:2000]


def test_the_hub_refuses_a_password_other_than_its_own(hub, student):
    """Any name logs in (the test authenticator), but only with the password made for this hub: a
    local user of a shared machine cannot log in and run code as the hub's user."""
    page, user = student
    page.goto(f"{hub.url}/hub/login")
    log_in(page, user, "any password")
    page.wait_for_load_state()
    assert "/hub/login" in page.url and page.locator("#login_submit").count() == 1, page.url
    log_in(page, user, hub.password)
    page.wait_for_url(f"**/user/{user}/**", timeout=300_000)


# --------------------------------------------------------------------------------------------
# The hub that schools run, and a student signing in from the LMS (LTI 1.3)

CHART = lock("code/course_build/hub-chart-4.4.0.txt")  # Zero to JupyterHub 4.4.0's hub image


def test_the_hub_is_the_jupyterhub_of_zero_to_jupyterhub_4_4_0(hub):
    with urllib.request.urlopen(f"{hub.url}/hub/api") as answer:
        assert json.load(answer)["version"] == CHART["jupyterhub"] == "5.5.0"


def lti_config(platform: Platform) -> str:
    """The instructors' guide's Zero to JupyterHub values for LTI 1.3 (book/teaching.md), as
    jupyterhub_config.py lines, with `platform`'s addresses and client ID in place of Canvas's."""
    blocks = re.findall(r"```yaml\n(.*?)```", (ROOT / "book" / "teaching.md").read_text(), re.S)
    (block,) = [b for b in blocks if "LTI13Authenticator" in b]
    config = yaml.safe_load(block)["hub"]["config"]
    assert config["LTI13Authenticator"].keys() >= platform.registration.keys()
    config["LTI13Authenticator"].update(platform.registration)
    return "\n".join(
        f"c.{name}.{key} = {value!r}" for name, traits in config.items() for key, value in traits.items()
    )


def test_the_guides_public_jwk_for_canvas_is_made_in_the_hubs_image():
    """Canvas's developer key needs a public JWK: the guide's command makes one with what the
    chart's hub image has (run here in the hub's environment, as `kubectl exec` runs it there)."""
    (command,) = re.findall(
        r'kubectl exec deploy/hub -- python -c "(.*?)"\n', (ROOT / "book" / "teaching.md").read_text()
    )
    printed = subprocess.run(
        [HUB_VENV / "bin" / "python", "-c", command], capture_output=True, text=True, check=True
    )
    jwk = json.loads(printed.stdout)
    assert [jwk[k] for k in ("kty", "alg", "use", "e")] == ["RSA", "RS256", "sig", "AQAB"]
    assert len(jwk["n"]) > 300 and "d" not in jwk, "the public half only, of a 2048-bit key"


@pytest.fixture(scope="module")
def lms(tmp_path_factory):
    """A learning platform (tests/lti_platform.py) and a hub configured as the guide says."""
    port = free_port()
    with Platform(f"http://127.0.0.1:{port}") as platform:
        with LocalHub(tmp_path_factory.mktemp("lti-hub"), port, auth=lti_config(platform)) as hub:
            yield platform, hub


def test_a_student_launched_from_the_lms_lands_on_the_chapter(lms, hub, hub_site, new_context):
    platform, lti_hub = lms
    doc, user = CHAPTERS[0], "ada@example.edu"  # the hub names the student by the email claim
    # the course's launch link for the chapter, as the site builds it, on this hub
    target = lti_hub.local_link(hub_link(hub_site, doc).replace(hub.url, lti_hub.url, 1))
    page = new_context().new_page()
    with page.expect_response(lambda r: r.url.endswith("/hub/lti13/oauth_callback")) as callback:
        page.goto(platform.launch_url(user, target))
    assert callback.value.status == 302, f"the hub refused the launch: {callback.value.text()[:1000]}"
    page.wait_for_url(f"**/user/{user}/lab/tree/{REPO_NAME}/{doc}.md", timeout=300_000)
    page.locator(f"{NOTEBOOK} .jp-Cell").first.wait_for(timeout=120_000)
    tab = page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current")
    assert tab.inner_text().strip() == f"{doc.rsplit('/', 1)[-1]}.md"
    assert (lti_hub.clone(user) / f"{doc}.md").is_file(), "nbgitpuller did not pull the course"

    # the hub asked the platform as LTI 1.3 says: an id_token, posted back to its redirect URI
    (asked,) = [q for q in platform.authorize_requests if platform.launches[q["login_hint"]]["email"] == user]
    assert asked["redirect_uri"] == f"{lti_hub.url}/hub/lti13/oauth_callback"
    assert {k: asked[k] for k in ("client_id", "response_type", "response_mode", "scope", "prompt")} == {
        "client_id": platform.client_id,
        "response_type": "id_token",
        "response_mode": "form_post",
        "scope": "openid",
        "prompt": "none",
    }
    # the student's server is the course's single-user server, of the hub's series
    answer = page.request.get(f"{lti_hub.url}/user/{user}/lab")
    assert (
        answer.ok
        and answer.headers["x-jupyterhub-version"].split(".")[0] == CHART["jupyterhub"].split(".")[0]
    )


def test_a_launch_signed_with_another_key_is_refused(lms, new_context):
    platform, lti_hub = lms
    page = new_context().new_page()
    platform.signing_key = new_key()  # a forger's: not the key in the platform's JWKS
    try:
        with page.expect_response(lambda r: r.url.endswith("/hub/lti13/oauth_callback")) as callback:
            page.goto(platform.launch_url("mallory@example.edu", f"{lti_hub.url}/hub/home"))
    finally:
        platform.signing_key = platform.key
    assert callback.value.status == 400
    assert "Signature verification failed" in page.inner_text("body")
    assert "jupyterhub-hub-login" not in {c["name"] for c in page.context.cookies()}
