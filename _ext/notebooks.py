"""Downloadable chapter notebooks that run anywhere (registered in _config.yml under
sphinx: local_extensions).

sphinx-book-theme offers every notebook page as a ``.ipynb`` download (the download button of the
page): it copies the notebook that myst-nb executed (``_build/jupyter_execute/<page>.ipynb``) to
``_build/html/_sources/<page>.ipynb`` (without outputs, where they came from the execution cache). Run outside the course repository (Colab, a reader's own
Jupyter), that notebook fails at its first import: the helper package ``likelihood_course`` is not
installed there, nor perhaps ``myst_nb`` (for ``glue``) or TensorFlow Probability.

When the build has finished, this extension rewrites each downloadable notebook: the executed
notebook, with one code cell put first that installs whatever the chapter imports and the kernel
lacks. The helper package comes from the repository and branch configured in ``_config.yml``
(``repository: url/branch``), every other package at the version this site was built with. Where
everything is installed (Binder, the course's own environment) the cell does nothing and prints
nothing. Nothing is fetched at build time; the ``.ipynb`` files are build products, never committed.
"""

import ast
import importlib.metadata
import json
import re
import sys
import tomllib
from pathlib import Path

import nbformat
from sphinx.application import Sphinx
from sphinx.util import logging

LOGGER = logging.getLogger(__name__)

SETUP_CELL_TAG = "install-missing-packages"

SETUP_CELL = '''\
# Run this notebook anywhere (Colab, your own Jupyter): this cell installs the packages the
# chapter needs that are missing, at the versions the course site was built with. Where they are
# all installed (Binder, the course's own environment) it does nothing.
def _install_missing(requirements):
    import importlib, importlib.util, subprocess, sys

    missing = [req for module, req in requirements.items() if importlib.util.find_spec(module) is None]
    if missing:
        print("Installing", ", ".join(missing), "...")
        pip = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *missing],
                             capture_output=True, text=True)
        if pip.returncode != 0:
            raise RuntimeError("pip install failed:\\n" + pip.stdout + pip.stderr)
        importlib.invalidate_caches()


_install_missing({requirements})
del _install_missing
'''


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _top_level_imports(source: str) -> set[str]:
    """Top-level module names that a piece of Python (possibly with IPython magics) imports."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return set()
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module.split(".")[0])
    return modules


def _helper_package(srcdir: Path) -> tuple[str, str, Path] | None:
    """(distribution name, import name, source folder) of the repository's own package."""
    pyproject = srcdir / "pyproject.toml"
    if not pyproject.is_file():
        return None
    project = tomllib.loads(pyproject.read_text())
    dist = project["project"]["name"]
    wheres = project.get("tool", {}).get("setuptools", {}).get("packages", {}).get("find", {})
    for where in wheres.get("where", ["."]):
        for init in sorted((srcdir / where).glob("*/__init__.py")):
            return dist, init.parent.name, init.parent
    return None


def _helper_requirement(app: Sphinx, dist: str) -> str:
    """A pip requirement that installs the helper package from the configured repository."""
    options = app.config.html_theme_options
    url = options.get("repository_url", "").rstrip("/")
    branch = options.get("repository_branch", "") or "main"
    if not url:
        raise ValueError("_config.yml has no repository: url to install the helper package from")
    if url.endswith(".git"):
        url = url[: -len(".git")]
    if url.startswith("https://github.com/"):
        # an archive needs no git on the reader's machine
        return f"{dist} @ {url}/archive/refs/heads/{branch}.zip"
    return f"{dist} @ git+{url}.git@{branch}"


def requirements_for(app: Sphinx, notebook: nbformat.NotebookNode, docname: str) -> dict[str, str]:
    """Import name -> pip requirement, for every non-standard module the notebook (and the helper
    package it uses) imports."""
    srcdir = Path(app.srcdir)
    helper = _helper_package(srcdir)
    modules = set()
    for cell in notebook.cells:
        if cell.cell_type == "code":
            modules |= _top_level_imports(cell.source)
    if helper and helper[1] in modules:
        for path in sorted(helper[2].rglob("*.py")):
            modules |= _top_level_imports(path.read_text(encoding="utf-8"))
    modules -= set(sys.stdlib_module_names)
    modules.discard("__future__")

    providers = importlib.metadata.packages_distributions()
    requirements = {}
    if helper and helper[1] in modules:
        modules.discard(helper[1])
        requirements[helper[1]] = _helper_requirement(app, helper[0])
    for module in sorted(modules):
        dists = sorted({_canonical(d) for d in providers.get(module, [])})
        if len(dists) != 1:
            LOGGER.warning(
                f"{docname}: cannot tell which package provides the module {module!r} "
                f"(found {dists or 'none'}): the downloadable notebook could not install it",
                type="notebooks",
                location=docname,
            )
            continue
        requirements[module] = f"{dists[0]}=={importlib.metadata.version(dists[0])}"
    return requirements


def setup_cell(requirements: dict[str, str]) -> nbformat.NotebookNode:
    body = "\n".join(f"    {json.dumps(m)}: {json.dumps(r)}," for m, r in requirements.items())
    cell = nbformat.v4.new_code_cell(SETUP_CELL.replace("{requirements}", "{\n" + body + "\n}"))
    cell.metadata["tags"] = [SETUP_CELL_TAG]
    return cell


def executed_notebook(app: Sphinx, path: Path) -> nbformat.NotebookNode:
    """The notebook that myst-nb wrote to ``jupyter_execute/``, with the outputs it rendered.

    When the outputs come from the execution cache, myst-nb renders the cached notebook but
    writes its own unexecuted copy; the outputs are merged back in here from the same cache.
    """
    notebook = nbformat.read(path, as_version=4)
    config = app.env.mystnb_config
    if config.execution_mode == "cache":
        from jupyter_cache import get_cache

        try:
            _, notebook = get_cache(config.execution_cache_path).merge_match_into_notebook(notebook)
        except KeyError:
            LOGGER.warning(f"{path.name}: not in the execution cache, so its download has no outputs",
                           type="notebooks")
    return notebook


def write_downloads(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    executed = outdir.parent / "jupyter_execute"
    for docname in sorted(app.env.found_docs):
        download = outdir / "_sources" / f"{docname}.ipynb"
        source = executed / f"{docname}.ipynb"
        if not download.is_file() or not source.is_file():
            continue  # not a notebook page: the theme offers no .ipynb for it
        notebook = executed_notebook(app, source)
        notebook.cells.insert(0, setup_cell(requirements_for(app, notebook, docname)))
        notebook.nbformat_minor = max(notebook.nbformat_minor, 5)  # cells carry ids
        notebook.metadata.pop("jupytext", None)  # a plain notebook now, not a paired text file
        notebook.metadata.pop("source_map", None)  # myst-nb's line numbers in the .md
        nbformat.validate(notebook)
        nbformat.write(notebook, download)


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", write_downloads)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
