/**
 * Every failure in jot is a {@link JotError} with a stable `code`.
 * Messages never contain tokens, keys, secrets, MACs or plaintext.
 */
export type JotErrorCode =
  | 'ERR_JWS_INVALID'
  | 'ERR_JWE_INVALID'
  | 'ERR_JWT_INVALID'
  | 'ERR_JWK_INVALID'
  | 'ERR_JWKS_INVALID'
  | 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
  | 'ERR_JWE_DECRYPTION_FAILED'
  | 'ERR_JOSE_ALG_NOT_ALLOWED'
  | 'ERR_JOSE_NOT_SUPPORTED'
  | 'ERR_KEY_INVALID'
  | 'ERR_JWT_EXPIRED'
  | 'ERR_JWT_CLAIM_VALIDATION_FAILED'
  | 'ERR_JWT_REVOKED'
  | 'ERR_JWKS_NO_MATCHING_KEY'
  | 'ERR_JWKS_MULTIPLE_MATCHING_KEYS'
  | 'ERR_JWKS_TIMEOUT'
  | 'ERR_JWKS_FETCH_FAILED'
  | 'ERR_INVALID_OPTION'
  | 'ERR_LIMIT_EXCEEDED'
  | 'ERR_REVOCATION_STORE_UNAVAILABLE'
  | 'ERR_KEYRING_STORE_UNAVAILABLE';

/** All error codes, for documentation and exhaustive tests. */
export const ERROR_CODES: readonly JotErrorCode[] = Object.freeze([
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
]);

/** Claim names reported by claim-validation failures. */
export type ClaimName = 'exp' | 'nbf' | 'iat' | 'iss' | 'aud' | 'sub' | 'jti' | 'typ' | (string & {});

/** Why a claim failed: `missing`, `invalid` (wrong JSON type or value), `mismatch`, or a time reason. */
export type ClaimReason = 'missing' | 'invalid' | 'mismatch' | 'expired' | 'not_yet_valid' | 'too_old' | 'future';

export interface JotErrorOptions {
  cause?: unknown;
}

/** The one error type jot throws. Narrow on `code`. */
export class JotError extends Error {
  readonly code: JotErrorCode;

  constructor(code: JotErrorCode, message: string, options?: JotErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = 'JotError';
  }

  /** A JSON form without stack or cause: safe to log. */
  toJSON(): { name: string; code: JotErrorCode; message: string } {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/**
 * A claim check failed (`ERR_JWT_CLAIM_VALIDATION_FAILED`) or the token expired (`ERR_JWT_EXPIRED`).
 * `payload` is the verified claims set: claims are checked only after the signature verified.
 */
export class JwtClaimError extends JotError {
  readonly claim: ClaimName;
  readonly reason: ClaimReason;
  declare readonly payload: Readonly<Record<string, unknown>>;

  constructor(
    code: 'ERR_JWT_CLAIM_VALIDATION_FAILED' | 'ERR_JWT_EXPIRED',
    claim: ClaimName,
    reason: ClaimReason,
    payload: Readonly<Record<string, unknown>>,
    message?: string,
  ) {
    super(code, message ?? `"${claim}" claim check failed: ${reason}`);
    this.name = 'JwtClaimError';
    this.claim = claim;
    this.reason = reason;
    // Not enumerable: keeps claims out of JSON.stringify(err) and util.inspect-based logs.
    Object.defineProperty(this, 'payload', { value: payload, enumerable: false, writable: false });
  }

  override toJSON(): { name: string; code: JotErrorCode; message: string; claim: string; reason: string } {
    return { name: this.name, code: this.code, message: this.message, claim: this.claim, reason: this.reason };
  }
}

/** `true` when `e` is a JotError, optionally with the given code. */
export function isJotError(e: unknown, code?: JotErrorCode): e is JotError {
  return e instanceof JotError && (code === undefined || e.code === code);
}

/** Internal shorthand: build a JotError. */
export function err(code: JotErrorCode, message: string, cause?: unknown): JotError {
  return new JotError(code, message, cause === undefined ? undefined : { cause });
}
