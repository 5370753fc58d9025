// One local OpenAI-wire server whose "models" change behaviour between runs, as providers do behind a
// model name (issue 17). The test sets `drift` before a run:
//   steady   always right, 30 ms
//   drifty   always right; with drift.worse, wrong (valid JSON) on every case tagged `refund`
//   slow     always right, 150 ms; with drift.slower, 600 ms (latency ×4, clear of a loaded box's noise)
// 40 cases, n = 0…39; n % 4 == 0 is tagged `refund` (10 cases), the rest `billing`. Token counts per
// request are the same for every model (10 in, 9 out; see scenario-server.ts).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startWireServer, type WireServer } from '../servers/wire-server.ts';

export interface Drift {
  worse: boolean;
  slower: boolean;
}

export const CASES = 40;
export const isRefund = (n: number) => n % 4 === 0;
const right = (n: number) => `{"answer": "${n}"}`;

/** Starts the server; `drift` is read on every request. */
export function startDriftServer(drift: Drift): Promise<WireServer> {
  return startWireServer({
    answer: (request) => {
      const n = Number(/^Case (\d+):/.exec(request.prompt)?.[1]);
      if (request.model === 'drifty' && drift.worse && isRefund(n)) return '{"answer": "x"}';
      return right(n);
    },
    delayMs: (request) => (request.model === 'slow' ? (drift.slower ? 600 : 150) : 30),
  });
}

/** Token prices (USD per million tokens) per candidate; cost per request = 10 × in + 9 × out, ÷ 10⁶. */
export interface Prices {
  steady: [number, number];
  drifty: [number, number];
  slow: [number, number];
}

export const defaultPrices: Prices = { steady: [1, 4], drifty: [0.5, 2], slow: [2, 8] };

/** Writes the workload file (JSON is YAML) and returns its path. */
export function writeDriftWorkload(
  dir: string,
  url: string,
  prices: Prices = defaultPrices,
  extra: Record<string, unknown> = {},
  name = 'drift.yaml',
): string {
  const cases = Array.from({ length: CASES }, (_, n) => ({
    id: `c${n}`,
    vars: { n: String(n) },
    expected: right(n),
    tags: [isRefund(n) ? 'refund' : 'billing'],
  }));
  const candidate = (id: keyof Prices) => ({
    id,
    model: `openai-compatible:${id}`,
    base_url: url,
    serving: 'api',
    route: 'openai',
    temperature: 0,
    price: { input_per_mtok: prices[id][0], output_per_mtok: prices[id][1] },
  });
  const workload = {
    version: 1,
    name: 'drift-watch',
    prompt: 'Case {{n}}: reply with the answer for the case',
    cases,
    graders: ['equals'],
    candidates: [candidate('steady'), candidate('drifty'), candidate('slow')],
    traffic: { requests_per_month: 1000000 },
    quality: { floor: 0.8, non_inferiority_margin: 0.1 },
    ...extra,
  };
  const file = path.join(dir, name);
  writeFileSync(file, `${JSON.stringify(workload, null, 1)}\n`);
  return file;
}
