// An output file named by a flag (`-o FILE`), checked before any work so that a report is never
// computed for a path it cannot be written to, and written with failures said in words.
import { constants } from 'node:fs';
import { access, mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { VerdictError } from '../spec/errors.ts';

const ERRNO_TEXT: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
  EROFS: 'the file system is read-only',
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a folder on its path is a file',
  EFBIG: 'the file is too large for the file system',
  EIO: 'an input/output error',
};

/** The error for a write that failed, naming the flag and the path. */
export function outputError(flag: string, file: string, error: unknown): VerdictError {
  const code = (error as NodeJS.ErrnoException)?.code;
  const reason = (code && ERRNO_TEXT[code]) ?? (error as Error)?.message ?? String(error);
  return new VerdictError('USAGE', `${flag} ${file}: cannot write: ${reason}${code ? ` (${code})` : ''}`);
}

/**
 * Refuses an output path that cannot be written: a folder, a missing folder, no permission. With
 * `createFolders` (a command that makes the folders of its output, as gate's `--junit reports/x.xml`
 * in a fresh CI checkout), a missing folder is refused only where it cannot be made.
 */
export async function checkOutputFile(
  flag: string,
  file: string,
  options: { createFolders?: boolean } = {},
): Promise<void> {
  const fail = (reason: string) => new VerdictError('USAGE', `${flag} ${file}: ${reason}`);
  const existing = await stat(file).catch(() => undefined);
  if (existing?.isDirectory()) throw fail('is a folder; name a file in it');
  if (existing) {
    await access(file, constants.W_OK).catch(() => {
      throw fail('is not writable (permission denied)');
    });
    return;
  }
  let folder = path.dirname(file);
  let parent = await stat(folder).catch(() => undefined);
  if (!parent && !options.createFolders) throw fail(`the folder ${folder} does not exist`);
  // The nearest folder that exists is where the missing ones would be made.
  while (!parent && path.dirname(folder) !== folder) {
    folder = path.dirname(folder);
    parent = await stat(folder).catch(() => undefined);
  }
  if (!parent?.isDirectory()) throw fail(`${folder} is not a folder`);
  await access(folder, constants.W_OK).catch(() => {
    throw fail(`the folder ${folder} is not writable (permission denied)`);
  });
}

/** Writes an output file checked by checkOutputFile, making its folders; a failure names the flag. */
export async function writeOutputFile(flag: string, file: string, text: string): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  } catch (error) {
    throw outputError(flag, file, error);
  }
}
