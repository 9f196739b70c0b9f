"""The course's notation (issue 24), one symbol for one thing in every chapter and the glossary,
read from the sources: the sigmoid is never sigma, the Normal is N(mu, sigma^2), a linear model
is w x + b, the Poisson mean is mu (lambda is a penalty's strength, in the MAP chapter), a class
index is c (k counts ones), and a probability is P where a density is p. The glossary states the
conventions once, and chapter 1 points there. Each rule is also run on a planted violation, so
that it is known to bite."""

import re

import pytest

from conftest import CHAPTERS, ROOT

NAMES = [doc.split("/")[-1] for doc in CHAPTERS] + ["glossary"]

# a parenthesised argument, one level of nesting deep: "(y \mid f(x; w))"
ARG = r"\((?:[^()]|\([^()]*\))*\)"


def source(name):
    return (ROOT / "book" / f"{name}.md").read_text(encoding="utf-8")


def maths(text):
    """(line, TeX) of every piece of mathematics in a page: {math} blocks, $$ blocks and inline
    $...$ (also inside the strings of a cell, where the self-check questions are written)."""
    found = []
    blocks = re.compile(r"^```\{math\}\n(.*?)^```$|^\$\$\n?(.*?)^\$\$$", re.S | re.M)
    spans = []
    for match in blocks.finditer(text):
        group = 1 if match.group(1) is not None else 2
        found.append((text.count("\n", 0, match.start(group)) + 1, match.group(group)))
        spans.append(match.span())
    rest = list(text)
    for start, end in spans:
        rest[start:end] = " " * (end - start)
    rest = "".join(rest)
    # an inline formula: from $ to the next $ not escaped, never across a blank line
    for match in re.finditer(r"(?<![\\$])\$(?!\$)((?:[^$\n]|\n(?!\s*\n))+?)(?<!\\)\$", rest):
        found.append((rest.count("\n", 0, match.start(1)) + 1, match.group(1)))
    return found


def code(text):
    """(line, code) of every code cell."""
    cells = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```$", re.S | re.M)
    return [(text.count("\n", 0, m.start()) + 1, m.group(1)) for m in cells.finditer(text)]


def hits(pattern, pieces, flags=0):
    """'line: text' of every match of pattern in the pieces."""
    out = []
    for line, piece in pieces:
        for match in re.finditer(pattern, piece, flags):
            out.append(f"{line + piece.count(chr(10), 0, match.start())}: {match.group(0)}")
    return out


# --- the rules, each a function of one page's text that returns its violations -----------------

# sigma applied to anything but an input is the sigmoid: sigma(z), sigma(0), sigma'(z), sigma(w x + b).
# sigma(x), a standard deviation that depends on the input, is allowed.
SIGMOID_AS_SIGMA = r"\\sigma\s*'?\s*(?:\\left|\\bigl|\\Bigl|\\big|\\Big)?\((?!\s*(?:x\b|x_|\\mathbf\{x\}))"
# a variable called sigma that holds a sigmoid's output
SIGMA_HOLDS_SIGMOID = r"\bsigma\w*\s*=\s*(?:tf\.(?:math\.|nn\.)?sigmoid|special\.expit|expit)\("


def sigmoid_violations(text):
    return hits(SIGMOID_AS_SIGMA, maths(text)) + hits(SIGMA_HOLDS_SIGMOID, code(text))


# "Normal" as a symbol in maths, and a Normal whose second argument is a standard deviation
NORMAL_BY_NAME = r"\\(?:mathrm|text|operatorname|mathit)\{Normal\}|(?<![\\A-Za-z])Normal\s*\("
OPEN, CLOSE = r"(?:\\left|\\bigl|\\Bigl|\\big|\\Big)?\(", r"(?:\\right|\\bigr|\\Bigr|\\big|\\Big)?\)"
SPACE = r"(?:\s|\\[,;:! ])*"
N_WITH_SD = (
    r"\\mathcal\{N\}\s*"
    + OPEN
    + r"(?:[^()]|\([^()]*\))*?,"
    + SPACE
    + r"\\(?:sigma|tau|beta)(?:_\w|_\{[^}]*\})?"
    + SPACE
    + CLOSE
)


def normal_violations(text):
    return hits(NORMAL_BY_NAME, maths(text)) + hits(N_WITH_SD, maths(text))


# a + b x (or a - b x, a + b \, x_i, a + b * x in code): b would be a slope
A_PLUS_B_X = r"\ba\s*[+-]\s*b\s*(?:\\[,;:! ]\s*|\*\s*)?(?:x\b|x_|\\mathbf\{x\})"


def linear_model_violations(text):
    return hits(A_PLUS_B_X, [(1, text)])


LAMBDA = r"\\lambda(?![A-Za-z])"
POISSON_LAMBDA = r"(?:stats\.poisson|tfd\.Poisson\(rate=|\.poisson)\(\s*lam(?:bda)?\b"
# the glossary entries whose lambda is a penalty's strength
PENALTY_TERMS = ("lasso", "ridge regression", "weight decay", "$\\lambda$")


def glossary_entries(text):
    """term -> definition of the glossary's {glossary} block, and the rest of the page."""
    block = re.search(r"```\{glossary\}\n(.*?)\n```", text, re.S).group(1)
    return dict(re.findall(r"^(\S[^\n]*)\n((?:  [^\n]*\n?|\n)*)", block, re.M))


def poisson_mean_violations(name, text):
    found = hits(POISSON_LAMBDA, code(text))
    for line, piece in maths(text):  # a Poisson written with lambda, in any chapter
        if "Poisson" in piece and re.search(LAMBDA, piece):
            found.append(f"{line}: {piece.strip()[:80]}")
    if name == "10_map":
        return found
    if name == "glossary":
        for term, definition in glossary_entries(text).items():
            if re.search(LAMBDA, definition) and term not in PENALTY_TERMS:
                found.append(f"{term}: {definition.strip()[:80]}")
        table = text.split("(sec-notation)=", 1)[-1]
        found += [
            v for v in hits(r"^\|[^\n]*" + LAMBDA + r"[^\n]*$", [(1, table)], re.M) if "penalty" not in v
        ]
        return found
    # elsewhere lambda means nothing: the MAP chapter introduces it, as a penalty's strength
    return found + hits(LAMBDA, maths(text))


# a class index written k: theta_{ik}, theta_k, z_k, [k = y], sum over k, P(y = k ...)
CLASS_INDEX_K = (
    r"\\(?:theta|hat p)_\{?(?:i,?\s*)?k\}?(?![a-zA-Z])|(?<![\\a-zA-Z])[zpqy]_\{(?:i,?\s*)?k\}|(?<![\\a-zA-Z])[zpq]_k\b"
    r"|\[k = y\]|\\sum_k\b|\\sum_\{k\}|\\sum_\{k\s*=\s*\d\}\^\{?K|y_?i?\s*=\s*k\s*\\mid|\)_k\b"
)


def class_index_violations(text):
    return hits(CLASS_INDEX_K, maths(text))


# P( ... \mid ... sigma/beta/tau ...): a probability conditioned on a continuous model's scale is
# a density; p( ... \mid ... sigmoid/softmax/theta_i ...) or p(y = 1 ...): a pmf written small
PROBABILITY_OF_A_DENSITY = (
    r"(?<![A-Za-z\\])P\s*\((?:[^()]|\([^()]*\))*?\\mid(?:[^()]|\([^()]*\))*?\\(?:sigma|beta|tau)\b"
)
DENSITY_OF_A_PMF = (
    r"(?<![A-Za-z\\_])p\s*\((?:[^()]|\([^()]*\))*?\\mid(?:[^()]|\([^()]*\))*?"
    r"(?:sigmoid|softmax|\\theta\s*=|\\theta_)"
    r"|(?<![A-Za-z\\_])p\s*\(\s*[yY](?:_i)?\s*=\s*\d"
)


def pmf_density_violations(text):
    return hits(PROBABILITY_OF_A_DENSITY, maths(text)) + hits(DENSITY_OF_A_PMF, maths(text))


RULES = {
    "sigmoid": lambda name, text: sigmoid_violations(text),
    "normal": lambda name, text: normal_violations(text),
    "linear model": lambda name, text: linear_model_violations(text),
    "poisson mean": poisson_mean_violations,
    "class index": lambda name, text: class_index_violations(text),
    "pmf and density": lambda name, text: pmf_density_violations(text),
}


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("name", NAMES)
def test_one_symbol_for_one_thing(name, rule):
    violations = RULES[rule](name, source(name))
    assert not violations, f"book/{name}.md breaks the notation ({rule}):\n" + "\n".join(violations)


# --- each rule bites, and leaves the legitimate forms alone ---------------------------------------

PLANTED = {
    "sigmoid": (
        [
            r"$\theta = \sigma(z)$",
            r"$\sigma'(z) = \theta (1 - \theta)$",
            r"$\sigma(w^\top x + b)$",
            "```{code-cell} ipython3\nsigma = tf.sigmoid(z)\n```",
        ],
        [r"$\sigma(x) = 0.1 + 0.3 (x + 3)$", r"$\sigma(x_i)$", r"$\sigma^2$", r"$\operatorname{sigmoid}(z)$"],
    ),
    "normal": (
        [
            r"$y_i \sim \mathrm{Normal}(\mu, \sigma^2)$",
            r"$\mathcal{N}(w x_i + b, \sigma_i)$",
            r"$\mathcal{N}\bigl(w \, x_i + b, \; \sigma_i\bigr)$",
            r"$w_j \sim \text{Normal}(0, \tau^2)$",
            r"$\varepsilon \sim Normal(0, 1)$",
        ],
        [
            r"$\mathcal{N}(\mu, \sigma^2)$",
            r"$\mathcal{N}(0, \sigma_i^2)$",
            r"$\mathcal{N}\bigl(\theta, I(\theta)^{-1}\bigr)$",
            "the Normal (Gaussian) distribution",
            "```{code-cell} ipython3\ntfd.Normal(loc=mu, scale=sigma)\n```",
        ],
    ),
    "linear model": (
        [
            r"$y_i = a + b \, x_i$",
            r"$\lvert y_i - a - b x_i \rvert$",
            '"""location a + b x"""',
            "loc = a + b * x",
        ],
        [r"$w x + b$", r"$\mathrm{Beta}(a + k, \; b + n - k)$", r"$P(a \le y \le b)$", r"$n + a + b - 2$"],
    ),
    "poisson mean": (
        [
            r"$P(y \mid \lambda) = \lambda^y e^{-\lambda} / y!$",
            r"$\lambda_i = e^{z_i}$",
            "```{code-cell} ipython3\nstats.poisson(lam).logpmf(y)\n```",
        ],
        [r"$P(y \mid \mu) = \mu^y e^{-\mu} / y!$", "```{code-cell} ipython3\nf = lambda t: t\n```"],
    ),
    "class index": (
        [
            r"$\theta_{ik}$",
            r"$\theta_k - [k = y]$",
            r"$-\sum_k p_k \log q_k$",
            r"$P(y_i = k \mid x_i)$",
            r"$\sum_{k=0}^{K-1} y_{ik}$",
            r"$\operatorname{softmax}(z / T)_k$",
            r"$z_k$",
        ],
        [
            r"$\theta_{ic}$",
            r"$\theta^k (1 - \theta)^{n - k}$",
            r"$k / n$",
            r"$\sum_{i=1}^{n} y_i = k$",
            r"$\sum_{k = 0}^{n} \binom{n}{k} \theta^k$",
        ],
    ),
    "pmf and density": (
        [
            r"$P(y \mid \mu, \sigma)$",
            r"$P(y_i \mid \hat y_i, \beta)$",
            r"$-\log p(y \mid \theta = \operatorname{sigmoid}(z))$",
            r"$p(y = 1 \mid x)$",
            r"$p(y_i \mid \theta_i)$",
        ],
        [
            r"$p(y \mid \mu, \sigma)$",
            r"$P(y \mid \theta)$",
            r"$p(\theta \mid y) \propto p(y \mid \theta) \, p(\theta)$",
            r"$P(a \le y \le b) = \int_a^b p(y \mid \mu, \sigma) \, dy$",
            r"$-\log p(y \mid \text{parameters})$",
            r"$P(Y = 1 \mid q(X) = q)$",
            r"$p\bigl(y_i \mid f(x_i; w)\bigr)$",
        ],
    ),
}


@pytest.mark.parametrize("rule", RULES)
def test_each_rule_finds_a_planted_violation_and_passes_the_legitimate_forms(rule):
    wrong, right = PLANTED[rule]
    for text in wrong:
        assert RULES[rule]("05_classifiers", text), f"{rule}: not caught: {text}"
    for text in right:
        assert not RULES[rule]("05_classifiers", text), f"{rule}: a legitimate form flagged: {text}"


def test_lambda_is_the_penalty_of_the_map_chapter_and_its_glossary_entries():
    assert poisson_mean_violations("07_losses", r"ridge, $\lambda \lVert w \rVert^2$")
    assert not poisson_mean_violations("10_map", r"ridge, $\lambda \lVert w \rVert^2$")
    assert poisson_mean_violations("10_map", r"$y \sim \mathrm{Poisson}(\lambda)$")
    assert re.search(LAMBDA, glossary_entries(source("glossary"))["ridge regression"])


def test_the_maths_reader_sees_what_it_must():
    text = source("05_classifiers")
    pieces = " ".join(piece for _, piece in maths(text))
    assert "\\operatorname{sigmoid}(w^\\top x_i + b)" in pieces  # a {math} block
    assert "\\theta = \\operatorname{sigmoid}(z)" in pieces  # inline, in prose
    assert "\\operatorname{sigmoid}(0) = 0.5" in pieces  # inline, in a self-check question's string
    assert len(code(text)) > 10


def test_the_notation_is_stated_once_in_the_glossary_and_chapter_1_points_there():
    glossary = source("glossary")
    assert glossary.count("(sec-notation)=") == 1
    table = glossary.split("(sec-notation)=", 1)[1]
    for symbol in (
        r"\operatorname{sigmoid}(z)",
        r"\mathcal{N}(\mu, \sigma^2)",
        "$w x + b$",
        "$c$, $K$",
        r"$\lambda$",
        r"$\mu$",
        r"$P(y \mid \theta)$",
        r"$p(y \mid \theta)$",
    ):
        assert symbol in table, symbol
    said = {name: source(name).count("{ref}`sec-notation`") for name in NAMES}
    assert said["01_probability"] == 1 and sum(said.values()) == 1, said
