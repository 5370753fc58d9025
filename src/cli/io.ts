/** What a command may touch of the outside world, so tests can run commands in process. */
export interface Io {
  /** Where interactive commands (verdict init) read answers; absent or not a terminal: nothing to ask. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on Ctrl-C. */
  signal?: AbortSignal;
}

/** Colour when the stream is a terminal and the user has not opted out (https://no-color.org). */
export function useColor(stream: Io['stdout'], env: NodeJS.ProcessEnv, flag?: boolean): boolean {
  if (flag === false || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}
