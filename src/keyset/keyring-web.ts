import { callerError } from '../options.js';
import { buildKeyRing, type PortableKeyRing } from './keyring-core.js';
import type { KeyRingOptions } from './keyring-options.js';

/**
 * An issuer's key ring on WebCrypto runtimes (browsers, Deno, Cloudflare Workers: the `jotjs` web entry): the same
 * ring as Node's `createKeyRing` (current, next and retired keys, each `kid` the RFC 7638 thumbprint, rotation on a
 * timer, `revokeKey`, sealing at rest with `encryptionKey` or `passphrase`), with the memory store or a
 * {@link KeyRingStore} of your own, and without `handler()`, which serves node:http: publish `ring.jwks()` with
 * `Cache-Control: public, max-age=${ring.maxAge()}` from your runtime's own server. `ring.signer().signSync` throws
 * `ERR_JOSE_NOT_SUPPORTED` here (WebCrypto signs asynchronously); use `ring.sign`. Throws `ERR_INVALID_OPTION` for
 * unusable options.
 *
 * @example
 * ```ts
 * import { createKeyRing } from 'jotjs';
 * const ring = createKeyRing({ alg: 'ES256', signer: { issuer: 'https://idp.example', expiresIn: '15m' } });
 * await ring.ready();
 * const accessToken = await ring.sign({ sub: 'user-1' });
 * const jwks = new Response(JSON.stringify(ring.jwks()), {
 *   headers: { 'content-type': 'application/jwk-set+json', 'cache-control': `public, max-age=${ring.maxAge()}` },
 * });
 * ```
 */
export function createKeyRing(options: KeyRingOptions): PortableKeyRing {
  try {
    return buildKeyRing(options);
  } catch (e) {
    throw callerError(e);
  }
}
