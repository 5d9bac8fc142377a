import type { Connection } from './redis-conn.js';

/**
 * The Redis store's one-time-use register (see `ReplayStore`): `SET {ns}:once:<id> <expiresAt> PX <ttl> NX`, one
 * atomic command on the server every instance shares, so a replay on another instance is caught. The key lives
 * until the entry's expiry (Redis drops it then). Not fsynced: losing an entry in a crash can at worst let one
 * proof be replayed within its short window, which is the trade-off RFC 9449 section 11.1 accepts. @internal
 */
export async function redisInsertOnce(
  conn: Connection,
  run: <T>(p: Promise<T>) => Promise<T>,
  prefix: string,
  id: string,
  expiresAt: number,
  now: number,
): Promise<boolean> {
  const key = prefix + id;
  const ttl = String(Math.max(1, Math.ceil((expiresAt - now) * 1000)));
  const reply = await run(conn.exec(key, ['SET', key, String(expiresAt), 'PX', ttl, 'NX']));
  return reply !== null && reply !== undefined;
}
