"""Python in the page (code/course_build/ext/inpage_python.py, _assets/run-cells.js, _assets/python-worker.js).

The classification of cells (which run in the browser's Python, which need Jupyter) against
hand-made cases; the Pyodide files the site serves against npm's lock; the helper's wheel against the
checkout. Then in Debian's chromium, as a reader does it: press Run on a chapter's last cell, and
every runnable cell above it runs in page order; each output is held against the build's executed
output (the text to the last printed digit, the same number of figures). A cell is edited with the
keyboard and run with Shift+Enter. Nothing is requested from another host, nothing is loaded before
the reader asks, and the page logs no error (a CSP violation is a console error). Times are written to
_build/inpage_python.json (reported, not asserted; `make bench` measures them on a cold and a warm
cache).
"""

import hashlib
import json
import re
import time
import zipfile

import numpy as np
import pytest
from practice_answers import ANSWERS, CHAPTERS, check_line, learner_function

from conftest import BUILD, HTML, PHONE, ROOT, collect_errors, inject_axe
from likelihood_course import practice

CORE = ["book/01_probability", "book/02_likelihood", "book/03_mle", "book/04_nll"]
NPM_LOCK = ROOT / "node_modules" / "pyodide" / "pyodide-lock.json"
SERVED = HTML / "_static" / "pyodide"
TIMES = BUILD / "inpage_python.json"
# Visible cells of chapters 1-4 that use no TensorFlow name themselves and still need it: they draw
# what a TensorFlow cell computed (the path of chapter 3's gradient descent on the Normal).
USES_A_TENSORFLOW_RESULT = {"book/03_mle": 1}
TF_NAME = re.compile(r"\b(tf|tfd|tfp|tf_keras|tensorflow|tfsetup)\b")


def _extension():
    from course_build.ext import inpage_python

    return inpage_python


# --------------------------------------------------------------------------------------------------
# Which cells run in the browser


@pytest.mark.unit
def test_cells_that_need_more_than_the_browser_has_are_found():
    classify = _extension().classify
    cells = [
        "import numpy as np\nfrom scipy import stats\nimport likelihood_course as lc",  # runs
        "import pandas as pd\nimport tensorflow_probability as tfp\ntfd = tfp.distributions\nk = 3",
        "x = np.ones(3)\nd = tfd.Normal(0.0, 1.0)",  # uses tfd: TensorFlow
        "print(x)",  # x came from a cell the browser never ran
        "x = np.zeros(2)\nprint(x)",  # bound again here first: runs
        "print(x, k)",  # k: bound in a cell that needed pandas
        "for d in range(3):\n    print(d)",  # the loop binds d before its body reads it
        "e = d + 1",  # d is the loop's again
        "lc.tfsetup.load()",
        "from likelihood_course import real_data",
        "x = x + 1",  # reads the runnable x
        "%matplotlib inline\nprint(1)",  # a magic line alone does not stop a cell
        "print(pd.DataFrame)",
    ]
    assert classify(cells) == [
        None, "pandas", "TensorFlow", "TensorFlow", None, "pandas", None, None,
        "TensorFlow", "statsmodels", None, None, "pandas",
    ]  # fmt: skip


def _payload(doc):
    path = HTML / "_static" / "python" / "pages" / f"{doc}.json"
    assert path.is_file(), f"{doc} has no cells for the browser: {path}"
    return json.loads(path.read_text())["cells"]


@pytest.mark.site
@pytest.mark.parametrize("doc", CORE)
def test_every_numpy_cell_of_the_core_chapters_runs_in_the_page(doc):
    from conftest import built_page

    cells = _payload(doc)
    html = built_page(doc)
    shown = {
        int(re.search(r"lc-cell-(\d+)", " ".join(div["class"])).group(1))
        for div in html.select("div.cell")
        if div.select_one(".cell_input") and any(c.startswith("lc-cell-") for c in div["class"])
    }
    tensorflow_free = [c for c in cells if c["index"] in shown and not TF_NAME.search(c["source"])]
    held_back = [c["index"] for c in tensorflow_free if c["needs"]]
    assert len(held_back) == USES_A_TENSORFLOW_RESULT.get(doc, 0), held_back
    for c in cells:
        if TF_NAME.search(c["source"]):
            assert c["needs"] == "TensorFlow", c["source"][:80]
    # the rendered cells carry the same verdicts
    for div in html.select("div.cell"):
        index = next((int(c[8:]) for c in div["class"] if c.startswith("lc-cell-")), None)
        if index is not None:
            entry = next(c for c in cells if c["index"] == index)
            assert ("lc-run" in div["class"]) == (entry["needs"] is None)


@pytest.mark.site
def test_pages_with_nothing_to_run_load_nothing_for_it():
    from conftest import built_page

    for doc in ["book/intro", "book/glossary", "book/references"]:
        html = built_page(doc)
        assert not html.select('script[src*="run-cells"]'), doc


# --------------------------------------------------------------------------------------------------
# What the site serves


@pytest.mark.site
def test_every_pyodide_file_served_is_the_one_npms_lock_names():
    npm = json.loads(NPM_LOCK.read_text())["packages"]
    served = json.loads((SERVED / "pyodide-lock.json").read_text())["packages"]
    assert {"numpy", "scipy", "matplotlib"} <= set(served)
    for name, entry in served.items():
        assert entry == npm[name], name  # the served lock is npm's, cut to what the site has
        for dependency in entry["depends"]:
            assert dependency in served, f"{name} needs {dependency}, which the site lacks"
        data = (SERVED / entry["file_name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == npm[name]["sha256"], entry["file_name"]
    packages = {entry["file_name"] for entry in served.values()}
    core = {"pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"}
    for path in SERVED.iterdir():
        if path.is_file():
            assert path.name in packages | core, f"served but not in the lock: {path.name}"
            if path.name in core - {"pyodide-lock.json"}:
                assert path.read_bytes() == (NPM_LOCK.parent / path.name).read_bytes(), path.name
    assert (SERVED / "licenses" / "scipy").is_dir() and (SERVED / "licenses" / "README").is_file()


@pytest.mark.unit
def test_set_up_refuses_a_package_file_that_is_not_the_one_the_lock_names(tmp_path):
    vendored = ROOT / "_vendor" / "pyodide"
    source = tmp_path / "package-set"
    source.mkdir()
    for path in vendored.glob("*.whl"):
        (source / path.name).symlink_to(path)
    (source / "openblas-0.3.26.zip").symlink_to(vendored / "openblas-0.3.26.zip")
    from course_build.vendor_pyodide import vendor

    vendor(NPM_LOCK.parent, source, tmp_path / "good")  # the real files pass
    six = next(source.glob("six-*.whl"))
    six.unlink()
    six.write_bytes(b"not the six that Pyodide built")
    with pytest.raises(SystemExit, match=r"six-.*refusing it"):
        vendor(NPM_LOCK.parent, source, tmp_path / "bad")
    assert not (tmp_path / "bad").exists()


@pytest.mark.site
def test_the_wheel_holds_the_checkouts_helper_package():
    site = json.loads((HTML / "_static" / "python" / "site.json").read_text())
    wheel = HTML / "_static" / "python" / site["wheel"]
    package = ROOT / "code" / "likelihood_course"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for path in package.rglob("*.py"):
            inside = "likelihood_course/" + path.relative_to(package).as_posix()
            assert archive.read(inside) == path.read_bytes(), inside
        assert any(n.endswith(".dist-info/RECORD") for n in names)
    name, data = _extension().helper_wheel(package)
    assert name == site["wheel"] and data == wheel.read_bytes(), "the wheel is not the same at every build"


# --------------------------------------------------------------------------------------------------
# In the browser


def _watch(page, site):
    """Requests, console errors and page errors of `page`."""
    seen = {"requests": [], "errors": collect_errors(page)}
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("requestfailed", lambda r: seen["errors"].append(f"failed: {r.url}"))
    return seen


def _build_output(cell):
    """The build's output of a rendered cell: its text, and how many figures (each once, not its
    dark twin: code/course_build/ext/theme_figures.py)."""
    return cell.evaluate(
        """c => {
        const out = c.querySelector(':scope > .cell_output');
        if (!out) return {text: '', images: 0};
        const text = [...out.querySelectorAll('.output.stream pre, .output.text_plain pre')]
            .map(p => p.textContent).join('');
        return {text, images: out.querySelectorAll('img:not(.lc-dark)').length};
    }"""
    )


def _live_output(cell):
    return cell.evaluate(
        """c => {
        const out = c.querySelector(':scope > .lc-output');
        const text = [...out.querySelectorAll('pre.lc-stream, pre.lc-value')].map(p => p.textContent).join('');
        const error = out.querySelector('pre.lc-error');
        return {text, images: out.querySelectorAll('img').length, error: error && error.textContent,
                label: (out.querySelector('.lc-output-label') || {}).textContent};
    }"""
    )


def _normal(text):
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def _wait_for_output(cell, timeout=300):
    """Until `cell` shows its output or an error (the cells above it have run by then: in order)."""
    cell.locator(":scope > .lc-output > .lc-output-label, :scope > .lc-output > .lc-error").first.wait_for(
        timeout=timeout * 1000
    )


def _record(key, value):
    times = json.loads(TIMES.read_text()) if TIMES.is_file() else {}
    times[key] = value
    TIMES.write_text(json.dumps(times, indent=1, sort_keys=True) + "\n")


@pytest.mark.browser
@pytest.mark.parametrize("doc", CORE)
def test_the_chapters_cells_run_in_the_page_as_in_the_build(doc, page, site):
    seen = _watch(page, site)
    page.goto(f"{site}/{doc}.html")
    page.wait_for_load_state("load")
    before = list(seen["requests"])
    assert not [u for u in before if "/pyodide/" in u or "/_static/python/" in u or "python-worker" in u], (
        "Python was loaded before the reader asked for it"
    )
    added = (
        sum(len((HTML / "_static" / name).read_bytes()) for name in ("run-cells.js", "run-cells.css"))
        + len(re.findall(r"lc-cell-\d+ lc-(?:run|jupyter)[^\"]*", (HTML / f"{doc}.html").read_text())) * 40
    )
    assert added <= 20_000, f"the page carries {added} bytes for Python in the page before it starts"

    runnable = page.locator("div.cell.lc-run:has(.cell_input)")
    count = runnable.count()
    assert count >= 3, f"only {count} runnable cells shown on {doc}"
    for details in page.locator("div.cell.lc-run details").all():  # hidden code: open it, as a reader would
        details.locator("summary").first.click()
    started = time.monotonic()
    runnable.last.locator("button.lc-run-button").click()
    _wait_for_output(runnable.last)
    _record(f"{doc}: all cells, first run", round(time.monotonic() - started, 2))

    for i in range(count):
        cell = runnable.nth(i)
        live, built = _live_output(cell), _build_output(cell)
        assert live["error"] is None, f"cell {i} failed in the page:\n{live['error']}"
        assert _normal(live["text"]) == _normal(built["text"]), (
            f"cell {i} printed otherwise than in the build"
        )
        assert live["images"] == built["images"], (
            f"cell {i}: {live['images']} figures, the build {built['images']}"
        )
    assert not seen["errors"], seen["errors"]
    assert all(u.startswith(site) or u.startswith("data:") for u in seen["requests"]), [
        u for u in seen["requests"] if not u.startswith(site)
    ]
    # the cells that need TensorFlow say where they run
    notes = page.locator("div.cell.lc-jupyter .lc-note")
    assert notes.count() == page.locator("div.cell.lc-jupyter:has(.cell_input)").count()
    if notes.count():
        assert "TensorFlow" in notes.first.inner_text() and "Binder" in notes.first.inner_text()


@pytest.mark.browser
def test_a_reader_edits_a_cell_with_the_keyboard_and_runs_it(page, site):
    seen = _watch(page, site)
    page.goto(f"{site}/book/04_nll.html")
    cell = page.locator("div.cell.lc-run:has(.cell_input)").filter(has_text="by_formula = -np.sum").first
    cell.locator("button.lc-edit-button").click()
    editor = cell.locator("textarea.lc-editor")
    assert editor.get_attribute("aria-label") and editor.evaluate("e => e === document.activeElement")
    editor.press("Control+End")
    editor.press("Tab")  # Tab indents inside the editor (Escape, then Tab, leaves it)
    assert editor.input_value().endswith("    ")
    for _ in range(4):
        editor.press("Backspace")
    editor.press("Enter")
    editor.type(
        "theta = 0.45\nprint(round(float(-np.sum(flips * np.log(theta) + (1 - flips) * np.log(1 - theta))), 6))"
    )
    editor.press("Shift+Enter")
    cell.locator(".lc-output pre.lc-stream").wait_for(timeout=300_000)
    flips = np.array([0, 0, 0, 1, 0])
    expected = round(float(-np.sum(flips * np.log(0.45) + (1 - flips) * np.log(0.55))), 6)
    assert cell.locator(".lc-output pre.lc-stream").inner_text().strip().endswith(str(expected))
    # run again: the cell's re-run time (Python is warm)
    started = time.monotonic()
    cell.locator("button.lc-run-button").click()
    page.wait_for_timeout(50)
    cell.locator(".lc-output .lc-output-label").wait_for()
    _record("book/04_nll: a cell run again, seconds (page side)", round(time.monotonic() - started, 3))
    label = cell.locator(".lc-output .lc-output-label").inner_text()
    _record(
        "book/04_nll: a cell run again, seconds (in Python)",
        float(re.search(r"\(([\d.]+) s\)", label).group(1)),
    )
    # Reset brings back the code and the build's output
    cell.locator("button.lc-edit-button").click()
    assert cell.locator("textarea.lc-editor").count() == 0 and cell.locator(".cell_output").is_visible()
    assert not seen["errors"], seen["errors"]


@pytest.mark.browser
@pytest.mark.browser_context_args(viewport=PHONE)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_editor_and_output_are_accessible_on_a_phone(scheme, page, site):
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{site}/book/01_probability.html")
    cell = page.locator("div.cell.lc-run:has(.cell_input)").nth(1)
    cell.locator("button.lc-edit-button").click()
    cell.locator("button.lc-run-button").click()
    cell.locator(".lc-output .lc-output-label").wait_for(timeout=300_000)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways at {PHONE['width']} px: {width} px wide"
    inject_axe(page)  # on the cells (the whole page: test_browser.py)
    violations = page.evaluate(
        """async () => (await axe.run({include: [['div.cell.lc-run'], ['div.cell.lc-jupyter']]},
                                     {resultTypes: ['violations']})).violations
            .filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))"""
    )
    assert not violations, violations


@pytest.mark.browser
@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_each_coding_exercise_answers_in_the_page_as_in_jupyter(name, page, site):
    """The chapter's exercise cell, edited in the page: each answer of tests/practice_answers.py
    (right, and each common mistake) is typed in and run in the browser's Python; the page prints
    exactly the feedback that the check prints in Jupyter (tests/test_practice.py)."""
    seen = _watch(page, site)
    page.goto(f"{site}/{CHAPTERS[name].removesuffix('.md')}.html")
    cell = page.locator("div.cell.lc-run").filter(has_text=f'lc.practice.check("{name}"')
    assert cell.count() == 1, f"{CHAPTERS[name]}: the exercise cell does not run in the page"
    built = _build_output(cell)["text"].strip()
    assert built.startswith("Not yet: ") and "returned None" in built, built
    cell.locator("button.lc-edit-button").click()
    editor = cell.locator("textarea.lc-editor")
    for mistake, source in ANSWERS[name].items():
        editor.fill(source + "\n\n\n" + check_line(name))
        cell.evaluate("c => c.querySelector(':scope > .lc-output')?.replaceChildren()")
        cell.locator("button.lc-run-button").click()
        _wait_for_output(cell)
        live = _live_output(cell)
        assert live["error"] is None, (mistake, live["error"])
        expected = practice.evaluate(practice.EXERCISES[name], learner_function(name, source)).message
        assert live["text"].strip() == expected, (mistake, live["text"])
    assert not seen["errors"], seen["errors"]
