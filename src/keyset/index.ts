export {
  createLocalJwkSet,
  DEFAULT_MAX_CANDIDATES,
  type JWKS,
  type JwkSetResolver,
  type LocalJwkSetOptions,
  MAX_KID_LENGTH,
} from './local.js';
export type { FetchFunction } from './fetch.js';
export { createRemoteJwkSet, type RemoteJwkSet, type RemoteJwkSetEvent, type RemoteJwkSetOptions } from './remote.js';
export type { SkippedKey } from './select.js';
export { discoverIssuer } from './discovery-api.js';
export type { DiscoveredIssuer, DiscoverIssuerOptions } from './discovery.js';
export { createKeyRing, type KeyRing, type KeyRingKeyInfo, type PortableKeyRing } from './keyring.js';
export type { JwksRequestHandler } from './keyring-handler.js';
export type { KeyRingEvent, KeyRingOptions } from './keyring-options.js';
export { type KeyRingStore, memoryKeyRingStore, type StoredKeyRing } from './keyring-store.js';
export {
  type CertificateChainOptions,
  createX5cResolver,
  type PlatformCertificate,
  type TrustAnchor,
  verifyCertificateChain,
  type X5cResolverOptions,
} from './x509.js';
