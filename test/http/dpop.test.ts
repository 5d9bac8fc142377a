// DPoP (RFC 9449) against a real server of every adapter: the proof checks of section 4.3, replay, nonces, and the
// binding between the access token (cnf.jkt) and the proof key. E07, E08.
import type { OutgoingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenHash, createDpopProof, dpopThumbprint } from '../../src/http/index.js';
import { exportJwk, generateKeyPair, generateSecret, type Key, signCompact } from '../../src/index.js';
import { policies, REALM, type World, world } from './_fixtures.js';
import { send } from './_request.js';
import { ADAPTERS, type Running } from './_servers.js';

const R = `realm="${REALM}"`;
const ALGS = 'algs="ES256 EdDSA"';
const dpopError = (error: string, d: string) => `DPoP ${R}, error="${error}", error_description="${d}", ${ALGS}`;
const INVALID = dpopError('invalid_dpop_proof', 'The DPoP proof is invalid');
const MISMATCH = dpopError('invalid_dpop_proof', 'The DPoP proof does not match the request method or URI');
const b64u = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

let w: World;
let bound: string;
let unbound: string;
let attacker: { privateKey: Key; publicKey: Key };

beforeAll(async () => {
  w = await world();
  attacker = await generateKeyPair('ES256');
  bound = await w.sign({ cnf: { jkt: await dpopThumbprint(w.client.publicKey) } });
  unbound = await w.sign({});
});

/** A proof built by hand, for the hostile ones createDpopProof refuses to make. */
async function handProof(header: Record<string, unknown>, claims: Record<string, unknown>, key: Key): Promise<string> {
  return signCompact(JSON.stringify(claims), header as never, key);
}

describe.each(ADAPTERS)('DPoP with %s', (_name, start) => {
  let s: Running;
  beforeAll(async () => {
    s = await start(policies(w));
  });
  afterAll(async () => {
    await s.close();
  });

  const proof = (o: Partial<Parameters<typeof createDpopProof>[0]> = {}) =>
    createDpopProof({ key: w.client.privateKey, method: 'GET', url: `${s.origin}/dpop`, accessToken: bound, ...o });
  const call = (headers: OutgoingHttpHeaders, path = '/dpop', method = 'GET') => send(s.origin, method, path, headers);
  const expectRefused = async (headers: OutgoingHttpHeaders, challenge: string, path?: string, method?: string) => {
    const a = await call(headers, path, method);
    expect(a.status).toBe(401);
    expect(a.headers['www-authenticate']).toBe(challenge);
    return a;
  };

  it('accepts a valid proof with its bound token (and ignores the query in htu)', async () => {
    const a = await call({ authorization: `DPoP ${bound}`, dpop: await proof() }, '/dpop?page=2');
    expect(a.status).toBe(200);
    expect(JSON.parse(a.body)).toEqual({ sub: 'alice', scheme: 'DPoP' });
    const b = await call({ authorization: `dpop ${bound}`, dpop: await proof({ method: 'POST' }) }, '/dpop', 'POST');
    expect(b.status).toBe(200);
  });

  it('answers a request without credentials with both challenges', async () => {
    const a = await call({});
    expect(a.status).toBe(401);
    expect(a.headers['www-authenticate']).toBe(`Bearer ${R}, DPoP ${R}, ${ALGS}`);
  });

  it('refuses a replayed proof on the same instance', async () => {
    const p = await proof();
    expect((await call({ authorization: `DPoP ${bound}`, dpop: p })).status).toBe(200);
    await expectRefused(
      { authorization: `DPoP ${bound}`, dpop: p },
      dpopError('invalid_dpop_proof', 'The DPoP proof has been used before'),
    );
  });

  it('refuses a wrong htm (another method, or lower case)', async () => {
    await expectRefused({ authorization: `DPoP ${bound}`, dpop: await proof({ method: 'POST' }) }, MISMATCH);
    await expectRefused({ authorization: `DPoP ${bound}`, dpop: await proof({ method: 'get' }) }, MISMATCH);
  });

  it('refuses a wrong htu (path, trailing slash, host, scheme), never matching by prefix', async () => {
    const port = new URL(s.origin).port;
    for (const url of [
      `${s.origin}/dpop/items/1`,
      `${s.origin}/dpop/`,
      `${s.origin}/dp`,
      `http://localhost:${port}/dpop`,
      `https://127.0.0.1:${port}/dpop`,
      `http://127.0.0.1:1/dpop`,
    ]) {
      await expectRefused({ authorization: `DPoP ${bound}`, dpop: await proof({ url }) }, MISMATCH);
    }
    // A proof's htu is sent without query and fragment (RFC 9449 section 4.2): one that has them is refused.
    const pub = await exportJwk(w.client.publicKey);
    for (const htu of [`${s.origin}/dpop?page=2`, `${s.origin}/dpop#top`]) {
      const claims = { jti: `q${htu.length}`, htm: 'GET', htu, iat: now(), ath: accessTokenHash(bound) };
      const p = await handProof({ typ: 'dpop+jwt', alg: 'ES256', jwk: pub }, claims, w.client.privateKey);
      await expectRefused({ authorization: `DPoP ${bound}`, dpop: p }, MISMATCH, '/dpop?page=2');
    }
    // The same URI in another spelling is the same URI (RFC 3986 normalisation).
    const same = `http://127.0.0.1:${port}/%64pop`;
    expect((await call({ authorization: `DPoP ${bound}`, dpop: await proof({ url: same }) })).status).toBe(200);
  });

  it('refuses an ath of another token', async () => {
    await expectRefused(
      { authorization: `DPoP ${bound}`, dpop: await proof({ accessToken: unbound }) },
      dpopError('invalid_dpop_proof', 'The DPoP proof does not match the access token'),
    );
  });

  it('refuses a proof signed by another key than cnf.jkt', async () => {
    await expectRefused(
      { authorization: `DPoP ${bound}`, dpop: await proof({ key: attacker.privateKey }) },
      dpopError('invalid_token', 'Invalid DPoP key binding'),
    );
    // An unbound token sent with a proof is not bound to that proof's key either.
    await expectRefused(
      { authorization: `DPoP ${unbound}`, dpop: await proof({ accessToken: unbound }) },
      dpopError('invalid_token', 'Invalid DPoP key binding'),
    );
  });

  it('refuses a proof whose jwk carries the private key', async () => {
    const jwk = await exportJwk(w.client.privateKey, { includePrivate: true });
    const claims = { jti: 'p1', htm: 'GET', htu: `${s.origin}/dpop`, iat: now(), ath: accessTokenHash(bound) };
    const p = await handProof({ typ: 'dpop+jwt', alg: 'ES256', jwk }, claims, w.client.privateKey);
    await expectRefused({ authorization: `DPoP ${bound}`, dpop: p }, INVALID);
  });

  it('refuses alg none, HMAC proofs, typ JWT and a missing jwk', async () => {
    const claims = { jti: 'p2', htm: 'GET', htu: `${s.origin}/dpop`, iat: now(), ath: accessTokenHash(bound) };
    const pub = await exportJwk(w.client.publicKey);
    const none = `${b64u({ typ: 'dpop+jwt', alg: 'none', jwk: pub })}.${b64u(claims)}.`;
    await expectRefused({ authorization: `DPoP ${bound}`, dpop: none }, INVALID);
    const noneSigned = `${b64u({ typ: 'dpop+jwt', alg: 'none', jwk: pub })}.${b64u(claims)}.AAAA`;
    await expectRefused({ authorization: `DPoP ${bound}`, dpop: noneSigned }, INVALID);
    const secret = await generateSecret('HS256');
    const k = (await exportJwk(secret, { includePrivate: true })) as Record<string, unknown>;
    const hmac = await handProof({ typ: 'dpop+jwt', alg: 'HS256', jwk: { kty: 'oct', k: k.k } }, claims, secret);
    await expectRefused({ authorization: `DPoP ${bound}`, dpop: hmac }, INVALID);
    const hmacEc = await handProof({ typ: 'dpop+jwt', alg: 'HS256', jwk: pub }, claims, secret);
    await expectRefused({ authorization: `DPoP ${bound}`, dpop: hmacEc }, INVALID);
    const jwtTyp = await handProof({ typ: 'JWT', alg: 'ES256', jwk: pub }, claims, w.client.privateKey);
    await expectRefused({ authorization: `DPoP ${bound}`, dpop: jwtTyp }, INVALID);
    const noJwk = await handProof({ typ: 'dpop+jwt', alg: 'ES256' }, claims, w.client.privateKey);
    await expectRefused({ authorization: `DPoP ${bound}`, dpop: noJwk }, INVALID);
    const noJti = await handProof(
      { typ: 'dpop+jwt', alg: 'ES256', jwk: pub },
      { ...claims, jti: undefined },
      w.client.privateKey,
    );
    await expectRefused({ authorization: `DPoP ${bound}`, dpop: noJti }, INVALID);
  });

  it('refuses an old or future iat', async () => {
    const window = dpopError('invalid_dpop_proof', 'The DPoP proof is too old or too far in the future');
    await expectRefused({ authorization: `DPoP ${bound}`, dpop: await proof({ iat: now() - 3600 }) }, window);
    await expectRefused({ authorization: `DPoP ${bound}`, dpop: await proof({ iat: now() + 3600 }) }, window);
  });

  it('refuses a missing proof and two proofs', async () => {
    await expectRefused(
      { authorization: `DPoP ${bound}` },
      dpopError('invalid_dpop_proof', 'The DPoP proof is missing'),
    );
    const two = { authorization: `DPoP ${bound}`, dpop: [await proof(), await proof()] } as OutgoingHttpHeaders;
    await expectRefused(two, INVALID);
  });

  it('refuses a DPoP-bound token presented as a bearer token, with or without a proof', async () => {
    const challenge = `Bearer ${R}, error="invalid_token", error_description="The access token is invalid"`;
    await expectRefused({ authorization: `Bearer ${bound}` }, challenge);
    await expectRefused({ authorization: `Bearer ${bound}`, dpop: await proof() }, challenge);
    // An unbound token still works as a bearer token when DPoP is optional.
    expect((await call({ authorization: `Bearer ${unbound}` })).status).toBe(200);
  });

  it('makes a nonce round trip (use_dpop_nonce, then DPoP-Nonce in the proof)', async () => {
    const url = `${s.origin}/nonce`;
    const first = await expectRefused(
      { authorization: `DPoP ${bound}`, dpop: await proof({ url }) },
      dpopError('use_dpop_nonce', 'Resource server requires nonce in DPoP proof'),
      '/nonce',
    );
    const nonce = first.headers['dpop-nonce'];
    expect(typeof nonce).toBe('string');
    const forged = `${String(nonce).split('.')[0]}.AAAAAAAAAAAAAAAAAAAAAA`;
    await expectRefused(
      { authorization: `DPoP ${bound}`, dpop: await proof({ url, nonce: forged }) },
      dpopError('use_dpop_nonce', 'Resource server requires nonce in DPoP proof'),
      '/nonce',
    );
    const ok = await call(
      { authorization: `DPoP ${bound}`, dpop: await proof({ url, nonce: String(nonce) }) },
      '/nonce',
    );
    expect(ok.status).toBe(200);
    expect(ok.headers['dpop-nonce']).toBeUndefined(); // the nonce used is still the current one
  });
});
