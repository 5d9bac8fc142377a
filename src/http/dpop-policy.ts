import { JWS_ALGORITHMS } from '../alg/jws.js';
import { err } from '../errors.js';
import { algorithmsOption } from '../jws/policy.js';
import { durationOption } from '../jwt/duration.js';
import { readOptions } from '../options.js';
import { memoryStore } from '../revocation/memory.js';
import { isReplayStore, type ReplayStore } from '../revocation/replay.js';
import { createNonceSource, type NonceSource } from './nonce.js';

/** DPoP options compiled once. @internal */
export interface DpopPolicy {
  readonly required: boolean;
  readonly algorithms: ReadonlySet<string>;
  /** `algs="..."` challenge parameter. */
  readonly algsParam: string;
  readonly maxAge: number;
  readonly tolerance: number;
  readonly replay: ReplayStore;
  readonly nonce: NonceSource | undefined;
  readonly origin: string | undefined;
}

const DPOP_OPTIONS = new Set(['required', 'algorithms', 'maxAge', 'clockTolerance', 'replay', 'nonce', 'origin']);

/** Every asymmetric JWS algorithm jot supports. */
function asymmetric(): string[] {
  return Object.values(JWS_ALGORITHMS)
    .filter((a) => a.family !== 'hmac')
    .map((a) => a.name);
}

/** Compile the `dpop` option; undefined when DPoP is off. Throws `ERR_INVALID_OPTION`. @internal */
export function compileDpop(value: unknown): DpopPolicy | undefined {
  if (value === undefined || value === false) return undefined;
  if (value !== true && (typeof value !== 'object' || value === null)) {
    throw err('ERR_INVALID_OPTION', 'dpop must be a boolean or an options object');
  }
  const o = readOptions(value === true ? undefined : value, DPOP_OPTIONS, 'dpop');
  if (o.required !== undefined && typeof o.required !== 'boolean') {
    throw err('ERR_INVALID_OPTION', 'dpop.required must be a boolean');
  }
  const algorithms = algorithmsOption(o.algorithms) ?? new Set(asymmetric());
  for (const a of algorithms) {
    if (JWS_ALGORITHMS[a]?.family === 'hmac') {
      throw err('ERR_INVALID_OPTION', 'dpop.algorithms: proofs are signed with asymmetric algorithms only');
    }
  }
  if (o.replay !== undefined && !isReplayStore(o.replay)) {
    throw err('ERR_INVALID_OPTION', 'dpop.replay must have insertIfAbsent() (memoryStore, sqliteStore, redisStore)');
  }
  let origin: string | undefined;
  if (o.origin !== undefined) {
    let u: URL | undefined;
    try {
      u = typeof o.origin === 'string' ? new URL(o.origin) : undefined;
    } catch {
      u = undefined;
    }
    if (u === undefined || (u.protocol !== 'https:' && u.protocol !== 'http:') || u.origin !== o.origin) {
      throw err('ERR_INVALID_OPTION', 'dpop.origin must be an origin such as https://api.example (no path)');
    }
    origin = u.origin;
  }
  return Object.freeze({
    required: o.required === true,
    algorithms,
    algsParam: `algs="${[...algorithms].join(' ')}"`,
    maxAge: durationOption(o.maxAge, 'dpop.maxAge', 1, 3600) ?? 300,
    tolerance: durationOption(o.clockTolerance, 'dpop.clockTolerance', 0, 300) ?? 5,
    replay: (o.replay as ReplayStore | undefined) ?? memoryStore({ maxEntries: 1_000_000 }),
    nonce: o.nonce === undefined || o.nonce === false ? undefined : createNonceSource(o.nonce),
    origin,
  });
}
