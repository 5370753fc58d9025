// Reads workload and cases files as UTF-8 text defensively: regular files only (a directory, a FIFO
// or /dev/zero is refused before it is opened), a size cap, a line cap, a BOM dropped, and invalid
// UTF-8 refused with its line. Lines are split on bytes, each line decoded once, so a 50 MB line
// takes as long as fifty 1 MB ones (re-splitting the pending text per chunk took 16 s for it).
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { VerdictError, type VerdictErrorCode } from '../spec/errors.ts';
import { formatBytes, type InputLimits, limitFlags } from './input-limits.ts';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const NEWLINE = 0x0a;

/** Which file, as errors name it, and the error code its problems carry. */
export interface TextFileSubject {
  file: string;
  shown: string;
  code: VerdictErrorCode;
}

function fail(subject: TextFileSubject, where: string, message: string): VerdictError {
  return new VerdictError(subject.code, `${where} ${message}`);
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a folder on its path is a file',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
};

/** Refuses anything but a readable regular file below the size cap; returns its size. */
export async function checkRegularFile(subject: TextFileSubject, limits: InputLimits): Promise<number> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(subject.file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new VerdictError(subject.code, `${subject.shown}: ${ERRNO_TEXT[code] ?? `cannot read (${code})`}`);
  }
  if (info.isDirectory()) throw new VerdictError(subject.code, `${subject.shown}: is a folder, not a file`);
  if (!info.isFile()) {
    const kind = info.isFIFO() ? 'a FIFO' : info.isSocket() ? 'a socket' : 'a device';
    throw new VerdictError(
      subject.code,
      `${subject.shown}: is ${kind}, not a regular file; verdict reads files only`,
    );
  }
  if (info.size > limits.maxFileBytes) throw tooLarge(subject, info.size, limits);
  return info.size;
}

function tooLarge(subject: TextFileSubject, size: number | undefined, limits: InputLimits): VerdictError {
  return new VerdictError(
    subject.code,
    `${subject.shown}: the file is ${size === undefined ? 'larger than' : `${formatBytes(size)}, over`} the limit of ${formatBytes(limits.maxFileBytes)}; ${limitFlags.maxFileBytes} raises it`,
  );
}

/** The 1-based line and column (in bytes) of the first invalid UTF-8 sequence of `bytes`. */
function invalidUtf8At(bytes: Buffer): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (;;) {
    const end = bytes.indexOf(NEWLINE, start);
    const slice = bytes.subarray(start, end === -1 ? bytes.length : end);
    if (!isUtf8(slice)) return { line, column: invalidColumn(slice) };
    if (end === -1) return { line, column: 1 };
    line++;
    start = end + 1;
  }
}

/** The 1-based byte column of the first invalid UTF-8 sequence in one line. */
function invalidColumn(line: Buffer): number {
  const text = line.toString('utf8');
  const index = text.indexOf('\uFFFD');
  return index === -1 ? 1 : Buffer.byteLength(text.slice(0, index)) + 1;
}

function invalidUtf8(subject: TextFileSubject, line: number, column: number): VerdictError {
  return fail(
    subject,
    `${subject.shown}:${line}:${column}`,
    'is not valid UTF-8 text (save the file as UTF-8)',
  );
}

/** A whole file as text: regular, under the cap, UTF-8, without its BOM. */
export async function readTextFile(subject: TextFileSubject, limits: InputLimits): Promise<string> {
  await checkRegularFile(subject, limits);
  // Read at most one byte past the cap through one handle: the file may grow after the stat.
  const handle = await open(subject.file, 'r');
  let bytes: Buffer;
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, limits.maxFileBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > limits.maxFileBytes) throw tooLarge(subject, undefined, limits);
    }
    bytes = Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
  if (bytes.subarray(0, 3).equals(BOM)) bytes = bytes.subarray(3);
  if (!isUtf8(bytes)) {
    const { line, column } = invalidUtf8At(bytes);
    throw invalidUtf8(subject, line, column);
  }
  return bytes.toString('utf8');
}

export interface TextLine {
  /** 1-based. */
  number: number;
  /** Without its \n (a \r before it is kept: CSV may quote one). */
  text: string;
}

/**
 * The lines of a file, split at \n only. Not node:readline: it also breaks lines at U+2028 and
 * U+2029, which JSON allows unescaped inside strings.
 */
export async function* textLines(subject: TextFileSubject, limits: InputLimits): AsyncGenerator<TextLine> {
  await checkRegularFile(subject, limits);
  let parts: Buffer[] = [];
  let pendingBytes = 0;
  let total = 0;
  let number = 0;
  const line = (bytes: Buffer): TextLine => {
    number++;
    let body = bytes;
    if (number === 1 && body.subarray(0, 3).equals(BOM)) body = body.subarray(3);
    if (!isUtf8(body)) throw invalidUtf8(subject, number, invalidColumn(body));
    return { number, text: body.toString('utf8') };
  };
  const tooLong = () =>
    fail(
      subject,
      `${subject.shown}:${number + 1}`,
      `line is longer than the limit of ${formatBytes(limits.maxLineBytes)}; ${limitFlags.maxLineBytes} raises it`,
    );
  for await (const chunk of createReadStream(subject.file, {
    highWaterMark: 1 << 16,
  }) as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limits.maxFileBytes) throw tooLarge(subject, undefined, limits);
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end === -1) break;
      if (pendingBytes + end - start > limits.maxLineBytes) throw tooLong();
      if (parts.length === 0) yield line(chunk.subarray(start, end));
      else {
        parts.push(chunk.subarray(start, end));
        const joined = Buffer.concat(parts, pendingBytes + end - start);
        parts = [];
        pendingBytes = 0;
        yield line(joined);
      }
      start = end + 1;
    }
    if (start < chunk.length) {
      parts.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
      if (pendingBytes > limits.maxLineBytes) throw tooLong();
    }
  }
  if (pendingBytes > 0) yield line(Buffer.concat(parts, pendingBytes));
}
