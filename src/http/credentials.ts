import type { AuthHeaders } from './types.js';

/** RFC 6750 section 2.1 `b64token`. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
/** RFC 9110 `token` (an auth-scheme). */
const SCHEME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A credential found in a request. */
export interface Credential {
  /** `bearer` or `dpop` (lower case), or another scheme's name in lower case. */
  scheme: string;
  token: string;
}

/** Why extraction failed: `malformed` and `duplicate` are `invalid_request`; `none` means no credential. */
export type Extraction = Credential | 'none' | 'malformed' | 'duplicate' | 'too_long';

/** Compiled `tokenFrom`. @internal */
export interface Sources {
  header: boolean;
  query: boolean;
  cookie: string | undefined;
}

/**
 * One header (lower-case name) as given: a string (one line), an array of strings (one per line, never empty), or
 * undefined (absent, or a value of another type). No allocation for the usual single line. @internal
 */
export function headerValue(headers: AuthHeaders, name: string): string | readonly string[] | undefined {
  const get = (headers as Headers).get;
  if (typeof get === 'function' && typeof (headers as Headers).has === 'function') {
    const v = (headers as Headers).get(name);
    return v === null ? undefined : v;
  }
  if (!Object.hasOwn(headers, name)) return undefined;
  const v = (headers as Record<string, unknown>)[name];
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')) return v as string[];
  return undefined;
}

/** All values of one header (lower-case name): one per header line. @internal */
export function headerValues(headers: AuthHeaders, name: string): readonly string[] | undefined {
  const v = headerValue(headers, name);
  return typeof v === 'string' ? [v] : v;
}

/** The scheme of `value` (up to the first space) in lower case, or undefined when it is not an RFC 9110 token. */
function schemeOf(value: string, sp: number): string | undefined {
  const scheme = sp < 0 ? value : value.slice(0, sp);
  if (scheme === 'Bearer') return 'bearer'; // the usual spelling: no regular expression, no case mapping
  return SCHEME.test(scheme) ? scheme.toLowerCase() : undefined;
}

/** Splits `Scheme token`; the scheme is returned in lower case. RFC 9110: `auth-scheme 1*SP token68`. */
function parseAuthorization(value: string): Credential | 'malformed' {
  const sp = value.indexOf(' ');
  const scheme = schemeOf(value, sp);
  if (scheme === undefined) return 'malformed';
  let i = sp < 0 ? value.length : sp;
  while (value.charCodeAt(i) === 32) i++;
  return { scheme, token: value.slice(i) };
}

function fromHeader(headers: AuthHeaders, schemes: ReadonlySet<string>, max: number): Extraction {
  const found = headerValue(headers, 'authorization');
  if (found === undefined) return 'none';
  let value: string;
  if (typeof found === 'string') value = found;
  else if (found.length > 1) return 'duplicate';
  else value = found[0]!;
  if (value.length > max) return 'too_long';
  if (value === '') return 'none';
  const c = parseAuthorization(value);
  if (c === 'malformed') return c;
  if (!schemes.has(c.scheme)) return 'none'; // another authentication method: not ours (RFC 6750 section 3.1)
  if (B64TOKEN.test(c.token)) return c;
  // A comma never occurs in a b64token: two header lines joined by a Fetch `Headers` ("Bearer a, Bearer b").
  const parts = value.split(/, */);
  const joined =
    parts.length > 1 &&
    parts.every((p) => {
      const q = parseAuthorization(p);
      return q !== 'malformed' && q.token !== '';
    });
  return joined ? 'duplicate' : 'malformed';
}

function fromQuery(url: string): Extraction {
  const q = url.indexOf('?');
  if (q < 0) return 'none';
  const h = url.indexOf('#', q);
  const all = new URLSearchParams(url.slice(q + 1, h < 0 ? undefined : h)).getAll('access_token');
  if (all.length === 0) return 'none';
  if (all.length > 1) return 'duplicate';
  return B64TOKEN.test(all[0]!) ? { scheme: 'bearer', token: all[0]! } : 'malformed';
}

function fromCookie(headers: AuthHeaders, name: string, max: number): Extraction {
  const values = headerValues(headers, 'cookie');
  if (values === undefined) return 'none';
  let found: string | undefined;
  for (const line of values) {
    if (line.length > max) return 'too_long';
    for (const part of line.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
      if (found !== undefined) return 'duplicate';
      let v = part.slice(eq + 1).trim();
      if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
      found = v;
    }
  }
  if (found === undefined) return 'none';
  return B64TOKEN.test(found) ? { scheme: 'bearer', token: found } : 'malformed';
}

/**
 * The request's one credential, from the configured sources only (RFC 6750 section 2; a token in the query is
 * read only when `query` is configured, E05). Two credentials, even identical, are `duplicate` (section 2: one
 * method per request). @internal
 */
export function extract(
  headers: AuthHeaders,
  url: string,
  sources: Sources,
  schemes: ReadonlySet<string>,
  max: number,
): Extraction {
  let found: Credential | undefined;
  if (sources.header) {
    const e = fromHeader(headers, schemes, max);
    if (typeof e !== 'string') found = e;
    else if (e !== 'none') return e;
  }
  if (sources.query) {
    const e = fromQuery(url);
    if (typeof e !== 'string') {
      if (found !== undefined) return 'duplicate';
      found = e;
    } else if (e !== 'none') return e;
  }
  if (sources.cookie !== undefined) {
    const e = fromCookie(headers, sources.cookie, max);
    if (typeof e !== 'string') {
      if (found !== undefined) return 'duplicate';
      found = e;
    } else if (e !== 'none') return e;
  }
  return found ?? 'none';
}

/** A single `DPoP` header line, or why not. @internal */
export function dpopHeader(headers: AuthHeaders, max: number): string | 'none' | 'malformed' {
  const values = headerValues(headers, 'dpop');
  if (values === undefined) return 'none';
  if (values.length !== 1) return 'malformed';
  const v = values[0]!;
  // A comma: two header lines joined by the server (RFC 9449 section 4.3 check 1: exactly one).
  if (v.length > max || !/^[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+$/.test(v)) return 'malformed';
  return v;
}
