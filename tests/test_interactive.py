"""The explorers and self-check questions in a real browser (Debian's chromium, Python Playwright).

Each explorer's sliders are set through the DOM (as a pointer drag does) and through the keyboard;
the numbers it then shows are held against independent references (scipy.stats, closed forms and
the helper package's NumPy formulas), to 1e-9 in the full value it carries and to the digits it
shows. Each question is answered right and wrong, with the mouse and with the keyboard; the
numeric answers the chapters computed are held against closed forms. The pages make no request to
another host and log no error (tests/test_browser.py checks that for every page, with axe-core);
here, the parts are also checked in the dark theme and at phone width. The redraw times are
written to _build/interactive.json (reported, not asserted).
"""

import json
import math
import re
import statistics

import numpy as np
import pytest
from scipy import special, stats

from conftest import BUILD, PHONE, collect_errors, explorer_ready, inject_axe, scroll_to
from likelihood_course import data
from likelihood_course import likelihood as lk

EXPLORERS = {  # figure name -> page
    "fig-explore-pmf-pdf": "book/01_probability",
    "fig-explore-bernoulli": "book/02_likelihood",
    "fig-explore-normal": "book/03_mle",
    "fig-explore-nll": "book/04_nll",
    "fig-explore-classifier": "book/05_classifiers",
    "fig-explore-regression": "book/06_regression",
    "fig-explore-temperature": "book/11_calibration",
}
QUESTION_PAGES = [
    f"book/{name}"
    for name in (
        "01_probability",
        "02_likelihood",
        "03_mle",
        "04_nll",
        "05_classifiers",
        "06_regression",
        "07_losses",
        "08_sampling",
        "08_estimates",
        "09_real_data",
        "09_counts",
        "11_calibration",
    )
]

# The numeric self-check answers, from closed forms: (page, question number) -> answer.
NUMERIC_ANSWERS = {
    ("book/01_probability", 2): 1 / math.sqrt(2 * math.pi),
    ("book/02_likelihood", 1): 1 / 5,
    ("book/02_likelihood", 2): 1 / 8,
    ("book/02_likelihood", 3): (0.2 * 0.8**4) / 0.5**5,
    ("book/03_mle", 1): 2 / 3,
    ("book/03_mle", 2): math.sqrt(2 / 3),
    ("book/04_nll", 1): 5 * math.log(2),
    ("book/04_nll", 2): 0.5 * math.log(2 * math.pi) + 0.5,
    ("book/05_classifiers", 1): math.log(2),
    ("book/05_classifiers", 3): math.log(4),
    ("book/06_regression", 3): math.sqrt(10 / 4),
    ("book/07_losses", 3): 2 + math.log(2),
    ("book/08_sampling", 1): (4 - 1) / 4 * 2,
    ("book/08_estimates", 1): 0.04,
    ("book/08_estimates", 2): 0.2 + stats.norm.ppf(0.975) * 0.04,
    ("book/09_real_data", 1): 10 + stats.norm.ppf(0.95) * 2,
    ("book/09_counts", 1): 4 + 0.5 * 4**2,
    ("book/09_counts", 3): math.sqrt(4),
    ("book/11_calibration", 1): (0.9 - 0.6) ** 2 + 0.6 * (1 - 0.6),
}

REPORT = {}


@pytest.fixture(scope="module", autouse=True)
def write_report():
    yield
    if REPORT:
        (BUILD / "interactive.json").write_text(json.dumps(REPORT, indent=2))


class Page:
    """One chapter page, with its console errors, page errors and requests recorded. The page stays
    open until pytest-playwright closes its context, which screenshots it if the test failed."""

    def __init__(self, context, site, doc):
        self.requests = []
        self.page = context.new_page()
        self.errors = collect_errors(self.page)
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.site = site
        self.page.goto(f"{site}/{doc}.html", wait_until="load")

    def check(self):
        self.page.evaluate("0")  # a round trip: what the page reported before it has arrived
        assert not self.errors, f"errors in the browser: {self.errors}"
        external = [r for r in self.requests if not r.startswith(self.site)]
        assert not external, f"requests to other hosts: {external}"


@pytest.fixture
def open_page(context, site):
    opened = []

    def _open(doc):
        opened.append(Page(context, site, doc))
        return opened[-1].page

    yield _open
    for p in opened:
        p.check()


class Explorer:
    def __init__(self, page, name):
        self.page, self.root = page, f"figure#{name} .lc-explorer"
        explorer_ready(page, self.root)

    def set(self, **values):
        """Set sliders as a pointer does (value, then an input event); returns the values the
        browser snapped them to."""
        out = {}
        for name, value in values.items():
            sel = f"{self.root} input[name={name}]"
            self.page.eval_on_selector(
                sel,
                "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }",
                str(value),
            )
            out[name] = float(self.page.input_value(sel))
        return out

    def press(self, name, key, times=1):
        sel = f"{self.root} input[name={name}]"
        self.page.focus(sel)
        for _ in range(times):
            self.page.keyboard.press(key)
        return float(self.page.input_value(sel))

    def shown(self, key):
        """(text, full value) of a number the explorer shows."""
        cell = self.page.locator(f"{self.root} dd[data-quantity={key}]")
        return cell.inner_text(), float(cell.get_attribute("data-value"))

    def check(self, key, expected):
        text, value = self.shown(key)
        assert value == pytest.approx(expected, rel=1e-9, abs=1e-300), f"{key}: {value} != {expected}"
        if expected == 0:
            assert float(text) == 0, f"{key}: shows {text}, expected 0"
            return
        digits = len(text.replace("-", "").replace(".", "").split("e")[0].lstrip("0")) or 1
        half_unit = 0.5 * 10 ** (math.floor(math.log10(abs(expected))) - digits + 1)
        assert abs(float(text) - expected) <= half_unit * 1.0001, f"{key}: shows {text}, expected {expected}"

    def slider_value_text(self, name):
        return self.page.inner_text(f"{self.root} output[for$='-{name}']")


def test_pmf_pdf_explorer(open_page):
    e = Explorer(open_page(EXPLORERS["fig-explore-pmf-pdf"]), "fig-explore-pmf-pdf")
    for theta, mu, sigma in [(0.3, 0.0, 1.0), (0.87, -1.3, 0.1), (0.0, 2.0, 0.4), (1.0, 0.5, 2.0)]:
        v = e.set(theta=theta, mu=mu, sigma=sigma)
        e.check("p0", stats.bernoulli(v["theta"]).pmf(0))
        e.check("p1", stats.bernoulli(v["theta"]).pmf(1))
        e.check("pmf_total", 1.0)
        e.check("peak", stats.norm(v["mu"], v["sigma"]).pdf(v["mu"]))
        e.check(
            "area", stats.norm(v["mu"], v["sigma"]).cdf(np.inf) - stats.norm(v["mu"], v["sigma"]).cdf(-np.inf)
        )
        note = e.page.inner_text(f"{e.root} [data-quantity=note]")
        assert ("above 1" in note) == (stats.norm(0, v["sigma"]).pdf(0) > 1), note
    # the keyboard: two steps left from sigma = 0.4 gives 0.3, the peak now above 1
    e.set(sigma=0.4)
    assert e.press("sigma", "ArrowLeft", 2) == pytest.approx(0.3)
    assert e.slider_value_text("sigma") == "0.30"
    e.check("peak", stats.norm(2.0, 0.3).pdf(2.0))


def test_bernoulli_likelihood_explorer_and_its_switch(open_page):
    page = open_page(EXPLORERS["fig-explore-bernoulli"])
    e = Explorer(page, "fig-explore-bernoulli")
    flips = data.COIN_FLIPS
    for theta in [0.3, 0.2, 0.01, 0.99, 0.57]:
        v = e.set(theta=theta)
        e.check("likelihood", np.prod(stats.bernoulli(v["theta"]).pmf(flips)))
        e.check("nll", -np.sum(stats.bernoulli(v["theta"]).logpmf(flips)))
    note = page.inner_text(f"{e.root} [data-quantity=note]")
    assert "×" in note and f"{0.57 * 0.43**4:.6g}"[:6] in note, note
    # the switch, from the keyboard: the product becomes a sum
    page.focus(f"{e.root} input[role=switch]")
    page.keyboard.press("Space")
    assert page.is_checked(f"{e.root} input[role=switch]")
    note = page.inner_text(f"{e.root} [data-quantity=note]")
    assert "+" in note and "×" not in note, note
    labels = page.locator(f"{e.root} svg[aria-label]").evaluate_all(
        "ss => ss.map(s => s.getAttribute('aria-label'))"
    )
    assert any("negative log-likelihood" in s.lower() for s in labels), labels
    assert e.press("theta", "ArrowLeft", 37) == pytest.approx(0.2)
    e.check("nll", lk.bernoulli_nll(0.2, flips)[()])


def test_nll_explorer_starts_with_the_sum(open_page):
    page = open_page(EXPLORERS["fig-explore-nll"])
    e = Explorer(page, "fig-explore-nll")
    assert page.is_checked(f"{e.root} input[role=switch]")
    e.set(theta=0.5)
    e.check("nll", 5 * math.log(2))
    assert e.press("theta", "End") == pytest.approx(0.99)
    e.check("nll", -(math.log(0.99) + 4 * math.log(0.01)))


def test_normal_likelihood_explorer(open_page):
    e = Explorer(open_page(EXPLORERS["fig-explore-normal"]), "fig-explore-normal")
    y = data.NORMAL_EXAMPLE
    for mu, sigma in [(0.5, 1.2), (0.0, 0.8), (-2.0, 0.3), (1.35, 2.5)]:
        v = e.set(mu=mu, sigma=sigma)
        dist = stats.norm(v["mu"], v["sigma"])
        for i, yi in enumerate(y):
            e.check(f"height{i}", dist.pdf(yi))
        e.check("likelihood", np.prod(dist.pdf(y)))
        e.check("nll", -np.sum(dist.logpdf(y)))
    note = e.page.inner_text(f"{e.root} [data-quantity=note]")
    assert f"{math.sqrt(2 / 3):.3g}" in note, note
    # the contour map marks the current point and the maximum
    assert e.page.locator(f"{e.root} svg").count() == 2


def test_classifier_explorer(open_page):
    e = Explorer(open_page(EXPLORERS["fig-explore-classifier"]), "fig-explore-classifier")
    x, y = data.two_classes()
    for w1, w2, b in [(1.0, -0.5, 0.5), (0.0, 0.0, 0.0), (1.85, 1.15, 0.1), (-3.0, 3.0, -3.0)]:
        v = e.set(w1=w1, w2=w2, b=b)
        z = x @ np.array([v["w1"], v["w2"]]) + v["b"]
        theta = 1 / (1 + np.exp(-z))
        e.check("bce", -np.mean(stats.bernoulli(theta).logpmf(y)))
        e.check("accuracy", np.mean((theta >= 0.5) == (y == 1)))
    assert e.press("b", "ArrowRight", 4) == pytest.approx(-2.8)


def test_regression_explorer_nll_moves_with_mse(open_page):
    e = Explorer(open_page(EXPLORERS["fig-explore-regression"]), "fig-explore-regression")
    x, y = data.linear()
    n = len(x)
    for w, b, sigma in [(0.3, 0.5, 1.0), (0.8, 0.96, 0.49), (-1.0, 3.0, 0.1), (2.5, -1.0, 3.0)]:
        v = e.set(w=w, b=b, sigma=sigma)
        y_hat = v["b"] + v["w"] * x
        mse = np.mean((y - y_hat) ** 2)
        e.check("mse", mse)
        e.check("nll", -np.sum(stats.norm(y_hat, v["sigma"]).logpdf(y)))
        # for a fixed sigma the NLL is an affine function of the MSE
        e.check("nll", n / 2 * math.log(2 * math.pi * v["sigma"] ** 2) + n * mse / (2 * v["sigma"] ** 2))


def test_temperature_explorer_nll_ece_and_unchanged_accuracy(open_page):
    """The NLL from scipy's log-sigmoid, the ECE over ten bins by np.digitize, the accuracy the same
    at every T; the logits and labels are the payload the page carries."""
    page = open_page(EXPLORERS["fig-explore-temperature"])
    e = Explorer(page, "fig-explore-temperature")
    payload = json.loads(page.inner_text(f"{e.root} script.lc-explorer-data"))
    z, y = np.array(payload["data"]["z"]), np.array(payload["data"]["y"])
    accuracy = np.mean((z > 0) == (y == 1))
    for T in [1.0, 0.25, 3.5, payload["reference"]["T_hat"], 40.0]:
        v = e.set(T=T)
        s = z / v["T"]
        e.check("nll", -np.mean(np.where(y == 1, special.log_expit(s), special.log_expit(-s))))
        q = special.expit(s)
        index = np.digitize(q, np.linspace(0, 1, 11)[1:-1])
        e.check(
            "ece",
            sum(
                np.mean(index == b) * abs(y[index == b].mean() - q[index == b].mean())
                for b in np.unique(index)
            ),
        )
        e.check("accuracy", accuracy)
    assert e.press("T", "ArrowLeft", 2) == pytest.approx(39.5)


def test_explorers_redraw_fast_enough(open_page):
    """Budget: a redraw within 50 ms of a slider step (median of many steps); reported."""
    for name, doc in EXPLORERS.items():
        page = open_page(doc)
        e = Explorer(page, name)
        slider = page.locator(f"{e.root} input[type=range]").first.get_attribute("name")
        page.evaluate(
            "id => { window.lcExplorerTimings[id].length = 0; }", page.eval_on_selector(e.root, "el => el.id")
        )
        e.press(slider, "Home")
        e.press(slider, "ArrowRight", 40)
        times = page.evaluate(
            "id => window.lcExplorerTimings[id]", page.eval_on_selector(e.root, "el => el.id")
        )
        assert len(times) >= 40, "every key press redraws"
        REPORT[name] = {
            "steps": len(times),
            "median_ms": round(statistics.median(times), 2),
            "worst_ms": round(max(times), 2),
        }
        print(
            f"{name}: median {statistics.median(times):.1f} ms, worst {max(times):.1f} ms "
            f"over {len(times)} redraws"
        )


def _contrast(page, selector):
    """The contrast ratio of the text colour against the page background, for each match."""
    return page.eval_on_selector_all(
        selector,
        """els => {
      const lum = c => { const [r, g, b] = c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map(v => {
          v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
      const bg = lum(getComputedStyle(document.body).backgroundColor);
      return els.map(e => { const fg = lum(getComputedStyle(e).color);
        return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05); });
    }""",
    )


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_explorers_and_questions_readable_in_both_themes(open_page, theme):
    for doc in ["book/02_likelihood", "book/05_classifiers"]:
        page = open_page(doc)
        explorer_ready(page)
        page.evaluate(
            "t => { document.documentElement.dataset.theme = t; document.documentElement.dataset.mode = t; }",
            theme,
        )
        for selector in [".lc-explorer svg", ".lc-explorer label", ".lc-explorer dd", ".lc-question p"]:
            ratios = _contrast(page, selector)
            assert ratios and min(ratios) >= 4.5, f"{doc}, {theme}: {selector} contrast {min(ratios):.2f}"
        # feedback in both colours: a wrong answer to the first question, a right one to a choice
        page.fill(".lc-question input[type=text] >> nth=0", "12345")
        page.click(".lc-question button >> nth=0")
        page.locator(".lc-question:has(input[type=radio])").last.locator("input[type=radio]").first.check()
        page.locator(".lc-question:has(input[type=radio])").last.locator("button").click()
        inject_axe(page)
        violations = page.evaluate("""async () => (await axe.run({include: [['.lc-explorer'], ['.lc-question']]},
            {resultTypes: ['violations']})).violations.map(v => v.impact + ' ' + v.id)""")
        bad = [v for v in violations if v.split()[0] in ("critical", "serious")]
        assert not bad, f"{doc}, {theme}: axe-core on the explorer and questions: {bad}"


BAND_CONTRAST = """el => {
  const rgb = c => c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + [0.2126, 0.7152, 0.0722][i] * v, 0);
  const style = getComputedStyle(el), alpha = Number(style.fillOpacity);
  const page = rgb(getComputedStyle(document.body).backgroundColor);
  const shown = rgb(style.fill).map((v, i) => alpha * v + (1 - alpha) * page[i]);
  const [a, b] = [lum(shown), lum(page)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def test_the_regression_band_stands_out_as_much_in_the_dark_theme(open_page):
    """Chapter 6's +/- 2 sigma band, blended with the page: no fainter against the dark page than
    against the light one."""
    page = open_page(EXPLORERS["fig-explore-regression"])
    e = Explorer(page, "fig-explore-regression")
    contrast = {}
    for theme in ("light", "dark"):
        page.evaluate("t => { document.documentElement.dataset.theme = t; }", theme)
        contrast[theme] = page.eval_on_selector(f"{e.root} .lc-band path", BAND_CONTRAST)
    assert contrast["dark"] >= contrast["light"] > 1.2, contrast


@pytest.mark.browser_context_args(viewport=PHONE)
def test_explorers_fit_a_phone(page, site):
    for name, doc in EXPLORERS.items():
        page.goto(f"{site}/{doc}.html", wait_until="load")
        explorer_ready(page, f"figure#{name} .lc-explorer")
        box = page.eval_on_selector(
            f"figure#{name} .lc-explorer",
            """el => ({
          width: el.clientWidth, scroll: el.scrollWidth,
          svgs: [...el.querySelectorAll('svg')].map(s => s.getBoundingClientRect().width),
          sliders: [...el.querySelectorAll('input[type=range]')].map(s => s.getBoundingClientRect().width)})""",
        )
        assert box["scroll"] <= box["width"] + 1, f"{name} scrolls sideways at {PHONE['width']} px: {box}"
        assert all(w <= box["width"] for w in box["svgs"]), box
        assert all(w >= 100 for w in box["sliders"]), f"{name}: sliders too small to use: {box}"


READOUT = re.compile(r"-?\d+\.\d{4}|-?\d\.\d{3}e-?\d+|∞")


def test_explorers_read_evenly_and_keep_their_padding(open_page):
    """Readouts in one format (four decimals, or four digits with an exponent), the frame's padding
    kept (the theme unsets a .container's), and a note that appears or wraps moves no plot."""
    for name, doc in EXPLORERS.items():
        page = open_page(doc)
        e = Explorer(page, name)
        shown = page.locator(f"{e.root} dd").all_inner_texts()
        assert shown and all(READOUT.fullmatch(t) for t in shown), f"{name}: readouts {shown}"
        padding = page.eval_on_selector(e.root, "el => getComputedStyle(el).paddingLeft")
        assert padding == "12px", f"{name}: padding {padding}"
        gap = page.eval_on_selector(
            e.root,
            """el => el.querySelector('.lc-plots').getBoundingClientRect().top
                   - el.querySelector('.lc-readouts').getBoundingClientRect().bottom""",
        )
        assert 0 <= gap <= 12, f"{name}: {gap} px between the readouts and the plots"
        sizes = page.eval_on_selector_all(
            f"{e.root} svg text", "els => els.map(t => parseFloat(getComputedStyle(t).fontSize))"
        )
        assert sizes and min(sizes) >= 12, f"{name}: plot text of {min(sizes)} px beside the figures' 16"
    question = page.locator(".lc-question").first
    assert question.evaluate("el => getComputedStyle(el).paddingLeft") == "12px"
    e = Explorer(open_page(EXPLORERS["fig-explore-pmf-pdf"]), "fig-explore-pmf-pdf")
    top = f"() => document.querySelector('{e.root} .lc-plots').getBoundingClientRect().top + scrollY"
    before = e.page.evaluate(top)
    e.set(sigma=0.2)  # the peak above 1: a note of two lines on a phone
    assert "above 1" in e.page.inner_text(f"{e.root} [data-quantity=note]")
    assert e.page.evaluate(top) == before, "the note moved the plots"


def test_every_slider_has_a_label_and_shows_its_value(open_page):
    for name, doc in EXPLORERS.items():
        page = open_page(doc)
        Explorer(page, name)
        sliders = page.eval_on_selector_all(
            f"figure#{name} input[type=range]",
            """els => els.map(s => ({
          label: s.labels.length ? s.labels[0].textContent.trim() : '',
          value: s.value,
          shown: document.querySelector(`output[for="${s.id}"]`)?.textContent}))""",
        )
        assert sliders, name
        for s in sliders:
            assert s["label"], f"{name}: a slider without a label"
            assert s["shown"] is not None and float(s["shown"]) == pytest.approx(float(s["value"])), s


# --- the self-check questions -----------------------------------------------------------------


def _questions(page):
    page.wait_for_selector(".lc-question.lc-ready")
    return page.eval_on_selector_all(
        ".lc-question",
        """els => els.map(e => ({id: e.id,
        data: JSON.parse(e.querySelector('script.lc-question-data').textContent)}))""",
    )


@pytest.mark.parametrize("doc", QUESTION_PAGES)
def test_questions_accept_right_and_reject_wrong_answers(open_page, doc):
    page = open_page(doc)
    questions = _questions(page)
    assert 3 <= len(questions) <= 5, f"{doc}: {len(questions)} questions"
    for q in questions:
        root, d = f"#{q['id']}", q["data"]
        feedback = page.locator(f"{root} .lc-feedback")
        if d["kind"] == "numeric":
            expected = NUMERIC_ANSWERS.get((doc, d["number"]))
            if expected is not None:
                assert abs(d["answer"] - expected) <= 1e-9 * max(1, abs(expected)), (doc, d, expected)
            field = page.locator(f"{root} input[type=text]")
            field.fill(str(d["answer"] + 10 * d["tol"] + 1))
            field.press("Enter")  # the keyboard submits the form
            assert feedback.inner_text().startswith("Not yet"), feedback.inner_text()
            assert "lc-wrong" in page.get_attribute(root, "class")
            assert page.locator(f"{root} .lc-explanation").is_hidden()
            field.fill(d["shown"])
            page.click(f"{root} button")
            assert feedback.inner_text().startswith("Right"), feedback.inner_text()
            assert page.locator(f"{root} .lc-explanation").is_visible()
        else:
            radios = page.locator(f"{root} input[type=radio]")
            assert radios.count() >= 2
            # the options carry the letters that the answer key names (read on the screen: a
            # section far from it is not laid out, and has no inner text)
            scroll_to(page.locator(root))
            labels = page.locator(f"{root} .lc-option label").all_inner_texts()
            assert [label[:4] for label in labels] == [f"({c}) " for c in "abcdefgh"[: len(labels)]], labels
            key = page.locator(".lc-answers-list li").nth(d["number"] - 1).text_content().strip()
            assert key.startswith("({}).".format("abcdefgh"[d["right"]])), (key, d)
            wrong = 0 if d["right"] != 0 else 1
            page.click(f"{root} button")
            assert feedback.inner_text().startswith("Choose"), "no option chosen yet"
            radios.nth(wrong).check()
            page.click(f"{root} button")
            assert feedback.inner_text().startswith("Not this one"), feedback.inner_text()
            explanations = page.locator(f"{root} .lc-explanation")
            assert explanations.nth(wrong).is_visible() and explanations.nth(d["right"]).is_hidden()
            # the verdict stands with the explanation, in the chosen option
            chosen = page.locator(f"{root} .lc-option").nth(wrong)
            assert chosen.locator(".lc-feedback + .lc-explanation").is_visible()
            # the keyboard: focus the right option's radio, select it, submit with Enter
            radios.nth(d["right"]).focus()
            page.keyboard.press("Space")
            page.keyboard.press("Enter")
            assert feedback.inner_text().startswith("Right"), feedback.inner_text()
            assert explanations.nth(d["right"]).is_visible()
            assert page.locator(f"{root} .lc-option").nth(d["right"]).locator(".lc-feedback").count() == 1


def test_numeric_answers_accept_fractions_and_refuse_non_numbers(open_page):
    page = open_page("book/02_likelihood")
    q = _questions(page)[0]  # the MLE of the five flips: 1/5
    assert q["data"]["answer"] == pytest.approx(0.2)
    root = f"#{q['id']}"
    for typed, verdict in [
        ("1/5", "Right"),
        ("0,2", "Right"),
        ("20%", "Right"),
        ("one fifth", "Type a number"),
    ]:
        page.fill(f"{root} input[type=text]", typed)
        page.press(f"{root} input[type=text]", "Enter")
        assert page.inner_text(f"{root} .lc-feedback").startswith(verdict), typed


def test_each_chapter_1_to_6_asks_a_question_about_its_explorer(html_dir):
    for name, doc in EXPLORERS.items():
        text = (html_dir / f"{doc}.html").read_text()
        assert f'href="#{name}"' in text and "lc-question" in text, f"{doc}: no question links {name}"


# chapter 10's explorer (issue 25): the prior's strength moves the MAP estimate
EXPLORERS["fig-explore-map"] = "book/10_map"
QUESTION_PAGES.append("book/10_map")
NUMERIC_ANSWERS[("book/10_map", 1)] = 3 / 8


def test_map_explorer_moves_from_the_mle_to_the_prior_mode(open_page):
    e = Explorer(open_page(EXPLORERS["fig-explore-map"]), "fig-explore-map")
    k, n = 0, 5  # the five zeros
    for strength, mode in [(4, 0.5), (0, 0.5), (100, 0.9), (37, 0.05), (12, 0.35)]:
        v = e.set(strength=strength, mode=mode)
        s, m = v["strength"], v["mode"]
        posterior = stats.beta(1 + s * m + k, 1 + s * (1 - m) + n - k)
        if s * m + k > 0:  # the mode of the posterior, where it is not on the boundary 0
            e.check("map", (posterior.args[0] - 1) / (sum(posterior.args) - 2))
        else:
            e.check("map", 0.0)
        e.check("mean", posterior.mean())
        e.check("weight", n / (n + s))
    assert e.page.locator(f"{e.root} svg").count() == 2
    assert e.press("strength", "End") == pytest.approx(100)
