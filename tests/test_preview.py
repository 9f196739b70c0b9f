"""`make preview`: a saved edit reaches the open page by itself (code/course_build/preview.py, sphinx-autobuild).

On the numbered tiny book (tests/books/numbered/, with this repository's conf.py
and the site's Content-Security-Policy extension), the preview server runs as `make preview` runs
it, on a free loopback port, with a chapter open in Debian's chromium. The test never rebuilds and
never reloads the page: it saves the chapter's source and waits for the open page to show the edit.
A marker that the test leaves in the page's window is gone afterwards: the page reloaded itself.

- a prose edit shows, executes nothing, and the page keeps the site's policy, with exactly one
  hash more than `make html`'s (the reload script's, computed here from the page as served); the
  server listens on loopback only; `make html`'s _build/html is left as it was;
- a code edit executes that chapter alone, once, into `make html`'s cache (make html then executes
  nothing);
- a broken edit fails the strict build, whose output names the problem; a save of another page
  fails again the same way; the server keeps running and the fix shows;
- a configuration edit reaches the open page through a new Sphinx; a warning given when a Sphinx
  starts fails each of its builds until the fix starts a new one;
- a numbered table added in the open page gets its number (the running Sphinx's doctrees are
  never stale).

No timing is asserted here: `make bench` measures the time from saving to the page (code/course_build/bench.py).
"""

import base64
import hashlib
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid

import pytest
from bs4 import BeautifulSoup
from tiny_books import add_extensions, chapter_number, copy_book, edit, env_for, make_html, new_runs, runs

from conftest import ROOT, collect_errors, keep_on_site
from course_build.serving import free_port, stop_group, wait_until_served

PREVIEW = [sys.executable, "-m", "course_build.preview"]
WAIT_MS = 180_000  # a rebuild of the tiny book on a busy machine; no timing is asserted


def preview_book(root):
    """The numbered tiny book (tests/books/numbered/: three chapters in numbered parts), with conf.py,
    the site's browser fixes and its CSP (and the theme's colour mode set, as in _config.yml): a
    page without console errors of its own."""
    book = copy_book(root, "numbered")
    add_extensions(book, "csp")
    edit(book / "_config.yml", "  config:\n", "  config:\n    html_context: {default_mode: auto}\n")
    shutil.copy(ROOT / "conf.py", book / "conf.py")
    return book


class Preview:
    """code/course_build/preview.py serving `book` on a free port, its output collected."""

    def __init__(self, book):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [*PREVIEW, str(book), "--port", str(self.port)],
            cwd=book,
            env=env_for(book),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group: stopped with the builds it started
        )
        self.lines = []
        threading.Thread(target=lambda: self.lines.extend(self.proc.stdout), daemon=True).start()
        if not wait_until_served(self.url + "/ch1.html", self.proc, timeout=WAIT_MS / 1000):
            pytest.fail(
                f"the preview stopped or served nothing within {WAIT_MS / 1000:.0f} s:\n{self.output}"
            )

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for_output(self, pattern: str, since: int) -> str:
        deadline = time.monotonic() + WAIT_MS / 1000
        while time.monotonic() < deadline:
            if re.search(pattern, self.output[since:]):
                return self.output[since:]
            time.sleep(0.2)
        pytest.fail(f"{pattern!r} not in the preview's output:\n{self.output[since:]}")

    def stop(self):
        stop_group(self.proc, signal.SIGINT, timeout=30)  # as Ctrl-C stops `make preview`


@pytest.fixture
def serve():
    started = []

    def start(book):
        started.append(Preview(book))
        return started[-1]

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def open_page(browser):
    """Open a page of the preview; console errors (a refused script, a refused connection) and
    page errors are collected in page.errors."""
    contexts = []

    def open_(server, doc):
        contexts.append(keep_on_site(browser.new_context(), server.url))
        page = contexts[-1].new_page()
        page.errors = collect_errors(page)
        with page.expect_websocket() as socket:
            page.goto(f"{server.url}/{doc}.html")
        page.socket = socket.value
        page.evaluate("window.openedByTheTest = true")
        return page

    yield open_
    for context in contexts:
        context.close()


def shows(page, text: str):
    """Wait until the open page shows `text`; it must have reloaded itself."""
    page.get_by_text(text).first.wait_for(timeout=WAIT_MS)
    assert page.evaluate("window.openedByTheTest") is None, "the text appeared without a reload"


def policy(html: str) -> dict[str, set[str]]:
    """A page's Content-Security-Policy: each directive's sources."""
    meta = BeautifulSoup(html, "html.parser").find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta is not None, "no Content-Security-Policy"
    return {d.split()[0]: set(d.split()[1:]) for d in meta["content"].split(";")}


def listening_addresses(port: int) -> set[str]:
    """The local addresses that listen on `port` (/proc/net/tcp and tcp6, state 0A)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in open(table).read().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                raw = bytes.fromhex(address)
                words = [raw[i : i + 4][::-1] for i in range(0, len(raw), 4)]  # little-endian words
                found.add(".".join(map(str, words[0])) if len(raw) == 4 else b"".join(words).hex())
    return found


def test_make_preview_runs_the_preview_script():
    out = subprocess.run(
        ["make", "-n", "--always-make", "preview"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    assert "-m course_build.preview . --port 8000" in out, out


def test_a_prose_edit_reaches_the_open_page(tmp_path, serve, open_page):
    book = preview_book(tmp_path / "book")
    make_html(book)
    built = {p: p.read_bytes() for p in (book / "_build" / "html").rglob("*") if p.is_file()}
    before = runs(book)
    server = serve(book)
    assert listening_addresses(server.port) == {"127.0.0.1"}
    page = open_page(server, "ch1")
    assert page.socket.url == f"ws://127.0.0.1:{server.port}/websocket-reload"

    nonce = uuid.uuid4().hex[:8]
    edit(book / "ch1.md", "Some prose.", f"Some prose, edited ({nonce}).")
    shows(page, nonce)
    assert page.errors == [], page.errors
    assert new_runs(book, before) == {}, "the preview executed a chapter that make html had cached"

    # the site's policy as make html writes it, plus the hash of the reload script as served
    served = urllib.request.urlopen(f"{server.url}/ch2.html").read().decode()
    reload_script = re.findall(r"<script>(.*?)</script>", served.rsplit("</html>", 1)[1], re.S)
    assert len(reload_script) == 1 and "websocket-reload" in reload_script[0], served[-500:]
    digest = base64.b64encode(hashlib.sha256(reload_script[0].encode()).digest()).decode()
    made = (book / "_build" / "html" / "ch2.html").read_text()
    (served_policy, made_policy) = policy(served), policy(made)
    assert served_policy.pop("script-src") == made_policy.pop("script-src") | {f"'sha256-{digest}'"}
    assert served_policy == made_policy
    # the preview's page is make html's page (its own configuration, conf.py), but for the policy
    meta = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>')
    preview_page = (book / "_build" / "preview" / "html" / "ch2.html").read_text()
    assert meta.sub("", preview_page) == meta.sub("", made)
    # and make html's build is left as it was
    after = {p: p.read_bytes() for p in (book / "_build" / "html").rglob("*") if p.is_file()}
    assert after == built, "the preview wrote into make html's _build/html"
    # the page that the preview's Sphinx wrote again, in its second build, is make html's page,
    # numbers included (code/course_build/ext/toc_titles.py)
    make_html(book)
    preview_page = (book / "_build" / "preview" / "html" / "ch1.html").read_text()
    assert meta.sub("", preview_page) == meta.sub("", (book / "_build" / "html" / "ch1.html").read_text())
    assert chapter_number(book, "ch3") == "3. "


def test_a_code_edit_executes_that_chapter_alone(tmp_path, serve, open_page):
    book = preview_book(tmp_path / "book")
    server = serve(book)  # a book never built: the preview executes each chapter, once
    assert runs(book) == {"ch1": 1, "ch2": 1, "ch3": 1}, server.output
    page = open_page(server, "ch1")
    before = runs(book)
    edit(book / "ch1.md", "result = 1", "result = 6 * 7")
    shows(page, "result 42")
    assert page.errors == [], page.errors
    assert new_runs(book, before) == {"ch1": 1}
    server.stop()
    before = runs(book)
    make_html(book)  # the preview's execution is in make html's cache
    assert new_runs(book, before) == {}


def test_a_broken_edit_fails_the_build_and_the_server_keeps_running(tmp_path, serve, open_page):
    book = preview_book(tmp_path / "book")
    server = serve(book)
    page = open_page(server, "ch1")
    since = len(server.output)
    edit(book / "ch1.md", "Some prose.", "See {doc}`a-page-that-does-not-exist`.")
    # the warning fails the build (with sphinx-build's exit status)
    out = server.wait_for_output(r"the build failed \(exit code 1\)", since)
    assert "WARNING: unknown document: 'a-page-that-does-not-exist'" in out, out
    assert server.proc.poll() is None
    saved_environment = book / "_build" / "preview" / ".doctrees" / "environment.pickle"
    assert not saved_environment.exists(), "a new Sphinx would not read the broken page again"
    # a save of another page fails the same way: the broken page is read again
    since = len(server.output)
    edit(book / "ch2.md", "Some prose.", "Some other prose.")
    out = server.wait_for_output(r"the build failed \(exit code 1\)", since)
    assert "WARNING: unknown document: 'a-page-that-does-not-exist'" in out, out
    nonce = uuid.uuid4().hex[:8]
    edit(book / "ch1.md", "See {doc}`a-page-that-does-not-exist`.", f"See {{doc}}`ch2` ({nonce}).")
    shows(page, nonce)
    assert page.errors == [], page.errors
    assert saved_environment.exists()


def test_a_configuration_edit_reaches_the_open_page(tmp_path, serve, open_page):
    """A page is read again by the running Sphinx; _config.yml is read by a new one."""
    book = preview_book(tmp_path / "book")
    server = serve(book)
    page = open_page(server, "ch2")
    since = len(server.output)
    nonce = uuid.uuid4().hex[:8]
    edit(book / "_config.yml", "title: Cache test book", f"title: Renamed book {nonce}")
    shows(page, nonce)
    assert "a new Sphinx reads the configuration again" in server.output[since:]
    assert page.errors == [], page.errors


def test_a_numbered_table_added_in_the_preview_gets_its_number(tmp_path, serve, open_page):
    """The running Sphinx numbers a new table from the page as saved, not from its doctree as it
    was before (code/course_build/resident_sphinx.py, repair 3: before it, Sphinx's numref resolution failed)."""
    book = preview_book(tmp_path / "book")
    server = serve(book)
    page = open_page(server, "ch1")
    nonce = uuid.uuid4().hex[:8]
    table = f"```{{list-table}} A table ({nonce})\n:name: tbl-new\n\n* - a\n  - b\n```\n\nSee {{numref}}`tbl-new`."
    edit(book / "ch1.md", "Some prose.", table)
    shows(page, nonce)
    assert page.get_by_role("link", name="Table 1.1").count() == 1, server.output
    assert "the build failed" not in server.output
    assert page.errors == [], page.errors


def test_a_warning_at_sphinxs_start_fails_every_build_until_fixed(tmp_path, serve, open_page):
    """A warning that the running Sphinx gave once, when it was made (here the configuration's: a
    title that is not text), fails each of its builds, as each `make html` would fail; saving the
    fixed _config.yml makes a new Sphinx, which builds."""
    book = preview_book(tmp_path / "book")
    edit(book / "_config.yml", "  config:\n", "  config:\n    html_title: 5\n")
    server = serve(book)
    assert "the build failed (exit code 1)" in server.output, server.output
    assert "html_title" in server.output, server.output
    page = open_page(server, "ch1")
    since = len(server.output)
    edit(book / "ch1.md", "Some prose.", "Some other prose.")
    server.wait_for_output(r"the build failed \(exit code 1\)", since)
    nonce = uuid.uuid4().hex[:8]
    edit(book / "_config.yml", "    html_title: 5\n", f"    html_title: Fixed {nonce}\n")
    shows(page, nonce)
    assert page.errors == [], page.errors


def test_a_broken_configuration_or_extension_is_reported_and_the_fix_rebuilds(tmp_path, serve, open_page):
    """A _config.yml that is not YAML, or an extension that is not Python, makes the new Sphinx fail
    to start: the preview says the build failed (it must not wait for good on a build process that
    died) and the save that fixes it builds."""
    book = preview_book(tmp_path / "book")
    (book / "ext").mkdir()
    (book / "ext" / "mine.py").write_text("def setup(app):\n    return {'parallel_read_safe': True}\n")
    add_extensions(book, local="    mine: ext\n")
    server = serve(book)
    page = open_page(server, "ch1")
    for path, good, bad in [
        (book / "_config.yml", "title: Cache test book", "title: [a list never closed"),
        (book / "ext" / "mine.py", "def setup(app):", "def setup(app) return"),
    ]:
        since = len(server.output)
        edit(path, good, bad)
        server.wait_for_output(r"the build failed \(exit code 2\)", since)
        assert server.proc.poll() is None
        nonce = uuid.uuid4().hex[:8]
        edit(book / "ch1.md", "Some prose", f"Some prose ({nonce})")
        server.wait_for_output(r"the build failed \(exit code 2\)", len(server.output))
        edit(path, bad, good)
        shows(page, nonce)
    assert page.errors == [], page.errors


def test_the_preview_answers_only_for_loopback_hosts(tmp_path, serve):
    """A page on another site could read drafts through DNS rebinding (its name made to point at
    127.0.0.1): the preview answers only requests whose Host is a loopback name."""
    server = serve(preview_book(tmp_path / "book"))
    for host, expected in [(f"127.0.0.1:{server.port}", 200), (f"localhost:{server.port}", 200),
                           (f"attacker.example:{server.port}", 400)]:  # fmt: skip
        request = urllib.request.Request(f"{server.url}/ch1.html", headers={"Host": host})
        try:
            status = urllib.request.urlopen(request, timeout=30).status
        except urllib.error.HTTPError as error:
            status = error.code
        assert status == expected, f"Host {host}: HTTP {status}"
