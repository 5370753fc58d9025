// The graders module an import writes beside the workload: promptfoo's javascript and contains-json
// assertions as verdict custom graders, which the workload names by file and export.
import path from 'node:path';
import type { GeneratedCheck } from './map-assertion.ts';
import type { SuiteFiles } from './read-promptfoo.ts';

/** The generated module: promptfoo's javascript assertions as verdict custom graders. */
export function gradersModule(checks: GeneratedCheck[], suite: SuiteFiles, outDir: string): string {
  const imports: string[] = [];
  const bodies = checks.map((check) => {
    if (check.kind === 'contains-json')
      return `/** promptfoo contains-json: some JSON object or array appears in the output. */
export function containsJson(testCase, output) {
  for (let start = 0; start < output.length; start++) {
    const open = output[start];
    if (open !== '{' && open !== '[') continue;
    const close = open === '{' ? '}' : ']';
    for (let end = output.lastIndexOf(close); end > start; end = output.lastIndexOf(close, end - 1)) {
      try {
        JSON.parse(output.slice(start, end + 1));
        return { pass: true, score: 1, reason: 'the output contains JSON' };
      } catch {}
    }
  }
  return { pass: false, score: 0, reason: 'no JSON object or array in the output' };
}`;
    if (check.kind === 'file') {
      const file = path.resolve(suite.dir, check.source);
      let relative = path.relative(outDir, file).split(path.sep).join('/');
      if (!relative.startsWith('.')) relative = `./${relative}`;
      const alias = `${check.name}Module`;
      imports.push(`import * as ${alias} from ${JSON.stringify(relative)};`);
      const fn = check.exportName
        ? `${alias}[${JSON.stringify(check.exportName)}]`
        : `(${alias}.default ?? ${alias})`;
      return `/** ${suite.shown(file)}${check.exportName ? `:${check.exportName}` : ''} */
export function ${check.name}(testCase, output, context) {
  return outcome(${fn}(output, promptfooContext(testCase)), context.config?.threshold);
}`;
    }
    const body = check.kind === 'body' ? check.source : `return (${check.source}\n);`;
    return `export function ${check.name}(testCase, output, context) {
  const fn = (output, context) => {
${body
  .split('\n')
  .map((line) => `    ${line}`)
  .join('\n')}
  };
  return outcome(fn(output, promptfooContext(testCase)), context.config?.threshold);
}`;
  });
  return `// Written by verdict import promptfoo: promptfoo's javascript assertions as verdict custom graders
// (docs/graders.md). A check gets (output, context) with context.vars, as in promptfoo; it must be
// synchronous (a returned promise is a grading error in verdict).
${imports.join('\n')}

function promptfooContext(testCase) {
  return { vars: testCase.vars, test: { vars: testCase.vars, description: testCase.id } };
}

/** promptfoo's result shapes: a boolean, a score (passing above 0, or at the threshold), or { pass, score, reason }. */
function outcome(result, threshold) {
  const clamp = (n) => Math.min(1, Math.max(0, n));
  if (typeof result === 'boolean') return { pass: result, score: result ? 1 : 0, reason: result ? 'true' : 'false' };
  if (typeof result === 'number')
    return { pass: threshold === undefined ? result > 0 : result >= threshold, score: clamp(result), reason: \`score \${result}\` };
  if (result && typeof result === 'object' && 'pass' in result)
    return { pass: Boolean(result.pass), score: clamp(typeof result.score === 'number' ? result.score : result.pass ? 1 : 0), reason: String(result.reason ?? '') };
  return { pass: false, score: 0, reason: \`the check returned \${typeof result}\` };
}

${bodies.join('\n\n')}
`;
}
