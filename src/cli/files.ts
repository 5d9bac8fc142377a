/** Writing key files safely (E13): exclusive create, 0600 for secrets, no following a planted link. */
import { closeSync, lstatSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Context } from './command.js';
import { UsageError } from './io.js';

/**
 * Create `path` with `text`. Refuses an existing file or link unless `force`; with `force` the old entry
 * (a link itself, never its target) is removed first. O_EXCL never follows a symbolic link.
 */
export function writeNewFile(
  ctx: Context,
  path: string,
  text: string | Uint8Array,
  mode: number,
  force: boolean,
): string {
  const full = resolve(ctx.io.cwd, path);
  let exists = false;
  try {
    lstatSync(full);
    exists = true;
  } catch {
    // absent: fine
  }
  if (exists) {
    if (!force) throw new UsageError(`${path} exists: pass --force to overwrite it`);
    try {
      unlinkSync(full);
    } catch {
      throw new UsageError(`cannot replace ${path}`);
    }
  }
  try {
    const dir = statSync(dirname(full));
    // World-writable without the sticky bit: another user could swap the file after we write it.
    if ((dir.mode & 0o002) !== 0 && (dir.mode & 0o1000) === 0) {
      ctx.warn(`the directory of ${path} is writable by every user`);
    }
  } catch {
    throw new UsageError(`the directory of ${path} does not exist`);
  }
  let fd: number;
  try {
    fd = openSync(full, 'wx', mode);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot create ${path}: ${code === 'EEXIST' ? 'it exists' : code === 'EACCES' ? 'permission denied' : (code ?? 'error')}`,
    );
  }
  try {
    writeSync(fd, typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
  } finally {
    closeSync(fd);
  }
  return full;
}
