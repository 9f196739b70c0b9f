/* Search results' snippets as a reader reads the page. Sphinx 7.4 makes a snippet from the page's
 * textContent (Search.htmlToText), which for typeset maths is its glyphs, then its MathML's text (and
 * a long equation's again for each width it is typeset for: built_maths.py), and runs a glossary term
 * into its definition, "cross-entropyThe mean". Here the maths reads as text from its TeX (the
 * data-latex of its MathML), "θ̂ − y", and a term ends with a space.
 * (code/course_build/ext/search_snippets.py; tests/test_browser.py.) */
"use strict";
(() => {
  if (typeof Search === "undefined" || !Search.htmlToText) return;
  const SYMBOLS = {
    alpha: "α", beta: "β", gamma: "γ", delta: "δ", epsilon: "ε", varepsilon: "ε", eta: "η",
    theta: "θ", kappa: "κ", lambda: "λ", mu: "μ", nu: "ν", pi: "π", rho: "ρ", sigma: "σ",
    tau: "τ", phi: "φ", varphi: "φ", chi: "χ", psi: "ψ", omega: "ω", Gamma: "Γ", Delta: "Δ",
    Theta: "Θ", Lambda: "Λ", Pi: "Π", Sigma: "Σ", Phi: "Φ", Omega: "Ω", sum: "∑", prod: "∏",
    int: "∫", infty: "∞", partial: "∂", nabla: "∇", approx: "≈", sim: "~", le: "≤", leq: "≤",
    ge: "≥", geq: "≥", ne: "≠", neq: "≠", times: "×", cdot: "·", cdots: "⋯", ldots: "…",
    dots: "…", to: "→", mapsto: "↦", in: "∈", mid: "|", lvert: "|", rvert: "|", lVert: "‖",
    rVert: "‖", Vert: "‖", pm: "±", sqrt: "√", propto: "∝", log: "log", ln: "ln", exp: "exp",
  };
  const hat = "\u0302";
  const tex = (source) => source
    .replace(/^\\[([]|\\[)\]]$/g, "")                               // the delimiters
    .replace(/\\(?:hat|widehat)\s*(\\[A-Za-z]+|\{[^{}]*\}|[A-Za-z])/g, "$1" + hat)
    .replace(/\\\|/g, "‖")
    .replace(/\\(?:[,;:! ]|q?quad)|\\\\|\\[{}]/g, " ")
    .replace(/\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, "($1)/($2)")
    .replace(/\\([A-Za-z]+)\*?/g, (_, name) => SYMBOLS[name] ?? (
      /^(left|right|big|Big|bigg|Bigg|displaystyle|limits|nolimits|label|tag|begin|end)$/.test(name) ? "" :
      /^(mathrm|mathbf|mathbb|mathcal|mathit|text|textrm|operatorname|boldsymbol)$/.test(name) ? "" :
      name))
    .replace(/\{(?:split|aligned|align\*?|gathered|cases)\}/g, " ")  // the environments' names
    .replace(/[{}]/g, "")
    .replace(/&/g, "")
    .replace(/\s+/g, " ")
    .trim();
  const original = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    page.querySelectorAll(".math .headerlink").forEach((link) => link.remove());
    for (const math of page.querySelectorAll(".math")) {
      const number = math.querySelector(".eqno");  // a display equation's "(5.6)"
      if (number) number.remove();
      const mathml = math.querySelector("mjx-assistive-mml > math");
      const text = tex((mathml ? mathml.getAttribute("data-latex") : math.textContent).trim());
      math.textContent = math.tagName === "DIV" ? ` ${number ? number.textContent + " " : ""}${text} ` : text;
    }
    for (const term of page.querySelectorAll("dt")) term.append(" ");
    return original(page.documentElement.outerHTML, anchor);
  };
})();
