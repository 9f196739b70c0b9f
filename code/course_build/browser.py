"""Debian's chromium, as the browser tests, the benchmarks and the hub's rehearsal launch it: never
a downloaded browser (Playwright's own cannot be fetched here), and nothing that calls home."""

import os

CHROMIUM = os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
