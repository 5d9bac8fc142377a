import { readLimited } from '../encoding/stream.js';
import { err, JotError } from '../errors.js';

/** A `fetch` function (the global one by default). */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/** Network bounds of one exchange. @internal */
export interface FetchLimits {
  readonly fetch: FetchFunction;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly maxRedirects: number;
  readonly allowHttp: boolean;
  /** Hosts a redirect may lead to (the configured URL's host always may); undefined: any. */
  readonly allowedHosts: ReadonlySet<string> | undefined;
}

/** What a fetch answered. @internal */
export type FetchResult =
  | {
      readonly status: 'ok';
      readonly body: string;
      readonly etag: string | undefined;
      readonly maxAgeMs: number | undefined;
    }
  | { readonly status: 'not-modified'; readonly maxAgeMs: number | undefined }
  | { readonly status: 'not-found' };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** A configured URL: parsed, `https:` (or `http:` with `allowHttp`), no credentials. @internal */
export function checkUrl(url: unknown, allowHttp: boolean, what: string): URL {
  let u: URL;
  try {
    u = new URL(url instanceof URL ? url.href : (url as string));
  } catch (e) {
    throw err('ERR_INVALID_OPTION', `${what} must be an absolute URL`, e);
  }
  if (typeof url !== 'string' && !(url instanceof URL)) throw err('ERR_INVALID_OPTION', `${what} must be a URL`);
  if (u.protocol !== 'https:' && !(allowHttp && u.protocol === 'http:')) {
    throw err('ERR_INVALID_OPTION', `${what} must use https: (http: only with allowHttp)`);
  }
  if (u.username !== '' || u.password !== '') throw err('ERR_INVALID_OPTION', `${what} must not carry credentials`);
  return u;
}

/** `max-age` of a Cache-Control header in ms; `no-store`/`no-cache` count as 0; undefined when absent. @internal */
export function cacheControlMaxAge(value: string | null): number | undefined {
  if (value === null) return undefined;
  let maxAge: number | undefined;
  for (const part of value.split(',')) {
    const [name = '', arg] = part.trim().split('=', 2);
    const n = name.toLowerCase();
    if (n === 'no-store' || n === 'no-cache') return 0;
    if (n === 'max-age' && arg !== undefined) {
      const s = arg.trim().replace(/^"(.*)"$/, '$1');
      if (/^\d{1,10}$/.test(s)) maxAge = Number(s) * 1000;
    }
  }
  return maxAge;
}

/** The body as text, decoded bytes counted while streaming (so a compressed bomb stops at the cap). */
async function readBody(res: Response, maxBytes: number, where: string): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw err('ERR_JWKS_INVALID', `the response from ${where} is larger than ${maxBytes} bytes`);
  }
  if (res.body === null) return '';
  const body = await readLimited(res.body, maxBytes);
  if (body === 'limit') throw err('ERR_JWKS_INVALID', `the response from ${where} is larger than ${maxBytes} bytes`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch (e) {
    throw err('ERR_JWKS_INVALID', `the response from ${where} is not UTF-8`, e);
  }
}

/** The next hop of a redirect, checked: bounded by the caller, never from https: to http:. */
function nextHop(from: URL, location: string | null, limits: FetchLimits, first: URL): URL {
  if (location === null) throw err('ERR_JWKS_FETCH_FAILED', `${from.origin} redirected without a Location`);
  let to: URL;
  try {
    to = new URL(location, from);
  } catch (e) {
    throw err('ERR_JWKS_FETCH_FAILED', `${from.origin} redirected to an invalid URL`, e);
  }
  if (to.protocol !== 'https:' && !(limits.allowHttp && to.protocol === 'http:')) {
    throw err('ERR_JWKS_FETCH_FAILED', `${from.origin} redirected to a refused scheme`);
  }
  if (from.protocol === 'https:' && to.protocol !== 'https:') {
    throw err('ERR_JWKS_FETCH_FAILED', `${from.origin} redirected from https: to http:`);
  }
  if (to.username !== '' || to.password !== '') throw err('ERR_JWKS_FETCH_FAILED', 'a redirect carried credentials');
  if (limits.allowedHosts !== undefined && to.host !== first.host && !limits.allowedHosts.has(to.host)) {
    throw err('ERR_JWKS_FETCH_FAILED', `${from.origin} redirected to a host that is not allowed`);
  }
  return to;
}

/**
 * GET `url` for a JSON document under the bounds: one timeout for the whole exchange (redirects and body
 * included), redirects followed by hand, decoded body size capped while streaming. Errors name the URL's
 * origin, never the response body. With `etag`, a 304 answer is "not modified"; with `notFoundOk`, a 404 is
 * "not found". @internal
 */
export async function fetchDocument(
  url: URL,
  limits: FetchLimits,
  etag?: string,
  notFoundOk = false,
): Promise<FetchResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
  let current = url;
  try {
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { accept: 'application/json', ...limits.headers };
      if (etag !== undefined) headers['if-none-match'] = etag;
      const res = await limits.fetch(current.href, {
        method: 'GET',
        headers,
        redirect: 'manual',
        signal: controller.signal,
      });
      if (typeof res?.status !== 'number') throw err('ERR_JWKS_FETCH_FAILED', 'fetch returned no response');
      if (res.url !== '' && res.url !== current.href) nextHop(current, res.url, limits, url); // a fetch that followed
      if (REDIRECTS.has(res.status)) {
        await res.body?.cancel().catch(() => {});
        if (hop >= limits.maxRedirects) throw err('ERR_JWKS_FETCH_FAILED', `${url.origin}: too many redirects`);
        current = nextHop(current, res.headers.get('location'), limits, url);
        continue;
      }
      const maxAgeMs = cacheControlMaxAge(res.headers.get('cache-control'));
      if (res.status === 304 && etag !== undefined) {
        await res.body?.cancel().catch(() => {});
        return { status: 'not-modified', maxAgeMs };
      }
      if (res.status === 404 && notFoundOk) {
        await res.body?.cancel().catch(() => {});
        return { status: 'not-found' };
      }
      if (res.status !== 200) {
        await res.body?.cancel().catch(() => {});
        throw err('ERR_JWKS_FETCH_FAILED', `${current.origin} answered HTTP ${res.status}`);
      }
      const body = await readBody(res, limits.maxBytes, current.origin);
      return { status: 'ok', body, etag: res.headers.get('etag') ?? undefined, maxAgeMs };
    }
  } catch (e) {
    if (controller.signal.aborted) throw err('ERR_JWKS_TIMEOUT', `${url.origin} did not answer in time`, e);
    if (e instanceof JotError) throw e;
    throw err('ERR_JWKS_FETCH_FAILED', `fetching from ${url.origin} failed`, e);
  } finally {
    clearTimeout(timer);
  }
}
