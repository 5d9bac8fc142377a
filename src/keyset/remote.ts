import { findJwsAlgorithm } from '../alg/jws.js';
import { isObject, own, parseJsonObject } from '../encoding/json.js';
import { err, JotError } from '../errors.js';
import type { JoseHeader } from '../jws/header.js';
import type { Key } from '../key/key.js';
import { withCandidates } from '../jws/candidates.js';
import { fetchDocument } from './fetch.js';
import type { JWKS } from './local.js';
import { compileRemote, type RemoteJwkSetOptions, type RemotePolicy } from './remote-options.js';
import { headerKid, indexPublic, type KeyIndex, keysOf, matchKeys, single } from './select.js';

export type { RemoteJwkSetEvent, RemoteJwkSetOptions } from './remote-options.js';

/** A resolver over a key set fetched from a URL. */
export interface RemoteJwkSet {
  /** The key resolver: the key of the fetched set that `header` names (fetching when needed). */
  (header: Record<string, unknown>, token?: unknown): Promise<Key>;
  /** Fetch now (joining a fetch in flight). Rejects with the fetch's error; the last good set is kept. */
  refresh(): Promise<void>;
  /** The usable public keys of the last good set, or undefined before the first successful fetch. */
  jwks(): JWKS | undefined;
}

interface Cached {
  readonly index: KeyIndex;
  readonly doc: JWKS;
  readonly etag: string | undefined;
  /** When the set was last confirmed (fetched or 304), ms. */
  fetchedAt: number;
  /** Selections made from this set, by `alg` and `kid` (bounded). */
  readonly selections: Map<string, readonly Key[]>;
  expiresAt: number;
}

/** A parsed answer: strict JSON, a `keys` array within bounds, only public keys used. */
function parseSet(body: string, maxKeys: number): { index: KeyIndex; doc: JWKS } {
  try {
    const list = keysOf(parseJsonObject(body, 'ERR_JWKS_INVALID', 'JWKS'), maxKeys);
    const index = indexPublic(list);
    const skipped = new Set(index.skipped.map((s) => s.index));
    const keys = list.filter((_, i) => !skipped.has(i)).map((k) => Object.freeze(k));
    return { index, doc: Object.freeze({ keys: Object.freeze(keys) }) as unknown as JWKS };
  } catch (e) {
    if (e instanceof JotError && e.code === 'ERR_JWKS_INVALID') throw e;
    throw err('ERR_JWKS_INVALID', 'the fetched key set is invalid', e);
  }
}

/** The fetching, caching state machine behind a remote set. */
class RemoteState {
  readonly p: RemotePolicy;
  cached: Cached | undefined;
  #inflight: Promise<Cached> | undefined;
  /** Start of the last fetch (any cause), for the cooldown. */
  #lastStart = Number.NEGATIVE_INFINITY;
  #lastError: JotError | undefined;
  #lastErrorAt = Number.NEGATIVE_INFINITY;

  constructor(p: RemotePolicy) {
    this.p = p;
  }

  emit(event: Parameters<NonNullable<RemotePolicy['onEvent']>>[0]): void {
    try {
      this.p.onEvent?.(event);
    } catch {
      // metrics hooks never break verification
    }
  }

  #ttl(maxAgeMs: number | undefined): number {
    const v = maxAgeMs ?? this.p.maxAgeMs;
    return Math.min(this.p.maxMaxAgeMs, Math.max(this.p.minMaxAgeMs, v));
  }

  /** One fetch for any number of callers. */
  load(): Promise<Cached> {
    this.#inflight ??= this.#fetch().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  async #fetch(): Promise<Cached> {
    const { p } = this;
    this.#lastStart = p.now();
    const url = p.url.href;
    const prior = this.cached;
    try {
      const r = await fetchDocument(p.url, p.limits, prior?.etag);
      const now = p.now();
      if (r.status === 'not-modified') {
        prior!.fetchedAt = now;
        prior!.expiresAt = now + this.#ttl(r.maxAgeMs);
        this.#lastError = undefined;
        this.emit({ type: 'not-modified', url });
        return prior!;
      }
      if (r.status !== 'ok') throw err('ERR_JWKS_FETCH_FAILED', `${p.url.origin} answered HTTP 404`);
      const { index, doc } = parseSet(r.body, p.maxKeys);
      const next: Cached = {
        index,
        doc,
        etag: r.etag,
        fetchedAt: now,
        expiresAt: now + this.#ttl(r.maxAgeMs),
        selections: new Map(),
      };
      this.cached = next;
      this.#lastError = undefined;
      this.emit({ type: 'fetched', url, keys: index.keys.length, skipped: index.skipped });
      return next;
    } catch (e) {
      const error = e instanceof JotError ? e : err('ERR_JWKS_FETCH_FAILED', `fetching ${p.url.origin} failed`, e);
      this.#lastError = error;
      this.#lastErrorAt = p.now();
      this.emit({ type: 'failed', url, error });
      throw error;
    }
  }

  /** Has the cooldown passed since the last fetch started? */
  cooled(now: number): boolean {
    return now - this.#lastStart >= this.p.cooldownMs;
  }

  /** A copy of the last failure, thrown to callers during the cooldown instead of fetching again. */
  #recentError(now: number): JotError | undefined {
    const e = this.#lastError;
    if (e === undefined || now - this.#lastErrorAt >= this.p.cooldownMs) return undefined;
    return err(e.code, e.message, e);
  }

  /** A set good to use now: fresh, refreshed, or (while refreshes fail) stale within `staleIfErrorMs`. */
  async current(): Promise<Cached> {
    const now = this.p.now();
    const c = this.cached;
    if (c !== undefined && now < c.expiresAt) {
      const ahead = Math.min(this.p.refreshAheadMs, (c.expiresAt - c.fetchedAt) / 2);
      if (now >= c.expiresAt - ahead && this.#inflight === undefined && this.#recentError(now) === undefined) {
        this.load().catch(() => {}); // in the background; a failure is reported by the event
      }
      return c;
    }
    if (c === undefined) {
      if (this.#inflight !== undefined) return this.#inflight;
      const recent = this.#recentError(now);
      if (recent !== undefined) throw recent;
      return this.load();
    }
    // Expired: refresh, or serve the last good set for a bounded time while the source fails.
    const staleFor = now - c.expiresAt;
    if (this.#inflight === undefined && this.#recentError(now) !== undefined) return this.#stale(c, staleFor);
    try {
      return await this.load();
    } catch (e) {
      return this.#stale(c, staleFor, e);
    }
  }

  #stale(c: Cached, staleForMs: number, e?: unknown): Cached {
    if (staleForMs > this.p.staleIfErrorMs) {
      throw e ?? this.#recentError(this.p.now()) ?? err('ERR_JWKS_FETCH_FAILED', 'the key set expired');
    }
    this.emit({ type: 'served-stale', url: this.p.url.href, staleForMs });
    return c;
  }

  /**
   * The keys fitting `header`; an unknown `kid` refetches at most once per cooldown. A fresh set answers from a
   * small per-set cache of selections, still as a promise: the set is asynchronous, so `verifySync` refuses it
   * always (`ERR_JOSE_NOT_SUPPORTED`), not only when a fetch is due.
   */
  candidates(header: JoseHeader): Promise<readonly Key[]> {
    const c = this.cached;
    if (c !== undefined && isObject(header)) {
      const now = this.p.now();
      const ahead = Math.min(this.p.refreshAheadMs, (c.expiresAt - c.fetchedAt) / 2);
      if (now < c.expiresAt - ahead) {
        const alg = own(header, 'alg');
        const kid = own(header, 'kid');
        // Only known algorithm names (no NUL) key the memo, so two headers never share an entry.
        const memo =
          typeof alg === 'string' &&
          findJwsAlgorithm(alg) !== undefined &&
          (kid === undefined || typeof kid === 'string')
            ? `${alg}\u0000${kid === undefined ? '' : `=${kid}`}`
            : undefined;
        const hit = memo === undefined ? undefined : c.selections.get(memo);
        if (hit !== undefined) return Promise.resolve(hit);
        try {
          const found = matchKeys(c.index, header, this.p.maxCandidates);
          if (memo !== undefined && c.selections.size < 256) c.selections.set(memo, Object.freeze(found));
          return Promise.resolve(found);
        } catch (e) {
          if (!(e instanceof JotError) || e.code !== 'ERR_JWKS_NO_MATCHING_KEY') throw e;
        }
      }
    }
    return this.#slow(header);
  }

  async #slow(header: JoseHeader): Promise<Key[]> {
    const kid = headerKid(header);
    const c = await this.current();
    try {
      return matchKeys(c.index, header, this.p.maxCandidates);
    } catch (e) {
      if (!(e instanceof JotError) || e.code !== 'ERR_JWKS_NO_MATCHING_KEY' || kid === undefined) throw e;
      if (c.index.keys.some((k) => k.kid === kid)) throw e; // the kid is known: the key just does not fit
      const inflight = this.#inflight;
      let fresh: Cached;
      if (inflight !== undefined) fresh = await inflight.catch(() => c);
      else if (this.cooled(this.p.now())) fresh = await this.load().catch(() => c);
      else throw e;
      if (fresh === c) throw e;
      return matchKeys(fresh.index, header, this.p.maxCandidates);
    }
  }
}

/**
 * A key resolver over the JWK Set at `url` (configured by you, never taken from a token). It fetches with a
 * timeout (`ERR_JWKS_TIMEOUT`), `https:` only unless `allowHttp`, redirects bounded and never to `http:`, the
 * body size capped while streaming; caches for the server's `Cache-Control: max-age` clamped to
 * [`minMaxAgeMs`, `maxMaxAgeMs`] (default `maxAgeMs`), revalidating with `If-None-Match`; refreshes in the
 * background ahead of expiry; refetches on an unknown `kid` at most once per `cooldownMs`; keeps serving the
 * last good set through an outage for at most `staleIfErrorMs`. Any number of concurrent callers share one
 * request. Keys with private members or an unusable `kty` are skipped (reported in the `fetched` event); a set
 * without a usable key is `ERR_JWKS_INVALID`. Before any successful fetch, a failure is `ERR_JWKS_FETCH_FAILED`
 * (or `ERR_JWKS_TIMEOUT`).
 *
 * @example
 * ```ts
 * import { createRemoteJwkSet, verifyJwt } from 'jotjs';
 * const keys = createRemoteJwkSet('https://idp.example/.well-known/jwks.json');
 * const { payload } = await verifyJwt(token, keys, { algorithms: ['RS256'], issuer, audience });
 * ```
 */
export function createRemoteJwkSet(url: string | URL, options?: RemoteJwkSetOptions): RemoteJwkSet {
  const state = new RemoteState(compileRemote(url, options));
  const candidates = (header: JoseHeader): Promise<readonly Key[]> => state.candidates(header);
  const resolver = async (header: Record<string, unknown>): Promise<Key> => single(await candidates(header));
  withCandidates(resolver, candidates);
  return Object.assign(resolver, {
    async refresh(): Promise<void> {
      await state.load();
    },
    jwks(): JWKS | undefined {
      return state.cached?.doc;
    },
  });
}
