/**
 * The offline token debugger over node:http: the page's four files (built into dist/web by `npm run build`) under a
 * strict Content-Security-Policy, and one fetch endpoint for a JWKS URL the user typed.
 *
 * Why an endpoint rather than a wider `connect-src`: a CSP comes with the page and the page cannot change it, so
 * letting the page fetch a URL typed later would mean `connect-src https:`, and then any script that got into the
 * page could send a pasted token anywhere. With the endpoint the page only ever talks to its own origin; the server
 * fetches only when asked, with the bounds of `createRemoteJwkSet` (timeout, size cap while streaming, https only,
 * plain http only to a loopback host that may not redirect), and answers only the usable public keys of a valid set.
 * So that other sites in the same browser cannot use it (cross-site requests, DNS rebinding), it answers only a JSON
 * POST whose Host is the loopback address it listens on and whose Origin is that same origin.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { err, isJotError } from '../errors.js';
import { createRemoteJwkSet } from '../keyset/remote.js';
import { intOption, readOptions } from '../options.js';
import { packageFile } from './package-dir.js';

/** Options of {@link createDebuggerHandler}. */
export interface DebuggerHandlerOptions {
  /** Serve `POST /debugger/jwks`, the page's JWKS fetcher (default true). */
  jwksFetch?: boolean;
  /** Longest wait for a JWKS fetch, redirects and body included, in ms (default 5000, at most 30000). */
  fetchTimeoutMs?: number;
}

/** A node:http request handler: answers the debugger's paths and returns true, or returns false for any other. */
export type DebuggerHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** The Content-Security-Policy of every answer: the page's own files only, no inline code, no other origin. */
export const DEBUGGER_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': DEBUGGER_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

const FILES: Readonly<Record<string, readonly [string, string]>> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/debugger.js': ['debugger.js', 'text/javascript; charset=utf-8'],
  '/debugger.css': ['debugger.css', 'text/css; charset=utf-8'],
  '/favicon.svg': ['favicon.svg', 'image/svg+xml'],
};

export const JWKS_PATH = '/debugger/jwks';
const MAX_BODY = 4096;
const MAX_IN_FLIGHT = 4;
const KNOWN = new Set(['jwksFetch', 'fetchTimeoutMs']);
const LOOPBACK = /^(127(\.\d{1,3}){3}|\[::1\]|localhost)$/;

/**
 * A node:http handler for jot's offline token debugger (the page `jot serve` shows): mount it in your own server to
 * offer the debugger there. It answers `GET /`, `/debugger.js`, `/debugger.css` and `/favicon.svg` with the page under a strict
 * Content-Security-Policy, and `POST /debugger/jwks` (a JWKS URL the user typed, fetched once with the bounds of
 * `createRemoteJwkSet`; only from the same loopback origin). Other paths return false, untouched. The page needs
 * the package's build (`dist/web`); without it this throws `ERR_JOSE_NOT_SUPPORTED`. Bad options:
 * `ERR_INVALID_OPTION`.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createDebuggerHandler } from 'jotjs/debugger';
 * const debuggerPage = createDebuggerHandler();
 * const server = createServer((req, res) => {
 *   if (!debuggerPage(req, res)) res.writeHead(404).end();
 * });
 * server.listen(0, '127.0.0.1');
 * server.close();
 * ```
 */
export function createDebuggerHandler(options?: DebuggerHandlerOptions): DebuggerHandler {
  const o = readOptions(options, KNOWN, 'debugger');
  if (o.jwksFetch !== undefined && typeof o.jwksFetch !== 'boolean') {
    throw err('ERR_INVALID_OPTION', 'jwksFetch must be a boolean');
  }
  const jwksFetch = o.jwksFetch !== false;
  const timeoutMs = intOption(o.fetchTimeoutMs, 'fetchTimeoutMs', 5000, 1, 30_000);
  const files = new Map<string, { body: Buffer; type: string }>();
  const dir = packageFile('dist/web/', import.meta.url);
  for (const [path, [name, type]] of Object.entries(FILES)) {
    try {
      files.set(path, { body: readFileSync(new URL(name, dir)), type });
    } catch (e) {
      throw err('ERR_JOSE_NOT_SUPPORTED', `the debugger page is not built (dist/web/${name}): run npm run build`, e);
    }
  }
  let inFlight = 0;

  return (req, res) => {
    let path: string;
    try {
      path = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      return false;
    }
    const file = files.get(path);
    if (file !== undefined) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(res, 405, 'text/plain; charset=utf-8', 'use GET', { allow: 'GET, HEAD' });
      } else {
        send(res, 200, file.type, req.method === 'HEAD' ? undefined : file.body, {}, file.body.byteLength);
      }
      return true;
    }
    if (path !== JWKS_PATH || !jwksFetch) return false;
    const refusal = refuse(req);
    if (refusal !== undefined) {
      answer(res, refusal[0], { error: refusal[1] });
      req.resume();
      return true;
    }
    if (inFlight >= MAX_IN_FLIGHT) {
      answer(res, 429, { error: 'too many fetches at once' });
      req.resume();
      return true;
    }
    inFlight++;
    fetchFor(req, timeoutMs)
      .then(
        (r) => answer(res, r[0], r[1]),
        () => answer(res, 500, { error: 'internal error' }),
      )
      .finally(() => inFlight--);
    return true;
  };
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: Buffer | string | undefined,
  extra: Record<string, string> = {},
  length = body === undefined ? 0 : Buffer.byteLength(body),
): void {
  res.writeHead(status, { ...HEADERS, ...extra, 'content-type': type, 'content-length': String(length) });
  res.end(body);
}

function answer(res: ServerResponse, status: number, doc: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(doc));
}

/** Why a fetch request is refused (status, message), or undefined: only a same-origin JSON POST on loopback. */
function refuse(req: IncomingMessage): [number, string] | undefined {
  if (req.method !== 'POST') return [405, 'use POST'];
  const host = req.headers.host ?? '';
  const port = req.socket.localPort;
  const m = /^(.*):(\d+)$/.exec(host);
  if (m === null || !LOOPBACK.test(m[1]!) || Number(m[2]) !== port) return [403, 'only from the loopback origin'];
  if (req.headers.origin !== `http://${host}`) return [403, 'only from the page itself'];
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return [403, 'only from the page itself'];
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return [415, 'send application/json'];
  return undefined;
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(undefined);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(undefined));
  });
}

/** The target URL of a request body `{"url": "..."}`: https, or http to a loopback host. */
function target(body: string | undefined): URL | string {
  if (body === undefined) return 'the request is too large';
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return 'the request is not JSON';
  }
  const raw = typeof doc === 'object' && doc !== null ? (doc as { url?: unknown }).url : undefined;
  if (typeof raw !== 'string' || raw.length > 2048) return 'give {"url": "https://..."}';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  if (url.username !== '' || url.password !== '') return 'a URL with credentials is refused';
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && LOOPBACK.test(url.hostname)) return url;
  return 'only https: URLs (plain http: only to a loopback address)';
}

async function fetchFor(req: IncomingMessage, timeoutMs: number): Promise<[number, unknown]> {
  const url = target(await readBody(req));
  if (typeof url === 'string') return [400, { error: url }];
  const plain = url.protocol === 'http:';
  const set = createRemoteJwkSet(url, {
    timeoutMs,
    allowHttp: plain,
    // Plain http stays on the loopback host it names: no redirect at all.
    ...(plain ? { maxRedirects: 0 } : {}),
  });
  try {
    await set.refresh();
  } catch (e) {
    // A jot error's message names the URL's origin and what went wrong, never key material.
    if (isJotError(e)) return [502, { error: e.message, code: e.code }];
    return [502, { error: 'the fetch failed', code: 'ERR_JWKS_FETCH_FAILED' }];
  }
  return [200, set.jwks() ?? { keys: [] }];
}
