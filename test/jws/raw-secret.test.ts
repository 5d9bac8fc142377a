// A raw Uint8Array is accepted as an HMAC secret where the stated algorithms are HMAC algorithms and nothing else
// (README: "HMAC secrets as bytes"). Everywhere else a key must be imported, so bytes never meet another family.
import * as jose from 'jose';
import { describe, expect, it } from 'vitest';
import { syncOrRefused } from '../helpers/runtime.js';
import {
  createSigner,
  createVerifier,
  signCompact,
  signJson,
  signJwt,
  verifyCompact,
  verifyJson,
  verifyJwt,
} from '../../src/index.js';

const secret = new Uint8Array(32).fill(7);
const code = async (f: () => unknown) => {
  try {
    await f();
    return 'ok';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
};

describe('raw HMAC secrets', () => {
  it('sign and verify a JWT with bytes and an HMAC algorithm, both ways with jose', async () => {
    const token = await signJwt({ sub: 'u' }, secret, { alg: 'HS256', expiresIn: '5m' });
    expect((await verifyJwt(token, secret, { algorithms: ['HS256'] })).payload.sub).toBe('u');
    expect((await jose.jwtVerify(token, secret, { algorithms: ['HS256'] })).payload.sub).toBe('u');
    const fromJose = await new jose.SignJWT({ sub: 'j' })
      .setProtectedHeader({ alg: 'HS384' })
      .sign(new Uint8Array(48).fill(1));
    const verifier = createVerifier({ key: new Uint8Array(48).fill(1), algorithms: ['HS384', 'HS512'] });
    const fromJoseVerified = await syncOrRefused(
      () => verifier.verifySync(fromJose),
      () => verifier.verify(fromJose),
    );
    expect(fromJoseVerified.payload.sub).toBe('j');
    const signer = createSigner({ key: secret, alg: 'HS256' });
    const signed = await syncOrRefused(
      () => signer.signSync({ sub: 's' }),
      () => signer.sign({ sub: 's' }),
    );
    expect((await verifyJwt(signed, secret, { algorithms: ['HS256'] })).payload.sub).toBe('s');
  });

  it('JWS compact and JSON take bytes the same way', async () => {
    const jws = await signCompact('hi', { alg: 'HS512' }, new Uint8Array(64).fill(3));
    const got = await verifyCompact(jws, new Uint8Array(64).fill(3), { algorithms: ['HS512'] });
    expect(new TextDecoder().decode(got.payload)).toBe('hi');
    const json = await signJson('hi', [{ protectedHeader: { alg: 'HS256' }, key: secret }], { flattened: true });
    expect((await verifyJson(json, secret, { algorithms: ['HS256'] })).protectedHeader.alg).toBe('HS256');
  });

  it('is refused without algorithms, with a non-HMAC algorithm in the list, or for a non-HMAC header', async () => {
    const token = await signJwt({ sub: 'u' }, secret, { alg: 'HS256' });
    expect(await code(() => verifyJwt(token, secret))).toBe('ERR_INVALID_OPTION');
    expect(await code(() => verifyJwt(token, secret, { algorithms: [] }))).toBe('ERR_INVALID_OPTION');
    expect(await code(() => verifyJwt(token, secret, { algorithms: ['HS256', 'RS256'] }))).toBe('ERR_INVALID_OPTION');
    expect(await code(() => verifyJwt(token, secret, { algorithms: ['RS256'] }))).toBe('ERR_INVALID_OPTION');
    expect(await code(() => createVerifier({ key: secret }))).toBe('ERR_INVALID_OPTION');
    expect(await code(() => verifyCompact(token, secret))).toBe('ERR_INVALID_OPTION');
    expect(await code(() => signJwt({}, secret))).toBe('ERR_INVALID_OPTION');
    expect(await code(() => signJwt({}, secret, { alg: 'ES256' }))).toBe('ERR_INVALID_OPTION');
    expect(await code(() => signCompact('x', { alg: 'RS256' }, secret))).toBe('ERR_INVALID_OPTION');
    expect(await code(() => signCompact('x', null as never, secret))).toBe('ERR_INVALID_OPTION');
  });

  it('keeps the length rules of RFC 7518 3.2 and refuses an empty secret', async () => {
    expect(await code(() => signJwt({}, new Uint8Array(31), { alg: 'HS256' }))).toBe('ERR_KEY_INVALID');
    expect(await code(() => signJwt({}, new Uint8Array(0), { alg: 'HS256' }))).toBe('ERR_KEY_INVALID');
    // With two algorithms the secret is unbound: each one's minimum applies when it is used.
    const hs512 = await signJwt({}, new Uint8Array(64).fill(1), { alg: 'HS512' });
    expect(await code(() => verifyJwt(hs512, new Uint8Array(48).fill(1), { algorithms: ['HS384', 'HS512'] }))).toBe(
      'ERR_KEY_INVALID',
    );
    // With one algorithm the secret is bound to it: another HMAC algorithm in a token is not allowed.
    const hs384 = await signJwt({}, new Uint8Array(64).fill(1), { alg: 'HS384' });
    expect(await code(() => verifyJwt(hs384, new Uint8Array(64).fill(1), { algorithms: ['HS512'] }))).toBe(
      'ERR_JOSE_ALG_NOT_ALLOWED',
    );
  });
});
