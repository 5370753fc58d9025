// Reads workload and cases files, and the other files a user hands verdict (a gate's baseline, a
// canary's subset, a load-test result, a promptfoo suite), as UTF-8 text defensively: regular files
// only (a directory, a FIFO or /dev/zero is refused before it is read), a size cap, a line cap, a BOM
// dropped, and invalid UTF-8 refused with its line. Lines are split on bytes, each line decoded once, so a 50 MB line
// takes as long as fifty 1 MB ones (re-splitting the pending text per chunk took 16 s for it).
import { isUtf8 } from 'node:buffer';
import { closeSync, constants, createReadStream, fstatSync, openSync, readSync, type Stats } from 'node:fs';
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
  let info: Stats;
  try {
    info = await stat(subject.file);
  } catch (error) {
    throw statError(subject, error);
  }
  return regularSize(subject, info, limits);
}

function statError(subject: TextFileSubject, error: unknown): VerdictError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  return new VerdictError(subject.code, `${subject.shown}: ${ERRNO_TEXT[code] ?? `cannot read (${code})`}`);
}

/** The size of a regular file under the cap; anything else refused. */
function regularSize(subject: TextFileSubject, info: Stats, limits: InputLimits): number {
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
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, limits.maxFileBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > limits.maxFileBytes) throw tooLarge(subject, undefined, limits);
    }
  } finally {
    await handle.close();
  }
  return decoded(subject, Buffer.concat(chunks, total));
}

/** readTextFile for synchronous readers (the promptfoo import); the same checks, in the same words. */
export function readTextFileSync(subject: TextFileSubject, limits: InputLimits): string {
  // Opened first and checked through the handle: a FIFO is opened without blocking, never read.
  let fd: number;
  try {
    fd = openSync(subject.file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw statError(subject, error);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    regularSize(subject, fstatSync(fd), limits);
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, limits.maxFileBytes + 1 - total));
      const bytesRead = readSync(fd, chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > limits.maxFileBytes) throw tooLarge(subject, undefined, limits);
    }
  } finally {
    closeSync(fd);
  }
  return decoded(subject, Buffer.concat(chunks, total));
}

/** A file's bytes as text: the BOM dropped, invalid UTF-8 refused with its line and column. */
function decoded(subject: TextFileSubject, bytes: Buffer): string {
  const body = bytes.subarray(0, 3).equals(BOM) ? bytes.subarray(3) : bytes;
  if (!isUtf8(body)) {
    const { line, column } = invalidUtf8At(body);
    throw invalidUtf8(subject, line, column);
  }
  return body.toString('utf8');
}

/** A JSON file's value: read as readTextFile reads, a syntax error located at its line and column. */
export async function readJsonFile(subject: TextFileSubject, limits: InputLimits): Promise<unknown> {
  const text = await readTextFile(subject, limits);
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    // V8 names the offset ("at position 12"), or nothing when the text ends too soon.
    const position = /position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : text.length;
    const before = text.slice(0, offset).split('\n');
    throw fail(
      subject,
      `${subject.shown}:${before.length}:${before.at(-1)!.length + 1}`,
      `is not JSON: ${message.replace(/ \(line \d+ column \d+\)$/, '')}`,
    );
  }
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
