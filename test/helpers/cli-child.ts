// The real CLI in a child process, as a user or CI runs it: bin/verdict.js → dist/ (built by
// `npm run build` or pretest). One helper for every test that needs the process boundary (exit
// codes, signals, what reaches the terminal); tests of a command's logic call main(argv, io).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

export const repoRoot = path.join(import.meta.dirname, '..', '..');
export const verdictBin = path.join(repoRoot, 'bin', 'verdict.js');

export interface CliOptions {
  /** Added to this process's environment, after NO_COLOR=1. */
  env?: Record<string, string>;
  /** Default: the repository root. */
  cwd?: string;
  /** Default 120 s (verdictChild, verdictChildSync). */
  timeoutMs?: number;
  /** Another install's bin/verdict.js (a packed and installed copy); default: this checkout's. */
  bin?: string;
}

export interface CliOutcome {
  /** The exit code; null when a signal ended the process. */
  code: number | null;
  stdout: string;
  stderr: string;
}

const environment = (options: CliOptions) => ({ ...process.env, NO_COLOR: '1', ...options.env });

/** A CLI process a test controls: to kill it mid-run, or wait for it while its server answers. */
export interface StartedCli {
  child: ChildProcess;
  /** Its outcome once it has closed (code null when a signal ended it). */
  closed: Promise<CliOutcome>;
  /** What it has written to stderr so far. */
  stderr(): string;
}

/** Starts `verdict ARGS`, gathering its output; `timeoutMs` kills it after that long (default: never). */
export function startVerdict(args: readonly string[], options: CliOptions = {}): StartedCli {
  const child = spawn(process.execPath, [options.bin ?? verdictBin, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: environment(options),
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const closed = new Promise<CliOutcome>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, closed, stderr: () => stderr };
}

/** `verdict ARGS` without blocking this process, so a server the test runs keeps answering. */
export function verdictChild(args: readonly string[], options: CliOptions = {}): Promise<CliOutcome> {
  return startVerdict(args, { ...options, timeoutMs: options.timeoutMs ?? 120_000 }).closed;
}

/** `verdict ARGS`, waiting for it; only for tests with no server of their own in this process. */
export function verdictChildSync(args: readonly string[], options: CliOptions = {}): CliOutcome {
  const result = spawnSync(process.execPath, [options.bin ?? verdictBin, ...args], {
    cwd: options.cwd ?? repoRoot,
    encoding: 'utf8',
    env: environment(options),
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
