import os from 'node:os';
import path from 'node:path';
import { packageFile } from '../package-root.ts';

/** The demo workload shipped with verdict (examples/demo). */
export const demoWorkloadFile = packageFile('examples', 'demo', 'workload.yaml');

/** Where the demo keeps its generated tiny model: `$XDG_CACHE_HOME/verdict` (~/.cache/verdict). */
export function demoCacheDir(env: NodeJS.ProcessEnv): string {
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'verdict');
}
