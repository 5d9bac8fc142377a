import type { KeyManagementAlgorithm } from '../alg/jwe.js';
import { jweBackend } from '../crypto/active.js';
import { err } from '../errors.js';
import type { KeyResolver } from '../jws/policy.js';
import { assertJweKey } from '../key/jwe-policy.js';
import type { Key, KeyHandle } from '../key/key.js';
import { callerError, readOptions } from '../options.js';
import { decryptContent } from './content.js';
import { decryptCompactWith, ownBytes } from './decrypt.js';
import { unwrapCek } from './key-management.js';
import { type ParsedJwe, parseCompactJwe } from './parse.js';
import {
  assertKeyManagementAllowed,
  compileReadJwePolicy,
  decryptionFailed,
  JWE_DECRYPT_OPTIONS,
  type JwePolicy,
} from './policy.js';
import type { CompactDecryptResult, JweDecryptOptions } from './types.js';
import { inflateRawBounded } from './zip.js';

/** Options of {@link createDecrypter}: the decrypt options of {@link decryptCompact}, plus the key. */
export interface CreateDecrypterOptions extends JweDecryptOptions {
  /** The private key, secret or key resolver every token is decrypted with. */
  key: Key | KeyResolver;
}

/** A compact-JWE decrypter whose options were checked once (see {@link createDecrypter}). */
export interface JweDecrypter {
  /** {@link decryptCompact} of `jwe` with the compiled options and key. */
  decrypt(jwe: string): Promise<CompactDecryptResult>;
}

const OPTION_NAMES: ReadonlySet<string> = new Set([...JWE_DECRYPT_OPTIONS, 'key']);

function rejectCaller(e: unknown): never {
  throw callerError(e);
}

/**
 * Compile compact-JWE decrypt options once and return a decrypter: the allow-lists turned into sets, the limits
 * read, and a fixed key checked against the key policy once per key management algorithm. Each `decrypt` then does
 * exactly what {@link decryptCompact} does with the same options (the same format rules, limits, allow-lists and
 * one `ERR_JWE_DECRYPTION_FAILED` for every authentication or unwrapping failure), with one promise and no
 * per-call option work. A key resolver is asked for every token, as `decryptCompact` does.
 *
 * @example
 * ```ts
 * import { createDecrypter } from 'jotjs';
 * const decrypter = createDecrypter({ key: privateKey, keyManagementAlgorithms: ['ECDH-ES+A256KW'] });
 * const { plaintext, protectedHeader } = await decrypter.decrypt(jwe);
 * ```
 */
export function createDecrypter(options: CreateDecrypterOptions): JweDecrypter {
  const o = readOptions(options, OPTION_NAMES, 'createDecrypter');
  const key = o.key;
  if (key === undefined) throw err('ERR_INVALID_OPTION', 'createDecrypter() needs { key }');
  const policy = compileReadJwePolicy(o, key);
  if (typeof key === 'function') {
    const resolver = key as KeyResolver;
    return {
      decrypt(jwe: string): Promise<CompactDecryptResult> {
        try {
          return decryptCompactWith(jwe, resolver, policy).catch(rejectCaller);
        } catch (e) {
          return Promise.reject(callerError(e));
        }
      },
    };
  }
  return fixedKeyDecrypter(key as Key, policy);
}

function fixedKeyDecrypter(key: Key, policy: JwePolicy): JweDecrypter {
  // The key policy depends on the key and the algorithm only: checked once per algorithm (a failure is not kept).
  const handles = new Map<string, KeyHandle>();
  const handleFor = (alg: KeyManagementAlgorithm): KeyHandle => {
    let h = handles.get(alg.name);
    if (h === undefined) {
      h = assertJweKey(key, alg, 'decrypt');
      handles.set(alg.name, h);
    }
    return h;
  };

  /** The content, once the CEK is known (RFC 7516 section 11.5: a failed unwrap goes on with a random CEK). */
  const open = (p: ParsedJwe, unwrapped: Uint8Array | undefined): Promise<CompactDecryptResult> => {
    const ok = unwrapped !== undefined && unwrapped.byteLength === p.enc.keyBytes;
    const cek = ok ? unwrapped : jweBackend().randomBytes(p.enc.keyBytes);
    return decryptContent(p.enc, cek, p.iv, p.ciphertext, p.tag, p.aad).then(async (plaintext) => {
      if (!ok || plaintext === undefined) throw decryptionFailed();
      const out = p.zip ? await inflateRawBounded(plaintext, policy.maxDecompressedBytes) : plaintext;
      return { plaintext: ownBytes(out), protectedHeader: p.protectedHeader, key };
    });
  };

  return {
    decrypt(jwe: string): Promise<CompactDecryptResult> {
      try {
        const p = parseCompactJwe(jwe, policy);
        if (!policy.content.has(p.enc.name)) {
          throw err('ERR_JOSE_ALG_NOT_ALLOWED', 'the content encryption algorithm is not allowed');
        }
        if (p.zip && !policy.allowZip) throw err('ERR_JOSE_NOT_SUPPORTED', 'compressed JWEs need options.allowZip');
        const r = p.recipients[0]!;
        assertKeyManagementAllowed(r.alg, policy);
        const pending = unwrapCek(r.alg, p.enc, key, handleFor(r.alg), r.encryptedKey, r.params);
        const result =
          pending instanceof Promise ? pending.then((cek) => open(p, cek)) : open(p, pending as Uint8Array | undefined);
        return result.catch(rejectCaller);
      } catch (e) {
        return Promise.reject(callerError(e));
      }
    },
  };
}
