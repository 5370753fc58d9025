// A workload whose pass rates are known: one local server answers as four "models" by a rule.
import path from 'node:path';
import { runWorkload } from '../../src/run/run-workload.ts';
import type { Store } from '../../src/store/store.ts';
import { parseWorkload } from '../../src/workload/load-workload.ts';

const CASES = 40;
const label = (n: number) => (n % 2 === 0 ? 'even' : 'odd');
const json = (l: string) => JSON.stringify({ label: l });

/** acme: always right. frontier and mid: wrong (valid JSON) on n = 13 and n = 7. weak: right on n % 5 < 3, else plain text. */
export function answer(model: string, n: number): string {
  const right = label(n);
  if ((model === 'mid' && n === 7) || (model === 'frontier' && n === 13))
    return json(right === 'even' ? 'odd' : 'even');
  if (model === 'weak' && n % 5 >= 3) return 'not sure';
  return json(right);
}

export function decisionWorkloadYaml(url: string): string {
  const cases = Array.from(
    { length: CASES },
    (_, n) => `  - { id: c${n}, vars: { n: ${n} }, expected: '${json(label(n))}' }`,
  ).join('\n');
  const api = (id: string, route: string, input: number, output: number) =>
    `  - { id: ${id}, model: "openai-compatible:${id}", base_url: "${url}", serving: api, route: ${route}, price: { input_per_mtok: ${input}, output_per_mtok: ${output} } }`;
  return `version: 1
name: parity-json
prompt: 'Is {{n}} even or odd? Answer {"label": "even"} or {"label": "odd"}.'
cases:
${cases}
graders: [is-json, equals]
candidates:
${api('frontier', 'openai', 2, 6)}
${api('mid', 'openai', 1.5, 4.5)}
${api('weak', 'openai', 0.1, 0.3)}
${api('acme', 'acme', 0.05, 0.1)}
traffic: { requests_per_month: 1000000, peak_factor: 2 }
constraints: { zero_retention: true }
quality: { floor: 0.8, non_inferiority_margin: 0.15 }
`;
}

/** Runs the decision workload into a store; returns the run id. */
export async function runDecisionWorkload(store: Store, dir: string, url: string): Promise<string> {
  const workload = await parseWorkload(decisionWorkloadYaml(url), path.join(dir, 'parity-json.yaml'));
  const summary = await runWorkload(workload, { store, concurrency: 4 });
  return summary.runId;
}
