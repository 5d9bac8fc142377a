import { err } from '../errors.js';
import { snapshot } from '../options.js';
import { checkEntriesArgs, type RevocationEntriesOptions, type RevocationEntry, walkTable } from './entries.js';
import { checkReplayArgs, OnceTable, type ReplayStore } from './replay.js';
import type { RevocationStore } from './types.js';
import { RevocationTable } from './table.js';
import { checkJtiEntry, checkKidEntry, checkLookup, checkSubjectEntry, instant, positiveInt } from './validate.js';

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /**
   * Most entries (revoked `jti`s plus subject cut-offs) kept at once. When full, expired entries are
   * purged; if it is still full the revocation is refused with `ERR_LIMIT_EXCEEDED`, never dropped.
   * Default 1 000 000.
   */
  maxEntries?: number;
}

/** A {@link RevocationStore} in this process's memory, with synchronous lookups. */
export interface MemoryStore extends RevocationStore, ReplayStore {
  /** Synchronous {@link RevocationStore.hasJti}: a map lookup. */
  hasJtiSync(jti: string, now: number): boolean;
  /** Synchronous {@link RevocationStore.getSubjectCutoff}: a map lookup. */
  getSubjectCutoffSync(sub: string, now: number): number | undefined;
  /** Records a signing key's `kid` as revoked until `expiresAt` (for `revokeKey`). */
  addKid(kid: string, expiresAt: number, now: number): Promise<void>;
  /** Is the key `kid` revoked and unexpired at `now`? */
  hasKid(kid: string, now: number): Promise<boolean>;
  /** Synchronous {@link RevocationStore.hasKid}: a map lookup. */
  hasKidSync(kid: string, now: number): boolean;
  /** Entries currently held, expired ones not yet purged included. */
  readonly size: number;
  /** The unexpired entries at `now`, walked live from this process's maps (see {@link RevocationStore.entries}). */
  entries(now: number, options?: RevocationEntriesOptions): AsyncIterableIterator<RevocationEntry>;
}

/**
 * The default store: one process, nothing survives a restart. Bounded by `maxEntries`; expired
 * entries are dropped on lookup, when full, and by the list's periodic purge.
 *
 * @example
 * ```ts
 * import { createRevocationList, memoryStore } from 'jotjs/revocation';
 * const revocation = createRevocationList({ store: memoryStore({ maxEntries: 100_000 }) });
 * await revocation.revoke({ jti: 'a1b2', exp: Math.floor(Date.now() / 1000) + 900 });
 * revocation.isRevokedSync({ jti: 'a1b2' }); // true
 * ```
 */
export function memoryStore(input: MemoryStoreOptions = {}): MemoryStore {
  const options = snapshot(input, 'memoryStore() options') as MemoryStoreOptions;
  const maxEntries = positiveInt(options.maxEntries, 1_000_000, 'maxEntries');
  const table = new RevocationTable();
  const once = new OnceTable();
  let closed = false;

  function open(): void {
    if (closed) throw err('ERR_REVOCATION_STORE_UNAVAILABLE', 'the memory store is closed');
  }

  function makeRoom(kind: 'jti' | 'sub', key: string, now: number): void {
    if (table.size + once.size < maxEntries || !table.isNew(kind, key)) return;
    table.purge(now);
    once.purge(now);
    if (table.size + once.size >= maxEntries) {
      throw err('ERR_LIMIT_EXCEEDED', `the memory revocation store is full (${maxEntries} unexpired entries)`);
    }
  }

  return {
    get size() {
      return table.size + once.size;
    },
    async insertIfAbsent(id, expiresAt, now) {
      open();
      checkReplayArgs(id, expiresAt, now);
      if (table.size + once.size >= maxEntries && !once.ids.has(id)) {
        once.purge(now);
        table.purge(now);
        if (table.size + once.size >= maxEntries) {
          throw err('ERR_LIMIT_EXCEEDED', `the memory store is full (${maxEntries} unexpired entries)`);
        }
      }
      return once.insert(id, expiresAt, now);
    },
    async addJti(jti, expiresAt, now) {
      checkJtiEntry(jti, expiresAt, now);
      open();
      makeRoom('jti', jti, now);
      table.addJti(jti, expiresAt);
    },
    async hasJti(jti, now) {
      checkLookup(jti, now, 'jti');
      open();
      return table.hasJti(jti, now);
    },
    hasJtiSync(jti, now) {
      checkLookup(jti, now, 'jti');
      open();
      return table.hasJti(jti, now);
    },
    async setSubjectCutoff(sub, cutoff, expiresAt, now) {
      checkSubjectEntry(sub, cutoff, expiresAt, now);
      open();
      makeRoom('sub', sub, now);
      table.setSubject(sub, cutoff, expiresAt);
    },
    async getSubjectCutoff(sub, now) {
      checkLookup(sub, now, 'sub');
      open();
      return table.getSubject(sub, now);
    },
    getSubjectCutoffSync(sub, now) {
      checkLookup(sub, now, 'sub');
      open();
      return table.getSubject(sub, now);
    },
    async addKid(kid, expiresAt, now) {
      checkKidEntry(kid, expiresAt, now);
      open();
      if (table.size >= maxEntries && !table.kids.has(kid)) {
        table.purge(now);
        if (table.size >= maxEntries) throw err('ERR_LIMIT_EXCEEDED', 'the memory revocation store is full');
      }
      table.addKid(kid, expiresAt);
    },
    async hasKid(kid, now) {
      open();
      return table.hasKid(kid, now);
    },
    hasKidSync(kid, now) {
      open();
      return table.hasKid(kid, now);
    },
    async purge(now) {
      instant(now, 'now');
      table.purge(now);
      once.purge(now);
    },
    entries(now, options) {
      const args = checkEntriesArgs(now, options);
      open();
      return walkTable(table, args, open);
    },
    async close() {
      closed = true;
    },
  };
}
