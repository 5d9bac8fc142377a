// Type-level tests of the key set API, checked by `tsc --noEmit`: every set and resolver fits wherever a key does.
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  createKeyRing,
  createLocalJwkSet,
  createRemoteJwkSet,
  createVerifier,
  createX5cResolver,
  type DiscoveredIssuer,
  type JWKS,
  type JwtSigner,
  type KeyResolver,
  verifyCompact,
  verifyJwt,
} from '../../src/index.js';
import type { KeyRingStore } from '../../src/keyring/index.js';

function resolversFitEverywhere(jwks: JWKS, token: string, found: DiscoveredIssuer) {
  const local = createLocalJwkSet(jwks);
  const remote = createRemoteJwkSet('https://idp.example/jwks');
  const x5c = createX5cResolver({ trustAnchors: ['pem'], algorithms: ['ES256'] });
  expectTypeOf(local).toMatchTypeOf<KeyResolver>();
  expectTypeOf(remote).toMatchTypeOf<KeyResolver>();
  expectTypeOf(x5c).toMatchTypeOf<KeyResolver>();
  expectTypeOf(found.keys).toEqualTypeOf(remote);
  expectTypeOf(remote.jwks()).toEqualTypeOf<JWKS | undefined>();
  expectTypeOf(remote.refresh()).toEqualTypeOf<Promise<void>>();
  void verifyJwt(token, remote, { algorithms: found.algorithms });
  void verifyCompact(token, local, { algorithms: ['ES256'] });
  void createVerifier({ key: x5c, algorithms: ['ES256'] });
  // @ts-expect-error a remote set needs a URL
  createRemoteJwkSet();
}

function ringTypes(store: KeyRingStore) {
  const ring = createKeyRing({ alg: 'ES256', store, passphrase: 'a long passphrase here' });
  expectTypeOf(ring.signer()).toEqualTypeOf<JwtSigner>();
  expectTypeOf(ring.sign({ sub: 'x' })).toEqualTypeOf<Promise<string>>();
  expectTypeOf(ring.jwks()).toEqualTypeOf<JWKS>();
  expectTypeOf(ring.keys()[0]!.state).toEqualTypeOf<'next' | 'current' | 'retired'>();
  // @ts-expect-error the ring sets the kid
  createKeyRing({ alg: 'ES256', signer: { kid: 'x' } });
}

describe('key set types', () => {
  it('compile (checked by tsc)', () => {
    expect(typeof resolversFitEverywhere).toBe('function');
    expect(typeof ringTypes).toBe('function');
  });
});
