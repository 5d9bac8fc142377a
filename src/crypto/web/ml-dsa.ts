import { ML_DSA_PARAMETERS, type MlDsaParameters } from '../../alg/ml-dsa.js';
import { err } from '../../errors.js';
import type { MlDsaProvider } from '../backend.js';
import { bytesFromB64u } from './bytes.js';

// The runtime's own ML-DSA (`#crypto/ml-dsa`, web): WebCrypto's, where the runtime has it (WICG "Modern Algorithms
// in WebCrypto": algorithm names `ML-DSA-44/65/87`, the JOSE `alg` names; keys as `raw-seed` and `raw-public`).
// WebCrypto is asynchronous, so this provider is `sync: false`: it serves the async API (sign, verify, importKey,
// generateKeyPair); the sync API has no ML-DSA on WebCrypto runtimes, as it has no other algorithm there. Where the
// runtime lacks ML-DSA, crypto/ml-dsa.ts falls back to the pure-JS provider.

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

/** No synchronous native ML-DSA on WebCrypto runtimes. */
export function nativeMlDsa(): MlDsaProvider<true> | undefined {
  return undefined;
}

/** A WebCrypto key made from jot's bytes, with the parameter set it was made for. */
interface Made {
  readonly alg: string;
  readonly key: Promise<CryptoKey>;
}

/** WebCrypto keys made once per seed / public key (the bytes of a key's frozen material). */
const made = new WeakMap<Uint8Array, Made>();

/**
 * The WebCrypto key of `bytes` for parameter set `p`. A key made for another parameter set is never reused: WebCrypto
 * binds a key to its algorithm, and so does this cache.
 */
function cryptoKey(p: MlDsaParameters, bytes: Uint8Array, format: 'raw-seed' | 'raw-public'): Promise<CryptoKey> {
  const hit = made.get(bytes);
  if (hit !== undefined && hit.alg === p.alg) return hit.key;
  const usage: KeyUsage = format === 'raw-seed' ? 'sign' : 'verify';
  // The TypeScript DOM library predates the modern formats (`raw-seed`, `raw-public`).
  const key = subtle().importKey(format as 'raw', bytes as BufferSource, { name: p.alg }, false, [usage]);
  made.set(bytes, { alg: p.alg, key });
  // A refused import is not cached: the next call tries again (and fails again, with its own error).
  key.catch(() => made.delete(bytes));
  return key;
}

const webProvider: MlDsaProvider<false> = Object.freeze({
  name: 'webcrypto' as const,
  sync: false as const,
  async publicFromSeed(p: MlDsaParameters, seed: Uint8Array): Promise<Uint8Array> {
    // Extractable only for this one export of the public member; the signing key is made apart, non-extractable.
    const key = await subtle().importKey('raw-seed' as 'raw', seed as BufferSource, { name: p.alg }, true, ['sign']);
    const jwk = (await subtle().exportKey('jwk', key)) as { pub?: unknown };
    const pub = typeof jwk.pub === 'string' ? bytesFromB64u(jwk.pub) : undefined;
    if (pub?.byteLength !== p.publicKeyBytes) {
      throw err('ERR_KEY_INVALID', 'WebCrypto returned an unexpected ML-DSA public key');
    }
    return pub;
  },
  async sign(p: MlDsaParameters, seed: Uint8Array, _pub: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
    // No `context` member: the empty context string (RFC 9964); WebCrypto's ML-DSA signs hedged.
    const sig = new Uint8Array(
      await subtle().sign({ name: p.alg }, await cryptoKey(p, seed, 'raw-seed'), data as BufferSource),
    );
    if (sig.byteLength !== p.sigBytes)
      throw err('ERR_KEY_INVALID', 'WebCrypto returned an unexpected ML-DSA signature');
    return sig;
  },
  async verify(p: MlDsaParameters, pub: Uint8Array, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
    if (pub.byteLength !== p.publicKeyBytes || signature.byteLength !== p.sigBytes) return false;
    try {
      const key = await cryptoKey(p, pub, 'raw-public');
      return (await subtle().verify({ name: p.alg }, key, signature as BufferSource, data as BufferSource)) === true;
    } catch {
      return false;
    }
  },
});

/** Does WebCrypto sign and verify with parameter set `p`? One real key generation, signature and verification. */
async function probe(p: MlDsaParameters): Promise<boolean> {
  const pair = (await subtle().generateKey({ name: p.alg }, false, ['sign', 'verify'])) as CryptoKeyPair;
  const data = globalThis.crypto.getRandomValues(new Uint8Array(8));
  const sig = await subtle().sign({ name: p.alg }, pair.privateKey, data);
  return (await subtle().verify({ name: p.alg }, pair.publicKey, sig, data)) === true;
}

/**
 * WebCrypto's ML-DSA provider when the runtime signs and verifies with all three parameter sets (feature-tested
 * once, by real key generation, signature and verification, never by runtime name or version), else undefined.
 */
export async function asyncNativeMlDsa(): Promise<MlDsaProvider<false> | undefined> {
  try {
    if (typeof globalThis.crypto?.subtle?.generateKey !== 'function') return undefined;
    const ok = await Promise.all(Object.values(ML_DSA_PARAMETERS).map(probe));
    return ok.every(Boolean) ? webProvider : undefined;
  } catch {
    return undefined;
  }
}
