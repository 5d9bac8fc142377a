import { isObject, own, parseJsonObject } from '../encoding/json.js';
import { err } from '../errors.js';
import { exportJwk, generateKeyPair, jwkThumbprint } from '../key/api.js';
import { importKeySync } from '../key/import.js';
import type { JWK } from '../key/jwk.js';
import type { Key } from '../key/key.js';

/** One key of a ring. Times in ms. @internal */
export interface RingKey {
  readonly kid: string;
  readonly alg: string;
  /** From this instant the ring signs with this key (until the next key activates). */
  readonly activatesAt: number;
  readonly privateKey: Key;
  readonly publicKey: Key;
  readonly publicJwk: Readonly<JWK>;
  readonly privateJwk: Readonly<JWK>;
}

/** The schedule, in ms. @internal */
export interface Schedule {
  readonly rotateEveryMs: number;
  readonly publishAheadMs: number;
  readonly retireAfterMs: number;
  readonly maxAgeMs: number;
}

const FORMAT = 1;

async function fromPrivateJwk(jwk: JWK, activatesAt: number): Promise<RingKey> {
  const privateKey = importKeySync(jwk);
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk as JWK & Record<string, unknown>;
  const kid = await jwkThumbprint(pub as JWK);
  if (jwk.kid !== kid || typeof jwk.alg !== 'string' || privateKey.kty === 'oct' || !privateKey.isPrivate) {
    throw err('ERR_KEY_INVALID', 'a key ring key must be a private key whose kid is its RFC 7638 thumbprint');
  }
  const publicJwk = Object.freeze({ ...(pub as JWK), use: 'sig' as const });
  return Object.freeze({
    kid,
    alg: jwk.alg,
    activatesAt,
    privateKey,
    publicKey: importKeySync(publicJwk),
    publicJwk,
    privateJwk: Object.freeze({ ...jwk }),
  });
}

/** A fresh key for `alg`, its kid the RFC 7638 thumbprint of its public key. @internal */
export async function newRingKey(
  alg: string,
  activatesAt: number,
  options: { crv?: string; modulusLength?: number },
): Promise<RingKey> {
  const { privateKey } = await generateKeyPair(alg, options);
  const jwk = await exportJwk(privateKey, { includePrivate: true });
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk as JWK & Record<string, unknown>;
  return fromPrivateJwk({ ...jwk, alg, kid: await jwkThumbprint(pub as JWK) }, activatesAt);
}

/** The document text of a ring (private keys included: the caller seals it). @internal */
export function serializeRing(keys: readonly RingKey[]): string {
  return JSON.stringify({ format: FORMAT, keys: keys.map((k) => ({ activatesAt: k.activatesAt, jwk: k.privateJwk })) });
}

/** Parse a ring document: every key re-imported and its kid checked against its thumbprint. @internal */
export async function parseRing(text: string): Promise<RingKey[]> {
  const doc = parseJsonObject(text, 'ERR_KEY_INVALID', 'key ring');
  const list = own(doc, 'keys');
  if (own(doc, 'format') !== FORMAT || !Array.isArray(list) || list.length > 1000) {
    throw err('ERR_KEY_INVALID', 'the stored key ring has an unknown format');
  }
  const keys: RingKey[] = [];
  for (const e of list) {
    const at = isObject(e) ? own(e, 'activatesAt') : undefined;
    const jwk = isObject(e) ? own(e, 'jwk') : undefined;
    if (typeof at !== 'number' || !Number.isFinite(at) || !isObject(jwk)) {
      throw err('ERR_KEY_INVALID', 'the stored key ring has a malformed entry');
    }
    keys.push(await fromPrivateJwk(jwk as JWK, at));
  }
  return sortKeys(keys);
}

/** Keys by activation time (ties: by kid, so every instance agrees). @internal */
export function sortKeys(keys: RingKey[]): RingKey[] {
  return keys.sort((a, b) => a.activatesAt - b.activatesAt || (a.kid < b.kid ? -1 : a.kid > b.kid ? 1 : 0));
}

/** The signing key at `now`: the latest one already active. @internal */
export function currentKey(keys: readonly RingKey[], now: number): RingKey | undefined {
  let current: RingKey | undefined;
  for (const k of keys) if (k.activatesAt <= now) current = k;
  return current;
}

/** Keys whose retirement grace is over (their successor activated more than `retireAfterMs` ago). @internal */
export function expiredKeys(keys: readonly RingKey[], now: number, s: Schedule): RingKey[] {
  const out: RingKey[] = [];
  for (let i = 0; i + 1 < keys.length; i++) {
    if (keys[i + 1]!.activatesAt + s.retireAfterMs <= now) out.push(keys[i]!);
  }
  return out;
}

/** Published public keys at `now`: all but the expired ones (the next key is published ahead of use). @internal */
export function publishedKeys(keys: readonly RingKey[], now: number, s: Schedule): RingKey[] {
  const gone = new Set(expiredKeys(keys, now, s));
  return keys.filter((k) => !gone.has(k));
}

/**
 * When the next key, not yet in the ring, should activate: one rotation after the last key; undefined when it
 * is not yet time to publish it (publication happens `publishAheadMs` before activation, never later than now
 * plus that). @internal
 */
export function nextActivation(keys: readonly RingKey[], now: number, s: Schedule): number | undefined {
  const last = keys[keys.length - 1];
  if (last === undefined) return now;
  const due = last.activatesAt + s.rotateEveryMs;
  if (now < due - s.publishAheadMs) return undefined;
  return Math.max(due, now + s.publishAheadMs);
}

/**
 * The `max-age` (seconds) for the published set: the configured one, shortened so that no verifier caches the
 * set past the activation of a key it does not list yet. @internal
 */
export function cacheSeconds(keys: readonly RingKey[], now: number, s: Schedule): number {
  const last = keys[keys.length - 1];
  const unpublished = last === undefined ? now : last.activatesAt + s.rotateEveryMs;
  const until = Math.max(0, unpublished - now);
  return Math.floor(Math.min(s.maxAgeMs, until) / 1000);
}
