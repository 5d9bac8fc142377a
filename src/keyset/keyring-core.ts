import { err } from '../errors.js';
import { createSigner } from '../jwt/sign.js';
import type { CreateSignerOptions, JwtClaimsInput, JwtSigner } from '../jwt/types.js';
import type { Key } from '../key/key.js';
import { readOptions } from '../options.js';
import { compileRing, type KeyRingOptions, OPTION_NAMES, type RingConfig } from './keyring-options.js';
import { sealer } from './keyring-seal.js';
import {
  cacheSeconds,
  currentKey,
  expiredKeys,
  nextActivation,
  newRingKey,
  parseRing,
  type RingKey,
  serializeRing,
  sortKeys,
} from './keyring-state.js';
import { checkKeyRingStore, memoryKeyRingStore } from './keyring-store.js';
import type { JWKS } from './local.js';

// The key ring's machinery, on every runtime (its crypto goes through jws/, jwe/ and key/ to #crypto/*): the Node
// entry adds the node:http handler (keyring.ts), the WebCrypto entry takes it as it is (keyring-web.ts).

/** What a key ring tells about one of its keys (never key material). */
export interface KeyRingKeyInfo {
  /** The key's `kid`: its RFC 7638 thumbprint. */
  kid: string;
  /** The algorithm the key signs with. */
  alg: string;
  /** When the ring starts (or started) signing with it, ms since the epoch. */
  activatesAt: number;
  /** `next`: published ahead of use; `current`: signing now; `retired`: published for tokens it signed. */
  state: 'next' | 'current' | 'retired';
}

/**
 * An issuer's signing keys, on every runtime: see {@link createKeyRing}. The WebCrypto entry's `createKeyRing` returns
 * this; on Node, {@link KeyRing} adds the node:http handler. Elsewhere, serve {@link PortableKeyRing.jwks} yourself,
 * with `Cache-Control: public, max-age=` and {@link PortableKeyRing.maxAge}.
 */
export interface PortableKeyRing {
  /** Loads the ring from its store, creating the first key when empty, and starts the maintenance timer. */
  ready(): Promise<void>;
  /** The key signing now (private). */
  signingKey(): Key;
  /** The published keys and their state. */
  keys(): KeyRingKeyInfo[];
  /** A signer that always signs with the current key (its `kid` in the header). */
  signer(): JwtSigner;
  /** Sign with the current key, under the ring's `signer` options. */
  sign<T extends object>(claims: JwtClaimsInput<T>): Promise<string>;
  /** The public JWK Set to publish: the next key (ahead of use), the current one, retired ones in their grace. */
  jwks(): JWKS;
  /** The `max-age` (seconds) the published set may be cached for, from the rotation schedule. */
  maxAge(): number;
  /** Runs the schedule now (publish the next key, retire old ones); true when this instance wrote. */
  maintain(): Promise<boolean>;
  /** Publishes a next key now, to activate after `publishAhead` (no-op while one is pending). */
  rotate(): Promise<void>;
  /**
   * Incident response for a leaked key: stops signing with and publishing `kid` at once, activates a new key
   * immediately when it was the current one, saves the ring, and records `kid` in the `revocation` list so that
   * verifiers sharing it refuse tokens signed with it without waiting for key set caches to expire.
   */
  revokeKey(kid: string): Promise<void>;
  /** Re-reads the store (done on every maintenance tick and on store notifications). */
  reload(): Promise<void>;
  /** Stops the timer and closes the store. */
  close(): Promise<void>;
}

class Ring {
  keys: RingKey[] = [];
  version = -1;
  readonly revoked = new Set<string>();
  readonly signers = new Map<string, JwtSigner>();
  #reloading: Promise<void> | undefined;
  timer: ReturnType<typeof setInterval> | undefined;
  started = false;

  constructor(readonly o: RingConfig) {}

  emit(e: Parameters<NonNullable<KeyRingOptions['onEvent']>>[0]): void {
    try {
      this.o.onEvent?.(e);
    } catch {
      // hooks never break the ring
    }
  }

  reload(): Promise<void> {
    this.#reloading ??= this.#load().finally(() => {
      this.#reloading = undefined;
    });
    return this.#reloading;
  }

  async #load(): Promise<void> {
    const stored = await this.o.store.load();
    if (stored === undefined) {
      if (this.version > 0) throw err('ERR_KEY_INVALID', 'the key ring disappeared from its store');
      this.version = 0;
      return;
    }
    if (stored.version === this.version) return;
    if (typeof stored.version !== 'number' || stored.version < this.version) {
      throw err('ERR_KEY_INVALID', 'the stored key ring went back in time');
    }
    const keys = await parseRing(await this.o.sealer.open(stored.data));
    this.keys = keys;
    this.version = stored.version;
    this.emit({ type: 'reloaded', version: stored.version });
  }

  /**
   * Compare-and-set writes under the store's lock: `mutate` sees the freshest keys and returns the new list, or
   * undefined for no change. Without the lock (`must` false) another instance is doing the work: skip.
   */
  async write(mutate: (keys: readonly RingKey[], now: number) => Promise<RingKey[] | undefined>, must: boolean) {
    const release = await this.o.store.lock?.(this.o.lockTtlMs);
    if (this.o.store.lock !== undefined && release === undefined && !must) return false;
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        await this.reload();
        const next = await mutate(this.keys, this.o.now());
        if (next === undefined) return false;
        const sealed = await this.o.sealer.seal(serializeRing(next));
        if (await this.o.store.save(sealed, this.version)) {
          this.keys = sortKeys(next);
          this.version += 1;
          this.emit({ type: 'saved', version: this.version });
          return true;
        }
      }
      throw err('ERR_KEYRING_STORE_UNAVAILABLE', 'the key ring changed under every write attempt');
    } finally {
      await release?.().catch(() => {});
    }
  }

  current(now = this.o.now()): RingKey {
    const k = currentKey(this.keys, now);
    if (k === undefined) throw err('ERR_KEY_INVALID', 'the key ring has no active key: call ready()');
    if (this.revoked.has(k.kid))
      throw err('ERR_KEY_INVALID', 'the current key was revoked and no new key is saved yet');
    return k;
  }

  signerFor(k: RingKey): JwtSigner {
    let s = this.signers.get(k.kid);
    if (s === undefined) {
      if (this.signers.size >= 8) this.signers.clear(); // old keys' signers: one per rotation, never many
      s = createSigner({ ...this.o.signer, key: k.privateKey } as CreateSignerOptions);
      this.signers.set(k.kid, s);
    }
    return s;
  }

  async maintain(): Promise<boolean> {
    const { schedule: s, alg, gen } = this.o;
    const plan = (keys: readonly RingKey[], now: number): boolean =>
      expiredKeys(keys, now, s).length > 0 || nextActivation(keys, now, s) !== undefined;
    await this.reload();
    if (!plan(this.keys, this.o.now())) return false;
    return this.write(async (keys, now) => {
      if (!plan(keys, now)) return undefined;
      const gone = new Set(expiredKeys(keys, now, s));
      const next = keys.filter((k) => !gone.has(k));
      const at = nextActivation(next, now, s);
      if (at !== undefined) next.push(await newRingKey(alg, at, gen));
      return next;
    }, false);
  }
}

/**
 * The key ring of {@link createKeyRing}, without the node:http handler (the web entry's `createKeyRing`). Throws
 * JotErrors as they come (the public functions wrap them). @internal
 */
export function buildKeyRing(options: KeyRingOptions): PortableKeyRing {
  const o = readOptions(options, new Set(OPTION_NAMES), 'key ring');
  const store = o.store === undefined ? memoryKeyRingStore() : checkKeyRingStore(o.store);
  const plain = o.insecurePlaintext === true;
  if (o.insecurePlaintext !== undefined && typeof o.insecurePlaintext !== 'boolean') {
    throw err('ERR_INVALID_OPTION', 'insecurePlaintext must be a boolean');
  }
  const seal = sealer(
    o.encryptionKey,
    o.passphrase,
    plain || (!store.persistent && o.encryptionKey === undefined && o.passphrase === undefined),
  );
  if (store.persistent && seal.plain && !plain)
    throw err('ERR_INVALID_OPTION', 'a persistent store needs encryptionKey or passphrase');
  const ring = new Ring(compileRing(o, store, seal));

  const info = (): KeyRingKeyInfo[] => {
    const now = ring.o.now();
    const cur = currentKey(ring.keys, now);
    return publishedOf(ring, now).map((k) => ({
      kid: k.kid,
      alg: k.alg,
      activatesAt: k.activatesAt,
      state: k === cur ? 'current' : k.activatesAt > now ? 'next' : 'retired',
    }));
  };
  const api: PortableKeyRing = {
    async ready() {
      await ring.reload();
      if (ring.keys.length === 0) {
        await ring.write(
          async (keys, now) => (keys.length > 0 ? undefined : [await newRingKey(ring.o.alg, now, ring.o.gen)]),
          true,
        );
      }
      await ring.maintain().catch((e) => ring.emit({ type: 'error', error: e as Error }));
      if (!ring.started) {
        ring.started = true;
        store.watch?.(() => {
          ring.reload().catch((e) => ring.emit({ type: 'error', error: e as Error }));
        });
        if (ring.o.checkEveryMs > 0) {
          ring.timer = setInterval(() => {
            ring.maintain().catch((e) => ring.emit({ type: 'error', error: e as Error }));
          }, ring.o.checkEveryMs);
          unref(ring.timer);
        }
      }
    },
    signingKey: () => ring.current().privateKey,
    keys: info,
    signer: () =>
      Object.freeze({
        sign: <T extends object>(claims: JwtClaimsInput<T>) => ring.signerFor(ring.current()).sign(claims),
        signSync: <T extends object>(claims: JwtClaimsInput<T>) => ring.signerFor(ring.current()).signSync(claims),
      }),
    sign: (claims) => ring.signerFor(ring.current()).sign(claims),
    jwks: () => {
      if (ring.keys.length === 0) throw err('ERR_KEY_INVALID', 'the key ring is not loaded: call ready()');
      return { keys: publishedOf(ring, ring.o.now()).map((k) => ({ ...k.publicJwk })) };
    },
    maxAge: () => cacheSeconds(ring.keys, ring.o.now(), ring.o.schedule),
    maintain: () => ring.maintain(),
    async rotate() {
      await ring.write(async (keys, now) => {
        if (keys.some((k) => k.activatesAt > now)) return undefined;
        return [...keys, await newRingKey(ring.o.alg, now + ring.o.schedule.publishAheadMs, ring.o.gen)];
      }, true);
    },
    async revokeKey(kid) {
      if (typeof kid !== 'string' || kid.length === 0) throw err('ERR_INVALID_OPTION', 'kid must be a string');
      ring.revoked.add(kid); // this instance stops at once, whatever happens next
      ring.signers.delete(kid);
      // The revocation list (what verifiers consult) and the ring (what is signed and published) are written
      // together: neither waits for the other.
      const results = await Promise.allSettled([
        ring.o.revocation?.revokeKey(kid),
        ring.write(async (keys, now) => {
          const wasCurrent = currentKey(keys, now)?.kid === kid;
          const next = keys.filter((k) => k.kid !== kid);
          if (next.length === keys.length) return undefined; // not (or no longer) in the ring
          if (wasCurrent || currentKey(next, now) === undefined) {
            // A published next key is promoted (verifiers already hold it); otherwise a new key signs at once,
            // and verifiers fetch it on its unknown kid (within their cooldown).
            const pending = next.findIndex((k) => k.activatesAt > now && !ring.revoked.has(k.kid));
            if (pending >= 0) next[pending] = Object.freeze({ ...next[pending]!, activatesAt: now });
            else next.push(await newRingKey(ring.o.alg, now, ring.o.gen));
          }
          return sortKeys(next);
        }, true),
      ]);
      ring.emit({ type: 'revoked', kid });
      for (const r of results) if (r.status === 'rejected') throw r.reason;
    },
    reload: () => ring.reload(),
    async close() {
      if (ring.timer !== undefined) clearInterval(ring.timer);
      ring.timer = undefined;
      await store.close();
    },
  };
  return Object.freeze(api);
}

function publishedOf(ring: Ring, now: number): RingKey[] {
  const gone = new Set(expiredKeys(ring.keys, now, ring.o.schedule));
  return ring.keys.filter((k) => !gone.has(k) && !ring.revoked.has(k.kid));
}

/**
 * Lets the process exit while the maintenance timer runs: node's and Bun's timers have `unref()`, Deno has
 * `Deno.unrefTimer(id)`; a browser's or a worker's timer (a number) needs nothing. Feature tests, no runtime names.
 */
function unref(timer: ReturnType<typeof setInterval>): void {
  const t = timer as unknown;
  if (typeof t === 'object' && t !== null && typeof (t as { unref?: unknown }).unref === 'function') {
    (t as { unref(): void }).unref();
    return;
  }
  const deno = (globalThis as { Deno?: { unrefTimer?: unknown } }).Deno;
  if (typeof t === 'number' && typeof deno?.unrefTimer === 'function') (deno.unrefTimer as (id: number) => void)(t);
}
