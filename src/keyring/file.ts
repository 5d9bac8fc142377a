import { randomUUID } from 'node:crypto';
import { chmod, link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { own, parseJsonObject } from '../encoding/json.js';
import { err, JotError } from '../errors.js';
import { checkLockTtl, checkSaveArgs, type KeyRingStore, type StoredKeyRing } from '../keyset/keyring-store.js';
import { readOptions } from '../options.js';

/** Options of {@link fileKeyRingStore}. */
export interface FileKeyRingStoreOptions {
  /** The ring file (created with mode 0600; a `.lock` and a `.rotate` file live beside it). */
  path: string;
  /** Longest wait for the write lock held by another process, ms (default 5000). */
  lockTimeoutMs?: number;
}

const FILE_OPTIONS: ReadonlySet<string> = new Set(['path', 'lockTimeoutMs']);
const unavailable = (message: string, cause?: unknown) => err('ERR_KEYRING_STORE_UNAVAILABLE', message, cause);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Creates `path` exclusively holding `owner` and an expiry; an expired holder is replaced. */
async function tryLock(path: string, owner: string, ttlMs: number): Promise<boolean> {
  for (let i = 0; i < 2; i++) {
    try {
      const fh = await open(path, 'wx', 0o600);
      await fh.writeFile(`${owner} ${Date.now() + ttlMs}`);
      await fh.close();
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw unavailable('cannot create the key ring lock', e);
    }
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text === undefined) continue; // released meanwhile: try again
    const until = Number(text.split(' ')[1]);
    if (Number.isFinite(until)) {
      if (until > Date.now()) return false;
    } else {
      // Empty or half-written: its holder is between creating and writing it. Stale only when older than a TTL
      // (a holder that died right after creating it); never taken over at once, which would free a live lock.
      const created = await stat(path).then(
        (st) => st.mtimeMs,
        () => undefined,
      );
      if (created === undefined) continue;
      if (created + ttlMs > Date.now()) return false;
    }
    await removeStale(path, owner, text);
  }
  return false;
}

/**
 * Removes an expired lock whose content was `seen`. The lock is first renamed aside (atomic: one process wins);
 * if what was renamed is not the expired lock (another process took the lock meanwhile), it is put back.
 */
async function removeStale(path: string, owner: string, seen: string): Promise<void> {
  const aside = `${path}.${owner}.stale`;
  try {
    await rename(path, aside);
  } catch {
    return; // gone already, or another process moved it
  }
  const moved = await readFile(aside, 'utf8').catch(() => '');
  if (moved !== seen) await link(aside, path).catch(() => {}); // a live lock: restore it (unless replaced)
  await unlink(aside).catch(() => {});
}

async function release(path: string, owner: string): Promise<void> {
  const text = await readFile(path, 'utf8').catch(() => '');
  if (text.startsWith(`${owner} `)) await unlink(path).catch(() => {});
}

async function syncDir(path: string): Promise<void> {
  const fh = await open(dirname(path), 'r').catch(() => undefined);
  await fh?.sync().catch(() => {});
  await fh?.close();
}

/**
 * A key ring in one file, for one process or several on one host: written whole to a temporary file (mode
 * 0600), fsynced and renamed over the old one, under an exclusive lock file, with a compare-and-set on the
 * version. The file holds the ring sealed by the ring's `encryptionKey` or `passphrase`.
 *
 * @example
 * ```ts
 * import { createKeyRing, fileKeyRingStore } from 'jotjs/keyring';
 * const store = fileKeyRingStore({ path: '/var/lib/idp/ring.json' });
 * const ring = createKeyRing({ alg: 'ES256', passphrase: 'a long passphrase from a secret store', store });
 * await ring.ready();
 * ```
 */
export function fileKeyRingStore(options: FileKeyRingStoreOptions): KeyRingStore {
  const o = readOptions(options, FILE_OPTIONS, 'fileKeyRingStore()');
  if (typeof o.path !== 'string' || o.path === '' || o.path.includes('\0')) {
    throw err('ERR_INVALID_OPTION', 'fileKeyRingStore() needs { path }');
  }
  const path = o.path;
  const lockTimeoutMs = o.lockTimeoutMs ?? 5000;
  if (!Number.isSafeInteger(lockTimeoutMs) || (lockTimeoutMs as number) < 0) {
    throw err('ERR_INVALID_OPTION', 'lockTimeoutMs must be a non-negative integer');
  }
  const deadlineMs = lockTimeoutMs as number;
  const me = randomUUID();

  async function load(): Promise<StoredKeyRing | undefined> {
    let text: string;
    try {
      const s = await stat(path);
      if ((s.mode & 0o077) !== 0) await chmod(path, 0o600);
      text = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw unavailable('cannot read the key ring file', e);
    }
    const doc = parseJsonObject(text, 'ERR_KEY_INVALID', 'key ring file');
    const version = own(doc, 'version');
    const data = own(doc, 'data');
    if (!Number.isSafeInteger(version) || typeof data !== 'string')
      throw err('ERR_KEY_INVALID', 'malformed key ring file');
    return { version: version as number, data };
  }

  return {
    persistent: true,
    load,
    async save(data, expected) {
      checkSaveArgs(data, expected);
      const lockPath = `${path}.lock`;
      const deadline = Date.now() + deadlineMs;
      while (!(await tryLock(lockPath, me, 10_000))) {
        if (Date.now() > deadline) throw unavailable('the key ring file is locked by another process');
        await pause(20);
      }
      try {
        if (((await load())?.version ?? 0) !== expected) return false;
        const tmp = `${path}.${me}.tmp`;
        const fh = await open(tmp, 'w', 0o600);
        try {
          await fh.writeFile(JSON.stringify({ version: expected + 1, data }));
          await fh.sync();
        } finally {
          await fh.close();
        }
        await rename(tmp, path);
        await syncDir(path);
        return true;
      } catch (e) {
        if (e instanceof JotError) throw e;
        throw unavailable('cannot write the key ring file', e);
      } finally {
        await release(lockPath, me);
      }
    },
    async lock(ttlMs) {
      const ttl = checkLockTtl(ttlMs);
      const lockPath = `${path}.rotate`;
      return (await tryLock(lockPath, me, ttl)) ? () => release(lockPath, me) : undefined;
    },
    async close() {},
  };
}
