// ML-DSA (FIPS 204) with AKP keys (RFC 9964): the RFC's example, a Wycheproof subset, strict JWK and PEM rules,
// key generation, the sync API, and a cross-check against @noble/post-quantum used directly.
import { Buffer } from 'node:buffer';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { describe, expect, it } from 'vitest';
import { ML_DSA_PARAMETERS } from '../../src/alg/ml-dsa.js';
import { sig as sigImpl } from '#crypto/sig';
import { keyHandle } from '../../src/key/key.js';
import { hasNativeMlDsa, loadPureJsMlDsa } from '../../src/crypto/ml-dsa.js';
import {
  createSigner,
  createVerifier,
  exportJwk,
  exportPem,
  findJwsAlgorithm,
  generateKeyPair,
  importKey,
  JWS_ALGORITHMS,
  type JWK,
  jwkThumbprint,
  signCompact,
  signJwt,
  verifyCompact,
  verifyJwt,
} from '../../src/index.js';
import { expectJotError } from '../helpers/attack.js';

const vectors = new URL('../vectors/mldsa/', import.meta.url);
const rfc = JSON.parse(readFileSync(new URL('rfc9964-ml-dsa-44.json', vectors), 'utf8')) as {
  jwk: JWK & { kid: string; pub: string; priv: string };
  jws: string;
};
const wycheproof = JSON.parse(readFileSync(new URL('wycheproof-mldsa-44-verify-subset.json', vectors), 'utf8')) as {
  testGroups: {
    publicKey: string;
    publicKeyDer: string;
    tests: { tcId: number; msg: string; sig: string; result: string }[];
  }[];
};
const noble = { 'ML-DSA-44': ml_dsa44, 'ML-DSA-65': ml_dsa65, 'ML-DSA-87': ml_dsa87 } as const;
const ALGS = ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'] as const;
const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const pemOf = (label: string, der: Uint8Array) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der)
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END ${label}-----\n`;

describe('algorithm table', () => {
  it('lists ML-DSA-44/65/87 as family ml-dsa, key type AKP, with FIPS 204 sizes and OIDs', () => {
    const sizes = { 'ML-DSA-44': [1312, 2420, 17], 'ML-DSA-65': [1952, 3309, 18], 'ML-DSA-87': [2592, 4627, 19] };
    for (const alg of ALGS) {
      const a = JWS_ALGORITHMS[alg]!;
      expect(a).toMatchObject({ name: alg, family: 'ml-dsa', kty: 'AKP', sigBytes: sizes[alg][1] });
      expect(ML_DSA_PARAMETERS[alg]).toMatchObject({
        publicKeyBytes: sizes[alg][0],
        sigBytes: sizes[alg][1],
        seedBytes: 32,
        oid: `2.16.840.1.101.3.4.3.${sizes[alg][2]}`,
      });
      expect(noble[alg].lengths.publicKey).toBe(sizes[alg][0]);
      expect(noble[alg].lengths.signature).toBe(sizes[alg][1]);
    }
    expect(findJwsAlgorithm('ml-dsa-44')).toBeUndefined();
  });
});

describe('RFC 9964 example (ML-DSA-44, all-zero seed)', () => {
  it('imports the private JWK, whose kid is its RFC 7638 thumbprint over alg, kty and pub', async () => {
    const key = await importKey(rfc.jwk);
    expect(key).toMatchObject({ kty: 'AKP', alg: 'ML-DSA-44', isPrivate: true, kid: rfc.jwk.kid });
    expect(await jwkThumbprint(key)).toBe(rfc.jwk.kid);
    const { priv: _, kid: __, ...publicJwk } = rfc.jwk;
    expect(await jwkThumbprint(publicJwk as never)).toBe(rfc.jwk.kid);
    expect(await exportJwk(key, { includePrivate: true })).toEqual(rfc.jwk);
    expect(await exportJwk(key)).toEqual({ ...publicJwk, kid: rfc.jwk.kid });
  });

  it('verifies the example JWS with the public key; a flipped bit fails', async () => {
    const { priv: _, ...publicJwk } = rfc.jwk;
    const pub = await importKey(publicJwk);
    const { payload, protectedHeader } = await verifyCompact(rfc.jws, pub, { algorithms: ['ML-DSA-44'] });
    expect(new TextDecoder().decode(payload)).toBe('It\u2019s a dangerous business, Frodo, going out your door.');
    expect(protectedHeader).toEqual({ alg: 'ML-DSA-44', kid: rfc.jwk.kid });
    const [h, p, s] = rfc.jws.split('.');
    const sig = Buffer.from(s!, 'base64url');
    sig[100]! ^= 1;
    await expectJotError(() => verifyCompact(`${h}.${p}.${b64u(sig)}`, pub), ['ERR_JWS_SIGNATURE_VERIFICATION_FAILED']);
  });

  it('re-signs with the example key; signing is hedged (two signatures differ), both verify', async () => {
    const key = await importKey(rfc.jwk);
    const a = await signCompact('x', { alg: 'ML-DSA-44' }, key);
    const b = await signCompact('x', { alg: 'ML-DSA-44' }, key);
    expect(a).not.toBe(b);
    for (const t of [a, b]) await expect(verifyCompact(t, key)).resolves.toBeDefined();
  });
});

describe('Wycheproof mldsa_44_verify_test.json subset', () => {
  it('imports the group key from its SPKI and verifies the valid case through the backend', async () => {
    const g = wycheproof.testGroups[0]!;
    const key = await importKey(pemOf('PUBLIC KEY', Buffer.from(g.publicKeyDer, 'hex')));
    expect(key).toMatchObject({ kty: 'AKP', alg: 'ML-DSA-44', isPrivate: false });
    expect((await exportJwk(key)).pub).toBe(b64u(Buffer.from(g.publicKey, 'hex')));
    expect(await exportPem(key)).toBe(pemOf('PUBLIC KEY', Buffer.from(g.publicKeyDer, 'hex')));
    const alg = JWS_ALGORITHMS['ML-DSA-44']!;
    for (const t of g.tests) {
      const msg = Buffer.from(t.msg, 'hex');
      const sig = Buffer.from(t.sig, 'hex');
      expect(await sigImpl.verify(alg, keyHandle(key), msg, sig)).toBe(t.result === 'valid');
      expect(sigImpl.verifySync(alg, keyHandle(key), msg, sig)).toBe(t.result === 'valid');
      const flipped = Buffer.from(sig);
      flipped[0]! ^= 0x80;
      expect(await sigImpl.verify(alg, keyHandle(key), msg, flipped)).toBe(false);
    }
  });
});

describe('AKP JWK rules', () => {
  const { priv: seed, kid: _, ...pub44 } = rfc.jwk;
  const cases: [string, Record<string, unknown>, string][] = [
    ['no alg', { kty: 'AKP', pub: pub44.pub }, 'ERR_JWK_INVALID'],
    ['alg not a string', { ...pub44, alg: 44 }, 'ERR_JWK_INVALID'],
    ['a non-ML-DSA alg', { ...pub44, alg: 'ES256' }, 'ERR_JOSE_NOT_SUPPORTED'],
    ['lower-case alg', { ...pub44, alg: 'ml-dsa-44' }, 'ERR_JOSE_NOT_SUPPORTED'],
    ['the pub of another parameter set', { ...pub44, alg: 'ML-DSA-65' }, 'ERR_JWK_INVALID'],
    ['no pub', { kty: 'AKP', alg: 'ML-DSA-44', priv: seed }, 'ERR_JWK_INVALID'],
    ['pub not a string', { ...pub44, pub: 1 }, 'ERR_JWK_INVALID'],
    [
      'pub one byte short',
      { ...pub44, pub: b64u(Buffer.from(pub44.pub!, 'base64url').subarray(1)) },
      'ERR_JWK_INVALID',
    ],
    [
      'pub one byte long',
      { ...pub44, pub: b64u(Buffer.concat([Buffer.from(pub44.pub!, 'base64url'), Buffer.of(0)])) },
      'ERR_JWK_INVALID',
    ],
    ['pub padded base64', { ...pub44, pub: `${pub44.pub}==` }, 'ERR_JWK_INVALID'],
    ['priv of 31 bytes', { ...pub44, priv: b64u(new Uint8Array(31)) }, 'ERR_JWK_INVALID'],
    ['priv of 33 bytes', { ...pub44, priv: b64u(new Uint8Array(33)) }, 'ERR_JWK_INVALID'],
    ['priv of 2560 bytes (an expanded key)', { ...pub44, priv: b64u(new Uint8Array(2560)) }, 'ERR_JWK_INVALID'],
    ['priv of another key', { ...pub44, priv: b64u(new Uint8Array(32).fill(1)) }, 'ERR_KEY_INVALID'],
    ['an EC "d"', { ...pub44, d: seed }, 'ERR_JWK_INVALID'],
    ['an OKP "x"', { ...pub44, x: pub44.pub }, 'ERR_JWK_INVALID'],
    ['a "crv"', { ...pub44, crv: 'Ed25519' }, 'ERR_JWK_INVALID'],
    ['an oct "k"', { ...pub44, k: seed }, 'ERR_JWK_INVALID'],
    ['use "enc"', { ...pub44, use: 'enc' }, 'ERR_KEY_INVALID'],
    ['key_ops "encrypt"', { ...pub44, key_ops: ['encrypt'] }, 'ERR_KEY_INVALID'],
  ];
  for (const [name, jwk, code] of cases) {
    it(`refuses ${name}`, async () => {
      await expectJotError(() => importKey(jwk as never), [code as never]);
    });
  }

  it('binds the key to its parameter set: options.alg must agree', async () => {
    await expectJotError(() => importKey(pub44, { alg: 'ML-DSA-65' }), ['ERR_INVALID_OPTION']);
    await expectJotError(() => importKey(pub44, { alg: 'ES256' }), ['ERR_INVALID_OPTION']);
    const k = await importKey(pub44, { alg: 'ML-DSA-44', kid: 'mine' });
    expect(k).toMatchObject({ alg: 'ML-DSA-44', kid: 'mine' });
  });

  it('thumbprints of a JWK validate it first', async () => {
    await expectJotError(() => jwkThumbprint({ kty: 'AKP', pub: pub44.pub } as never), ['ERR_JWK_INVALID']);
  });
});

describe('PEM: SPKI and seed-only PKCS#8 with the FIPS 204 OIDs', () => {
  it('writes the seed-only PKCS#8 of draft-ietf-lamps-dilithium-certificates and reads it back', async () => {
    const key = await importKey(rfc.jwk);
    const pem = await exportPem(key);
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\n/g, ''), 'base64');
    // SEQUENCE { INTEGER 0, SEQUENCE { OID 2.16.840.1.101.3.4.3.17 }, OCTET STRING { [0] 32 bytes } }
    expect(der.toString('hex')).toBe(`3034020100300b0609608648016503040311042280${'20'}${'00'.repeat(32)}`);
    const back = await importKey(pem);
    expect(back).toMatchObject({ kty: 'AKP', alg: 'ML-DSA-44', isPrivate: true });
    expect(await exportJwk(back, { includePrivate: true })).toMatchObject({ pub: rfc.jwk.pub, priv: rfc.jwk.priv });
  });

  it('round-trips every parameter set through SPKI and PKCS#8', async () => {
    for (const alg of ALGS) {
      const { privateKey, publicKey } = await generateKeyPair(alg);
      const priv = await importKey(await exportPem(privateKey));
      const pub = await importKey(await exportPem(publicKey));
      expect(await jwkThumbprint(priv)).toBe(await jwkThumbprint(publicKey));
      expect(await jwkThumbprint(pub)).toBe(await jwkThumbprint(publicKey));
      const token = await signJwt({ sub: alg }, priv, { expiresIn: '1m' });
      await expect(verifyJwt(token, pub)).resolves.toMatchObject({ payload: { sub: alg } });
    }
  });

  it('refuses malformed and unsupported ML-DSA encodings', async () => {
    const p = ML_DSA_PARAMETERS['ML-DSA-44']!;
    const alg = Buffer.from([0x30, 0x0b, 0x06, 0x09, ...p.oidDer]);
    const pkcs8 = (inner: number[], extra: number[] = [], algId: Buffer = alg) => {
      const body = Buffer.concat([
        Buffer.of(0x02, 0x01, 0x00),
        algId,
        Buffer.of(0x04, inner.length, ...inner),
        Buffer.from(extra),
      ]);
      return pemOf('PRIVATE KEY', Buffer.concat([Buffer.of(0x30, body.length), body]));
    };
    const seed = new Array(32).fill(7);
    // expandedKey (OCTET STRING) and both (SEQUENCE) forms: only seeds are accepted
    await expectJotError(() => importKey(pkcs8([0x04, 0x20, ...seed])), ['ERR_JOSE_NOT_SUPPORTED']);
    await expectJotError(() => importKey(pkcs8([0x30, 0x22, 0x04, 0x20, ...seed])), ['ERR_JOSE_NOT_SUPPORTED']);
    // seed of the wrong length
    await expectJotError(() => importKey(pkcs8([0x80, 0x1f, ...seed.slice(1)])), ['ERR_KEY_INVALID']);
    await expectJotError(() => importKey(pkcs8([0x80, 0x21, ...seed, 0])), ['ERR_KEY_INVALID']);
    // trailing bytes inside the privateKey, attributes after it
    await expectJotError(() => importKey(pkcs8([0x80, 0x20, ...seed, 0x05, 0x00])), ['ERR_KEY_INVALID']);
    await expectJotError(() => importKey(pkcs8([0x80, 0x20, ...seed], [0xa0, 0x00])), ['ERR_KEY_INVALID']);
    // AlgorithmIdentifier with parameters (they MUST be absent)
    const withNull = Buffer.from([0x30, 0x0d, 0x06, 0x09, ...p.oidDer, 0x05, 0x00]);
    await expectJotError(() => importKey(pkcs8([0x80, 0x20, ...seed], [], withNull)), ['ERR_KEY_INVALID']);
    // SPKI with a short key, unused bits, trailing bytes
    const g = wycheproof.testGroups[0]!;
    const der = Buffer.from(g.publicKeyDer, 'hex');
    const short = Buffer.from(der.subarray(0, der.length - 1));
    short.writeUInt16BE(short.length - 4, 2);
    short.writeUInt16BE(short.length - 4 - 15 - 2, 17);
    await expectJotError(() => importKey(pemOf('PUBLIC KEY', short)), ['ERR_KEY_INVALID']);
    const unused = Buffer.from(der);
    unused[21] = 1;
    await expectJotError(() => importKey(pemOf('PUBLIC KEY', unused)), ['ERR_KEY_INVALID']);
    await expectJotError(() => importKey(pemOf('PUBLIC KEY', Buffer.concat([der, Buffer.of(0)]))), ['ERR_KEY_INVALID']);
  });
});

describe('generateKeyPair and the sync API', () => {
  it('generates bound pairs of each parameter set; the sync signer and verifier work at once', async () => {
    for (const alg of ALGS) {
      const { privateKey, publicKey } = await generateKeyPair(alg, { kid: `k-${alg}` });
      expect(privateKey).toMatchObject({ kty: 'AKP', alg, kid: `k-${alg}`, isPrivate: true });
      expect(publicKey).toMatchObject({ kty: 'AKP', alg, kid: `k-${alg}`, isPrivate: false });
      const jwk = await exportJwk(privateKey, { includePrivate: true });
      expect(Buffer.from(jwk.priv!, 'base64url')).toHaveLength(32);
      expect(Buffer.from(jwk.pub!, 'base64url')).toHaveLength(ML_DSA_PARAMETERS[alg]!.publicKeyBytes);
      const token = createSigner({ key: privateKey }).signSync({ sub: 'u' });
      const sig = Buffer.from(token.split('.')[2]!, 'base64url');
      expect(sig).toHaveLength(ML_DSA_PARAMETERS[alg]!.sigBytes);
      expect(createVerifier({ key: publicKey, allowAnyAudience: true }).verifySync(token).payload).toMatchObject({
        sub: 'u',
      });
    }
  });

  it('refuses a curve option', async () => {
    await expectJotError(() => generateKeyPair('ML-DSA-65', { crv: 'P-256' }), ['ERR_INVALID_OPTION']);
  });
});

describe('cross-check: @noble/post-quantum used directly, and native node:crypto where the runtime has it', () => {
  it('jot verifies tokens that noble signed, and noble verifies what jot signed', async () => {
    for (const alg of ALGS) {
      const seed = new Uint8Array(randomBytes(32));
      const { publicKey, secretKey } = noble[alg].keygen(seed);
      const key = await importKey({ kty: 'AKP', alg, pub: b64u(publicKey), priv: b64u(seed) });
      const input = `${b64u(Buffer.from(JSON.stringify({ alg })))}.${b64u(Buffer.from('payload'))}`;
      const token = `${input}.${b64u(noble[alg].sign(Buffer.from(input), secretKey))}`;
      await expect(verifyCompact(token, key)).resolves.toBeDefined();
      const ours = (await signCompact('payload', { alg }, key)).split('.');
      expect(
        noble[alg].verify(Buffer.from(ours[2]!, 'base64url'), Buffer.from(`${ours[0]}.${ours[1]}`), publicKey),
      ).toBe(true);
      expect(noble[alg].verify(Buffer.from(ours[2]!, 'base64url'), Buffer.from(`${ours[0]}.x`), publicKey)).toBe(false);
    }
  });

  it(`node:crypto ML-DSA is ${hasNativeMlDsa() ? 'present: native and pure-JS agree' : 'absent on this runtime (asserted)'}`, async () => {
    if (!hasNativeMlDsa()) {
      // Node 20: no ML-DSA in node:crypto; the claim that jot falls back to the pure-JS provider stays true only as
      // long as this does.
      expect(() => generateKeyPairSync('ml-dsa-44' as 'ed25519')).toThrow();
      return;
    }
    const pure = await loadPureJsMlDsa();
    for (const alg of ALGS) {
      const p = ML_DSA_PARAMETERS[alg]!;
      const { privateKey } = await generateKeyPair(alg);
      const jwk = await exportJwk(privateKey, { includePrivate: true });
      const seed = Buffer.from(jwk.priv!, 'base64url');
      const pub = Buffer.from(jwk.pub!, 'base64url');
      expect(Buffer.from(pure.publicFromSeed(p, seed))).toEqual(pub);
      const data = Buffer.from('native vs pure-JS');
      const sig = await sigImpl.sign(JWS_ALGORITHMS[alg]!, keyHandle(privateKey), data);
      expect(pure.verify(p, pub, data, sig)).toBe(true);
      expect(await sigImpl.verify(JWS_ALGORITHMS[alg]!, keyHandle(privateKey), data, pure.sign(p, seed, pub, data))).toBe(true);
    }
  });
});
