import { callerError } from '../options.js';
import { buildKeyRing, type PortableKeyRing } from './keyring-core.js';
import { jwksHandler, type JwksRequestHandler } from './keyring-handler.js';
import type { KeyRingOptions } from './keyring-options.js';

export type { KeyRingKeyInfo, PortableKeyRing } from './keyring-core.js';
export type { KeyRingEvent, KeyRingOptions } from './keyring-options.js';

/** An issuer's signing keys, with the node:http handler: see {@link createKeyRing}. */
export interface KeyRing extends PortableKeyRing {
  /** A node:http handler serving `jwks()` with `Cache-Control`, `ETag` and 304s. */
  handler(): JwksRequestHandler;
}

/**
 * An issuer's key ring: the key it signs with now, the next key published ahead of use (at least one
 * `maxAge` before it signs, so every verifier's cached set already lists it), retired keys kept published for
 * `retireAfter` (so tokens signed just before a rotation keep verifying), each `kid` the RFC 7638 thumbprint.
 * Rotation runs every `rotateEvery` on a timer; with a shared store (`jotjs/keyring`: file, SQLite, Redis) one
 * instance writes (a lock with expiry, and a compare-and-set on a version number that fences a stale writer) and
 * the others pick the change up. Private keys are sealed at rest with `encryptionKey` (A256GCMKW) or `passphrase`
 * (PBES2), never written in clear unless `insecurePlaintext: true`.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createKeyRing } from 'jotjs';
 * import { fileKeyRingStore } from 'jotjs/keyring';
 * const passphrase = process.env.RING_PASSPHRASE;
 * if (passphrase === undefined) throw new Error('RING_PASSPHRASE is not set');
 * const ring = createKeyRing({ alg: 'ES256', passphrase, store: fileKeyRingStore({ path: 'ring.json' }),
 *   signer: { issuer: 'https://idp.example', expiresIn: '15m' } });
 * await ring.ready();
 * createServer(ring.handler()).listen(8080); // GET: the public JWKS
 * const accessToken = await ring.sign({ sub: 'user-1' });
 * ```
 */
export function createKeyRing(options: KeyRingOptions): KeyRing {
  try {
    const core = buildKeyRing(options);
    const ring: KeyRing = Object.freeze({ ...core, handler: () => jwksHandler(ring) });
    return ring;
  } catch (e) {
    throw callerError(e);
  }
}
