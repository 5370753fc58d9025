// Runs examples/labelled/workload.yaml against a local stand-in server on 127.0.0.1:18787 whose
// answers follow labelled-set.ts, and prints verdict's report. Re-run it anywhere:
//   node examples/labelled/run.ts [--json]
// The store is a fresh SQLite file in a temporary directory; nothing leaves the machine.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.ts';
import { startStandInServer } from '../../src/demo/openai-stand-in-server.ts';
import { answerFor } from './labelled-set.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const server = await startStandInServer({
  port: 18787, // the base_url in workload.yaml
  answer: (messages, model) => answerFor(model, messages.at(-1)?.content ?? ''),
});
const dir = mkdtempSync(path.join(os.tmpdir(), 'verdict-labelled-'));
try {
  const code = await main(['run', path.join(here, 'workload.yaml'), '--store', path.join(dir, 'verdict.db'), ...process.argv.slice(2)], {
    stdout: process.stdout,
    stderr: process.stderr,
    env: { ...process.env, NO_COLOR: process.env.NO_COLOR ?? '1' },
    cwd: process.cwd(),
  });
  process.exitCode = code;
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
