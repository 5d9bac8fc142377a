import type { HashName, JwsAlgorithm } from '../alg/jws.js';
import type { Certificate } from './cert.js';
import type { MlDsaParameters } from '../alg/ml-dsa.js';

/**
 * The crypto interface: every cryptographic operation jot performs goes through one of these per-feature
 * interfaces. Two implementations exist, module for module: `crypto/node/` (node:crypto, node:zlib, node:buffer) and
 * `crypto/web/` (globalThis.crypto.subtle, CompressionStream). Shared code imports an implementation by its feature
 * name, `#crypto/<feature>` (`sig`, `jwe`, `keys`, `generate`, `zip`, `digest`, `sync-digest`, `bytes`, `ml-dsa`), and the one
 * registry, the `imports` map of package.json, resolves that name per runtime through export conditions (`browser`,
 * `worker`, `deno`, `workerd`, `edge-light`: web; anything else: node). A bundle therefore holds only the features
 * its functions use, and the node hot path calls its implementation directly. Keys reaching an implementation have
 * passed the algorithm and key policy checks.
 */

/** Key material the implementations share with jot's own code. Never exposed to users. @internal */
export interface KeyHandle {
  /** The backend's key: a node `KeyObject`, or the WebCrypto implementation's key record. */
  readonly native: unknown;
  /** The backend's public half of a private key (derived once). */
  readonly publicNative?: unknown;
  /** Raw bytes of an `oct` key. */
  readonly secret?: Uint8Array;
  /** RSA modulus length in bits. */
  readonly modulusBits?: number;
  /** An id-RSASSA-PSS key (PSS only, never RSA encryption). */
  readonly rsaPss?: true;
  /** For an id-RSASSA-PSS key restricted to one hash: that hash. */
  readonly pssHash?: string;
  /** For a `dir` key from a JWK whose `alg` named a content encryption algorithm: that algorithm, the only one. */
  readonly dirEnc?: string;
  /** An `AKP` (ML-DSA) key: its parameter set, public key and, for a private key, the 32-byte seed. */
  readonly akp?: AkpMaterial;
}

/** The material of an `AKP` key (RFC 9964). Bound to exactly one parameter set. @internal */
export interface AkpMaterial {
  /** The JOSE `alg`, which is the parameter set: `ML-DSA-44`, `ML-DSA-65` or `ML-DSA-87`. */
  readonly alg: string;
  /** The public key (`pub`). */
  readonly pub: Uint8Array;
  /** The private seed (`priv`, 32 bytes), for a private key only. */
  readonly seed?: Uint8Array;
}

type Data = Uint8Array | string;

/** JWS signatures and MACs (`#crypto/sig`). */
export interface SigBackend {
  readonly name: 'node' | 'web';
  /** True when the `*Sync` operations exist (node:crypto); on WebCrypto they throw `ERR_JOSE_NOT_SUPPORTED`. */
  readonly sync: boolean;
  /** JWS signature over `data` (bytes, or an ASCII string such as the compact signing input). */
  sign(alg: JwsAlgorithm, key: KeyHandle, data: Data): Promise<Uint8Array>;
  signSync(alg: JwsAlgorithm, key: KeyHandle, data: Data): Uint8Array;
  /** JWS verification; the signature already has the exact length and form the algorithm requires. */
  verify(alg: JwsAlgorithm, key: KeyHandle, data: Data, signature: Uint8Array): Promise<boolean>;
  verifySync(alg: JwsAlgorithm, key: KeyHandle, data: Data, signature: Uint8Array): boolean;
}

/**
 * An optional capability beyond {@link SigBackend}: a synchronous signature returned as base64url text. node encodes
 * it natively (`digest('base64url')`), sparing a compact signer the bytes-then-text round trip that costs as much as
 * an HMAC. Callers feature-test it ({@link signsToText}).
 */
export interface SignsToText {
  signSyncB64u(alg: JwsAlgorithm, key: KeyHandle, data: Data): string;
}

/** Does this signature implementation have the {@link SignsToText} capability? */
export function signsToText(b: SigBackend): b is SigBackend & SignsToText {
  return typeof (b as Partial<SignsToText>).signSyncB64u === 'function';
}

/** Hashing and random bytes (`#crypto/digest`). */
export interface DigestBackend {
  randomBytes(length: number): Uint8Array;
  /** Constant-time equality of two byte strings (false for different lengths, which are public). */
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
  digest(hash: HashName | 'sha1', data: Uint8Array | string): Promise<Uint8Array>;
}

/**
 * Synchronous SHA-256 and HMAC-SHA-256 (`#crypto/sync-digest`; strings as UTF-8): node:crypto, or plain JavaScript
 * on WebCrypto, which hashes only asynchronously. For the small digests of the request path, synchronous on node
 * (DPoP `ath`, replay ids, the server nonce's MAC). A feature of its own, so that bundles without these paths (a
 * verifier) carry no JavaScript SHA-256.
 */
export interface SyncDigestBackend {
  sha256(data: Uint8Array | string): Uint8Array;
  /** {@link SyncDigestBackend.sha256} as base64url text (node encodes natively, sparing a bytes-to-text round trip). */
  sha256B64u(data: Uint8Array | string): string;
  hmacSha256(key: Uint8Array, data: Uint8Array | string): Uint8Array;
}

/** Raw DEFLATE for JWE `zip: "DEF"` (`#crypto/zip`). */
export interface ZipBackend {
  deflateRaw(data: Uint8Array): Promise<Uint8Array>;
  /** Inflate at most `maxBytes`: `'limit'` beyond it, `undefined` for a corrupt stream. */
  inflateRaw(data: Uint8Array, maxBytes: number): Promise<Uint8Array | 'limit' | undefined>;
}

/** A JWK as the implementations exchange it: string members only (validated by key/jwk.ts first). */
export type JwkMembers = { kty: string } & Partial<Record<string, string>>;

/** What an implementation learned from key material it parsed; key/import.ts validates it (pure checks). */
export interface KeyDescription {
  readonly native: unknown;
  readonly publicNative?: unknown;
  readonly kind: 'secret' | 'public' | 'private';
  /** The key's algorithm family, lowercase (`rsa`, `rsa-pss`, `ec`, `ed25519`, `ed448`, `x25519`, `x448`, ...). */
  readonly type: string;
  readonly secret?: Uint8Array;
  /** RSA: modulus length in bits, public exponent, and the modulus (for the ROCA test; absent for RSA-PSS keys). */
  readonly modulusBits?: number;
  readonly publicExponent?: bigint;
  readonly modulus?: bigint;
  /** id-RSASSA-PSS restrictions. */
  readonly pssHash?: string;
  readonly mgf1Hash?: string;
  /** EC: the JOSE curve name, or undefined when the curve is not one jot knows. */
  readonly crv?: string;
  /** OKP: the public key bytes. */
  readonly x?: Uint8Array;
  /** An ML-DSA key held by a native object: its DER, for the shared AKP parser. */
  readonly mlDsaDer?: { der: Uint8Array; kind: 'spki' | 'pkcs8' };
}

/**
 * Key import and export (`#crypto/keys`). Methods that can only be asynchronous on a runtime return a promise there;
 * the synchronous internal import refuses such material with `ERR_JOSE_NOT_SUPPORTED`.
 */
export interface KeyBackend {
  readonly name: 'node' | 'web';
  fromSecret(bytes: Uint8Array): KeyDescription;
  /** A PEM document's DER, by its label (`PUBLIC KEY`, `PRIVATE KEY`, `CERTIFICATE`, `RSA ...`, `EC PRIVATE KEY`). */
  fromPem(label: string, text: string, der: Uint8Array): KeyDescription | Promise<KeyDescription>;
  /** A validated JWK (public members only when `isPrivate` is false). */
  fromJwk(jwk: JwkMembers, isPrivate: boolean): KeyDescription | Promise<KeyDescription>;
  /** A runtime key object (node `KeyObject`, WebCrypto `CryptoKey`); undefined for anything else. */
  fromNative(material: unknown): KeyDescription | Promise<KeyDescription> | undefined;
  /**
   * The public point of an EC private scalar, as JWK coordinates (base64url); undefined when the implementation
   * checks a private key against its public part itself, before the key's first use (WebCrypto).
   */
  ecPublicOf(crv: string, d: Uint8Array): { x: string; y?: string } | undefined;
  /** The public key of an OKP private key (base64url `x`); undefined as for {@link KeyBackend.ecPublicOf}. */
  okpPublicOf(d: KeyDescription): { x: string; y?: string } | undefined;
  /**
   * Wait until the key is usable: the implementation's own checks and imports done (WebCrypto imports lazily and
   * checks a private key against its public part). Rejects with a JotError. Absent where import is synchronous.
   */
  settle?(h: KeyHandle): Promise<void>;
  /** The JWK members of an asymmetric key (private members only with `includePrivate`). */
  exportJwk(h: KeyHandle, includePrivate: boolean): JwkMembers | Promise<JwkMembers>;
  /** SPKI (public) or PKCS#8 (private) PEM of an asymmetric key. */
  exportPem(h: KeyHandle, isPrivate: boolean): string | Promise<string>;
}

/** A generated key pair's material, described like imported material. */
export interface GeneratedPair {
  privateKey: KeyDescription;
  publicKey: KeyDescription;
}

/** Key generation (`#crypto/generate`). */
export interface GenerateBackend {
  /** RSA of `modulusLength` bits, e = 65537. */
  rsa(modulusLength: number): Promise<GeneratedPair>;
  /** EC on a JOSE curve (`P-256`, ...), or an OKP key (`Ed25519`, `X25519`, ...). */
  curve(crv: string): Promise<GeneratedPair>;
}

/** What an ML-DSA operation returns: the value itself from a synchronous provider, a promise from WebCrypto. */
export type MlDsaResult<S extends boolean, T> = S extends true ? T : Promise<T>;

/**
 * An ML-DSA implementation. `sync: true` (node:crypto, the pure-JS package) returns results directly, so that
 * `signSync`/`verifySync` work once it is loaded; `sync: false` (a runtime's WebCrypto ML-DSA) returns promises and
 * serves the async API only. `MlDsaProvider` alone is either kind: await its results.
 */
export interface MlDsaProvider<S extends boolean = boolean> {
  readonly name: string;
  readonly sync: S;
  /** The public key of a 32-byte seed (FIPS 204 ML-DSA.KeyGen_internal). */
  publicFromSeed(p: MlDsaParameters, seed: Uint8Array): MlDsaResult<S, Uint8Array>;
  /** A signature (hedged, empty context) with the key of `seed`, whose public key is `pub`. */
  sign(p: MlDsaParameters, seed: Uint8Array, pub: Uint8Array, data: Uint8Array): MlDsaResult<S, Uint8Array>;
  /** Verification; false, never a throw (nor a rejection), for any bad signature. */
  verify(p: MlDsaParameters, pub: Uint8Array, data: Uint8Array, signature: Uint8Array): MlDsaResult<S, boolean>;
}

/**
 * The platform half of X.509 chain validation (`#crypto/x509`); the policy (names, validity, constraints, usages,
 * anchors) is shared code over crypto/cert.ts. `signedBy` answers synchronously on node (X509Certificate) and with a
 * promise on WebCrypto.
 */
export interface X509Backend {
  readonly name: 'node' | 'web';
  /** The platform's own reading of a certificate must succeed too (node: OpenSSL's); throws `ERR_KEY_INVALID`. */
  accept(der: Uint8Array): void;
  /** The DER of a platform certificate object passed as a trust anchor (node: an `X509Certificate`), else undefined. */
  nativeDer(value: unknown): Uint8Array | undefined;
  /**
   * Is `child`'s signature made with `issuer`'s key under `child`'s signature algorithm? False on any mismatch;
   * `ERR_JOSE_NOT_SUPPORTED` for a signature algorithm the platform lacks.
   */
  signedBy(child: Certificate, issuer: Certificate): boolean | Promise<boolean>;
  /** The certificate's public key, as key material `importKeySync` reads. */
  publicKey(cert: Certificate): unknown;
}
