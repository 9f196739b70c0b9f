// The mathematics of the site's pages typeset by MathJax 4 in Node, once, when the site is built
// (code/course_build/ext/built_maths.py runs it): the pages carry MathJax's CommonHTML and its
// assistive MathML, and no MathJax script.
//
// Reads JSON on stdin:
//   {"mathjax": ".../node_modules/mathjax", "scale": 1.273,
//    "widths": [px, ...],   the widths of box to typeset a display equation for, widest first
//    "pages": [{"fonts": "URL of the woff2 folder", "items": [{"tex", "display"}]}]}
// Writes JSON on stdout: {"pages": [{"css", "items": [{"error", "variants": [{"from", "below", "html"}]}]}]}
// An inline item has one variant. A display item is typeset at each width: a variant serves the
// boxes from its width ("from", 0 for the narrowest) to the next wider one's ("below", null for
// the widest); neighbouring widths that give the same lines share one variant.

import {pathToFileURL} from 'node:url';
import {join} from 'node:path';

const EM = 16;                // the body text's font size in px, at every width

const input = JSON.parse(await new Promise((resolve) => {
  let text = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => { text += chunk; });
  process.stdin.on('end', () => resolve(text));
}));

const {default: MathJax} = await import(pathToFileURL(join(input.mathjax, 'node-main.mjs')).href);
await MathJax.init({
  loader: {load: ['input/tex', 'output/chtml', 'a11y/assistive-mml', 'adaptors/liteDOM']},
  output: {
    fontURL: '@FONTS@',
    scale: input.scale,
    // an equation wider than its column breaks across lines, a little short of the edge (at the
    // full width a glyph's overhang was cut by a pixel)
    displayOverflow: 'linebreak',
    linebreaks: {width: '98%'},
  },
  startup: {typeset: false},
});
const adaptor = MathJax.startup.adaptor;

// Every node of the output names its TeX (data-latex); the assistive <math> keeps it for the
// whole equation, the rest only weighs the page.
function dropInnerLatex(node, keep) {
  if (adaptor.kind(node) === '#text' || adaptor.kind(node) === '#comment') return;
  if (!keep) adaptor.removeAttribute(node, 'data-latex');
  for (const child of adaptor.childNodes(node)) dropInnerLatex(child, false);
}

function error(html) {
  const message = html.match(/data-mjx-error="([^"]*)"/);
  if (message) return message[1];
  const red = html.match(/<mtext[^>]*mathcolor="red"[^>]*>([^<]*)</);
  return red ? `undefined macro ${red[1]}` : null;
}

async function typeset(tex, display, containerWidth) {
  const container = await MathJax.tex2chtmlPromise(tex, {display, em: EM, ex: EM / 2, containerWidth});
  for (const math of adaptor.tags(container, 'math')) dropInnerLatex(math, true);
  for (const math of adaptor.tags(container, 'mjx-math')) dropInnerLatex(math, false);
  return adaptor.outerHTML(container);
}

const pages = [];
for (const page of input.pages) {
  MathJax.startup.output.clearCache();   // each page's stylesheet holds its own glyphs only
  const items = [];
  for (const {tex, display} of page.items) {
    const variants = [];
    if (!display) {
      variants.push({from: 0, below: null, html: await typeset(tex, false, 100000)});
    } else {
      let below = null;
      for (const [i, width] of input.widths.entries()) {
        // MathJax breaks at a width in its own, scaled, units
        const html = await typeset(tex, true, width / input.scale);
        const from = i === input.widths.length - 1 ? 0 : width;
        const wider = variants[variants.length - 1];
        if (wider && wider.html === html) wider.from = from;
        else variants.push({from, below, html});
        below = width;
      }
    }
    items.push({error: error(variants[0].html), variants});
  }
  // the text is shown at once, its maths in a fallback font until MathJax's arrives (a glyph's
  // box is sized by the stylesheet, not by the font: nothing moves when it does)
  const css = adaptor.textContent(MathJax.chtmlStylesheet())
    .replaceAll('@FONTS@', page.fonts)
    .replace(/@font-face (\/\*[^*]*\*\/ )?\{/g, '$&\n  font-display: swap;');
  pages.push({css, items});
}
process.stdout.write(JSON.stringify({pages}));
