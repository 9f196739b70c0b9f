"""Key the notebook execution cache on the files the chapters depend on, not on their code alone.

jupyter-cache (under myst-nb's ``execute_notebooks: cache``) keys an executed notebook on the
notebook's code cells and kernel. A change to the helper package ``likelihood_course`` or to
``requirements.txt`` changes what those cells compute, yet matches the old key: the site would keep
serving stale outputs. And Sphinx would not even re-read the chapter, since its source did not
change.

This extension (registered in ``_config.yml`` under ``sphinx: extra_extensions``) fixes both:

* it hashes what the outputs depend on besides the code: the contents of the dependency files
  (config value ``execution_deps``: glob patterns relative to the book root; default: every file
  of the helper package, ``pyproject.toml``'s ``[project]`` table, ``requirements.txt`` and
  ``runtime.txt``), the Python
  version, the platform, every installed distribution with its version (transitive ones float
  unless pinned) and the execution settings that change outputs (timeout, allowed errors, running
  in a temporary folder); and it points myst-nb at a cache directory named by that hash,
  ``<cache>/deps-<hash>``. A cache restored from elsewhere (the publishing workflow's) is used only
  if its directory carries the same key. A change to
  a dependency is a fresh, empty cache (reverting it finds the old one again); the most recently
  used few are kept, older ones are deleted;
* it makes Sphinx re-read every notebook page when that hash differs from the one the page was
  last read with (``env-get-outdated``), so that ``jupyter-book build`` re-executes them;
* it gives the build's kernels a kernelspec of their own (:func:`use_build_kernel`): ipykernel's,
  whose inline backend emits every matplotlib figure as PDF beside the PNG. The site shows the PNG,
  the PDF book prints the vector figure (myst-nb's LaTeX renderer prefers ``application/pdf``), and
  a reader's own kernel, which never sees this kernelspec, emits PNG alone.

``code/course_build/execute.py`` (the parallel pre-execution of ``make html``) imports :func:`cache_path` and
:func:`use_build_kernel` from this module, so that it fills exactly the cache that the build then
reads, with the same kernel.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import platform
import shutil
import sys
import time
import tomllib
from pathlib import Path

DEFAULT_DEPS = ["code/likelihood_course/**/*", "pyproject.toml", "requirements.txt", "runtime.txt"]
PREFIX = "deps-"
KEEP = 3  # dependency-keyed caches kept (the current one and the most recently used others)
SKIP_PARTS = {"__pycache__", ".ipynb_checkpoints"}
# The formats of every figure the build's kernels draw: SVG for the site (ext/theme_figures.py),
# PDF for the PDF book, PNG for the downloads (a reader's own kernel draws PNG alone).
FIGURE_FORMATS = ("png", "pdf", "svg")
KERNEL_ARGUMENTS = [f"--InlineBackend.figure_formats={fmt}" for fmt in FIGURE_FORMATS]
# The figures' files the same at every execution: matplotlib dates an SVG and a PDF with the
# time of drawing unless SOURCE_DATE_EPOCH gives one (and myst-nb names a figure by its hash)
KERNEL_ENV = {"SOURCE_DATE_EPOCH": "0"}


def dependency_files(root: str | Path, patterns) -> list[Path]:
    """The files matched by the glob `patterns` (relative to `root`), sorted, without caches."""
    root = Path(root)
    files = set()
    for pattern in patterns:
        for path in root.glob(pattern):
            if path.is_file() and not SKIP_PARTS.intersection(path.parts):
                files.add(path)
    return sorted(files)


def environment() -> list[str]:
    """The Python, the platform and every installed distribution (name==version), sorted: the
    kernel runs in this same environment."""
    dists = {
        f"{(d.metadata['Name'] or '').lower()}=={d.version}"
        for d in importlib.metadata.distributions()
        if d.metadata["Name"]
    }
    return [f"python {sys.version}", f"platform {platform.platform()} {platform.machine()}", *sorted(dists)]


def settings_key(timeout, allow_errors, in_temp) -> dict:
    """The execution settings that change what a notebook's outputs are (the build kernel's
    arguments included)."""
    return {
        "timeout": timeout,
        "allow_errors": bool(allow_errors),
        "in_temp": bool(in_temp),
        "kernel": KERNEL_ARGUMENTS,
        "kernel_env": KERNEL_ENV,
    }


def use_build_kernel(base: str | Path) -> Path:
    """Write ipykernel's own kernelspec ``python3``, with :data:`KERNEL_ARGUMENTS` and
    :data:`KERNEL_ENV`, under `base`, and put it first on ``JUPYTER_PATH``: the kernels that this
    process and its children start for the chapters (which name ``python3``) are then started
    with it."""
    from ipykernel.kernelspec import write_kernel_spec

    data_dir = Path(base).resolve() / "kernelspec"
    spec = data_dir / "kernels" / "python3"
    shutil.rmtree(spec, ignore_errors=True)
    write_kernel_spec(spec, overrides={"env": KERNEL_ENV}, extra_arguments=KERNEL_ARGUMENTS)
    paths = [str(data_dir), *filter(None, os.environ.get("JUPYTER_PATH", "").split(os.pathsep))]
    os.environ["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(paths))
    return spec


def dependency_content(path: Path) -> bytes:
    """What the outputs depend on of a dependency file: all of it, but of ``pyproject.toml`` only
    the ``[project]`` table (the helper's name, version and dependencies); its tools' settings
    (ruff, pytest) change no output, and editing one must not execute every chapter again."""
    if path.name == "pyproject.toml":
        project = tomllib.loads(path.read_text(encoding="utf-8")).get("project", {})
        return json.dumps(project, sort_keys=True).encode()
    return path.read_bytes()


def dependency_hash(root: str | Path, patterns, settings: dict | None = None) -> str:
    """A hash of the names and contents of the dependency files (not of their mtimes), of the
    environment and of the execution `settings`."""
    root = Path(root)
    digest = hashlib.sha256()
    for pattern in patterns:  # the patterns themselves are part of the key
        digest.update(f"pattern {pattern}\n".encode())
    for path in dependency_files(root, patterns):
        digest.update(f"file {os.path.relpath(path, root)}\n".encode())
        digest.update(hashlib.sha256(dependency_content(path)).digest())
    for line in environment():
        digest.update(f"env {line}\n".encode())
    digest.update(f"settings {json.dumps(settings or {}, sort_keys=True)}\n".encode())
    return digest.hexdigest()[:16]


def cache_path(base: str | Path, root: str | Path, patterns, settings: dict | None = None) -> Path:
    """The jupyter-cache directory for the current state of the dependencies."""
    return Path(base) / f"{PREFIX}{dependency_hash(root, patterns, settings)}"


def prune(base: str | Path, current: Path, keep: int = KEEP) -> list[Path]:
    """Mark `current` as used and delete all but the `keep` most recently used keyed caches."""
    base = Path(base)
    current.mkdir(parents=True, exist_ok=True)
    now = time.time()
    os.utime(current, (now, now))
    caches = sorted(
        (p for p in base.glob(f"{PREFIX}*") if p.is_dir()),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    others = [p for p in caches if p != current]  # most recently used first
    removed = others[max(keep - 1, 0) :]
    for old in removed:
        shutil.rmtree(old, ignore_errors=True)
    return removed


# --- Sphinx side -----------------------------------------------------------------------------


def _is_notebook(app, docname: str, source: str) -> bool:
    from myst_nb.core.read import is_myst_markdown_notebook

    path = str(app.env.doc2path(docname))
    if path.endswith(".ipynb") or any(path.endswith(s) for s in app.config.nb_custom_formats):
        return True
    return path.endswith(".md") and is_myst_markdown_notebook(source)


def _key_the_cache(app) -> None:
    """builder-inited, after myst-nb has resolved its cache path: add the dependency key to it."""
    config = getattr(app.env, "mystnb_config", None)
    if config is None:
        return
    patterns = list(app.config.execution_deps)
    base = Path(config.execution_cache_path)
    settings = settings_key(config.execution_timeout, config.execution_allow_errors, config.execution_in_temp)
    keyed = cache_path(base, app.srcdir, patterns, settings)
    prune(base, keyed)
    use_build_kernel(base)
    app.env.mystnb_config = config.copy(execution_cache_path=str(keyed))
    app.env.execution_deps_key = keyed.name  # read by env-get-outdated, pickled with the env
    from sphinx.util import logging

    logging.getLogger(__name__).info(f"execution cache keyed on dependencies: {keyed}")


def _outdated(app, env, added, changed, removed):
    """Re-read every notebook page when the dependencies differ from those of the last build."""
    current = getattr(env, "execution_deps_key", None)
    notebooks = getattr(env, "execution_deps_notebooks", {})
    stale = [doc for doc, key in notebooks.items() if key != current and doc not in removed]
    return stale


def execution_overrides(source: str) -> list[str]:
    """The execution settings that a page's front matter would set for itself: jupyter-cache and
    myst-nb take `execution: {allow_errors, timeout}` from a notebook's metadata, and myst-nb its
    `mystnb: {execution_*}`; either would override the book's strictness for that page."""
    import yaml

    if not source.startswith("---"):
        return []
    try:
        front = yaml.safe_load(source.split("\n---", 1)[0].removeprefix("---")) or {}
    except yaml.YAMLError:
        return []
    found = [f"execution: {key}" for key in (front.get("execution") or {})] if isinstance(front, dict) else []
    mystnb = front.get("mystnb") if isinstance(front, dict) else None
    if isinstance(mystnb, dict):
        found += [f"mystnb: {key}" for key in mystnb if key.startswith("execution")]
    return found


def _source_read(app, docname: str, source: list) -> None:
    if not _is_notebook(app, docname, source[0]):
        app.env.execution_deps_notebooks.pop(docname, None)
        return
    app.env.execution_deps_notebooks[docname] = app.env.execution_deps_key
    for setting in execution_overrides(source[0]):
        from sphinx.util import logging

        logging.getLogger(__name__).warning(
            f"the page sets its own execution setting ({setting}): the book's execute: settings in "
            "_config.yml hold for every page (a failing cell fails the build); remove it",
            type="execution_deps",
            location=docname,
        )


def _env_before_read(app, env, docnames) -> None:
    if not hasattr(env, "execution_deps_notebooks"):
        env.execution_deps_notebooks = {}


def _purge(app, env, docname: str) -> None:
    getattr(env, "execution_deps_notebooks", {}).pop(docname, None)


def _merge(app, env, docnames, other) -> None:
    mine = env.__dict__.setdefault("execution_deps_notebooks", {})
    theirs = getattr(other, "execution_deps_notebooks", {})
    for doc in docnames:
        if doc in theirs:
            mine[doc] = theirs[doc]


def setup(app) -> dict:
    from course_build.upstream import written_for

    written_for("myst-nb", "1.4.0", "execution_deps (replaces myst-nb's resolved config, env.mystnb_config)")
    app.setup_extension("myst_nb")
    app.add_config_value("execution_deps", DEFAULT_DEPS, "env", [list, tuple])
    app.connect("builder-inited", _key_the_cache, priority=900)  # after myst-nb's (500)
    app.connect("env-before-read-docs", _env_before_read)
    app.connect("env-get-outdated", _outdated)
    app.connect("source-read", _source_read)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
