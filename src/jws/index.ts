export { type CompactSignOptions, type CompactVerifyResult, signCompact, verifyCompact } from './compact.js';
export type { JoseHeader } from './header.js';
export {
  type FlattenedJWS,
  type GeneralJWS,
  type JsonSigner,
  type JsonVerifyResult,
  type JwsSignature,
  signJson,
  verifyJson,
} from './json.js';
export type { JwsVerifyOptions, KeyResolver } from './policy.js';
