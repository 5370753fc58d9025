// Input limits: how much verdict reads before refusing a file. A cases file of /dev/zero, a 600 MB
// line or an alias bomb would otherwise take the memory of the machine; each limit is a located
// input error that names the flag raising it.
import { VerdictError } from '../spec/errors.ts';
import type { InputLimits } from '../spec/workload.ts';

export type { InputLimits };

export const defaultInputLimits: InputLimits = {
  maxFileBytes: 2 ** 30,
  maxLineBytes: 16 * 2 ** 20,
  // The yaml library counts alias expansions weighted by the size of what they expand to; its own
  // default (100) refuses ordinary files with many anchors, and 10,000 still stops a bomb at a few MB.
  maxAliases: 10_000,
};

/** The flag that raises each limit, as error messages name it. */
export const limitFlags: Record<keyof InputLimits, string> = {
  maxFileBytes: '--max-file-bytes',
  maxLineBytes: '--max-line-bytes',
  maxAliases: '--max-aliases',
};

/** `16 MiB`, `1 GiB`, `512 bytes`. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
    ['KiB', 2 ** 10],
  ] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** Parses `--max-line-bytes 64M` and friends: an integer with an optional K, M or G (powers of 1024). */
export function parseByteSize(flag: string, raw: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmg]i?b?)?$/i.exec(raw.trim());
  const scale = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 }[(match?.[2]?.[0] ?? '').toLowerCase()] ?? 1;
  const value = match ? Math.floor(Number(match[1]) * scale) : Number.NaN;
  if (!(Number.isSafeInteger(value) && value > 0))
    throw new VerdictError('USAGE', `${flag} expects a size in bytes (e.g. 64M, 2G), got "${raw}"`);
  return value;
}

/** The flags of the commands that read workloads, for parseFlags. */
export const inputLimitFlagOptions = {
  'max-file-bytes': { type: 'string' },
  'max-line-bytes': { type: 'string' },
  'max-aliases': { type: 'string' },
} as const;

/** The one of them a command that reads only whole JSON files takes (a gate's baseline). */
export const fileSizeFlagOption = { 'max-file-bytes': inputLimitFlagOptions['max-file-bytes'] } as const;

/** The limits a command's flags raise (only those given). */
export function inputLimitsFromFlags(values: Record<string, unknown>): Partial<InputLimits> {
  const limits: Partial<InputLimits> = {};
  if (values['max-file-bytes'] !== undefined)
    limits.maxFileBytes = parseByteSize('--max-file-bytes', String(values['max-file-bytes']));
  if (values['max-line-bytes'] !== undefined)
    limits.maxLineBytes = parseByteSize('--max-line-bytes', String(values['max-line-bytes']));
  if (values['max-aliases'] !== undefined) {
    const value = Number(values['max-aliases']);
    if (!(Number.isSafeInteger(value) && value >= 0))
      throw new VerdictError('USAGE', `--max-aliases expects a whole number, got "${values['max-aliases']}"`);
    limits.maxAliases = value;
  }
  return limits;
}

const HELP: Record<keyof typeof inputLimitFlagOptions, [usage: string, text: string]> = {
  'max-file-bytes': ['--max-file-bytes N', 'largest input file read (default 1G; K, M, G suffixes)'],
  'max-line-bytes': ['--max-line-bytes N', 'longest line (record) of a cases file (default 16M)'],
  'max-aliases': ['--max-aliases N', 'YAML alias expansion budget (default 10000)'],
};

/** The help lines of `flags`, their text starting at `column` as in the rest of a command's help. */
export function inputLimitHelpLines(
  column: number,
  flags: ReadonlyArray<keyof typeof inputLimitFlagOptions> = [
    'max-file-bytes',
    'max-line-bytes',
    'max-aliases',
  ],
): string {
  return flags
    .map((flag) => {
      const [usage, text] = HELP[flag];
      const head = `  ${usage}`;
      // A flag longer than the column puts its text on the next line, as the help's other long ones do.
      return head.length + 2 > column ? `${head}\n${' '.repeat(column)}${text}` : head.padEnd(column) + text;
    })
    .join('\n');
}

/** The help lines of the three flags, for run and validate. */
export const inputLimitHelp = inputLimitHelpLines(22);

/** The defaults with the given ones over them. */
export function resolveLimits(given: Partial<InputLimits> | undefined): InputLimits {
  return { ...defaultInputLimits, ...given };
}
