// One local OpenAI-wire server answering as every "model" of the decision scenarios. A model's
// correctness is written in its name, so each scenario's pass rates are known before it runs:
//
//   <label>[.<rule>]...   rules, each applied to case n (the number in the prompt):
//     w<K>[@<R>]   wrong but valid JSON when n % K == R (R defaults to 0)
//     j<K>[@<R>]   junk (not JSON) when n % K == R: the reference-free `is-json` grader flags it
//     f<K>         wrong but valid JSON when n < K
//     s<MS>        every response waits MS milliseconds before its first byte
//   e.g. `cheap.j10` is right except on n = 0, 10, 20, 30 (plain text); `slow.s400` is always right.
//
// Token counts (the server's usage, see wire-server.ts `roughTokens`: words and punctuation):
//   prompt  "Case {{n}}: reply with the answer for the case"  → 10 input tokens
//   right   {"answer": "N"}            → { " answer " : " N " }      → 9 output tokens
//   wrong   {"answer": "x"}            → 9 output tokens
//   junk    no json here , just words : sorry !                      → 9 output tokens
// so every request of every model measures 10 input and 9 output tokens, and an API price of
// (p, 10p) dollars per million tokens costs (10 × p + 9 × 10p) ÷ 10⁶ = p × 10⁻⁴ dollars a request.
import { startWireServer, type WireRequest, type WireServer } from '../servers/wire-server.ts';

export const SCENARIO_PROMPT = 'Case {{n}}: reply with the answer for the case';
export const INPUT_TOKENS = 10;
export const OUTPUT_TOKENS = 9;

export const rightAnswer = (n: number) => `{"answer": "${n}"}`;
const WRONG = '{"answer": "x"}';
const JUNK = 'no json here , just words : sorry !';

interface Rule {
  kind: 'w' | 'j' | 'f' | 's';
  k: number;
  r: number;
}

function rulesOf(model: string): Rule[] {
  return model
    .split('.')
    .slice(1)
    .map((token) => {
      const m = /^([wjfs])(\d+)(?:@(\d+))?$/.exec(token);
      if (!m) throw new Error(`scenario model "${model}": unknown rule "${token}"`);
      return { kind: m[1] as Rule['kind'], k: Number(m[2]), r: Number(m[3] ?? 0) };
    });
}

/** The answer a scenario model gives to case n. */
export function scenarioAnswer(model: string, n: number): string {
  for (const rule of rulesOf(model)) {
    if (rule.kind === 'w' && n % rule.k === rule.r) return WRONG;
    if (rule.kind === 'j' && n % rule.k === rule.r) return JUNK;
    if (rule.kind === 'f' && n < rule.k) return WRONG;
  }
  return rightAnswer(n);
}

function caseNumber(request: WireRequest): number {
  const m = /^Case (\d+):/.exec(request.prompt);
  if (!m) throw new Error(`not a scenario prompt: ${request.prompt}`);
  return Number(m[1]);
}

/** Starts the scenario server on a random 127.0.0.1 port. */
export function startScenarioServer(): Promise<WireServer> {
  return startWireServer({
    answer: (request) => scenarioAnswer(request.model, caseNumber(request)),
    delayMs: (request) => rulesOf(request.model).find((r) => r.kind === 's')?.k ?? 0,
  });
}
