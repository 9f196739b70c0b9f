"""Shared fixtures: where the built book is, and which pages it must have.

The site tests read the build that the README's commands make (`_build/`); COURSE_BUILD_DIR points
them at another build directory (one made with `jupyter-book build --path-output DIR`).

The browser tests use pytest-playwright's fixtures, launched on Debian's chromium. axe-core stays
ours (npm's, injected by `inject_axe`) rather than axe-playwright-python's: that package (0.1.8)
injects it the same way, but bundles axe-core 4.12.1, which fetches the theme's `@import
"basic.css"` from the wrong URL (dequelabs/axe-core#5268), a 404 and a console error on every page
that the browser tests rightly fail on; npm's 4.14.1 fetches the right one."""

import functools
import io
import os
from pathlib import Path
from urllib.parse import urlsplit

import matplotlib

matplotlib.use("Agg")  # figures are drawn without a screen
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from course_build.book import CHAPTERS, DOCS, PARTS, ROOT  # noqa: E402, F401  (the tests' names for them)
from course_build.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE  # noqa: E402, F401
from course_build.serving import QuietHandler, served  # noqa: E402

BUILD = Path(os.environ.get("COURSE_BUILD_DIR", ROOT / "_build")).resolve()
if BUILD.name != "_build" and (BUILD / "_build").is_dir():
    BUILD = BUILD / "_build"  # accept the --path-output directory too
HTML = BUILD / "html"


# The test layers, as pytest markers (registered in pyproject.toml): `make test-fast` runs the unit
# and site layers, `make test` all (`process` too, the slow ones: fresh Python processes, networks
# trained). A module's layer is named here, in one place (a test marked with a layer keeps its own);
# the rest are units.
LAYERS = {
    "test_site": "site",
    "test_teaching": "site",
    "test_chapter_values": "site",
    "test_chapter_numbers": "site",
    "test_real_data_chapter": "site",
    "test_map_chapter": "site",
    "test_calibration_chapter": "site",
    "test_colab": "site",
    "test_light_pages": "site",
    "test_browser": "browser",
    "test_interactive": "browser",
    "test_csp": "browser",
    "test_pdf": "pdf",
    "test_binder": "binder",
    "test_cache": "build",
    "test_extensions": "build",
    "test_build": "build",
    "test_preview": "build",
    "test_hub": "hub",
    "test_tfsetup": "process",
    "test_kernel_transport": "process",
    "test_assignments": "grader",
}


def pytest_collection_modifyitems(config, items):
    layers = {"unit", *LAYERS.values()}
    for item in items:
        if not any(item.get_closest_marker(layer) for layer in layers):  # a test may name its own
            item.add_marker(LAYERS.get(item.module.__name__.rsplit(".", 1)[-1], "unit"))


# The seconds each layer took (set-up, call and tear-down of its tests), printed after every run
# beside --durations' slowest steps: what a change costs each layer, and CI's 30-minute budget.
LAYER_SECONDS: dict[str, float] = {}


def pytest_runtest_logreport(report):
    layer = next((name for name in ("unit", *LAYERS.values()) if name in report.keywords), "unit")
    LAYER_SECONDS[layer] = LAYER_SECONDS.get(layer, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter):
    if LAYER_SECONDS:
        spent = ", ".join(f"{layer} {seconds:.0f}" for layer, seconds in sorted(LAYER_SECONDS.items()))
        terminalreporter.write_line(f"seconds per test layer: {spent}")


# TensorFlow, TensorFlow Probability and tf_keras, imported (quietly, by the helper's tfsetup) when
# a test first asks for one, never at collection: a test module that imported them at its top would
# make every pytest-xdist worker of `make test-fast` pay for the import (4 s), whether or not it
# runs the module's tests.


@pytest.fixture(scope="session")
def tf():
    from likelihood_course import tfsetup

    tfsetup.load()
    import tensorflow

    return tensorflow


@pytest.fixture(scope="session")
def tfp(tf):
    import tensorflow_probability

    return tensorflow_probability


@pytest.fixture(scope="session")
def tfd(tfp):
    return tfp.distributions


@pytest.fixture(scope="session")
def tf_keras(tf):
    import tf_keras

    return tf_keras


# Hypothesis (tests/test_properties.py) tries the same inputs at every run (derandomised: CI is
# repeatable), 250 a property; `make test-fast` selects the "fast" profile (--hypothesis-profile),
# which tries 50.
settings.register_profile("course", derandomize=True, max_examples=250, deadline=None)
settings.register_profile("fast", settings.get_profile("course"), max_examples=50)
settings.load_profile("course")  # before the plugin loads the one that --hypothesis-profile names


# Debian's chromium, driven by Python Playwright through pytest-playwright's fixtures (`browser`,
# `context`, `page`, `new_context`), never a downloaded browser. The plugin parametrizes each test
# that uses them by browser name: here always `[chromium]`, since the launch is Debian's chromium.


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, browser_name):
    """pytest-playwright's launch arguments (--headed, --slowmo), with Debian's chromium."""
    if browser_name != "chromium":
        pytest.fail(f"the browser tests run Debian's chromium, not {browser_name} (drop --browser)")
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"no browser at {CHROMIUM}: run `make system` (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Every context at desktop size, unless a test's `browser_context_args` marker says otherwise."""
    return {**browser_context_args, "viewport": DESKTOP}


@functools.cache
def built_page(doc: str):
    """One page of the built site (e.g. 'book/intro'), parsed once per test session and shared by
    every test that reads it: read it, do not change it (copy a part to change it)."""
    from bs4 import BeautifulSoup

    path = HTML / f"{doc}.html"
    assert path.is_file(), f"{doc} was not built: {path} is missing (run `make html`)"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="session")
def html_dir():
    index = HTML / "index.html"
    assert index.is_file(), f"no built site at {HTML}: run `make html` first"
    return HTML


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def png_bytes(artist):
    """The PNG that a figure (or the figure of an Axes) saves to: equal bytes, equal pictures."""
    fig = artist if isinstance(artist, Figure) else artist.figure
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


# axe-core, serving the built site on loopback, and browser contexts that never leave it

AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def inject_axe(page):
    """axe-core into a page, through the DevTools protocol: the page's Content-Security-Policy
    (rightly) refuses it as an inline script, and a test must not weaken the policy it checks."""
    if not AXE_JS.is_file():
        pytest.fail(f"no axe-core at {AXE_JS}: run `make setup` (npm ci, package.json)")
    page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;true")


class _LoggingHandler(QuietHandler):
    """Serves the build, gzipped as GitHub Pages serves it, and records (path, status) of every
    request it answers: requests the browser makes on its own (the favicon) fire no Playwright
    event, but they reach the server."""

    log: list

    def log_request(self, code="-", size="-"):
        self.log.append((self.path, int(getattr(code, "value", code))))


@pytest.fixture(scope="session")
def server_log():
    """(path, status) of every request that the `site` server answered."""
    return []


@pytest.fixture(scope="session")
def site(html_dir, server_log):
    """Serve the built site on 127.0.0.1, on a free port, for the whole session."""
    with served(html_dir, type("Handler", (_LoggingHandler,), {"log": server_log})) as origin:
        yield origin


# Scroll an element onto the screen as a reader does: the sections passed on the way are laid out
# as they come near (content-visibility, _assets/course.css) and move the element as they take their
# size, so scroll again until it stays on the screen.
_SCROLL_TO_JS = r"""
async el => {
  for (let i = 0; i < 20; i++) {
    el.scrollIntoView({block: 'center'});
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    const r = el.getBoundingClientRect();
    if (r.bottom > 0 && r.top < innerHeight) return;
  }
  throw new Error('the element did not stay on the screen');
}
"""


def scroll_to(locator) -> None:
    locator.evaluate(_SCROLL_TO_JS)


def explorer_ready(page, selector: str = ".lc-explorer") -> None:
    """Scroll the first explorer that `selector` finds into view and wait until it is drawn: an
    explorer is built as it nears the screen (_assets/explorers.js), as a reader scrolls to it."""
    scroll_to(page.locator(selector).first)
    page.wait_for_selector(f"{selector}.lc-ready")


def collect_errors(page, errors: list | None = None) -> list[str]:
    """The page's console errors (with where they came from) and uncaught exceptions, as they
    happen: the list that is returned (or `errors`) fills while the page runs."""
    errors = [] if errors is None else errors

    def console(message) -> None:
        if message.type == "error":
            where = message.location
            errors.append(
                f"console error: {message.text} [{where.get('url', '')}:{where.get('lineNumber', '')}]"
            )

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    return errors


def is_local(url: str, origin: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "javascript"):
        return True
    return f"{parts.scheme}://{parts.netloc}" == origin


def keep_on_site(context, origin: str):
    """Let `context` reach `origin` only: a request to another host is recorded by the page's
    listeners and then aborted here, so that a run never waits on the network."""

    def route(r):
        if is_local(r.request.url, origin):
            r.continue_()
        else:
            r.abort("blockedbyclient")

    context.route("**/*", route)
    return context


@pytest.fixture
def context(context, site):
    """pytest-playwright's context (and so its `page`), kept on the served site; the plugin closes
    it after the test, with a screenshot (pyproject.toml: --screenshot) when the test failed."""
    return keep_on_site(context, site)
