"""Downloadable chapter notebooks that run anywhere (registered in _config.yml under
sphinx: local_extensions).

sphinx-book-theme offers every notebook page as a ``.ipynb`` download (the download button of the
page): it copies the notebook that myst-nb executed (``_build/jupyter_execute/<page>.ipynb``) to
``_build/html/_sources/<page>.ipynb`` (without outputs, where they came from the execution cache).
Run outside the course repository (Colab, a reader's own Jupyter), that notebook fails at its first
import: the helper package ``likelihood_course`` is not installed there, nor perhaps TensorFlow
Probability.

When the build has finished, this extension rewrites each downloadable notebook: the executed
notebook, with one code cell put first that installs what the chapter imports and the kernel
lacks, every package at the version this site was built with (the helper package's own
dependencies, from pyproject.toml, included; not the site's toolchain: the chapters take ``glue``
from the helper, which needs myst-nb only on the site). The helper package is installed from an
archive of the repository (``repository: url`` in ``_config.yml``) at the commit the site is built
from, and reinstalled where another copy of it was installed by pip. The cell shows pip's warnings
and, when it changed a package that was already installed or imported, says that the kernel must
be restarted. Where everything is in place (Binder, the course's own environment) it does nothing
and prints nothing. Nothing is fetched at build time; the ``.ipynb`` files are build products.
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

SETUP_CELL = """\
# Run this notebook anywhere (Colab, your own Jupyter): this cell installs what the chapter needs
# and your Python lacks, at the versions the course site was built with, and the course's helper
# package as it was at the commit the site was built from. Where all is in place it does nothing.
def _install(requirements, helper):
    import importlib, importlib.metadata as md, importlib.util, json, subprocess, sys

    def versions():
        return {d.metadata["Name"].lower(): d.version for d in md.distributions() if d.metadata["Name"]}

    def helper_is_current():
        module, dist, url = helper
        if importlib.util.find_spec(module) is None:
            return False
        try:
            direct = json.loads(md.distribution(dist).read_text("direct_url.json") or "{}")
        except md.PackageNotFoundError:
            return True  # importable but not installed: the course's own repository
        return bool(direct.get("dir_info", {}).get("editable")) or direct.get("url") == url

    def pip(*args):
        run = subprocess.run([sys.executable, "-m", "pip", "install", "--disable-pip-version-check",
                              *args], capture_output=True, text=True)
        if run.stderr.strip():
            print(run.stderr.strip())  # pip's warnings, which a silent install would hide
        if run.returncode != 0:
            raise RuntimeError("pip install failed:\\n" + run.stdout + run.stderr)

    missing = [req for module, req in requirements.items() if importlib.util.find_spec(module) is None]
    stale_helper = not helper_is_current()
    if not missing and not stale_helper:
        return
    before, loaded = versions(), set(sys.modules)
    helper_was_usable = importlib.util.find_spec(helper[0]) is not None
    if missing:
        print("Installing", ", ".join(missing), "...")
        pip(*missing)
    if stale_helper:
        print(f"Installing {helper[1]} @ {helper[2]} ...")
        pip("--force-reinstall", "--no-deps", f"{helper[1]} @ {helper[2]}")
    importlib.invalidate_caches()
    after = versions()
    changed = sorted(f"{name} {old} -> {after[name]}" for name, old in before.items()
                     if name in after and after[name] != old)
    if stale_helper and (helper_was_usable or helper[0] in loaded):
        changed.append(f"{helper[1]} (replaced by the copy the course was built from)")
    if changed:
        print("RESTART THE KERNEL NOW (Kernel > Restart), then run the notebook from the top: this "
              "cell changed packages that were already installed or imported: " + ", ".join(changed))


_install({requirements}, {helper})
del _install
"""


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


def _helper_package(srcdir: Path) -> tuple[str, str, list[str]] | None:
    """(distribution name, import name, dependencies) of the repository's own package."""
    pyproject = srcdir / "pyproject.toml"
    if not pyproject.is_file():
        return None
    project = tomllib.loads(pyproject.read_text())
    dist = project["project"]["name"]
    wheres = project.get("tool", {}).get("setuptools", {}).get("packages", {}).get("find", {})
    for where in wheres.get("where", ["."]):
        for init in sorted((srcdir / where).glob("*/__init__.py")):
            return dist, init.parent.name, project["project"].get("dependencies", [])
    return None


def built_commit(srcdir: Path) -> str | None:
    """The commit the site is built from: the checkout's HEAD (or, in a CI job whose checkout
    git cannot read, the commit the job runs for); None where neither is known."""
    import os
    import subprocess

    try:
        run = subprocess.run(["git", "rev-parse", "HEAD"], cwd=srcdir, capture_output=True, text=True)
        if run.returncode == 0:
            return run.stdout.strip()
    except OSError:
        pass
    return os.environ.get("GITHUB_SHA") or None


def _helper_url(app: Sphinx) -> str | None:
    """Where the helper package is installed from: an archive of the repository at the commit the
    site is built from (no git needed on the reader's machine; the commit pins every file)."""
    url = app.config.html_theme_options.get("repository_url", "").rstrip("/").removesuffix(".git")
    commit = built_commit(Path(app.srcdir))
    if not url or commit is None:
        LOGGER.warning(
            "the downloadable notebooks need _config.yml's repository: url and a git "
            "checkout, to install the helper package from the commit the site is built "
            f"from (repository: {url or 'missing'}, commit: {commit or 'none found'})",
            type="notebooks",
        )
        return None
    if url.startswith("https://github.com/"):
        return f"{url}/archive/{commit}.zip"
    return f"git+{url}.git@{commit}"


def notebook_imports(notebook: nbformat.NotebookNode) -> set[str]:
    """The top-level modules that a notebook's code cells import."""
    return set().union(*(_top_level_imports(c.source) for c in notebook.cells if c.cell_type == "code"))


def requirements_for(imports: set[str], package, providers: dict, docname: str) -> dict[str, str]:
    """Import name -> pip requirement, pinned to the version the site was built with, for every
    module a notebook imports (`imports`) and for the helper package's own dependencies
    (pyproject.toml; not the modules its site-only parts import): what the lesson needs, not the
    site's toolchain. `providers` is importlib.metadata.packages_distributions()."""
    modules = imports - set(sys.stdlib_module_names) - {"__future__"}
    dists = set()
    if package and package[1] in modules:  # the helper package: (distribution, module, dependencies)
        modules.discard(package[1])
        dists = {_canonical(re.split(r"[\s<>=!~;\[]", dep, maxsplit=1)[0]) for dep in package[2]}

    requirements = {}
    for module in sorted(modules):
        found = sorted({_canonical(d) for d in providers.get(module, [])})
        if len(found) != 1:
            LOGGER.warning(
                f"{docname}: cannot tell which package provides the module {module!r} "
                f"(found {found or 'none'}): the downloadable notebook could not install it",
                type="notebooks",
                location=docname,
            )
            continue
        requirements[module] = f"{found[0]}=={importlib.metadata.version(found[0])}"
    for dist in sorted(dists - {_canonical(r.split("==")[0]) for r in requirements.values()}):
        module = importlib.metadata.distribution(dist).read_text("top_level.txt") or dist
        requirements[module.split()[0]] = f"{dist}=={importlib.metadata.version(dist)}"
    return requirements


def setup_cell(requirements: dict[str, str], helper: tuple[str, str, str] | None) -> nbformat.NotebookNode:
    body = "\n".join(f"    {json.dumps(m)}: {json.dumps(r)}," for m, r in requirements.items())
    source = SETUP_CELL.replace("{requirements}", "{\n" + body + "\n}")
    cell = nbformat.v4.new_code_cell(
        source.replace("{helper}", json.dumps(list(helper)) if helper else "None")
    )
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
            LOGGER.warning(
                f"{path.name}: not in the execution cache, so its download has no outputs", type="notebooks"
            )
    return notebook


def write_downloads(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    executed = outdir.parent / "jupyter_execute"
    package, url = _helper_package(Path(app.srcdir)), _helper_url(app)
    providers = importlib.metadata.packages_distributions()
    for docname in sorted(app.env.found_docs):
        download = outdir / "_sources" / f"{docname}.ipynb"
        source = executed / f"{docname}.ipynb"
        if not download.is_file() or not source.is_file():
            continue  # not a notebook page: the theme offers no .ipynb for it
        notebook = executed_notebook(app, source)
        imports = notebook_imports(notebook)
        helper = (package[1], package[0], url) if package and package[1] in imports and url else None
        requirements = requirements_for(imports, package, providers, docname)
        notebook.cells.insert(0, setup_cell(requirements, helper))
        notebook.nbformat_minor = max(notebook.nbformat_minor, 5)  # cells carry ids
        notebook.metadata.pop("jupytext", None)  # a plain notebook now, not a paired text file
        notebook.metadata.pop("source_map", None)  # myst-nb's line numbers in the .md
        nbformat.validate(notebook)
        nbformat.write(notebook, download)


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", write_downloads)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
