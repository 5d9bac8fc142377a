import { err } from '../errors.js';

/** A key ring's sealed document as stored, with its version (1, 2, ...). */
export interface StoredKeyRing {
  readonly version: number;
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

/** A store in this process's memory (the default): nothing survives a restart, so nothing is written in clear. */
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
  if (
    typeof s !== 'object' ||
    s === null ||
    typeof s.load !== 'function' ||
    typeof s.save !== 'function' ||
    typeof s.close !== 'function' ||
    typeof s.persistent !== 'boolean'
  ) {
    throw err('ERR_INVALID_OPTION', 'store must implement KeyRingStore (persistent, load, save, close)');
  }
  return s as KeyRingStore;
}
