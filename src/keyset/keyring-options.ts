import { findJwsAlgorithm } from '../alg/jws.js';
import { err } from '../errors.js';
import { type Duration, parseDuration } from '../jwt/duration.js';
import type { SignJwtOptions } from '../jwt/types.js';
import type { Key } from '../key/key.js';
import { callerRead, snapshot } from '../options.js';
import type { Sealer } from './keyring-seal.js';
import type { Schedule } from './keyring-state.js';
import type { KeyRingStore } from './keyring-store.js';

/** What a key ring reports to `onEvent`. */
export type KeyRingEvent =
  | { type: 'saved'; version: number }
  | { type: 'reloaded'; version: number }
  | { type: 'revoked'; kid: string }
  | { type: 'error'; error: Error };

/** Options of `createKeyRing`. Durations are seconds or strings such as `'30d'`. */
export interface KeyRingOptions {
  /** The signing algorithm (asymmetric: the public keys are published). */
  alg: string;
  /** Curve of new keys (EdDSA: `Ed25519`, the default, or `Ed448`). */
  crv?: string;
  /** Modulus length of new RSA keys, in bits (default 2048). */
  modulusLength?: number;
  /** Where the ring lives (default: this process's memory). See `jotjs/keyring` for file, SQLite and Redis. */
  store?: KeyRingStore;
  /** A 256-bit secret (a `Key` or 32 bytes) sealing the ring at rest with A256GCMKW + A256GCM. */
  encryptionKey?: Key | Uint8Array;
  /** A passphrase (16+ characters) sealing the ring at rest with PBES2-HS512+A256KW (210,000 iterations). */
  passphrase?: string;
  /** Store private keys in clear text. Only for throw-away rings: anyone who can read the store can sign. */
  insecurePlaintext?: boolean;
  /** Time between rotations (default 30 days). */
  rotateEvery?: Duration;
  /** `max-age` of the published set (default 10 minutes): verifiers see a new key within this time. */
  maxAge?: Duration;
  /**
   * How long a new key is published before it signs (default twice `maxAge`; at least `maxAge`). Make it exceed
   * `maxAge` plus the largest clock skew between instances and verifiers (E15).
   */
  publishAhead?: Duration;
  /** How long a retired key stays published (default 1 day): make it exceed your longest token lifetime. */
  retireAfter?: Duration;
  /** Options of the ring's signer (issuer, audience, expiresIn, typ...); the key and `kid` come from the ring. */
  signer?: Omit<SignJwtOptions, 'alg' | 'kid'>;
  /** A revocation list (`jotjs/revocation`) that `revokeKey` records leaked keys in. */
  revocation?: { revokeKey(kid: string): Promise<void> };
  /** How often the schedule is checked and the store re-read (default 60 s; 0: no timer, call `maintain()`). */
  checkEvery?: Duration;
  /** Lifetime of the rotation lock in shared stores (default 30 s). */
  lockTtl?: Duration;
  /** Called on saves, reloads, revocations and background errors; exceptions it throws are ignored. */
  onEvent?: (event: KeyRingEvent) => void;
  /** The clock, in ms (default `Date.now`). For tests. */
  now?: () => number;
}

export const OPTION_NAMES = [
  'alg',
  'crv',
  'modulusLength',
  'store',
  'encryptionKey',
  'passphrase',
  'insecurePlaintext',
  'rotateEvery',
  'maxAge',
  'publishAhead',
  'retireAfter',
  'signer',
  'revocation',
  'checkEvery',
  'lockTtl',
  'onEvent',
  'now',
] as const;

/** Everything a ring needs, checked. @internal */
export interface RingConfig {
  alg: string;
  gen: { crv?: string; modulusLength?: number };
  store: KeyRingStore;
  sealer: Sealer;
  schedule: Schedule;
  lockTtlMs: number;
  checkEveryMs: number;
  signer: Record<string, unknown>;
  revocation: { revokeKey(kid: string): Promise<void> } | undefined;
  onEvent: KeyRingOptions['onEvent'];
  now: () => number;
}

const ms = (v: unknown, name: string, dflt: number, min = 1): number =>
  v === undefined ? dflt : parseDuration(v, name, min) * 1000;

/** Compile key ring options (already read as own properties). @internal */
export function compileRing(o: Record<string, unknown>, store: KeyRingStore, sealer: Sealer): RingConfig {
  const alg = o.alg;
  const entry = typeof alg === 'string' ? findJwsAlgorithm(alg) : undefined;
  if (entry === undefined || entry.family === 'hmac') {
    throw err('ERR_INVALID_OPTION', 'alg must be an asymmetric JWS algorithm (its public keys are published)');
  }
  const maxAgeMs = ms(o.maxAge, 'maxAge', 600_000, 0);
  const publishAheadMs = ms(o.publishAhead, 'publishAhead', 2 * maxAgeMs);
  if (publishAheadMs < maxAgeMs) throw err('ERR_INVALID_OPTION', 'publishAhead must be at least maxAge');
  const rotateEveryMs = ms(o.rotateEvery, 'rotateEvery', 30 * 86_400_000);
  if (rotateEveryMs <= publishAheadMs) throw err('ERR_INVALID_OPTION', 'rotateEvery must exceed publishAhead');
  for (const name of ['revocation', 'signer'] as const) {
    if (o[name] !== undefined && (typeof o[name] !== 'object' || o[name] === null)) {
      throw err('ERR_INVALID_OPTION', `${name} must be an object`);
    }
  }
  const revocation = o.revocation as RingConfig['revocation'];
  if (revocation !== undefined && callerRead(() => typeof revocation.revokeKey !== 'function', 'revocation')) {
    throw err('ERR_INVALID_OPTION', 'revocation must have a revokeKey(kid) method');
  }
  // Read once: later rotations build signers from this copy, never from the caller's object.
  const signer = { ...snapshot(o.signer, 'signer') };
  if ('key' in signer || 'alg' in signer || 'kid' in signer) {
    throw err('ERR_INVALID_OPTION', 'signer options take no key, alg or kid: the ring sets them');
  }
  const retireAfterMs = ms(o.retireAfter, 'retireAfter', 86_400_000, 0);
  const lifetime = signer.expiresIn;
  if (
    (typeof lifetime === 'number' || typeof lifetime === 'string') &&
    parseDuration(lifetime, 'signer.expiresIn') * 1000 > retireAfterMs
  ) {
    // A token would outlive the publication of the key that signed it.
    throw err('ERR_INVALID_OPTION', 'signer.expiresIn must not exceed retireAfter');
  }
  for (const name of ['onEvent', 'now'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'function')
      throw err('ERR_INVALID_OPTION', `${name} must be a function`);
  }
  const gen: RingConfig['gen'] = {};
  if (o.crv !== undefined) gen.crv = o.crv as string;
  if (o.modulusLength !== undefined) gen.modulusLength = o.modulusLength as number;
  return {
    alg: alg as string,
    gen,
    store,
    sealer,
    schedule: {
      rotateEveryMs,
      publishAheadMs,
      retireAfterMs,
      maxAgeMs,
    },
    lockTtlMs: ms(o.lockTtl, 'lockTtl', 30_000),
    checkEveryMs: ms(o.checkEvery, 'checkEvery', 60_000, 0),
    signer,
    revocation,
    onEvent: o.onEvent as KeyRingOptions['onEvent'],
    now: (o.now as (() => number) | undefined) ?? Date.now,
  };
}
