// Keys, tokens and policies shared by the HTTP tests.
import { createRevocationList, memoryStore, type RevocationList } from '../../src/revocation/index.js';
import { generateKeyPair, JotError, type Key, signJwt } from '../../src/index.js';
import type { Policies } from './_servers.js';

export const ISS = 'https://idp.example';
export const AUD = 'https://api.example';
export const REALM = 'jot-test';
export const DPOP_ALGS = ['ES256', 'EdDSA'];

export interface World {
  issuer: { privateKey: Key; publicKey: Key };
  client: { privateKey: Key; publicKey: Key };
  revocation: RevocationList;
  sign(claims: Record<string, unknown>, options?: Record<string, unknown>): Promise<string>;
}

export async function world(): Promise<World> {
  const issuer = await generateKeyPair('ES256');
  const client = await generateKeyPair('ES256');
  const revocation = createRevocationList({ store: memoryStore(), purgeInterval: 0 });
  return {
    issuer,
    client,
    revocation,
    sign: (claims, options = {}) =>
      signJwt({ sub: 'alice', ...claims }, issuer.privateKey, {
        issuer: ISS,
        audience: AUD,
        expiresIn: 3600,
        jwtId: true,
        typ: 'at+jwt',
        ...options,
      }),
  };
}

/** The key-set fetch error a remote JWK set throws when its server is down. */
export const keySetDown = async (): Promise<Key> => {
  throw new JotError('ERR_JWKS_FETCH_FAILED', 'the JWK set could not be fetched');
};

export function policies(w: World, dpop: Partial<Policies> = {}): Policies {
  const base = { key: w.issuer.publicKey, issuer: ISS, audience: AUD, realm: REALM, typ: 'at+jwt' };
  return {
    bearer: { ...base, revocation: w.revocation },
    down: { ...base, key: keySetDown, algorithms: ['ES256'] },
    dpop: { ...base, dpop: { algorithms: DPOP_ALGS } },
    nonce: { ...base, dpop: { algorithms: DPOP_ALGS, nonce: { lifetime: 600 } } },
    ...dpop,
  };
}
