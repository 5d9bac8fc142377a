import { err, type JotError, isJotError } from '../errors.js';
import { callerRead } from '../options.js';
import type { AuthErrorCode, AuthFailure } from './types.js';

/** The scheme a failure is reported under, and what each scheme's challenge carries. @internal */
export interface ChallengeContext {
  /** `realm="..."` parameter text, or '' (validated at compile time). */
  readonly realm: string;
  /** Accept plain Bearer tokens. */
  readonly bearer: boolean;
  /** `algs="..."` of DPoP challenges, or undefined when DPoP is off. */
  readonly dpopAlgs: string | undefined;
  /** The challenges without an error (no usable credentials), built once. */
  readonly bare: string;
  /** What comes before and after the error parameters of a Bearer or a DPoP challenge, built once. */
  readonly bearerHead: string;
  readonly dpopHead: string;
  readonly dpopTail: string;
}

const NO_STORE = 'no-store';

function params(realm: string, dpopAlgs: string | undefined, scheme: 'Bearer' | 'DPoP', parts: readonly string[]) {
  const all = [...(realm === '' ? [] : [realm]), ...parts];
  if (scheme === 'DPoP' && dpopAlgs !== undefined) all.push(dpopAlgs);
  return all.length === 0 ? scheme : `${scheme} ${all.join(', ')}`;
}

/**
 * The challenge strings of one policy, built once: `realm` is `realm="..."` or '' (validated by the caller), `bearer`
 * whether plain Bearer tokens are accepted, `dpopAlgs` the `algs="..."` of DPoP challenges (undefined: DPoP off).
 * @internal
 */
export function challengeContext(realm: string, bearer: boolean, dpopAlgs: string | undefined): ChallengeContext {
  // The challenges of a request without (usable) credentials: one per accepted scheme, no error (RFC 6750 3.1).
  const bare: string[] = [];
  if (bearer) bare.push(params(realm, dpopAlgs, 'Bearer', []));
  if (dpopAlgs !== undefined) bare.push(params(realm, dpopAlgs, 'DPoP', []));
  const head = realm === '' ? '' : `${realm}, `;
  return Object.freeze({
    realm,
    bearer,
    dpopAlgs,
    bare: bare.join(', '),
    bearerHead: `Bearer ${head}`,
    dpopHead: `DPoP ${head}`,
    dpopTail: dpopAlgs === undefined ? '' : `, ${dpopAlgs}`,
  });
}

/** A failure answered without an error code: no credentials, or a scheme we don't accept. @internal */
export function unauthorized(ctx: ChallengeContext): AuthFailure {
  return {
    ok: false,
    status: 401,
    headers: { 'www-authenticate': ctx.bare, 'cache-control': NO_STORE },
    error: 'unauthorized',
    description: 'Authentication is required',
  };
}

/** A failure reported under `scheme` with an RFC 6750 / RFC 9449 error code. @internal */
export function failure(
  ctx: ChallengeContext,
  scheme: 'Bearer' | 'DPoP',
  status: AuthFailure['status'],
  error: AuthErrorCode,
  description: string,
  extra?: { scope?: string; nonce?: string; cause?: JotError | undefined },
): AuthFailure {
  const cause = extra?.cause;
  if (status === 503) {
    const headers = { 'www-authenticate': ctx.bare, 'cache-control': NO_STORE };
    return cause === undefined
      ? { ok: false, status, headers, error, description }
      : { ok: false, status, headers, error, description, cause };
  }
  const scope = extra?.scope;
  const challenge =
    (scheme === 'DPoP' ? ctx.dpopHead : ctx.bearerHead) +
    `error="${error}", error_description="${description}"` +
    (scope === undefined ? '' : `, scope="${scope}"`) +
    (scheme === 'DPoP' ? ctx.dpopTail : '');
  const headers: { 'www-authenticate': string; 'dpop-nonce'?: string; 'cache-control': string } = {
    'www-authenticate': challenge,
    'cache-control': NO_STORE,
  };
  if (extra?.nonce !== undefined) headers['dpop-nonce'] = extra.nonce;
  return cause === undefined
    ? { ok: false, status, headers, error, description }
    : { ok: false, status, headers, error, description, cause };
}

/** Key set or revocation store unavailable: fail closed, 503. @internal */
export const UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
  'ERR_JWKS_FETCH_FAILED',
  'ERR_JWKS_TIMEOUT',
  'ERR_REVOCATION_STORE_UNAVAILABLE',
]);

/**
 * A verification error as an HTTP answer. Descriptions are fixed sentences: which check failed is told only for
 * checks made after the signature verified (time, revocation), never for format, algorithm, key or signature
 * failures (E05). Anything unexpected fails closed with 503. @internal
 */
export function tokenFailure(ctx: ChallengeContext, scheme: 'Bearer' | 'DPoP', e: unknown): AuthFailure {
  if (!isJotError(e)) {
    return failure(ctx, scheme, 503, 'temporarily_unavailable', 'Authentication is temporarily unavailable');
  }
  if (UNAVAILABLE_CODES.has(e.code)) {
    return failure(ctx, scheme, 503, 'temporarily_unavailable', 'Authentication is temporarily unavailable', {
      cause: e,
    });
  }
  let description = 'The access token is invalid';
  if (e.code === 'ERR_JWT_EXPIRED') description = 'The access token expired';
  else if (e.code === 'ERR_JWT_REVOKED') description = 'The access token has been revoked';
  else if (e.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && (e as { reason?: unknown }).reason === 'not_yet_valid') {
    description = 'The access token is not yet valid';
  }
  return failure(ctx, scheme, 401, 'invalid_token', description, { cause: e });
}

/**
 * The JSON body adapters send with a failure: `{ error, error_description }`. Throws `ERR_INVALID_OPTION` for
 * anything but a failure result.
 *
 * @example
 * ```ts
 * import { authenticate, failureBody } from 'jotjs/http';
 * const request = new Request('https://api.example/orders');
 * const result = await authenticate(request, { key, issuer: 'https://idp.example', audience: 'api' });
 * if (!result.ok) return new Response(failureBody(result), { status: result.status, headers: result.headers });
 * ```
 */
export function failureBody(f: AuthFailure): string {
  const { error, description } = callerRead(() => {
    if (typeof f !== 'object' || f === null) return {};
    return { error: (f as { error?: unknown }).error, description: (f as { description?: unknown }).description };
  }, 'failure');
  if (typeof error !== 'string' || typeof description !== 'string') {
    throw err('ERR_INVALID_OPTION', 'failureBody() needs an authentication failure');
  }
  return JSON.stringify({ error, error_description: description });
}
