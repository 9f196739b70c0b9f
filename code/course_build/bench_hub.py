"""Capacity of a JupyterHub for a class: `make bench-hub`.

On a real JupyterHub on loopback (code/course_build/hub.py), with the site's own hub links followed in Debian's
chromium (one browser, one page per student):

1. which chapter is heaviest: one student per chapter runs it to the end (Run All Cells), and the
   memory of the student's processes (the single-user server and its kernel) is read;
2. for each class size (1, 5, 10, 20 by default) a fresh hub, and that many students following the
   heaviest chapter's link at once: the time from following the link to a notebook with an idle
   Python kernel, then each runs the chapter; the time it took and the student's memory after it.

Everything stays on this machine; each round is bounded by --timeout, and a student who has not
finished by then is counted as such (and named, with the stage reached). The results are printed
and written as JSON after every round (--json); --save also writes them where the instructors'
guide reads them (code/likelihood_course/hub_capacity.json), so that the guide's table and sizing
follow.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil

from course_build.book import CHAPTERS
from course_build.browser import CHROMIUM, CHROMIUM_ARGS
from course_build.hub import (
    ROOT,
    LocalHub,
    build_site,
    cell_state,
    hub_link,
    kernel_ready,
    log_in,
    run_finished,
    start_run_all,
)
from course_build.serving import free_port

SAVE = ROOT / "code" / "likelihood_course" / "hub_capacity.json"
MIB = 2**20


class Student:
    def __init__(self, browser, hub: LocalHub, name: str, link: str):
        self.hub, self.name, self.link = hub, name, hub.local_link(link)
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.stage, self.result = "start", {"student": name}

    def step(self) -> None:
        """One non-blocking step of the student's way: follow the link, log in, wait for the
        kernel, run every cell, read the memory."""
        page, now = self.page, time.monotonic()
        if self.stage == "start":
            self.t0 = now
            page.goto(self.link, wait_until="commit")
            self.stage = "login"
        elif self.stage == "login":
            if "/hub/login" in page.url and page.locator("#login_submit").count():
                log_in(page, self.name, self.hub.password)
                self.stage = "wait"
            elif f"/user/{self.name}/" in page.url:
                self.stage = "wait"
        elif self.stage == "wait" and kernel_ready(page):
            self.result["ready_s"] = now - self.t0
            start_run_all(page)
            self.t_run, self.stage = now, "running"
        elif self.stage == "running":
            state = cell_state(page)
            if run_finished(state):
                self.result.update(
                    run_s=now - self.t_run,
                    errors=state["errors"],
                    memory_mib=self.hub.user_memory(self.name) / MIB,
                )
                self.stage = "done"
                self.context.close()


def run_class(browser, hub: LocalHub, names_links: list[tuple[str, str]], timeout: float) -> list[dict]:
    """Students who follow their links at the same moment; the results of those who finished
    within `timeout` (a student still waiting then is reported with the stage reached)."""
    from playwright.sync_api import Error

    students = [Student(browser, hub, name, link) for name, link in names_links]
    deadline = time.monotonic() + timeout
    while any(s.stage != "done" for s in students):
        if time.monotonic() > deadline:
            for late in (s for s in students if s.stage != "done"):
                print(f"{late.name}: not done within {timeout:.0f} s (at stage {late.stage!r})")
            break
        for student in students:
            if student.stage != "done":
                try:
                    student.step()
                except Error:  # the page was navigating: try again on the next round
                    pass
        time.sleep(0.2)
    failed = [s.result for s in students if s.result.get("errors")]
    if failed:
        raise RuntimeError(f"a chapter failed on the hub: {failed}")
    return [s.result for s in students if s.stage == "done"]


def summary(values: list[float]) -> dict | None:
    return {"median": statistics.median(values), "worst": max(values)} if values else None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, nargs="+", default=[1, 5, 10, 20])
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per class (default 1800)")
    parser.add_argument("--json", type=Path, default=ROOT / "_build" / "bench-hub.json")
    parser.add_argument("--save", action="store_true", help=f"also write {SAVE.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    if max(args.students) > 50:
        parser.error("--students: at most 50 students at once on one machine")

    from playwright.sync_api import sync_playwright

    busy = os.getloadavg()[0] > 1  # other work on the machine (before the bench's own build loads it)
    base, port = Path(tempfile.mkdtemp(prefix="bench-hub-")), free_port()
    html = build_site(f"http://127.0.0.1:{port}", base / "site")
    links = {doc: hub_link(html, doc) for doc in CHAPTERS}
    results: dict = {
        "machine": {
            "cpus": os.cpu_count(),
            "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "platform": platform.platform(),
            "shared": busy,
        },
        "date": time.strftime("%Y-%m-%d"),
    }
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        with LocalHub(base / "chapters", port) as hub:
            per_chapter = {}
            for i, doc in enumerate(CHAPTERS):
                (one,) = run_class(browser, hub, [(f"chapter{i + 1}", links[doc])], args.timeout)
                per_chapter[doc] = one["memory_mib"]
                print(f"{doc}: {one['memory_mib']:.0f} MiB after running it ({one['run_s']:.0f} s)")
        heaviest = max(per_chapter, key=per_chapter.get)
        results.update(chapter_memory_mib=per_chapter, heaviest=heaviest, classes=[])
        for n in args.students:
            with LocalHub(base / f"class{n}", port) as hub:
                class_ = run_class(
                    browser, hub, [(f"c{n}s{k}", links[heaviest]) for k in range(n)], args.timeout
                )
            row = {
                "students": n,
                "finished": len(class_),
                **{key: summary([s[key] for s in class_]) for key in ("ready_s", "run_s", "memory_mib")},
            }
            results["classes"].append(row)
            print(f"{n:3d} students, {len(class_)} finished: {json.dumps(row)}")
            write(results, args.json, args.save)  # after every class: a later one may not finish
        browser.close()
    return 0


def write(results: dict, path: Path, save: bool) -> None:
    text = json.dumps(results, indent=2) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    if save:
        SAVE.write_text(text)
    print(f"written to {path}" + (f" and {SAVE}" if save else ""))


if __name__ == "__main__":
    sys.exit(main())
