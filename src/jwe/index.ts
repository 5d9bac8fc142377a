export { decryptCompact, decryptJson, encryptCompact, encryptJson } from './api.js';
export { type CreateDecrypterOptions, createDecrypter, type JweDecrypter } from './decrypter.js';
export type { CompactEncryptOptions } from './encrypt.js';
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
