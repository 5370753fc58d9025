import os from 'node:os';
import path from 'node:path';

/** The store: `--store`, else `VERDICT_STORE` (a file, or a postgres:// URL), else `$XDG_DATA_HOME/verdict/verdict.db` (~/.local/share). */
export function defaultStorePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VERDICT_STORE)
    return /^postgres(ql)?:\/\//i.test(env.VERDICT_STORE)
      ? env.VERDICT_STORE
      : path.resolve(env.VERDICT_STORE);
  const dataHome = env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(dataHome, 'verdict', 'verdict.db');
}
