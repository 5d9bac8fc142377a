import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign as nodeSign,
  verify as nodeVerify,
  randomBytes,
} from 'node:crypto';
import type { JwsAlgorithm } from '../alg/jws.js';
import { type MlDsaParameters, mlDsaOf, mlDsaParametersByOid } from '../alg/ml-dsa.js';
import { type AkpMaterial, type Key, keyHandle } from '../key/key.js';
import { err, JotError } from '../errors.js';
import { bare } from '../encoding/null-prototype.js';

/**
 * ML-DSA (FIPS 204) for JOSE (RFC 9964). Two providers, chosen by feature test, never by version number:
 * node:crypto where the runtime has ML-DSA (probed once by generating an ML-DSA-44 key and signing with it), else
 * the optional peer `@noble/post-quantum`, loaded by dynamic import the first time an ML-DSA key is imported or
 * generated. Signing is hedged (FIPS 204's default: fresh randomness mixed in) with the empty context string.
 */

/** The package that provides ML-DSA where node:crypto does not. */
export const ML_DSA_PACKAGE = '@noble/post-quantum';

/** An ML-DSA implementation. All operations are synchronous, so `signSync`/`verifySync` work once it is loaded. */
export interface MlDsaProvider {
  readonly name: 'node' | typeof ML_DSA_PACKAGE;
  /** The public key of a 32-byte seed (FIPS 204 ML-DSA.KeyGen_internal). */
  publicFromSeed(p: MlDsaParameters, seed: Uint8Array): Uint8Array;
  /** A signature (hedged, empty context) with the key of `seed`, whose public key is `pub`. */
  sign(p: MlDsaParameters, seed: Uint8Array, pub: Uint8Array, data: Uint8Array): Uint8Array;
  /** Verification; false, never a throw, for any bad signature. */
  verify(p: MlDsaParameters, pub: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean;
}

// ---- DER: the two fixed shapes of draft-ietf-lamps-dilithium-certificates (SPKI, seed-only PKCS#8) ----

function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x100) return [0x81, n];
  return [0x82, n >> 8, n & 0xff];
}

function tlv(tag: number, body: Uint8Array): Uint8Array {
  const head = [tag, ...derLength(body.byteLength)];
  const out = new Uint8Array(head.length + body.byteLength);
  out.set(head);
  out.set(body, head.length);
  return out;
}

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
};

/** AlgorithmIdentifier: the OID and no parameters (they MUST be absent). */
const algorithmIdentifier = (p: MlDsaParameters): Uint8Array => tlv(0x30, tlv(0x06, p.oidDer));

/** SubjectPublicKeyInfo DER of an ML-DSA public key. */
export function mlDsaSpki(p: MlDsaParameters, pub: Uint8Array): Uint8Array {
  return tlv(0x30, concat(algorithmIdentifier(p), tlv(0x03, concat(Uint8Array.of(0), pub))));
}

/** PKCS#8 DER of an ML-DSA private key in the seed-only form: privateKey is `[0] IMPLICIT OCTET STRING (SIZE 32)`. */
export function mlDsaPkcs8(p: MlDsaParameters, seed: Uint8Array): Uint8Array {
  return tlv(0x30, concat(Uint8Array.of(0x02, 0x01, 0x00), algorithmIdentifier(p), tlv(0x04, tlv(0x80, seed))));
}

/** A strict reader of one DER element: definite minimal lengths, no trailing bytes where `end` is given. */
class Der {
  at = 0;
  constructor(readonly b: Uint8Array) {}
  read(tag: number): Uint8Array {
    const b = this.b;
    if (b[this.at] !== tag) throw bad();
    let len = b[this.at + 1];
    let at = this.at + 2;
    if (len === undefined) throw bad();
    if (len >= 0x80) {
      const n = len & 0x7f;
      if (n < 1 || n > 2) throw bad();
      len = 0;
      for (let i = 0; i < n; i++) len = (len << 8) | (b[at + i] ?? -1);
      if (len < 0 || (n === 1 && len < 0x80) || (n === 2 && len < 0x100)) throw bad();
      at += n;
    }
    if (at + len > b.byteLength) throw bad();
    this.at = at + len;
    return b.subarray(at, at + len);
  }
  end(): void {
    if (this.at !== this.b.byteLength) throw bad();
  }
}

const bad = () => err('ERR_KEY_INVALID', 'malformed ML-DSA key encoding');

/** The ML-DSA parameter set of an AlgorithmIdentifier, undefined when it names another algorithm. */
function readAlgorithm(outer: Der): MlDsaParameters | undefined {
  const id = new Der(outer.read(0x30));
  const oid = id.read(0x06);
  const p = mlDsaParametersByOid(oid);
  if (p !== undefined) id.end(); // parameters MUST be absent
  return p;
}

/** What an SPKI or PKCS#8 DER holds when it is an ML-DSA key; undefined for any other key (or unparsable text). */
export function parseMlDsaDer(
  der: Uint8Array,
  kind: 'spki' | 'pkcs8',
): { p: MlDsaParameters; pub?: Uint8Array; seed?: Uint8Array } | undefined {
  let outer: Der;
  let p: MlDsaParameters | undefined;
  try {
    const top = new Der(der);
    outer = new Der(top.read(0x30));
    top.end();
    if (kind === 'pkcs8') {
      const version = outer.read(0x02);
      if (version.byteLength !== 1 || (version[0] !== 0 && version[0] !== 1)) return undefined;
    }
    p = readAlgorithm(outer);
  } catch {
    return undefined; // not ours: node:crypto reports on other keys
  }
  if (p === undefined) return undefined;
  if (kind === 'spki') {
    const bits = outer.read(0x03);
    outer.end();
    if (bits[0] !== 0 || bits.byteLength - 1 !== p.publicKeyBytes) {
      throw err('ERR_KEY_INVALID', `an ${p.alg} public key is ${p.publicKeyBytes} bytes`);
    }
    return { p, pub: bits.slice(1) };
  }
  const inner = outer.read(0x04);
  // attributes [0] and a public key [1] (PKCS#8 v2) are not used by ML-DSA keys: refuse them rather than ignore.
  outer.end();
  if (inner[0] !== 0x80) {
    throw err('ERR_JOSE_NOT_SUPPORTED', 'only seed-only ML-DSA private keys are supported (not expandedKey or both)');
  }
  const d = new Der(inner);
  const seed = d.read(0x80);
  d.end();
  if (seed.byteLength !== p.seedBytes) throw err('ERR_KEY_INVALID', 'an ML-DSA seed is 32 bytes');
  return { p, seed: seed.slice() };
}

// ---- providers ----

function nativePrivate(p: MlDsaParameters, seed: Uint8Array): KeyObject {
  return createPrivateKey(
    bare({ key: Buffer.from(mlDsaPkcs8(p, seed)), format: 'der' as const, type: 'pkcs8' as const }),
  );
}

function nativePublic(p: MlDsaParameters, pub: Uint8Array): KeyObject {
  return createPublicKey(bare({ key: Buffer.from(mlDsaSpki(p, pub)), format: 'der' as const, type: 'spki' as const }));
}

/** node:crypto keys made once per seed / public key. */
const nativeKeys = new WeakMap<Uint8Array, KeyObject>();

function cached(bytes: Uint8Array, make: () => KeyObject): KeyObject {
  let k = nativeKeys.get(bytes);
  if (k === undefined) {
    k = make();
    nativeKeys.set(bytes, k);
  }
  return k;
}

const nodeProvider: MlDsaProvider = Object.freeze({
  name: 'node' as const,
  publicFromSeed(p: MlDsaParameters, seed: Uint8Array): Uint8Array {
    const spki = createPublicKey(nativePrivate(p, seed)).export(
      bare({ format: 'der' as const, type: 'spki' as const }),
    );
    const parsed = parseMlDsaDer(new Uint8Array(spki), 'spki');
    if (parsed?.pub === undefined) throw err('ERR_KEY_INVALID', 'node:crypto returned an unexpected ML-DSA key');
    return parsed.pub;
  },
  sign(p: MlDsaParameters, seed: Uint8Array, _pub: Uint8Array, data: Uint8Array): Uint8Array {
    return new Uint8Array(
      nodeSign(
        null,
        data,
        cached(seed, () => nativePrivate(p, seed)),
      ),
    );
  },
  verify(p: MlDsaParameters, pub: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
    try {
      return nodeVerify(
        null,
        data,
        cached(pub, () => nativePublic(p, pub)),
        signature,
      );
    } catch {
      return false;
    }
  },
});

/** Does node:crypto have ML-DSA? One real key generation and signature, never a version number. */
function probeNative(): boolean {
  try {
    const { privateKey, publicKey } = generateKeyPairSync('ml-dsa-44' as 'ed25519');
    const data = randomBytes(8);
    return nodeVerify(null, data, publicKey, nodeSign(null, data, privateKey));
  } catch {
    return false;
  }
}

interface NobleDsa {
  keygen(seed?: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array };
  sign(msg: Uint8Array, secretKey: Uint8Array, opts?: { context?: Uint8Array }): Uint8Array;
  verify(sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array, opts?: { context?: Uint8Array }): boolean;
}

function nobleProvider(impl: Readonly<Record<MlDsaParameters['set'], NobleDsa>>): MlDsaProvider {
  /** Expanded secret keys, made once per seed (the expansion costs about as much as a signature). */
  const expanded = new WeakMap<Uint8Array, Uint8Array>();
  const secretOf = (p: MlDsaParameters, seed: Uint8Array): Uint8Array => {
    let sk = expanded.get(seed);
    if (sk === undefined) {
      sk = impl[p.set].keygen(seed).secretKey;
      expanded.set(seed, sk);
    }
    return sk;
  };
  return Object.freeze({
    name: ML_DSA_PACKAGE,
    publicFromSeed(p: MlDsaParameters, seed: Uint8Array): Uint8Array {
      const { publicKey, secretKey } = impl[p.set].keygen(seed);
      expanded.set(seed, secretKey);
      return publicKey;
    },
    sign(p: MlDsaParameters, seed: Uint8Array, _pub: Uint8Array, data: Uint8Array): Uint8Array {
      // Hedged: noble draws fresh randomness by default; the context is empty (RFC 9964).
      return impl[p.set].sign(data, secretOf(p, seed));
    },
    verify(p: MlDsaParameters, pub: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
      if (pub.byteLength !== p.publicKeyBytes || signature.byteLength !== p.sigBytes) return false;
      try {
        return impl[p.set].verify(signature, data, pub) === true;
      } catch {
        return false;
      }
    },
  });
}

let native: boolean | undefined;
let loaded: MlDsaProvider | undefined;
let loading: Promise<MlDsaProvider> | undefined;

/** Is node:crypto's ML-DSA in use (feature-tested once)? @internal */
export function hasNativeMlDsa(): boolean {
  if (native === undefined) native = probeNative();
  return native;
}

/** The pure-JS provider, loaded on demand whatever the runtime (tests compare it with native). @internal */
export async function loadPureJsMlDsa(): Promise<MlDsaProvider> {
  let mod: { ml_dsa44: NobleDsa; ml_dsa65: NobleDsa; ml_dsa87: NobleDsa };
  try {
    mod = (await import('@noble/post-quantum/ml-dsa.js')) as unknown as typeof mod;
  } catch (cause) {
    throw err(
      'ERR_JOSE_NOT_SUPPORTED',
      `ML-DSA needs node:crypto with ML-DSA or the optional package ${ML_DSA_PACKAGE} (npm install ${ML_DSA_PACKAGE})`,
      cause,
    );
  }
  return nobleProvider({ 'ml-dsa-44': mod.ml_dsa44, 'ml-dsa-65': mod.ml_dsa65, 'ml-dsa-87': mod.ml_dsa87 });
}

/** Load the provider (at once when node:crypto has ML-DSA). Rejects with `ERR_JOSE_NOT_SUPPORTED`. @internal */
export function loadMlDsa(): Promise<MlDsaProvider> {
  if (loaded !== undefined) return Promise.resolve(loaded);
  if (hasNativeMlDsa()) {
    loaded = nodeProvider;
    return Promise.resolve(loaded);
  }
  loading ??= loadPureJsMlDsa().then(
    (p) => {
      loaded = p;
      return p;
    },
    (e: unknown) => {
      loading = undefined; // the package may be installed later
      throw e;
    },
  );
  return loading;
}

/** Start loading without waiting (a public key imported synchronously); a failure surfaces at use. @internal */
export function preloadMlDsa(): void {
  if (loaded === undefined) loadMlDsa().catch(() => undefined);
}

/**
 * The provider, synchronously: `ERR_JOSE_NOT_SUPPORTED` when it is not loaded yet. Importing or generating an
 * ML-DSA key with the async API loads it, so the sync API works from then on. @internal
 */
export function mlDsaProvider(): MlDsaProvider {
  if (loaded !== undefined) return loaded;
  if (hasNativeMlDsa()) {
    loaded = nodeProvider;
    return loaded;
  }
  throw err(
    'ERR_JOSE_NOT_SUPPORTED',
    `ML-DSA is not loaded yet: import or generate the key with the async API first (it loads ${ML_DSA_PACKAGE})`,
  );
}

/** Is a provider ready for synchronous use? @internal */
export function mlDsaReady(): boolean {
  return loaded !== undefined || hasNativeMlDsa();
}

/** Private keys whose `pub` is known to be the one their seed gives. */
const consistent = new WeakSet<AkpMaterial>();

/** Record that a private key's `pub` was derived from (or checked against) its seed. @internal */
export function markConsistent(m: AkpMaterial): void {
  consistent.add(m);
}

/**
 * A private key imported before the provider was loaded (a key ring's store, read synchronously) had its `pub`
 * taken on trust: it is checked against the seed here, once, before its first signature.
 */
function assertConsistent(p: MlDsaParameters, m: AkpMaterial, seed: Uint8Array): void {
  if (consistent.has(m)) return;
  const derived = withMlDsa((provider) => provider.publicFromSeed(p, seed), 'ML-DSA key derivation failed');
  if (!Buffer.from(derived).equals(Buffer.from(m.pub))) {
    throw err('ERR_KEY_INVALID', 'the AKP "pub" does not belong to its "priv"');
  }
  consistent.add(m);
}

/** Call `f` with the provider, turning an unexpected provider failure into a JotError. @internal */
export function withMlDsa<T>(f: (provider: MlDsaProvider) => T, what: string): T {
  const provider = mlDsaProvider();
  try {
    return f(provider);
  } catch (cause) {
    if (cause instanceof JotError) throw cause;
    throw err('ERR_KEY_INVALID', what, cause);
  }
}

// ---- JWS operations (keys have passed assertJwsKey: bound to this parameter set) ----

type Data = Uint8Array | string;
const bytesOf = (data: Data): Uint8Array => (typeof data === 'string' ? Buffer.from(data, 'latin1') : data);

function akpOf(key: Key): AkpMaterial {
  const m = keyHandle(key).akp;
  if (m === undefined) throw err('ERR_KEY_INVALID', 'ML-DSA needs an AKP key');
  return m;
}

/** Synchronous ML-DSA signature (the provider must be loaded: any async import or generation of the key did). */
export function mlDsaSignSync(alg: JwsAlgorithm, key: Key, data: Data): Uint8Array {
  const m = akpOf(key);
  if (m.seed === undefined) throw err('ERR_KEY_INVALID', 'signing needs a private key');
  const seed = m.seed;
  const p = mlDsaOf(alg);
  assertConsistent(p, m, seed);
  return withMlDsa((provider) => provider.sign(p, seed, m.pub, bytesOf(data)), 'signing failed');
}

export async function mlDsaSign(alg: JwsAlgorithm, key: Key, data: Data): Promise<Uint8Array> {
  await loadMlDsa();
  return mlDsaSignSync(alg, key, data);
}

/** Synchronous ML-DSA verification: false for any bad signature. */
export function mlDsaVerifySync(alg: JwsAlgorithm, key: Key, data: Data, signature: Uint8Array): boolean {
  const m = akpOf(key);
  const p = mlDsaOf(alg);
  if (m.alg !== p.alg || signature.byteLength !== p.sigBytes) return false;
  return mlDsaProvider().verify(p, m.pub, bytesOf(data), signature);
}

export async function mlDsaVerify(alg: JwsAlgorithm, key: Key, data: Data, signature: Uint8Array): Promise<boolean> {
  await loadMlDsa();
  return mlDsaVerifySync(alg, key, data, signature);
}
