import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { err } from '../errors.js';
import { callerError } from '../options.js';
import type { JWKS } from './local.js';

/** A node:http style request handler (also fits Express and Connect). */
export type JwksRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Serves `source.jwks()` to GET and HEAD: `Content-Type: application/jwk-set+json`, `Cache-Control: public,
 * max-age=<source.maxAge()>`, a strong `ETag`, and 304 for a matching `If-None-Match`. Other methods: 405.
 * @internal
 */
export function jwksHandler(source: { jwks(): JWKS; maxAge(): number }): JwksRequestHandler {
  const serve = serveWith(source);
  return (req, res) => {
    if (typeof req !== 'object' || req === null || typeof res !== 'object' || res === null) {
      throw err('ERR_INVALID_OPTION', 'the JWKS handler takes a node:http request and response');
    }
    try {
      serve(req, res);
    } catch (e) {
      throw callerError(e);
    }
  };
}

function serveWith(source: { jwks(): JWKS; maxAge(): number }): JwksRequestHandler {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' });
      res.end();
      return;
    }
    let body: string;
    let maxAge: number;
    try {
      body = JSON.stringify(source.jwks());
      maxAge = source.maxAge();
    } catch {
      res.writeHead(503, { 'cache-control': 'no-store', 'retry-after': '5' });
      res.end();
      return;
    }
    const etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
    const headers = { 'cache-control': `public, max-age=${maxAge}`, etag };
    const inm = req.headers['if-none-match'];
    if (typeof inm === 'string' && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, {
      ...headers,
      'content-type': 'application/jwk-set+json',
      'content-length': Buffer.byteLength(body),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
