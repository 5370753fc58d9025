// A promptfoo suite → a verdict workload, a cases file and (for javascript assertions) a graders
// module. Everything not converted is listed with its file, line and reason; nothing is dropped
// silently. One prompt becomes the workload's prompt (verdict compares candidates on one prompt).
import path from 'node:path';
import { VerdictError } from '../../spec/errors.ts';
import { type InputLimits, resolveLimits } from '../../workload/input-limits.ts';
import { type GeneratedCheck, mapAssertion, type PromptfooAssertion } from './map-assertion.ts';
import { mapProvider } from './map-provider.ts';
import { gradersModule } from './promptfoo-graders-module.ts';
import { suitePrompts } from './promptfoo-prompts.ts';
import { type SuiteTest, suiteTests, type UnreadTests } from './promptfoo-tests.ts';
import { readDocument, readText, referencedFile, type SuiteFiles } from './read-promptfoo.ts';

export const IMPORT_FILES = {
  workload: 'workload.yaml',
  cases: 'cases.jsonl',
  graders: 'promptfoo-graders.mjs',
};

export interface PromptfooImport {
  workload: Record<string, unknown>;
  cases: Array<Record<string, unknown>>;
  /** Source of the generated graders module, when javascript or contains-json assertions were converted. */
  gradersModule?: string;
  counts: {
    prompts: number;
    providers: number;
    tests: number;
    cases: number;
    assertions: number;
    converted: number;
  };
  /** Verdict grader family → how many assertions became it. */
  graders: Record<string, number>;
  /** Converted, but measured a little differently: said once per kind. */
  notes: Array<{ at: string; text: string }>;
  unconverted: UnreadTests[];
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;
const IGNORED_KEYS: Record<string, string> = {
  evaluateOptions: 'how promptfoo runs, not what is measured (verdict run has its own flags)',
  outputPath: 'verdict keeps results in its store',
  sharing: 'verdict keeps results in its store',
  commandLineOptions: 'promptfoo command-line options',
  writeLatestResults: 'verdict keeps results in its store',
  tags: 'promptfoo metadata',
  metadata: 'promptfoo metadata',
  env: 'verdict reads the environment itself; set the variables before verdict run',
};

/** Renders `{{var}}` in every string of a value with the test's vars (promptfoo renders assertion values). */
function render(value: unknown, vars: Record<string, string>): unknown {
  if (typeof value === 'string')
    return value.replace(PLACEHOLDER, (whole, name: string) => vars[name] ?? whole);
  if (Array.isArray(value)) return value.map((v) => render(v, vars));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v, vars)]));
  return value;
}

const mentionsVars = (value: unknown): boolean => JSON.stringify(value ?? null).includes('{{');

/**
 * Cases one import writes at most. List-valued vars multiply: twelve lists of six values are two
 * billion combinations, whose expansion had not ended after 10 s when a sweep stopped it.
 */
const MAX_CASES = 100_000;

/** How many cases a test's vars expand to: the product of its lists' lengths. */
function combinationCount(vars: Record<string, unknown>): number {
  return Object.values(vars).reduce<number>((n, value) => n * (Array.isArray(value) ? value.length : 1), 1);
}

/** Every combination of array-valued vars (promptfoo expands them into one test each). */
function expandVars(vars: Record<string, unknown>): Record<string, unknown>[] {
  let combos: Record<string, unknown>[] = [{}];
  for (const [key, value] of Object.entries(vars)) {
    const values = Array.isArray(value) ? value : [value];
    combos = combos.flatMap((combo) => values.map((v) => ({ ...combo, [key]: v })));
  }
  return combos;
}

/** Converts a promptfoo config file; `promptIndex` picks which prompt becomes the workload's. */
export function convertPromptfoo(
  configFile: string,
  options: { cwd: string; outDir: string; promptIndex?: number; limits?: Partial<InputLimits> },
): PromptfooImport {
  const suite: SuiteFiles = {
    dir: path.dirname(configFile),
    shown: (file) => path.relative(options.cwd, file) || file,
    limits: resolveLimits(options.limits),
  };
  const config = readDocument(configFile, suite);
  const root = (config.value ?? {}) as Record<string, unknown>;
  if (typeof root !== 'object' || Array.isArray(root))
    throw new VerdictError('USAGE', `${suite.shown(configFile)}: a promptfoo config is a mapping`);
  const unconverted: UnreadTests[] = [];
  const notes: PromptfooImport['notes'] = [];
  const noted = new Set<string>();
  const note = (at: string, text: string) => {
    if (!noted.has(text)) notes.push({ at, text });
    noted.add(text);
  };
  const handled = new Set(['description', 'prompts', 'providers', 'tests', 'defaultTest']);
  for (const key of Object.keys(root)) {
    if (handled.has(key)) continue;
    if (IGNORED_KEYS[key]) note(config.at([key]), `${key} ignored: ${IGNORED_KEYS[key]}`);
    else
      unconverted.push({
        at: config.at([key]),
        what: key,
        reason: `${key} is not converted (no verdict counterpart)`,
      });
  }

  // Prompt: one per workload.
  const prompts = suitePrompts(root.prompts, config.at, suite, unconverted);
  if (prompts.length === 0)
    throw new VerdictError('USAGE', `${suite.shown(configFile)}: no prompt could be converted`);
  const chosen = options.promptIndex ?? 0;
  if (chosen >= prompts.length)
    throw new VerdictError(
      'USAGE',
      `--prompt ${chosen}: the suite has ${prompts.length} prompts (0–${prompts.length - 1})`,
    );
  const prompt = prompts[chosen]!;
  prompts.forEach((other, index) => {
    if (index !== chosen)
      unconverted.push({
        at: other.at,
        what: `prompt ${other.label}`,
        reason: `a workload has one prompt; this import took ${prompt.label} — import again with --prompt ${index} for this one`,
      });
  });
  const promptText =
    typeof prompt.prompt === 'string' ? prompt.prompt : prompt.prompt.map((m) => m.content).join('\n');
  if (/\{%|\{#/.test(promptText) || /\{\{[^}]*[|(][^}]*\}\}/.test(promptText))
    unconverted.push({
      at: prompt.at,
      what: `Nunjucks logic in ${prompt.label}`,
      reason: 'tags ({% %}), filters (|) and calls are sent literally: verdict templates insert {{var}} only',
    });
  const promptVars = [...new Set([...promptText.matchAll(PLACEHOLDER)].map((m) => m[1]!))];

  // Providers → candidates.
  const providerList =
    root.providers === undefined ? [] : Array.isArray(root.providers) ? root.providers : [root.providers];
  const candidates: Record<string, unknown>[] = [];
  providerList.forEach((provider, index) => {
    const where = config.at(['providers', index]);
    const mapped = mapProvider(provider);
    if (!mapped.ok) {
      unconverted.push({ at: where, what: `providers[${index}]`, reason: mapped.reason });
      return;
    }
    let id = String(mapped.entry.id);
    for (let n = 2; candidates.some((c) => c.id === id); n++) id = `${mapped.entry.id}-${n}`;
    candidates.push({ ...mapped.entry, id });
    for (const text of mapped.notes)
      unconverted.push({ at: where, what: `providers[${index}] ${id}`, reason: text });
  });
  if (candidates.length === 0)
    throw new VerdictError(
      'USAGE',
      `${suite.shown(configFile)}: no provider could be converted, and a workload needs one candidate:\n${unconverted.map((u) => `  ${u.at} ${u.what}: ${u.reason}`).join('\n')}`,
    );

  // The judge: defaultTest.options.provider, else promptfoo's default grader.
  const defaultTest = (root.defaultTest ?? {}) as Record<string, unknown>;
  const defaultOptions = (defaultTest.options ?? {}) as Record<string, unknown>;
  let judge: Record<string, unknown> | undefined;
  if (defaultOptions.provider !== undefined) {
    const mapped = mapProvider(defaultOptions.provider);
    if (mapped.ok) {
      const { id: _id, label: _label, ...model } = mapped.entry;
      judge = model;
    } else
      unconverted.push({
        at: config.at(['defaultTest', 'options', 'provider']),
        what: 'the grading provider',
        reason: mapped.reason,
      });
  }

  // Graders: javascript checks go into a generated module.
  const checks: GeneratedCheck[] = [];
  const graderCounts: Record<string, number> = {};
  let modelGraded = false;
  const addCheck = (check: Omit<GeneratedCheck, 'name'>, checkConfig?: unknown) => {
    let existing = checks.find(
      (c) => c.kind === check.kind && c.source === check.source && c.exportName === check.exportName,
    );
    if (!existing) {
      existing = {
        ...check,
        name: check.kind === 'contains-json' ? 'containsJson' : `check${checks.length + 1}`,
      };
      checks.push(existing);
    }
    return {
      custom: {
        file: `./${IMPORT_FILES.graders}`,
        export: existing.name,
        ...(checkConfig ? { config: checkConfig } : {}),
      },
    };
  };
  let assertions = 0;
  let converted = 0;
  const convert = (assertion: unknown, at: string): Record<string, unknown> | string | undefined => {
    assertions++;
    const a = (assertion ?? {}) as PromptfooAssertion;
    const mapped = mapAssertion(a, { addCheck });
    if (!mapped.ok) {
      unconverted.push({ at, what: `assertion ${String(a.type ?? '?')}`, reason: mapped.reason });
      return undefined;
    }
    converted++;
    const family = Object.keys(typeof mapped.entry === 'string' ? { [mapped.entry]: 1 } : mapped.entry).find(
      (k) => k !== 'weight',
    )!;
    graderCounts[family] = (graderCounts[family] ?? 0) + 1;
    if (['rubric', 'closed-qa', 'factual'].includes(family)) modelGraded = true;
    if (a.provider !== undefined)
      unconverted.push({
        at,
        what: `assertion ${String(a.type)} provider`,
        reason: 'a grader’s own provider is not converted: the workload’s judge grades it',
      });
    if (mapped.note) note(at, mapped.note);
    return mapped.entry;
  };

  // defaultTest assertions without templates are the workload's graders; the rest go to each case.
  const defaultAsserts = Array.isArray(defaultTest.assert) ? defaultTest.assert : [];
  const shared: Array<Record<string, unknown> | string> = [];
  const perCaseDefaults: Array<{ assertion: unknown; at: string }> = [];
  defaultAsserts.forEach((assertion, j) => {
    const at = config.at(['defaultTest', 'assert', j]);
    if (mentionsVars((assertion as PromptfooAssertion)?.value)) perCaseDefaults.push({ assertion, at });
    else {
      const entry = convert(assertion, at);
      if (entry) shared.push(entry);
    }
  });
  for (const key of Object.keys(defaultTest))
    if (!['assert', 'vars', 'options', 'threshold', 'description'].includes(key))
      unconverted.push({
        at: config.at(['defaultTest', key]),
        what: `defaultTest.${key}`,
        reason: 'not converted',
      });
  for (const key of Object.keys(defaultOptions))
    if (key !== 'provider')
      unconverted.push({
        at: config.at(['defaultTest', 'options', key]),
        what: `defaultTest.options.${key}`,
        reason: 'not converted (transforms, prefixes and suffixes change what is sent or graded)',
      });

  // Tests → cases.
  const tests: SuiteTest[] = suiteTests(config, suite, unconverted);
  if (tests.length === 0)
    tests.push({ test: {}, at: suite.shown(configFile), assertAt: () => suite.shown(configFile) });
  const defaultVars = (defaultTest.vars ?? {}) as Record<string, unknown>;
  const thresholds = new Set<number>();
  const cases: Array<Record<string, unknown>> = [];
  const fieldOf = (name: string) => (name.startsWith('_') ? `var${name}` : name);
  for (const { test, at, assertAt } of tests) {
    for (const key of Object.keys(test))
      if (!['vars', 'assert', 'description', 'threshold', 'metadata'].includes(key))
        unconverted.push({
          at,
          what: `${key} of a test`,
          reason:
            key === 'options'
              ? 'per-test options (transforms, prefixes, providers) are not converted'
              : 'not converted',
        });
    const threshold = test.threshold ?? defaultTest.threshold;
    if (threshold !== undefined) thresholds.add(Number(threshold));
    const testVars = { ...defaultVars, ...((test.vars ?? {}) as Record<string, unknown>) };
    const combinations = combinationCount(testVars);
    if (cases.length + combinations > MAX_CASES)
      throw new VerdictError(
        'USAGE',
        `${at}: the suite's tests expand to more than ${MAX_CASES.toLocaleString('en-US')} cases (this test's list-valued vars give ${combinations.toLocaleString('en-US')} combinations); import it in parts`,
      );
    for (const rawVars of expandVars(testVars)) {
      const vars: Record<string, string> = {};
      for (const [key, value] of Object.entries(rawVars)) {
        if (typeof value === 'string' && value.startsWith('file://')) {
          const file = referencedFile(value, suite);
          if (/\.(png|jpe?g|gif|webp|pdf|mp3|wav)$/i.test(file)) {
            unconverted.push({
              at,
              what: `vars.${key}`,
              reason: `${value}: images, audio and PDFs are not sent by verdict (text only)`,
            });
            vars[key] = value;
          } else vars[key] = readText(file, at, suite);
        } else if (value !== null && typeof value === 'object') {
          vars[key] = JSON.stringify(value);
          note(at, 'a var holding an object or list is inserted as its JSON text');
        } else vars[key] = value === undefined || value === null ? '' : String(value);
      }
      const own: Array<Record<string, unknown> | string> = [];
      for (const { assertion, at: where } of perCaseDefaults) {
        const entry = convert(render(assertion, vars), `${where} (for ${at})`);
        if (entry) own.push(entry);
      }
      const asserts = Array.isArray(test.assert) ? test.assert : [];
      asserts.forEach((assertion, j) => {
        const entry = convert(render(assertion, vars), assertAt(j));
        if (entry) own.push(entry);
      });
      const id = String(cases.length + 1);
      const record: Record<string, unknown> = { _id: id };
      for (const name of promptVars) record[fieldOf(name)] = vars[name] ?? '';
      if (typeof test.description === 'string') record._description = test.description;
      record._graders = own;
      cases.push(record);
    }
  }
  let passThreshold: number | undefined;
  if (thresholds.size === 1) passThreshold = [...thresholds][0];
  else if (thresholds.size > 1)
    unconverted.push({
      at: suite.shown(configFile),
      what: 'test thresholds',
      reason: `tests set different thresholds (${[...thresholds].join(', ')}); verdict has one pass_threshold per workload`,
    });

  if (modelGraded && !judge) {
    judge = { model: 'openai:gpt-4o' };
    note(
      suite.shown(configFile),
      'model-graded assertions are judged by openai:gpt-4o (promptfoo’s default grader is an OpenAI model); set judge: to change it',
    );
  }
  const description = typeof root.description === 'string' ? root.description : undefined;
  const name =
    (description ?? path.basename(path.dirname(configFile)))
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'promptfoo-import';
  const workload: Record<string, unknown> = {
    version: 1,
    name,
    description: `Imported from promptfoo (${suite.shown(configFile)})${description ? `: ${description}` : ''}`,
    prompt: prompt.prompt,
    cases: {
      file: IMPORT_FILES.cases,
      vars: Object.fromEntries(promptVars.map((v) => [v, fieldOf(v)])),
      id: '_id',
      graders: '_graders',
    },
    // verdict needs one workload grader; a test without assertions passes in promptfoo, so the
    // stand-in counts for nothing (weight 0) and each case carries its own.
    graders: shared.length > 0 ? shared : [{ length: { min: 0 }, weight: 0 }],
    ...(passThreshold !== undefined ? { pass_threshold: passThreshold } : {}),
    ...(judge ? { judge } : {}),
    candidates,
  };
  return {
    workload,
    cases,
    ...(checks.length > 0 ? { gradersModule: gradersModule(checks, suite, options.outDir) } : {}),
    counts: {
      prompts: prompts.length,
      providers: providerList.length,
      tests: tests.length,
      cases: cases.length,
      assertions,
      converted,
    },
    graders: graderCounts,
    notes,
    // A test expanded into several cases repeats its items: list each once.
    unconverted: unconverted.filter(
      (u, i) =>
        unconverted.findIndex((v) => v.at === u.at && v.what === u.what && v.reason === u.reason) === i,
    ),
  };
}
