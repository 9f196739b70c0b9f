"""The PDF book (`make pdf`): one PDF with a title page, a table of contents, the intro and every
chapter in order, every figure of the site, typeset equations, the exercises' solutions, embedded
fonts, and a clean LaTeX run.

The PDF is PDF below (the build that `make pdf` makes, or COURSE_BUILD_DIR's, see conftest.py); the
site carries a copy of it, which the intro page links to. Needs poppler-utils (pdftotext, pdfinfo,
pdfimages, pdffonts, pdftoppm), which `make system` installs."""

import copy
import re
import shutil
import subprocess

import pytest
from bs4 import BeautifulSoup

from conftest import BUILD, CHAPTERS, DOCS, HTML, PARTS, ROOT, built_page
from course_build.book import CONFIG

LATEX = BUILD / "latex"
PDF = LATEX / "course.pdf"  # the path the Makefile and the README give
LOG = LATEX / "course.log"
SITE_COPY = HTML / "course.pdf"  # what the intro page's link downloads
OVERFULL_LIMIT_PT = 3.0  # "a few points": more than this sticks out into the margin visibly
MIN_PPI = 144  # the figures are drawn at 150 dpi; scaled up in the PDF they would print blurred

# Raw LaTeX that leaked into the text instead of being typeset, and unresolved references.
RAW_LATEX = re.compile(r"\\[A-Za-z]+|\$\$|\?\?")


def _run(*args):
    tool = args[0]
    assert shutil.which(tool), f"{tool} not found: install poppler-utils (`make system`)"
    result = subprocess.run(args, capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(map(str, args))} failed:\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="session")
def pdf():
    assert PDF.is_file(), f"no PDF at {PDF}: run `make pdf` (or set COURSE_BUILD_DIR to your build)"
    return PDF


@pytest.fixture(scope="session")
def log(pdf):
    assert LOG.is_file(), f"no LaTeX log at {LOG} next to the PDF"
    return LOG.read_text(errors="replace")


@pytest.fixture(scope="session")
def raw_pages(pdf):
    """The text of every page, as pdftotext gives it (one line per line of print)."""
    return _run("pdftotext", "-enc", "UTF-8", str(pdf), "-").split("\f")


@pytest.fixture(scope="session")
def pages(raw_pages):
    """The text of every page, whitespace runs collapsed to one space."""
    return [re.sub(r"\s+", " ", page).strip() for page in raw_pages]


def _norm(text):
    return re.sub(r"\s+", " ", text).strip().casefold()


def _letters(text):
    """Only the letters and digits: spacing around links and symbols differs between site and PDF."""
    return re.sub(r"\W+", "", text).casefold()


def _title(doc):
    """The first top-level heading of a page's MyST source."""
    for line in (ROOT / f"{doc}.md").read_text().splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    raise AssertionError(f"{doc}.md has no top-level heading")


def _book_title():

    return CONFIG["title"]


def _code_text():
    """Every code cell's source, without whitespace: code may show a backslash legitimately."""
    code = []
    for doc in DOCS:
        source = (ROOT / f"{doc}.md").read_text()
        code += re.findall(r"^```\{code-cell\}[^\n]*\n(.*?)^```", source, flags=re.S | re.M)
    return re.sub(r"\s+", "", "".join(code))


# --- the LaTeX run ---------------------------------------------------------------------------


def test_latex_run_has_no_error(log):
    errors = [line for line in log.splitlines() if line.startswith("!") or re.match(r"^\S+:\d+: ", line)]
    assert not errors, "LaTeX errors in the log:\n" + "\n".join(errors[:20])
    assert "Emergency stop" not in log and "Fatal error" not in log, "LaTeX did not finish its run"


def test_no_undefined_reference_or_citation(log):
    undefined = re.findall(
        r"^(?:LaTeX|Package \w+) Warning: (?:Reference|Citation|Hyper reference) .*? undefined.*$",
        log,
        flags=re.M,
    )
    assert not undefined, "undefined references or citations:\n" + "\n".join(undefined[:20])
    assert "There were undefined references" not in log, "LaTeX reports undefined references"
    assert "Label(s) may have changed" not in log, "references not settled: LaTeX needs another run"


def test_every_character_has_a_glyph(log):
    """Unicode in the text (theta, mu, sigma, ...) is in the fonts, not silently dropped."""
    missing = sorted(set(re.findall(r"Missing character: There is no (.+?)!", log)))
    assert not missing, "characters missing from the fonts: " + ", ".join(missing)


def test_no_overfull_box_wider_than_a_few_points(log):
    boxes = re.findall(r"^Overfull \\([hv])box \(([\d.]+)pt too (?:wide|high)\) (.*)$", log, flags=re.M)
    print(f"overfull boxes: {len(boxes)} in all, widest {max((float(b[1]) for b in boxes), default=0):.1f}pt")
    wide = [f"{kind}box {pt}pt {where}" for kind, pt, where in boxes if float(pt) > OVERFULL_LIMIT_PT]
    assert not wide, f"{len(wide)} overfull boxes wider than {OVERFULL_LIMIT_PT}pt:\n" + "\n".join(wide[:20])


# --- the text -------------------------------------------------------------------------------


def test_title_page_and_table_of_contents(pages):
    assert _norm(_book_title()) in _norm(pages[0]), f"page 1 is not the title page: {pages[0][:200]!r}"
    toc = [i for i, page in enumerate(pages[:6]) if _norm(page).startswith("contents")]
    assert toc, "no table of contents in the first pages"
    toc_text = _norm(" ".join(pages[toc[0] : toc[0] + 3]))
    for doc in CHAPTERS:
        assert _norm(_title(doc)) in toc_text, f"{doc}: {_title(doc)!r} is not in the table of contents"


def test_intro_and_every_chapter_in_order(pages):
    """Each chapter opens on its own page ("CHAPTER ONE", then its title), after the intro, in the
    order of _toc.yml."""
    intro = [i for i, page in enumerate(pages) if _norm(page).startswith("introduction")]
    assert intro, "no Introduction page"
    assert "likelihood" in _norm(pages[intro[0]]), "the Introduction page does not carry the intro's text"
    last = intro[0]
    for number, doc in enumerate(CHAPTERS, start=1):
        title = _norm(_title(doc))
        opening = [
            i
            for i, page in enumerate(pages)
            if _norm(page).startswith("chapter") and title in _norm(page)[:300]
        ]
        assert opening, f"chapter {number} ({doc}): no page opens with its title {_title(doc)!r}"
        assert opening[0] > last, f"chapter {number} ({doc}) is out of order (page {opening[0] + 1})"
        last = opening[0]


def test_no_raw_latex_or_unresolved_reference_in_the_text(pages):
    code = _code_text()
    leaks = []
    for number, page in enumerate(pages, start=1):
        for match in RAW_LATEX.finditer(page):
            context = page[max(0, match.start() - 40) : match.end() + 40]
            # a backslash in a code cell's source is code, shown as written (the word it is in,
            # less the arrow that marks a wrapped line, is in the source)
            start = page.rfind(" ", 0, match.start()) + 1
            end = page.find(" ", match.end())
            end = len(page) if end < 0 else end
            word = page[start:end].replace(",\u2192", "")  # the mark of a wrapped code line
            if match.group() != "??" and word in code:
                continue
            leaks.append(f"page {number}: {match.group()!r} in ...{context}...")
    assert not leaks, "raw LaTeX or ?? in the PDF's text:\n" + "\n".join(leaks[:20])


def test_solutions_are_printed(pages):
    """Dropdown solutions are folded on the site; in the PDF every one is printed."""
    expected = sum(
        len(re.findall(r"^[`:]{3,}\{solution\}", (ROOT / f"{doc}.md").read_text(), flags=re.M))
        for doc in DOCS
    )
    found = len(re.findall(r"Solution to Exercise", " ".join(pages)))
    assert expected > 0, "the chapters have no {solution}: nothing to check"
    assert found >= expected, f"{found} solutions in the PDF, {expected} in the chapters"


# --- figures, fonts, rendering --------------------------------------------------------------


def _pdf_images(pdf):
    """The raster images in the PDF, as pdfimages lists them (not their soft masks)."""
    rows = [line.split() for line in _run("pdfimages", "-list", str(pdf)).splitlines()[2:]]
    return [row for row in rows if len(row) > 12 and row[2] == "image"]


def _included_graphics():
    """The files that the LaTeX source includes as figures, in order (Sphinx writes
    ``\\sphinxincludegraphics{{<stem>}.<ext>}``)."""
    tex = LATEX / "course.tex"
    assert tex.is_file(), f"no LaTeX source at {tex}"
    found = re.findall(r"\\sphinxincludegraphics(?:\[[^]]*\])?\{\{([^}]+)\}(\.\w+)\}", tex.read_text())
    return [LATEX / (stem + suffix) for stem, suffix in found]


def _html_article(doc):
    """The article of one page of the built site (its text, without the theme's navigation)."""
    article = built_page(doc).select_one("article")
    assert article is not None, f"{doc} has no <article>"
    return article


def _html_figures():
    """Images the site's pages show that the build drew (not the theme's icons), each figure once
    (not its dark twin: code/course_build/ext/theme_figures.py)."""
    return sum(
        "_images/" in img.get("src", "") and "lc-dark" not in img.get("class", [])
        for doc in DOCS
        for img in _html_article(doc).find_all("img")
    )


def test_every_figure_of_the_site_is_in_the_pdf_as_vector_graphics(pdf):
    """The site shows SVGs; the PDF prints the same figures as PDF drawings, sharp at any size (the
    build's kernels emit both: code/course_build/ext/execution_deps.py)."""
    included = _included_graphics()
    on_site = _html_figures()
    print(f"figures: {len(included)} in the PDF, {on_site} on the site")
    assert on_site > 0, "the site shows no figure: nothing to compare"
    assert len(included) >= on_site, f"the PDF includes {len(included)} figures, the site shows {on_site}"
    raster = [path.name for path in included if path.suffix != ".pdf"]
    assert not raster, f"{len(raster)} of {len(included)} figures are raster images in the PDF: {raster[:3]}"
    for path in included:
        assert path.read_bytes().startswith(b"%PDF-"), f"{path.name} is not a PDF drawing"


def test_the_figures_text_is_text(pdf):
    """The figures' labels are set in matplotlib's font, embedded as TrueType (pdf.fonttype 42 in
    likelihood_course.style): searchable text, not outlines or bitmaps. The book's own text uses
    FreeSerif, FreeSans and DejaVu Sans Mono, so DejaVu Sans comes from the figures alone."""
    rows = [line for line in _run("pdffonts", str(pdf)).splitlines()[2:] if line.strip()]
    figure_fonts = [row for row in rows if re.match(r"(\w+\+)?DejaVuSans(-\w+)?\s", row)]
    assert figure_fonts, "no figure font (DejaVu Sans) in the PDF:\n" + "\n".join(rows)
    assert all("TrueType" in row for row in figure_fonts), "\n".join(figure_fonts)


def test_every_captioned_figure_of_the_site_is_in_the_pdf(pages):
    """Counted by caption ("Fig. 2.1: ..."), so this holds for vector figures too."""
    figures = sum(len(_html_article(doc).select("figure figcaption")) for doc in DOCS)
    captions = set(re.findall(r"Fig\. (\d+\.\d+): ", " ".join(pages)))
    assert len(captions) >= figures, f"{len(captions)} figure captions in the PDF, {figures} on the site"


def test_raster_parts_are_at_print_resolution(pdf):
    """A raster image inside a figure (a heat map drawn as an image) prints at the figures' dpi."""
    low = [
        f"page {r[0]}: {r[12]}x{r[13]} ppi" for r in _pdf_images(pdf) if min(int(r[12]), int(r[13])) < MIN_PPI
    ]
    assert not low, f"raster images below {MIN_PPI} ppi:\n" + "\n".join(low)


def test_every_font_is_embedded(pdf):
    rows = [line for line in _run("pdffonts", str(pdf)).splitlines()[2:] if line.strip()]
    assert rows, "pdffonts lists no font"
    not_embedded = [row for row in rows if row.split()[-5] != "yes"]  # last columns: emb sub uni object-ID
    assert not not_embedded, "fonts not embedded:\n" + "\n".join(not_embedded)
    bitmap = [row for row in rows if "Type 3" in row]
    assert not bitmap, "bitmap (Type 3) fonts, blurred in print:\n" + "\n".join(bitmap)


def _ink(pdf, page, tmp_path):
    """Fraction of non-white pixels of one page, rendered by pdftoppm in grey at 40 dpi."""
    out = tmp_path / f"page{page}"
    _run("pdftoppm", "-f", str(page), "-l", str(page), "-r", "40", "-gray", "-singlefile", str(pdf), str(out))
    data = (tmp_path / f"page{page}.pgm").read_bytes()
    magic, width, height, maxval, pixels = re.match(
        rb"(P5)\s+(\d+)\s+(\d+)\s+(\d+)\s(.*)", data, flags=re.S
    ).groups()
    pixels = pixels[: int(width) * int(height)]
    return sum(p < 200 for p in pixels) / len(pixels)


def test_a_page_with_an_equation_and_a_figure_renders(pdf, raw_pages, tmp_path):
    caption = re.compile(r"^Fig\. \d+\.\d+: ", flags=re.M)
    figure_pages = [n for n, text in enumerate(raw_pages, start=1) if caption.search(text)]
    assert figure_pages, "no page with a figure caption"
    equation = re.compile(r"^\(\d+\.\d+\)$", flags=re.M)  # a display equation's number, on its own line
    both = [p for p in figure_pages if equation.search(raw_pages[p - 1])]
    assert both, "no page carries both a numbered equation and a figure"
    page = both[0]
    ink = _ink(pdf, page, tmp_path)
    assert ink > 0.05, f"page {page} (equation and figure) renders almost blank: {ink:.1%} ink"


# --- the site links to the PDF -------------------------------------------------------------


def test_the_site_serves_the_pdf(pdf):
    assert SITE_COPY.is_file(), f"{SITE_COPY} missing: `make pdf` copies the PDF into the site"
    assert SITE_COPY.read_bytes() == pdf.read_bytes(), f"{SITE_COPY} is not the PDF just built"
    intro = HTML / "book" / "intro.html"
    assert intro.is_file(), f"{intro} missing: run `make html`"
    links = [
        a["href"]
        for a in BeautifulSoup(intro.read_text(), "html.parser").find_all("a", href=True)
        if a["href"].endswith(".pdf")
    ]
    assert links, "the intro page does not link to the PDF"
    for href in links:
        assert (intro.parent / href).resolve() == SITE_COPY.resolve(), (
            f"the intro's link {href} is not {SITE_COPY}"
        )


# --- the explorers and self-check questions, in print ---------------------------------------


def test_every_explorer_is_a_static_figure_in_the_pdf(pdf, pages):
    """Each explorer of the site prints as its static figure, with its caption."""
    explorers = [
        fig for doc in DOCS for fig in _html_article(doc).select("figure") if fig.select_one(".lc-explorer")
    ]
    assert len(explorers) >= 5, f"only {len(explorers)} explorers on the site"
    text = " ".join(pages)
    for fig in explorers:
        caption = fig.select_one(".caption-number").get_text(strip=True).rstrip()  # "Fig. 2.2"
        match = re.search(re.escape(caption.rstrip(" :.")) + r": (Explorer .{0,400})", text)
        assert match, f"{caption} ({fig['id']}) is not in the PDF"
        assert "Interactive on the course website" in match.group(1), f"{caption}: {match.group(1)[:200]}"
    images_on_site = _html_figures()
    assert len(_included_graphics()) >= images_on_site + len(explorers), "an explorer has no image in print"


def test_self_check_questions_and_their_answers_are_printed(pages):
    """The questions as text in their chapter, and every answer at the chapter's end."""
    text = " ".join(pages)
    chunks = re.split(r"Answers to the self-check questions", text)
    chapters_with_questions = [doc for doc in CHAPTERS if _html_article(doc).select(".lc-question")]
    assert len(chunks) - 1 == len(chapters_with_questions), f"{len(chunks) - 1} answer lists"
    for doc, before, after in zip(chapters_with_questions, chunks, chunks[1:]):
        questions = _html_article(doc).select(".lc-question")
        for q in questions:
            number = q["id"].removeprefix("self-check-")
            prompt = copy.copy(q.select_one(".lc-question-prompt"))  # the page is shared: change a copy
            for math in prompt.select(".math"):
                math.replace_with("\u00a7")  # maths prints differently: compare the text between
            text_runs = prompt.get_text(" ", strip=True).split(" ", 2)[2].split("\u00a7")
            first_words = max(text_runs, key=len)  # the longest run of text without maths
            assert f"Self-check {number}." in before, f"{doc}: question {number} not printed"
            assert _letters(first_words) in _letters(before), f"{doc}: question {number}: {first_words!r}"
        position = 0
        for number in range(1, len(questions) + 1):  # the answers 1., 2., ... in order
            position = after.find(f" {number}. ", position)
            assert 0 <= position < 4000, f"{doc}: answer {number} is not in the list: {after[:300]!r}"


def test_make_pdf_leaves_an_up_to_date_pdf_alone(pdf):
    """Like `make html`, `make pdf` builds again only when a source is newer than the PDF."""
    plan = subprocess.run(["make", "-n", "pdf"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "code/course_build/build.py" not in plan, (
        "make pdf would rebuild a PDF that is newer than every source"
    )
    assert "cp _build/latex/course.pdf _build/html/course.pdf" in plan


# --- back matter ----------------------------------------------------------------------------


def _back_matter_docs():
    """The pages of _toc.yml's unnumbered parts after its last numbered one (e.g. Reference)."""
    numbered = [i for i, part in enumerate(PARTS) if part.numbered]
    assert numbered, "_toc.yml has no numbered part"
    return [doc for part in PARTS[numbered[-1] + 1 :] for doc in part.files()]


def test_reference_pages_are_unnumbered_back_matter(pdf, raw_pages):
    """The glossary, the references and the rest of the Reference part print after the numbered
    chapters without a chapter number: in the table of contents (and so the PDF's outline, which
    hyperref makes from the same entries), in the printed contents and on their first page."""
    back = _back_matter_docs()
    titles = [_title(doc) for doc in back]
    assert "Glossary" in titles and "References" in titles, f"the back matter is {titles}"
    toc = (LATEX / "course.toc").read_text()
    chapters = re.findall(r"\\contentsline \{chapter\}\{(.*?)\}\{\d+\}", toc)
    plain = [re.sub(r"\\numberline \{[^}]*\}", "", c).strip() for c in chapters]
    for title in titles:
        entries = [c for c, p in zip(chapters, plain) if _norm(p) == _norm(title)]
        assert entries, f"{title!r} is not a chapter in the table of contents: {plain}"
        assert "\\numberline" not in entries[0], f"{title!r} is numbered in the contents: {entries[0]}"
    last_numbered = max(i for i, c in enumerate(chapters) if "\\numberline" in c)
    first_back = min(plain.index(next(p for p in plain if _norm(p) == _norm(t))) for t in titles)
    assert first_back > last_numbered, "the back matter does not come after the numbered chapters"
    # the printed contents, laid out as printed: "8   Sampling distributions, bias and ... 69", but
    # "Glossary .... 90" (a numbered chapter keeps its number on the title's line)
    contents = _run("pdftotext", "-layout", "-enc", "UTF-8", "-l", "6", str(pdf), "-")
    assert re.search(
        r"^\s*8\s+Sampling distributions, bias and consistency", contents, flags=re.M
    ) or not any(d.endswith("08_sampling") for d in CHAPTERS), (
        "the layout of the contents changed: a numbered chapter not found"
    )
    for title in titles:
        lines = [line for line in contents.splitlines() if _norm(title) in _norm(line)]
        assert lines, f"{title!r} is not in the printed contents"
        assert re.match(rf"\s*{re.escape(title)}\b", lines[0]), f"{title!r} is numbered: {lines[0].strip()!r}"
    # their first pages: no "CHAPTER ..." line above the title
    for title in titles:
        opening = [p for p in raw_pages[6:] if _norm(p).startswith(_norm(title))]
        assert opening, f"no page opens with {title!r} (a chapter line above it?)"
