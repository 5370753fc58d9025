// One promptfoo assertion → one verdict grader entry, or the reason it cannot be one. Where the
// grader measures the same thing a little differently (`similar` is an embedding distance in
// promptfoo, an edit distance in verdict), the entry carries a note so the summary says so.

/** A promptfoo assertion as the config writes it (`{ type, value, threshold, weight, … }`). */
export interface PromptfooAssertion {
  type?: unknown;
  value?: unknown;
  threshold?: unknown;
  weight?: unknown;
  provider?: unknown;
  transform?: unknown;
  metric?: unknown;
  [key: string]: unknown;
}

/** A JavaScript check the import writes into the generated graders module. */
export interface GeneratedCheck {
  /** The export name in promptfoo-graders.mjs. */
  name: string;
  /** The function's source, or an import of the user's file. */
  kind: 'expression' | 'body' | 'file' | 'contains-json';
  source: string;
  /** With kind `file`: the function's export name in the file (promptfoo `file://x.js:name`). */
  exportName?: string;
}

export type AssertionMapping =
  | { ok: true; entry: Record<string, unknown> | string; note?: string }
  | { ok: false; reason: string };

const DETERMINISTIC_NOT = new Set([
  'equals',
  'contains',
  'icontains',
  'contains-any',
  'contains-all',
  'icontains-any',
  'icontains-all',
  'starts-with',
  'regex',
  'is-json',
]);

const NO_GRADER: Record<string, string> = {
  levenshtein:
    'an absolute edit distance; verdict’s similarity is normalised to 0–1 (use similarity with a threshold)',
  python: 'verdict runs JavaScript and TypeScript graders only (custom)',
  webhook: 'verdict graders are local functions; call the webhook from a custom grader',
  'rouge-n': 'no ROUGE grader in verdict',
  bleu: 'no BLEU grader in verdict',
  gleu: 'no GLEU grader in verdict',
  meteor: 'no METEOR grader in verdict',
  perplexity: 'verdict does not read token log-probabilities',
  'perplexity-score': 'verdict does not read token log-probabilities',
  moderation: 'no moderation grader in verdict',
  classifier: 'no classifier grader in verdict',
  'answer-relevance': 'needs embeddings, which verdict does not compute',
  'context-faithfulness': 'RAG context graders are not part of verdict',
  'context-recall': 'RAG context graders are not part of verdict',
  'context-relevance': 'RAG context graders are not part of verdict',
  'select-best':
    'compares prompts or providers across a test, which verdict does with its paired statistics instead',
  'max-score': 'compares outputs across providers, which verdict does with its paired statistics instead',
  'g-eval': 'no G-Eval grader; an llm-rubric with the same criteria is the nearest',
  'model-graded-factuality': 'use factuality',
  'is-valid-openai-tools-call': 'verdict does not send tools',
  'is-valid-openai-function-call': 'verdict does not send functions',
  'is-valid-function-call': 'verdict does not send functions',
  'is-sql': 'no SQL grader in verdict',
  'contains-sql': 'no SQL grader in verdict',
  'is-xml': 'no XML grader in verdict',
  'contains-xml': 'no XML grader in verdict',
  'is-html': 'no HTML grader in verdict',
  'is-refusal': 'no refusal grader; a not-icontains of the refusal phrases is the nearest',
  'finish-reason': 'verdict does not keep the finish reason',
  'assert-set': 'nested assertion sets are not converted: list their assertions directly',
  'trace-span-count': 'verdict does not read traces',
  'trace-span-duration': 'verdict does not read traces',
};

const text = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : undefined;

/** A list of texts from an array or a comma-separated string (promptfoo accepts both). */
function texts(value: unknown): string[] | undefined {
  if (Array.isArray(value)) {
    const list = value.map(text);
    return list.every((v): v is string => v !== undefined) && list.length > 0 ? list : undefined;
  }
  const one = text(value);
  return one === undefined
    ? undefined
    : one
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
}

/**
 * Maps one assertion (its `value` already rendered with the case's vars). `addCheck` registers a
 * JavaScript check in the generated module and returns the entry that calls it.
 */
export function mapAssertion(
  assertion: PromptfooAssertion,
  options: {
    judge?: string;
    addCheck: (check: Omit<GeneratedCheck, 'name'>, config?: unknown) => Record<string, unknown>;
  },
): AssertionMapping {
  const type = typeof assertion.type === 'string' ? assertion.type : undefined;
  if (!type) return { ok: false, reason: 'an assertion without a type' };
  if (assertion.transform !== undefined)
    return { ok: false, reason: `${type}: a transform of the output before grading is not converted` };
  const negated = type.startsWith('not-');
  const base = negated ? type.slice(4) : type;
  if (negated && !DETERMINISTIC_NOT.has(base))
    return {
      ok: false,
      reason: `${type}: verdict's not takes deterministic text graders only (${[...DETERMINISTIC_NOT].join(', ')})`,
    };
  const mapped = mapBase(base, assertion, options);
  if (!mapped.ok) return mapped;
  let entry: Record<string, unknown> | string = negated ? { not: mapped.entry } : mapped.entry;
  if (assertion.weight !== undefined) {
    const weight = Number(assertion.weight);
    if (!(Number.isFinite(weight) && weight >= 0))
      return { ok: false, reason: `${type}: weight ${String(assertion.weight)} is not a number ≥ 0` };
    entry = typeof entry === 'string' ? { [entry]: null, weight } : { ...entry, weight };
  }
  return { ok: true, entry, ...(mapped.note ? { note: mapped.note } : {}) };
}

function mapBase(
  type: string,
  a: PromptfooAssertion,
  options: {
    judge?: string;
    addCheck: (check: Omit<GeneratedCheck, 'name'>, config?: unknown) => Record<string, unknown>;
  },
): AssertionMapping {
  const value = a.value;
  const threshold = a.threshold === undefined ? undefined : Number(a.threshold);
  const judge = options.judge ? { judge: options.judge } : {};
  const needText = (what: string) => ({ ok: false as const, reason: `${type}: ${what}` });
  switch (type) {
    case 'equals': {
      if (value !== null && typeof value === 'object')
        return { ok: true, entry: { 'json-equals': { value, strip_fences: false } } };
      const v = text(value);
      if (v === undefined) return needText('needs a value');
      return { ok: true, entry: { equals: { value: v, trim: false } } };
    }
    case 'contains':
    case 'icontains': {
      const v = text(value);
      if (v === undefined) return needText('needs a text value');
      return { ok: true, entry: { [type]: { values: [v] } } };
    }
    case 'contains-any':
    case 'contains-all':
    case 'icontains-any':
    case 'icontains-all': {
      const list = texts(value);
      if (!list) return needText('needs a list of texts');
      const family = type.startsWith('i') ? 'icontains' : 'contains';
      return { ok: true, entry: { [family]: { values: list, mode: type.endsWith('all') ? 'all' : 'any' } } };
    }
    case 'starts-with': {
      const v = text(value);
      if (v === undefined) return needText('needs a value');
      return { ok: true, entry: { 'starts-with': { value: v, trim: false } } };
    }
    case 'regex': {
      const v = text(value);
      if (v === undefined) return needText('needs a pattern');
      return { ok: true, entry: { regex: { pattern: v } } };
    }
    case 'is-json':
      if (value !== undefined && value !== null) {
        if (typeof value !== 'object')
          return needText('a schema given as a file or text is not converted; inline it');
        return { ok: true, entry: { 'json-schema': { schema: value, strip_fences: false } } };
      }
      return { ok: true, entry: { 'is-json': { strip_fences: false } } };
    case 'contains-json':
      if (value !== undefined && value !== null)
        return needText(
          'a schema for the contained JSON is not converted (contains-json without a value is)',
        );
      return { ok: true, entry: options.addCheck({ kind: 'contains-json', source: '' }) };
    case 'javascript': {
      const v = text(value);
      if (v === undefined) return needText('needs code or a file:// reference');
      const config = threshold === undefined ? undefined : { threshold };
      if (v.startsWith('file://')) {
        const [file, exportName] = v.slice('file://'.length).split(':');
        if (!/\.(m?js|cjs|ts)$/.test(file!)) return needText(`${file} is not a JavaScript file`);
        return {
          ok: true,
          entry: options.addCheck(
            { kind: 'file', source: file!, ...(exportName ? { exportName } : {}) },
            config,
          ),
        };
      }
      const kind = /\breturn\b/.test(v) ? 'body' : 'expression';
      return { ok: true, entry: options.addCheck({ kind, source: v }, config) };
    }
    case 'similar': {
      const v = text(value);
      if (v === undefined) return needText('needs a value');
      return {
        ok: true,
        entry: { similarity: { value: v, threshold: threshold ?? 0.75 } },
        note: 'similar: promptfoo compares embeddings (cosine), verdict’s similarity compares characters (normalised edit distance); check the threshold on a few outputs',
      };
    }
    case 'llm-rubric': {
      const v = text(value) ?? (value && typeof value === 'object' ? JSON.stringify(value) : undefined);
      if (!v) return needText('needs a rubric');
      return {
        ok: true,
        entry: { rubric: { rubric: v, ...(threshold !== undefined ? { threshold } : {}), ...judge } },
      };
    }
    case 'model-graded-closedqa': {
      const v = text(value);
      if (!v) return needText('needs a criterion');
      return { ok: true, entry: { 'closed-qa': { criteria: v, ...judge } } };
    }
    case 'factuality': {
      const v = text(value);
      if (!v) return needText('needs the reference answer');
      return {
        ok: true,
        entry: { factual: { reference: v, ...judge } },
        note: 'factuality: promptfoo’s five answer categories become verdict’s 1 / 0.5 / 0 consistency score (passes at 1)',
      };
    }
    case 'latency':
      if (!(threshold !== undefined && threshold > 0)) return needText('needs a threshold in milliseconds');
      return { ok: true, entry: { latency: { max_ms: threshold } } };
    case 'cost':
      return needText(
        'verdict’s cost grader prices a call at the grader’s own prices, not each provider’s; the decision’s cost section compares the providers’ costs (or add a cost grader with input_per_mtok and output_per_mtok)',
      );
    default:
      return {
        ok: false,
        reason: `${type}: ${NO_GRADER[type] ?? 'no verdict grader for this assertion type'}`,
      };
  }
}
