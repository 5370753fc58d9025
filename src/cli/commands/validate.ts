import path from 'node:path';
import { plural } from '../../report/memo.ts';
import { inputLimitFlagOptions, inputLimitHelp, inputLimitsFromFlags } from '../../workload/input-limits.ts';
import { loadWorkload } from '../../workload/load-workload.ts';
import type { Io } from '../io.ts';
import { parseFlags } from '../parse-flags.ts';

export const help = `verdict validate FILE

Checks a workload file and its cases without calling any model: shape, typos, duplicate ids,
unknown providers, template variables, case files. Errors name file:line:column and the field.

Flags:
  --json        print the validated workload as JSON
${inputLimitHelp}
  -h, --help    this help
Exit codes: 0 valid, 2 invalid.
`;

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    { json: { type: 'boolean' }, ...inputLimitFlagOptions },
    'validate',
    {
      min: 1,
      max: 1,
    },
  );
  if (values.help) {
    io.stdout.write(help);
    return 0;
  }
  const workload = await loadWorkload(path.resolve(io.cwd, positionals[0]!), {
    limits: inputLimitsFromFlags(values),
  });
  if (values.json) io.stdout.write(`${JSON.stringify(workload, null, 2)}\n`);
  else {
    const cases =
      workload.cases.kind === 'inline'
        ? `${workload.cases.cases.length} inline cases`
        : `cases from ${workload.cases.path}`;
    io.stdout.write(
      `${positionals[0]}: valid — ${plural(workload.candidates.length, 'candidate')}, ${cases}, ${plural(workload.graders.length, 'grader')}\n`,
    );
  }
  return 0;
}
