export { decryptCompact, decryptJson } from './decrypt.js';
export { type CompactEncryptOptions, encryptCompact, encryptJson } from './encrypt.js';
export type {
  CompactDecryptResult,
  FlattenedJWE,
  GeneralJWE,
  JsonDecryptResult,
  JsonEncryptInput,
  JsonEncryptOptions,
  JsonEncryptRecipient,
  JweDecryptOptions,
  JweHeader,
  JweJsonShared,
  JweRecipient,
} from './types.js';
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
} from '../jwt/encrypted.js';
