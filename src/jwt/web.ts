import { createSigner as createAnySigner } from './sign.js';
import type {
  CreateSignerOptions,
  CreateVerifierOptions,
  JwtClaims,
  PortableJwtSigner,
  PortableJwtVerifier,
} from './types.js';
import { createVerifier as createAnyVerifier } from './verify.js';

// The WebCrypto entry's (src/index.web.ts) view of createSigner and createVerifier: the same functions, typed without
// the synchronous forms, which cannot work on WebCrypto (they throw ERR_JOSE_NOT_SUPPORTED there, and still do for
// a JavaScript caller). Only the declared types differ: each constant is the function itself, with no wrapper.

/** What `createSigner` returns on WebCrypto runtimes: `sign` only (WebCrypto signs asynchronously). */
export type JwtSigner = PortableJwtSigner;

/** What `createVerifier` returns on WebCrypto runtimes: `verify` only (WebCrypto verifies asynchronously). */
export type JwtVerifier<T extends object = JwtClaims> = PortableJwtVerifier<T>;

/**
 * Compile signing options once and return a fast signer: the key is checked and the header encoded up front, each
 * call only serializes the claims and signs. On WebCrypto runtimes signing is asynchronous: the signer has `sign`
 * only.
 *
 * @example
 * ```ts
 * import { createSigner } from 'jotjs';
 * const signer = createSigner({ key: privateKey, issuer: 'https://idp.example', audience: 'api', expiresIn: '15m' });
 * const token = await signer.sign({ sub: 'user-1' });
 * ```
 */
export const createSigner: (options: CreateSignerOptions) => JwtSigner = createAnySigner;

/**
 * Compile verification options once and return a fast verifier: options checked, lists turned into sets, durations
 * into seconds, the key checked once per algorithm, header segments parsed once; with `cache`, successful
 * verifications are remembered per token (claim times and revocation re-checked on every hit). On WebCrypto runtimes
 * verification is asynchronous: the verifier has `verify` only.
 *
 * @example
 * ```ts
 * import { createVerifier } from 'jotjs';
 * const verifier = createVerifier({ key: publicKey, strict: true, issuer: 'https://idp.example', audience: 'api' });
 * const { payload } = await verifier.verify(token);
 * ```
 */
export const createVerifier: <T extends object = JwtClaims>(options: CreateVerifierOptions) => JwtVerifier<T> =
  createAnyVerifier;
