// Which catalogue a command prices from: `--catalogue DIR` (or `bundled`), else VERDICT_CATALOGUE,
// else the newest dated catalogue `verdict prices update` wrote into the user's data directory (the
// folder of the default store), else the one shipped with verdict.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { useCatalogue } from '../cost/catalogue/active-catalogue.ts';
import { newestDatedCatalogue, readCatalogueDir } from '../cost/catalogue/catalogue-files.ts';
import { VerdictError } from '../spec/errors.ts';
import { defaultStorePath } from '../store/default-location.ts';
import type { Io } from './io.ts';

/** Where dated catalogues are written and looked for: `<data dir>/catalogues`. */
export function datedCataloguesRoot(env: NodeJS.ProcessEnv): string {
  return path.join(path.dirname(defaultStorePath({ ...env, VERDICT_STORE: '' })), 'catalogues');
}

/** The `--catalogue` value in argv (`--catalogue DIR` or `--catalogue=DIR`), if any. */
export function catalogueFlag(argv: readonly string[]): string | undefined {
  for (const [i, arg] of argv.entries()) {
    if (arg === '--') return undefined;
    if (arg === '--catalogue') return argv[i + 1];
    if (arg.startsWith('--catalogue=')) return arg.slice('--catalogue='.length);
  }
  return undefined;
}

/** The catalogue folder chosen (undefined: the bundled one) and why. */
export function chooseCatalogue(
  argv: readonly string[],
  io: Pick<Io, 'env' | 'cwd'>,
): { dir?: string; why: string } {
  const pinned = catalogueFlag(argv) ?? io.env.VERDICT_CATALOGUE;
  const why = catalogueFlag(argv) !== undefined ? '--catalogue' : 'VERDICT_CATALOGUE';
  if (pinned === 'bundled') return { why };
  if (pinned) return { dir: path.resolve(io.cwd, pinned), why };
  const newest = newestDatedCatalogue(datedCataloguesRoot(io.env));
  return newest ? { dir: newest, why: 'the newest dated catalogue' } : { why: 'bundled' };
}

/** Makes the chosen catalogue the active one for this command; a broken one is refused with its file and line. */
export function selectCatalogue(
  argv: readonly string[],
  io: Pick<Io, 'env' | 'cwd'>,
): { dir?: string; why: string } {
  const choice = chooseCatalogue(argv, io);
  if (choice.dir && !existsSync(choice.dir))
    throw new VerdictError('USAGE', `no catalogue folder ${choice.dir} (chosen by ${choice.why})`);
  try {
    useCatalogue(readCatalogueDir(choice.dir));
  } catch (error) {
    if (VerdictError.isInstance(error) && choice.dir)
      throw new VerdictError(
        error.code,
        `${error.message}\n(the catalogue in ${choice.dir}, chosen by ${choice.why}; pin another with --catalogue DIR or --catalogue bundled)`,
      );
    throw error;
  }
  return choice;
}
