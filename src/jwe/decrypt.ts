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
 * The bytes as a plain Uint8Array over an ArrayBuffer of their own: a view that spans its whole buffer (the output
 * of a decipher is one) is handed out as is, anything else is copied, since node's Buffers may be views into a
 * shared pool that also holds key bytes. @internal
 */
export function ownBytes(bytes: Uint8Array): Uint8Array {
  const buffer = bytes.buffer;
  if (bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength && buffer instanceof ArrayBuffer) {
    return new Uint8Array(buffer, 0, bytes.byteLength);
  }
  return new Uint8Array(bytes);
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
    return { plaintext: ownBytes(plaintext), recipient, key: found.key };
  }
  throw failure!;
}

/** The implementation of the public decryptCompact of ./api.ts (which documents it), loaded on first use. @internal */
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

/** The implementation of the public decryptJson of ./api.ts (which documents it), loaded on first use. @internal */
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
