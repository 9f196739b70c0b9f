"""Python in the reader's browser: the chapters' NumPy/SciPy cells can be edited and run on the page.

At build time this extension
- reads each notebook page's code cells (with myst-nb's own reader, so the ones the page hides or
  removes too) and decides, cell by cell in page order, whether the browser's Python (Pyodide with
  numpy, scipy, matplotlib and the helper package) can run it. A cell runs in Jupyter only when it
  imports anything else (TensorFlow, statsmodels), uses a part of the helper that needs it
  (`lc.tfsetup`, `lc.real_data`), or uses a name that a Jupyter-only cell defined;
- marks each rendered cell with its index in the notebook and that verdict (classes `lc-cell-N` and
  `lc-run`, or `lc-jupyter` and `lc-needs-<what>`), and writes the page's cells as JSON beside the site
  (`_static/python/pages/<page>.json`), fetched only when the reader starts Python;
- writes a wheel of the helper package, built from this checkout, to `_static/python/`: the browser
  installs it, so the chapters' own imports work unchanged;
- adds `_assets/run-cells.js` (the page's side) and `run-cells.css` to the pages with a runnable cell.

Nothing else happens on a page until the reader presses Run: then `_assets/python-worker.js` starts
Pyodide (`_vendor/pyodide/`, code/course_build/vendor_pyodide.py) in a Web Worker, so the page stays responsive.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import importlib.metadata
import io
import re
import sys
import zipfile
from pathlib import Path

from docutils import nodes
from myst_nb.core.read import read_myst_markdown_notebook
from sphinx.application import Sphinx

from likelihood_course.site_render import json_for_html

# What the browser's Python has, besides the standard library (code/course_build/vendor_pyodide.py's PACKAGES).
BROWSER_MODULES = {"numpy", "scipy", "matplotlib", "likelihood_course"}
# What a reader is told a cell needs, by the module it imports; anything else is named as imported.
NEEDS = {"tensorflow": "TensorFlow", "tensorflow_probability": "TensorFlow", "tf_keras": "TensorFlow",
         "keras": "TensorFlow", "statsmodels": "statsmodels", "pandas": "pandas"}  # fmt: skip
# Parts of the helper package that import more than the browser has, by attribute name.
HELPER_NEEDS = {"tfsetup": "TensorFlow", "real_data": "statsmodels"}
HELPER = "likelihood_course"
WHEEL_DATE = (2020, 1, 1, 0, 0, 0)  # a fixed date inside the wheel: the same bytes at every build


def _bound(node: ast.AST) -> set[str]:
    """Names that a statement binds (assignments, imports, definitions, loop and `with` targets)."""
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store | ast.Del):
            names.add(sub.id)
        elif isinstance(sub, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in sub.names)
        elif isinstance(sub, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(sub.name)
        elif isinstance(sub, ast.arg):
            names.add(sub.arg)
    return names


def _needs(tree: ast.AST) -> str | None:
    """What a statement imports or calls that the browser lacks, as a reader would name it."""
    for node in ast.walk(tree):
        modules = []
        if isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module + "." + a.name for a in node.names]
        elif isinstance(node, ast.Attribute) and node.attr in HELPER_NEEDS:
            return HELPER_NEEDS[node.attr]
        for module in modules:
            top, *rest = module.split(".")
            if top == HELPER and rest and rest[0] in HELPER_NEEDS:
                return HELPER_NEEDS[rest[0]]
            if top not in BROWSER_MODULES and top not in sys.stdlib_module_names:
                return NEEDS.get(top, top)
    return None


def classify(sources: list[str]) -> list[str | None]:
    """For each code cell in page order: None if the browser can run it, else what it needs.

    A statement also needs what a cell before it needed when it uses a name that cell bound (and no
    runnable cell bound again in between): the browser never ran that cell. A name keeps what the
    statement that bound it needed (`tf` TensorFlow, `sm` statsmodels), else what its cell needed.
    """
    tainted: dict[str, str] = {}  # name -> what the cell that bound it needed
    verdicts = []
    for source in sources:
        lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        try:
            tree = ast.parse("\n".join(lines))
        except SyntaxError:
            verdicts.append("IPython")
            continue
        local: dict[str, str | None] = {}  # names bound earlier in this cell -> what they need
        binds = []  # (names a statement binds, what that statement needs)
        for statement in tree.body:
            loads = {
                n.id for n in ast.walk(statement) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
            }
            used = loads - (_bound(statement) - _read_first(statement))
            need = _needs(statement) or next(
                (
                    local[n] if n in local else tainted.get(n)
                    for n in sorted(used)
                    if local.get(n, tainted.get(n))
                ),
                None,
            )
            binds.append((_bound(statement), need))
            local.update(dict.fromkeys(_bound(statement), need))
        cell_need = next((need for _, need in binds if need), None)
        for names, need in binds:
            for name in names:
                if need or cell_need:
                    tainted[name] = need or cell_need
                else:
                    tainted.pop(name, None)
        verdicts.append(cell_need)
    return verdicts


def _read_first(statement: ast.AST) -> set[str]:
    """Names a statement reads before it binds anything (`x = x + 1`, `for x in f(x)`), where it
    also binds names that its body then reads (`for x in xs: print(x)`)."""
    first = {
        ast.Assign: lambda s: [s.value],
        ast.AnnAssign: lambda s: [s.value] if s.value else [],
        ast.AugAssign: lambda s: [s.value, s.target],
        ast.For: lambda s: [s.iter],
        ast.With: lambda s: [item.context_expr for item in s.items],
    }.get(type(statement), lambda s: [])(statement)
    return {n.id for part in first for n in ast.walk(part) if isinstance(n, ast.Name)}


def _notebook_cells(app: Sphinx, docname: str) -> list[dict] | None:
    path = Path(app.env.doc2path(docname))
    if path.suffix != ".md":
        return None
    text = path.read_text(encoding="utf-8")
    if "kernelspec:" not in text.split("\n---", 1)[0]:
        return None  # a plain Markdown page, not a notebook
    notebook = read_myst_markdown_notebook(text)
    cells = [
        {"index": i, "source": cell.source, "tags": list(cell.metadata.get("tags", []))}
        for i, cell in enumerate(notebook.cells)
        if cell.cell_type == "code"
    ]
    for cell, need in zip(cells, classify([c["source"] for c in cells])):
        cell["needs"] = need
    return cells


def _read(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    cells = _notebook_cells(app, docname)
    if not cells or all(c["needs"] for c in cells):
        app.env.lc_python_cells.pop(docname, None)
        return
    by_index = {c["index"]: c for c in cells}
    for node in doctree.findall(nodes.container):
        if node.get("nb_element") == "cell_code" and node.get("cell_index") in by_index:
            cell = by_index[node["cell_index"]]
            node["classes"] += [f"lc-cell-{cell['index']}"] + (
                ["lc-jupyter", "lc-needs-" + re.sub(r"[^a-z0-9]+", "-", cell["needs"].lower())]
                if cell["needs"]
                else ["lc-run"]
            )
    app.env.lc_python_cells[docname] = cells


def _env_init(app: Sphinx, env, docnames) -> None:
    if not hasattr(env, "lc_python_cells"):
        env.lc_python_cells = {}


def _purge(app: Sphinx, env, docname: str) -> None:
    env.lc_python_cells.pop(docname, None)


def _merge(app: Sphinx, env, docnames, other) -> None:
    env.lc_python_cells.update({d: other.lc_python_cells[d] for d in docnames if d in other.lc_python_cells})


def helper_wheel(package_dir: Path) -> tuple[str, bytes]:
    """A wheel (file name, bytes) of the helper package, the same bytes for the same sources."""
    version = importlib.metadata.version("likelihood-course")
    name = f"{HELPER}-{version}-py3-none-any.whl"
    dist_info = f"{HELPER}-{version}.dist-info"
    files = {
        f"{HELPER}/{path.relative_to(package_dir).as_posix()}": path.read_bytes()
        for path in sorted(package_dir.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and path.suffix in {".py", ".json"}
    }
    files[f"{dist_info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: likelihood-course\nVersion: {version}\n".encode()
    )
    files[f"{dist_info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: inpage_python\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    record = [
        f"{path},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},{len(data)}"
        for path, data in files.items()
    ]
    files[f"{dist_info}/RECORD"] = ("\n".join([*record, f"{dist_info}/RECORD,,"]) + "\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            info = zipfile.ZipInfo(path, WHEEL_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return name, buffer.getvalue()


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.exists() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    cells = app.env.lc_python_cells.get(pagename) if doctree is not None else None
    if not cells or app.builder.format != "html":
        return
    payload = {"cells": [{"index": c["index"], "source": c["source"], "needs": c["needs"]} for c in cells]}
    _write_if_changed(
        Path(app.outdir) / "_static" / "python" / "pages" / f"{pagename}.json",
        json_for_html(payload).encode(),
    )
    app.add_css_file("run-cells.css")  # in html-page-context: for this page only
    app.add_js_file("run-cells.js", loading_method="defer")


def _write_wheel(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    import likelihood_course

    name, data = helper_wheel(Path(likelihood_course.__file__).parent)
    folder = Path(app.outdir) / "_static" / "python"
    _write_if_changed(folder / name, data)
    # what the worker loads: the wheel's name may change without any page being written again
    packages = sorted(BROWSER_MODULES - {HELPER})
    _write_if_changed(folder / "site.json", json_for_html({"wheel": name, "packages": packages}).encode())


def setup(app: Sphinx) -> dict:
    app.connect("env-before-read-docs", _env_init)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("doctree-read", _read)
    app.connect("html-page-context", _page)
    app.connect("build-finished", _write_wheel)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
