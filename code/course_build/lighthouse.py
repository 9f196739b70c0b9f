"""Lighthouse (npm's lighthouse 12.2.3, run on Debian's chromium) on the built site, served gzipped
as GitHub Pages serves it: the four category scores, LCP, TBT and the bytes transferred of a page,
with the mobile preset (Lighthouse's default: a mid-range phone on a slow 4G, simulated) or the
desktop one. `python -m course_build.lighthouse` runs it on every chapter, both presets, and prints
the table that issue 23 asks for; `--runs 3` runs each three times and keeps the median run, as
Lighthouse advises: its simulation starts from what this (shared) machine did, and one run swings
by ten points. docs/lighthouse/ keeps the runs before and after the light pages, after the maths was
typeset at build time (built-maths.json), after the stylesheets became one (one-stylesheet.json),
and after that one lost the rules that match nothing on the site (unused-css.json).

Lighthouse 12's LCP-element and layout-shift audits crash against chromium 156 (their scores still
come out): they are diagnostics that weigh nothing in a score, and are
skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
from pathlib import Path

from course_build.book import CHAPTERS, ROOT
from course_build.browser import CHROMIUM
from course_build.serving import served, stop_group

CLI = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
SKIPPED = ("largest-contentful-paint-element", "layout-shifts")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-sync"


def run(url: str, preset: str = "mobile", timeout: float = 300, keep: Path | None = None) -> dict:
    """Lighthouse on `url` with `preset` ("mobile" or "desktop"): the four scores (0-100), LCP,
    TBT, FCP and Speed Index (ms), CLS, the bytes transferred, and the audits that failed. `keep`:
    where to copy the whole report."""
    if not CLI.is_file():
        raise FileNotFoundError(f"no Lighthouse at {CLI}: run `make setup` (npm ci, package.json)")
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        command = [
            "node",
            str(CLI),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--skip-audits={','.join(SKIPPED)}",
            f"--chrome-flags={CHROME_FLAGS}",
            *(["--preset=desktop"] if preset == "desktop" else []),
        ]
        env = {**os.environ, "CHROME_PATH": CHROMIUM, "TMPDIR": tmp}  # its chromium's profile too
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            output, _ = process.communicate(timeout=timeout)
        finally:
            stop_group(process, timeout=10)  # and the chromium it started, should one be left
        if process.returncode != 0:
            raise RuntimeError(f"lighthouse failed on {url}: {output.decode(errors='replace')[-2000:]}")
        if keep is not None:
            keep.write_bytes(report.read_bytes())
        result = json.loads(report.read_text(encoding="utf-8"))
    audits = result["audits"]
    return {
        **{name: round(100 * (result["categories"][name]["score"] or 0)) for name in CATEGORIES},
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "si_ms": round(audits["speed-index"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "bytes": round(audits["total-byte-weight"]["numericValue"]),
        "failed": sorted(
            name
            for name, audit in audits.items()
            if audit.get("score") is not None
            and audit["score"] < 1
            and audit.get("scoreDisplayMode") == "binary"
        ),
    }


def median_run(runs: list[dict]) -> dict:
    """The run whose performance score is the median of `runs` (the lower middle one of an even
    count), with every run's scores beside it: one run on a shared machine swings by 10 points."""
    ordered = sorted(runs, key=lambda r: r["performance"])
    return {**ordered[(len(ordered) - 1) // 2], "performance_runs": [r["performance"] for r in runs]}


def _perf(result: dict) -> str:
    runs = result.get("performance_runs", [])
    return (
        f"{result['performance']} ({', '.join(map(str, runs))})"
        if len(runs) > 1
        else str(result["performance"])
    )


def table(results: dict) -> str:
    lines = [
        "| page | preset | perf | a11y | best pr. | SEO | LCP (s) | TBT (ms) | CLS | KB gzipped |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for (doc, preset), r in results.items():
        lines.append(
            f"| {doc} | {preset} | {_perf(r)} | {r['accessibility']} | {r['best-practices']} | "
            f"{r['seo']} | {r['lcp_ms'] / 1000:.1f} | {r['tbt_ms']} | {r['cls']} | {r['bytes'] / 1024:.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--preset", choices=["mobile", "desktop"], action="append")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--reports", type=Path, help="a folder for the whole reports")
    parser.add_argument(
        "--runs",
        type=int,
        default=1,
        help="runs a page and preset, of which the median's is kept (Lighthouse's advice: 5)",
    )
    parser.add_argument("pages", nargs="*", default=CHAPTERS)
    arguments = parser.parse_args()
    if arguments.reports:
        arguments.reports.mkdir(parents=True, exist_ok=True)
    results = {}
    with served(arguments.html) as origin:
        for doc in arguments.pages:
            for preset in arguments.preset or ["mobile", "desktop"]:
                runs = []
                for number in range(1, arguments.runs + 1):
                    name = f"{Path(doc).name}-{preset}-{number}.json"
                    keep = arguments.reports / name if arguments.reports else None
                    runs.append(run(f"{origin}/{doc}.html", preset, keep=keep))
                results[doc, preset] = median_run(runs)
                print(doc, preset, results[doc, preset], flush=True)
    print(table(results))
    if arguments.json:
        arguments.json.write_text(
            json.dumps([{"page": d, "preset": p, **r} for (d, p), r in results.items()], indent=1)
        )


if __name__ == "__main__":
    main()
