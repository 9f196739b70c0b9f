/* Self-check questions: answered in the reader's browser with instant feedback, no server.
 *
 * Each `.lc-question` element holds the question as the book typeset it (prompt, options and
 * explanations, maths included) and a JSON data block with the answer, which the chapter's code
 * computed at build time (likelihood_course/selfcheck.py). This file turns it into a form.
 */
(function () {
  "use strict";

  const el = (tag, attrs = {}, text) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  };

  // "0,2", " 1/5 ", "2e-1" and "20%" are all 0.2
  function parseNumber(text) {
    const s = text.trim().replace(",", ".").replace(/\s+/g, "");
    let m;
    if ((m = s.match(/^([-+]?\d*\.?\d+)\/([-+]?\d*\.?\d+)$/))) return Number(m[1]) / Number(m[2]);
    if ((m = s.match(/^([-+]?\d*\.?\d+(?:e[-+]?\d+)?)%$/i))) return Number(m[1]) / 100;
    return s === "" ? NaN : Number(s);
  }

  function build(root) {
    const q = JSON.parse(root.querySelector("script.lc-question-data").textContent);
    const id = root.id || `self-check-${q.number}`;
    const feedback = el("p", {class: "lc-feedback", role: "status", "aria-live": "polite"});
    const form = el("form", {class: "lc-form", "aria-labelledby": `${id}-prompt`});
    root.querySelector(".lc-question-prompt").id = `${id}-prompt`;
    const hideAll = () => root.querySelectorAll(".lc-explanation").forEach((e) => (e.hidden = true));
    hideAll();

    if (q.kind === "choice") {
      const options = root.querySelector(".lc-options");
      const fieldset = el("fieldset");
      fieldset.append(el("legend", {class: "lc-visually-hidden"}, `Self-check ${q.number}: choose one`));
      [...options.querySelectorAll(".lc-option")].forEach((option, i) => {
        const input = el("input", {type: "radio", name: id, id: `${id}-option-${i}`, value: String(i)});
        const label = el("label", {for: input.id});
        label.append(...option.querySelector(".lc-option-text").childNodes);
        option.querySelector(".lc-option-text").remove();
        option.prepend(input, label);
        fieldset.append(option);
      });
      options.replaceWith(form);
      form.append(fieldset);
    } else {
      const input = el("input", {type: "text", inputmode: "decimal", autocomplete: "off",
                                 id: `${id}-answer`, name: "answer", size: "12"});
      form.append(el("label", {for: input.id}, "Your answer"), input);
      root.querySelector(".lc-explanation").before(form);
    }
    form.append(el("button", {type: "submit"}, "Check"));
    form.after(feedback);

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      hideAll();
      root.classList.remove("lc-right", "lc-wrong");
      let right, explanation;
      if (q.kind === "choice") {
        const chosen = form.querySelector("input:checked");
        if (!chosen) {
          form.after(feedback);
          feedback.textContent = "Choose one of the options first.";
          return;
        }
        right = Number(chosen.value) === q.right;
        explanation = chosen.closest(".lc-option").querySelector(".lc-explanation");
        explanation.before(feedback); // the verdict beside its explanation, under the option
        feedback.textContent = right ? "Right." : "Not this one.";
      } else {
        const value = parseNumber(form.querySelector("input").value);
        if (!Number.isFinite(value)) {
          feedback.textContent = "Type a number, for example 0.25 or 1/4.";
          return;
        }
        right = Math.abs(value - q.answer) <= q.tol * (1 + 1e-12);
        feedback.textContent = right
          ? `Right: ${q.shown} (answers within ${q.tol} of it count).`
          : `Not yet: ${value} is not within ${q.tol} of the answer. Try again.`;
        if (right) explanation = root.querySelector(".lc-explanation");
      }
      root.classList.add(right ? "lc-right" : "lc-wrong");
      if (explanation) explanation.hidden = false;
    });
    root.classList.add("lc-ready");
  }

  function start() {
    for (const root of document.querySelectorAll(".lc-question")) {
      try {
        build(root);
      } catch (error) {
        console.error(`self-check ${root.id}: ${error}`);
      }
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
