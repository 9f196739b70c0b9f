"""Live preview for authors (`make preview`): a server on loopback that rebuilds the book when a
source is saved, and the open page reloads itself.

The server is sphinx-autobuild's: its file watcher and the WebSocket script that it adds to every
page it serves, which reloads the page when a build has finished. The builds are not: instead of a
new sphinx-build for each save (about 11 s of start-up and a cold read of the environment before
any work), one Sphinx application lives in a build process of its own and builds again on each save
what the save made outdated: a prose edit reads one page and writes it, in about a second.
A save of anything but a page or a static file (_config.yml, _toc.yml, conf.py, the course's
extensions, the helper package, the bibliography, the templates) starts a new build process, as a new sphinx-build would.

The build is `make html`'s:

* the configuration: conf.py, which is _config.yml turned into Sphinx's configuration by the
  function that `jupyter-book build` uses;
* the strictness: code/course_build/build.py's STRICT, every warning an error and all of them reported. A build
  that warns fails and lists its warnings in the terminal; the server keeps serving and watching,
  and the next save builds again;
* its own output, _build/preview/ (HTML and Sphinx's saved environment): `make html`'s _build/html
  is never half-written by a preview;
* `make html`'s execution cache (_build/.jupyter_cache, keyed by code/course_build/ext/execution_deps.py): a prose
  edit executes nothing; a code edit executes that chapter alone, and `make html` then finds it
  in the cache. At start the chapters that the cache lacks are executed in parallel first
  (code/course_build/execute.py), as `make html` does;
* the site's Content-Security-Policy: the reload script is allowed by its hash (config value
  csp_script_hashes, code/course_build/ext/csp.py), not by turning the policy off.

Usage: python -m course_build.preview [BOOK] [--port 8000]   (port 0: a free one)
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path

from course_build.book import not_the_book, read_config
from course_build.build import STRICT
from course_build.ext import csp
from course_build.resident_sphinx import Rebuilds
from course_build.serving import free_port
from course_build.upstream import written_for

HOST = "127.0.0.1"  # loopback only: the preview is for the author's own browser
IGNORED_RE = [  # regular expressions on absolute paths
    r"/(__pycache__|\.ipynb_checkpoints)/",
    r"(~|\.sw[a-p]|/4913|/\.#[^/]*)$",  # editors' backups, swap and lock files (vim, emacs)
]
PAGE_SUFFIXES = {".md", ".ipynb"}  # what the running Sphinx reads again by itself
STATIC = "_assets"  # html_static_path: copied again by the running Sphinx (sphinx7_fixes 2)


def reload_script_hash(host: str, port: int) -> str:
    """The CSP hash ("sha256-...") of the inline script that sphinx-autobuild adds to every page."""
    written_for(
        "sphinx-autobuild",
        "2025.8.25",
        "code/course_build/preview.py (the reload script, allowed by its hash)",
    )
    from sphinx_autobuild.middleware import web_socket_script

    (found,) = csp._scripts(web_socket_script(f"{host}:{port}"))
    return found.strip("'")


def sphinx_arguments(book: Path, port: int) -> dict:
    """Sphinx's arguments: the book (its conf.py), _build/preview, `make html`'s strictness and
    execution cache, the reload script's hash."""
    out = book / "_build" / "preview"
    overrides = {
        **STRICT["confoverrides"],
        "nb_execution_cache_path": str(book / "_build" / ".jupyter_cache"),
        "csp_script_hashes": reload_script_hash(HOST, port),
    }
    return {
        **STRICT,
        "srcdir": book,
        "confdir": book,
        "outdir": out / "html",
        "doctreedir": out / ".doctrees",
        "buildername": "html",
        "confoverrides": overrides,
    }


def needs_new_sphinx(book: Path, path: Path) -> bool:
    """Whether a saved file is one that a running Sphinx does not read again by itself."""
    if path.suffix in PAGE_SUFFIXES:
        return False
    return not path.is_relative_to(book / STATIC)


def _next_request(conn) -> bool:
    try:
        return conn.recv()
    except EOFError:  # the server has gone
        return False


def _build_process(arguments: dict, conn) -> None:
    """One Sphinx application, made with `arguments` (as sphinx-build makes one), building on each
    request what has changed (code/course_build/resident_sphinx.py); it answers with the build's
    status (sphinx-build's exit status)."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops this process
    with patch_docutils(arguments["confdir"]), docutils_namespace():
        try:
            app = Sphinx(**arguments, status=sys.stdout, warning=sys.stderr)
        except Exception:
            traceback.print_exc()
            conn.send(2)
            return
        conn.send(0)
        rebuilds = Rebuilds(app)
        while _next_request(conn):
            try:
                status = rebuilds.build()
            except Exception:
                traceback.print_exc()
                conn.send(2)  # Sphinx removed its saved environment: the next build starts afresh
                return
            conn.send(status)


class Builder:
    """sphinx-autobuild's builder (called with the changed paths, in the server's thread pool),
    but builds in a Sphinx that stays in memory between saves (`_build_process`)."""

    def __init__(self, book: Path, arguments: dict, url: str):
        self.book, self.arguments, self.url, self.process = book, arguments, url, None

    def start(self) -> int:
        spawn = multiprocessing.get_context("spawn")  # a clean interpreter, not a copy of the server
        self.conn, child = spawn.Pipe()
        self.process = spawn.Process(target=_build_process, args=(self.arguments, child), daemon=True)
        self.process.start()
        child.close()  # the child's end, here: a child that dies (a broken extension) ends recv()
        return self.conn.recv()

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.join()
            self.process = None

    def __call__(self, *, changed_paths=()) -> int:
        start = time.perf_counter()
        if changed_paths:
            shown = ", ".join(os.path.relpath(p, self.book) for p in changed_paths[:5])
            print(f"preview: changed {shown}", flush=True)
        if any(needs_new_sphinx(self.book, p) for p in changed_paths):
            print("preview: not a page: a new Sphinx reads the configuration again", flush=True)
            self.stop()
        try:
            status = self.start() if self.process is None else 0
            if status == 0:
                self.conn.send(True)
                status = self.conn.recv()
        except EOFError:  # the build process died
            status = 2
        if status == 2:
            self.stop()  # the next save starts a new one
        if status:
            print(
                f"preview: the build failed (exit code {status}). Fix the cause above and save "
                "again (Ctrl-C stops the server).",
                flush=True,
            )
        print(f"preview: built in {time.perf_counter() - start:.1f} s, serving on {self.url}", flush=True)
        return status


def server(book: Path, builder: Builder, port: int):
    """sphinx-autobuild's server (its __main__._create_app), with a watcher that builds in a
    thread of the server (the Sphinx lives in the build process) rather than in a new process."""
    written_for(
        "sphinx-autobuild", "2025.8.25", "code/course_build/preview.py (its server, with our watcher)"
    )
    import watchfiles
    from sphinx_autobuild.filter import IgnoreFilter
    from sphinx_autobuild.middleware import JavascriptInjectorMiddleware
    from sphinx_autobuild.server import RebuildServer
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.routing import Mount, WebSocketRoute
    from starlette.staticfiles import StaticFiles

    class Watcher(RebuildServer):
        async def watch(self) -> None:  # RebuildServer.watch, but for the pool it submits to
            async for changes in watchfiles.awatch(
                *self.paths, watch_filter=lambda _, path: not self.ignore(path)
            ):
                changed = [Path(path).resolve() for _, path in changes]
                await asyncio.to_thread(self.change_callback, changed_paths=changed)
                self.flag.set()

    ignore = IgnoreFilter([book / name for name in not_the_book(read_config(book))], IGNORED_RE)
    watcher = Watcher([book], ignore, change_callback=builder)
    return Starlette(
        routes=[
            WebSocketRoute("/websocket-reload", watcher, name="reload"),
            Mount(
                "/", app=StaticFiles(directory=book / "_build" / "preview" / "html", html=True), name="static"
            ),
        ],
        middleware=[
            # only loopback names: a page on another site must not read drafts by DNS rebinding
            Middleware(TrustedHostMiddleware, allowed_hosts=[HOST, "localhost"]),
            Middleware(JavascriptInjectorMiddleware, ws_url=f"{HOST}:{port}"),
        ],
        lifespan=watcher.lifespan,
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("book", nargs="?", default=".", help="the book's root (default: .)")
    parser.add_argument("--port", type=int, default=8000, help="0: a free port (default: 8000)")
    args = parser.parse_args(argv)
    book = Path(args.book).resolve()
    port = args.port or free_port()
    # the chapters the cache lacks, in parallel; a failing one fails again in the build, which
    # shows its error and keeps the server running
    subprocess.call([sys.executable, "-m", "course_build.execute", str(book)])
    url = f"http://{HOST}:{port}/"
    builder = Builder(book, sphinx_arguments(book, port), url)
    (book / "_build" / "preview" / "html").mkdir(parents=True, exist_ok=True)
    builder()
    print(f"preview: {url} rebuilds on save (Ctrl-C to stop)", flush=True)
    import uvicorn

    try:
        uvicorn.run(server(book, builder, port), host=HOST, port=port, log_level="warning")
    except KeyboardInterrupt:
        pass
    finally:
        builder.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
