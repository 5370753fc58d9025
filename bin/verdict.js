#!/usr/bin/env -S node --max-semi-space-size=8
// The only place that touches the process's fate: the CLI itself returns exit codes.
//
// --max-semi-space-size=8 (MB): a long run allocates fast and keeps calls in flight, and V8 then grows
// its young generation to ~120 MB of pages it never gives back; capped, a 100,000-case run stays
// near 250 MB resident instead of 400 MB, at no measured cost in throughput (bench/runner-memory.ts).
import module from 'node:module';

// Before anything native loads: better-sqlite3 is built for Node >= 22, and on an older Node it
// crashes the process (exit 139, no output) instead of throwing.
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < 22) {
  process.stderr.write(
    `verdict needs Node >= 22; this is Node ${process.version} (${process.execPath}).\n` +
      'Run `bash scripts/setup.sh` in the verdict checkout: it fetches Node 24 from the npm registry\n' +
      'and installs a `verdict` launcher that uses it.\n',
  );
  process.exit(2);
}

// V8's compiled code for verdict and its dependencies, kept on disk between runs: compiling the
// modules a run loads (zod, yaml, undici, the price catalogue…) was a third of its start-up.
module.enableCompileCache?.();
// The CLI's bundle (scripts/build-cli.ts): tens of files where the modules were hundreds. A stack
// printed with --debug maps back to src/ through its source maps (read only then: ≈20 ms of start-up).
if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
const { main, processIo } = await import('../dist/bundle/main.js');

// First Ctrl-C: stop scheduling, let calls in flight finish and store them (commands watch the
// signal). A second Ctrl-C gives up at once.
const interrupt = new AbortController();
process.once('SIGINT', () => {
  process.stderr.write('\ninterrupted: finishing calls in flight, then stopping\n');
  interrupt.abort();
  process.once('SIGINT', () => process.exit(130));
});

process.exit(await main(process.argv.slice(2), processIo(interrupt.signal)));
