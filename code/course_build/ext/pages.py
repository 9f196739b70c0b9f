"""The built site's HTML pages, rewritten once the build has finished (build-finished) by the
extensions that finish them: course_pdf, icons, fast_pages and sphinx7_fixes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def rewrite(outdir: Path, transform: Callable[[str, Path], str]) -> None:
    """Every HTML page under `outdir` through `transform(text, page)`, written back only if it
    changed (an unchanged page keeps its modification time)."""
    for page in Path(outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        updated = transform(text, page)
        if updated != text:
            page.write_text(updated, encoding="utf-8")
