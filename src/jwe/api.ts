import type { KeyResolver } from '../jws/policy.js';
import type { Key } from '../key/key.js';
import type { CompactEncryptOptions } from './encrypt.js';
import { loadDecrypt, loadEncrypt } from './lazy.js';
import type {
  CompactDecryptResult,
  FlattenedJWE,
  GeneralJWE,
  JsonDecryptResult,
  JsonEncryptInput,
  JsonEncryptOptions,
  JweDecryptOptions,
  JweHeader,
} from './types.js';

// The public JWE functions. Each loads the JWE machinery (./encrypt.js, ./decrypt.js) on its first call, so that
// importing jot does not (issue 19: cold start); the work and every check are those of the loaded modules.

/**
 * Encrypt `plaintext` as a compact JWE (RFC 7516 section 7.1). The protected header carries `alg`, `enc`
 * and optionally `zip: "DEF"` (compression happens only when asked), `kid`, `typ`, `cty`, `apu`/`apv`
 * (ECDH-ES) or `p2c` (PBES2, default 10,000). Generated parameters (`epk`, `iv`, `tag`, `p2s`) are added.
 *
 * @example
 * ```ts
 * import { encryptCompact } from 'jotjs';
 * const jwe = await encryptCompact('secret', { alg: 'ECDH-ES+A256KW', enc: 'A256GCM' }, recipientPublicKey);
 * ```
 */
export async function encryptCompact(
  plaintext: Uint8Array | string,
  protectedHeader: JweHeader,
  key: Key,
  options?: CompactEncryptOptions,
): Promise<string> {
  return (await loadEncrypt()).encryptCompact(plaintext, protectedHeader, key, options);
}

/**
 * Encrypt `plaintext` in the JSON serialization (RFC 7516 section 7.2): general by default, flattened with
 * `options.flattened` (one recipient). `enc` (and `zip`) must be in the protected header; `alg` may be in
 * any header. Header names must be disjoint across the protected, shared and per-recipient headers.
 *
 * @example
 * ```ts
 * import { encryptJson } from 'jotjs';
 * const jwe = await encryptJson(data, {
 *   protectedHeader: { enc: 'A256GCM' },
 *   recipients: [{ header: { alg: 'A256KW', kid: 'k1' }, key: kek1 }, { header: { alg: 'RSA-OAEP-256' }, key: rsa }],
 * });
 * ```
 */
export async function encryptJson(
  plaintext: Uint8Array | string,
  input: JsonEncryptInput,
  options?: JsonEncryptOptions,
): Promise<GeneralJWE | FlattenedJWE> {
  return (await loadEncrypt()).encryptJson(plaintext, input, options);
}

/**
 * Decrypt a compact JWE (RFC 7516 section 7.1). `keyManagementAlgorithms` may be omitted only with a key
 * bound to one algorithm; PBES2 and RSA1_5 must always be listed. Every authentication or unwrapping
 * failure is `ERR_JWE_DECRYPTION_FAILED`.
 *
 * @example
 * ```ts
 * import { decryptCompact } from 'jotjs';
 * const { plaintext } = await decryptCompact(jwe, privateKey, { keyManagementAlgorithms: ['ECDH-ES+A256KW'] });
 * ```
 */
export async function decryptCompact(
  jwe: string,
  keyOrResolver: Key | KeyResolver,
  options?: JweDecryptOptions,
): Promise<CompactDecryptResult> {
  return (await loadDecrypt()).decryptCompact(jwe, keyOrResolver, options);
}

/**
 * Decrypt a JWE in the general or flattened JSON serialization (RFC 7516 section 7.2), given as an object
 * or as JSON text (any object is accepted: its JSON form is what gets checked). The result carries the headers of
 * the recipient that decrypted.
 *
 * @example
 * ```ts
 * import { decryptJson } from 'jotjs';
 * const { plaintext, header } = await decryptJson(jwe, kek, { keyManagementAlgorithms: ['A256KW'] });
 * ```
 */
export async function decryptJson(
  jwe: GeneralJWE | FlattenedJWE | string | object,
  keyOrResolver: Key | KeyResolver,
  options?: JweDecryptOptions,
): Promise<JsonDecryptResult> {
  return (await loadDecrypt()).decryptJson(jwe, keyOrResolver, options);
}
