/* Explorers: interactive figures computed in the reader's browser, no kernel, no network.
 *
 * Each `.lc-explorer` element on the page holds a JSON data block written at build time by the
 * helper package (likelihood_course/explorers.py): the data, the sliders and reference values. This
 * file builds the sliders, the numbers and the plots (Observable Plot, served by the site itself),
 * and redraws on every slider step. The numbers it shows are tested against the helper package's
 * NumPy references (tests/test_explorers.py).
 */
(function () {
  "use strict";

  // ---- the formulas (the chapters' equations) ----------------------------------------------
  const LOG_2PI = Math.log(2 * Math.PI);
  const bernoulli = (y, theta) => (y === 1 ? theta : 1 - theta);
  const normalPdf = (y, mu, sigma) =>
    Math.exp(-((y - mu) ** 2) / (2 * sigma * sigma)) / Math.sqrt(2 * Math.PI * sigma * sigma);
  const normalLogPdf = (y, mu, sigma) =>
    -0.5 * LOG_2PI - Math.log(sigma) - ((y - mu) ** 2) / (2 * sigma * sigma);
  const sigmoid = (z) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
  const softplus = (z) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
  const sum = (values) => values.reduce((a, b) => a + b, 0);
  const range = (lo, hi, n) => Array.from({length: n}, (_, i) => lo + (i * (hi - lo)) / (n - 1));

  // ---- display ------------------------------------------------------------------------------
  const fmt = (value, digits = 6) =>
    Number.isFinite(value) ? Number(value).toPrecision(digits).replace(/e\+?/, "e") : "∞";
  // a readout: four decimals, so that a column of them lines up; very small or large, four
  // significant digits with an exponent
  const readout = (value) =>
    !Number.isFinite(value) ? "∞"
      : value === 0 || (Math.abs(value) >= 1e-3 && Math.abs(value) < 1e5) ? value.toFixed(4)
      : value.toExponential(3).replace(/e\+?/, "e");
  const decimals = (step) => Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const el = (tag, attrs = {}, text) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const panelWidth = (root, panels) => {
    const width = Math.max(280, root.clientWidth || 640);
    return panels > 1 && width >= 640 ? Math.floor((width - 16) / panels) : width;
  };

  // Plot's own text is 10 px; the figures' is about 16 px on the page: 12 px reads beside them
  const plot = (options) => Plot.plot({...options, style: {fontSize: "12px", ...options.style}});

  // ---- the explorers: numbers(state) and plots(state, numbers, width) ------------------
  const EXPLORERS = {};

  EXPLORERS["pmf-pdf"] = (data) => ({
    readouts: [
      ["p0", "P(y = 0 | θ) = 1 − θ"],
      ["p1", "P(y = 1 | θ) = θ"],
      ["pmf_total", "P(y = 0) + P(y = 1)"],
      ["peak", "peak density p(μ | μ, σ)"],
      ["area", "area under the density"],
    ],
    numbers({theta, mu, sigma}) {
      // the area by the trapezoid rule over mu +/- 10 sigma, where all but 1e-23 of it lies
      const ys = range(mu - 10 * sigma, mu + 10 * sigma, 4001);
      const h = ys[1] - ys[0];
      const dens = ys.map((y) => normalPdf(y, mu, sigma));
      const area = h * (sum(dens) - (dens[0] + dens[dens.length - 1]) / 2);
      const peak = normalPdf(mu, mu, sigma);
      return {p0: bernoulli(0, theta), p1: bernoulli(1, theta), pmf_total: bernoulli(0, theta) + bernoulli(1, theta),
              peak, area,
              note: peak > 1 ? `The peak, ${fmt(peak, 4)}, is above 1, yet the area is still 1: ` +
                                 "a density is probability per unit of y, not a probability."
                             : "The peak is below 1. Make σ smaller and watch it pass 1 while " +
                                 "the area stays 1."};
    },
    plots({theta, mu, sigma}, v, width) {
      const bars = plot({
        width, height: 240, marginLeft: 48,
        x: {label: null, domain: ["y = 0", "y = 1"]},
        y: {label: "P(y | θ)", domain: [0, 1], grid: true},
        marks: [
          Plot.barY([{y: "y = 0", p: v.p0}, {y: "y = 1", p: v.p1}],
                    {x: "y", y: "p", fill: data.colors.blue}),
          Plot.ruleY([0]),
        ],
        ariaLabel: "Bernoulli probability mass function",
        ariaDescription: `Bars at y = 0 and y = 1 of heights ${fmt(v.p0, 3)} and ${fmt(v.p1, 3)}.`,
      });
      const [lo, hi] = data.data.y_range;
      const curve = range(lo, hi, 301).map((y) => ({y, p: normalPdf(y, mu, sigma)}));
      const density = plot({
        width, height: 240, marginLeft: 48,
        x: {label: "y", domain: [lo, hi]},
        y: {label: "p(y | μ, σ)", domain: [0, Math.max(1.2, 1.05 * v.peak)], grid: true},
        marks: [
          Plot.areaY(curve, {x: "y", y: "p", fill: data.colors.orange, fillOpacity: 0.3}),
          Plot.line(curve, {x: "y", y: "p", stroke: data.colors.orange, strokeWidth: 2}),
          Plot.ruleY([1], {strokeDasharray: "4,3"}),
          Plot.ruleY([0]),
        ],
        ariaLabel: "Normal probability density function",
        ariaDescription: `A bell curve centred at ${mu}, peak ${fmt(v.peak, 3)}; the dashed line marks density 1.`,
      });
      return [bars, density];
    },
  });

  EXPLORERS["bernoulli-likelihood"] = (data) => {
    const ys = data.data.y;
    const terms = (theta) => ys.map((y) => -Math.log(bernoulli(y, theta)));
    const grid = range(0.005, 0.995, 199);
    return {
      readouts: [
        ["likelihood", "likelihood L(θ), the product"],
        ["nll", "negative log-likelihood, the sum"],
      ],
      numbers({theta, nll}) {
        const factors = ys.map((y) => bernoulli(y, theta));
        const t = terms(theta);
        const likelihood = factors.reduce((a, b) => a * b, 1);
        return {factors, terms: t, likelihood, nll: sum(t),
                note: nll ? t.map((x) => fmt(x, 3)).join(" + ") + ` = ${fmt(sum(t), 6)}`
                          : factors.map((x) => fmt(x, 3)).join(" × ") + ` = ${fmt(likelihood, 6)}`};
      },
      plots({theta, nll}, v, width) {
        const bars = ys.map((y, i) => ({flip: `y${i + 1} = ${y}`, factor: v.factors[i], term: v.terms[i]}));
        const colour = nll ? data.colors.orange : data.colors.blue;
        const left = plot({
          width, height: 240, marginLeft: 52,
          x: {label: null, domain: bars.map((b) => b.flip)},
          y: nll ? {label: "−log P(yᵢ | θ)", domain: [0, 5], grid: true}
                 : {label: "P(yᵢ | θ)", domain: [0, 1], grid: true},
          marks: [Plot.barY(bars, {x: "flip", y: nll ? "term" : "factor", fill: colour}), Plot.ruleY([0])],
          ariaLabel: nll ? "Each flip's term of the negative log-likelihood" : "Each flip's factor of the likelihood",
          ariaDescription: v.note,
        });
        const curve = grid.map((t) => {
          const f = ys.map((y) => bernoulli(y, t));
          return {theta: t, value: nll ? -sum(f.map(Math.log)) : f.reduce((a, b) => a * b, 1)};
        });
        const now = nll ? v.nll : v.likelihood;
        const right = plot({
          width, height: 240, marginLeft: 52,
          x: {label: "θ", domain: [0, 1]},
          y: {label: nll ? "NLL(θ)" : "L(θ)", grid: true, zero: true},
          marks: [
            Plot.line(curve, {x: "theta", y: "value", stroke: colour, strokeWidth: 2}),
            Plot.ruleX([theta], {strokeDasharray: "3,3"}),
            Plot.dot([{theta, value: now}], {x: "theta", y: "value", r: 5, fill: "currentColor"}),
          ],
          ariaLabel: nll ? "Negative log-likelihood curve" : "Likelihood curve",
          ariaDescription: `The point is at θ = ${theta}, value ${fmt(now, 4)}.`,
        });
        return [left, right];
      },
    };
  };

  EXPLORERS["normal-likelihood"] = (data) => {
    const ys = data.data.y;
    const [muLo, muHi] = data.data.mu_range;
    const [sLo, sHi] = data.data.sigma_range;
    const nx = 60, ny = 60;
    const surface = [];  // L(mu, sigma) at the cell centres, row-major from (muLo, sLo)
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const mu = muLo + ((i + 0.5) * (muHi - muLo)) / nx;
        const s = sLo + ((j + 0.5) * (sHi - sLo)) / ny;
        surface.push(Math.exp(sum(ys.map((y) => normalLogPdf(y, mu, s)))));
      }
    }
    const ref = data.reference;
    return {
      readouts: [
        ...ys.map((y, i) => [`height${i}`, `density at y${i + 1} = ${y}`]),
        ["likelihood", "likelihood L(μ, σ), the product"],
        ["nll", "negative log-likelihood, the sum"],
      ],
      numbers({mu, sigma}) {
        const out = {likelihood: 1, nll: 0};
        ys.forEach((y, i) => {
          out[`height${i}`] = normalPdf(y, mu, sigma);
          out.likelihood *= out[`height${i}`];
          out.nll -= normalLogPdf(y, mu, sigma);
        });
        out.note = `The maximum, L = ${fmt(ref.likelihood_max, 5)}, is at μ = ${fmt(ref.mu_hat, 3)}, ` +
                   `σ = ${fmt(ref.sigma_hat, 3)} (the star).`;
        return out;
      },
      plots({mu, sigma}, v, width) {
        const curve = range(-4, 4, 241).map((y) => ({y, p: normalPdf(y, mu, sigma)}));
        const points = ys.map((y, i) => ({y, p: v[`height${i}`]}));
        const left = plot({
          width, height: 260, marginLeft: 48,
          x: {label: "y", domain: [-4, 4]},
          y: {label: "p(y | μ, σ)", grid: true, domain: [0, Math.max(0.5, 1.05 / Math.sqrt(2 * Math.PI) / sigma)]},
          marks: [
            Plot.line(curve, {x: "y", y: "p", stroke: data.colors.blue, strokeWidth: 2}),
            Plot.ruleX(points, {x: "y", y1: 0, y2: "p", stroke: data.colors.vermillion, strokeWidth: 2}),
            Plot.dot(points, {x: "y", y: "p", r: 4, fill: data.colors.vermillion}),
            Plot.ruleY([0]),
          ],
          ariaLabel: "Normal density with the data's heights",
          ariaDescription: `Density for μ = ${mu}, σ = ${sigma}; the data's densities are ` +
                           points.map((p) => fmt(p.p, 3)).join(", ") + ".",
        });
        const right = plot({
          width, height: 260, marginLeft: 48,
          x: {label: "μ", domain: [muLo, muHi]},
          y: {label: "σ", domain: [sLo, sHi]},
          color: {type: "linear", scheme: "viridis"},
          marks: [
            Plot.contour(surface, {x1: muLo, x2: muHi, y1: sLo, y2: sHi, width: nx, height: ny,
                                   fill: Plot.identity, thresholds: 12, stroke: data.colors.white, strokeOpacity: 0.4}),
            Plot.dot([ref], {x: "mu_hat", y: "sigma_hat", symbol: "star", r: 8, fill: data.colors.white, stroke: data.colors.black}),
            Plot.dot([{mu, sigma}], {x: "mu", y: "sigma", r: 6, fill: data.colors.orange, stroke: data.colors.black}),
          ],
          ariaLabel: "Contour map of the likelihood over μ and σ",
          ariaDescription: `The point (μ, σ) = (${mu}, ${sigma}); the star marks the maximum.`,
        });
        return [left, right];
      },
    };
  };

  // The two end points of the line w1 x1 + w2 x2 = c inside the box, or null.
  function clip(w1, w2, c, [xLo, xHi, yLo, yHi]) {
    if (Math.abs(w1) < 1e-12 && Math.abs(w2) < 1e-12) return null;
    if (Math.abs(w2) >= Math.abs(w1)) {
      return [{x: xLo, y: (c - w1 * xLo) / w2}, {x: xHi, y: (c - w1 * xHi) / w2}];
    }
    return [{x: (c - w2 * yLo) / w1, y: yLo}, {x: (c - w2 * yHi) / w1, y: yHi}];
  }

  EXPLORERS["classifier"] = (data) => {
    const {x1, x2, y} = data.data;
    const pad = 0.5;
    const box = [Math.min(...x1) - pad, Math.max(...x1) + pad, Math.min(...x2) - pad, Math.max(...x2) + pad];
    const classColour = (k) => (k === 1 ? data.colors.orange : data.colors.blue);
    return {
      readouts: [
        ["bce", "binary cross-entropy = mean Bernoulli NLL"],
        ["accuracy", "share classified right (θᵢ ≥ 0.5 means class 1)"],
      ],
      numbers({w1, w2, b}) {
        const z = x1.map((_, i) => w1 * x1[i] + w2 * x2[i] + b);
        const theta = z.map(sigmoid);
        // -[y log theta + (1 - y) log(1 - theta)] = softplus(z) - y z, which never takes log(0)
        const bce = sum(z.map((zi, i) => softplus(zi) - y[i] * zi)) / z.length;
        const accuracy = sum(theta.map((t, i) => ((t >= 0.5 ? 1 : 0) === y[i] ? 1 : 0))) / z.length;
        return {z, theta, bce, accuracy,
                note: `The lowest binary cross-entropy on these data is ${fmt(data.reference.bce_min, 5)}, at ` +
                      `w₁ = ${fmt(data.reference.w1_hat, 3)}, w₂ = ${fmt(data.reference.w2_hat, 3)}, ` +
                      `b = ${fmt(data.reference.b_hat, 3)}: the maximum likelihood estimate.`};
      },
      plots({w1, w2, b}, v, width) {
        const points = x1.map((_, i) => ({x1: x1[i], x2: x2[i], cls: y[i], z: v.z[i], theta: v.theta[i]}));
        const lines = [[0.1, "4,3", 1], [0.5, null, 2], [0.9, "4,3", 1]]
          .map(([level, dash, strokeWidth]) => [clip(w1, w2, Math.log(level / (1 - level)) - b, box), dash, strokeWidth])
          .filter(([segment]) => segment)
          .map(([segment, dash, strokeWidth]) =>
            Plot.line(segment, {x: "x", y: "y", stroke: "currentColor", strokeWidth, strokeDasharray: dash, clip: true}));
        const left = plot({
          width, height: 280, marginLeft: 40,
          x: {label: "x₁", domain: box.slice(0, 2)},
          y: {label: "x₂", domain: box.slice(2)},
          marks: [
            Plot.dot(points, {x: "x1", y: "x2", r: 3, fill: (d) => classColour(d.cls),
                              symbol: (d) => (d.cls === 1 ? "square" : "circle")}),
            ...lines,
          ],
          ariaLabel: "The two classes and the model's lines θ = 0.1, 0.5 and 0.9",
          ariaDescription: `Decision boundary ${w1} x₁ + ${w2} x₂ + ${b} = 0.`,
        });
        const zs = v.z;
        const zLo = Math.min(-6, ...zs), zHi = Math.max(6, ...zs);
        const curve = range(zLo, zHi, 200).map((z) => ({z, theta: sigmoid(z)}));
        const right = plot({
          width, height: 280, marginLeft: 48,
          x: {label: "logit w · x + b", domain: [zLo, zHi]},
          y: {label: "predicted θᵢ", domain: [0, 1], grid: true},
          marks: [
            Plot.line(curve, {x: "z", y: "theta", stroke: "currentColor", strokeWidth: 1}),
            Plot.dot(points, {x: "z", y: "theta", r: 3, fill: (d) => classColour(d.cls),
                              symbol: (d) => (d.cls === 1 ? "square" : "circle")}),
          ],
          ariaLabel: "Each point's predicted probability of class 1 against its logit",
          ariaDescription: `Binary cross-entropy ${fmt(v.bce, 4)}.`,
        });
        return [left, right];
      },
    };
  };

  EXPLORERS["regression"] = (data) => {
    const {x, y} = data.data;
    const n = x.length;
    const [xLo, xHi] = [Math.min(...x), Math.max(...x)];
    const nllOf = (mse, sigma) => 0.5 * n * Math.log(2 * Math.PI * sigma * sigma) + (n * mse) / (2 * sigma * sigma);
    return {
      readouts: [
        ["mse", "mean squared error"],
        ["nll", "Gaussian NLL, summed over the points"],
      ],
      numbers({w, b, sigma}) {
        const mse = sum(x.map((xi, i) => (y[i] - (b + w * xi)) ** 2)) / n;
        const nll = -sum(x.map((xi, i) => normalLogPdf(y[i], b + w * xi, sigma)));
        const inside = sum(x.map((xi, i) => (Math.abs(y[i] - (b + w * xi)) <= 2 * sigma ? 1 : 0)));
        return {mse, nll,
                note: `NLL = n/2 · log(2πσ²) + n/(2σ²) · MSE with n = ${n}: for a fixed σ the NLL moves ` +
                      `with the MSE. ${inside} of the ${n} points lie inside the ±2σ band.`};
      },
      plots({w, b, sigma}, v, width) {
        const points = x.map((xi, i) => ({x: xi, y: y[i]}));
        const line = [xLo, xHi].map((xi) => ({x: xi, y: b + w * xi, lo: b + w * xi - 2 * sigma, hi: b + w * xi + 2 * sigma}));
        const left = plot({
          width, height: 260, marginLeft: 40,
          x: {label: "x", domain: [xLo, xHi]},
          y: {label: "y", grid: true, domain: [Math.min(...y) - 1, Math.max(...y) + 1]},
          marks: [
            Plot.areaY(line, {x: "x", y1: "lo", y2: "hi", fill: data.colors.blue, fillOpacity: 0.2, clip: true,
                              className: "lc-band"}),  // interactive.css: lighter in the dark theme
            Plot.dot(points, {x: "x", y: "y", r: 3, fill: data.colors.sky}),
            Plot.line(line, {x: "x", y: "y", stroke: data.colors.blue, strokeWidth: 2, clip: true}),
          ],
          ariaLabel: "The data, the line and its ±2σ band",
          ariaDescription: `Line y = ${b} + ${w} x, band ±${fmt(2 * sigma, 3)}.`,
        });
        const mses = range(0, Math.max(2 * v.mse, 2), 50).map((mse) => ({mse, nll: nllOf(mse, sigma)}));
        const right = plot({
          width, height: 260, marginLeft: 56,
          x: {label: "MSE", grid: true},
          y: {label: `NLL at σ = ${sigma}`, grid: true},
          marks: [
            Plot.line(mses, {x: "mse", y: "nll", stroke: data.colors.orange, strokeWidth: 2}),
            Plot.ruleX([data.reference.mse_min], {strokeDasharray: "4,3"}),
            Plot.dot([v], {x: "mse", y: "nll", r: 5, fill: "currentColor"}),
          ],
          ariaLabel: "The Gaussian NLL against the MSE, for this σ",
          ariaDescription: `A straight line; the point is at MSE ${fmt(v.mse, 4)}, NLL ${fmt(v.nll, 5)}; ` +
                           "the dashed line marks the least-squares MSE.",
        });
        return [left, right];
      },
    };
  };

  // Chapter 10: a Beta prior of a given strength (pseudo-counts) and mode against Bernoulli data.
  EXPLORERS["map-beta"] = (data) => {
    const ys = data.data.y;
    const n = ys.length, k = sum(ys);
    const mle = k / n;
    const grid = range(0.0025, 0.9975, 200);
    // a Beta(alpha, beta) density on the grid, normalised numerically (the grid avoids 0 and 1)
    const density = (alpha, beta) => {
      const logs = grid.map((t) => (alpha - 1) * Math.log(t) + (beta - 1) * Math.log(1 - t));
      const top = Math.max(...logs);
      const values = logs.map((l) => Math.exp(l - top));
      const h = grid[1] - grid[0];
      const area = h * (sum(values) - (values[0] + values[values.length - 1]) / 2);
      return values.map((v) => v / area);
    };
    const mapOf = (s, m) => (k + s * m) / (n + s);
    return {
      readouts: [
        ["map", "MAP estimate (k + s·m) / (n + s)"],
        ["mean", "posterior mean (k + 1 + s·m) / (n + 2 + s)"],
        ["weight", "weight of the data n / (n + s)"],
      ],
      numbers({strength, mode}) {
        const map = mapOf(strength, mode);
        const mean = (k + 1 + strength * mode) / (n + 2 + strength);
        const weight = n / (n + strength);
        return {map, mean, weight,
                note: `${k} ones in ${n} flips: the MLE is ${fmt(mle, 3)}. The MAP estimate is ` +
                      `${fmt(weight, 3)} × ${fmt(mle, 3)} + ${fmt(1 - weight, 3)} × ${mode}: ` +
                      "the data's weight falls as the prior's pseudo-counts grow."};
      },
      plots({strength, mode}, v, width) {
        const a = 1 + strength * mode, b = 1 + strength * (1 - mode);
        const curves = [
          ["prior", density(a, b), data.colors.green],
          ["likelihood (scaled)", density(k + 1, n - k + 1), data.colors.blue],
          ["posterior", density(a + k, b + n - k), data.colors.orange],
        ];
        const lines = curves.map(([, values, colour], j) =>
          Plot.line(grid.map((t, i) => ({theta: t, p: values[i]})),
                    {x: "theta", y: "p", stroke: colour, strokeWidth: 2, strokeDasharray: ["2,2", "6,3", null][j]}));
        const top = Math.max(...curves.flatMap((c) => c[1]));
        const left = plot({
          width, height: 260, marginLeft: 48,
          x: {label: "θ", domain: [0, 1]},
          y: {label: "density", grid: true, domain: [0, 1.05 * top]},
          marks: [
            ...lines,
            Plot.ruleX([mle], {stroke: data.colors.blue, strokeDasharray: "4,3"}),
            Plot.ruleX([v.map], {stroke: data.colors.vermillion, strokeWidth: 2}),
            Plot.ruleY([0]),
          ],
          ariaLabel: "Prior, scaled likelihood and posterior over θ",
          ariaDescription: `Prior Beta(${fmt(a, 3)}, ${fmt(b, 3)}) (green, dotted), the scaled likelihood ` +
                           `(blue, dashed) and the posterior (orange, solid), which peaks at the MAP estimate ` +
                           `${fmt(v.map, 3)} (vermillion line); the MLE ${fmt(mle, 3)} is the dashed blue line.`,
        });
        const path = range(0, 100, 101).map((s) => ({s, map: mapOf(s, mode)}));
        const right = plot({
          width, height: 260, marginLeft: 48,
          x: {label: "prior strength s (pseudo-counts)", domain: [0, 100]},
          y: {label: "MAP estimate", domain: [0, 1], grid: true},
          marks: [
            Plot.ruleY([mle], {stroke: data.colors.blue, strokeDasharray: "4,3"}),
            Plot.ruleY([mode], {stroke: data.colors.green, strokeDasharray: "2,2"}),
            Plot.line(path, {x: "s", y: "map", stroke: data.colors.vermillion, strokeWidth: 2}),
            Plot.dot([{s: strength, map: v.map}], {x: "s", y: "map", r: 5, fill: "currentColor"}),
          ],
          ariaLabel: "The MAP estimate against the prior's strength",
          ariaDescription: `From the MLE ${fmt(mle, 3)} at strength 0 towards the prior's mode ${mode}; ` +
                           `at strength ${strength} it is ${fmt(v.map, 3)}.`,
        });
        return [left, right];
      },
    };
  };

  // Chapter 11: the temperature T divides a classifier's logits; the reliability diagram of
  // sigmoid(z / T) in equal-width bins (as figures.reliability_bins), the mean NLL against T.
  EXPLORERS["temperature"] = (data) => {
    const {z, y, bins} = data.data;
    const n = z.length;
    const meanNll = (T) => sum(z.map((zi, i) => softplus(zi / T) - (y[i] * zi) / T)) / n;
    const temperatures = range(Math.log(0.25), Math.log(50), 120).map(Math.exp);
    const curve = temperatures.map((T) => ({T, nll: meanNll(T)}));
    const ref = data.reference;
    return {
      readouts: [
        ["nll", "mean NLL of the labels"],
        ["ece", `expected calibration error (${bins} bins)`],
        ["accuracy", "share classified right (z > 0 means class 1)"],
      ],
      numbers({T}) {
        const q = z.map((zi) => sigmoid(zi / T));
        const count = new Array(bins).fill(0), sumQ = new Array(bins).fill(0), sumY = new Array(bins).fill(0);
        q.forEach((qi, i) => {
          const b = Math.min(Math.floor(qi * bins), bins - 1);
          count[b] += 1; sumQ[b] += qi; sumY[b] += y[i];
        });
        const cells = [];
        let ece = 0;
        for (let b = 0; b < bins; b++) {
          if (count[b] === 0) continue;
          const meanQ = sumQ[b] / count[b], freq = sumY[b] / count[b];
          ece += (count[b] / n) * Math.abs(freq - meanQ);
          cells.push({meanQ, freq, count: count[b]});
        }
        const accuracy = sum(z.map((zi, i) => ((zi > 0 ? 1 : 0) === y[i] ? 1 : 0))) / n;
        return {nll: meanNll(T), ece, accuracy, cells,
                note: `The NLL is lowest, ${fmt(ref.nll_min, 5)}, at T = ${fmt(ref.T_hat, 4)}: the ` +
                      "maximum likelihood temperature. The accuracy stays the same at every T."};
      },
      plots({T}, v, width) {
        const left = plot({
          width, height: 280, marginLeft: 48,
          x: {label: "predicted probability", domain: [0, 1]},
          y: {label: "observed frequency of y = 1", domain: [0, 1], grid: true},
          r: {domain: [0, n], range: [2, 14]},
          marks: [
            Plot.line([{x: 0, y: 0}, {x: 1, y: 1}], {x: "x", y: "y", stroke: "currentColor", strokeDasharray: "4,3"}),
            Plot.ruleX(v.cells, {x: "meanQ", y1: "meanQ", y2: "freq", stroke: data.colors.vermillion, strokeWidth: 2}),
            Plot.dot(v.cells, {x: "meanQ", y: "freq", r: "count", fill: data.colors.blue}),
          ],
          ariaLabel: "Reliability diagram at this temperature",
          ariaDescription: `${v.cells.length} bins; ECE ${fmt(v.ece, 4)}.`,
        });
        const right = plot({
          width, height: 280, marginLeft: 52,
          x: {label: "temperature T", type: "log", domain: [0.25, 50]},
          y: {label: "mean NLL", grid: true},
          marks: [
            Plot.line(curve, {x: "T", y: "nll", stroke: data.colors.orange, strokeWidth: 2}),
            Plot.ruleX([ref.T_hat], {strokeDasharray: "4,3"}),
            Plot.dot([{T, nll: v.nll}], {x: "T", y: "nll", r: 5, fill: "currentColor"}),
          ],
          ariaLabel: "The mean NLL against the temperature",
          ariaDescription: `The point is at T = ${T}, NLL ${fmt(v.nll, 4)}; the dashed line marks the ` +
                           `fitted temperature ${fmt(ref.T_hat, 4)}.`,
        });
        return [left, right];
      },
    };
  };

  // ---- building and redrawing ---------------------------------------------------------------
  window.lcExplorerTimings = window.lcExplorerTimings || {};
  let counter = 0;

  function build(root) {
    const data = JSON.parse(root.querySelector("script.lc-explorer-data").textContent);
    const spec = EXPLORERS[data.kind](data);
    const id = `lc-explorer-${++counter}`;
    const state = {};
    root.id = root.id || id;
    root.setAttribute("role", "group");
    root.setAttribute("aria-label", `Explorer: ${data.title}`);
    root.querySelector(".lc-explorer-static")?.remove();

    const controls = el("div", {class: "lc-controls"});
    for (const s of data.sliders) {
      state[s.name] = s.value;
      const row = el("div", {class: "lc-slider"});
      const input = el("input", {type: "range", id: `${id}-${s.name}`, name: s.name,
                                 min: s.min, max: s.max, step: s.step, value: s.value});
      const out = el("output", {for: input.id, id: `${input.id}-value`}, Number(s.value).toFixed(decimals(s.step)));
      row.append(el("label", {for: input.id}, s.label), input, out);
      input.addEventListener("input", () => {
        state[s.name] = Number(input.value);
        out.textContent = state[s.name].toFixed(decimals(s.step));
        redraw();
      });
      controls.append(row);
    }
    if (data.switch) {
      state[data.switch.name] = data.switch.value;
      const input = el("input", {type: "checkbox", role: "switch", id: `${id}-${data.switch.name}`,
                                 name: data.switch.name});
      input.checked = data.switch.value;
      input.addEventListener("change", () => { state[data.switch.name] = input.checked; redraw(); });
      const row = el("div", {class: "lc-switch"});
      row.append(input, el("label", {for: input.id}, data.switch.label));
      controls.append(row);
    }

    const readouts = el("dl", {class: "lc-readouts", "aria-live": "polite"});
    const cells = {};
    for (const [key, label] of spec.readouts) {
      cells[key] = el("dd", {"data-quantity": key});
      readouts.append(el("dt", {}, label), cells[key]);
    }
    const note = el("p", {class: "lc-note", "data-quantity": "note"});
    const plots = el("div", {class: "lc-plots"});
    root.append(controls, readouts, plots, note); // a note that wraps moves no plot

    const timings = (window.lcExplorerTimings[root.id] = []);
    function redraw() {
      const t0 = performance.now();
      const values = spec.numbers(state);
      for (const [key] of spec.readouts) {
        cells[key].textContent = readout(values[key]);
        cells[key].dataset.value = String(values[key]);
      }
      note.textContent = values.note || "";
      const figures = spec.plots(state, values, panelWidth(plots, 2));
      for (const svg of figures) {
        // one image with its label and description: Plot also labels each mark's <g>, which ARIA
        // does not allow on a generic element (axe: aria-prohibited-attr)
        svg.setAttribute("role", "img");
        for (const g of svg.querySelectorAll("g[aria-label]")) g.removeAttribute("aria-label");
      }
      plots.replaceChildren(...figures);
      timings.push(performance.now() - t0);
    }
    redraw();
    let width = plots.clientWidth;
    new ResizeObserver(() => { if (plots.clientWidth !== width) { width = plots.clientWidth; redraw(); } })
      .observe(plots);
    root.classList.add("lc-ready");
  }

  // ---- drawn as they come into view ----------------------------------------------------------
  // An explorer is built when it nears the screen, and Observable Plot and D3 (370 KB) are loaded
  // then, once: a page that is only read at its top runs none of it (issue 23, point 3).
  const here = document.currentScript ? document.currentScript.src : document.baseURI;
  const LIBRARIES = ["plot/d3.min.js", "plot/plot.umd.min.js"]; // in _static/, beside this file
  let libraries = null;
  const loadLibraries = () =>
    (libraries ||= LIBRARIES.reduce(
      (loaded, file) => loaded.then(() => window.Plot || new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = new URL(file, here).href;
        script.onload = resolve;
        script.onerror = () => reject(new Error(`${file} did not load`));
        document.head.append(script);
      })),
      Promise.resolve(),
    ));

  function draw(root) {
    loadLibraries()
      .then(() => build(root))
      .catch((error) => {
        root.classList.add("lc-failed");
        console.error(`explorer ${root.id || ""}: ${error}`);
      });
  }

  function start() {
    const roots = document.querySelectorAll(".lc-explorer");
    if (!("IntersectionObserver" in window)) return roots.forEach(draw);
    const nearing = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        nearing.unobserve(entry.target);
        draw(entry.target);
      }
    }, {rootMargin: "600px 0px"});
    roots.forEach((root) => nearing.observe(root));
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
