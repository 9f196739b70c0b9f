"""Small helpers for the servers the tools and tests start on loopback: a free port, waiting until
a server answers, stopping a server with what it started, and the built site served compressed as
GitHub Pages serves it (`make serve`, the tests' site server). No configuration is read here: a
process that imports this (the live preview's build process) starts even when _config.yml is
broken, and can say so."""

import argparse
import contextlib
import functools
import gzip
import io
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_served(url: str, process: subprocess.Popen, timeout: float) -> bool:
    """Wait until `url` answers; False when `process` (the server) exits first or `timeout` s pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=5):
                return True
        except OSError:
            time.sleep(0.5)
    return False


def stop_group(process: subprocess.Popen, first: int = signal.SIGTERM, timeout: float = 60) -> None:
    """Stop a process started with start_new_session=True and what it started (its process group):
    `first`, then SIGKILL if it has not gone after `timeout` s. The group is signalled even when
    the process itself has exited: what it started (a browser) may still run."""
    with contextlib.suppress(ProcessLookupError):  # no process of the group is left
        os.killpg(process.pid, first)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# What GitHub Pages sends gzipped (its CDN compresses text, scripts, data, SVG and WebAssembly; fonts
# in woff2, images and wheels are compressed already). The site's numbers (Lighthouse's, the
# tests' bytes per page) mean what readers get only when the local server does the same.
COMPRESSIBLE = (
    "text/",
    "application/javascript",
    "application/json",
    "image/svg+xml",
    "application/wasm",
    "application/xml",
)


class CompressingHandler(SimpleHTTPRequestHandler):
    """Serves a folder like http.server, gzipping what GitHub Pages gzips when the client accepts it
    (``Content-Encoding: gzip``, ``Vary: Accept-Encoding``). Each file is compressed once per
    version of it (its size and modification time) and kept in memory."""

    _cache: dict = {}
    _lock = threading.Lock()

    def _accepts_gzip(self) -> bool:
        codings = self.headers.get("Accept-Encoding", "")
        return any(part.split(";")[0].strip() == "gzip" for part in codings.split(","))

    def _compressed(self, path: str, stat: os.stat_result) -> bytes:
        version = (stat.st_size, stat.st_mtime_ns)
        with self._lock:
            cached_version, body = self._cache.get(path, (None, None))
        if cached_version != version:  # (a file rebuilt under `make serve`: the old one is dropped)
            body = gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)
            with self._lock:
                self._cache[path] = version, body
        return body

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?", 1)[0].split("#", 1)[0].endswith("/"):
            path = os.path.join(path, "index.html")
        ctype = self.guess_type(path)
        if not (os.path.isfile(path) and ctype.startswith(COMPRESSIBLE) and self._accepts_gzip()):
            return super().send_head()
        stat = os.stat(path)
        body = self._compressed(path, stat)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.end_headers()
        return io.BytesIO(body)  # what SimpleHTTPRequestHandler copies to the client, then closes


class QuietHandler(CompressingHandler):
    """A CompressingHandler that logs no request: the servers inside the tools and the tests."""

    def log_message(self, format, *args):  # noqa: A002
        pass


class _LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # a download cut short by a closed page: no noise
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def served(directory: Path, handler: type = QuietHandler):
    """`directory` served on a free port of 127.0.0.1, from a thread, while the block runs (by
    default gzipped as GitHub Pages serves it, and quietly): yields its origin, http://127.0.0.1:PORT."""
    server = _LoopbackServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def serve(directory: str, port: int, bind: str = "127.0.0.1") -> None:
    """Serve `directory` compressed on `bind`:`port` until interrupted (`make serve`)."""
    handler = functools.partial(CompressingHandler, directory=directory)
    with ThreadingHTTPServer((bind, port), handler) as server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Serve a built site compressed, as GitHub Pages does.")
    parser.add_argument("--directory", default="_build/html")
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("port", type=int, nargs="?", default=8000)
    arguments = parser.parse_args()
    serve(arguments.directory, arguments.port, arguments.bind)
