// One `verdict worker` process running the sources (no build needed): `verdict worker --store URL
// --exit-when-idle SECONDS` through the command itself. argv: URL SECONDS
import { main } from '../../src/cli/main.ts';

const [url, idleSeconds] = process.argv.slice(2) as [string, string];
const stop = new AbortController();
process.once('SIGTERM', () => stop.abort());
const code = await main(['worker', '--store', url, '--exit-when-idle', idleSeconds], {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signal: stop.signal,
});
process.exit(code);
