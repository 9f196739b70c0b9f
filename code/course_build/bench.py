"""Benchmark the book's build: cold, rebuilds, page weight and figure sizes (`make bench`).

Works on a snapshot of the book copied into a scratch directory (the working tree is never
touched). Each repetition does, from an empty build directory:

1. ``exec_sum``: every chapter executed alone, one after another (``python -m course_build.execute --jobs 1``,
   into a throwaway cache): the sum of the chapters' own execution times, uncontended;
2. ``cold``: `make html` (parallel pre-execution, then the strict ``jupyter-book build``) from
   nothing, run by make with this environment;
3. ``noop``: the same again with nothing changed (make finds nothing newer than the last build);
4. ``prose``: after adding a sentence to the prose of one chapter;
5. ``code``: after changing the code of that chapter (a new cell).

Then, on the same snapshot, the live preview (``make preview``, code/course_build/preview.py) with the chapter
open in Debian's chromium: the time from saving a prose edit to its text showing in the open page
(which reloads itself), ``--preview-edits`` times (median and worst; the course's goal is a median
within 2 s), and for one code edit (a new cell) the time to its output showing and the notebooks it
executed. The preview's start (its first build, into its own _build/preview) is timed too.

The medians over the repetitions are printed as a table and written as JSON, with the ratios
cold / exec_sum and noop / cold, the number of notebooks each build executed, the weight of every
page (its HTML plus its images; not the theme's shared assets or MathJax's fonts) and the size of every
figure, and the targets of the course (cold <= 0.7 x exec_sum, noop <= 5 % of cold, no page over
1 MB, no figure over 150 KB).

Both builds are measured in one run, side by side, each on its own snapshot: ``serial``, Jupyter
Book's default build (a plain ``jupyter-book build``, which executes the chapters one after another;
its exec_sum comes from the build's own "Executed notebook in" lines), the baseline; and
``parallel``, the course's `make html`. Their builds are interleaved: in each repetition both cold
builds, then each rebuild of one beside the same rebuild of the other, which of the two goes first
in turn (a shared machine's busy minutes fell on one mode when each ran its repetitions alone: the
code edit measured 0.82 x so, and 1.00 x alternated). The serial / parallel ratio of each step is
printed last.
``--mode parallel`` (or ``serial``) measures one alone.

Usage: python -m course_build.bench [--repeat 3] [--json _build/bench.json] [--mode serial parallel]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path

from course_build.book import NOT_THE_BOOK, ROOT
from course_build.build import FLAGS  # the strict build's flags
from course_build.serving import free_port, stop_group, wait_until_served

BIN = Path(sys.executable).parent
SNAPSHOT_SKIP = [*NOT_THE_BOOK, "__pycache__", ".ipynb_checkpoints"]
MB, KB = 1024 * 1024, 1024
TARGETS = {  # name: (limit, what)
    "cold_over_exec_sum": (0.7, "cold build / sum of chapter execution times"),
    "noop_over_cold": (0.05, "rebuild, nothing changed / cold build"),
    "largest_page_bytes": (1 * MB, "heaviest page, HTML + images + explorer data"),
    "largest_figure_bytes": (150 * KB, "largest figure"),
    "preview_prose_median": (2.0, "prose edit saved -> in the open page (s)"),
}


# --- the book -------------------------------------------------------------------------------


def doc_file(src: Path, doc: str) -> Path | None:
    for suffix in (".md", ".ipynb"):
        if (src / f"{doc}{suffix}").is_file():
            return src / f"{doc}{suffix}"
    return None


def snapshot(book: Path, dest: Path) -> list[str]:
    """Copy the book's sources to dest; its pages, in the order of _toc.yml (read by the parser the
    build uses, as code/course_build/execute.py and the tests read it)."""
    from sphinx_external_toc.parsing import parse_toc_yaml

    shutil.copytree(book, dest, ignore=shutil.ignore_patterns(*SNAPSHOT_SKIP), symlinks=True)
    return list(parse_toc_yaml(dest / "_toc.yml"))


# --- running builds -------------------------------------------------------------------------


def run(cmd, cwd: Path, logs: Path) -> tuple[float, str]:
    """Run `cmd`; its wall time and output, which is kept in the folder `logs` too."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    log = proc.stdout + proc.stderr
    logs.mkdir(parents=True, exist_ok=True)
    n = len(list(logs.iterdir())) + 1
    (logs / f"{n:02d}-{Path(str(cmd[1])).name}.log").write_text(
        f"$ {' '.join(map(str, cmd))}\n# {seconds:.2f} s, exit {proc.returncode}\n{log}"
    )
    if proc.returncode != 0:
        sys.exit(f"bench: command failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{log[-5000:]}")
    return seconds, log


# Not anchored at the start of a line: a kernel shares the executor's stdout and may leave a line
# unfinished.
EXECUTED_PRE = re.compile(r"\[execute\] (\S+?\.(?:md|ipynb)): executed in ([\d.]+) s")
EXECUTED_JB = re.compile(r"(\S+?\.(?:md|ipynb)): Executed notebook in ([\d.]+) seconds")


def executed(log: str, src: Path) -> dict[str, float]:
    """Notebooks executed in a build, from the logs of code/course_build/execute.py and of myst-nb."""
    found = {}
    for pattern in (EXECUTED_PRE, EXECUTED_JB):
        for path, seconds in pattern.findall(log):
            doc = re.sub(r"\.(md|ipynb)$", "", os.path.relpath(path, src) if os.path.isabs(path) else path)
            found[doc] = float(seconds)
    return found


class Book:
    def __init__(self, src: Path, out: Path, mode: str, logs: Path):
        self.src, self.out, self.mode, self.logs = src, out, mode, logs

    def build(self) -> tuple[float, dict]:
        """Wall time of the build (as `make html` runs it) and the notebooks it executed."""
        if self.mode == "parallel":  # `make html` itself, with this environment, which it must not
            # install into: the snapshot has no .venv/ or node_modules/ of its own, and their rules would
            # point this environment's editable packages at the snapshot (which is then deleted)
            installed = ["-o", "setup", "-o", ".venv/.installed", "-o", "node_modules/.installed"]
            seconds, log = run(
                ["make", "-C", self.src, *installed, f"BIN={BIN}", "html"], self.src, self.logs
            )
        else:
            seconds, log = run(
                [
                    BIN / "jupyter-book",
                    "build",
                    self.src,
                    "--path-output",
                    self.out,
                    "--builder",
                    "html",
                    *FLAGS,
                ],
                self.src,
                self.logs,
            )
        return seconds, executed(log, self.src)

    def exec_sum(self, scratch: Path) -> dict[str, float]:
        """Each notebook executed alone, one after another, into a throwaway cache."""
        shutil.rmtree(scratch, ignore_errors=True)
        _, log = run(
            [
                BIN / "python",
                "-m",
                "course_build.execute",
                self.src,
                "--path-output",
                scratch,
                "--jobs",
                "1",
            ],
            self.src,
            self.logs,
        )
        shutil.rmtree(scratch, ignore_errors=True)
        return executed(log, self.src)


# --- the live preview -----------------------------------------------------------------------


def preview(src: Path, doc: str, edit_file: Path, edits: int, logs: Path) -> dict:
    """`make preview` on the snapshot, `doc` open in chromium: seconds from saving an edit of
    `edit_file` to its text showing in the open page, which reloads itself."""
    from playwright.sync_api import sync_playwright

    from course_build.browser import CHROMIUM, CHROMIUM_ARGS

    port = free_port()
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / "preview.log"
    start = time.perf_counter()
    with open(log, "w") as out:
        server = subprocess.Popen(
            [BIN / "python", "-m", "course_build.preview", src, "--port", str(port)],
            cwd=src,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def shown(page, text: str, addition: str) -> float:
        """Append `addition` to the chapter; seconds until `text` shows in the open page."""
        with open(edit_file, "a", encoding="utf8") as source:
            source.write(addition)
        saved = time.perf_counter()
        page.get_by_text(text).first.wait_for(timeout=600_000)
        return time.perf_counter() - saved

    try:
        url = f"http://127.0.0.1:{port}/{doc}.html"
        if not wait_until_served(url, server, timeout=1800):
            sys.exit(f"bench: the preview served nothing at {url}; see {log}")
        started = time.perf_counter() - start
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page()
            page.goto(url)
            prose = []
            for _ in range(edits):
                nonce = uuid.uuid4().hex[:8]
                prose.append(shown(page, nonce, f"\nA sentence added by the benchmark ({nonce}).\n"))
                time.sleep(0.5)  # an author's next save
            before = len(log.read_text())
            nonce = uuid.uuid4().hex[:8]
            cell = f'\n```{{code-cell}} ipython3\nprint(f"code edit {{6 * 7}} {nonce}")\n```\n'
            code = shown(page, f"code edit 42 {nonce}", cell)  # the output, not the code
            ran = executed(log.read_text()[before:], src)
            browser.close()
    finally:
        stop_group(server, signal.SIGINT, timeout=30)  # as Ctrl-C stops `make preview`
    return {
        "start_seconds": round(started, 2),
        "prose_to_page_seconds": {
            "median": median(prose),
            "worst": max(prose, default=None),
            "runs": [round(x, 2) for x in prose],
        },
        "code_to_page_seconds": round(code, 2),
        "code_edit_executed": sorted(ran),
    }


# --- page weight ----------------------------------------------------------------------------


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.srcs = []

    def handle_starttag(self, tag, attrs):
        # a figure's dark twin (ext/theme_figures.py) is fetched instead of it, not as well
        if tag == "img" and "lc-dark" not in (dict(attrs).get("class") or "").split():
            src = dict(attrs).get("src") or ""
            if src and not src.startswith(("http:", "https:", "data:", "//")):
                self.srcs.append(src.split("#")[0].split("?")[0])


def weights(html_dir: Path, docs: list[str]) -> tuple[dict, dict]:
    """Bytes per page (HTML + its own images, not the shared _static assets), bytes per figure."""
    pages, figures = {}, {}
    for doc in docs:
        page = html_dir / f"{doc}.html"
        parser = _Images()
        parser.feed(page.read_text(encoding="utf8"))
        images = {(page.parent / s).resolve() for s in parser.srcs}
        images = {p for p in images if "_static" not in p.relative_to(html_dir.resolve()).parts}
        pages[doc] = page.stat().st_size + sum(p.stat().st_size for p in images if p.is_file())
        for p in images:
            if p.is_file():
                figures[p.relative_to(html_dir.resolve()).as_posix()] = p.stat().st_size
    return pages, figures


def interactive_assets(html_dir: Path) -> dict:
    """Bytes of the files that the pages with explorers or questions share (Observable Plot, D3,
    the course's scripts and CSS): each is downloaded once and then cached across pages."""
    from course_build.ext.interactive import EXPLORER_JS, QUESTION_JS

    files = [*EXPLORER_JS, *QUESTION_JS, "interactive.css"]
    return {name: (html_dir / "_static" / name).stat().st_size for name in files}


# --- main -----------------------------------------------------------------------------------


def median(values):
    return statistics.median(values) if values else None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--book", default=str(ROOT), help="book root (default: this repository)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions (median reported)")
    parser.add_argument("--json", default=None, help="output (default: BOOK/_build/bench.json)")
    parser.add_argument(
        "--mode",
        nargs="+",
        choices=["parallel", "serial"],
        default=["serial", "parallel"],
        help="builds to measure, side by side (default: both; serial is the baseline)",
    )
    parser.add_argument("--workdir", default=None, help="scratch directory (default: a temp dir)")
    parser.add_argument(
        "--edit-chapter", default=None, help="doc for the prose and code edits (default: the first chapter)"
    )
    parser.add_argument(
        "--preview-edits", type=int, default=10, help="prose edits timed in the live preview (0: none)"
    )
    args = parser.parse_args(argv)

    book = Path(args.book).resolve()
    out_json = Path(args.json) if args.json else book / "_build" / "bench.json"
    work = Path(args.workdir or tempfile.mkdtemp(prefix="bench-")).resolve()
    # The snapshots are no git checkouts: their builds name the commit they were copied from, through
    # the fallback that code/course_build/ext/notebooks.py's helper_commit reads (the downloads' install cell pins it).
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=book, capture_output=True, text=True)
    if head.returncode == 0:
        os.environ.setdefault("GITHUB_SHA", head.stdout.strip())
    results = measure(args, book, work)
    if {"serial", "parallel"} <= results.keys():
        serial, parallel = (results[m]["seconds"] for m in ("serial", "parallel"))
        results["serial_over_parallel"] = {
            step: serial[step]["median"] / parallel[step]["median"]
            for step in ("cold", "noop", "prose", "code")
        }
    out_json.parent.mkdir(parents=True, exist_ok=True)
    out_json.write_text(json.dumps(results, indent=1))
    for mode in dict.fromkeys(args.mode):
        print_table(results[mode])
    for step, ratio in results.get("serial_over_parallel", {}).items():
        print(f"{'serial / parallel, ' + step:<46} {ratio:>10.2f} x")
    print(f"bench: written to {out_json}")
    return 0


STEPS = ("noop", "prose", "code")  # the rebuilds after a cold build


class Measurement:
    """One mode's snapshot of the book (in `work`) and the times of its builds."""

    def __init__(self, args, mode: str, book: Path, work: Path):
        shutil.rmtree(work, ignore_errors=True)
        self.mode, self.work, self.src = mode, work, work / "src"
        self.out = self.src if mode == "parallel" else work / "out"  # `make html` builds into src/_build
        self.docs = snapshot(book, self.src)
        chapters = [d for d in self.docs if d != self.docs[0]]
        self.edit_doc = args.edit_chapter or chapters[0]
        self.edit_file = doc_file(self.src, self.edit_doc)
        self.original = self.edit_file.read_text(encoding="utf8")
        self.target = Book(self.src, self.out, mode, work / "logs")
        self.times = {k: [] for k in ("exec_sum", "cold", *STEPS)}
        self.counts = {k: [] for k in ("cold", *STEPS)}
        self.per_chapter = {}

    def cold(self) -> None:
        """A build from an empty build folder (and, for `make html`, each chapter executed alone)."""
        self.edit_file.write_text(self.original, encoding="utf8")
        shutil.rmtree(self.out / "_build", ignore_errors=True)
        if self.mode == "parallel":
            alone = self.target.exec_sum(self.work / "exec-sum")
            for doc, s in alone.items():
                self.per_chapter.setdefault(doc, []).append(s)
            self.times["exec_sum"].append(sum(alone.values()))
        seconds, ran = self.target.build()
        self.times["cold"].append(seconds)
        self.counts["cold"].append(len(ran))
        if self.mode == "serial":
            for doc, s in ran.items():
                self.per_chapter.setdefault(doc, []).append(s)
            self.times["exec_sum"].append(sum(ran.values()))

    def rebuild(self, step: str) -> None:
        """The build after `step`: nothing changed, a sentence added, a code cell added."""
        nonce = uuid.uuid4().hex[:8]
        if step == "prose":
            addition = f"\nA sentence added by the benchmark ({nonce}).\n"
        elif step == "code":
            addition = f"\n```{{code-cell}} ipython3\nbench_edit = {nonce!r}\n```\n"
        else:
            addition = ""
        if addition:
            self.edit_file.write_text(self.edit_file.read_text() + addition, encoding="utf8")
        seconds, ran = self.target.build()
        self.times[step].append(seconds)
        self.counts[step].append(len(ran))


def measure(args, book: Path, work: Path) -> dict:
    """Each mode's builds on its own snapshot of the book, interleaved: in each repetition both
    cold builds, then each rebuild of one mode beside the same rebuild of the other, the first of
    the two in turn, so that a shared machine's slow minutes do not fall on one mode alone."""
    modes = list(dict.fromkeys(args.mode))
    runs = {mode: Measurement(args, mode, book, work / mode) for mode in modes}
    docs = next(iter(runs.values())).docs
    print(
        f"bench: {' and '.join(modes)} builds of {len(docs)} pages in {work}, {args.repeat} "
        f"repetition(s), {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    )
    for i in range(args.repeat):
        for m in runs.values():
            m.cold()
        for j, step in enumerate(STEPS):
            for mode in modes if (i + j) % 2 == 0 else modes[::-1]:
                runs[mode].rebuild(step)
        for mode, m in runs.items():
            print(
                f"bench: {mode}, repetition {i + 1}: "
                + ", ".join(f"{k} {v[-1]:.1f} s" for k, v in m.times.items() if v),
                flush=True,
            )
    return {mode: results(args, m) for mode, m in runs.items()}


def results(args, m: Measurement) -> dict:
    """One mode's medians, ratios, the live preview (`make html`'s), page weights and targets."""
    m.edit_file.write_text(m.original, encoding="utf8")
    live = None
    if args.preview_edits and m.mode == "parallel":  # the preview shares `make html`'s cache
        live = preview(m.src, m.edit_doc, m.edit_file, args.preview_edits, m.work / "logs")
        m.edit_file.write_text(m.original, encoding="utf8")

    pages, figures = weights(m.out / "_build" / "html", m.docs)
    shared = interactive_assets(m.out / "_build" / "html")
    med = {k: median(v) for k, v in m.times.items()}
    found = {
        "mode": m.mode,
        "repeat": args.repeat,
        "cpus": os.cpu_count(),
        "load_average_end": os.getloadavg()[0],
        "pages_built": m.docs,
        "edited_chapter": m.edit_doc,
        "seconds": {k: {"median": med[k], "runs": [round(x, 2) for x in v]} for k, v in m.times.items()},
        "notebooks_executed": {k: {"median": median(v), "runs": v} for k, v in m.counts.items()},
        "chapter_exec_seconds": {d: median(v) for d, v in sorted(m.per_chapter.items())},
        "ratios": {
            "cold_over_exec_sum": med["cold"] / med["exec_sum"] if med["exec_sum"] else None,
            "noop_over_cold": med["noop"] / med["cold"],
            "prose_over_cold": med["prose"] / med["cold"],
            "code_over_cold": med["code"] / med["cold"],
        },
        "page_bytes": pages,
        "total_page_bytes": sum(pages.values()),
        "largest_page": max(pages, key=pages.get),
        "largest_page_bytes": max(pages.values()),
        "figure_bytes": dict(sorted(figures.items())),
        "largest_figure_bytes": max(figures.values(), default=0),
        "interactive_asset_bytes": shared,
        "preview": live,
    }
    values = {
        **found["ratios"],
        "largest_page_bytes": found["largest_page_bytes"],
        "largest_figure_bytes": found["largest_figure_bytes"],
        "preview_prose_median": live and live["prose_to_page_seconds"]["median"],
    }
    found["targets"] = {
        name: {
            "limit": limit,
            "value": values[name],
            "met": values[name] is not None and values[name] <= limit,
            "what": what,
        }
        for name, (limit, what) in TARGETS.items()
    }
    return found


def print_table(r: dict) -> None:
    s, n = r["seconds"], r["notebooks_executed"]
    print(
        f"\n{'measurement (' + r['mode'] + ', median of ' + str(r['repeat']) + ')':<46} {'value':>12}"
        f"  executed"
    )
    rows = [
        ("sum of chapter execution times", s["exec_sum"]["median"], None),
        ("cold build", s["cold"]["median"], n["cold"]["median"]),
        ("rebuild, nothing changed", s["noop"]["median"], n["noop"]["median"]),
        ("rebuild after a prose edit", s["prose"]["median"], n["prose"]["median"]),
        ("rebuild after a code edit (one chapter)", s["code"]["median"], n["code"]["median"]),
    ]
    for label, value, count in rows:
        print(f"{label:<46} {value:>10.1f} s  {'' if count is None else count}")
    live = r["preview"]
    if live:
        prose = live["prose_to_page_seconds"]
        print(f"{'preview: start (first build)':<46} {live['start_seconds']:>10.1f} s")
        print(
            f"{'preview: prose edit saved -> in the open page':<46} {prose['median']:>10.2f} s  "
            f"median of {len(prose['runs'])}, worst {prose['worst']:.2f} s"
        )
        print(
            f"{'preview: code edit saved -> output in the page':<46} {live['code_to_page_seconds']:>10.2f} s  "
            f"{len(live['code_edit_executed'])} executed: {', '.join(live['code_edit_executed'])}"
        )
    for t in r["targets"].values():
        value, small = t["value"], t["limit"] < 10  # ratios and seconds; the rest are bytes
        shown = "n/a" if value is None else (f"{value:.3f}" if small else f"{value / KB:.0f} KB")
        limit = f"{t['limit']}" if small else f"{t['limit'] / KB:.0f} KB"
        print(f"{t['what']:<46} {shown:>12}  target <= {limit}: {'met' if t['met'] else 'NOT MET'}")
    print(
        f"{'total page weight (' + str(len(r['page_bytes'])) + ' pages)':<46} "
        f"{r['total_page_bytes'] / KB:>9.0f} KB  heaviest: {r['largest_page']}"
    )
    shared = r["interactive_asset_bytes"]
    print(
        f"{'explorer and question assets, shared (once)':<46} {sum(shared.values()) / KB:>9.0f} KB  "
        + ", ".join(f"{name} {size / KB:.0f} KB" for name, size in shared.items())
    )
    for doc, secs in r["chapter_exec_seconds"].items():
        print(f"  {doc:<44} {secs:>10.1f} s alone")
    for doc, size in r["page_bytes"].items():
        print(f"  page {doc:<39} {size / KB:>9.0f} KB")
    for fig, size in r["figure_bytes"].items():
        print(f"  figure {fig:<37} {size / KB:>9.0f} KB")


if __name__ == "__main__":
    sys.exit(main())
