// The CLI run in process with a fake io (CONVENTIONS: commands are `run(argv, io)`): fast enough to
// drive hundreds of inputs, and it sees exactly what a user would read and the exit code.
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
