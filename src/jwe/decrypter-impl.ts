import type { KeyManagementAlgorithm } from '../alg/jwe.js';
import { jwe as jweBackend } from '#crypto/jwe';
import { err } from '../errors.js';
import type { KeyResolver } from '../jws/policy.js';
import { assertJweKey } from '../key/jwe-policy.js';
import type { Key, KeyHandle } from '../key/key.js';
import { callerError } from '../options.js';
import { decryptContent } from './content.js';
import { decryptCompactWith, ownBytes } from './decrypt.js';
import type { JweDecrypter } from './decrypter.js';
import { unwrapCek } from './key-management.js';
import { type HeaderMemo, type ParsedJwe, parseCompactJwe } from './parse.js';
import { assertKeyManagementAllowed, decryptionFailed, type JwePolicy } from './policy.js';
import type { CompactDecryptResult } from './types.js';
import { inflateRawBounded } from './zip.js';

// The work of createDecrypter's decrypters, loaded with the rest of the JWE machinery on the first decrypt().

function rejectCaller(e: unknown): never {
  throw callerError(e);
}

/** A decrypter asking `resolver` for every token. @internal */
export function resolverDecrypter(resolver: KeyResolver, policy: JwePolicy): JweDecrypter {
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

/** A decrypter with one key, checked against the key policy once per algorithm. @internal */
export function fixedKeyDecrypter(key: Key, policy: JwePolicy): JweDecrypter {
  // The key policy depends on the key and the algorithm only: checked once per algorithm (a failure is not kept).
  const handles = new Map<string, KeyHandle>();
  // Tokens of one sender share a protected header: parsed once (results carry it deep-frozen, as createVerifier's).
  const headers: HeaderMemo = new Map();
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
    const cek = ok ? unwrapped : jweBackend.randomBytes(p.enc.keyBytes);
    return decryptContent(p.enc, cek, p.iv, p.ciphertext, p.tag, p.aad).then(async (plaintext) => {
      if (!ok || plaintext === undefined) throw decryptionFailed();
      const out = p.zip ? await inflateRawBounded(plaintext, policy.maxDecompressedBytes) : plaintext;
      return { plaintext: ownBytes(out), protectedHeader: p.protectedHeader, key };
    });
  };

  return {
    decrypt(jwe: string): Promise<CompactDecryptResult> {
      try {
        const p = parseCompactJwe(jwe, policy, headers);
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
