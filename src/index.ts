/**
 * `jotjs`: JSON Web Tokens and the JOSE family (JWS, JWE, JWK, JWT) for Node.js, secure by construction.
 * Revocation lists are in `jotjs/revocation`.
 *
 * @example
 * ```ts
 * import { generateKeyPair, signJwt, verifyJwt } from 'jotjs';
 * const { privateKey, publicKey } = await generateKeyPair('ES256');
 * const token = await signJwt({ sub: 'user-1' }, privateKey, { issuer: 'https://idp.example', expiresIn: '15m' });
 * const { payload } = await verifyJwt(token, publicKey, { issuer: 'https://idp.example' });
 * ```
 *
 * @packageDocumentation
 */
// This module only re-exports.
export * from './alg/index.js';
export { ERROR_CODES, isJotError, JotError, type JotErrorCode, JwtClaimError } from './errors.js';
export type { ClaimName, ClaimReason, JotErrorOptions } from './errors.js';
export * from './jwe/index.js';
export * from './jws/index.js';
export * from './jwt/index.js';
export * from './key/index.js';
export * from './keyset/index.js';
