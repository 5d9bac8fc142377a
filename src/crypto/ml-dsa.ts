import { latin1Bytes } from '#crypto/bytes';
import { asyncNativeMlDsa, nativeMlDsa } from '#crypto/ml-dsa';
import type { JwsAlgorithm } from '../alg/jws.js';
import { type MlDsaParameters, mlDsaOf } from '../alg/ml-dsa.js';
import { err, JotError } from '../errors.js';
import type { AkpMaterial, KeyHandle, MlDsaProvider } from './backend.js';

export type { MlDsaProvider };
import { mlDsaPkcs8, mlDsaSpki, parseMlDsaDer } from './ml-dsa-der.js';

export { mlDsaPkcs8, mlDsaSpki, parseMlDsaDer };

/**
 * ML-DSA (FIPS 204) for JOSE (RFC 9964). Providers chosen by feature test, never by version number: the runtime's
 * own (`#crypto/ml-dsa`: node:crypto where it has ML-DSA, probed once by generating an ML-DSA-44 key and signing with
 * it; on WebCrypto runtimes, WebCrypto's ML-DSA where a real key generation, signature and verification of each
 * parameter set succeed), else the optional peer `@noble/post-quantum`, loaded by dynamic import the first time an
 * ML-DSA key is imported or generated. Signing is hedged (FIPS 204's default: fresh randomness mixed in) with the
 * empty context string. node:crypto and the pure-JS package are synchronous providers (the sync API rests on them);
 * WebCrypto's is asynchronous and serves the async API, which is the only one WebCrypto runtimes have.
 */

/** The package that provides ML-DSA where node:crypto does not. */
export const ML_DSA_PACKAGE = '@noble/post-quantum';

// ---- providers ----

interface NobleDsa {
  keygen(seed?: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array };
  sign(msg: Uint8Array, secretKey: Uint8Array, opts?: { context?: Uint8Array }): Uint8Array;
  verify(sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array, opts?: { context?: Uint8Array }): boolean;
}

function nobleProvider(impl: Readonly<Record<MlDsaParameters['set'], NobleDsa>>): MlDsaProvider<true> {
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
    sync: true as const,
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

let nativeProvider: MlDsaProvider<true> | undefined;

/**
 * Has the runtime's own crypto a synchronous ML-DSA (node:crypto; feature-tested once, by a real key generation and
 * signature)? WebCrypto's asynchronous ML-DSA is found by {@link loadMlDsa} instead. @internal
 */
export function hasNativeMlDsa(): boolean {
  if (native === undefined) {
    nativeProvider = nativeMlDsa();
    native = nativeProvider !== undefined;
  }
  return native;
}

/** The pure-JS provider, loaded on demand whatever the runtime (tests compare it with native). @internal */
export async function loadPureJsMlDsa(): Promise<MlDsaProvider<true>> {
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

/**
 * Load the provider: node:crypto's at once where it has ML-DSA, else WebCrypto's where the runtime's WebCrypto has
 * it (feature-tested once), else the pure-JS package. Rejects with `ERR_JOSE_NOT_SUPPORTED`. @internal
 */
export function loadMlDsa(): Promise<MlDsaProvider> {
  if (loaded !== undefined) return Promise.resolve(loaded);
  if (hasNativeMlDsa()) {
    loaded = nativeProvider!;
    return Promise.resolve(loaded);
  }
  loading ??= (async (): Promise<MlDsaProvider> => (await asyncNativeMlDsa()) ?? loadPureJsMlDsa())().then(
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
 * The provider, synchronously: `ERR_JOSE_NOT_SUPPORTED` when it is not loaded yet or is asynchronous (WebCrypto).
 * Importing or generating an ML-DSA key with the async API loads it, so the sync API works from then on where the
 * provider is synchronous. @internal
 */
export function mlDsaProvider(): MlDsaProvider<true> {
  if (loaded !== undefined) {
    if (loaded.sync) return loaded as MlDsaProvider<true>;
    throw err(
      'ERR_JOSE_NOT_SUPPORTED',
      `WebCrypto's ML-DSA is asynchronous: use the async API (importKey, sign, verify)`,
    );
  }
  if (hasNativeMlDsa()) {
    loaded = nativeProvider!;
    return nativeProvider!;
  }
  throw err(
    'ERR_JOSE_NOT_SUPPORTED',
    `ML-DSA is not loaded yet: import or generate the key with the async API first (it loads ${ML_DSA_PACKAGE})`,
  );
}

/** Is a provider ready for synchronous use? (Never WebCrypto's, which is asynchronous.) @internal */
export function mlDsaReady(): boolean {
  return loaded !== undefined ? loaded.sync : hasNativeMlDsa();
}

/** The public key of a seed, derived for a key made while an asynchronous provider is loaded. @internal */
export interface AkpDerived {
  readonly seed: Uint8Array;
  readonly pub: Uint8Array;
}

/**
 * Derive the public key of `seed` ahead of a synchronous key construction, when the loaded provider is asynchronous
 * (WebCrypto); undefined when it is synchronous (the construction derives it itself, as before). @internal
 */
export async function deriveAhead(p: MlDsaParameters, seed: Uint8Array): Promise<AkpDerived | undefined> {
  const provider = await loadMlDsa();
  if (provider.sync) return undefined;
  const pub = await withMlDsaAsync(() => provider.publicFromSeed(p, seed), 'ML-DSA key derivation failed');
  return Object.freeze({ seed, pub });
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
  checkDerived(m, derived);
}

/** {@link assertConsistent} with an asynchronous provider. */
async function assertConsistentAsync(
  provider: MlDsaProvider,
  p: MlDsaParameters,
  m: AkpMaterial,
  seed: Uint8Array,
): Promise<void> {
  if (consistent.has(m)) return;
  checkDerived(m, await withMlDsaAsync(() => provider.publicFromSeed(p, seed), 'ML-DSA key derivation failed'));
}

function checkDerived(m: AkpMaterial, derived: Uint8Array): void {
  if (!sameBytes(derived, m.pub)) {
    throw err('ERR_KEY_INVALID', 'the AKP "pub" does not belong to its "priv"');
  }
  consistent.add(m);
}

/** Call `f` with the provider, turning an unexpected provider failure into a JotError. @internal */
export function withMlDsa<T>(f: (provider: MlDsaProvider<true>) => T, what: string): T {
  const provider = mlDsaProvider();
  try {
    return f(provider);
  } catch (cause) {
    if (cause instanceof JotError) throw cause;
    throw err('ERR_KEY_INVALID', what, cause);
  }
}

/** {@link withMlDsa} for an asynchronous provider's operation. */
async function withMlDsaAsync<T>(f: () => T | Promise<T>, what: string): Promise<T> {
  try {
    return await f();
  } catch (cause) {
    if (cause instanceof JotError) throw cause;
    throw err('ERR_KEY_INVALID', what, cause);
  }
}

// ---- JWS operations (keys have passed assertJwsKey: bound to this parameter set) ----

type Data = Uint8Array | string;
const bytesOf = (data: Data): Uint8Array => (typeof data === 'string' ? latin1Bytes(data) : data);

/** Equality of public values (no secret involved). @internal */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

function akpOf(key: KeyHandle): AkpMaterial {
  const m = key.akp;
  if (m === undefined) throw err('ERR_KEY_INVALID', 'ML-DSA needs an AKP key');
  return m;
}

/** The checks before any signature, whichever the provider: an AKP private key. */
function signingMaterial(key: KeyHandle): AkpMaterial & { readonly seed: Uint8Array } {
  const m = akpOf(key);
  if (m.seed === undefined) throw err('ERR_KEY_INVALID', 'signing needs a private key');
  return m as AkpMaterial & { readonly seed: Uint8Array };
}

/** Synchronous ML-DSA signature (the provider must be loaded: any async import or generation of the key did). */
export function mlDsaSignSync(alg: JwsAlgorithm, key: KeyHandle, data: Data): Uint8Array {
  const m = signingMaterial(key);
  const p = mlDsaOf(alg);
  assertConsistent(p, m, m.seed);
  return withMlDsa((provider) => provider.sign(p, m.seed, m.pub, bytesOf(data)), 'signing failed');
}

export async function mlDsaSign(alg: JwsAlgorithm, key: KeyHandle, data: Data): Promise<Uint8Array> {
  const provider = await loadMlDsa();
  if (provider.sync) return mlDsaSignSync(alg, key, data);
  const m = signingMaterial(key);
  const p = mlDsaOf(alg);
  await assertConsistentAsync(provider, p, m, m.seed);
  return withMlDsaAsync(() => provider.sign(p, m.seed, m.pub, bytesOf(data)), 'signing failed');
}

/** The checks before any verification, whichever the provider: the key's parameter set and the signature length. */
function verifiable(alg: JwsAlgorithm, key: KeyHandle, signature: Uint8Array): AkpMaterial | undefined {
  const m = akpOf(key);
  const p = mlDsaOf(alg);
  return m.alg !== p.alg || signature.byteLength !== p.sigBytes ? undefined : m;
}

/** Synchronous ML-DSA verification: false for any bad signature. */
export function mlDsaVerifySync(alg: JwsAlgorithm, key: KeyHandle, data: Data, signature: Uint8Array): boolean {
  const m = verifiable(alg, key, signature);
  return m !== undefined && mlDsaProvider().verify(mlDsaOf(alg), m.pub, bytesOf(data), signature);
}

export async function mlDsaVerify(
  alg: JwsAlgorithm,
  key: KeyHandle,
  data: Data,
  signature: Uint8Array,
): Promise<boolean> {
  const provider = await loadMlDsa();
  if (provider.sync) return mlDsaVerifySync(alg, key, data, signature);
  const m = verifiable(alg, key, signature);
  return m !== undefined && (await provider.verify(mlDsaOf(alg), m.pub, bytesOf(data), signature));
}
