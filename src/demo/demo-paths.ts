import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The demo workload shipped with verdict (examples/demo), found from this module in src/ or dist/. */
export const demoWorkloadFile = fileURLToPath(new URL('../../examples/demo/workload.yaml', import.meta.url));

/** Where the demo keeps its generated tiny model: `$XDG_CACHE_HOME/verdict` (~/.cache/verdict). */
export function demoCacheDir(env: NodeJS.ProcessEnv): string {
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'verdict');
}
