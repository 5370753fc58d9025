// A 300-case labelled set with known per-model correctness: whether a model answers a case right is
// a fixed function of the model's name and the case number, so every pass count, paired table and
// test conclusion in a report can be checked by hand. Used by `node examples/labelled/run.ts` and
// by test/grade-labelled-set.test.ts.

export const CASES = 300;

/** Probability-like accuracy of each stand-in model; the exact passes come from `isCorrect`. */
export const ACCURACY: Record<string, number> = { 'frontier-large': 0.91, 'open-70b': 0.88, 'small-8b': 0.72 };

const OPERATIONS = ['addition', 'subtraction', 'multiplication'] as const;

/** The i-th case (1-based): a small arithmetic question, its answer and its tag. */
export function labelledCase(i: number): { id: string; question: string; expected: string; tag: string } {
  const a = (i * 37) % 90 + 10;
  const b = (i * 53) % 40 + 2;
  const tag = OPERATIONS[i % 3]!;
  const expected = tag === 'addition' ? a + b : tag === 'subtraction' ? a - b : a * b;
  const sign = tag === 'addition' ? '+' : tag === 'subtraction' ? '-' : '*';
  return { id: `q${i}`, question: `What is ${a} ${sign} ${b}?`, expected: String(expected), tag };
}

// FNV-1a: a stable 32-bit hash, so correctness does not depend on the platform or Node version.
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * Whether `model` answers case i right. Models share a "difficulty" per case, so their errors are
 * correlated as real models' are: a case is right when its difficulty is below the model's accuracy,
 * with a little per-model noise.
 */
export function isCorrect(model: string, i: number): boolean {
  const accuracy = ACCURACY[model] ?? 0.5;
  const difficulty = (fnv1a(`case:${i}`) % 1000) / 1000;
  const noise = ((fnv1a(`${model}:${i}`) % 1000) / 1000 - 0.5) * 0.2;
  return difficulty + noise < accuracy;
}

/** The stand-in's answer to a question: right, or off by one. */
export function answerFor(model: string, prompt: string): string {
  const id = /\bq(\d+)\b/.exec(prompt);
  if (!id) return 'I cannot tell which case this is.';
  const i = Number(id[1]);
  const { expected } = labelledCase(i);
  return isCorrect(model, i) ? expected : String(Number(expected) + 1);
}
