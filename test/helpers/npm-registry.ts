// A stand-in npm registry on 127.0.0.1 serving one package: its document (dist-tags, versions with
// tarball and integrity, publish times) and its tarball, built here from the files given.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

function tarEntry(name: string, data: Buffer): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  const sum = header.reduce((s, b) => s + b, 0);
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const padding = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([header, data, padding]);
}

/** A gzipped npm tarball of `files` (paths under package/). */
export function npmTarball(files: Record<string, string>): Buffer {
  return gzipSync(
    Buffer.concat([
      ...Object.entries(files).map(([name, text]) => tarEntry(`package/${name}`, Buffer.from(text))),
      Buffer.alloc(1024),
    ]),
  );
}

export interface StandInRegistry {
  url: string;
  /** Requests seen, by path. */
  requests: string[];
  close(): Promise<void>;
}

/** Serves `name` at `version`, published at `publishedAt`, with `tarball`; `integrity` overrides the true hash. */
export async function startStandInRegistry(pkg: {
  name: string;
  version: string;
  publishedAt: string;
  tarball: Buffer;
  integrity?: string;
}): Promise<StandInRegistry> {
  const requests: string[] = [];
  const tarballPath = `/${pkg.name}/-/${pkg.name.split('/')[1]}-${pkg.version}.tgz`;
  let base = '';
  const server: Server = createServer((request, response) => {
    requests.push(request.url ?? '');
    if (request.url === `/${pkg.name.replace('/', '%2f')}`) {
      const integrity =
        pkg.integrity ?? `sha512-${createHash('sha512').update(pkg.tarball).digest('base64')}`;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          name: pkg.name,
          'dist-tags': { latest: pkg.version },
          versions: {
            [pkg.version]: {
              name: pkg.name,
              version: pkg.version,
              dist: { tarball: `${base}${tarballPath}`, integrity },
            },
          },
          time: { [pkg.version]: pkg.publishedAt },
        }),
      );
    } else if (request.url === tarballPath) {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.end(pkg.tarball);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: `${base}/`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
