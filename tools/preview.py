"""Live preview for authors (`make preview`): a server on loopback that rebuilds the book when a
source is saved, and the open page reloads itself.

sphinx-autobuild watches the book's folder, runs sphinx-build after each change and then tells the
open pages to reload (a WebSocket script that it adds to every page it serves). This script hands
it the book as `make html` builds it:

* the configuration: conf.py, which is _config.yml turned into Sphinx's configuration by the
  function that `jupyter-book build` uses;
* the strictness: tools/build.py's FLAGS, every warning an error and all of them reported. A build
  that warns fails and lists its warnings in the terminal; the server keeps serving and watching,
  and the next save builds again;
* its own output, _build/preview/ (HTML and Sphinx's saved environment): `make html`'s _build/html
  is never half-written by a preview;
* `make html`'s execution cache (_build/.jupyter_cache, keyed by _ext/execution_deps.py): a prose
  edit executes nothing; a code edit executes that chapter alone, and `make html` then finds it
  in the cache. At start the chapters that the cache lacks are executed in parallel first
  (tools/execute.py), as `make html` does;
* the site's Content-Security-Policy: the reload script is allowed by its hash (config value
  csp_script_hashes, _ext/csp.py), not by turning the policy off.

Usage: python tools/preview.py [BOOK] [--port 8000]   (port 0: a free one)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "_ext"))

import csp  # noqa: E402

from build import FLAGS  # noqa: E402
from hub import free_port  # noqa: E402
from upstream import written_for  # noqa: E402

HOST = "127.0.0.1"  # loopback only: the preview is for the author's own browser
IGNORED = ["_build", "tests", ".ci", ".github"]  # outputs, the execution cache, what is not the site
IGNORED_RE = [  # regular expressions on absolute paths
    r"/(__pycache__|\.ipynb_checkpoints)/",
    r"(~|\.sw[a-p]|/4913|/\.#[^/]*)$",  # editors' backups, swap and lock files (vim, emacs)
]


def reload_script_hash(host: str, port: int) -> str:
    """The CSP hash ("sha256-...") of the inline script that sphinx-autobuild adds to every page."""
    written_for("sphinx-autobuild", "2025.8.25", "tools/preview.py (the reload script, allowed by its hash)")
    from sphinx_autobuild.middleware import web_socket_script

    (found,) = csp._scripts(web_socket_script(f"{host}:{port}"))
    return found.strip("'")


def autobuild_args(book: Path, port: int) -> list[str]:
    """sphinx-autobuild's arguments: sphinx-build's (the book, _build/preview, the strict flags,
    make html's execution cache), then its own."""
    out = book / "_build" / "preview"
    return [
        str(book),
        str(out / "html"),
        "-d",
        str(out / ".doctrees"),
        *FLAGS,
        "-D",
        f"nb_execution_cache_path={book / '_build' / '.jupyter_cache'}",
        "-D",
        f"csp_script_hashes={reload_script_hash(HOST, port)}",
        "--host",
        HOST,
        "--port",
        str(port),
        *(arg for folder in IGNORED for arg in ("--ignore", str(book / folder))),
        *(arg for regex in IGNORED_RE for arg in ("--re-ignore", regex)),
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("book", nargs="?", default=".", help="the book's root (default: .)")
    parser.add_argument("--port", type=int, default=8000, help="0: a free port (default: 8000)")
    args = parser.parse_args(argv)
    book = Path(args.book).resolve()
    port = args.port or free_port()
    autobuild = autobuild_args(book, port)
    # the chapters the cache lacks, in parallel; a failing one fails again in the build, which
    # shows its error and keeps the server running
    subprocess.call([sys.executable, str(HERE / "execute.py"), str(book)])
    print(f"preview: http://{HOST}:{port}/ rebuilds on save (Ctrl-C to stop)", flush=True)
    from sphinx_autobuild.__main__ import main as sphinx_autobuild

    sphinx_autobuild(autobuild)
    return 0


if __name__ == "__main__":
    sys.exit(main())
