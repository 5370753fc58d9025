// `verdict report RUN --store DB --format F` for F in json, md, html, terminal, through the CLI's
// own entry (dist/cli/main.js, what bin/verdict.js calls) in one process; prints the four outputs
// as one JSON object. Usage: node test/helpers/scenario-render.ts DB RUN
import path from 'node:path';

const [store, runId] = process.argv.slice(2);
const dist = path.join(import.meta.dirname, '..', '..', 'dist', 'cli', 'main.js');
const { main } = (await import(dist)) as {
  main(argv: string[], io: object): Promise<number>;
};

const out: Record<string, unknown> = {};
for (const format of ['json', 'md', 'html', 'terminal']) {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (text: string) => (stdout += text), isTTY: false, columns: 100 },
    stderr: { write: (text: string) => (stderr += text) },
    env: { ...process.env, NO_COLOR: '1' },
    cwd: process.cwd(),
  };
  const code = await main(['report', runId!, '--store', store!, '--format', format], io);
  if (code !== 0) {
    process.stderr.write(`verdict report --format ${format} exited ${code}: ${stderr}`);
    process.exit(1);
  }
  out[format] = format === 'json' ? JSON.parse(stdout) : stdout;
}
process.stdout.write(JSON.stringify(out));
