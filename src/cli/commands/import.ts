// `verdict import promptfoo CONFIG`: a promptfoo suite → workload.yaml, cases.jsonl (and a graders
// module for javascript assertions), with everything not converted listed by file and line.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { convertPromptfoo, IMPORT_FILES } from '../../import/promptfoo/convert-promptfoo.ts';
import { VerdictError } from '../../spec/errors.ts';
import {
  inputLimitFlagOptions,
  inputLimitHelpLines,
  inputLimitsFromFlags,
} from '../../workload/input-limits.ts';
import type { Io } from '../io.ts';
import { checkOutputFile, writeOutputFile } from '../output-file.ts';
import { parseFlags } from '../parse-flags.ts';

export const help = `verdict import promptfoo CONFIG [--out DIR]

Converts a promptfoo suite (promptfooconfig.yaml or .json) into a verdict workload:
  prompts          the first prompt (text, chat JSON/YAML, file://, several in a file split by ---)
                   becomes the workload's prompt; --prompt N takes another
  providers        candidates, with their config (temperature, max_tokens, top_p, seed, stop,
                   apiBaseUrl → base_url, apiKeyEnvar → api_key_env)
  tests            inline, file:// YAML/JSON/JSONL/CSV (CSV __expected columns), defaultTest,
                   vars (file:// values read, lists expanded) → ${IMPORT_FILES.cases}
  assertions       equals, contains, icontains, contains-any/-all, icontains-any/-all,
                   starts-with, regex, is-json (with a schema: json-schema), contains-json,
                   javascript (→ ${IMPORT_FILES.graders}), similar, llm-rubric,
                   model-graded-closedqa, factuality, latency, the not- forms, weights,
                   thresholds; defaultTest.options.provider → judge
Anything not converted is listed with its file, line and reason. The result passes
"verdict validate"; run it with "verdict run DIR/${IMPORT_FILES.workload}".

Flags:
  --out DIR     where to write (default: the current directory)
  --prompt N    which prompt (0-based) becomes the workload's prompt (default 0)
  --force       overwrite files that exist
  --json        print the summary as JSON
${inputLimitHelpLines(16)}
  -h, --help    this help
Exit codes: 0 converted (even with items listed as not converted), 2 bad input.
`;

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    {
      out: { type: 'string' },
      prompt: { type: 'string' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
      ...inputLimitFlagOptions,
    },
    'import',
    { min: 2, max: 2 },
  );
  if (values.help) {
    io.stdout.write(help);
    return 0;
  }
  const [format, configArg] = positionals as [string, string];
  if (format !== 'promptfoo')
    throw new VerdictError('USAGE', `verdict import knows one format, promptfoo (got "${format}")`);
  const promptIndex = values.prompt === undefined ? 0 : Number(values.prompt);
  if (!Number.isInteger(promptIndex) || promptIndex < 0)
    throw new VerdictError('USAGE', `--prompt expects a prompt's index (0, 1, …), got "${values.prompt}"`);
  const limits = inputLimitsFromFlags(values);
  const outDir = path.resolve(io.cwd, (values.out as string | undefined) ?? '.');
  const configFile = path.resolve(io.cwd, configArg);
  const result = convertPromptfoo(configFile, { cwd: io.cwd, outDir, promptIndex, limits });

  const files: Array<[string, string]> = [
    [
      IMPORT_FILES.workload,
      `# Imported by verdict import promptfoo from ${configArg}; see the summary it printed.\n${stringify(result.workload, { lineWidth: 100 })}`,
    ],
    [IMPORT_FILES.cases, `${result.cases.map((c) => JSON.stringify(c)).join('\n')}\n`],
    ...(result.gradersModule ? [[IMPORT_FILES.graders, result.gradersModule] as [string, string]] : []),
  ];
  const existing = files.map(([name]) => path.join(outDir, name)).filter((file) => existsSync(file));
  if (existing.length > 0 && !values.force)
    throw new VerdictError(
      'USAGE',
      `${existing.map((f) => path.relative(io.cwd, f)).join(', ')} already exist; choose another --out or overwrite with --force`,
    );
  for (const [name] of files)
    await checkOutputFile('--out', path.join(outDir, name), { createFolders: true });
  for (const [name, text] of files) await writeOutputFile('--out', path.join(outDir, name), text);
  const written = files.map(([name]) => path.relative(io.cwd, path.join(outDir, name)) || name);

  if (values.json) {
    io.stdout.write(
      `${JSON.stringify({ schemaVersion: 1, kind: 'import', from: 'promptfoo', files: written, counts: result.counts, graders: result.graders, notes: result.notes, unconverted: result.unconverted }, null, 2)}\n`,
    );
    return 0;
  }
  const c = result.counts;
  const candidates = (result.workload.candidates as Array<{ id: string; model: string }>).map(
    (x) => `${x.id} (${x.model})`,
  );
  const lines = [
    `Imported ${configArg} → ${written.join(', ')}`,
    `  prompt      1 of ${c.prompts}`,
    `  candidates  ${candidates.length} of ${c.providers} providers: ${candidates.join(', ')}`,
    `  cases       ${c.cases} from ${c.tests} tests`,
    `  assertions  ${c.converted} of ${c.assertions} converted: ${
      Object.entries(result.graders)
        .map(([family, n]) => `${family} ${n}`)
        .join(', ') || 'none'
    }`,
    ...(result.notes.length > 0
      ? ['', 'Converted with a difference:', ...result.notes.map((n) => `  ${n.at}  ${n.text}`)]
      : []),
    '',
    result.unconverted.length > 0
      ? `Not converted (${result.unconverted.length}):`
      : 'Everything was converted.',
    ...result.unconverted.map((u) => `  ${u.at}  ${u.what}: ${u.reason}`),
    '',
    `Next: verdict validate ${written[0]} · verdict run ${written[0]}`,
    '',
  ];
  io.stdout.write(lines.join('\n'));
  return 0;
}
