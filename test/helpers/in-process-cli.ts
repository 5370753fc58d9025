// The CLI run in process with a fake io (CONVENTIONS: commands are `run(argv, io)`): fast enough to
// drive hundreds of inputs, and it sees exactly what a user would read and the exit code.
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main.ts';

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `verdict ARGV` in this process, in `cwd`. */
export async function verdictInProcess(
  argv: string[],
  options: { cwd: string; isTTY?: boolean; env?: NodeJS.ProcessEnv },
): Promise<CliOutcome> {
  let stdout = '';
  let stderr = '';
  const started = performance.now();
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.isTTY ?? false, columns: 100 },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env: options.env ?? { NO_COLOR: '1' },
    cwd: options.cwd,
  });
  return { code, stdout, stderr, ms: performance.now() - started };
}

/** `verdict ARGV` refused as a user's mistake: exit 2, `message` on stderr, never an internal error. */
export async function refusedInProcess(
  argv: string[],
  message: RegExp,
  options: { cwd: string },
): Promise<void> {
  const outcome = await verdictInProcess(argv, options);
  assert.equal(outcome.code, 2, `${argv.join(' ')}: ${outcome.stderr}`);
  assert.match(outcome.stderr, message);
  assert.doesNotMatch(outcome.stderr, /internal error/);
}
