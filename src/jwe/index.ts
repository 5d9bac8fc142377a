export { decryptCompact, decryptJson } from './decrypt.js';
export { type CreateDecrypterOptions, createDecrypter, type JweDecrypter } from './decrypter.js';
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
