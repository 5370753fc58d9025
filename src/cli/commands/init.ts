// `verdict init`: about ten questions (or an answers file, or flags) → a starter workload whose
// candidates follow the stated rules, a cases template and a "before any run" note.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parse as parseYaml } from 'yaml';
import { closestKey } from '../../spec/closest-key.ts';
import { VerdictError } from '../../spec/errors.ts';
import { askInitQuestions } from '../../start/ask-init-questions.ts';
import {
  INIT_ANSWER_FLAGS,
  INIT_QUESTIONS,
  type InitAnswers,
  initAnswersSchema,
} from '../../start/init-answers.ts';
import {
  STARTER_FILES,
  starterCasesJsonl,
  starterNote,
  starterWorkloadYaml,
} from '../../start/starter-files.ts';
import { starterPlan } from '../../start/starter-rules.ts';
import type { Io } from '../io.ts';
import { parseFlags } from '../parse-flags.ts';

export const help = `verdict init [--dir DIR] [--answers FILE] [--ANSWER VALUE…]

Asks about ten questions — volume and tokens per request, the rules on the data (HIPAA, residency,
on the premises, zero retention), fine-tuning, how hard the task is and the quality floor, the
latency target, who would run GPUs, the hardware or cloud you have, the budget — and writes:
  ${STARTER_FILES.workload.padEnd(18)} candidates across the three families chosen by the rules below,
                     traffic, constraints, operations hours and quality filled in
  ${STARTER_FILES.cases.padEnd(18)} a cases template with three example rows to replace
  ${STARTER_FILES.note.padEnd(18)} which rule put each candidate in or left it out, and what the
                     first run must measure
"verdict validate" and "verdict cost" work on the result at once.

Rules: open weights (self-hosted) for data sovereignty (HIPAA, residency, on the premises), high
volume (≥ 1 billion tokens a month), fine-tuning on your own data, or GPUs you own; a frontier API
for capability, low volume and managed simplicity (left out under on_prem or fine-tuning); the same
open weights on a managed API for comparison (left out under on_prem); the operations burden of
self-hosting always priced.

Without a terminal (scripts, CI), give the answers in a YAML or JSON file (--answers) or as flags;
answers not given take the defaults below. Flags win over the file.

Flags:
  --dir DIR          where to write the files (default: the current directory)
  --answers FILE     the answers, keys as below
  --force            overwrite files that exist
${INIT_QUESTIONS.flatMap((q) => q.keys.map((key) => `  --${key.replace(/_/g, '-').padEnd(20)} ${key === q.keys[0] ? q.help : '(as above)'}`)).join('\n')}
  --name NAME        the workload's name (default: from the task)
  --engineer-hourly-usd N
                     loaded cost of an engineer-hour (default: verdict's)
  -h, --help         this help
Exit codes: 0 written, 2 bad input (invalid answers, files exist, no terminal and no answers).
`;

export async function run(argv: string[], io: Io): Promise<number> {
  const { values } = parseFlags(
    argv,
    {
      dir: { type: 'string' },
      answers: { type: 'string' },
      force: { type: 'boolean' },
      ...INIT_ANSWER_FLAGS,
    },
    'init',
    { min: 0, max: 0 },
  );
  if (values.help) {
    io.stdout.write(help);
    return 0;
  }
  const dir = path.resolve(io.cwd, (values.dir as string | undefined) ?? '.');
  const targets = Object.values(STARTER_FILES).map((file) => path.join(dir, file));
  const existing = targets.filter((file) => existsSync(file));
  if (existing.length > 0 && !values.force)
    throw new VerdictError(
      'USAGE',
      `${existing.map((f) => path.relative(io.cwd, f) || f).join(', ')} already exist${existing.length === 1 ? 's' : ''}; choose another --dir or overwrite with --force`,
    );

  const given: Record<string, unknown> = {};
  if (values.answers) Object.assign(given, readAnswersFile(path.resolve(io.cwd, values.answers as string)));
  for (const flag of Object.keys(INIT_ANSWER_FLAGS)) {
    const value = values[flag];
    if (value !== undefined) given[flag.replace(/-/g, '_')] = value;
  }
  const stdin = io.stdin;
  const interactive = !values.answers && Boolean(stdin?.isTTY);
  if (!interactive && !values.answers && given.requests_per_month === undefined)
    throw new VerdictError(
      'USAGE',
      'stdin is not a terminal, so there is no one to ask: give the answers in a file (--answers answers.yaml) or as flags (at least --requests-per-month N); "verdict init --help" lists the keys',
    );
  const raw = interactive
    ? await askInitQuestions(given, {
        input: stdin!,
        output: () =>
          new Writable({
            write(chunk, _encoding, done) {
              io.stdout.write(String(chunk));
              done();
            },
          }),
        ...(io.signal ? { signal: io.signal } : {}),
      })
    : given;
  const answers = parseAnswers(raw, values.answers ? String(values.answers) : 'the flags');

  const plan = starterPlan(answers);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, STARTER_FILES.workload), starterWorkloadYaml(plan));
  writeFileSync(path.join(dir, STARTER_FILES.cases), starterCasesJsonl(plan));
  const note = starterNote(plan);
  writeFileSync(path.join(dir, STARTER_FILES.note), note);
  const shown = (file: string) => path.relative(io.cwd, path.join(dir, file)) || file;
  io.stdout.write(
    [
      `Wrote ${shown(STARTER_FILES.workload)}, ${shown(STARTER_FILES.cases)} and ${shown(STARTER_FILES.note)}.`,
      '',
      ...plan.candidates.map((c) => `  + ${String(c.entry.id).padEnd(30)} ${c.family}`),
      ...plan.leftOut.map((l) => `  − ${l.what.padEnd(30)} left out: ${l.rule.split(/[:;(]/)[0]}`),
      '',
      `Next: read ${shown(STARTER_FILES.note)}, then verdict cost ${shown(STARTER_FILES.workload)}`,
      '',
    ].join('\n'),
  );
  return 0;
}

function readAnswersFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new VerdictError('USAGE', `--answers: cannot read ${file}`);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text); // YAML is a superset of JSON: one parser for both
  } catch (error) {
    throw new VerdictError('USAGE', `${file}: not YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new VerdictError(
      'USAGE',
      `${file}: the answers are a mapping of keys to values (see verdict init --help)`,
    );
  return parsed as Record<string, unknown>;
}

/** Validates the answers; the name defaults to the task's first words. */
function parseAnswers(raw: Record<string, unknown>, source: string): InitAnswers {
  const result = initAnswersSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') {
      const unknown = issue.keys[0]!;
      const suggestion = closestKey(unknown, Object.keys(initAnswersSchema.shape));
      throw new VerdictError(
        'USAGE',
        `${source}: unknown answer "${unknown}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
      );
    }
    if (key === 'requests_per_month' && raw.requests_per_month === undefined)
      throw new VerdictError(
        'USAGE',
        `${source}: requests_per_month is required: the volume every option is priced at`,
      );
    throw new VerdictError('USAGE', `${source}: ${key}: ${issue.message}`);
  }
  const answers = result.data;
  if (raw.name === undefined) {
    const slug = answers.task
      .toLowerCase()
      .replace(/['’]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .split('-')
      .filter(Boolean)
      .slice(0, 4)
      .join('-');
    if (slug) answers.name = slug;
  }
  return answers;
}
