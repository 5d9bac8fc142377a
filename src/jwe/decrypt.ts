import { jwe as jweBackend } from '#crypto/jwe';
import { err, JotError } from '../errors.js';
import { isKey, type Key, keyHandle } from '../key/key.js';
import type { KeyResolver } from '../jws/policy.js';
import { decryptContent } from './content.js';
import { unwrapCek } from './key-management.js';
import { assertJweKey } from '../key/jwe-policy.js';
import { type ParsedJwe, type ParsedRecipient, parseCompactJwe, parseJsonJwe } from './parse.js';
import { assertKeyManagementAllowed, compileJwePolicy, decryptionFailed, type JwePolicy } from './policy.js';
import type { CompactDecryptResult, FlattenedJWE, GeneralJWE, JsonDecryptResult, JweDecryptOptions } from './types.js';
import { inflateRawBounded } from './zip.js';
import { callerError } from '../options.js';

function checkedKey(key: unknown): Key {
  if (key === undefined || key === null || key === false || key === '') {
    throw err('ERR_JWKS_NO_MATCHING_KEY', 'no key for this token');
  }
  if (!isKey(key)) keyHandle(key); // throws ERR_KEY_INVALID
  return key as Key;
}

async function resolveKey(resolver: KeyResolver, r: ParsedRecipient, token: unknown): Promise<Key> {
  let key: unknown;
  try {
    key = await resolver(structuredClone(r.joseHeader), token);
  } catch (cause) {
    if (cause instanceof JotError) throw cause;
    throw err('ERR_KEY_INVALID', 'the key resolver failed', cause);
  }
  return checkedKey(key);
}

/** Policy and key for one recipient, then the CEK and the content: the plaintext or the one failure. */
async function attempt(p: ParsedJwe, r: ParsedRecipient, keyOrResolver: unknown, policy: JwePolicy, token: unknown) {
  assertKeyManagementAllowed(r.alg, policy);
  // A fixed key is checked here and now; only a resolver is awaited. Likewise below: only real work is awaited.
  const key =
    typeof keyOrResolver === 'function'
      ? await resolveKey(keyOrResolver as KeyResolver, r, token)
      : checkedKey(keyOrResolver);
  if (policy.keyManagement === undefined && key.alg === undefined) {
    throw err('ERR_INVALID_OPTION', 'pass options.keyManagementAlgorithms, or a key bound to one algorithm');
  }
  const h = assertJweKey(key, r.alg, 'decrypt');
  const pending = unwrapCek(r.alg, p.enc, key, h, r.encryptedKey, r.params);
  const unwrapped = pending instanceof Promise ? await pending : pending;
  // A wrong-length or failed CEK continues with a random one (RFC 7516 section 11.5): one code, one path.
  const ok = unwrapped !== undefined && unwrapped.byteLength === p.enc.keyBytes;
  const cek = ok ? unwrapped : jweBackend.randomBytes(p.enc.keyBytes);
  const plaintext = await decryptContent(p.enc, cek, p.iv, p.ciphertext, p.tag, p.aad);
  if (!ok || plaintext === undefined) throw decryptionFailed();
  return { plaintext, key };
}

/**
 * Decrypt a parsed JWE. Recipients are tried in order; the first that authenticates wins. With several
 * recipients, one that is not allowed or whose key does not fit is skipped; if none decrypts, the error is
 * the decryption failure when any recipient reached cryptography, else the first policy error.
 */
async function decryptParsed(p: ParsedJwe, keyOrResolver: unknown, policy: JwePolicy, token: unknown) {
  if (!policy.content.has(p.enc.name)) {
    throw err('ERR_JOSE_ALG_NOT_ALLOWED', 'the content encryption algorithm is not allowed');
  }
  if (p.zip && !policy.allowZip) throw err('ERR_JOSE_NOT_SUPPORTED', 'compressed JWEs need options.allowZip');
  let failure: JotError | undefined;
  for (const recipient of p.recipients) {
    let found: { plaintext: Uint8Array; key: Key };
    try {
      found = await attempt(p, recipient, keyOrResolver, policy, token);
    } catch (e) {
      if (!(e instanceof JotError)) throw e;
      if (failure === undefined || e.code === 'ERR_JWE_DECRYPTION_FAILED') failure = e;
      continue;
    }
    const plaintext = p.zip ? await inflateRawBounded(found.plaintext, policy.maxDecompressedBytes) : found.plaintext;
    // A copy with its own ArrayBuffer: node's Buffers may be views into a shared pool that also holds key bytes.
    return { plaintext: new Uint8Array(plaintext), recipient, key: found.key };
  }
  throw failure!;
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
export function decryptCompact(
  jwe: string,
  keyOrResolver: Key | KeyResolver,
  options?: JweDecryptOptions,
): Promise<CompactDecryptResult> {
  try {
    return decryptCompactWith(jwe, keyOrResolver, compileJwePolicy(options, keyOrResolver)).catch(rejectCaller);
  } catch (e) {
    return Promise.reject(callerError(e)); // bad options reject, as every failure of this function does
  }
}

function rejectCaller(e: unknown): never {
  throw callerError(e);
}

/** {@link decryptCompact} with a compiled policy (for callers that read their options already). @internal */
export async function decryptCompactWith(
  jwe: string,
  keyOrResolver: Key | KeyResolver,
  policy: JwePolicy,
): Promise<CompactDecryptResult> {
  const p = parseCompactJwe(jwe, policy);
  const { plaintext, key } = await decryptParsed(p, keyOrResolver, policy, jwe);
  return { plaintext, protectedHeader: p.protectedHeader, key };
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
  try {
    const policy = compileJwePolicy(options, keyOrResolver);
    const p = parseJsonJwe(jwe, policy);
    const { plaintext, recipient, key } = await decryptParsed(p, keyOrResolver, policy, jwe);
    const result: JsonDecryptResult = {
      plaintext,
      protectedHeader: p.protectedHeader,
      unprotectedHeader: p.unprotected,
      header: recipient.header,
      key,
    };
    if (p.aadMember !== undefined) result.aad = new Uint8Array(p.aadMember);
    return result;
  } catch (e) {
    throw callerError(e);
  }
}
