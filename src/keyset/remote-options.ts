import { err } from '../errors.js';
import { intOption, readOptions } from '../options.js';
import { checkUrl, type FetchFunction, type FetchLimits } from './fetch.js';
import type { SkippedKey } from './select.js';

/** What a remote set reports to `onEvent` (for metrics and logs; never key material). */
export type RemoteJwkSetEvent =
  | { type: 'fetched'; url: string; keys: number; skipped: readonly SkippedKey[] }
  | { type: 'not-modified'; url: string }
  | { type: 'failed'; url: string; error: Error }
  | { type: 'served-stale'; url: string; staleForMs: number };

/** Options of `createRemoteJwkSet`. Durations in milliseconds. */
export interface RemoteJwkSetOptions {
  /** Longest wait for a whole exchange, redirects and body included (default 5000): `ERR_JWKS_TIMEOUT`. */
  timeoutMs?: number;
  /** Fewest ms between two fetches caused by an unknown `kid` or by a failure (default 30000): kid floods (A12). */
  cooldownMs?: number;
  /** Cache lifetime when the server sends no `Cache-Control: max-age` (default 600000). */
  maxAgeMs?: number;
  /** Floor for the server's `max-age` (default 30000): a `max-age=0` on every answer cannot cause a fetch per call. */
  minMaxAgeMs?: number;
  /** Ceiling for the server's `max-age` (default 3600000): a removed key is dropped within this time (E03). */
  maxMaxAgeMs?: number;
  /** How long past expiry the last good set is still served while refreshes fail (default 86400000; 0: never). */
  staleIfErrorMs?: number;
  /** Refresh in the background once the set is this close to expiry (default 30000, at most half its lifetime). */
  refreshAheadMs?: number;
  /** Largest response body, in decoded bytes, counted while streaming (default 524288): `ERR_JWKS_INVALID`. */
  maxBytes?: number;
  /** Most keys in the set (default 100). */
  maxKeys?: number;
  /** Without `kid`, how many matching keys are tried (default 3; see `createLocalJwkSet`). */
  maxCandidates?: number;
  /** Most redirects followed (default 3; 0 refuses any). Redirects never go from `https:` to `http:`. */
  maxRedirects?: number;
  /** Hosts (`host[:port]`) a redirect may lead to besides the URL's own; default: any (still https). */
  allowedHosts?: readonly string[];
  /** Accept an `http:` URL (tests, a sidecar on loopback). Default false: `https:` only (A09, E01). */
  allowHttp?: boolean;
  /** Extra request headers (for example a User-Agent or an API key). */
  headers?: Readonly<Record<string, string>>;
  /** A `fetch` to use instead of the global one (proxies, custom TLS, tests). */
  fetch?: FetchFunction;
  /** Called on every fetch, 304, failure and stale answer; exceptions it throws are ignored. */
  onEvent?: (event: RemoteJwkSetEvent) => void;
  /** The clock, in ms (default `Date.now`). For tests. */
  now?: () => number;
}

export const REMOTE_OPTIONS = [
  'timeoutMs',
  'cooldownMs',
  'maxAgeMs',
  'minMaxAgeMs',
  'maxMaxAgeMs',
  'staleIfErrorMs',
  'refreshAheadMs',
  'maxBytes',
  'maxKeys',
  'maxCandidates',
  'maxRedirects',
  'allowedHosts',
  'allowHttp',
  'headers',
  'fetch',
  'onEvent',
  'now',
] as const;

/** Remote set options, checked once. @internal */
export interface RemotePolicy {
  readonly url: URL;
  readonly limits: FetchLimits;
  readonly cooldownMs: number;
  readonly maxAgeMs: number;
  readonly minMaxAgeMs: number;
  readonly maxMaxAgeMs: number;
  readonly staleIfErrorMs: number;
  readonly refreshAheadMs: number;
  readonly maxKeys: number;
  readonly maxCandidates: number;
  readonly onEvent: ((event: RemoteJwkSetEvent) => void) | undefined;
  readonly now: () => number;
}

const DAY = 86_400_000;

function fn<T>(value: unknown, name: string): T | undefined {
  if (value !== undefined && typeof value !== 'function') throw err('ERR_INVALID_OPTION', `${name} must be a function`);
  return value as T | undefined;
}

/** The network bounds shared by remote sets and discovery. @internal */
export function fetchLimits(o: Record<string, unknown>): FetchLimits {
  if (o.allowHttp !== undefined && typeof o.allowHttp !== 'boolean') {
    throw err('ERR_INVALID_OPTION', 'allowHttp must be a boolean');
  }
  const headers = Object.create(null) as Record<string, string>;
  if (o.headers !== undefined) {
    if (typeof o.headers !== 'object' || o.headers === null || Array.isArray(o.headers)) {
      throw err('ERR_INVALID_OPTION', 'headers must be an object of strings');
    }
    for (const [k, v] of Object.entries(o.headers)) {
      if (typeof v !== 'string') throw err('ERR_INVALID_OPTION', 'headers must be an object of strings');
      headers[k.toLowerCase()] = v;
    }
  }
  let allowedHosts: Set<string> | undefined;
  if (o.allowedHosts !== undefined) {
    if (!Array.isArray(o.allowedHosts) || !o.allowedHosts.every((h) => typeof h === 'string')) {
      throw err('ERR_INVALID_OPTION', 'allowedHosts must be an array of strings');
    }
    allowedHosts = new Set(o.allowedHosts.map((h: string) => h.toLowerCase()));
  }
  const f = fn<FetchFunction>(o.fetch, 'fetch') ?? ((input, init) => globalThis.fetch(input, init));
  return Object.freeze({
    fetch: f,
    headers: Object.freeze(headers),
    timeoutMs: intOption(o.timeoutMs, 'timeoutMs', 5000, 1, 120_000),
    maxBytes: intOption(o.maxBytes, 'maxBytes', 512 * 1024, 1, 64 * 1024 * 1024),
    maxRedirects: intOption(o.maxRedirects, 'maxRedirects', 3, 0, 10),
    allowHttp: o.allowHttp === true,
    allowedHosts,
  });
}

/** Compile `RemoteJwkSetOptions`. @internal */
export function compileRemote(url: unknown, options: unknown): RemotePolicy {
  const o = readOptions(options, new Set(REMOTE_OPTIONS), 'remote key set');
  const limits = fetchLimits(o);
  const minMaxAgeMs = intOption(o.minMaxAgeMs, 'minMaxAgeMs', 30_000, 0, DAY);
  const maxMaxAgeMs = intOption(o.maxMaxAgeMs, 'maxMaxAgeMs', 3_600_000, 1000, 7 * DAY);
  if (minMaxAgeMs > maxMaxAgeMs) throw err('ERR_INVALID_OPTION', 'minMaxAgeMs must not exceed maxMaxAgeMs');
  const maxAgeMs = intOption(o.maxAgeMs, 'maxAgeMs', Math.min(600_000, maxMaxAgeMs), minMaxAgeMs, maxMaxAgeMs);
  return Object.freeze({
    url: checkUrl(url, limits.allowHttp, 'the key set URL'),
    limits,
    cooldownMs: intOption(o.cooldownMs, 'cooldownMs', 30_000, 0, DAY),
    maxAgeMs,
    minMaxAgeMs,
    maxMaxAgeMs,
    staleIfErrorMs: intOption(o.staleIfErrorMs, 'staleIfErrorMs', DAY, 0, 30 * DAY),
    refreshAheadMs: intOption(o.refreshAheadMs, 'refreshAheadMs', 30_000, 0, DAY),
    maxKeys: intOption(o.maxKeys, 'maxKeys', 100, 1, 10_000),
    maxCandidates: intOption(o.maxCandidates, 'maxCandidates', 3, 1, 10),
    onEvent: fn<(event: RemoteJwkSetEvent) => void>(o.onEvent, 'onEvent'),
    now: fn<() => number>(o.now, 'now') ?? Date.now,
  });
}
