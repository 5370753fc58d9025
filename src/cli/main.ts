// The CLI: dispatches to one command module per verb and maps errors to exit codes. It never calls
// process.exit; bin/verdict.js does, with the code returned here.
import { packageVersion } from '../package-root.ts';
import { VerdictError } from '../spec/errors.ts';
import { ExitCode, exitCodeFor } from './exit-codes.ts';
import type { Io } from './io.ts';

interface Command {
  help: string;
  run(argv: string[], io: Io): Promise<number>;
}

// Each command is imported only when it runs: loading all of them (the dashboard, the charts, the
// embedded runtime, every provider SDK) costs about a second and 100 MB before any work starts.
interface CommandEntry {
  summary: string;
  load(): Promise<Command>;
}

const commands: Record<string, CommandEntry> = {
  init: {
    load: () => import('./commands/init.ts'),
    summary: 'a few questions → a starter workload, cases template and "before any run" note',
  },
  import: {
    load: () => import('./commands/import.ts'),
    summary: 'convert a promptfoo suite (config, tests, assertions) into a workload',
  },
  ask: {
    load: () => import('./commands/ask.ts'),
    summary: 'ask a question about a stored decision; what-ifs decided again, answers cite facts',
  },
  demo: {
    load: () => import('./commands/demo.ts'),
    summary: 'run the whole pipeline on this machine (embedded model + local endpoint)',
  },
  run: {
    load: () => import('./commands/run.ts'),
    summary: 'run a workload against its candidates, grade, decide, report',
  },
  validate: {
    load: () => import('./commands/validate.ts'),
    summary: 'check a workload file without calling any model',
  },
  schema: { load: () => import('./commands/schema.ts'), summary: "print the workload file's JSON Schema" },
  report: {
    load: () => import('./commands/report.ts'),
    summary: 'render a stored run as terminal text, Markdown, JSON, HTML or CSV',
  },
  cost: {
    load: () => import('./commands/cost.ts'),
    summary: 'price every option at the workload volume before any run (estimates)',
  },
  decide: {
    load: () => import('./commands/decide.ts'),
    summary: 'decide on a stored run: constraints, quality, cost, what would flip it',
  },
  judge: {
    load: () => import('./commands/judge.ts'),
    summary: 'judge the model-graded graders of a stored run (rubric, pairwise…)',
  },
  load: {
    load: () => import('./commands/load.ts'),
    summary: 'load-test a self-hosted endpoint: latency, throughput, goodput, capacity',
  },
  diff: {
    load: () => import('./commands/diff.ts'),
    summary:
      'what changed between two runs: pass rates (paired test), flipped cases, latency, cost, decision',
  },
  gate: {
    load: () => import('./commands/gate.ts'),
    summary: 'CI gate: fail when a run is significantly worse, slower or dearer than a baseline',
  },
  prices: {
    load: () => import('./commands/prices.ts'),
    summary: 'the catalogues prices come from: show, update from the registry (dated), diff two versions',
  },
  recheck: {
    load: () => import('./commands/recheck.ts'),
    summary: "for cron: re-decide stored runs on today's prices; report changed picks and crossed triggers",
  },
  canary: {
    load: () => import('./commands/canary.ts'),
    summary:
      'drift canary: a fixed stratified subset of cases against the candidates, compared with a baseline',
  },
  worker: {
    load: () => import('./commands/worker.ts'),
    summary: 'take pages of runs started with --workers from the team store (postgres://) and work them',
  },
  view: {
    load: () => import('./commands/view.ts'),
    summary: 'serve the local dashboard: runs, charts, cases side by side, comparisons',
  },
};

export const usage = `verdict — decide with evidence: self-host an open-weight model, call a frontier API, or split traffic.

Usage: verdict <command> [flags]

Commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`)
  .join('\n')}

Run "verdict <command> --help" for a command's flags.
Exit codes: 0 ok · 1 internal error · 2 bad input · 3 provider or infrastructure failure
            · 4 SLO missed (load) · 5 load generator was the bottleneck (load)
            · 6 a check found a change (gate failed, recheck changed, canary drift)
`;

/** The process's own streams and environment; bin/verdict.js adds the Ctrl-C signal. */
export function processIo(signal?: AbortSignal): Io {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    ...(signal ? { signal } : {}),
  };
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  const debug = argv.includes('--debug');
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage);
    return name === undefined ? ExitCode.badInput : ExitCode.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${packageVersion()}\n`);
    return ExitCode.ok;
  }
  const command = commands[name];
  if (!command) {
    const { closestKey } = await import('../spec/closest-key.ts');
    const suggestion = closestKey(name, Object.keys(commands));
    io.stderr.write(
      `verdict: unknown command "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}\n\n${usage}`,
    );
    return ExitCode.badInput;
  }
  try {
    // Every command prices from the same catalogue: --catalogue, VERDICT_CATALOGUE, the newest dated one, or the shipped one.
    (await import('./catalogue-choice.ts')).selectCatalogue(rest, io);
    return await (await command.load()).run(rest, io);
  } catch (error) {
    if (VerdictError.isInstance(error)) {
      io.stderr.write(`verdict ${name}: ${error.message}\n`);
      if (debug && error.stack) io.stderr.write(`${error.stack}\n`);
      return exitCodeFor(error.code);
    }
    io.stderr.write(`verdict ${name}: internal error: ${(error as Error)?.message ?? String(error)}\n`);
    io.stderr.write(
      debug
        ? `${(error as Error)?.stack ?? ''}\n`
        : 'run again with --debug for the stack trace, and please report it\n',
    );
    return ExitCode.internal;
  }
}
