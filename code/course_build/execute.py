"""Execute the book's notebooks in parallel into the execution cache, ahead of `jupyter-book build`.

`make html` runs this first and the strict Sphinx build second. Sphinx reads and executes the
chapters one after another; here they run concurrently (one process per core by default, the
longest-running first), each executed and stored by jupyter-cache exactly as myst-nb would:

* the same cache: myst-nb's cache path (`execute.cache` in `_config.yml`, by default
  `<path-output>/_build/.jupyter_cache`), keyed on the helper package and requirements.txt by the
  local extension `code/course_build/ext/execution_deps.py`, whose `cache_path` this script imports;
* the same notebook: Markdown notebooks are read with myst-nb's jupyter-cache reader plugin
  (`myst_nb_md`), so they hash as they do at build time and the build then finds them
  ("Using cached notebook");
* the same settings: `execute.timeout`, `execute.allow_errors`, `execute.run_in_temp`,
  `execute.exclude_patterns` and `execute.execute_notebooks` (anything but `cache` makes this a
  no-op, since the build would not read the cache);
* the same kernel: the build's kernelspec, whose figures are PNG and PDF (`use_build_kernel`).

The kernels talk to this process over TCP encrypted with CurveZMQ (jupyter_client's
`KernelManager.transport_encryption`, "required": the manager provisions the keys, the kernelspec of
ipykernel declares "curve"). Without it every kernel of ipykernel 7.4 logs "Kernel is running over
TCP without encryption" into the build log (ipython/ipykernel#1515); IPC sockets would avoid it too,
but jupyter_client's default IPC path is relative to each side's working directory.

A cell that fails (or times out) is reported with its traceback and the exit status is 1, so that
`make html` stops; the other notebooks still run and are cached. Notebooks already in the cache are
not executed again.

Checking that costs Jupyter Book's configuration, the cache's database and every chapter read,
hashed and looked up: more than a prose edit's whole build. So a run after which every chapter is in
the cache leaves a record (`_build/.executed.json`: the cache, what its key was made of, and each
chapter's file and code hash), and `stale` decides from it, in the build's own process, what would
be executed: a chapter whose file changed is read and its code hashed as jupyter-cache hashes it (a
prose edit leaves the hash as it was), and a chapter whose code changed is executed alone
(`execute_changed`); a change to _config.yml or _toc.yml, to the dependencies' key, or a cached
notebook missing from the cache's folder or database sends the build through this script's full
check.

Usage: python -m course_build.execute [BOOK] [--path-output DIR] [--jobs N]
"""

from __future__ import annotations

import argparse
import contextlib
import fnmatch
import hashlib
import json
import multiprocessing
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

MYST_READER = {"type": "plugin", "name": "myst_nb_md"}  # myst-nb's jcache.readers entry point
IPYNB_READER = {"type": "plugin", "name": "nbformat"}  # jupyter-cache's default
# nbclient hands its config to the kernel manager it creates: kernels over encrypted TCP
KERNEL_CONFIG = {"KernelManager": {"transport_encryption": "required"}}


def load_settings(book: Path, path_output: Path) -> dict:
    """The execution settings as jupyter-book hands them to Sphinx and myst-nb."""
    from jupyter_book.config import get_final_config

    config_file = book / "_config.yml"
    sphinx_config, _ = get_final_config(
        user_yaml=config_file if config_file.exists() else None,
        cli_config={"latex_individualpages": False},
        sourcedir=book,
        validate=False,
    )
    from course_build.ext import execution_deps
    from course_build.upstream import written_for

    written_for(
        "jupyter-book", "1.0.4.post1", "code/course_build/execute.py (jupyter-book's get_final_config)"
    )
    written_for(
        "jupyter-cache",
        "1.0.1",
        "code/course_build/execute.py (jupyter-cache's executor, as myst-nb runs it)",
    )

    base = sphinx_config.get("nb_execution_cache_path") or ""
    base = Path(base) if base else path_output / "_build" / ".jupyter_cache"
    patterns = sphinx_config.get("execution_deps", execution_deps.DEFAULT_DEPS)
    timeout = sphinx_config.get("nb_execution_timeout", 30)
    allow_errors = bool(sphinx_config.get("nb_execution_allow_errors", False))
    in_temp = bool(sphinx_config.get("nb_execution_in_temp", False))
    key = execution_deps.settings_key(timeout, allow_errors, in_temp)
    return {
        "mode": sphinx_config.get("nb_execution_mode", "auto"),
        "timeout": timeout,
        "allow_errors": allow_errors,
        "in_temp": in_temp,
        "exclude": list(sphinx_config.get("nb_execution_excludepatterns", []) or []),
        "base": base.resolve(),
        "patterns": list(patterns),
        "settings": key,
        "cache": execution_deps.cache_path(base, book, patterns, key).resolve(),
        "prune": execution_deps.prune,
        "use_build_kernel": execution_deps.use_build_kernel,
        "overrides": execution_deps.execution_overrides,
    }


def toc_notebooks(book: Path, exclude: list[str]) -> list[Path]:
    """The notebook sources of the pages in _toc.yml, in reading order."""
    from myst_nb.core.read import is_myst_markdown_notebook
    from sphinx_external_toc.parsing import parse_toc_yaml

    site_map = parse_toc_yaml(book / "_toc.yml")
    notebooks = []
    for docname in site_map:
        for suffix in (".ipynb", ".md"):
            path = book / f"{docname}{suffix}"
            if path.is_file():
                break
        else:
            continue
        rel = path.relative_to(book).as_posix()
        if any(fnmatch.fnmatch(rel, pattern) for pattern in exclude):
            continue
        if suffix == ".ipynb" or is_myst_markdown_notebook(path.read_text(encoding="utf8")):
            notebooks.append(path.resolve())
    return notebooks


def merge_streams(notebook) -> None:
    """One output for each run of a stream (stdout, stderr) in a cell: where the kernel cut a
    cell's printing into messages depends on timing, and the page and the download differed from
    build to build (tests/test_reproducible.py)."""
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        merged = []
        for output in cell.outputs:
            last = merged[-1] if merged else None
            if (
                output.output_type == "stream"
                and last
                and last.output_type == "stream"
                and last.name == output.name
            ):
                last.text += output.text
            else:
                merged.append(output)
        cell.outputs = merged


def _execute(job: tuple) -> dict:
    """Worker: execute one project notebook; the parent stores it (see `_store`)."""
    from jupyter_cache import get_cache
    from jupyter_cache.executors.utils import single_nb_execution
    from traitlets.config import Config

    cache_dir, pk, uri, timeout, allow_errors, in_temp = job
    print(f"[execute] {os.path.relpath(uri)}: executing", flush=True)
    project_nb = get_cache(cache_dir).get_project_notebook(pk)
    with tempfile.TemporaryDirectory() as tmp:
        cwd = tmp if in_temp else str(Path(uri).parent)
        result = single_nb_execution(
            project_nb.nb,
            cwd=cwd,
            timeout=timeout,
            allow_errors=allow_errors,
            meta_override=False,  # the book's settings, never a page's own (execution_deps refuses those)
            config=Config(KERNEL_CONFIG),
        )
    ok = result.err is None
    if ok:
        merge_streams(project_nb.nb)
    return {
        "uri": uri,
        "ok": ok,
        "seconds": result.time,
        "error": None if ok else result.exc_string,
        "nb": project_nb.nb if ok else None,  # executed in place
    }


def report(rel: str, result: dict) -> None:
    """One worker's result, in the lines that the benchmark and the tests read."""
    if result["ok"]:
        print(f"[execute] {rel}: executed in {result['seconds']:.2f} s", flush=True)
    else:
        print(
            f"[execute] {rel}: FAILED after {result['seconds']:.2f} s\n{result['error']}",
            file=sys.stderr,
            flush=True,
        )


def _store(cache, result: dict):
    """Store one worker's result, as jupyter-cache's executor does, from this one process.

    jupyter-cache is not safe for concurrent writers: each `cache_notebook_bundle` ends in
    `truncate_caches`, whose two queries can see a record that another process has just created
    but not yet written, and then delete it or fail with "Notebook file does not exist for cache
    record" (seen in CI). One writer avoids that.
    """
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.cache.db import NbProjectRecord

    if not result["ok"]:
        NbProjectRecord.set_traceback(result["uri"], result["error"], cache.db)
        return
    bundle = CacheBundleIn(result["nb"], result["uri"], data={"execution_seconds": result["seconds"]})
    return cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)


def open_cache(cache_dir: Path):
    """The execution cache, checked: a database that cannot be read is set aside (one line says
    where) for a fresh one, and a record whose notebook is missing or unreadable is dropped, so
    that its chapter is executed again instead of crashing the build that reads it."""
    from jupyter_cache import get_cache
    from jupyter_cache.cache.db import NbCacheRecord
    from sqlalchemy.exc import DatabaseError

    cache = get_cache(str(cache_dir))
    try:
        records = cache.list_cache_records()
    except (DatabaseError, RuntimeError) as error:  # truncated, emptied: not a database
        # (jupyter-cache raises sqlite's OperationalError again as a RuntimeError)
        reason = error.__cause__ or error
        cache.db.dispose()
        aside = cache_dir.with_name(f"unreadable-{cache_dir.name}")
        shutil.rmtree(aside, ignore_errors=True)
        cache_dir.rename(aside)
        print(
            f"[execute] the execution cache's database could not be read ({getattr(reason, 'orig', reason)}): set aside "
            f"as {os.path.relpath(aside)}; every chapter is executed again",
            file=sys.stderr,
            flush=True,
        )
        cache_dir.mkdir()
        return get_cache(str(cache_dir))
    for record in records:
        try:
            cache.get_cache_bundle(record.pk)  # reads and parses the stored notebook
        except (KeyError, OSError, ValueError) as error:  # missing, unreadable, not JSON
            shutil.rmtree(cache._get_notebook_path_cache(record.hashkey).parent, ignore_errors=True)
            NbCacheRecord.remove_records([record.pk], cache.db)
            print(f"[execute] a cached notebook is broken ({error}): it is executed again", flush=True)
    return cache


def record_file(book: Path) -> Path:
    return book / "_build" / ".executed.json"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _inputs(book: Path) -> str:
    """A hash of what the execution settings and the list of chapters are read from."""
    return _sha(b"".join(_sha((book / name).read_bytes()).encode() for name in ("_config.yml", "_toc.yml")))


def code_hash(path: Path) -> str:
    """A notebook's hash as jupyter-cache keys it (code cells and kernelspec, not the prose)."""
    import nbformat
    from jupyter_cache.cache.main import JupyterCacheBase

    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
    else:
        from myst_nb.core.read import myst_nb_reader_plugin

        nb = myst_nb_reader_plugin(str(path))
    return JupyterCacheBase.create_hashed_notebook(None, nb)[1]  # uses nothing of the cache


def write_record(book: Path, settings: dict, hashkeys: dict[Path, str], read_as: dict[Path, str]) -> None:
    """The record of a run after which every chapter is cached: each one's cache hashkey, and the
    hash of its file as it was read for the cache (`read_as`), not as it is now: a chapter edited
    during the run then differs from its record, and the next build checks its code again."""
    record = {
        "book": str(book.resolve()),  # a copy of the book (cp -a) holds a record of the original's files
        "inputs": _inputs(book),
        **{k: str(settings[k]) for k in ("base", "cache")},
        "patterns": settings["patterns"],
        "settings": settings["settings"],
        "notebooks": {str(p): [read_as[p], key] for p, key in hashkeys.items()},
    }
    record_file(book).parent.mkdir(parents=True, exist_ok=True)
    record_file(book).write_text(json.dumps(record, indent=1))


def stale(book: Path) -> list[Path] | None:
    """From the last run's record, without Jupyter Book's configuration or the cache's database
    engine: the chapters whose code changed since they were cached (`[]`: none), or None when the
    full check must decide (no record, or one of another book; a change to _config.yml, _toc.yml or
    the dependencies' key; a cached notebook gone from the cache; a changed chapter that sets its
    own execution settings or that myst-nb cannot read). A chapter whose file changed is read and
    its code hashed as jupyter-cache hashes it: a prose edit leaves the hash as it was, and is
    written into the record, so that it is read once."""
    from course_build.ext import execution_deps

    try:
        record = json.loads(record_file(book).read_text())
        if record["book"] != str(book.resolve()) or record["inputs"] != _inputs(book):
            return None
        cache = Path(record["cache"])
        now = execution_deps.cache_path(Path(record["base"]), book, record["patterns"], record["settings"])
        if now.resolve() != cache:
            return None
        database = f"file:{cache / 'global.db'}?mode=ro"
        with contextlib.closing(sqlite3.connect(database, uri=True)) as db:
            cached = {row[0] for row in db.execute("SELECT hashkey FROM nbcache")}
        changed, prose = [], False
        for uri, entry in record["notebooks"].items():
            sha, key = entry
            if key not in cached or not (cache / "executed" / key / "base.ipynb").is_file():
                return None
            path = Path(uri)
            data = path.read_bytes()
            now_sha = _sha(data)
            if now_sha == sha:
                continue
            if code_hash(path) == key:
                entry[0], prose = now_sha, True
            elif execution_deps.execution_overrides(data.decode("utf-8")):
                return None
            else:
                changed.append(path)
    except Exception:  # noqa: BLE001 (a broken record, or a page myst-nb cannot read: the full check reports it)
        return None
    if prose:
        record_file(book).write_text(json.dumps(record, indent=1))
    return changed


def execute_changed(book: Path, chapters: list[Path]) -> int:
    """Execute `chapters` (what `stale` found) into the recorded cache, in this process, and bring
    the record up to date; the other chapters' cache entries were checked by `stale`, so this skips
    the full check's configuration, validation and lookups, which took about 3 s before a
    one-chapter code edit's execution (a code edit is then as fast as Jupyter Book's own build)."""
    from jupyter_cache import get_cache

    from course_build.ext import execution_deps

    record = json.loads(record_file(book).read_text())
    settings = record["settings"]
    execution_deps.use_build_kernel(record["base"])
    cache = get_cache(record["cache"])
    print(
        f"[execute] {len(chapters)} notebook(s) whose code changed; the other "
        f"{len(record['notebooks']) - len(chapters)} cached as recorded; cache {os.path.relpath(record['cache'])}",
        flush=True,
    )
    failed = []
    for path in chapters:
        read_as = _sha(path.read_bytes())
        reader = IPYNB_READER if path.suffix == ".ipynb" else MYST_READER
        project = cache.add_nb_to_project(str(path), read_data=reader)
        stored = cache.get_cached_project_nb(project.pk)  # an earlier version of its code, say
        rel = os.path.relpath(path, book)
        if stored is None:
            job = (
                record["cache"],
                project.pk,
                str(path),
                settings["timeout"],
                settings["allow_errors"],
                settings["in_temp"],
            )
            result = _execute(job)
            stored = _store(cache, result)
            report(rel, result)
            if not result["ok"]:
                failed.append(rel)
                continue
        record["notebooks"][str(path)] = [read_as, stored.hashkey]
    if failed:  # the record keeps their old entries: the next build finds them changed again
        print(f"[execute] failing notebook(s): {', '.join(failed)}", file=sys.stderr)
    record_file(book).write_text(json.dumps(record, indent=1))
    return 1 if failed else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("book", nargs="?", default=".", help="book root (with _config.yml)")
    parser.add_argument("--path-output", default=None, help="as for jupyter-book build")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes")
    args = parser.parse_args(argv)

    book = Path(args.book).resolve()
    path_output = Path(args.path_output).resolve() if args.path_output else book
    record_file(path_output).unlink(missing_ok=True)  # written again when every chapter is cached
    settings = load_settings(book, path_output)
    if settings["mode"] != "cache":
        print(f"[execute] execute_notebooks is {settings['mode']!r}, not 'cache': nothing to do")
        return 0

    cache_dir = settings["cache"]
    settings["prune"](settings["base"], cache_dir)
    settings["use_build_kernel"](settings["base"])
    cache = open_cache(cache_dir)
    notebooks = toc_notebooks(book, settings["exclude"])
    loosened = {
        path: found
        for path in notebooks
        if path.suffix == ".md" and (found := settings["overrides"](path.read_text(encoding="utf-8")))
    }
    for path, found in loosened.items():
        print(
            f"[execute] {os.path.relpath(path, book)}: the page sets its own execution setting "
            f"({', '.join(found)}): the book's execute: settings in _config.yml hold for every page; remove it",
            file=sys.stderr,
        )
    if loosened:
        return 1
    todo, hashkeys, read_as = [], {}, {}
    for path in notebooks:
        read_as[path] = _sha(path.read_bytes())  # before it is read for the cache (write_record)
        reader = IPYNB_READER if path.suffix == ".ipynb" else MYST_READER
        record = cache.add_nb_to_project(str(path), read_data=reader)
        cached = cache.get_cached_project_nb(record.pk)
        if cached is None:
            todo.append((record.pk, str(path)))
        else:
            hashkeys[path] = cached.hashkey
    print(
        f"[execute] {len(notebooks)} notebook(s), {len(notebooks) - len(todo)} cached, "
        f"{len(todo)} to execute with {min(args.jobs, max(len(todo), 1))} process(es); "
        f"cache {os.path.relpath(cache_dir)}",
        flush=True,
    )
    if not todo:
        if path_output == book:  # the build's own cache (not a throwaway one elsewhere)
            write_record(book, settings, hashkeys, read_as)
        return 0

    # Longest first (times of earlier runs), so that the last one to start is a short one.
    timings_file = settings["base"] / "timings.json"
    try:
        timings = json.loads(timings_file.read_text())
    except (OSError, ValueError):
        timings = {}
    key = lambda uri: os.path.relpath(uri, book)  # noqa: E731
    todo.sort(key=lambda job: -timings.get(key(job[1]), float("inf")))
    jobs = [
        (str(cache_dir), pk, uri, settings["timeout"], settings["allow_errors"], settings["in_temp"])
        for pk, uri in todo
    ]

    start = time.perf_counter()
    failed, seconds = [], 0.0
    processes = max(1, min(args.jobs, len(jobs)))
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        for result in pool.imap_unordered(_execute, jobs, chunksize=1):
            stored = _store(cache, result)
            rel = key(result["uri"])
            seconds += result["seconds"]
            report(rel, result)
            if result["ok"]:
                hashkeys[Path(result["uri"])] = stored.hashkey
                timings[rel] = round(result["seconds"], 2)
            else:
                failed.append(rel)
    timings_file.parent.mkdir(parents=True, exist_ok=True)
    timings_file.write_text(json.dumps(timings, indent=1, sort_keys=True))
    wall = time.perf_counter() - start
    print(
        f"[execute] {len(jobs) - len(failed)} executed, {len(failed)} failed; "
        f"wall {wall:.2f} s for {seconds:.2f} s of notebook execution",
        flush=True,
    )
    if failed:
        print(f"[execute] failing notebook(s): {', '.join(failed)}", file=sys.stderr)
        return 1
    if path_output == book:
        write_record(book, settings, hashkeys, read_as)
    return 0


if __name__ == "__main__":
    sys.exit(main())
