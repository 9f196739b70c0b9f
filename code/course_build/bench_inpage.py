"""Benchmark Python in the page (`make bench`): per chapter, from pressing Run to the first output.

The built site (`_build/html`) is served on loopback, gzipped as GitHub Pages serves it, and opened
in Debian's chromium. For each page with a cell that runs in the browser, in a fresh browser
profile (an empty cache):

- ``cold``: the page is opened and its first runnable cell's Run pressed; seconds until its output
  shows (Python starts, numpy, scipy and matplotlib load, the helper installs, the cell runs), and
  the bytes that came over the wire for it;
- ``warm``: the page is opened again in the same profile (the browser's cache holds Python) and Run
  pressed: seconds to the output;
- ``rerun``: the same cell run again (Python is running): seconds from the click to the new output.

Cold and warm starts are also split into their phases, as the worker times them: ``python`` (the
interpreter), ``packages`` (numpy, scipy, matplotlib), ``helper`` (the helper's wheel, and the imports
every chapter starts with).

The course's goals (reported, not asserted; this machine is shared and noisy): warm <= 3 s,
cold <= 15 s, rerun <= 0.2 s. Medians over ``--repeat`` runs are printed and written as JSON.

Usage: python -m course_build.bench_inpage [--repeat 1] [--json _build/bench_inpage.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from course_build.book import ROOT
from course_build.browser import CHROMIUM, CHROMIUM_ARGS
from course_build.serving import served

HTML = ROOT / "_build" / "html"
GOALS = {"cold": 15.0, "warm": 3.0, "rerun": 0.2}


def pages() -> list[str]:
    """The pages that have cells for the browser (code/course_build/ext/inpage_python.py writes their JSON)."""
    folder = HTML / "_static" / "python" / "pages"
    return sorted(p.relative_to(folder).with_suffix("").as_posix() for p in folder.rglob("*.json"))


def first_output(page, url: str) -> float:
    """Open `url`, press the first runnable cell's Run; seconds until its output shows."""
    page.goto(url)
    cell = page.locator("div.cell.lc-run:has(.cell_input)").first
    details = cell.locator("details")
    if details.count():
        details.locator("summary").first.click()
    started = time.perf_counter()
    cell.locator("button.lc-run-button").click()
    cell.locator(":scope > .lc-output > .lc-output-label").wait_for(timeout=600_000)
    return time.perf_counter() - started


def measure(browser, origin: str, doc: str) -> dict:
    context = browser.new_context()
    loaded = []
    context.on("requestfinished", lambda r: loaded.append(r.sizes()["responseBodySize"]))
    page = context.new_page()
    url = f"{origin}/{doc}.html"
    page.goto(url)
    before = len(loaded)
    cold = first_output(page, url)
    cold_bytes = sum(loaded[before:])
    phases = json.loads(page.evaluate("document.documentElement.dataset.pythonStart"))
    warm = first_output(page, url)
    warm_phases = json.loads(page.evaluate("document.documentElement.dataset.pythonStart"))
    cell = page.locator("div.cell.lc-run:has(.cell_input)").first
    cell.evaluate("c => c.querySelector(':scope > .lc-output').replaceChildren()")  # the new run's label
    started = time.perf_counter()
    cell.locator("button.lc-run-button").click()
    cell.locator(":scope > .lc-output > .lc-output-label").wait_for(timeout=60_000)
    rerun = time.perf_counter() - started
    context.close()
    return {
        "cold": cold,
        "warm": warm,
        "rerun": rerun,
        "cold_bytes": cold_bytes,
        **{f"cold {k}": v for k, v in phases.items()},
        **{f"warm {k}": v for k, v in warm_phases.items()},
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", default=str(ROOT / "_build" / "bench_inpage.json"))
    args = parser.parse_args(argv)
    if not (HTML / "index.html").is_file():
        sys.exit("bench_inpage: no built site: run `make html`")
    from playwright.sync_api import sync_playwright

    results = {}
    with served(HTML) as origin, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for doc in pages():
            runs = [measure(browser, origin, doc) for _ in range(args.repeat)]
            results[doc] = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
        browser.close()
    pyodide = sum(f.stat().st_size for f in (HTML / "_static" / "pyodide").rglob("*") if f.is_file())
    wheel = sum(f.stat().st_size for f in (HTML / "_static" / "python").glob("*.whl"))
    summary = {
        "pages": results,
        "goals_seconds": GOALS,
        "pyodide_bytes": pyodide,
        "helper_wheel_bytes": wheel,
    }
    Path(args.json).write_text(json.dumps(summary, indent=1) + "\n")
    print(f"\n{'Python in the page (median of ' + str(args.repeat) + ')':<32} {'cold':>8} {'warm':>8} "
          f"{'rerun':>8} {'cold MB':>8}")  # fmt: skip
    for doc, r in results.items():
        print(
            f"{doc:<32} {r['cold']:>7.2f}s {r['warm']:>7.2f}s {r['rerun']:>7.3f}s {r['cold_bytes'] / 1e6:>8.1f}"
        )
    for step in ("python", "packages", "helper"):
        print(f"  of which {step + ':':<10} cold " + ", ".join(f"{r['cold ' + step]:.1f}" for r in results.values())
              + " s; warm " + ", ".join(f"{r['warm ' + step]:.1f}" for r in results.values()) + " s")  # fmt: skip
    print(f"goals: cold <= {GOALS['cold']} s, warm <= {GOALS['warm']} s, rerun <= {GOALS['rerun']} s")
    print(f"served for it: Pyodide {served / 1e6:.1f} MB, the helper's wheel {wheel / 1e3:.0f} KB")
    print(f"bench_inpage: written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
