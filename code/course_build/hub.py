"""A real JupyterHub on this machine, as a school runs one, for tests/test_hub.py and `make bench-hub`.

- The hub runs from an environment of its own (`make hub-venv`, code/course_build/hub-requirements.txt):
  JupyterHub and the LTI authenticator at the versions that Zero to JupyterHub's chart runs. The
  proxy (configurable-http-proxy) comes from package.json; everything listens on 127.0.0.1 only.
- A test authenticator (JupyterHub's DummyAuthenticator: any name, with a password made afresh
  for each hub, which only the test that started it knows: on a shared machine no other local user
  can log in and run code as the hub's user while it runs), or the authenticator that `auth`
  configures (tests/test_hub.py's LTI 1.3 launches), and a local
  process spawner (SimpleLocalProcessSpawner: one server per student, each in its own home folder)
  stand in for the school's login and Kubernetes.
- The students' environment is the course's own (the single-user server, nbgitpuller): the venv
  made from requirements.txt, with postBuild run in it as repo2docker runs it in the image, and each
  server started through `start`, as the image's entrypoint does; so the hub serves what Binder
  serves.
- A bare repository named like the public one stands in for it (nbgitpuller names its clone after
  the last part of the repository URL, so the site's `urlpath` must find the same folder).

`build_site` builds the site as `make html` does, with `launch_buttons: jupyterhub_url` set to a
hub; `hub_link` reads a chapter's JupyterHub launch button from it.
"""

from __future__ import annotations

import copy
import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import yaml
from bs4 import BeautifulSoup

from course_build.book import CONFIG, ROOT
from course_build.build import FLAGS
from course_build.serving import free_port, stop_group, wait_until_served

VENV = Path(sys.prefix)  # the course's environment: the students'
HUB_VENV = ROOT / "_build" / "hub-venv"  # the hub's (`make hub-venv`)
PROXY = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
REPOSITORY = CONFIG["repository"]["url"].rstrip("/")
BRANCH = CONFIG["repository"].get("branch", "main")
REPO_NAME = REPOSITORY.rsplit("/", 1)[-1]


def run(*args, **kwargs) -> str:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    if result.returncode:
        raise RuntimeError(f"{' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


HUB_CONFIG = """\
import os
c = get_config()  # noqa: F821 (JupyterHub's config loader defines it)
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.pid_file = {base!r} + "/proxy.pid"
c.JupyterHub.pid_file = {base!r} + "/jupyterhub.pid"
c.JupyterHub.db_url = "sqlite:///{base}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret = bytes.fromhex({secret!r})
{auth}
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {base!r} + "/home/{{username}}"
c.Spawner.cmd = {singleuser!r}
c.Spawner.args = {args!r}
c.Spawner.default_url = "/lab"
c.Spawner.environment = {{"PATH": {path!r}}}
c.Spawner.start_timeout = 600
c.Spawner.http_timeout = 600
c.JupyterHub.concurrent_spawn_limit = 0  # no limit: the benchmark starts a whole class at once
"""

# the test authenticator: any name, with the hub's password
DUMMY_AUTH = """\
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Authenticator.allow_all = True"""


class LocalHub:
    """A JupyterHub in `base` (its database, log, the students' homes and the bare repository).
    `auth`: the authenticator's lines of jupyterhub_config.py, its allow setting included; by default
    the test authenticator."""

    def __init__(self, base: Path, port: int | None = None, auth: str | None = None):
        self.base = Path(base)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.origin = self.base / "origin" / REPO_NAME
        self.password = secrets.token_urlsafe(24)  # every student's, known to this process only
        self.auth = auth or DUMMY_AUTH.format(password=self.password)
        self.process: subprocess.Popen | None = None

    # the stand-in for the public repository
    def make_origin(self) -> None:
        """A bare repository with this checkout's commit as the configured branch."""
        run("git", "init", "--quiet", "--bare", self.origin)
        run("git", "-C", ROOT, "push", "--quiet", self.origin, f"HEAD:refs/heads/{BRANCH}")
        run("git", "-C", self.origin, "symbolic-ref", "HEAD", f"refs/heads/{BRANCH}")

    def local_link(self, link: str) -> str:
        """The site's hub link with only the repository pointed at the bare stand-in."""
        parts = urlsplit(link)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        assert query.get("repo") == REPOSITORY, f"the link pulls {query.get('repo')}, not {REPOSITORY}"
        query["repo"] = self.origin.as_uri()
        return parts._replace(query=urlencode(query, safe="/")).geturl()

    def clone(self, user: str) -> Path:
        """The student's copy that nbgitpuller keeps up to date."""
        return self.base / "home" / user / REPO_NAME

    # the hub itself
    def start(self) -> LocalHub:
        if not (HUB_VENV / "bin" / "jupyterhub").is_file():
            raise RuntimeError(f"no hub environment at {HUB_VENV}: run `make hub-venv`")
        self.base.mkdir(parents=True, exist_ok=True)
        if not self.origin.exists():
            self.make_origin()
        # the students' environment gets what repo2docker gives the image: postBuild, run in it
        run(ROOT / "postBuild", cwd=ROOT, env={**os.environ, "PATH": f"{VENV / 'bin'}:{os.environ['PATH']}"})
        config = self.base / "jupyterhub_config.py"
        config.write_text(
            HUB_CONFIG.format(
                port=self.port,
                hub_port=free_port(),
                proxy_port=free_port(),
                proxy=str(PROXY),
                base=str(self.base),
                secret=secrets.token_hex(32),
                auth=self.auth,
                singleuser=[str(ROOT / "start"), str(VENV / "bin" / "jupyterhub-singleuser")],
                args=["--allow-root"] if os.getuid() == 0 else [],  # CI machines run as root
                path=f"{VENV / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            )
        )
        self.log_path = self.base / "jupyterhub.log"
        self.process = subprocess.Popen(
            [HUB_VENV / "bin" / "jupyterhub", "-f", config],
            cwd=self.base,
            start_new_session=True,
            stdout=open(self.log_path, "w"),
            stderr=subprocess.STDOUT,
        )
        if wait_until_served(f"{self.url}/hub/api/", self.process, timeout=120):
            return self
        problem = "exited" if self.process.poll() is not None else "did not answer within 120 s"
        raise RuntimeError(f"JupyterHub {problem}:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-8000:]

    def stop(self) -> None:
        """Stop the hub, its proxy and every student's server (one process group)."""
        if self.process:
            stop_group(self.process)  # SIGTERM: the hub stops the servers it spawned
        proxy = self.base / "proxy.pid"
        if proxy.is_file():
            try:
                os.kill(int(proxy.read_text()), signal.SIGTERM)
            except (ProcessLookupError, ValueError):
                pass

    def __enter__(self) -> LocalHub:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def user_memory(self, user: str) -> int:
        """Bytes resident in a student's processes: the server and its kernels (which inherit
        JUPYTERHUB_USER from it)."""
        import psutil

        total = 0
        for process in psutil.process_iter(["pid"]):
            try:
                if process.environ().get("JUPYTERHUB_USER") == user:
                    total += process.memory_info().rss
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        return total


# --------------------------------------------------------------------------------------------
# The site, built with a hub's URL


def build_site(hub_url: str, out: Path) -> Path:
    """Build the site as `make html` does (strict, the execution cache of `make html`), with
    `launch_buttons: jupyterhub_url` set to `hub_url`; returns its html folder."""
    config = copy.deepcopy(CONFIG)
    config["launch_buttons"]["jupyterhub_url"] = hub_url
    config.setdefault("execute", {})["cache"] = str(ROOT / "_build" / ".jupyter_cache")
    # the paths that _config.yml gives relative to itself, from the copy's folder
    sphinx = config["sphinx"]
    sphinx["config"]["html_static_path"] = [str(ROOT / p) for p in sphinx["config"]["html_static_path"]]
    out.mkdir(parents=True, exist_ok=True)
    (out / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))

    run(
        VENV / "bin" / "jupyter-book",
        "build",
        ROOT,
        "--config",
        out / "_config.yml",
        "--path-output",
        out,
        *FLAGS,
    )
    return out / "_build" / "html"


def hub_link(html: Path, doc: str) -> str:
    """The JupyterHub launch button's link on a chapter's page (e.g. doc 'book/01_probability')."""
    page = BeautifulSoup((html / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in page.find_all("a", href=True) if "/hub/user-redirect/git-pull?" in a["href"]]
    if len(links) != 1:
        raise AssertionError(f"{doc}: {len(links)} JupyterHub launch buttons: {links}")
    return links[0]


# --------------------------------------------------------------------------------------------
# A student in JupyterLab (Playwright pages): tests/test_hub.py and code/course_build/bench_hub.py share these

NOTEBOOK = "#jp-main-dock-panel .jp-NotebookPanel:not(.lm-mod-hidden)"
KERNEL = NOTEBOOK + " .jp-Toolbar-kernelName"
IDLE = NOTEBOOK + ' .jp-Notebook-ExecutionIndicator[data-status="idle"]'

CELL_STATE = """() => {
  const panel = document.querySelector(NOTEBOOK);
  if (!panel) return {total: 0, done: 0, running: 0, errors: []};
  const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent);
  return {total: prompts.length, done: prompts.filter(p => /\\[\\d+\\]/.test(p)).length,
          running: prompts.filter(p => p.includes('*')).length,
          errors: [...panel.querySelectorAll(
            '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
            .map(e => e.textContent.slice(0, 2000))};
}""".replace("NOTEBOOK", repr(NOTEBOOK))


def log_in(page, user: str, password: str) -> None:
    """The hub's login form (the test authenticator takes any name, with the hub's password)."""
    page.fill("#username_input", user)
    page.fill("#password_input", password)
    page.click("#login_submit")


def kernel_ready(page) -> bool:
    """A notebook in front, its Python kernel started and idle (without waiting)."""
    kernel = page.locator(KERNEL)
    return kernel.count() == 1 and "Python 3" in kernel.inner_text() and page.locator(IDLE).count() == 1


def start_run_all(page) -> None:
    """Run > Run All Cells, as a student does."""
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator(".lm-Menu-item", has_text="Run All Cells").first.click()


def cell_state(page) -> dict:
    """The notebook's code cells: how many, how many ran, are running, and any error output."""
    return page.evaluate(CELL_STATE)


def run_finished(state: dict) -> bool:
    return bool(state["errors"]) or (
        state["total"] > 0 and state["done"] == state["total"] and not state["running"]
    )
