/**
 * All error codes, for documentation and exhaustive tests.
 *
 * @example
 * ```ts
 * import { ERROR_CODES } from 'jotjs';
 * ERROR_CODES.includes('ERR_JWT_EXPIRED'); // true
 * ```
 */
export const ERROR_CODES = Object.freeze([
  'ERR_JWS_INVALID',
  'ERR_JWE_INVALID',
  'ERR_JWT_INVALID',
  'ERR_JWK_INVALID',
  'ERR_JWKS_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JWE_DECRYPTION_FAILED',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_KEY_INVALID',
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWT_REVOKED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JWKS_TIMEOUT',
  'ERR_JWKS_FETCH_FAILED',
  'ERR_INVALID_OPTION',
  'ERR_LIMIT_EXCEEDED',
  'ERR_REVOCATION_STORE_UNAVAILABLE',
  'ERR_KEYRING_STORE_UNAVAILABLE',
] as const);

/**
 * Every failure in jot is a {@link JotError} with a stable `code`, one of {@link ERROR_CODES}.
 * Messages never contain tokens, keys, secrets, MACs or plaintext.
 */
export type JotErrorCode = (typeof ERROR_CODES)[number];

const CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/** `options.cause`, read without letting a getter or Proxy throw (a JotError is made even from hostile options). */
function readCause(options: unknown): unknown {
  if (typeof options !== 'object' || options === null) return undefined;
  try {
    return Object.hasOwn(options, 'cause') ? (options as { cause?: unknown }).cause : undefined;
  } catch {
    return undefined;
  }
}

/** Claim names reported by claim-validation failures. */
export type ClaimName = 'exp' | 'nbf' | 'iat' | 'iss' | 'aud' | 'sub' | 'jti' | 'typ' | (string & {});

/** Why a claim failed: `missing`, `invalid` (wrong JSON type or value), `mismatch`, or a time reason. */
export type ClaimReason = 'missing' | 'invalid' | 'mismatch' | 'expired' | 'not_yet_valid' | 'too_old' | 'future';

/** Options of the {@link JotError} constructor. */
export interface JotErrorOptions {
  /** The underlying failure, kept as the error's `cause`. */
  cause?: unknown;
}

/**
 * The one error type jot throws. Narrow on `code`.
 *
 * @example
 * ```ts
 * import { JotError, verifyJwt } from 'jotjs';
 * try {
 *   await verifyJwt(token, publicKey, { algorithms: ['ES256'] });
 * } catch (e) {
 *   if (e instanceof JotError && e.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') console.warn(e.toJSON());
 *   throw e;
 * }
 * ```
 */
export class JotError extends Error {
  /** The stable error code: branch on it, never on the message. */
  readonly code: JotErrorCode;

  constructor(code: JotErrorCode, message: string, options?: JotErrorOptions) {
    const cause = readCause(options);
    super(typeof message === 'string' ? message : '', cause === undefined ? undefined : { cause });
    this.code = code;
    this.name = 'JotError';
    // Checked after super(), so that the refusal itself is a JotError: a code outside the union, a non-string message.
    if (typeof code !== 'string' || !CODES.has(code) || typeof message !== 'string') {
      throw new JotError('ERR_INVALID_OPTION', 'a JotError needs a documented code and a string message');
    }
  }

  /** A JSON form without stack or cause: safe to log. */
  toJSON(): { name: string; code: JotErrorCode; message: string } {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/**
 * A claim check failed (`ERR_JWT_CLAIM_VALIDATION_FAILED`) or the token expired (`ERR_JWT_EXPIRED`).
 * `payload` is the verified claims set: claims are checked only after the signature verified.
 *
 * @example
 * ```ts
 * import { JwtClaimError, verifyJwt } from 'jotjs';
 * try {
 *   await verifyJwt(token, publicKey, { algorithms: ['ES256'], audience: 'api' });
 * } catch (e) {
 *   if (e instanceof JwtClaimError && e.claim === 'exp') return refresh(e.payload.sub); // expired: signature was good
 *   throw e;
 * }
 * ```
 */
export class JwtClaimError extends JotError {
  /** The claim that failed (`exp`, `aud`, ...). */
  readonly claim: ClaimName;
  /** Why it failed. */
  readonly reason: ClaimReason;
  /** The verified claims set (not enumerable, so it stays out of JSON and logs). */
  declare readonly payload: Readonly<Record<string, unknown>>;

  constructor(
    code: 'ERR_JWT_CLAIM_VALIDATION_FAILED' | 'ERR_JWT_EXPIRED',
    claim: ClaimName,
    reason: ClaimReason,
    payload: Readonly<Record<string, unknown>>,
    message?: string,
  ) {
    const valid =
      (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' || code === 'ERR_JWT_EXPIRED') &&
      typeof claim === 'string' &&
      typeof reason === 'string' &&
      typeof payload === 'object' &&
      payload !== null &&
      (message === undefined || typeof message === 'string');
    super(valid ? code : 'ERR_INVALID_OPTION', valid ? (message ?? `"${claim}" claim check failed: ${reason}`) : '-');
    if (!valid)
      throw new JotError('ERR_INVALID_OPTION', 'a JwtClaimError needs a claim code, claim, reason and payload');
    this.name = 'JwtClaimError';
    this.claim = claim;
    this.reason = reason;
    // Not enumerable: keeps claims out of JSON.stringify(err) and util.inspect-based logs.
    Object.defineProperty(this, 'payload', { value: payload, enumerable: false, writable: false });
  }

  /** A JSON form without stack, cause or payload: safe to log. */
  override toJSON(): { name: string; code: JotErrorCode; message: string; claim: string; reason: string } {
    return { name: this.name, code: this.code, message: this.message, claim: this.claim, reason: this.reason };
  }
}

/**
 * `true` when `e` is a JotError, optionally with the given code.
 *
 * @example
 * ```ts
 * import { isJotError, verifyJwt } from 'jotjs';
 * const result = await verifyJwt(token, publicKey, { algorithms: ['ES256'] }).catch((e: unknown) => {
 *   if (isJotError(e, 'ERR_JWT_EXPIRED')) return undefined; // ask the client to refresh
 *   throw e;
 * });
 * ```
 */
export function isJotError(e: unknown, code?: JotErrorCode): e is JotError {
  try {
    return e instanceof JotError && (code === undefined || e.code === code);
  } catch {
    return false; // a Proxy whose getPrototypeOf trap throws is no JotError
  }
}

/** Internal shorthand: build a JotError. */
export function err(code: JotErrorCode, message: string, cause?: unknown): JotError {
  return new JotError(code, message, cause === undefined ? undefined : { cause });
}
