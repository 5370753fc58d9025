// The embedded runtime (issue 21): verdict's llama.cpp provider (src/providers/llama-cpp.ts) against
// node-llama-cpp used directly, on the same generated tiny GGUF model (src/demo/tiny-gguf.ts), the
// same chat (system + user message), the same number of output tokens (greedy, no repeat penalty;
// the tiny model never emits its end token, so every call generates exactly --tokens), the same
// threads, and each call from an empty context sequence (as a run's cases are independent). Both are
// loaded in this process and called in alternation, round after round; a call is timed from the
// caller's side (verdict: `generate`, which also counts the prompt's tokens; direct: clearing the
// sequence and `LlamaChat.generateResponse`). Prints each side's tokens/s (median over the rounds)
// and the ratio verdict ÷ direct, the median of the rounds' own ratios (target ≥ 0.95).
//
//   node bench/embedded.ts [--rounds 10] [--tokens 256] [--threads N (default: verdict's default)]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type ChatHistoryItem, getLlama, LlamaChat, LlamaLogLevel } from 'node-llama-cpp';
import { writeTinyGguf } from '../src/demo/tiny-gguf.ts';
import { createLlamaCppProvider, defaultLlamaCppThreads } from '../src/providers/llama-cpp.ts';
import type { GenerateRequest } from '../src/spec/provider.ts';
import { fixed, ratio } from './runner-common.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '10' },
    tokens: { type: 'string', default: '256' },
    threads: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const tokens = Number(values.tokens);
const threads = values.threads === undefined ? defaultLlamaCppThreads() : Number(values.threads);
const TARGET = 0.95;

const dir = mkdtempSync(path.join(tmpdir(), 'verdict-bench-embedded-'));
const modelPath = path.join(dir, 'tiny.gguf');
await writeTinyGguf(modelPath);

const system = 'Answer in one short sentence.';
const user = 'Should we host the model ourselves or call an API?';

// verdict: the provider a workload's `llama-cpp:` candidate gets, on the CPU as the direct side.
const provider = createLlamaCppProvider({ modelPath, threads, gpu: false });
const request: GenerateRequest = {
  messages: [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ],
  params: { temperature: 0, max_tokens: tokens },
};

// node-llama-cpp directly: the same binary choice, model, context, thread count and chat template.
const llama = await getLlama({
  build: 'never',
  gpu: false,
  maxThreads: threads,
  logLevel: LlamaLogLevel.error,
});
const model = await llama.loadModel({ modelPath });
const context = await model.createContext({ contextSize: { max: model.trainContextSize }, threads });
const chat = new LlamaChat({ contextSequence: context.getSequence() });
const history: ChatHistoryItem[] = [
  { type: 'system', text: system },
  { type: 'user', text: user },
  { type: 'model', response: [] },
];

async function viaVerdict(): Promise<{ seconds: number; tokens: number; text: string }> {
  const started = performance.now();
  const generation = await provider.generate(request);
  return {
    seconds: (performance.now() - started) / 1000,
    tokens: generation.usage?.outputTokens ?? Number.NaN,
    text: generation.text,
  };
}

async function direct(): Promise<{ seconds: number; tokens: number; text: string }> {
  const started = performance.now();
  await chat.sequence.clearHistory();
  let generated = 0;
  const response = await chat.generateResponse(history, {
    maxTokens: tokens,
    temperature: 0,
    repeatPenalty: false,
    onToken: (chunk) => {
      generated += chunk.length;
    },
  });
  return { seconds: (performance.now() - started) / 1000, tokens: generated, text: response.response };
}

// Warm-up, unmeasured: verdict loads its runtime on the first call; both sides' first call warms up.
await viaVerdict();
await direct();

console.log(
  `${rounds} rounds × ${tokens} tokens, ${threads} thread${threads === 1 ? '' : 's'}, load average ${loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')}`,
);
const rates = { verdict: [] as number[], direct: [] as number[], paired: [] as number[] };
for (let round = 0; round < rounds; round++) {
  // Alternate which goes first, so neither always follows the other.
  const order = round % 2 === 0 ? ([viaVerdict, direct] as const) : ([direct, viaVerdict] as const);
  const results = new Map<unknown, Awaited<ReturnType<typeof direct>>>();
  for (const side of order) results.set(side, await side());
  const ours = results.get(viaVerdict)!;
  const theirs = results.get(direct)!;
  if (ours.tokens !== tokens || theirs.tokens !== tokens)
    throw new Error(`expected ${tokens} tokens each, got verdict ${ours.tokens} and direct ${theirs.tokens}`);
  if (ours.text !== theirs.text) throw new Error('verdict and node-llama-cpp generated different text');
  rates.verdict.push(ours.tokens / ours.seconds);
  rates.direct.push(theirs.tokens / theirs.seconds);
  rates.paired.push(theirs.seconds / ours.seconds);
}
await provider.close();
await llama.dispose();
rmSync(dir, { recursive: true, force: true });

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const range = (xs: number[]) => `${fixed(Math.min(...xs), 0)}–${fixed(Math.max(...xs), 0)}`;
const ours = median(rates.verdict);
const theirs = median(rates.direct);
// The headline is the median of each round's own ratio: both sides of a round ran back to back, so
// a busy moment of the machine weighs on both.
const share = median(rates.paired);
console.log(
  `verdict (llama-cpp provider):  ${fixed(ours, 0)} tokens/s median (${range(rates.verdict)})`,
  `\nnode-llama-cpp directly:       ${fixed(theirs, 0)} tokens/s median (${range(rates.direct)})`,
  `\n  verdict ÷ direct = ${fixed(share)} (median of the rounds' ratios, ${fixed(Math.min(...rates.paired))}–${fixed(Math.max(...rates.paired))}; ratio of the medians ${fixed(ratio(ours, theirs))}) (target ≥ ${TARGET}) ${share >= TARGET ? 'PASS' : 'MISS'}; the same text on both sides in every round`,
);
