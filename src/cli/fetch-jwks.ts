/**
 * A small, bounded fetch of a JWKS document (and of an issuer's discovery document) for the CLI:
 * one GET with a timeout, a size limit counted while streaming, no redirects followed, https only
 * unless `allowHttp`. The parsed set goes to createLocalJwkSet. Kept in this one file so that it can
 * be replaced by createRemoteJwkSet and discovery from src/keyset when they land.
 */
import { isObject } from '../encoding/json.js';
import { err, JotError } from '../errors.js';
import { createLocalJwkSet, type JWKS, type JwkSetResolver } from '../keyset/local.js';

export interface FetchOptions {
  /** Milliseconds for the whole request, body included. Default 5000. */
  timeoutMs?: number;
  /** Largest body accepted, in bytes. Default 1 MiB. */
  maxBytes?: number;
  /** Accept plain http: URLs. Default false. */
  allowHttp?: boolean;
}

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_MAX_BYTES = 1 << 20;

function checkUrl(raw: string, allowHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw err('ERR_INVALID_OPTION', 'not a URL');
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:') {
    if (allowHttp) return url;
    throw err('ERR_INVALID_OPTION', `refusing plain http (${url.host}): use https, or --allow-http for local testing`);
  }
  throw err('ERR_INVALID_OPTION', `unsupported URL scheme ${url.protocol}`);
}

/** GET `url` and parse its JSON body, within the time and size bounds. */
export async function fetchJson(raw: string, options: FetchOptions = {}): Promise<unknown> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const url = checkUrl(raw, options.allowHttp === true);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    const res = await fetch(url, {
      signal: controller.signal,
      redirect: 'manual',
      headers: { accept: 'application/json, application/jwk-set+json' },
    });
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      throw err('ERR_JWKS_FETCH_FAILED', `${url.host} answered a redirect (${res.status}); redirects are not followed`);
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      throw err('ERR_JWKS_FETCH_FAILED', `${url.host} answered HTTP ${res.status}`);
    }
    const declared = Number(res.headers.get('content-length') ?? Number.NaN);
    if (declared > maxBytes) {
      await res.body?.cancel();
      throw err('ERR_LIMIT_EXCEEDED', `the response is larger than ${maxBytes} bytes`);
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    if (res.body !== null) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > maxBytes) {
          await reader.cancel();
          throw err('ERR_LIMIT_EXCEEDED', `the response is larger than ${maxBytes} bytes`);
        }
        chunks.push(value);
      }
    }
    const text = Buffer.concat(chunks).toString('utf8');
    try {
      return JSON.parse(text);
    } catch {
      throw err('ERR_JWKS_FETCH_FAILED', `${url.host} did not answer JSON`);
    }
  } catch (e) {
    if (e instanceof JotError) throw e;
    if (timedOut) throw err('ERR_JWKS_TIMEOUT', `${url.host} did not answer within ${timeoutMs} ms`);
    const cause = (e as { cause?: { code?: string } }).cause;
    throw err('ERR_JWKS_FETCH_FAILED', `cannot reach ${url.host}${cause?.code ? ` (${cause.code})` : ''}`, e);
  } finally {
    clearTimeout(timer);
  }
}

/** Fetch a JWKS document; its shape (`keys` array) is checked here, its keys by createLocalJwkSet. */
export async function fetchJwks(url: string, options: FetchOptions = {}): Promise<JWKS> {
  const doc = await fetchJson(url, options);
  if (!isObject(doc) || !Array.isArray(doc.keys))
    throw err('ERR_JWKS_FETCH_FAILED', 'the document has no "keys" array');
  return doc as unknown as JWKS;
}

/** A resolver over a fetched set; a set the server got wrong is a fetch failure, not the caller's mistake. */
export function remoteSet(jwks: JWKS): JwkSetResolver {
  try {
    return createLocalJwkSet(jwks);
  } catch (e) {
    if (
      e instanceof JotError &&
      (e.code === 'ERR_JWKS_INVALID' || e.code === 'ERR_JWK_INVALID' || e.code === 'ERR_KEY_INVALID')
    ) {
      throw err('ERR_JWKS_FETCH_FAILED', `the fetched key set is invalid: ${e.message}`, e);
    }
    throw e;
  }
}

/**
 * The `jwks_uri` of an issuer from its OpenID Connect discovery document (RFC 8414's
 * oauth-authorization-server document as a fallback). The document's `issuer` must equal `issuer`.
 */
export async function discoverJwksUri(issuer: string, options: FetchOptions = {}): Promise<string> {
  const base = checkUrl(issuer, options.allowHttp === true);
  const trimmed = base.href.replace(/\/$/, '');
  const candidates = [
    `${trimmed}/.well-known/openid-configuration`,
    `${base.origin}/.well-known/oauth-authorization-server${base.pathname === '/' ? '' : base.pathname.replace(/\/$/, '')}`,
  ];
  let lastError: unknown;
  for (const where of candidates) {
    let doc: unknown;
    try {
      doc = await fetchJson(where, options);
    } catch (e) {
      lastError = e;
      continue;
    }
    if (!isObject(doc)) throw err('ERR_JWKS_FETCH_FAILED', 'the discovery document is not a JSON object');
    if (doc.issuer !== issuer && doc.issuer !== trimmed) {
      throw err('ERR_JWKS_FETCH_FAILED', 'the discovery document names another issuer');
    }
    if (typeof doc.jwks_uri !== 'string')
      throw err('ERR_JWKS_FETCH_FAILED', 'the discovery document has no "jwks_uri"');
    checkUrl(doc.jwks_uri, options.allowHttp === true);
    return doc.jwks_uri;
  }
  throw lastError instanceof JotError ? lastError : err('ERR_JWKS_FETCH_FAILED', 'discovery failed', lastError);
}
