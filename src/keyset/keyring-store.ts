import { err } from '../errors.js';
import { callerRead } from '../options.js';

/** A key ring's sealed document as stored, with its version (1, 2, ...). */
export interface StoredKeyRing {
  /** The version: 1 for the first save, one more for each later save. */
  readonly version: number;
  /** The document (sealed unless the ring opted into plain text). */
  readonly data: string;
}

/**
 * Where a key ring lives. The ring writes one opaque document (sealed by the ring unless you opted into plain
 * text) with a version number; every write is a compare-and-set on that number, so a stale writer (a paused
 * instance whose lock expired) can never overwrite a newer ring: it fails and reloads. Built-in stores:
 * `memoryKeyRingStore()` here, and the file, SQLite and Redis stores in `jotjs/keyring`. A store that cannot
 * answer throws a JotError `ERR_KEYRING_STORE_UNAVAILABLE`.
 */
export interface KeyRingStore {
  /** True when the document leaves this process (a file, a database): the ring then refuses to write keys in clear. */
  readonly persistent: boolean;
  /** The stored document, or undefined when none was saved yet. */
  load(): Promise<StoredKeyRing | undefined>;
  /** Store `data` as version `expected + 1` if the stored version is still `expected` (0: none). False otherwise. */
  save(data: string, expected: number): Promise<boolean>;
  /**
   * Take the rotation lock for `ttlMs` if nobody holds it; resolves with its release, or undefined when it is
   * held elsewhere. Optional: without it, instances race and the compare-and-set picks one winner.
   */
  lock?(ttlMs: number): Promise<(() => Promise<void>) | undefined>;
  /** Call `onChange` when another instance saved (for example over Redis pub/sub). Optional: the ring also polls. */
  watch?(onChange: () => void): void;
  /** Release connections and timers. */
  close(): Promise<void>;
}

/** Checks `save`'s arguments: a string document and a version from 0. Throws `ERR_INVALID_OPTION`. @internal */
export function checkSaveArgs(data: unknown, expected: unknown): void {
  if (typeof data !== 'string') throw err('ERR_INVALID_OPTION', 'the key ring document must be a string');
  if (typeof expected !== 'number' || !Number.isSafeInteger(expected) || expected < 0) {
    throw err('ERR_INVALID_OPTION', 'the expected key ring version must be an integer from 0');
  }
}

/** Checks `lock`'s time to live: a positive integer of milliseconds (at most a day). @internal */
export function checkLockTtl(ttlMs: unknown): number {
  if (typeof ttlMs !== 'number' || !Number.isSafeInteger(ttlMs) || ttlMs < 1 || ttlMs > 86_400_000) {
    throw err('ERR_INVALID_OPTION', 'the lock time to live must be an integer of milliseconds from 1 to 86400000');
  }
  return ttlMs;
}

/**
 * A store in this process's memory (the default): nothing survives a restart, so nothing is written in clear.
 *
 * @example
 * ```ts
 * import { createKeyRing, memoryKeyRingStore } from 'jotjs';
 * const ring = createKeyRing({ alg: 'ES256', store: memoryKeyRingStore() });
 * ```
 */
export function memoryKeyRingStore(): KeyRingStore {
  let stored: StoredKeyRing | undefined;
  let closed = false;
  const open = () => {
    if (closed) throw err('ERR_KEYRING_STORE_UNAVAILABLE', 'the key ring store is closed');
  };
  return {
    persistent: false,
    async load() {
      open();
      return stored;
    },
    async save(data, expected) {
      open();
      checkSaveArgs(data, expected);
      if ((stored?.version ?? 0) !== expected) return false;
      stored = { version: expected + 1, data };
      return true;
    },
    async close() {
      closed = true;
    },
  };
}

/** Checks a store object has the required methods. @internal */
export function checkKeyRingStore(store: unknown): KeyRingStore {
  const s = store as Partial<KeyRingStore> | null;
  if (callerRead(() => !isStore(s), 'store')) {
    throw err('ERR_INVALID_OPTION', 'store must implement KeyRingStore (persistent, load, save, close)');
  }
  return s as KeyRingStore;
}

function isStore(s: Partial<KeyRingStore> | null): boolean {
  return !(
    typeof s !== 'object' ||
    s === null ||
    typeof s.load !== 'function' ||
    typeof s.save !== 'function' ||
    typeof s.close !== 'function' ||
    typeof s.persistent !== 'boolean'
  );
}
