/**
 * X.509 chains for the WebCrypto entry: the same checks as keyset/x509.ts (one shared policy over crypto/cert.ts),
 * with the signatures verified by WebCrypto, which is asynchronous: the key comes as a promise.
 */
import type { JoseHeader } from '../jws/header.js';
import type { Key } from '../key/key.js';
import {
  type CertificateChainOptions,
  verifyCertificateChain as verifyChainAnywhere,
  type X5cResolverOptions,
  x5cResolver,
} from './x509.js';

/**
 * Validate an `x5c` chain against your trust anchors (PEM or DER certificates) on WebCrypto: the checks of the node
 * build's `verifyCertificateChain` (signatures, validity at `at`, names, basic constraints and path length, key
 * usage, extended key usage against `purpose`, unknown critical extensions refused, the chain ends at or is issued
 * by an anchor), with RSASSA-PKCS1-v1_5, RSA-PSS, ECDSA (P-256, P-384, P-521) and Ed25519 signatures; another
 * signature algorithm is `ERR_JOSE_NOT_SUPPORTED`. Resolves to the leaf's public key bound to `alg`; a refused
 * chain is `ERR_KEY_INVALID`.
 *
 * @example
 * ```ts
 * import { verifyCertificateChain } from 'jotjs';
 * const caPem = await (await fetch('/idp/ca.pem')).text();
 * const key = await verifyCertificateChain(x5c, { trustAnchors: [caPem], alg: 'ES256' });
 * ```
 */
export async function verifyCertificateChain(x5c: unknown, options: CertificateChainOptions): Promise<Key> {
  return verifyChainAnywhere(x5c, options);
}

/**
 * A key resolver for tokens carrying an `x5c` header, on WebCrypto: the chain is validated as
 * {@link verifyCertificateChain} does and the leaf key is bound to the header's `alg`, which must be in
 * `algorithms`; an `x5t#S256` header, when present, must be the leaf's SHA-256 thumbprint. No `x5c`:
 * `ERR_JWKS_NO_MATCHING_KEY`. Throws `ERR_INVALID_OPTION` for unusable options (the anchors are read here).
 *
 * @example
 * ```ts
 * import { createX5cResolver, verifyJwt } from 'jotjs';
 * const keys = createX5cResolver({ trustAnchors: [caPem], algorithms: ['ES256'] });
 * const { payload } = await verifyJwt(token, keys, { algorithms: ['ES256'], issuer, audience });
 * ```
 */
export function createX5cResolver(options: X5cResolverOptions): (header: JoseHeader) => Promise<Key> {
  const resolve = x5cResolver(options);
  return async (header) => resolve(header);
}
