/**
 * The CLI's remote key sets: `createRemoteJwkSet` and `discoverIssuer` from src/keyset, so `jot` fetches with the
 * library's bounds (https only unless --allow-http, one timeout for the whole exchange, the body size capped while
 * streaming, at most 3 redirects and never from https to http). Imported lazily, only by the subcommands that fetch.
 * A key set or metadata document the server got wrong is a fetch failure (exit 1), not the caller's mistake.
 */
import { JWS_ALGORITHMS } from '../alg/jws.js';
import { err, JotError } from '../errors.js';
import { discoverIssuer } from '../keyset/discovery.js';
import type { JWKS } from '../keyset/local.js';
import { createRemoteJwkSet, type RemoteJwkSet } from '../keyset/remote.js';
import type { RemoteJwkSetOptions } from '../keyset/remote-options.js';
import type { SkippedKey } from '../keyset/select.js';
import { safeText, UsageError } from './io.js';

/** The network options the command line sets. */
export interface FetchOptions {
  allowHttp: boolean;
  timeoutMs?: number;
  maxBytes?: number;
}

/** A fetched set: the resolver, the keys it uses, and the keys it skipped (private, unsupported or invalid). */
export interface FetchedSet {
  resolver: RemoteJwkSet;
  jwks: JWKS;
  skipped: SkippedKey[];
}

/** The library's limits on these options, checked here so that a bad flag is a usage error naming the flag. */
const MAX_TIMEOUT_MS = 120_000;
const MAX_BYTES = 64 * 1024 * 1024;

function checkCliUrl(raw: string, allowHttp: boolean, what: string): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${what} is not a URL: ${safeText(raw)}`);
  }
  if (url.protocol === 'http:' && !allowHttp) {
    throw new UsageError(
      `refusing plain http (${safeText(url.host)}): use https, or --allow-http for a local test server`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`${what} must be an https: URL, not ${safeText(url.protocol)}`);
  }
}

function libraryOptions(options: FetchOptions, skipped: SkippedKey[]): RemoteJwkSetOptions {
  if (options.timeoutMs !== undefined && (options.timeoutMs < 1 || options.timeoutMs > MAX_TIMEOUT_MS)) {
    throw new UsageError(`--timeout must be between 1 ms and ${MAX_TIMEOUT_MS / 1000} s`);
  }
  if (options.maxBytes !== undefined && options.maxBytes > MAX_BYTES) {
    throw new UsageError(`--max-bytes must be at most ${MAX_BYTES}`);
  }
  return {
    allowHttp: options.allowHttp,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: Math.round(options.timeoutMs) }),
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    onEvent: (e) => {
      if (e.type === 'fetched') skipped.splice(0, skipped.length, ...e.skipped);
    },
  };
}

/** The system error code under a failed fetch (ECONNREFUSED, ENOTFOUND...), when there is one. */
function systemCode(e: unknown): string | undefined {
  for (let c: unknown = e, depth = 0; c instanceof Error && depth < 5; c = c.cause, depth++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code) && !code.startsWith('ERR_')) return code;
  }
  return undefined;
}

/** The library's errors, for the command line: a server's bad answer exits 1, and a refused connection says so. */
function remoteFailure(e: unknown): unknown {
  if (!(e instanceof JotError)) return e;
  if (e.code === 'ERR_JWKS_INVALID') return err('ERR_JWKS_FETCH_FAILED', e.message, e.cause ?? e);
  if (e.code === 'ERR_JWKS_FETCH_FAILED') {
    const code = systemCode(e.cause);
    if (code !== undefined && !e.message.includes(code)) return err(e.code, `${e.message} (${code})`, e);
  }
  return e;
}

/** Fetch the set at `url` once. */
export async function fetchSet(url: string, options: FetchOptions): Promise<FetchedSet> {
  checkCliUrl(url, options.allowHttp, 'the key set URL');
  const skipped: SkippedKey[] = [];
  const resolver = createRemoteJwkSet(url, libraryOptions(options, skipped));
  try {
    await resolver.refresh();
  } catch (e) {
    throw remoteFailure(e);
  }
  return { resolver, jwks: resolver.jwks()!, skipped };
}

/** Every asymmetric JWS algorithm: a published key set is public keys, so discovery never narrows to HMAC. */
function asymmetricAlgorithms(): string[] {
  return Object.values(JWS_ALGORITHMS)
    .filter((a) => a.family !== 'hmac')
    .map((a) => a.name);
}

/** Discover `issuer` (OpenID Connect Discovery, then RFC 8414) and fetch its `jwks_uri` once. */
export async function discoverSet(
  issuer: string,
  options: FetchOptions,
): Promise<FetchedSet & { jwksUri: string; algorithms: string[] }> {
  checkCliUrl(issuer, options.allowHttp, 'the issuer');
  const skipped: SkippedKey[] = [];
  try {
    const found = await discoverIssuer(issuer, {
      algorithms: asymmetricAlgorithms(),
      jwks: libraryOptions(options, skipped),
    });
    await found.keys.refresh();
    return {
      resolver: found.keys,
      jwks: found.keys.jwks()!,
      skipped,
      jwksUri: found.jwksUri,
      algorithms: found.algorithms,
    };
  } catch (e) {
    throw remoteFailure(e);
  }
}
