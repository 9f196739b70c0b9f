"""Sphinx's view of _config.yml, for `make preview` (code/course_build/preview.py makes its Sphinx as sphinx-build
does, which reads a conf.py). Edit _config.yml, not this file. `jupyter-book build` ignores this file and turns
_config.yml into Sphinx's configuration with jupyter_book.config.get_final_config; this file calls
the same function with the same arguments, so that both builds have one configuration. (A conf.py
written once by `jupyter-book config sphinx` would drift from _config.yml, and it leaves out the
local extensions' folder: jupyter-book/jupyter-book#2210.)"""

from pathlib import Path

from jupyter_book.config import get_final_config

BOOK = Path(__file__).resolve().parent
# as `jupyter-book build BOOK` calls it (jupyter_book/cli/main.py): the table of contents by its
# path, the book as one LaTeX document; it also puts the local extensions' folders on sys.path
_config, _ = get_final_config(
    user_yaml=BOOK / "_config.yml",
    cli_config={"external_toc_path": (BOOK / "_toc.yml").as_posix(), "latex_individualpages": False},
    sourcedir=BOOK,
)
globals().update(_config)

from course_build.upstream import written_for  # noqa: E402

written_for("jupyter-book", "1.0.4.post1", "conf.py (the arguments of jupyter-book build's get_final_config)")
