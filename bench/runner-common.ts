// Shared by the runner benchmarks: the server process, timed child processes, workload files.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const root = path.join(import.meta.dirname, '..');

/** The Node flags bin/verdict.js asks for on its #! line, so a bench runs the CLI as users get it. */
export function binNodeFlags(): string[] {
  const shebang = readFileSync(path.join(root, 'bin', 'verdict.js'), 'utf8').split('\n', 1)[0]!;
  const words = shebang.replace(/^#!\S*env\s+(-S\s+)?/, '').split(/\s+/);
  return words[0] === 'node' ? words.slice(1).filter(Boolean) : [];
}

/** The arguments that start the verdict CLI under this Node, with the flags of its #! line. */
export const verdictCommand = () => [...binNodeFlags(), path.join(root, 'bin', 'verdict.js')];
export const peers = path.join(root, 'bench', '.peers');

/** A peer installed for the benchmarks only (`npm install --prefix bench/.peers NAME`). */
export function requirePeer<T>(name: string): T {
  try {
    return createRequire(path.join(peers, 'package.json'))(name) as T;
  } catch {
    throw new Error(`${name} is not installed: npm install --prefix bench/.peers ${name}`);
  }
}

/** What bench/runner-server.ts counted, in all or for one model; times in ms since it started. */
export interface ServerStats {
  answered: number;
  limitedAtMs: number[];
  /** Filled with --keep-times. */
  answeredAtMs: number[];
  /** The longest request-limit reset its rate-limit headers stated, in ms. */
  longestResetMs: number;
}

export interface ServerProcess {
  url: string;
  /** CPU seconds (user + system) the server process has used so far; NaN where /proc is missing. */
  cpuSeconds(): number;
  stats(): Promise<ServerStats & { byModel: Record<string, ServerStats> }>;
  close(): void;
}

/** Starts bench/runner-server.ts in its own process. */
export async function startServerProcess(args: string[] = []): Promise<ServerProcess> {
  const child = spawn(process.execPath, [path.join(root, 'bench', 'runner-server.ts'), ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  const { url } = JSON.parse(first.value as string) as { url: string };
  return {
    url,
    async stats() {
      child.stdin!.write('stats\n');
      return JSON.parse((await lines.next()).value as string);
    },
    cpuSeconds: () => processCpuSeconds(child.pid!),
    close: () => child.kill('SIGTERM'),
  };
}

/** User + system CPU seconds of another process, from /proc/PID/stat (Linux). */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are
    // the 12th and 13th of them, in clock ticks (100 per second on Linux).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

export interface Timed {
  code: number | null;
  wallSeconds: number;
  peakRssMb: number;
  /** User + system CPU seconds of the whole process. */
  cpuSeconds: number;
  stdout: string;
  stderr: string;
}

/** Runs a command under /usr/bin/time -v: wall time and peak RSS of the process. */
export function timed(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  onChild?: (child: ChildProcess) => void,
): Promise<Timed> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-v', command, ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', ...env },
    });
    onChild?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('exit', (code) => {
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
      const system = /System time \(seconds\): ([\d.]+)/.exec(stderr);
      resolve({
        code,
        wallSeconds: (performance.now() - started) / 1000,
        peakRssMb: rss ? Number(rss[1]) / 1024 : Number.NaN,
        cpuSeconds: user && system ? Number(user[1]) + Number(system[1]) : Number.NaN,
        stdout,
        stderr,
      });
    });
  });
}

/** A JSONL file of `count` cases and a workload calling one OpenAI-compatible candidate at `url`. */
export function writeWorkload(dir: string, url: string, count: number, extra = ''): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++)
    lines.push(JSON.stringify({ id: `k${i}`, q: `case ${i}`, expected: `ok case ${i}` }));
  writeFileSync(path.join(dir, 'cases.jsonl'), `${lines.join('\n')}\n`);
  const file = path.join(dir, 'bench.yaml');
  writeFileSync(
    file,
    `version: 1
name: bench
prompt: "{{q}}"
cases: { file: cases.jsonl, vars: { q: q }, expected: expected, id: id }
graders: [equals]
candidates:
  - { id: bench, model: "openai-compatible:bench-model", base_url: "${url}"${extra} }
`,
  );
  return file;
}

export const ratio = (a: number, b: number) => (b === 0 ? Number.NaN : a / b);
export const fixed = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
