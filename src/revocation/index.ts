/**
 * `jotjs/revocation`: revoke tokens by `jti` and subjects by issue time, on memory, SQLite or Redis.
 *
 * The SQLite and Redis stores load `better-sqlite3` (12) and `redis` (5), optional peer
 * dependencies, when they are created.
 *
 * @example
 * ```ts
 * import { createRevocationList, redisStore } from 'jotjs/revocation';
 * const revocation = createRevocationList({ store: redisStore({ url: 'redis://127.0.0.1:6379' }) });
 * await revocation.ready();
 * await revocation.revoke({ jti: 'a1b2', exp: 1767225600 });
 * revocation.isRevokedSync({ jti: 'a1b2', sub: 'u1', iat: 1767222000 }); // true
 * ```
 *
 * @packageDocumentation
 */
export type { RevocationEntriesOptions, RevocationEntry, RevocationEntryKind } from './entries.js';
export { createRevocationList } from './list.js';
export { type MemoryStore, type MemoryStoreOptions, memoryStore } from './memory.js';
export { isReplayStore, type ReplayStore } from './replay.js';
export { type RedisStore, type RedisStoreOptions, type RedisTarget, redisStore } from './redis.js';
export { type SqliteStore, type SqliteStoreOptions, sqliteStore } from './sqlite.js';
export type {
  RevocableClaims,
  RevocationList,
  RevocationListOptions,
  RevocationStore,
  RevokeKeyOptions,
  RevokeSubjectOptions,
} from './types.js';
