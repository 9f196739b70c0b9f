"""The authoring conventions (issue 12), one set of rules for every page, read from the sources:
numbers handed to the prose by `glue` in cells the page removes (every visible cell shows the
lesson), every glued name the prose quotes is glued, no mention of "the reading", one logarithm
symbol and one statement of what it means, one way of writing percentages, and the lessons that
are said once (the variance bias, the three-way checks, the training objective, the Laplace
scale)."""

import re

import pytest

from conftest import CHAPTERS, DOCS, PARTS, ROOT

NAMES = [doc.split("/")[-1] for doc in CHAPTERS]  # e.g. '01_probability'
PAGES = [doc.split("/")[-1] for doc in DOCS]
FIGURE_MODULES = sorted((ROOT / "code" / "likelihood_course" / "figures").glob("*.py"))

CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```$", re.S | re.M)
GLUE_CALL = re.compile(r"^\s*glue\(", re.M)


def source(name):
    return (ROOT / "book" / f"{name}.md").read_text(encoding="utf-8")


def cells(name):
    """(tags, code) of every code cell of a page."""
    out = []
    for body in CELL.findall(source(name)):
        tags = []
        inline = re.match(r":tags: \[([^\]]*)\]\n", body)
        if inline:
            tags = [t.strip() for t in inline.group(1).split(",")]
        block = re.match(r"---\n(.*?)\n---\n", body, re.S)
        if block:
            found = re.search(r"tags: \[([^\]]*)\]", block.group(1))
            tags = [t.strip() for t in found.group(1).split(",")] if found else []
        out.append((tags, body))
    return out


@pytest.mark.parametrize("name", NAMES)
def test_glue_is_called_only_in_cells_the_page_removes(name):
    chapter_cells = cells(name)
    assert any(GLUE_CALL.search(body) for _, body in chapter_cells), (
        f"{name}: no glue call (is the parser right?)"
    )
    for tags, body in chapter_cells:
        if GLUE_CALL.search(body):
            assert "remove-cell" in tags, f"{name}: glue in a visible cell:\n{body[:300]}"
        # and a removed cell holds only bookkeeping: glue calls and the lines that feed them
        if "remove-cell" in tags:
            assert "print(" not in body and "figures." not in body, f"{name}: lesson in a removed cell"


@pytest.mark.parametrize("name", NAMES)
def test_each_glue_cell_follows_the_lesson_cell_it_reports(name):
    chapter_cells = cells(name)
    for i, (tags, body) in enumerate(chapter_cells):
        if "remove-cell" in tags and GLUE_CALL.search(body) and "import" not in body:
            assert i > 0 and "remove-cell" not in chapter_cells[i - 1][0], f"{name}: cell {i} reports nothing"


@pytest.mark.parametrize("name", NAMES)
def test_every_quoted_number_is_glued(name):
    text = source(name)
    used = set(re.findall(r"\{glue:text\}`([A-Za-z0-9_]+)", text))
    patterns = [
        re.sub(r"\\\{[^}]*\\\}", "[a-z0-9_]+", re.escape(glued))
        for glued in re.findall(r'glue\(f?"([^"]+)"', text)
    ]
    missing = {quoted for quoted in used if not any(re.fullmatch(p, quoted) for p in patterns)}
    assert used, f"{name}: quotes no glued number (is the parser right?)"
    assert not missing, f"{name}: quoted but never glued: {missing}"


@pytest.mark.parametrize("name", PAGES)
def test_the_course_never_mentions_the_reading(name):
    assert not re.search(r"\bthe reading\b|\breading's\b|\breadings\b", source(name), re.I), name


def test_the_toc_has_no_reading_caption():
    captions = [part.caption for part in PARTS]
    assert all(captions) and not any("reading" in c.lower() for c in captions), captions


@pytest.mark.parametrize("name", PAGES)
def test_one_logarithm_symbol(name):
    text = source(name)
    assert "\\ln" not in text and not re.search(r"\bln\b", text), name


@pytest.mark.parametrize("path", FIGURE_MODULES, ids=lambda p: p.stem)
def test_figure_modules_write_log_not_ln(path):
    text = path.read_text(encoding="utf-8")
    assert "\\ln" not in text and not re.search(r"\bln\b", text), path.name


def test_natural_logarithm_is_said_once_where_log_first_appears():
    said = {name: len(re.findall(r"natural log", source(name), re.I)) for name in PAGES}
    assert sum(said.values()) == 1, said
    assert said["03_mle"] == 1
    # chapters 1 and 2 use no log symbol before it is introduced
    for name in ("01_probability", "02_likelihood"):
        assert "\\log" not in source(name), name


@pytest.mark.parametrize("name", PAGES)
def test_percentages_are_written_one_way(name):
    text = source(name)
    assert not re.search(r"\d \\?%", text), f"{name}: a percentage with a space before %"
    # a coverage quoted in prose is formatted as a percentage
    for glued in re.findall(r"\{glue:text\}`([^`]+)`", text):
        if "cover" in glued and "repeats" not in glued:
            assert glued.endswith("%"), f"{name}: {glued} is not a percentage"


def test_the_intro_counts_the_core_chapters_of_the_toc():
    """The intro counts the core chapters (the toc's first part), not the executed ones, whose number
    changes as chapters are added; and the count it gives is the toc's."""
    words = {"four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
    text = source("intro")
    counts = re.findall(r"\b(\w+) (core|executable|executed) chapters\b", text)
    assert counts, "the intro does not say how many core chapters there are"
    core = PARTS[0].files()
    for word, kind in counts:
        assert kind == "core", f"the intro counts {kind} chapters"
        assert words.get(word) == len(core), f"the intro says {word} core chapters, the toc has {len(core)}"
    # the one credit, with a citation whose key the bibliography has
    keys = re.findall(r"\{cite:t\}`([^`]+)`", text)
    bib = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    assert keys and all(re.search(r"@\w+\{" + re.escape(k) + ",", bib) for k in keys), keys


def test_chapter_2_says_probability_or_density_in_its_summary():
    """Normal data have a density, not a probability: wherever the summary calls the likelihood the
    probability of the data, it says density too."""
    summary = source("02_likelihood").split("## Summary", 1)[1]
    said = re.findall(r"probability( \(or density\))? of the\s+(?:observed\s+)?data", summary)
    assert said, "the summary does not say what the likelihood is"
    assert all(said), "the summary calls the likelihood a probability without 'or density'"


def test_variance_bias_simulated_once_and_stated_with_its_p_parameter_correction():
    ch3, ch8 = source("03_mle"), source("08_sampling")
    assert "rng.normal" not in ch3 and "default_rng" not in ch3, "chapter 3 simulates the bias again"
    assert "{ref}`sec-est-bias`" in ch3 and "(sec-est-bias)=" in ch8
    for text in (ch3, ch8):
        assert "(n - p)/n" in text and "held-out data" in text
        assert "indistinguishable from 1" not in text
        assert not re.search(r"negligible(?![^.]*\bp\b)", text), "negligible, without saying when"


def test_the_three_way_checks_are_thinned_after_chapter_2():
    """Chapters 1 and 2 show a quantity three ways: the formula and scipy.stats in one cell, which
    runs in the reader's browser, and TensorFlow Probability in the cell right after it (which needs
    TensorFlow); after them no cell sets scipy.stats and TFP side by side again."""
    for name in ("01_probability", "02_likelihood"):
        bodies = [body for _, body in cells(name)]
        pairs = [(a, b) for a, b in zip(bodies, bodies[1:]) if re.search(r"\bstats\.", a) and "tfd." in b]
        assert pairs and all("tfd." not in a for a, _ in pairs), name
    for name in ("03_mle", "04_nll", "08_sampling", "08_estimates"):
        both = [body[:200] for _, body in cells(name) if re.search(r"\bstats\.", body) and "tfd." in body]
        assert not both, f"{name} repeats the three-way check: {both}"
    assert "optimize.minimize(" not in source("03_mle"), "chapter 3 fits the Normal a third way again"
    # chapter 8 does not simulate the Normal standard errors a second time
    assert not re.search(r"normal\(loc=mu_true, scale=sigma_true, size=\(\w+, n\)\)", source("08_estimates"))


def test_one_training_objective_cited_by_the_chapters_that_train():
    assert ":label: eq-clf-objective" in source("05_classifiers")
    for name in ("05_classifiers", "06_regression", "07_losses"):
        assert "{eq}`eq-clf-objective`" in source(name), name


def test_the_laplace_scale_is_beta_and_b_is_the_bias():
    for name in ("06_regression", "07_losses"):
        text = source(name)
        assert "\\beta" in text, name
        assert not re.search(r"scale \$b\b", text), name
    assert "bias $c$" not in source("07_losses") and "\\hat y = e^{w x + b}" in source("07_losses")


def test_the_imprecise_wordings_of_the_second_review_are_made_precise():
    """Issue 24, correction 7 (and 5's pointer): each claim says the condition it holds under."""
    flat = {name: " ".join(source(name).split()) for name in PAGES}
    # "most probable": a probability for discrete data, a density for continuous data
    for name in ("02_likelihood", "03_mle", "06_regression", "08_sampling", "08_estimates", "glossary"):
        for found in re.finditer(r"most probable|make the data we saw probable", flat[name]):
            near = flat[name][found.start() - 120 : found.end() + 120]
            assert "densit" in near or "dense" in near, f"{name}: {near}"
    assert "data most probable" not in flat["glossary"]
    ch2 = flat["02_likelihood"]
    assert "a factor of at most 1 for discrete data" in ch2
    ch4 = flat["04_nll"]
    assert "0 for an observation the model was certain of" in ch4 and "no such floor" in ch4
    ch5 = flat["05_classifiers"]
    assert "strictly convex" in ch5 and "proper descent method" in ch5 and "Adam does not promise" in ch5
    ch6 = flat["06_regression"]
    assert "Only $\\sigma$ moves the line itself" not in ch6
    assert "more probable" not in ch6  # its data are all continuous: a higher density
    assert "$n / (2 \\sigma^2)$" in ch6 and "intercept $\\frac{n}{2} \\log(2 \\pi \\sigma^2)$" in ch6
    ch7 = flat["07_losses"]
    assert "$e^{-\\lvert r \\rvert / \\beta}$" in ch7 and "$e^{-r^2 / (2 \\sigma^2)}$" in ch7
    ch8 = flat["08_sampling"]
    assert ch8.count("correctly specified") >= 2  # in the section and in the summary
    assert "effective degrees of freedom" in ch8 and "(sec-est-many-parameters)=" in source("08_sampling")
    assert (
        "{ref}`sec-est-many-parameters`" in flat["03_mle"]
        and "effective degrees of freedom" in flat["03_mle"]
    )
    # chapter 3 states consistency with its conditions, as chapter 8 does
    assert "under regularity conditions and when the data really come from the model" in flat["03_mle"]
    for name in ("03_mle", "08_sampling", "08_estimates"):
        assert "judge $\\sigma$ on held-out data" not in flat[name].replace("Judge", "judge"), name
    ch9, counts = flat["09_real_data"], flat["09_counts"]
    assert "geometric mean" in ch9 and "$\\chi^2_0$" in counts and "50:50 mixture" in counts
    assert "QuantReg" not in ch9 and "optimize.linprog" in ch9
