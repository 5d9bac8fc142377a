import type { EntriesArgs, RevocationEntry } from './entries.js';
import { hashEntries, type Keys, unavailable } from './redis-cache.js';
import type { Connection } from './redis-conn.js';
import { parseCutoff } from './redis-scripts.js';

type Run = <T>(p: Promise<T>) => Promise<T>;

/**
 * The listing of a Redis store, a page at a time: jti and kid keys by SCAN (MATCH the prefix, COUNT `pageSize`) on
 * every master, their expiries by one MGET per page (every key of a namespace shares its hash tag, so one slot),
 * subject cut-offs by HSCAN of the subject hash. Each command does a bounded amount of work, so a listing never
 * blocks the server (no KEYS, no HGETALL); only the connection for commands is opened, never the subscription, and
 * nothing is cached. A key that expires between SCAN and MGET is skipped.
 */
export async function* redisEntries(
  conn: Connection,
  keys: Keys,
  { now, kinds, pageSize }: EntriesArgs,
  run: Run,
  isClosed: () => boolean,
): AsyncGenerator<RevocationEntry> {
  const open = (): void => {
    if (isClosed()) throw unavailable('the Redis revocation store is closed');
  };
  open();
  await run(conn.connect());
  const count = String(pageSize);
  for (const kind of kinds) {
    if (kind === 'sub') {
      let cursor = '0';
      do {
        open();
        const reply = (await run(conn.exec(keys.subKey, ['HSCAN', keys.subKey, cursor, 'COUNT', count]))) as [
          unknown,
          unknown,
        ];
        cursor = String(reply[0]);
        for (const [sub, value] of hashEntries(reply[1])) {
          const entry = parseCutoff(value);
          if (entry !== undefined && entry.expiresAt >= now) yield { kind, sub, ...entry };
        }
      } while (cursor !== '0');
      continue;
    }
    const prefix = kind === 'jti' ? keys.jtiPrefix : keys.kidPrefix;
    open();
    for (const node of await run(conn.masters())) {
      let cursor = '0';
      do {
        open();
        const scan = ['SCAN', cursor, 'MATCH', `${prefix}*`, 'COUNT', count];
        const [next, found] = (await run(node.sendCommand(scan))) as [unknown, string[]];
        cursor = String(next);
        if (found.length === 0) continue;
        const values = (await run(node.sendCommand(['MGET', ...found]))) as unknown[];
        for (let i = 0; i < found.length; i++) {
          const expiresAt = Number(values[i] ?? Number.NaN);
          if (!(expiresAt >= now)) continue; // gone, expired, or not ours
          const id = String(found[i]).slice(prefix.length);
          yield kind === 'jti' ? { kind, jti: id, expiresAt } : { kind, kid: id, expiresAt };
        }
      } while (cursor !== '0');
    }
  }
}
