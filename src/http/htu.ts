/**
 * `htu` comparison (RFC 9449 section 4.3 check 9): both URIs are normalized as RFC 3986 sections 6.2.2 and 6.2.3
 * describe (case of scheme and host, default port, dot segments, empty path, percent-encoding case, unreserved
 * characters decoded), query and fragment dropped, then compared exactly. Never by prefix.
 */

const UNRESERVED = /[A-Za-z0-9\-._~]/;
const HOST = /^[A-Za-z0-9.-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$/;

function normalizePercent(path: string): string {
  return path.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => {
    const c = String.fromCharCode(Number.parseInt(hex, 16));
    return UNRESERVED.test(c) ? c : `%${hex.toUpperCase()}`;
  });
}

/** `scheme://host[:port]/path` of an absolute http(s) URI, normalized; undefined when it is not one. @internal */
export function normalizeHtu(uri: string): string | undefined {
  if (uri.length > 8192) return undefined;
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return undefined;
  }
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.username !== '' || u.password !== '') return undefined;
  return `${u.protocol}//${u.host}${normalizePercent(u.pathname)}`;
}

/**
 * The URI of this request as a DPoP proof must name it: `origin` + path when an origin is configured, else the
 * request's absolute URL, else `protocol://Host` + path. Undefined when it cannot be told. @internal
 */
export function requestHtu(
  url: string,
  origin: string | undefined,
  host: string | undefined,
  protocol: string | undefined,
): string | undefined {
  const absolute = /^https?:\/\//i.test(url);
  if (origin !== undefined) {
    if (absolute) {
      try {
        const u = new URL(url);
        return normalizeHtu(origin + u.pathname);
      } catch {
        return undefined;
      }
    }
    return url.startsWith('/') ? normalizeHtu(origin + url) : undefined;
  }
  if (absolute) return normalizeHtu(url);
  if (host === undefined || !HOST.test(host) || !url.startsWith('/') || url.startsWith('//')) return undefined;
  const scheme = protocol === 'https' ? 'https' : 'http';
  return normalizeHtu(`${scheme}://${host}${url}`);
}
