/**
 * jot: JSON Web Tokens and the JOSE family (JWS, JWE, JWK, JWT) for Node.js,
 * secure by construction. This module only re-exports.
 *
 * @packageDocumentation
 */
export * from './alg/index.js';
export { ERROR_CODES, isJotError, JotError, type JotErrorCode, JwtClaimError } from './errors.js';
export type { ClaimName, ClaimReason, JotErrorOptions } from './errors.js';
export * from './jwe/index.js';
export * from './jws/index.js';
export * from './jwt/index.js';
export * from './key/index.js';
export * from './keyset/index.js';
