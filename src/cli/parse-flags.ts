// Flag parsing on Node's own util.parseArgs (strict: an unknown flag is an error), plus the help text
// each command declares next to its flags.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { closestKey } from '../spec/closest-key.ts';
import { VerdictError } from '../spec/errors.ts';

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

/** Flags every command accepts. */
export const commonFlags = {
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  /** The catalogue folder to price from (read by main.ts before the command runs). */
  catalogue: { type: 'string' },
} as const satisfies FlagSpec;

/** Parses argv against a command's flags; usage problems become USAGE errors naming the fix. */
export function parseFlags<T extends FlagSpec>(
  argv: string[],
  flags: T,
  command: string,
  positionals: { min: number; max: number },
) {
  const options: FlagSpec = { ...commonFlags, ...flags };
  let parsed: {
    values: Record<string, string | boolean | (string | boolean)[] | undefined>;
    positionals: string[];
  };
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '(--?[^']+)'/.exec(message)?.[1];
    if (unknown) {
      const suggestion = closestKey(unknown.replace(/^-+/, ''), Object.keys(options));
      throw new VerdictError(
        'USAGE',
        `unknown flag ${unknown}${suggestion ? ` (did you mean --${suggestion}?)` : ''}; see verdict ${command} --help`,
      );
    }
    throw new VerdictError('USAGE', `${message.split('\n')[0]}; see verdict ${command} --help`);
  }
  if (!parsed.values.help) {
    if (parsed.positionals.length < positionals.min) {
      throw new VerdictError('USAGE', `missing argument; see verdict ${command} --help`);
    }
    if (parsed.positionals.length > positionals.max) {
      throw new VerdictError(
        'USAGE',
        `unexpected argument "${parsed.positionals[positionals.max]}"; see verdict ${command} --help`,
      );
    }
  }
  return parsed as {
    values: Record<string, string | boolean | undefined> & {
      help?: boolean;
      debug?: boolean;
      'no-color'?: boolean;
    };
    positionals: string[];
  };
}
