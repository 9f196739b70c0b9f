/* Run the chapter's code in the page: the page's side (see code/course_build/ext/inpage_python.py).
 *
 * Each cell the browser's Python can run gets a Run and an Edit button; each cell that needs
 * TensorFlow (or another package the browser lacks) says where it runs. Nothing is loaded until the
 * reader presses Run: then Python starts in a Web Worker (python-worker.js), the page's cells come
 * from _static/python/pages/<page>.json, and the cells above the one pressed run first, in page
 * order, as in a notebook (the hidden ones quietly). A cell's output replaces the build's output
 * under it; Reset brings back the cell's code and the build's output.
 */
"use strict";

(() => {
  const root = new URL(document.documentElement.dataset.content_root || "./", location.href);
  const STATIC = new URL("_static/", root);
  const cells = [...document.querySelectorAll("div.cell.lc-run, div.cell.lc-jupyter")];
  if (!cells.length) return;
  const NEEDS = { tensorflow: "TensorFlow", statsmodels: "statsmodels", pandas: "pandas", ipython: "IPython" };
  const indexOf = (cell) => Number([...cell.classList].find((c) => c.startsWith("lc-cell-")).slice(8));
  const byIndex = new Map(cells.map((cell) => [indexOf(cell), cell]));
  const pageJson = () => {
    // the page's path below the content root, e.g. book/01_probability
    const path = decodeURIComponent(new URL(location.href).pathname).slice(decodeURIComponent(root.pathname).length);
    return new URL("python/pages/" + path.replace(/\.html$/, "") + ".json", STATIC);
  };

  let worker = null;
  let starting = null;
  let payload = null;
  let next = 0; // the position in payload.cells of the first cell not yet run
  let queue = Promise.resolve();
  let runs = 0;
  const pending = new Map();

  function element(tag, attributes = {}, text = "") {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    if (text) node.textContent = text;
    return node;
  }

  function outputOf(cell) {
    let output = cell.querySelector(":scope > .lc-output");
    if (!output) {
      output = element("div", { class: "lc-output", "aria-live": "polite" });
      cell.append(output);
    }
    return output;
  }

  function status(cell, text, step, steps) {
    const output = outputOf(cell);
    let line = output.querySelector(".lc-status");
    if (!line) {
      output.replaceChildren();
      line = element("div", { class: "lc-status", role: "status" });
      line.append(element("progress", { max: "1", value: "0", "aria-label": "Starting Python" }), element("span"));
      output.append(line);
    }
    const bar = line.querySelector("progress");
    bar.max = steps;
    bar.value = step;
    line.querySelector("span").textContent = text;
  }

  function startPython(cell) {
    if (!starting) {
      worker = new Worker(new URL("python-worker.js", STATIC));
      worker.onmessage = (event) => {
        const message = event.data;
        if (message.type === "progress") status(pending.get("start"), message.text, message.step, message.steps);
        else if (message.type === "ready") pending.get("ready")(message);
        else if (message.type === "result" || message.type === "failed") {
          const resolve = pending.get(message.id);
          pending.delete(message.id);
          if (resolve) resolve(message);
          else if (message.type === "failed") pending.get("fail")(new Error(message.text));
        }
      };
      starting = Promise.all([
        fetch(pageJson(), { cache: "no-cache" }).then((r) => {
          if (!r.ok) throw new Error("this page's cells: HTTP " + r.status);
          return r.json();
        }),
        new Promise((resolve, reject) => {
          pending.set("ready", resolve);
          pending.set("fail", reject);
          worker.postMessage({ type: "start" });
        }),
      ]).then(([cellsOfPage, ready]) => {
        payload = cellsOfPage;
        // how long Python took to start, and in which phases (read by code/course_build/bench_inpage.py)
        document.documentElement.dataset.pythonStart = JSON.stringify({ seconds: ready.seconds, ...ready.phases });
      });
    }
    pending.set("start", cell);
    status(cell, "Starting Python in your browser (the first time it downloads about 45 MB)", 0, 1);
    return starting;
  }

  function codeOf(index, source) {
    const editor = byIndex.get(index)?.querySelector("textarea.lc-editor");
    return editor ? editor.value : source;
  }

  function show(cell, result) {
    const output = outputOf(cell);
    output.replaceChildren(element("p", { class: "lc-output-label" }, `Output from your browser (${result.seconds.toFixed(2)} s)`));
    if (result.stream) output.append(element("pre", { class: "lc-stream" }, result.stream));
    if (result.value) output.append(element("pre", { class: "lc-value" }, result.value));
    for (const image of result.images || []) {
      output.append(element("img", { class: "lc-figure", src: "data:image/png;base64," + image, alt: "The figure this cell drew in your browser." }));
    }
    if (result.error) output.append(element("pre", { class: "lc-error" }, result.error));
    if (result.type === "failed") output.append(element("pre", { class: "lc-error" }, "Python in the page failed: " + result.text));
    cell.classList.add("lc-ran");
  }

  function execute(index, source) {
    const id = ++runs;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      worker.postMessage({ type: "run", id, code: codeOf(index, source) });
    });
  }

  // Runs the cells from the first one not yet run up to `index`, then `index` itself.
  async function runThrough(index) {
    const cell = byIndex.get(index);
    try {
      await startPython(cell);
    } catch (error) {
      show(cell, { type: "failed", text: error.message, seconds: 0 });
      return;
    }
    const target = payload.cells.findIndex((c) => c.index === index);
    for (let position = Math.min(next, target); position <= target; position++) {
      const entry = payload.cells[position];
      if (entry.needs || (position < target && position < next)) continue;
      const shown = byIndex.get(entry.index)?.querySelector(".cell_input") ? byIndex.get(entry.index) : null;
      if (shown && shown !== cell) status(shown, "Running", 0, 1);
      const result = await execute(entry.index, entry.source);
      if (shown) show(shown, result);
      if (position >= next) next = position + 1;
      if (result.error || result.type === "failed") {
        if (shown !== cell) show(cell, { seconds: 0, error: "A cell above this one failed: fix it, then run this one again." });
        return;
      }
    }
  }

  function run(index) {
    queue = queue.then(() => runThrough(index));
    return queue;
  }

  function edit(cell, index, source) {
    const input = cell.querySelector(".cell_input");
    const highlight = input.querySelector("div.highlight");
    const help = element("p", { class: "lc-help", id: `lc-help-${index}` },
      "Shift+Enter runs the cell. Tab indents; press Escape, then Tab, to move on.");
    const editor = element("textarea", {
      class: "lc-editor", spellcheck: "false", autocapitalize: "off", autocomplete: "off",
      "aria-label": "Code of this cell, editable", "aria-describedby": help.id,
      rows: String(source.split("\n").length),
    });
    editor.value = source;
    let escaped = false;
    editor.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && event.shiftKey) {
        event.preventDefault();
        run(index);
      } else if (event.key === "Tab" && !escaped && !event.shiftKey) {
        event.preventDefault();
        editor.setRangeText("    ", editor.selectionStart, editor.selectionEnd, "end");
      }
      escaped = event.key === "Escape";
    });
    editor.addEventListener("input", () => {
      editor.rows = Math.max(editor.value.split("\n").length, 1);
    });
    highlight.hidden = true;
    highlight.after(editor, help);
    return editor;
  }

  function reset(cell) {
    cell.querySelector("textarea.lc-editor")?.remove();
    cell.querySelector(".lc-help")?.remove();
    cell.querySelector(".cell_input div.highlight").hidden = false;
    cell.querySelector(":scope > .lc-output")?.remove();
    cell.classList.remove("lc-ran");
  }

  for (const cell of cells) {
    const input = cell.querySelector(".cell_input");
    if (!input) continue; // a cell whose code the page does not show runs quietly when needed
    const index = indexOf(cell);
    const bar = element("div", { class: "lc-bar" });
    if (cell.classList.contains("lc-jupyter")) {
      const needs = [...cell.classList].find((c) => c.startsWith("lc-needs-")).slice(9);
      bar.append(element("span", { class: "lc-note" },
        `This cell needs ${NEEDS[needs] || needs}, which does not run in the page: run it on Binder, Colab or a JupyterHub (the rocket button at the top of the page).`));
      input.append(bar);
      continue;
    }
    const runButton = element("button", { type: "button", class: "lc-button lc-run-button" }, "Run");
    runButton.setAttribute("aria-label", "Run this cell in your browser");
    const editButton = element("button", { type: "button", class: "lc-button lc-edit-button", "aria-pressed": "false" }, "Edit");
    editButton.setAttribute("aria-label", "Edit this cell's code");
    const source = () => input.querySelector("div.highlight pre").textContent.replace(/\n$/, "");
    const original = source();
    runButton.addEventListener("click", () => run(index));
    editButton.addEventListener("click", () => {
      if (cell.querySelector("textarea.lc-editor")) {
        reset(cell);
        editButton.textContent = "Edit";
        editButton.setAttribute("aria-label", "Edit this cell's code");
      } else {
        edit(cell, index, original).focus();
        editButton.textContent = "Reset";
        editButton.setAttribute("aria-label", "Reset this cell's code and output");
      }
    });
    bar.append(runButton, editButton, element("span", { class: "lc-note" }, "Python in your browser"));
    input.append(bar);
  }
})();
