// `verdict prices`: which catalogue prices come from (show), a newer genai-prices snapshot from the
// registry written as a dated catalogue into the user's data directory (update), and what moved
// between two catalogues (diff).
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { activeCatalogue } from '../../cost/catalogue/active-catalogue.ts';
import {
  type CatalogueSide,
  diffCatalogues,
  renderCatalogueDiff,
} from '../../cost/catalogue/catalogue-diff.ts';
import {
  type CatalogueFiles,
  DATED_CATALOGUE,
  GENAI_PRICES_FILE,
  readCatalogueDir,
  readCatalogueFiles,
} from '../../cost/catalogue/catalogue-files.ts';
import { CATALOGUE_NAMES } from '../../cost/catalogue/catalogue-names.ts';
import {
  GENAI_PRICES_PACKAGE,
  latestGenaiPrices,
  readGenaiPricesData,
  registryUrl,
} from '../../cost/catalogue/genai-prices-package.ts';
import { parseGenaiPricesFile } from '../../cost/catalogue/parse-catalogue.ts';
import {
  GENAI_PRICES_SNAPSHOT,
  INSTALLED_GENAI_PRICES,
  installedGenaiPricesData,
} from '../../cost/token-prices.ts';
import { VerdictError } from '../../spec/errors.ts';
import { chooseCatalogue, datedCataloguesRoot } from '../catalogue-choice.ts';
import { ExitCode } from '../exit-codes.ts';
import type { Io } from '../io.ts';
import { parseFlags } from '../parse-flags.ts';

export const help = `verdict prices show | update | diff A [B]

The catalogues verdict prices from are dated data files: token prices (@pydantic/genai-prices' data),
verdict's own token-price overrides and batch discounts, open-weight models, licences, GPUs, GPU rental
offers, provider compliance and self-hosting defaults. Each file has a version (its date) and every
row its source and date; a stored decision records the version of each catalogue it used.

  show      which catalogue is active, file by file: version, rows, where it was read from
  update    ask the npm registry for the newest @pydantic/genai-prices; when it is newer than the
            active data, read its prices, check every row, and write a dated catalogue (the
            active catalogue's other files, checked, plus the new token prices) into
            <data dir>/catalogues/YYYY-MM-DD/, which verdict uses from then on; print what moved
            (old → new, per model). \`verdict recheck\` then reports the decisions it moves.
  diff A B  what moved from catalogue A to B (B: the active one when left out). A catalogue is a
            folder, a dated catalogue's name (2026-12-06) in the data directory, or "bundled".

Which catalogue is active: --catalogue DIR (any command; "bundled" for the shipped one), else
VERDICT_CATALOGUE, else the newest dated catalogue in <data dir>/catalogues, else the shipped one.
A folder may hold only some files (JSON or YAML, the shape of schema/catalogues/*.schema.json); the
rest come from the shipped catalogue.

Flags:
  --registry URL     npm registry (default: $npm_config_registry, else https://registry.npmjs.org/)
  --limit N          models and rows listed per section (default 50; 0 for all)
  --json             print the result as JSON
  --catalogue DIR    the catalogue to use (see above)
  -h, --help         this help
Exit codes: 0 done (update: also when already current), 2 bad input or an invalid catalogue,
3 the registry failed.
`;

const today = () => new Date().toISOString().slice(0, 10);

/** One side of a diff from checked files. */
async function sideOf(label: string, files: CatalogueFiles): Promise<CatalogueSide> {
  return {
    label,
    files: Object.fromEntries(
      CATALOGUE_NAMES.map((name) => [
        name,
        {
          version: files.parsed[name].data.version,
          rows: files.parsed[name].data.rows as Array<Record<string, unknown>>,
        },
      ]),
    ),
    genai: files.genai
      ? { version: files.genai.data.version, providers: files.genai.data.providers }
      : { version: INSTALLED_GENAI_PRICES.version, providers: await installedGenaiPricesData() },
  };
}

/** A catalogue named on the command line: a folder, a dated catalogue's name, or "bundled". */
function resolveCatalogue(name: string, io: Io): { label: string; dir?: string } {
  if (name === 'bundled') return { label: 'bundled' };
  if (DATED_CATALOGUE.test(name)) {
    const dir = path.join(datedCataloguesRoot(io.env), name);
    return { label: name, dir };
  }
  return { label: name, dir: path.resolve(io.cwd, name) };
}

function show(io: Io, argv: string[]): number {
  const choice = chooseCatalogue(argv, io);
  io.stdout.write(`Active catalogue: ${choice.dir ?? 'the one shipped with verdict'} (${choice.why})\n`);
  for (const file of activeCatalogue().files)
    io.stdout.write(
      `  ${file.name.padEnd(22)} version ${file.version.padEnd(11)} ${String(file.rows).padStart(4)} rows  ${file.location}\n`,
    );
  if (!activeCatalogue().genaiPrices)
    io.stdout.write(
      `  ${'genai-prices'.padEnd(22)} version ${INSTALLED_GENAI_PRICES.version.padEnd(11)}         the installed ${GENAI_PRICES_PACKAGE} (published ${INSTALLED_GENAI_PRICES.publishedAt})\n`,
    );
  return ExitCode.ok;
}

async function update(io: Io, argv: string[], values: Record<string, unknown>): Promise<number> {
  const registry = registryUrl(values.registry as string | undefined, io.env);
  const current = GENAI_PRICES_SNAPSHOT;
  const latest = await latestGenaiPrices(registry, io.signal);
  const json = values.json === true;
  if (latest.version === current.version) {
    if (json)
      io.stdout.write(
        `${JSON.stringify({ updated: false, version: current.version, publishedAt: current.publishedAt }, null, 2)}\n`,
      );
    else
      io.stdout.write(
        `verdict prices update: already current — ${GENAI_PRICES_PACKAGE} ${current.version} (published ${current.publishedAt}) is the registry's latest; nothing written.\n`,
      );
    return ExitCode.ok;
  }
  const providers = await readGenaiPricesData(latest, io.signal);
  const snapshot = {
    catalogue: 'genai-prices',
    version: latest.version,
    package: GENAI_PRICES_PACKAGE,
    date: latest.publishedAt,
    source: latest.tarball,
    fetched_at: new Date().toISOString(),
    providers,
  };
  const text = `${JSON.stringify(snapshot)}\n`;
  // Every row is checked before anything is written.
  parseGenaiPricesFile(text, `${GENAI_PRICES_PACKAGE} ${latest.version}`);
  const choice = chooseCatalogue(argv, io);
  const active = readCatalogueFiles(choice.dir);
  const dir = path.join(datedCataloguesRoot(io.env), today());
  const staging = `${dir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  for (const name of CATALOGUE_NAMES) {
    const from = active.paths[name]!;
    copyFileSync(from, path.join(staging, path.basename(from)));
  }
  writeFileSync(path.join(staging, GENAI_PRICES_FILE), text);
  // The whole folder is checked as the loader will read it (rows, cross-file references) before it is used.
  readCatalogueDir(staging);
  const written = readCatalogueFiles(staging);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.dirname(dir), { recursive: true });
  renameSync(staging, dir);
  const diff = diffCatalogues(await sideOf(choice.dir ?? 'bundled', active), await sideOf(today(), written));
  if (json) {
    io.stdout.write(
      `${JSON.stringify({ updated: true, catalogue: dir, version: latest.version, publishedAt: latest.publishedAt, diff }, null, 2)}\n`,
    );
    return ExitCode.ok;
  }
  const limit = Number(values.limit ?? 50);
  io.stdout.write(
    [
      `verdict prices update: ${GENAI_PRICES_PACKAGE} ${current.version} (${current.publishedAt}) → ${latest.version} (published ${latest.publishedAt})`,
      `Wrote ${dir}: every row checked; verdict prices from it from now on (pin another with --catalogue DIR).`,
      ...renderCatalogueDiff(diff, limit),
      'Run `verdict recheck` to see the decisions these prices move.',
      '',
    ].join('\n'),
  );
  return ExitCode.ok;
}

async function diff(
  io: Io,
  positionals: string[],
  argv: string[],
  values: Record<string, unknown>,
): Promise<number> {
  const [a, b] = positionals;
  if (!a)
    throw new VerdictError(
      'USAGE',
      'verdict prices diff needs a catalogue A (a folder, a date, or "bundled"); see verdict prices --help',
    );
  const before = resolveCatalogue(a, io);
  const after = b ? resolveCatalogue(b, io) : { label: 'active', ...chooseCatalogue(argv, io) };
  for (const side of [before, after])
    if (side.dir && !existsSync(side.dir)) throw new VerdictError('USAGE', `no catalogue folder ${side.dir}`);
  const result = diffCatalogues(
    await sideOf(before.label, readCatalogueFiles(before.dir)),
    await sideOf(after.label, readCatalogueFiles(after.dir)),
  );
  if (values.json === true) {
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return ExitCode.ok;
  }
  io.stdout.write(
    `verdict prices diff: ${result.before} → ${result.after}\n${renderCatalogueDiff(result, Number(values.limit ?? 50)).join('\n')}\n`,
  );
  return ExitCode.ok;
}

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    { registry: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
    'prices',
    { min: 0, max: 3 },
  );
  const [sub, ...rest] = positionals;
  if (values.help || sub === undefined) {
    io.stdout.write(help);
    return values.help ? ExitCode.ok : ExitCode.badInput;
  }
  if (values.limit !== undefined && !/^\d+$/.test(String(values.limit)))
    throw new VerdictError('USAGE', `--limit "${values.limit}": expected a whole number`);
  if (sub === 'show') return show(io, argv);
  if (sub === 'update') return update(io, argv, values);
  if (sub === 'diff') return diff(io, rest, argv, values);
  throw new VerdictError(
    'USAGE',
    `unknown "verdict prices ${sub}": show, update or diff; see verdict prices --help`,
  );
}
