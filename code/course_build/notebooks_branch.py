"""The branch that Colab opens the chapters from: the site's downloadable notebooks, as they are.

Colab opens a notebook only from a GitHub repository, at
``https://colab.research.google.com/github/<org>/<repo>/blob/<branch>/<path>.ipynb``. The chapters
are MyST Markdown in the repository; their notebooks (executed, with the cell that installs what a
Python lacks: code/course_build/ext/notebooks.py) exist only in the built site, as its downloads
``_sources/<page>.ipynb``. The publishing workflow therefore commits those downloads, byte for byte,
to the branch BRANCH, and every chapter's "Colab" launch button points there (code/course_build/ext/notebooks.py).

The branch's layout, one commit that replaces the last (the downloads of the site that is live):

    README.md                     what the branch is, and the commit it was built from
    book/01_probability.ipynb     the site's _sources/book/01_probability.ipynb
    ...                           one notebook per page that offers a .ipynb download

Usage: python -m course_build.notebooks_branch SITE OUT [--source-commit SHA]
assembles the branch from the built site SITE (_build/html, or the Pages artifact unpacked) into
the empty folder OUT and commits it there as branch BRANCH, ready for ``git push <url> HEAD``.
Standard library and git only: the workflow's publishing job runs it without the course's
environment.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

BRANCH = "notebooks"
COLAB = "https://colab.research.google.com"
BOT = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")

README = """\
# The course's notebooks, for Colab

This branch holds the chapters of the course as Jupyter notebooks, exactly as the course site
offers them for download: executed, with a first cell that installs what your Python lacks. Each
chapter's "Colab" launch button on the site opens one of them in Google Colab.

It is written by the publishing workflow (`.github/workflows/pages.yml`) each time the site is
published, as a single commit that replaces the previous one: do not edit it here. These notebooks
were built from commit {commit} of the course's sources (the chapters are the MyST Markdown files
under `book/` on the main branch).

{listing}
"""


def github_repository(url: str) -> tuple[str, str]:
    """(org, repo) of a GitHub repository URL, the only kind Colab opens notebooks from."""
    match = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+?)(\.git)?/?", url)
    if not match:
        raise ValueError(f"repository url must be https://github.com/<org>/<repo> for Colab, not {url!r}")
    return match[1], match[2]


def colab_url(repository_url: str, page: str, colab: str = COLAB) -> str:
    """The Colab address of a page's notebook (`page`: its name without suffix, 'book/01_probability')
    on BRANCH of the repository."""
    org, repo = github_repository(repository_url)
    return f"{colab.rstrip('/')}/github/{org}/{repo}/blob/{BRANCH}/{page}.ipynb"


def downloads(site: Path) -> dict[str, Path]:
    """The site's downloadable notebooks: {path in the branch: file}, e.g. 'book/01_probability.ipynb'."""
    sources = site / "_sources"
    if not sources.is_dir():
        raise ValueError(f"site must be a built site with a _sources folder: {site} has none")
    return {p.relative_to(sources).as_posix(): p for p in sorted(sources.rglob("*.ipynb"))}


def assemble(site: Path, out: Path, source_commit: str) -> list[str]:
    """Write the branch's files into `out` (which must be empty or absent); return their paths."""
    notebooks = downloads(site)
    if not notebooks:
        raise ValueError(f"site has no downloadable notebooks (no {site}/_sources/**/*.ipynb)")
    if out.exists() and any(out.iterdir()):
        raise ValueError(f"out must be an empty folder: {out} is not")
    for name, path in notebooks.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, out / name)
    listing = "\n".join(f"- `{name}`" for name in notebooks)
    (out / "README.md").write_text(README.format(commit=source_commit, listing=listing), encoding="utf-8")
    return ["README.md", *notebooks]


def commit(out: Path, source_commit: str, branch: str = BRANCH, what: str = "The site's notebooks") -> None:
    """Make `out` a git repository whose branch `branch` has one commit: the assembled files
    (`what`, built from `source_commit`)."""

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(out), *args], check=True, capture_output=True, text=True)

    git("init", "--quiet", "--initial-branch", branch)
    git("add", "--all")
    name, email = BOT
    message = f"{what}, built from {source_commit}"
    git("-c", f"user.name={name}", "-c", f"user.email={email}", "commit", "--quiet", "-m", message)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the built site (_build/html or the Pages artifact)")
    parser.add_argument("out", type=Path, help="an empty folder for the branch")
    parser.add_argument(
        "--source-commit", default="(not recorded)", help="the commit the site was built from"
    )
    args = parser.parse_args(argv)
    files = assemble(args.site, args.out, args.source_commit)
    commit(args.out, args.source_commit)
    print(f"{args.out}: branch {BRANCH}, {len(files) - 1} notebooks and README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
