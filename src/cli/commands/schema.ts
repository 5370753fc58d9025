import { workloadJsonSchema } from '../../workload/json-schema.ts';
import type { Io } from '../io.ts';
import { parseFlags } from '../parse-flags.ts';

export const help = `verdict schema

Prints the JSON Schema of the workload file (also committed as schema/workload.schema.json), for
editors: add "# yaml-language-server: $schema=PATH" at the top of a workload.

Flags:
  -h, --help    this help
`;

export async function run(argv: string[], io: Io): Promise<number> {
  const { values } = parseFlags(argv, {}, 'schema', { min: 0, max: 0 });
  if (values.help) {
    io.stdout.write(help);
    return 0;
  }
  io.stdout.write(`${JSON.stringify(workloadJsonSchema(), null, 2)}\n`);
  return 0;
}
