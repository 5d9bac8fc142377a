/**
 * `jotjs/keyring`: persistent stores for an issuer's key ring (`createKeyRing` from `jotjs`, re-exported here).
 * The SQLite and Redis stores load `better-sqlite3` (12) and `redis` (5), optional peer dependencies, when created.
 *
 * @example
 * ```ts
 * import { createKeyRing, fileKeyRingStore } from 'jotjs/keyring';
 * const ring = createKeyRing({ alg: 'ES256', passphrase: process.env.RING_PASSPHRASE,
 *   store: fileKeyRingStore({ path: '/var/lib/idp/ring.json' }) });
 * await ring.ready();
 * ```
 */
export {
  createKeyRing,
  type KeyRing,
  type KeyRingKeyInfo,
  type PortableKeyRing,
} from '../keyset/keyring.js';
export type { KeyRingEvent, KeyRingOptions } from '../keyset/keyring-options.js';
export { type KeyRingStore, memoryKeyRingStore, type StoredKeyRing } from '../keyset/keyring-store.js';
export { type FileKeyRingStoreOptions, fileKeyRingStore } from './file.js';
export { type RedisKeyRingStoreOptions, redisKeyRingStore } from './redis.js';
export { type SqliteKeyRingStoreOptions, sqliteKeyRingStore } from './sqlite.js';
export type { RedisTarget } from '../revocation/redis-conn.js';
