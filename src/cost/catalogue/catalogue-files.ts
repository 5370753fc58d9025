import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { packageFile } from '../../package-root.ts';
import { buildCatalogue, type ParsedCatalogue } from './build-catalogue.ts';
import { CATALOGUE_NAMES, type CatalogueName } from './catalogue-names.ts';
import type { GenaiPricesFile } from './catalogue-schema.ts';
import type { Catalogue } from './catalogue-types.ts';
import {
  type ParsedCatalogueFile,
  parseBundledCatalogueFile,
  parseCatalogueFile,
  parseGenaiPricesFile,
} from './parse-catalogue.ts';

// Where catalogues live on disk: the bundled one shipped in the package's catalogues/ folder, and
// dated ones (`verdict prices update`) or pinned ones (`--catalogue DIR`) in a folder of the same
// files. A folder may hold only some files; the others come from the bundled catalogue, and each
// file's location says which.

/** The catalogues/ folder shipped with verdict (ending in a separator, so a prefix test is by folder). */
export const BUNDLED_CATALOGUE_DIR = packageFile('catalogues') + path.sep;

/** The genai-prices data snapshot's file name in a catalogue folder. */
export const GENAI_PRICES_FILE = 'genai-prices.json';

/** A dated catalogue folder's name: the day `verdict prices update` wrote it. */
export const DATED_CATALOGUE = /^\d{4}-\d{2}-\d{2}$/;

const cache = new Map<string, { stamp: string; parsed: unknown }>();

function cached<T>(file: string, parse: (text: string) => T): T {
  const stat = statSync(file);
  const stamp = `${stat.mtimeMs}:${stat.size}`;
  const hit = cache.get(file);
  if (hit?.stamp === stamp) return hit.parsed as T;
  const parsed = parse(readFileSync(file, 'utf8'));
  cache.set(file, { stamp, parsed });
  return parsed;
}

const shown = (file: string) =>
  file.startsWith(BUNDLED_CATALOGUE_DIR)
    ? path.join('catalogues', path.relative(BUNDLED_CATALOGUE_DIR, file))
    : file;

/** A catalogue's file in a folder: `<name>.json`, else `<name>.yaml` or `.yml`, else undefined. */
export function catalogueFileIn(dir: string, name: string): string | undefined {
  return ['.json', '.yaml', '.yml']
    .map((ext) => path.join(dir, `${name}${ext}`))
    .find((file) => existsSync(file));
}

/** One catalogue's checked files, each with where it was read from. */
export interface CatalogueFiles {
  parsed: ParsedCatalogue;
  genai?: ParsedCatalogueFile<GenaiPricesFile> & { location: string };
  /** The file each catalogue was read from (bundled ones included). */
  paths: Record<string, string>;
}

/** Reads and checks every file of a catalogue folder (the bundled one when `dir` is undefined). */
export function readCatalogueFiles(dir?: string): CatalogueFiles {
  const parsed = {} as Record<CatalogueName, unknown>;
  const paths: Record<string, string> = {};
  for (const name of CATALOGUE_NAMES) {
    const own = dir ? catalogueFileIn(dir, name) : undefined;
    const file = own ?? path.join(BUNDLED_CATALOGUE_DIR, `${name}.json`);
    const location = own ?? 'bundled';
    const parse = own ? parseCatalogueFile : parseBundledCatalogueFile;
    parsed[name] = { ...cached(file, (text) => parse(name, text, shown(file))), location };
    paths[name] = file;
  }
  const genaiFile = dir ? path.join(dir, GENAI_PRICES_FILE) : undefined;
  const genai =
    genaiFile && existsSync(genaiFile)
      ? { ...cached(genaiFile, (text) => parseGenaiPricesFile(text, genaiFile)), location: genaiFile }
      : undefined;
  if (genaiFile && genai) paths['genai-prices'] = genaiFile;
  return { parsed: parsed as ParsedCatalogue, ...(genai ? { genai } : {}), paths };
}

/** Reads and checks a catalogue folder (the bundled one when `dir` is undefined); throws with file and line. */
export function readCatalogueDir(dir?: string): Catalogue {
  const { parsed, genai } = readCatalogueFiles(dir);
  return buildCatalogue(parsed, genai);
}

/** The newest dated catalogue folder under `root` (`<data dir>/catalogues`), or undefined. */
export function newestDatedCatalogue(root: string): string | undefined {
  if (!existsSync(root)) return undefined;
  const dated = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && DATED_CATALOGUE.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  return dated.length > 0 ? path.join(root, dated.at(-1)!) : undefined;
}
