import { isObject, own } from '../encoding/json.js';
import { JotError, err } from '../errors.js';
import type { Connection } from './redis-conn.js';
import { parseCutoff } from './redis-scripts.js';
import { RevocationTable } from './table.js';

/** The keys of one namespace: all share the `{namespace}` hash tag, hence one Cluster slot. */
export interface Keys {
  jtiPrefix: string;
  subKey: string;
  channel: string;
  /** Revoked signing keys: one key per `kid`. */
  kidPrefix: string;
}

/** Milliseconds. */
export interface Timing {
  command: number;
  connect: number;
  heartbeat: number;
  staleness: number;
  resync: number;
}

export function unavailable(message: string, cause?: unknown): JotError {
  return err('ERR_REVOCATION_STORE_UNAVAILABLE', message, cause);
}

/** `p`, or ERR_REVOCATION_STORE_UNAVAILABLE when it fails or takes longer than `ms`. */
export function timed<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    t = setTimeout(() => reject(unavailable('Redis did not answer in time')), ms);
  });
  return Promise.race([p, timeout])
    .catch((e: unknown) => {
      throw e instanceof JotError ? e : unavailable('the Redis revocation store failed', e);
    })
    .finally(() => clearTimeout(t));
}

/** Pairs of a HGETALL/HSCAN reply: a flat array (RESP2) or a map (RESP3). */
export function hashEntries(reply: unknown): [string, unknown][] {
  if (Array.isArray(reply)) {
    const out: [string, unknown][] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) out.push([String(reply[i]), reply[i + 1]]);
    return out;
  }
  if (reply instanceof Map) return [...reply].map(([k, v]) => [String(k), v]);
  return isObject(reply) ? Object.entries(reply) : [];
}

/**
 * This process's copy of a namespace, answering lookups without a round trip. It is trusted
 * ("live") only while the subscription is known to be up and the copy was loaded after the
 * subscription last (re)connected:
 * - messages (published by every write, inside the write's own script) update it as they arrive;
 * - a PING on the subscription's connection every `heartbeat` proves it alive; the first PING
 *   after a (re)connection is queued behind the SUBSCRIBE, so the load that follows it (SCAN the
 *   jti keys + HGETALL the subject hash) misses nothing published meanwhile;
 * - any sign of trouble makes it not live until such a reload completed; so does silence longer
 *   than `staleness`, which bounds how stale an answer can be even when no error is seen.
 * Entries only ever grow (until they expire), so a reload merges into the copy.
 */
export class LiveCache {
  readonly table = new RevocationTable();
  /** Tags this process's messages, which it skips: its writes are cached before they are sent. */
  readonly origin = globalThis.crypto.randomUUID();
  readonly #ownPrefix = `{"o":"${this.origin}",`;
  /** Loaded at least once. */
  synced = false;
  #live = false;
  #epoch = 0; // bumped on every sign of trouble, so a load that overlapped one is not trusted
  /**
   * performance.now() until which the copy answers: while live, the last PING reply or message plus `staleness`;
   * -Infinity while not live. One comparison per lookup.
   */
  #freshUntil = Number.NEGATIVE_INFINITY;
  #lastLoad = 0;
  #lastSub: unknown;
  #opened = false;
  #started = false;
  #closed = false;
  #waiters = new Set<{ resolve: () => void; reject: (e: unknown) => void }>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #opening: Promise<void> | undefined;
  #beating: Promise<void> | undefined;
  readonly #conn: Connection;
  readonly #keys: Keys;
  readonly #ms: Timing;
  readonly #staleness: number;
  readonly onMessage = (message: string): void => {
    if (this.#apply(message)) {
      if (this.#live) this.#freshUntil = performance.now() + this.#staleness;
    } else {
      // Unreadable: what it carried is only known by reloading.
      this.#markDown();
      void this.#beat();
    }
  };

  constructor(conn: Connection, keys: Keys, timing: Timing) {
    this.#conn = conn;
    this.#keys = keys;
    this.#ms = timing;
    this.#staleness = timing.staleness;
    conn.watch(
      () => this.#markDown(),
      () => void this.#beat(),
    );
  }

  /**
   * Starts connecting, subscribing and loading, on the first lookup, write or `ready()` (not when the store is
   * created): a store that is only listed (`entries()`) never loads the whole list into memory.
   */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#schedule(0);
  }

  /** Throws ERR_REVOCATION_STORE_UNAVAILABLE unless the copy is live. */
  check(): void {
    if (!(performance.now() <= this.#freshUntil)) {
      this.start(); // a live copy has started: only a refused lookup needs this
      throw unavailable(
        this.#closed ? 'the Redis revocation store is closed' : 'the Redis revocation cache is not live',
      );
    }
  }

  /** Resolves once live, or throws after the connect timeout. */
  async ready(): Promise<void> {
    if (this.#live) return;
    if (this.#closed) throw unavailable('the Redis revocation store is closed');
    this.start();
    let t: ReturnType<typeof setTimeout> | undefined;
    let waiter: { resolve: () => void; reject: (e: unknown) => void } | undefined;
    await new Promise<void>((resolve, reject) => {
      waiter = { resolve, reject };
      this.#waiters.add(waiter);
      t = setTimeout(
        () => reject(unavailable('could not connect to Redis and load the revocations')),
        this.#ms.connect,
      );
    }).finally(() => {
      clearTimeout(t);
      if (waiter !== undefined) this.#waiters.delete(waiter);
    });
  }

  close(): void {
    this.#closed = true;
    this.#markDown();
    clearTimeout(this.#timer);
    for (const w of this.#waiters) w.reject(unavailable('the Redis revocation store is closed'));
  }

  #markDown(): void {
    this.#live = false;
    this.#freshUntil = Number.NEGATIVE_INFINITY;
    this.#epoch++;
  }

  #schedule(ms: number): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      (this.#opened ? this.#beat() : this.#open())
        .catch(() => this.#markDown())
        .finally(() => this.#schedule(this.#ms.heartbeat));
    }, ms);
    this.#timer.unref();
  }

  #open(): Promise<void> {
    this.#opening ??= this.#conn
      .open(this.#keys.channel, this.onMessage)
      .then(() => {
        this.#opened = true;
        return this.#beat();
      })
      .catch(() => {}) // retried at the next heartbeat
      .finally(() => {
        this.#opening = undefined;
      });
    return this.#opening;
  }

  #beat(): Promise<void> {
    this.#beating ??= this.#doBeat().finally(() => {
      this.#beating = undefined;
    });
    return this.#beating;
  }

  async #doBeat(): Promise<void> {
    const sub = this.#conn.subscriber();
    if (this.#closed || !this.#opened || sub === undefined || !sub.isReady || !sub.isPubSubActive) {
      return this.#markDown();
    }
    const seen = this.#epoch;
    try {
      await timed(sub.sendCommand(['PING']), this.#ms.command);
      const due = this.#ms.resync > 0 && performance.now() - this.#lastLoad > this.#ms.resync;
      if (!this.#live || sub !== this.#lastSub || due) {
        const started = performance.now();
        await this.#load();
        this.#lastLoad = started;
      }
    } catch {
      return this.#markDown();
    }
    if (seen !== this.#epoch || this.#closed) return;
    this.#lastSub = sub;
    this.#live = this.synced = true;
    this.#freshUntil = performance.now() + this.#staleness;
    for (const w of this.#waiters) w.resolve();
  }

  async #load(): Promise<void> {
    const { jtiPrefix, subKey, kidPrefix } = this.#keys;
    const ms = this.#ms.command;
    for (const node of await timed(this.#conn.masters(), ms)) {
      for (const [prefix, add] of [
        [jtiPrefix, (id: string, e: number) => this.table.addJti(id, e)],
        [kidPrefix, (id: string, e: number) => this.table.addKid(id, e)],
      ] as const) {
        await this.#scan(node, prefix, add, ms);
      }
    }
    for (const [sub, value] of hashEntries(await timed(this.#conn.exec(subKey, ['HGETALL', subKey]), ms))) {
      const entry = parseCutoff(value);
      if (entry !== undefined) this.table.setSubject(sub, entry.cutoff, entry.expiresAt);
    }
  }

  /** Loads every `prefix*` key of one node (value: its expiry) through `add`. */
  async #scan(
    node: { sendCommand(args: string[]): Promise<unknown> },
    prefix: string,
    add: (id: string, expiresAt: number) => void,
    ms: number,
  ): Promise<void> {
    let cursor = '0';
    do {
      const scan = ['SCAN', cursor, 'MATCH', `${prefix}*`, 'COUNT', '1000'];
      const [next, keys] = (await timed(node.sendCommand(scan), ms)) as [string, string[]];
      cursor = String(next);
      if (keys.length === 0) continue;
      const values = (await timed(node.sendCommand(['MGET', ...keys]), ms)) as unknown[];
      for (let i = 0; i < keys.length; i++) {
        const value = values[i];
        if (value === null || value === undefined) continue; // expired meanwhile
        const expiresAt = Number(value);
        add(keys[i]!.slice(prefix.length), Number.isFinite(expiresAt) ? expiresAt : Infinity);
      }
    } while (cursor !== '0');
  }

  /**
   * Applies a message `{"o": origin, "j": [[jti, expiresAt]...], "s": [[sub, cutoff, expiresAt]...],
   * "k": [[kid, expiresAt]...]}`.
   */
  #apply(message: string): boolean {
    if (message.startsWith(this.#ownPrefix)) return true;
    let m: unknown;
    try {
      m = JSON.parse(message);
    } catch {
      return false;
    }
    if (!isObject(m)) return false;
    const jtis = own(m, 'j') ?? [];
    const subs = own(m, 's') ?? [];
    const kids = own(m, 'k') ?? [];
    if (!Array.isArray(jtis) || !Array.isArray(subs) || !Array.isArray(kids)) return false;
    for (const e of kids) {
      if (!Array.isArray(e) || typeof e[0] !== 'string' || typeof e[1] !== 'number') return false;
      this.table.addKid(e[0], e[1]);
    }
    for (const e of jtis) {
      if (!Array.isArray(e) || typeof e[0] !== 'string' || typeof e[1] !== 'number') return false;
      this.table.addJti(e[0], e[1]);
    }
    for (const e of subs) {
      if (!Array.isArray(e) || typeof e[0] !== 'string' || typeof e[1] !== 'number' || typeof e[2] !== 'number') {
        return false;
      }
      this.table.setSubject(e[0], e[1], e[2]);
    }
    return true;
  }
}
