/* The reader's Python: Pyodide in a Web Worker, started by run-cells.js at a page's first Run.
 *
 * Everything comes from the site itself: the interpreter and the packages from _static/pyodide/
 * (code/course_build/vendor_pyodide.py; Pyodide checks each package against the sha256 of its lock), the
 * helper package as a wheel from _static/python/ (code/course_build/ext/inpage_python.py). The cells of a page share
 * one namespace, as in a notebook. Messages:
 *   in:  {type: "start"}                           out: {type: "progress", text, step, steps}
 *                                                       then {type: "ready", seconds, phases}
 *   in:  {type: "run", id, code}                   out: {type: "result", id, stream, value, images,
 *                                                                 error, seconds}
 * A run's output comes as the build's does: stdout and stderr as one stream, the value of the
 * last expression (unless the line ends with ";"), then each figure that the cell left open.
 */
"use strict";

const STATIC = new URL(".", self.location.href); // _static/
const INDEX = new URL("pyodide/", STATIC).href;

const RUNNER = `
import base64, io, sys, traceback
from contextlib import redirect_stderr, redirect_stdout

from pyodide.code import eval_code

_namespace = {"__name__": "__main__"}


def _figures():
    if "matplotlib.pyplot" not in sys.modules:
        return []
    import matplotlib.pyplot as plt

    images = []
    for number in plt.get_fignums():
        buffer = io.BytesIO()
        plt.figure(number).savefig(buffer, format="png", bbox_inches="tight")
        images.append(base64.b64encode(buffer.getvalue()).decode())
    plt.close("all")
    return images


def _run(code):
    stream, value, error = io.StringIO(), None, None
    try:
        with redirect_stdout(stream), redirect_stderr(stream):
            result = eval_code(code, _namespace, filename="<cell>")
        if result is not None:
            value = repr(result)
    except BaseException as exc:  # the reader's error, shown under the cell as Jupyter shows it
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == "<cell>"]
        error = "".join(traceback.format_list(frames) + traceback.format_exception_only(exc))
        if frames:
            error = "Traceback (most recent call last):\\n" + error
    return {"stream": stream.getvalue(), "value": value, "error": error, "images": _figures()}
`;

let python = null;

async function start() {
  const began = performance.now();
  const phases = {};
  const phase = (name, since) => (phases[name] = (performance.now() - since) / 1000);
  let since = began;
  const site = await (await fetch(new URL("python/site.json", STATIC), { cache: "no-cache" })).json();
  const packages = site.packages;
  const steps = packages.length + 2;
  self.postMessage({ type: "progress", text: "Starting Python", step: 0, steps });
  importScripts(INDEX + "pyodide.js");
  python = await loadPyodide({ indexURL: INDEX, packages: [], env: { MPLBACKEND: "Agg" }  /* no screen in a worker: PNG */ });
  phase("python", since);
  since = performance.now();
  let step = 1;
  self.postMessage({ type: "progress", text: "Loading " + packages.join(", "), step, steps });
  await python.loadPackage(packages, {
    messageCallback: (message) => {
      if (message.startsWith("Loaded")) step = Math.min(step + 1, steps - 1);
      self.postMessage({ type: "progress", text: message, step, steps });
    },
    errorCallback: (message) => self.postMessage({ type: "progress", text: message, step, steps }),
  });
  phase("packages", since);
  since = performance.now();
  self.postMessage({ type: "progress", text: "Installing the course's helper package", step: steps - 1, steps });
  const wheel = await fetch(new URL("python/" + site.wheel, STATIC), { cache: "no-cache" });
  if (!wheel.ok) throw new Error("the helper package's wheel: HTTP " + wheel.status);
  python.unpackArchive(await wheel.arrayBuffer(), "wheel");
  python.runPython(RUNNER);
  // the imports every chapter starts with, now, and quietly (matplotlib says it builds its font cache)
  python.runPython("with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):\n import likelihood_course, matplotlib.pyplot");
  phase("helper", since);
  return { seconds: (performance.now() - began) / 1000, phases };
}

let started = null;
self.onmessage = async (event) => {
  const message = event.data;
  try {
    if (message.type === "start") {
      started = started || start();
      self.postMessage({ type: "ready", ...(await started) });
    } else if (message.type === "run") {
      await started;
      const began = performance.now();
      const result = python.globals.get("_run")(message.code);
      const output = result.toJs({ dict_converter: Object.fromEntries });
      result.destroy();
      self.postMessage({ type: "result", id: message.id, ...output, seconds: (performance.now() - began) / 1000 });
    }
  } catch (error) {
    self.postMessage({ type: "failed", id: message.id, text: String(error && error.message ? error.message : error) });
  }
};
