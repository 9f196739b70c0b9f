"""The Content-Security-Policy of every page (code/course_build/ext/csp.py): the browser itself refuses anything from
another host and any inline script the build did not write. tests/test_browser.py opens every page
under its policy and counts console errors (a refused script or style is one); here a script is
planted into a real page and must be blocked, while the page's own scripts still run."""

import re

import pytest
from bs4 import BeautifulSoup

from conftest import DOCS, collect_errors, explorer_ready

PLANTED = "<script>window.plantedScriptRan = true;</script>"


@pytest.mark.parametrize("doc", DOCS)
def test_every_page_carries_the_policy_before_any_script(html_dir, doc):
    html = (html_dir / f"{doc}.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    metas = soup.find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert len(metas) == 1, f"{doc}: {len(metas)} policies"
    policy = dict(part.strip().split(" ", 1) for part in metas[0]["content"].split(";"))
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert not re.search(r"https?:|\*", metas[0]["content"]), "the policy admits another host"
    first_script = html.find("<script")
    assert 0 < html.find("Content-Security-Policy") < first_script, f"{doc}: a script comes before the policy"


def test_a_planted_inline_script_is_blocked(page, site):
    errors = collect_errors(page)

    def plant(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace("</body>", PLANTED + "</body>"))

    page.route(f"{site}/book/02_likelihood.html", plant)
    page.goto(f"{site}/book/02_likelihood.html", wait_until="load")
    explorer_ready(page)  # the site's own scripts ran
    assert page.evaluate("window.plantedScriptRan === undefined"), "the planted script ran"
    assert any("Content Security Policy" in e for e in errors), errors


@pytest.mark.parametrize("doc", DOCS)
def test_no_page_carries_an_inline_event_handler(html_dir, doc):
    """No handler attribute, and so no 'unsafe-hashes' in the policy: the theme's full-screen button
    is bound by code/course_build/ext/static/header-actions.js, and its print button is a link to the course's PDF
    (code/course_build/ext/course_pdf.py)."""
    html = (html_dir / f"{doc}.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    handlers = [(tag.name, a) for tag in soup.find_all(True) for a in tag.attrs if a.lower().startswith("on")]
    assert not handlers, f"{doc}: {handlers}"
    assert "'unsafe-hashes'" not in html
    assert len(soup.select('[data-lc-action="fullscreen"]')) == 1, doc
    assert not soup.select('[data-lc-action="print"]'), doc


def test_the_download_menus_pdf_is_the_whole_course(page, site, html_dir):
    """A reader opens the download menu and takes ".pdf": the course's PDF, not the page printed
    (with its live sliders and code cut at the right)."""
    assert (html_dir / "course.pdf").is_file(), "make pdf copies the PDF into the site"
    page.goto(f"{site}/book/05_classifiers.html")
    page.locator(".dropdown-download-buttons button.dropdown-toggle").click()
    item = page.locator(".dropdown-download-buttons .lc-course-pdf a")
    item.wait_for(state="visible")
    assert item.inner_text().strip() == ".pdf"
    with page.expect_download() as download:
        item.click()
    saved = download.value.path()
    assert saved.read_bytes() == (html_dir / "course.pdf").read_bytes()
