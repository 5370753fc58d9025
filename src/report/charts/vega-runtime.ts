// The browser side of the charts: Vega's UMD build plus vega-interpreter (an ES module, turned into
// a script that reads the `vega` global), and the few lines that draw each chart. Read from
// node_modules once per process and inlined into the HTML report or served by the dashboard.
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** A file beside a package's main entry (both packages keep their builds in build/). */
function packageFile(name: string, file: string): string {
  return readFileSync(new URL(file, import.meta.resolve(name)), 'utf8');
}

/** Vega's runtime and the CSP-safe expression interpreter, as one classic script (sets `vega`, `vegaInterpreter`). */
export function vegaRuntimeScript(): string {
  if (cached !== undefined) return cached;
  const vega = packageFile('vega', 'vega.min.js');
  const interpreter = packageFile('vega-interpreter', 'vega-interpreter.js')
    .replace(/^import\s*\{([^}]*)\}\s*from\s*'vega-util';/m, 'const {$1} = vega;')
    .replace(
      /^export\s*\{\s*expression as expressionInterpreter\s*\};/m,
      'self.vegaInterpreter = expression;',
    )
    .replace(/^\/\/# sourceMappingURL=.*$/m, '');
  if (/^\s*(import|export)\s/m.test(interpreter)) {
    throw new Error('vega-interpreter changed shape: cannot turn it into a classic script');
  }
  if (/<\/script|<!--/i.test(vega + interpreter))
    throw new Error('the Vega build cannot be inlined in a script element');
  cached = `${vega}\n;(function(){\n${interpreter}\n})();\n`;
  return cached;
}

/**
 * Draws every `<figure data-chart="ID">` from the JSON in `<script type="application/json"
 * id="chart-specs">`. Vega parses with `ast: true` and evaluates with the interpreter: no eval.
 */
export const drawChartsScript = `(function () {
  var source = document.getElementById('chart-specs');
  if (!source || !self.vega) return;
  var specs = JSON.parse(source.textContent);
  var pending = [];
  document.querySelectorAll('[data-chart]').forEach(function (figure) {
    var spec = specs[figure.getAttribute('data-chart')];
    var target = figure.querySelector('.chart');
    if (!spec || !target) return;
    var view = new vega.View(vega.parse(spec, null, { ast: true }), {
      expr: vegaInterpreter, renderer: 'svg', container: target, hover: true
    });
    pending.push(view.runAsync());
  });
  Promise.all(pending).then(function () {
    if (self.performance && performance.mark) performance.mark('verdict-charts-drawn');
    document.documentElement.setAttribute('data-charts', 'drawn');
  }, function (error) {
    document.documentElement.setAttribute('data-charts', 'failed');
    console.error('chart failed: ' + (error && error.message));
  });
})();
`;
