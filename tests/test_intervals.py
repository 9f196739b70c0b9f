"""Chapter 8's better intervals, held against independent references: the Wilson interval against
statsmodels' `proportion_confint(method="wilson")`, the likelihood-ratio interval against its own
root-finding (scipy.optimize.brentq on the closed-form Bernoulli log-likelihood), and coverage
against exact binomial sums, sum_k binom.pmf(k) [theta in I(k)], not only simulation. Both the
helper (likelihood_course.intervals and its figures, with its refusal of bad input) and what the
chapter computed (its glued numbers, tests/built.py) and typed (alt text, exercise solutions)."""

import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from built import figure_alt, glued, solution  # noqa: E402
from scipy import optimize, stats  # noqa: E402
from statsmodels.stats.proportion import proportion_confint  # noqa: E402

import likelihood_course as lc  # noqa: E402
from likelihood_course import figures  # noqa: E402

Z = stats.norm.ppf(0.975)
CUTOFF = stats.chi2(df=1).ppf(0.95) / 2
CASES = [
    (1, 10),
    (0, 10),
    (10, 10),
    (3, 10),
    (5, 10),
    (9, 10),
    (0, 1),
    (1, 1),
    (1, 2),
    (8, 30),
    (32, 100),
    (0, 100),
    (99, 100),
    (300, 1000),
    (2, 1000),
]


# References, written independently of the helper -------------------------------------------------


def loglik(theta, k, n):
    """The closed-form Bernoulli log-likelihood k log theta + (n - k) log(1 - theta)."""
    out = 0.0
    if k:
        out += k * np.log(theta)
    if n - k:
        out += (n - k) * np.log1p(-theta)
    return out


def brentq_lr_interval(k, n, cutoff=CUTOFF):
    """Both ends of {theta : loglik(theta_hat) - loglik(theta) <= cutoff}, by brentq."""
    theta_hat = k / n
    top = loglik(theta_hat, k, n)

    def excess(theta):
        return top - loglik(theta, k, n) - cutoff

    low = 0.0 if k == 0 else optimize.brentq(excess, 1e-300, theta_hat, xtol=1e-15, rtol=1e-14)
    high = 1.0 if k == n else optimize.brentq(excess, theta_hat, 1 - 1e-16, xtol=1e-15, rtol=1e-14)
    return low, high


def statsmodels_interval(method):
    def interval(k, n):
        low, high = proportion_confint(np.asarray(k), n, alpha=0.05, method=method)
        return np.asarray(low), np.asarray(high)

    return interval


def brentq_interval(k, n):
    ends = np.array([brentq_lr_interval(int(j), n) for j in np.atleast_1d(k)])
    return ends[:, 0], ends[:, 1]


def unclipped_wald(k, n):
    theta_hat = np.asarray(k) / n
    se = np.sqrt(theta_hat * (1 - theta_hat) / n)
    return theta_hat - Z * se, theta_hat + Z * se


REFERENCES = {
    "Wald": unclipped_wald,
    "Wilson": statsmodels_interval("wilson"),
    "likelihood ratio": brentq_interval,
}


def exact_coverage(interval, n, theta):
    """sum over k of binom.pmf(k) * [theta in interval(k)]."""
    k = np.arange(n + 1)
    low, high = interval(k, n)
    return float(np.sum(stats.binom(n, theta).pmf(k) * ((low <= theta) & (theta <= high))))


# The cutoff -----------------------------------------------------------------------------------------

CHAPTER = "08_estimates"
REPEATS = 20_000  # the chapter's coverage simulation (glued as est_cover_repeats)


@pytest.fixture(scope="module")
def g():
    return glued(CHAPTER)


def test_the_cutoff_is_half_the_chi_square_quantile(g):
    assert lc.intervals.lr_cutoff() == pytest.approx(CUTOFF, rel=1e-14)
    assert lc.intervals.lr_cutoff(0.99) == pytest.approx(stats.chi2(1).ppf(0.99) / 2, rel=1e-14)
    assert g["est_lr_cutoff"] == pytest.approx(CUTOFF, rel=1e-12)


# The likelihood-ratio interval ---------------------------------------------------------------------


@pytest.mark.parametrize("k, n", CASES)
def test_lr_interval_is_brentq_on_the_closed_form_log_likelihood(k, n):
    low, high = lc.intervals.lr_interval(k, n)
    ref_low, ref_high = brentq_lr_interval(k, n)
    assert low == pytest.approx(ref_low, abs=1e-12)
    assert high == pytest.approx(ref_high, abs=1e-12)
    assert 0 <= low <= k / n <= high <= 1


def test_lr_interval_for_many_counts_at_once_is_the_same_as_one_by_one():
    n = 37
    low, high = lc.intervals.lr_interval(np.arange(n + 1), n)
    ref = np.array([brentq_lr_interval(k, n) for k in range(n + 1)])
    np.testing.assert_allclose(low, ref[:, 0], atol=1e-12)
    np.testing.assert_allclose(high, ref[:, 1], atol=1e-12)


@pytest.mark.parametrize("k, n", [(1, 10), (32, 100), (7, 9)])
def test_lr_interval_ends_are_where_the_nll_has_risen_by_the_cutoff(k, n):
    flips = np.r_[np.ones(k), np.zeros(n - k)]
    low, high = lc.intervals.lr_interval(k, n)
    floor = -np.sum(stats.bernoulli(k / n).logpmf(flips))
    for end in (low, high):
        assert -np.sum(stats.bernoulli(end).logpmf(flips)) - floor == pytest.approx(CUTOFF, rel=1e-9)


def test_the_chapters_grid_reading_agrees_with_the_root_finding_to_its_step(g):
    ref_low, ref_high = brentq_lr_interval(1, 10)
    assert abs(g["est_lr_low"] - ref_low) <= 1e-5 and abs(g["est_lr_high"] - ref_high) <= 1e-5
    assert (g["est_small_wald_low"], g["est_small_wald_high"]) == pytest.approx(
        unclipped_wald(1, 10), rel=1e-12
    )
    assert g["est_small_wald_low"] < 0, "the prose: Wald's interval starts below 0"


def test_the_lr_figure_alt_text_names_the_crossings():
    alt = figure_alt(CHAPTER, "fig-est-lr-interval")
    found = re.search(
        r"line at ([0-9.]+) crosses the curve at about ([0-9.]+) and ([0-9.]+),.*"
        r"parabola at about (-?[0-9.]+) and ([0-9.]+)",
        alt,
    )
    assert found, alt
    cutoff, lr_low, lr_high, wald_low, wald_high = map(float, found.groups())
    assert cutoff == pytest.approx(CUTOFF, abs=5e-3)
    assert (lr_low, lr_high) == pytest.approx(brentq_lr_interval(1, 10), abs=5e-4)
    assert (wald_low, wald_high) == pytest.approx(unclipped_wald(1, 10), abs=5e-4)


def test_wald_is_the_same_rule_applied_to_the_parabola():
    for k, n in [(1, 10), (32, 100), (300, 1000)]:
        theta_hat = k / n
        info = n / (theta_hat * (1 - theta_hat))
        # 1/2 J (theta - theta_hat)^2 = cutoff at theta_hat +/- sqrt(2 cutoff / J) = +/- z SE
        half = np.sqrt(2 * CUTOFF / info)
        np.testing.assert_allclose(
            [theta_hat - half, theta_hat + half], lc.intervals.wald_interval(k, n), rtol=1e-10
        )


def test_wald_for_one_head_in_ten_passes_below_zero_and_statsmodels_clips_it():
    low, high = lc.intervals.wald_interval(1, 10)
    assert low < 0 and (low, high) == pytest.approx(unclipped_wald(1, 10), rel=1e-12)
    sm_low, sm_high = proportion_confint(1, 10, alpha=0.05, method="normal")
    assert sm_low == 0.0 and sm_high == pytest.approx(high, rel=1e-12)


@pytest.mark.parametrize("k, n", [(3, 10), (32, 100), (300, 1000), (5, 10)])
def test_wald_helper_is_statsmodels_normal_interval_inside_zero_one(k, n):
    np.testing.assert_allclose(
        lc.intervals.wald_interval(k, n), proportion_confint(k, n, alpha=0.05, method="normal"), rtol=1e-12
    )


# The Wilson interval ---------------------------------------------------------------------------------


@pytest.mark.parametrize("k, n", CASES)
def test_wilson_interval_is_statsmodels_wilson(k, n):
    ref = proportion_confint(k, n, alpha=0.05, method="wilson")
    np.testing.assert_allclose(lc.intervals.wilson_interval(k, n), ref, rtol=1e-10, atol=1e-15)
    low, high = lc.intervals.wilson_interval(k, n)
    assert 0 <= low < high <= 1


def test_wilson_at_other_levels_is_statsmodels_wilson():
    for level in (0.8, 0.99):
        ref = proportion_confint(np.arange(11), 10, alpha=1 - level, method="wilson")
        np.testing.assert_allclose(
            lc.intervals.wilson_interval(np.arange(11), 10, level), ref, rtol=1e-10, atol=1e-15
        )


def test_wilson_keeps_exactly_the_thetas_within_z_standard_errors_taken_at_theta(g):
    k, n = 1, 10
    theta = np.linspace(0.0005, 0.9995, 20_000)
    kept = np.abs(k / n - theta) <= Z * np.sqrt(theta * (1 - theta) / n)
    for low, high in (lc.intervals.wilson_interval(k, n), (g["est_wilson_low"], g["est_wilson_high"])):
        assert theta[kept].min() == pytest.approx(low, abs=1e-4)
        assert theta[kept].max() == pytest.approx(high, abs=1e-4)
    sm = proportion_confint(k, n, alpha=0.05, method="wilson")
    assert (g["est_wilson_low"], g["est_wilson_high"]) == pytest.approx(sm, rel=1e-10)


# Coverage: exact binomial sums, and the chapter's simulation against them -------------------------


@pytest.mark.parametrize("n", [10, 30, 100])
def test_simulated_coverage_matches_the_exact_binomial_sums(n):
    theta, repeats = 0.3, 20_000
    heads = np.random.default_rng(600 + n).binomial(n, theta, size=repeats)  # not the chapter's seed
    helper = {
        "Wald": lc.intervals.wald_interval,
        "Wilson": lc.intervals.wilson_interval,
        "likelihood ratio": lc.intervals.lr_interval,
    }
    for name, reference in REFERENCES.items():
        exact = exact_coverage(reference, n, theta)
        # the chapter's recipe: the interval of every count once, indexed by the simulated counts
        low, high = helper[name](np.arange(n + 1), n)
        simulated = np.mean(((low <= theta) & (theta <= high))[heads])
        assert abs(simulated - exact) < 4 * np.sqrt(exact * (1 - exact) / repeats), name
        # and the helper's intervals give the same exact coverage as the references
        assert exact_coverage(helper[name], n, theta) == pytest.approx(exact, abs=1e-12), name


def exact_table(ns, theta=0.3):
    return {name: np.array([exact_coverage(ref, n, theta) for n in ns]) for name, ref in REFERENCES.items()}


def within_mc(simulated, exact, repeats=REPEATS, k=4):
    assert abs(simulated - exact) < k * np.sqrt(exact * (1 - exact) / repeats), (simulated, exact)


def test_the_chapters_simulated_wald_coverage_is_the_exact_coverage(g):
    assert g["est_cover_repeats"] == REPEATS
    for n in (10, 30, 100):
        within_mc(g[f"est_cover_{n}"], exact_coverage(REFERENCES["Wald"], n, 0.3))


def test_the_chapters_exact_coverage_is_the_reference_sum(g):
    for glue_name, method in [
        ("est_cover_10_exact", "Wald"),
        ("est_wilson_cover_10_exact", "Wilson"),
        ("est_lr_cover_10_exact", "likelihood ratio"),
    ]:
        assert g[glue_name] == pytest.approx(exact_coverage(REFERENCES[method], 10, 0.3), abs=1e-12), method
    assert g["est_cover_30_exact"] == pytest.approx(exact_coverage(REFERENCES["Wald"], 30, 0.3), abs=1e-12)
    assert g["est_wilson_cover_30_exact"] == pytest.approx(
        exact_coverage(REFERENCES["Wilson"], 30, 0.3), abs=1e-12
    )
    table = exact_table(np.arange(10, 101))  # the chapter's n from 10 to 100
    for glue_name, method in [("wald", "Wald"), ("wilson", "Wilson"), ("lr", "likelihood ratio")]:
        assert g[f"est_{glue_name}_worst"] == pytest.approx(table[method].min(), abs=1e-12), method
        assert g[f"est_{glue_name}_mean"] == pytest.approx(table[method].mean(), abs=1e-12), method


def test_the_coverage_claims_of_the_prose_hold_for_the_chapters_numbers(g):
    # at n = 10 Wilson and the likelihood ratio come closer to 95% than Wald
    for name in ("est_wilson_cover_10_exact", "est_lr_cover_10_exact"):
        assert abs(g[name] - 0.95) < abs(g["est_cover_10_exact"] - 0.95), name
    # "at n = 30 Wilson's exact coverage is below Wald's"
    assert g["est_wilson_cover_30_exact"] < g["est_cover_30_exact"]
    # Wald dips lowest; Wilson and LR never far below 95% and closer to it on average
    assert g["est_wald_worst"] < min(g["est_wilson_worst"], g["est_lr_worst"]) - 0.05
    for name in ("wilson", "lr"):
        assert g[f"est_{name}_worst"] > 0.9
        assert abs(g[f"est_{name}_mean"] - 0.95) < abs(g["est_wald_mean"] - 0.95)
    # "for large n the three agree" (with 95% and with each other)
    cov1000 = [exact_coverage(ref, 1000, 0.3) for ref in REFERENCES.values()]
    assert max(cov1000) - min(cov1000) < 0.005 and all(abs(c - 0.95) < 0.005 for c in cov1000)


# The figures ---------------------------------------------------------------------------------------


def test_lr_figure_shades_the_lr_interval_and_ticks_the_wald_ends():
    ax = figures.likelihood_ratio_interval(1, 10)
    low, high = brentq_lr_interval(1, 10)
    spans = [p for p in ax.patches if p.get_label().startswith("likelihood ratio")]
    assert len(spans) == 1
    x0, x1 = spans[0].get_x(), spans[0].get_x() + spans[0].get_width()  # a Rectangle
    assert x0 == pytest.approx(low, abs=1e-9) and x1 == pytest.approx(high, abs=1e-9)
    ticks = [line for line in ax.lines if line.get_label().startswith("Wald")]
    np.testing.assert_allclose(ticks[0].get_xdata(), unclipped_wald(1, 10), rtol=1e-10)
    np.testing.assert_allclose(ticks[0].get_ydata(), CUTOFF, rtol=1e-12)
    # the curve is the NLL above its minimum, against scipy.stats
    theta, rise = ax.lines[0].get_data()
    flips = np.r_[1.0, np.zeros(9)]
    ref = [
        -np.sum(stats.bernoulli(t).logpmf(flips)) + np.sum(stats.bernoulli(0.1).logpmf(flips))
        for t in theta[::50]
    ]
    np.testing.assert_allclose(rise[::50], ref, rtol=1e-9, atol=1e-12)
    assert any(p.get_label().startswith("impossible") for p in ax.patches)  # Wald passes below 0
    plt.close(ax.figure)


def test_coverage_figure_draws_one_line_per_method_and_the_simulated_dots():
    ns = np.arange(10, 21)
    coverage = {"Wald": np.linspace(0.84, 0.94, 11), "Wilson": np.full(11, 0.95)}
    ax = figures.interval_coverage(ns, coverage, simulated={"Wald": ([10, 20], [0.85, 0.93])})
    by_label = {line.get_label(): line for line in ax.lines}
    np.testing.assert_allclose(by_label["Wald"].get_ydata(), coverage["Wald"])
    np.testing.assert_allclose(by_label["Wilson"].get_xdata(), ns)
    np.testing.assert_allclose(by_label["Wald, simulated"].get_ydata(), [0.85, 0.93])
    assert by_label["Wald"].get_color() == by_label["Wald, simulated"].get_color()
    assert by_label["promised 95%"].get_ydata()[0] == pytest.approx(0.95)
    plt.close(ax.figure)


def test_interval_figures_draw_on_a_given_axes():
    for draw in (
        lambda ax: figures.likelihood_ratio_interval(3, 10, ax=ax),
        lambda ax: figures.interval_coverage([10, 11], {"Wald": [0.9, 0.91]}, ax=ax),
    ):
        fig, ax = plt.subplots()
        assert draw(ax) is ax
        plt.close(fig)


# Bad input: a ValueError naming the argument -------------------------------------------------------


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: lc.intervals.lr_interval(11, 10), r"k must contain whole numbers in \[0, n\]"),
        (lambda: lc.intervals.lr_interval(-1, 10), r"k must contain whole numbers in \[0, n\]"),
        (lambda: lc.intervals.wilson_interval(1.5, 10), r"k must contain whole numbers"),
        (lambda: lc.intervals.wilson_interval([], 10), "k must not be empty"),
        (lambda: lc.intervals.wald_interval(np.nan, 10), r"k must contain whole numbers"),
        (lambda: lc.intervals.wald_interval("3", 10), r"k must contain whole numbers"),
        (lambda: lc.intervals.lr_interval(1, 0), "n must be a positive integer"),
        (lambda: lc.intervals.lr_interval(1, 2.5), "n must be a positive integer"),
        (lambda: lc.intervals.wilson_interval(1, 10, level=1.0), r"level must lie in the open interval"),
        (lambda: lc.intervals.lr_cutoff(0), r"level must lie in the open interval"),
        (lambda: lc.intervals.lr_cutoff([0.9, 0.95]), "level must be a single number"),
        (lambda: lc.intervals.lr_interval(1, 10, iterations=0), "iterations must be a positive integer"),
        (lambda: figures.likelihood_ratio_interval(0, 10), "k must lie strictly between 0 and n"),
        (lambda: figures.likelihood_ratio_interval([1, 2], 10), "k must be a single count"),
        (lambda: figures.likelihood_ratio_interval(1, 10, level=95), "level must lie in the open"),
        (lambda: figures.interval_coverage([10, 11], {}), "coverage must be a non-empty dict"),
        (
            lambda: figures.interval_coverage([10, 11], {"Wald": [0.9]}),
            r"ns and coverage\['Wald'\] must have the same length",
        ),
        (
            lambda: figures.interval_coverage([10, 11], {"Wald": [0.9, 1.2]}),
            r"coverage\['Wald'\] must lie in \[0, 1\]",
        ),
        (
            lambda: figures.interval_coverage([10, 11], {"Wald": [0.9, np.nan]}),
            r"coverage\['Wald'\] must contain only finite",
        ),
        (lambda: figures.interval_coverage([0, 11], {"Wald": [0.9, 0.9]}), "ns must contain integers >= 1"),
        (
            lambda: figures.interval_coverage([10, 11], {"Wald": [0.9, 0.9]}, level=1.5),
            r"level must lie in the open interval \(0, 1\)",
        ),
        (
            lambda: figures.interval_coverage(
                [10, 11], {"Wald": [0.9, 0.9]}, simulated={"Wilson": ([10], [0.9])}
            ),
            "simulated names a method that coverage lacks",
        ),
        (
            lambda: figures.interval_coverage([10, 11], {"Wald": [0.9, 0.9]}, simulated={"Wald": [10]}),
            r"simulated\['Wald'\] must be a pair",
        ),
        (
            lambda: figures.interval_coverage(
                [10, 11], {"Wald": [0.9, 0.9]}, simulated={"Wald": ([10, 11], [0.9])}
            ),
            r"simulated\['Wald'\] must pair one coverage with each sample size",
        ),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
    plt.close("all")


def test_the_no_heads_exercise():
    text = solution(CHAPTER, "ex-est-lr-no-heads")
    found = re.search(r"1 - e\^\{-c/10\} \\approx ([0-9.]+)\$.*\\approx ([0-9.]+)\$", text)
    assert found, text
    lr_typed, wilson_typed = float(found[1]), float(found[2])
    # likelihood ratio: -n log(1 - theta) <= c  <=>  theta <= 1 - exp(-c / n)
    low, high = lc.intervals.lr_interval(0, 10)
    assert low == 0.0
    assert high == pytest.approx(1 - np.exp(-CUTOFF / 10), rel=1e-12)
    assert high == pytest.approx(brentq_lr_interval(0, 10)[1], abs=1e-12)
    assert lr_typed == pytest.approx(high, abs=5e-4)
    # Wilson: [0, z^2 / (n + z^2)], the helper and statsmodels
    sm_low, sm_high = proportion_confint(0, 10, alpha=0.05, method="wilson")
    w_low, w_high = lc.intervals.wilson_interval(0, 10)
    assert w_low == pytest.approx(0.0, abs=1e-15) and sm_low == pytest.approx(0.0, abs=1e-15)
    assert w_high == pytest.approx(Z**2 / (10 + Z**2), rel=1e-12)
    assert wilson_typed == pytest.approx(sm_high, abs=5e-4)
    # "both admit that a coin which showed no head in ten flips may well have a theta of 0.1"
    assert "a $\\theta$ of 0.1" in text and w_high > 0.1 and high > 0.1
