"""The built HTML: every page of the table of contents is there, executed, with its figures,
exercises and numbers, and nothing broken in it (no error output, no mangled LaTeX)."""

import json
import re
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from pybtex.database import parse_file

from conftest import CHAPTERS, DOCS, ROOT, built_page

# Numbers that the chapters compute and quote (the course's worked examples), as rendered.
EXPECTED_NUMBERS = {
    "book/01_probability": ["0.07203"],  # theta (1 - theta)^4 at theta = 0.3
    "book/02_likelihood": ["0.08192", "0.033333"],  # L(1/5); the area 1/30
    "book/03_mle": ["0.816497", "0.08192"],  # sigma_hat = sqrt(2/3); L at theta_hat
    "book/05_classifiers": ["0.27978", "1.0986"],  # BCE of the reading's example; ln 3
}

# What a lost backslash leaves behind: \theta -> "heta", \arg\max -> "rg\max", \frac -> "rac{",
# \begin -> "egin{" (tab, bell, form feed and backspace ate the first letter).
MANGLED_LATEX = re.compile(r"(?<![tT\\])heta\b|(?<![a\\])rg\\max|(?<![f\\])rac\{|(?<![b\\])egin\{")


def page(html_dir, doc):
    """The parsed page (html_dir, the fixture, has checked that the site is built)."""
    return built_page(doc)


def article(soup):
    main = soup.select_one("article.bd-article")
    assert main is not None, "page has no article body"
    return main


@pytest.mark.parametrize("doc", DOCS)
def test_page_has_one_title(html_dir, doc):
    titles = article(page(html_dir, doc)).find_all("h1")
    assert len(titles) == 1, f"{doc}: {len(titles)} top-level headings"


@pytest.mark.parametrize("doc", CHAPTERS)
def test_chapter_was_executed_without_errors(html_dir, doc):
    body = article(page(html_dir, doc))
    cells = body.select("div.cell")
    assert cells, f"{doc}: no code cells"
    assert body.select("div.cell_output"), f"{doc}: no cell has output: was it executed?"
    bad = body.select(".output.error, .output.traceback, .output.stderr, .output.stream.stderr")
    assert not bad, f"{doc}: error or stderr output: {bad[0].get_text()[:300]}"
    text = body.get_text()
    for marker in ("Traceback (most recent call last)", "Error:", "Warning:", "WARNING:"):
        assert marker not in text, f"{doc}: {marker!r} in the page"
    # an object's address (TensorFlow's retracing warning printed them) makes each build's page differ
    outputs = " ".join(o.get_text() for o in body.select("div.cell_output"))
    assert not re.search(r" at 0x[0-9a-f]{6,}", outputs), f"{doc}: a memory address in an output"


@pytest.mark.parametrize("doc", CHAPTERS)
def test_chapter_has_captioned_figures_with_alt_text(html_dir, doc):
    body = article(page(html_dir, doc))
    figures = body.select("figure")
    assert figures, f"{doc}: no figure"
    for fig in figures:
        explorer = fig.select_one("div.lc-explorer")
        if explorer is not None:  # an explorer: its data, and a description for readers without JS
            assert explorer.select_one("script.lc-explorer-data[type='application/json']"), fig.get("id")
            static = explorer.select_one(".lc-explorer-static")
            assert static and len(static.get_text(strip=True)) > 80, (
                f"{doc}: {fig.get('id')} lacks a description"
            )
            assert fig.get("id", "").startswith("fig-explore-"), (
                f"{doc}: explorer without a fig-explore- label"
            )
            assert fig.find("figcaption").get_text(strip=True), (
                f"{doc}: explorer {fig.get('id')} lacks a caption"
            )
            continue
        img = fig.find("img")
        assert img is not None, f"{doc}: figure {fig.get('id')} has no image"
        assert img["src"].startswith("../_images/"), f"{doc}: figure image {img['src']} is not a built image"
        assert (html_dir / "book" / img["src"]).resolve().is_file(), f"{doc}: {img['src']} missing"
        assert len(img.get("alt", "").strip()) > 20, f"{doc}: figure {fig.get('id')} lacks alt text"
        caption = fig.find("figcaption")
        assert caption and caption.get_text(strip=True), f"{doc}: figure {fig.get('id')} lacks a caption"
        assert fig.get("id", "").startswith("fig-"), f"{doc}: figure without a fig- label"


@pytest.mark.parametrize("doc", CHAPTERS)
def test_chapter_has_goals_exercises_solutions_and_summary(html_dir, doc):
    body = article(page(html_dir, doc))
    assert "Learning goals" in body.get_text(), f"{doc}: no learning goals"
    exercises, solutions = body.select("div.exercise"), body.select("div.solution")
    assert exercises, f"{doc}: no exercises"
    assert len(solutions) >= len(exercises), f"{doc}: {len(exercises)} exercises, {len(solutions)} solutions"
    assert all("dropdown" in s["class"] for s in solutions), f"{doc}: a solution does not unfold"
    headings = [h.get_text(strip=True).rstrip("#") for h in body.find_all("h2")]
    assert any(h.endswith("Summary") for h in headings), f"{doc}: no Summary section ({headings})"


@pytest.mark.parametrize("doc", DOCS)
def test_no_mangled_or_unrendered_latex(html_dir, doc):
    body = article(page(html_dir, doc))
    html = str(body)
    hit = MANGLED_LATEX.search(html)
    assert hit is None, f"{doc}: mangled LaTeX near {html[max(0, hit.start() - 60) : hit.end() + 20]!r}"
    for node in body.find_all(string=True):
        if node.find_parent(["pre", "code", "script", "style"]) or node.find_parent(class_="math"):
            continue
        assert "$" not in node and "\\(" not in node, f"{doc}: math delimiters left in text: {node[:120]!r}"


@pytest.mark.parametrize("doc", sorted(EXPECTED_NUMBERS))
def test_worked_example_numbers_are_in_the_page(html_dir, doc):
    text = article(page(html_dir, doc)).get_text()
    for number in EXPECTED_NUMBERS[doc]:
        assert number in text, f"{doc}: {number} not in the page"


def test_intro_links_every_chapter(html_dir):
    links = {a["href"].split("#")[0] for a in article(page(html_dir, "book/intro")).find_all("a", href=True)}
    for doc in CHAPTERS:
        name = doc.split("/")[-1] + ".html"
        assert name in links, f"intro does not link {name}"


def test_no_page_loads_anything_from_a_cdn(html_dir):
    for path in html_dir.rglob("*.html"):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(["script", "link", "img"]):
            url = tag.get("src") or (tag.get("href") if tag.name == "link" else None) or ""
            assert not re.match(r"(https?:)?//", url), f"{path.relative_to(html_dir)} loads {url}"


# The explorers (chapters 1-6) and self-check questions (chapters 1-8) of the learn-by-doing layer.
EXPLORER_PAGES = {
    "book/01_probability": "pmf-pdf",
    "book/02_likelihood": "bernoulli-likelihood",
    "book/03_mle": "normal-likelihood",
    "book/04_nll": "bernoulli-likelihood",
    "book/05_classifiers": "classifier",
    "book/06_regression": "regression",
    "book/11_calibration": "temperature",
}
EXPLORER_PAGES["book/10_map"] = "map-beta"  # chapter 10 (issue 25)
EXPLORER_JS = "_static/explorers.js"
# loaded by explorers.js when the page's first explorer nears the screen, never by the page itself
PLOT_JS = ["_static/plot/d3.min.js", "_static/plot/plot.umd.min.js"]


def _scripts(soup):
    return [tag["src"].split("?")[0].removeprefix("../") for tag in soup.find_all("script", src=True)]


@pytest.mark.parametrize("doc", DOCS)
def test_interactive_scripts_only_where_needed_and_served_by_the_site(html_dir, doc):
    soup = page(html_dir, doc)
    scripts = _scripts(soup)
    explorers = soup.select("div.lc-explorer")
    questions = soup.select("div.lc-question")
    if doc in EXPLORER_PAGES:
        kinds = [json.loads(e.select_one("script.lc-explorer-data").string)["kind"] for e in explorers]
        assert kinds == [EXPLORER_PAGES[doc]], f"{doc}: explorers {kinds}"
    else:
        assert not explorers, f"{doc}: an unexpected explorer"
    assert (EXPLORER_JS in scripts) == bool(explorers), (
        f"{doc}: explorers.js loaded: {EXPLORER_JS in scripts}"
    )
    assert scripts.count(EXPLORER_JS) <= 1, f"{doc}: explorers.js loaded more than once"
    for js in PLOT_JS:
        assert js not in scripts, f"{doc}: {js} loaded with the page, not as an explorer nears the screen"
        assert (html_dir / js).is_file(), f"{js} is not in the site"
    assert ("_static/selfcheck.js" in scripts) == bool(questions), doc
    for js in scripts:
        if js.startswith("_static/"):
            assert (html_dir / js).is_file(), f"{doc}: {js} is not in the site"
    for tag in soup.find_all("script", src=True):
        if tag["src"].split("?")[0].removeprefix("../") == EXPLORER_JS:
            assert tag.has_attr("defer"), f"{doc}: {tag['src']} blocks the page"


@pytest.mark.parametrize("doc", CHAPTERS)
def test_chapter_has_self_check_questions_and_their_answers(html_dir, doc):
    body = article(page(html_dir, doc))
    questions = body.select("div.lc-question")
    assert 3 <= len(questions) <= 5, f"{doc}: {len(questions)} self-check questions"
    numbers = [int(q["id"].removeprefix("self-check-")) for q in questions]
    assert numbers == list(range(1, len(questions) + 1)), numbers
    for q in questions:
        assert (
            q.select_one(".lc-question-prompt").get_text(strip=True).startswith(f"Self-check {q['id'][11:]}.")
        )
        assert q.select(".lc-explanation"), f"{doc}: {q['id']} has no explanation"
        options = q.select(".lc-option")
        assert not options or all(o.select_one(".lc-explanation") for o in options), (
            f"{doc}: {q['id']}: an option without its explanation"
        )
    answers = body.select("details.lc-answers li")
    assert len(answers) == len(questions), f"{doc}: {len(answers)} answers for {len(questions)} questions"


# A citation's text, "Bishop (2006)" or "(Gneiting and Raftery, 2007)", and an entry's label in the
# bibliography, "Goodfellow et al. 2016" (a title in italics for a Wikipedia article): no "Bis06"
AUTHOR_YEAR = re.compile(r"^\(?[^\W\d][^()]*?,? \(?\d{4}[a-z]?\)?$")


def test_the_bibliography_labels_its_entries_by_author_and_year(html_dir):
    labels = [
        label.get_text().strip("[]")
        for label in article(page(html_dir, "book/references")).select(".citation > .label")
    ]
    assert len(labels) == len(parse_file(ROOT / "book" / "references.bib").entries)
    assert len(set(labels)) == len(labels), f"two entries share a label: {labels}"
    odd = [label for label in labels if not AUTHOR_YEAR.match(label)]
    assert not odd, f"labels that are not author and year: {odd}"
    assert "Bishop 2006" in labels and "Goodfellow et al. 2016" in labels and "Dürr et al. 2020" in labels


@pytest.mark.parametrize("doc", CHAPTERS)
def test_citations_read_author_and_year(html_dir, doc):
    cited = article(page(html_dir, doc)).select("span.bibtex-citation")
    texts = [" ".join(c.get_text().split()) for c in cited]
    odd = [t for t in texts if not AUTHOR_YEAR.match(t)]
    assert not odd, f"{doc}: citations that do not read author and year: {odd}"
    for citation in cited:
        for link in citation.select("a"):
            assert link["href"].startswith("references.html#"), link


def _course_pdf_links(page_path):
    soup = BeautifulSoup(page_path.read_text(encoding="utf-8"), "html.parser")
    return [(el.has_attr("hidden"), el.select_one("a").get("href")) for el in soup.select(".lc-course-pdf")]


def test_pages_link_the_course_pdf_only_while_the_site_has_it(html_dir, tmp_path):
    """The intro's link and every page's download item point at course.pdf while the site holds
    it (`make pdf` shows them: code/course_build/ext/course_pdf.py), and are hidden, with no href, while it does not."""
    present = (html_dir / "course.pdf").is_file()
    for doc in DOCS:
        links = _course_pdf_links(html_dir / f"{doc}.html")
        assert len(links) == (2 if doc == "book/intro" else 1), f"{doc}: {links}"
        assert all(hidden != present and (href is not None) == present for hidden, href in links), (
            doc,
            links,
        )
    site = tmp_path / "html"
    (site / "book").mkdir(parents=True)
    for doc in ("book/intro", "book/05_classifiers"):
        (site / f"{doc}.html").write_bytes((html_dir / f"{doc}.html").read_bytes())
    states = []
    for with_pdf in (False, True, False):
        (site / "course.pdf").unlink(missing_ok=True)
        if with_pdf:
            (site / "course.pdf").write_bytes(b"%PDF-1.5")
        subprocess.run([sys.executable, "-m", "course_build.ext.course_pdf", str(site)], check=True)
        links = _course_pdf_links(site / "book" / "intro.html") + _course_pdf_links(
            site / "book" / "05_classifiers.html"
        )
        assert links == [(not with_pdf, "../course.pdf" if with_pdf else None)] * 3, (with_pdf, links)
        states.append((site / "book" / "intro.html").read_bytes())
    assert states[0] == states[2], "hiding the links again does not give the same page"
