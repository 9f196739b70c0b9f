"""Downloadable chapter notebooks that run anywhere (registered in _config.yml under
sphinx: extra_extensions).

sphinx-book-theme offers every notebook page as a ``.ipynb`` download (the download button of the
page): it copies the notebook that myst-nb executed (``_build/jupyter_execute/<page>.ipynb``) to
``_build/html/_sources/<page>.ipynb`` (without outputs, where they came from the execution cache).
Run outside the course repository (Colab, a reader's own Jupyter), that notebook fails at its first
import: the helper package ``likelihood_course`` is not installed there, nor perhaps TensorFlow
Probability.

When the build has finished, this extension rewrites each downloadable notebook: the executed
notebook, with one code cell put first that installs what the chapter imports and the kernel
lacks (the helper package's own dependencies, from pyproject.toml, included; not the site's
toolchain: the chapters take ``glue`` from the helper, which needs myst-nb only on the site). The
helper package is installed from an archive of the repository (``repository: url`` in
``_config.yml``) at the newest commit that changed it, and reinstalled where another copy of it
was installed by pip. A build from a tree whose helper has uncommitted changes says so, and its
downloads name no commit (the cell then asks for the helper to be installed from that tree).
Where everything is in place (Binder, the course's own environment) the cell does nothing and
prints nothing. Nothing is fetched at build time; the ``.ipynb`` files are build
products.

The cell leaves alone what is installed, such as Colab's own TensorFlow, NumPy, tf-keras and
TensorFlow Probability, which Colab installs as a matched set: pip runs with every installed
distribution held at its version (a constraints file). A missing package comes at the version this
site was built with where that fits the installed ones, else at the newest version that does (on a
Colab with TensorFlow 2.19, tf-keras 2.19 rather than the site's 2.18, which would pull TensorFlow
2.18 over Colab's). A package of the chapter that is installed but does not fit the others (`pip
check`: a tf-keras made for another TensorFlow) is installed again the same way. The cell shows
pip's warnings and, when it changed a package that was already installed or imported, says that
the kernel must be restarted. On a Python that the site's versions are not made for (by their
classifiers: TensorFlow 2.18.1 has no wheel for 3.13), it stops before pip runs, with a message
that names the Pythons that work and the ways out (Binder, Colab).

Every notebook page's Colab launch button (``launch_buttons: colab_url``) opens the page's download
as the publishing workflow commits it to the notebooks branch (code/course_build/notebooks_branch.py).
"""

import ast
import fnmatch
import functools
import importlib.metadata
import json
import re
import sys
import tomllib
from pathlib import Path

import nbformat
from sphinx.application import Sphinx
from sphinx.util import logging

from course_build.notebooks_branch import colab_url  # the branch's layout, one place
from course_build.upstream import written_for

LOGGER = logging.getLogger(__name__)

SETUP_CELL_TAG = "install-missing-packages"
BUILD_PYTHON = "{}.{}".format(*sys.version_info[:2])  # the Python this site is built with, e.g. '3.11'

SETUP_CELL = """\
# Run this notebook anywhere (Colab, your own Jupyter): this cell installs what the chapter needs
# and your Python lacks, and the course's helper package as it was at the commit the site was built
# from. It changes no package that is installed and fits the others (Colab's own TensorFlow, NumPy,
# ...): a missing package comes at the version the site was built with or, where that does not fit
# the installed ones, at the newest version that does. Where all is in place it does nothing.
def _install(requirements, helper, pythons, colab):
    import importlib, importlib.metadata as md, importlib.util, json, os, re, subprocess, sys, tempfile

    def canonical(name):
        return re.sub(r"[-_.]+", "-", name).lower()

    def versions():  # the first of a name on the path is the one that is imported
        found = {}
        for d in md.distributions():
            if d.metadata["Name"]:
                found.setdefault(canonical(d.metadata["Name"]), d.version)
        return found

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
        return subprocess.run([sys.executable, "-m", "pip", *args, "--disable-pip-version-check"],
                              capture_output=True, text=True)

    def install(reqs):
        # every installed distribution but the ones asked for stays at its version (a constraint)
        names = {canonical(re.split("[=<>]", r)[0]) for r in reqs if not r.startswith("-")}
        held = [f"{n}=={v}\\n" for n, v in versions().items()
                if n not in names and re.fullmatch(r"[0-9][0-9a-z.+!]*", v.lower())]
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as constraints:
            constraints.writelines(held)
        try:
            return pip("install", "--constraint", constraints.name, *reqs)
        finally:
            os.unlink(constraints.name)

    def conflict(run):
        return run.returncode != 0 and "ResolutionImpossible" in run.stderr

    def done(run):
        if run.stderr.strip():
            print(run.stderr.strip())  # pip's warnings, which a silent install would hide
        if run.returncode != 0:
            raise RuntimeError("pip install failed:\\n" + run.stdout + run.stderr)

    missing = [req for module, req in requirements.items() if importlib.util.find_spec(module) is None]
    # installed, but at odds with the other installed packages (a tf-keras for another TensorFlow)
    unfit_names = {canonical(line.split()[0]) for line in pip("check").stdout.splitlines()
                   if " has requirement " in line}
    unfit = [req for req in requirements.values()
             if canonical(req.split("==")[0]) in unfit_names and req not in missing]
    needed = missing + unfit
    no_commit = helper is not None and helper[2] is None  # built from uncommitted changes of it
    stale_helper = helper is not None and not no_commit and not helper_is_current()
    missing_helper = no_commit and importlib.util.find_spec(helper[0]) is None
    if not needed and not stale_helper and not missing_helper:
        return
    python = "%d.%d" % sys.version_info[:2]
    if any(python not in pythons[req] for req in needed):  # only what would be installed counts
        works = [p for p in pythons[needed[0]] if all(p in pythons[req] for req in needed)]
        raise RuntimeError(
            f"This is Python {python}: the packages this notebook lacks ({', '.join(needed)}, the "
            f"versions the course was built with) are made for Python {' and '.join(works)}, so "
            "nothing was installed. Run the notebook where one of these is: on Binder (the launch "
            "button at the top of the chapter's page on the course site)"
            + (f", on Colab ({colab}) while its Python is one of them" if colab else "")
            + f", or in a Python {' or '.join(works)} of your own.")
    if missing_helper:
        raise RuntimeError(
            f"This notebook was built from uncommitted changes of the course's {helper[1]}, which "
            "no commit holds, so it cannot install it: install it from the folder it was built in "
            "(pip install -e <that folder>), or download the notebook from the course site.")
    before, loaded = versions(), set(sys.modules)
    helper_was_usable = helper is not None and importlib.util.find_spec(helper[0]) is not None
    if needed:
        print("Installing", ", ".join(needed), "...")
        run = install(needed)
        if conflict(run):  # one of them does not fit the installed packages: one at a time
            for req in needed:
                run = install([req])
                if conflict(run):
                    name = req.split("==")[0]
                    print(f"{req} does not fit the packages installed here: installing the {name} "
                          "that does ...")
                    run = install(["--upgrade", name])
                done(run)
        else:
            done(run)
    if stale_helper:
        print(f"Installing {helper[1]} @ {helper[2]} ...")
        done(pip("install", "--force-reinstall", "--no-deps", f"{helper[1]} @ {helper[2]}"))
    importlib.invalidate_caches()
    after = versions()
    changed = sorted(f"{name} {old} -> {after[name]}" for name, old in before.items()
                     if name in after and after[name] != old)
    if stale_helper and (helper_was_usable or helper[0] in loaded):
        changed.append(f"{helper[1]} (replaced by the copy the course was built from)")
    if changed:
        print("RESTART THE KERNEL NOW (Kernel > Restart), then run the notebook from the top: this "
              "cell changed packages that were already installed or imported: " + ", ".join(changed))
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


def _module_file(package_dir: Path, dotted: str) -> Path | None:
    """The file of the helper's submodule `dotted` ('figures.losses'), a module or a package."""
    base = package_dir.joinpath(*dotted.split(".")) if dotted else package_dir
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imports_of(path: Path, module: str, top_level_only: bool) -> tuple[set[str], set[str]]:
    """(absolute top-level modules, helper submodules) that a helper module imports: at its top
    level only (what `import` runs), or anywhere in it (what its functions import when called)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    nodes = tree.body if top_level_only or path.name == "__init__.py" else list(_required(tree))
    external, internal = set(), set()
    for node in nodes:
        if isinstance(node, ast.Import):
            external.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            external.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            parent = (
                ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]) if package else ""
            )
            base = ".".join(p for p in (parent, node.module or "") if p)
            internal.add(base)
            internal.update(".".join(p for p in (base, alias.name) if p) for alias in node.names)
    return external, internal


def _required(tree: ast.AST):
    """The nodes of a module, less the imports it can do without (`try: ... except ImportError`)."""
    for node in ast.iter_child_nodes(tree):
        optional = isinstance(node, ast.Try) and any(
            isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError")
            for h in node.handlers
        )
        if not optional:
            yield node
            yield from _required(node)


def helper_imports(package_dir: Path, used: set[str]) -> set[str]:
    """The top-level modules that the helper package imports for a notebook: everything that
    `import <helper>` imports, and everything that the helper's submodules the notebook uses
    (`used`: 'tfsetup', 'figures') import, in their functions too (`lc.tfsetup.load()` imports
    TensorFlow, TensorFlow Probability and tf_keras; of a subpackage, what its import runs), less
    the imports they can do without (`try: import myst_nb except ImportError`). Followed through the
    helper's own imports."""
    found, seen = set(), set()
    todo = [("", True)] + [(module, False) for module in used]
    while todo:
        module, top_level_only = todo.pop()
        path = _module_file(package_dir, module)
        if path is None or (module, top_level_only) in seen:
            continue
        seen.add((module, top_level_only))
        external, internal = _imports_of(path, module, top_level_only)
        found |= external
        todo += [(sub, top_level_only or path.name == "__init__.py") for sub in internal]
    return found - {package_dir.name}


def helper_modules_used(source: str, helper: str) -> set[str]:
    """The helper's submodules that a piece of code names: `lc.tfsetup`, `from helper import
    figures`, `import helper.real_data`, `from helper.glue import glue`."""
    try:
        lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return set()
    aliases, used = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == helper:
                    aliases.add(alias.asname or helper)
                elif alias.name.startswith(helper + "."):
                    used.add(alias.name[len(helper) + 1 :])
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == helper:
                used.update(alias.name for alias in node.names)
            elif node.module.startswith(helper + "."):
                used.add(node.module[len(helper) + 1 :])
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            used.add(node.attr)
    return used


def _helper_package(srcdir: Path) -> tuple[str, str, list[str], Path] | None:
    """(distribution name, import name, dependencies, folder) of the repository's own package."""
    pyproject = srcdir / "pyproject.toml"
    if not pyproject.is_file():
        return None
    project = tomllib.loads(pyproject.read_text())
    dist = project["project"]["name"]
    find = project.get("tool", {}).get("setuptools", {}).get("packages", {}).get("find", {})
    for where in find.get("where", ["."]):
        for init in sorted((srcdir / where).glob("*/__init__.py")):
            name = init.parent.name  # what the project installs (find's include), not code/course_build
            if any(fnmatch.fnmatchcase(name, pattern) for pattern in find.get("include", ["*"])):
                return dist, name, project["project"].get("dependencies", []), init.parent
    return None


def _git(srcdir: Path, *args: str) -> str | None:
    import subprocess

    try:
        run = subprocess.run(["git", *args], cwd=srcdir, capture_output=True, text=True)
    except OSError:
        return None
    return run.stdout if run.returncode == 0 else None


def helper_commit(srcdir: Path, package_dir: Path) -> str | None:
    """The newest commit that changed the helper (its package folder or pyproject.toml): its
    archive holds the code the site is built with, and the downloads change only when the helper
    does. In a CI job whose checkout git cannot read, the commit the job runs for; else None."""
    import os

    found = (_git(srcdir, "log", "-1", "--format=%H", "--", str(package_dir), "pyproject.toml") or "").strip()
    return found or os.environ.get("GITHUB_SHA") or None


def uncommitted_helper_files(srcdir: Path, package_dir: Path) -> list[str]:
    """The helper's files that differ from the checkout's HEAD or that git does not track: what an
    archive of a commit would not hold."""
    status = _git(
        srcdir, "status", "--porcelain", "--untracked-files=all", "--", str(package_dir), "pyproject.toml"
    )
    return [line[3:] for line in (status or "").splitlines()]


def _helper_url(app: Sphinx, package_dir: Path) -> str | None:
    """Where the helper package is installed from: an archive of the repository at the newest
    commit that changed it (no git needed on the reader's machine; the commit pins every file). None,
    said in one line, where the helper has uncommitted changes: no commit holds that code."""
    url = app.config.html_theme_options.get("repository_url", "").rstrip("/").removesuffix(".git")
    commit = helper_commit(Path(app.srcdir), package_dir)
    if not url or commit is None:
        LOGGER.warning(
            "the downloadable notebooks need _config.yml's repository: url and a git "
            "checkout, to install the helper package from a commit that holds it "
            f"(repository: {url or 'missing'}, commit: {commit or 'none found'})",
            type="notebooks",
        )
        return None
    changed = uncommitted_helper_files(Path(app.srcdir), package_dir)
    if changed:
        LOGGER.info(
            f"the helper package has uncommitted changes ({', '.join(changed[:3])}"
            f"{', ...' if len(changed) > 3 else ''}): no commit holds the code this site was built "
            "with, so the downloads name none and cannot install the helper; commit, then build again"
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
    if package and package[1] in modules:  # the helper: (distribution, module, dependencies, folder)
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
        requirements[module] = f"{found[0]}=={_distribution(found[0]).version}"
    for dist in sorted(dists - {_canonical(r.split("==")[0]) for r in requirements.values()}):
        module = _distribution(dist).read_text("top_level.txt") or dist
        requirements[module.split()[0]] = f"{dist}=={_distribution(dist).version}"
    return requirements


# Releases that declare a Python they fail on: (distribution, first fixed release, first Python it
# fails on, the upstream issue). tf-keras up to 2.18 seeds with random.randint(1, 1e9), a float,
# which Python 3.12 refuses (TypeError at the first seeded layer; keras-team/tf-keras#803; 2.19
# passes int(1e9): checked in the wheels of 2.17.0, 2.18.0 and 2.19.0).
FAILS_ON = [("tf-keras", "2.19", "3.12", "keras-team/tf-keras#803")]


def supported_pythons(requirements: dict[str, str]) -> dict[str, list[str]]:
    """Each pinned package -> the Pythons ('3.11') it is made for, among those that any of them
    names and the build's: its trove classifiers (Programming Language :: Python :: 3.X; a release
    lists the Pythons it has wheels for, as TensorFlow 2.18.1 lists 3.9 to 3.12) and its
    Requires-Python, less those FAILS_ON names. A package without such classifiers narrows nothing
    but by its Requires-Python."""
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    declared = {}
    for requirement in requirements.values():
        metadata = _distribution(requirement.split("==")[0]).metadata
        listed = {
            c.rsplit("::", 1)[1].strip()
            for c in metadata.get_all("Classifier") or []
            if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
        }
        spec = SpecifierSet(metadata.get("Requires-Python") or "")
        for dist, fixed, python, _ in FAILS_ON:
            if _canonical(metadata["Name"]) == dist and Version(metadata["Version"]) < Version(fixed):
                spec &= SpecifierSet(f"<{python}")
        declared[requirement] = (listed, spec)
    known = set().union(*(listed for listed, _ in declared.values()), {BUILD_PYTHON})
    known = sorted(known, key=lambda p: tuple(map(int, p.split("."))))
    return {
        requirement: [p for p in known if (p in listed or not listed) and f"{p}.0" in spec]
        for requirement, (listed, spec) in declared.items()
    }


def setup_cell(
    requirements: dict[str, str],
    helper: tuple[str, str, str | None] | None,
    pythons: dict[str, list[str]],
    colab: str | None,
) -> nbformat.NotebookNode:
    """The first cell of a download: SETUP_CELL's function, called with what this notebook needs."""

    def table(entries: dict) -> str:  # one entry a line
        rows = "".join(f"        {json.dumps(k)}: {json.dumps(v)},\n" for k, v in entries.items())
        return "{\n" + rows + "    }"

    # [module, distribution, url]; no url (None) where the helper had uncommitted changes
    helper_arg = (
        "[" + ", ".join("None" if v is None else json.dumps(v) for v in helper) + "]" if helper else "None"
    )
    colab_arg = json.dumps(colab) if colab else "None"
    call = (
        f"_install(\n    {table(requirements)},\n    {helper_arg},\n    {table(pythons)},\n"
        f"    {colab_arg},\n)\ndel _install\n"
    )
    cell = nbformat.v4.new_code_cell(SETUP_CELL + "\n\n" + call)
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


def drop_build_figures(notebook: nbformat.NotebookNode) -> None:
    """Remove each figure's PDF and SVG, which only the build's kernel emits, for the PDF book and
    the site (``execution_deps.FIGURE_FORMATS``): a reader's kernel emits the PNG alone, as the
    download then holds."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            for mime in ("application/pdf", "image/svg+xml"):
                output.get("data", {}).pop(mime, None)
                output.get("metadata", {}).pop(mime, None)


@functools.cache
def _distribution(name: str) -> importlib.metadata.Distribution:
    """importlib.metadata.distribution(name), found once per process: each search reads sys.path."""
    return importlib.metadata.distribution(name)


@functools.cache
def _providers() -> dict:
    """importlib.metadata.packages_distributions(): 2 s, once per process (`make preview` builds
    many times in one)."""
    return importlib.metadata.packages_distributions()


def _copied_by_theme(download: Path) -> bool:
    """Whether the theme has just copied this page's notebook (it does so for each page it writes,
    sphinx_book_theme/header_buttons/launch.py): it has no setup cell yet. A page that this build
    did not write keeps the download written before, so a prose edit rewrites one, not all."""
    return download.is_file() and SETUP_CELL_TAG.encode() not in download.read_bytes()


def write_downloads(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    executed = outdir.parent / "jupyter_execute"
    package = _helper_package(Path(app.srcdir))
    url = getattr(app.env, "lc_helper_urls", {}).get(app.builder.name)
    for docname in sorted(app.env.found_docs):
        download = outdir / "_sources" / f"{docname}.ipynb"
        source = executed / f"{docname}.ipynb"
        if not source.is_file() or not _copied_by_theme(download):
            continue  # not a notebook page (the theme offers no .ipynb), or not written again
        notebook = executed_notebook(app, source)
        drop_build_figures(notebook)
        imports = notebook_imports(notebook)
        helper = (package[1], package[0], url) if package and package[1] in imports else None
        if package and package[1] in imports:  # and what the helper imports for this chapter
            code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
            imports = imports | helper_imports(package[3], helper_modules_used(code, package[1]))
        requirements = requirements_for(imports, package, _providers(), docname)
        pythons = supported_pythons(requirements)
        refused = sorted(r for r, made_for in pythons.items() if BUILD_PYTHON not in made_for)
        if refused:
            LOGGER.warning(
                f"{docname}: packages it needs are not made for this build's Python "
                f"{BUILD_PYTHON}, by their classifiers: {', '.join(refused)}",
                type="notebooks",
                location=docname,
            )
        colab = _colab_url(app, docname)
        notebook.cells.insert(0, setup_cell(requirements, helper, pythons, colab))
        notebook.nbformat_minor = max(notebook.nbformat_minor, 5)  # cells carry ids
        for number, cell in enumerate(notebook.cells):  # the same at every build (not random)
            cell.id = f"cell-{number}"
        notebook.metadata.pop("jupytext", None)  # a plain notebook now, not a paired text file
        notebook.metadata.pop("source_map", None)  # myst-nb's line numbers in the .md
        nbformat.validate(notebook)
        nbformat.write(notebook, download)


def _colab_url(app: Sphinx, docname: str) -> str | None:
    """Where Colab opens this page's notebook (None where no Colab button is configured)."""
    options = app.config.html_theme_options
    colab = options.get("launch_buttons", {}).get("colab_url")
    return colab_url(options.get("repository_url", ""), docname, colab) if colab else None


def colab_button(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Point the theme's Colab launch button at the page's notebook on the notebooks branch.

    sphinx-book-theme 1.3.0 builds it as <colab_url>/github/<org>/<repo>/blob/<branch>/<page>.md:
    the chapter's MyST Markdown on the main branch, which Colab cannot open (it reads notebooks
    only; jupyter-book/jupyter-book#752, open). Runs after the theme's launch buttons (priority 501).
    """
    for group in context.get("header_buttons", []):
        if group.get("label") == "launch-buttons":
            for button in group.get("buttons", []):
                if button.get("text") == "Colab":
                    button["url"] = _colab_url(app, pagename)


def reread_when_the_helper_url_changes(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Where the downloads install the helper from, found once a build. A download is written with
    its page: when the helper's commit changes (or its uncommitted changes are committed), every
    page is read and written again, so that no download names an old commit, or none. Kept per
    builder: the PDF's builder shares the environment and writes no downloads."""
    if app.builder.format != "html":
        return []
    package = _helper_package(Path(app.srcdir))
    url = _helper_url(app, package[3]) if package else None
    urls = env.__dict__.setdefault("lc_helper_urls", {})
    known, before = app.builder.name in urls, urls.get(app.builder.name)
    urls[app.builder.name] = url
    return [] if known and before == url else sorted(env.found_docs)


def setup(app: Sphinx) -> dict:
    written_for("sphinx-book-theme", "1.3.0", "notebooks.colab_button (jupyter-book/jupyter-book#752)")
    app.connect("env-get-outdated", reread_when_the_helper_url_changes)
    app.connect("html-page-context", colab_button, priority=502)
    app.connect("build-finished", write_downloads)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
