export {
  type DecryptAndVerifyJwtOptions,
  type DecryptJwtOptions,
  type DecryptJwtResult,
  decryptAndVerifyJwt,
  decryptJwt,
  type EncryptJwtOptions,
  encryptJwt,
  type JwtEncryptionOptions,
  type NestedJwtResult,
  type SignAndEncryptJwtOptions,
  signAndEncryptJwt,
} from './encrypted.js';
export { validateClaims } from './claims.js';
export { type DecodedToken, decodeUnverified } from './decode.js';
export type { Duration } from './duration.js';
export { normalizeMediaType } from './header.js';
export { createSigner, signJwt } from './sign.js';
export type {
  ClaimValidationOptions,
  CreateSignerOptions,
  CreateVerifierOptions,
  IssueClaimsOptions,
  JwtClaims,
  JwtClaimsInput,
  JwtSigner,
  JwtVerifier,
  JwtVerifyResult,
  PortableJwtSigner,
  PortableJwtVerifier,
  RegisteredClaims,
  RevocationChecker,
  SignJwtOptions,
  VerifiedTokenCacheOptions,
  VerifyJwtOptions,
} from './types.js';
export {
  type CreateUnsecuredJwtOptions,
  createUnsecuredJwt,
  type UnsecuredJwtResult,
  type VerifyUnsecuredJwtOptions,
  verifyUnsecuredJwt,
} from './unsecured.js';
export { createVerifier, verifyJwt } from './verify.js';
