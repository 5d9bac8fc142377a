import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { err } from '../errors.js';
import type { JwtClaims } from '../jwt/types.js';
import { callerError } from '../options.js';
import { type RequestAuthenticator, requestAuthenticator, toAuthenticator } from './authenticate.js';
import { failureBody } from './challenge.js';
import type { AuthFailure, AuthInfo, AuthOptions, AuthResult, Authenticator, AuthSuccess } from './types.js';

/**
 * Authenticates a node:http request (`url` and `protocol` as the framework gives them, else the request's own). node
 * keeps only the first of several `Authorization` lines in `req.headers`; they are all read from `rawHeaders` so that
 * two credentials are refused (RFC 6750 section 2). Throws `ERR_INVALID_OPTION` for what is not a node:http request;
 * the promise rejects with it for members of the wrong type. @internal
 */
export function authenticateNode<T extends object>(
  run: RequestAuthenticator<T>,
  req: IncomingMessage,
  url?: string,
  protocol?: string,
): Promise<AuthResult<T>> {
  if (typeof req !== 'object' || req === null) throw err('ERR_INVALID_OPTION', 'not a node:http request');
  const raw = req.rawHeaders;
  if (!Array.isArray(raw)) throw err('ERR_INVALID_OPTION', 'not a node:http request');
  let values: string[] | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 13 && name.toLowerCase() === 'authorization') (values ??= []).push(raw[i + 1]!);
  }
  const headers = values !== undefined && values.length > 1 ? { ...req.headers, authorization: values } : req.headers;
  return run(
    req.method ?? '',
    url ?? req.url ?? '',
    headers,
    protocol ?? ((req.socket as TLSSocket | undefined)?.encrypted === true ? 'https' : 'http'),
  );
}

/** Writes a failure: status, `WWW-Authenticate` (and `DPoP-Nonce`), and the JSON body. @internal */
export function writeFailure(res: ServerResponse, f: AuthFailure): void {
  const body = failureBody(f);
  res.writeHead(f.status, {
    ...f.headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** The `AuthInfo` part of a success (what adapters expose). @internal */
export function authInfo<T extends object>(r: AuthSuccess<T>): AuthInfo<T> {
  const info: AuthInfo<T> = { claims: r.claims, token: r.token, scheme: r.scheme, protectedHeader: r.protectedHeader };
  if (r.jkt !== undefined) info.jkt = r.jkt;
  return info;
}

/** Sets the success headers (a fresh `DPoP-Nonce`) on a node:http response (or Express's). @internal */
export function setSuccessHeaders(res: Pick<ServerResponse, 'setHeader'>, headers: Readonly<Record<string, string>>) {
  for (const name in headers) res.setHeader(name, headers[name]!);
}

/**
 * Protect a node:http request handler: `handler(req, res, auth)` runs only for authenticated requests; failures are
 * answered here (status, `WWW-Authenticate`, JSON body `{ error, error_description }`). Throws
 * `ERR_INVALID_OPTION` for a handler that is not a function or unusable options.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { withAuth } from 'jotjs/http';
 * const handler = withAuth((req, res, auth) => res.end(auth.claims.sub), { key, issuer, audience });
 * createServer(handler).listen(8080);
 * ```
 */
export function withAuth<T extends object = JwtClaims>(
  handler: (req: IncomingMessage, res: ServerResponse, auth: AuthInfo<T>) => unknown,
  options: AuthOptions | Authenticator<T>,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  if (typeof handler !== 'function') throw err('ERR_INVALID_OPTION', 'withAuth() needs a request handler');
  let run: RequestAuthenticator<T>;
  try {
    run = requestAuthenticator(toAuthenticator<T>(options));
  } catch (e) {
    throw callerError(e);
  }
  return async (req, res) => {
    let r: AuthResult<T>;
    try {
      r = await authenticateNode(run, req);
      if (!r.ok) return writeFailure(res, r);
      setSuccessHeaders(res, r.headers);
    } catch (e) {
      throw callerError(e);
    }
    await handler(req, res, authInfo(r));
  };
}
