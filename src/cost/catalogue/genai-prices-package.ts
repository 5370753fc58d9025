import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { VerdictError } from '../../spec/errors.ts';

// A newer @pydantic/genai-prices from the npm registry, read without installing it: the package
// document gives the latest version, its publish date and tarball; the tarball is checked against
// the registry's integrity hash; its bundle (the price data is compiled into dist/index.js) is
// imported in a separate Node process under the permission model (reads its own folder only, no
// file writes, no child processes), which prints the data as JSON for verdict to check row by row.

export const GENAI_PRICES_PACKAGE = '@pydantic/genai-prices';
const DEFAULT_REGISTRY = 'https://registry.npmjs.org/';

/** The latest published version on the registry. */
export interface PublishedPackage {
  version: string;
  /** YYYY-MM-DD. */
  publishedAt: string;
  tarball: string;
  integrity?: string;
  shasum?: string;
}

/** The registry to ask: `--registry`, else npm's own setting in the environment, else npmjs.org. */
export function registryUrl(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const url = flag ?? env.npm_config_registry ?? env.NPM_CONFIG_REGISTRY ?? DEFAULT_REGISTRY;
  return url.endsWith('/') ? url : `${url}/`;
}

async function get(url: string, what: string, signal?: AbortSignal): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { signal: signal ?? AbortSignal.timeout(60_000) });
  } catch (error) {
    throw new VerdictError(
      'PROVIDER_ERROR',
      `could not reach the registry for ${what} (${url}): ${(error as Error).message}`,
      {
        cause: error,
        isRetryable: true,
      },
    );
  }
  if (!response.ok)
    throw new VerdictError(
      'PROVIDER_ERROR',
      `the registry answered ${response.status} for ${what} (${url})`,
      {
        isRetryable: response.status >= 500,
      },
    );
  return response;
}

/** The latest version of genai-prices on the registry, its date and tarball. */
export async function latestGenaiPrices(registry: string, signal?: AbortSignal): Promise<PublishedPackage> {
  const url = `${registry}${GENAI_PRICES_PACKAGE.replace('/', '%2f')}`;
  const doc = (await (await get(url, GENAI_PRICES_PACKAGE, signal)).json()) as {
    'dist-tags'?: { latest?: string };
    versions?: Record<string, { dist?: { tarball?: string; integrity?: string; shasum?: string } }>;
    time?: Record<string, string>;
  };
  const version = doc['dist-tags']?.latest;
  const dist = version ? doc.versions?.[version]?.dist : undefined;
  if (!version || !dist?.tarball)
    throw new VerdictError(
      'PROVIDER_ERROR',
      `the registry's document for ${GENAI_PRICES_PACKAGE} names no latest version with a tarball (${url})`,
    );
  const published = doc.time?.[version];
  return {
    version,
    publishedAt: published
      ? new Date(published).toISOString().slice(0, 10)
      : new Date().toISOString().slice(0, 10),
    tarball: dist.tarball,
    ...(dist.integrity ? { integrity: dist.integrity } : {}),
    ...(dist.shasum ? { shasum: dist.shasum } : {}),
  };
}

function checkIntegrity(bytes: Buffer, published: PublishedPackage) {
  const sri = published.integrity?.split(/\s+/).find((s) => s.startsWith('sha512-'));
  if (sri) {
    const actual = `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
    if (actual !== sri)
      throw new VerdictError(
        'PROVIDER_ERROR',
        `the tarball of ${GENAI_PRICES_PACKAGE} ${published.version} does not match the registry's integrity hash`,
      );
    return;
  }
  if (published.shasum) {
    if (createHash('sha1').update(bytes).digest('hex') !== published.shasum)
      throw new VerdictError(
        'PROVIDER_ERROR',
        `the tarball of ${GENAI_PRICES_PACKAGE} ${published.version} does not match the registry's shasum`,
      );
    return;
  }
  throw new VerdictError(
    'PROVIDER_ERROR',
    `the registry gives no hash for ${GENAI_PRICES_PACKAGE} ${published.version}: not trusted`,
  );
}

/** The files of a gzipped tar (an npm tarball), by path; regular files only. */
export function untar(gzipped: Buffer): Map<string, Buffer> {
  const tar = gunzipSync(gzipped);
  const files = new Map<string, Buffer>();
  for (let at = 0; at + 512 <= tar.length; ) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const prefix = field(345, 155);
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    const type = field(156, 1);
    if (type === '0' || type === '') files.set(name, tar.subarray(at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

const READ_DATA = `
const m = await import(process.argv[1]);
const data = await m.waitForUpdate();
process.stdout.write(JSON.stringify(data));
`;

/** Downloads, checks and reads the price data of one published version: genai-prices' provider list. */
export async function readGenaiPricesData(
  published: PublishedPackage,
  signal?: AbortSignal,
): Promise<unknown> {
  const bytes = Buffer.from(
    await (
      await get(published.tarball, `${GENAI_PRICES_PACKAGE} ${published.version}`, signal)
    ).arrayBuffer(),
  );
  checkIntegrity(bytes, published);
  const bundle = untar(bytes).get('package/dist/index.js');
  if (!bundle)
    throw new VerdictError(
      'PROVIDER_ERROR',
      `${GENAI_PRICES_PACKAGE} ${published.version} has no dist/index.js: its layout changed, so verdict cannot read its prices`,
    );
  const dir = mkdtempSync(path.join(os.tmpdir(), 'verdict-genai-prices-'));
  try {
    const file = path.join(dir, 'index.mjs');
    writeFileSync(file, bundle);
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [
          '--permission',
          `--allow-fs-read=${dir}`,
          '--input-type=module',
          '-e',
          READ_DATA,
          pathToFileURL(file).href,
        ],
        { maxBuffer: 256 * 1024 * 1024, timeout: 60_000, env: {} },
        (error, out, err) =>
          error
            ? reject(
                new VerdictError(
                  'PROVIDER_ERROR',
                  `could not read the prices of ${GENAI_PRICES_PACKAGE} ${published.version}: ${String(err).trim() || error.message}`,
                ),
              )
            : resolve(out),
      ),
    );
    return JSON.parse(stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
