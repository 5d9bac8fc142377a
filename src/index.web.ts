/**
 * `jotjs` on runtimes without node:crypto (browsers, Deno, Cloudflare Workers and other edge runtimes): the same
 * functions over WebCrypto, selected by the package's export conditions (`browser`, `worker`, `deno`, `workerd`,
 * `edge-light`). The issuer key ring is here without its node:http `handler()` (`createKeyRing` returns a
 * `PortableKeyRing`: publish `ring.jwks()` yourself). X.509 chains (`verifyCertificateChain`, `createX5cResolver`)
 * run the node build's checks with WebCrypto signatures and return promises. WebCrypto is asynchronous: the signers and verifiers
 * here have `sign` and `verify` only (`JwtSigner` and `JwtVerifier` are `PortableJwtSigner` and `PortableJwtVerifier`);
 * the `signSync` and `verifySync` that a JavaScript caller finds on them anyway throw `ERR_JOSE_NOT_SUPPORTED`.
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
// Named exports win over the `export *` above: the same functions, typed without their synchronous forms.
export { createSigner, createVerifier, type JwtSigner, type JwtVerifier } from './jwt/web.js';
export * from './key/index.js';
export {
  createLocalJwkSet,
  DEFAULT_MAX_CANDIDATES,
  type JWKS,
  type JwkSetResolver,
  type LocalJwkSetOptions,
  MAX_KID_LENGTH,
} from './keyset/local.js';
export type { FetchFunction } from './keyset/fetch.js';
export {
  createRemoteJwkSet,
  type RemoteJwkSet,
  type RemoteJwkSetEvent,
  type RemoteJwkSetOptions,
} from './keyset/remote.js';
export type { SkippedKey } from './keyset/select.js';
export { discoverIssuer } from './keyset/discovery-api.js';
export type { KeyRingKeyInfo, PortableKeyRing } from './keyset/keyring-core.js';
export type { KeyRingEvent, KeyRingOptions } from './keyset/keyring-options.js';
export { type KeyRingStore, memoryKeyRingStore, type StoredKeyRing } from './keyset/keyring-store.js';
export { createKeyRing } from './keyset/keyring-web.js';
// X.509 chains: the node build's checks, the signatures by WebCrypto (so the key comes as a promise).
export { createX5cResolver, verifyCertificateChain } from './keyset/x509-web.js';
export type { CertificateChainOptions, PlatformCertificate, TrustAnchor, X5cResolverOptions } from './keyset/x509.js';
export type { DiscoveredIssuer, DiscoverIssuerOptions } from './keyset/discovery.js';
