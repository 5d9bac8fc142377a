// ML-DSA confusion (RFC 9964, AKP keys): a key of one parameter set for a token of another, AKP keys where EC keys
// are expected and the reverse, truncated and padded signatures and keys, and `alg` confusion, through every JWS
// verification entry point, key sets included.
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import type { JotErrorCode } from '../../src/errors.js';
import {
  createLocalJwkSet,
  createRemoteJwkSet,
  exportJwk,
  exportPem,
  importKey,
  type JWK,
  signCompact,
  signJwt,
} from '../../src/index.js';
import { countingServer, expectJotError } from '../helpers/attack.js';
import {
  hmac,
  jsonB64u as json,
  keysFor,
  refusedEverywhere,
  segments,
  toB64u as b64u,
  utf8,
  verifiers,
} from '../helpers/index.js';

const REFUSED: JotErrorCode[] = [
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_KEY_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JWKS_NO_MATCHING_KEY',
];

/** When the caller's allow-list cannot include the bound key's algorithm, the JWT layer reports the contradiction. */
const REFUSED_OR_CONTRADICTED: JotErrorCode[] = [...REFUSED, 'ERR_INVALID_OPTION'];

const claims = { sub: 'user-1', iat: 1_700_000_000 };
const token = async (alg: string, header: object = {}) =>
  signJwt(claims, (await keysFor(alg)).privateKey, { header: header as never } as never);

async function publicJwk(alg: string, kid?: string): Promise<JWK> {
  const jwk = await exportJwk((await keysFor(alg)).publicKey);
  return kid === undefined ? jwk : { ...jwk, kid };
}

/** Re-sign-free tampering: replace the signature segment. */
const withSignature = (t: string, sig: Uint8Array) => {
  const [h, p] = segments(t);
  return `${h}.${p}.${b64u(sig)}`;
};

describe('parameter-set confusion', () => {
  it('a 44 key never verifies a 65 token (nor a 65 key a 44 token), on every path', async () => {
    const t65 = await token('ML-DSA-65');
    const t44 = await token('ML-DSA-44');
    for (const algorithms of [undefined, ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87']]) {
      const opts = algorithms === undefined ? {} : { algorithms };
      await refusedEverywhere(t65, verifiers((await keysFor('ML-DSA-44')).publicKey, opts), REFUSED);
      await refusedEverywhere(t44, verifiers((await keysFor('ML-DSA-65')).publicKey, opts), REFUSED);
      await refusedEverywhere(t44, verifiers((await keysFor('ML-DSA-87')).publicKey, opts), REFUSED);
    }
  });

  it('a 65 signature under a header relabelled ML-DSA-44 is refused by the 44 key and the 65 key', async () => {
    const [, p, s] = segments(await token('ML-DSA-65'));
    const relabelled = `${json({ alg: 'ML-DSA-44' })}.${p}.${s}`;
    await refusedEverywhere(relabelled, verifiers((await keysFor('ML-DSA-44')).publicKey), REFUSED);
    await refusedEverywhere(relabelled, verifiers((await keysFor('ML-DSA-65')).publicKey), REFUSED);
  });

  it('an AKP JWK re-labelled with another parameter set does not import', async () => {
    const jwk = await publicJwk('ML-DSA-44');
    for (const alg of ['ML-DSA-65', 'ML-DSA-87']) {
      await expectJotError(() => importKey({ ...jwk, alg }), ['ERR_JWK_INVALID']);
    }
    await expectJotError(() => importKey(jwk, { alg: 'ML-DSA-65' }), ['ERR_INVALID_OPTION']);
    const pem = await exportPem((await keysFor('ML-DSA-44')).publicKey);
    await expectJotError(() => importKey(pem, { alg: 'ML-DSA-65' }), ['ERR_KEY_INVALID']);
  });
});

describe('key-type confusion: AKP where EC is expected and the reverse', () => {
  it('an ES256 token is refused by an AKP key; an ML-DSA token by an EC key', async () => {
    const es = await token('ES256');
    const ml = await token('ML-DSA-65');
    await refusedEverywhere(es, verifiers((await keysFor('ML-DSA-65')).publicKey), REFUSED);
    await refusedEverywhere(
      es,
      verifiers((await keysFor('ML-DSA-65')).publicKey, { algorithms: ['ES256'] }),
      REFUSED_OR_CONTRADICTED,
    );
    await refusedEverywhere(ml, verifiers((await keysFor('ES256')).publicKey), REFUSED);
    for (const alg of ['ES256', 'EdDSA']) {
      const list = verifiers((await keysFor(alg)).publicKey, { algorithms: ['ML-DSA-65'] });
      await refusedEverywhere(ml, list, REFUSED_OR_CONTRADICTED);
    }
  });

  it('an AKP key cannot be bound to an EC, OKP, RSA, HMAC or JWE algorithm, nor an EC key to ML-DSA', async () => {
    const akp = await publicJwk('ML-DSA-44');
    for (const alg of ['ES256', 'EdDSA', 'RS256', 'HS256', 'ECDH-ES', 'RSA-OAEP-256', 'dir']) {
      await expectJotError(() => importKey(akp, { alg }), ['ERR_INVALID_OPTION']);
    }
    const ec = await exportJwk((await keysFor('ES256')).publicKey);
    await expectJotError(() => importKey({ ...ec, alg: 'ML-DSA-44' }), ['ERR_INVALID_OPTION', 'ERR_KEY_INVALID']);
    const { alg: _, ...unbound } = ec;
    await expectJotError(() => importKey(unbound, { alg: 'ML-DSA-44' }), ['ERR_KEY_INVALID']);
    // An AKP private key signs nothing but its own algorithm.
    const { privateKey } = await keysFor('ML-DSA-44');
    for (const alg of ['ES256', 'ML-DSA-65', 'HS256']) {
      await expectJotError(
        () => signCompact('x', { alg }, privateKey),
        ['ERR_JOSE_ALG_NOT_ALLOWED', 'ERR_KEY_INVALID'],
      );
    }
  });

  it('a key set holding EC and AKP keys under one kid gives each token only the key of its algorithm', async () => {
    const set = createLocalJwkSet({
      keys: [
        await publicJwk('ES256', 'same'),
        await publicJwk('ML-DSA-44', 'same'),
        await publicJwk('ML-DSA-65', 'k65'),
      ],
    });
    const ok44 = await token('ML-DSA-44', { kid: 'same' });
    const okEs = await token('ES256', { kid: 'same' });
    for (const [, verify] of verifiers(set, { algorithms: ['ES256', 'ML-DSA-44', 'ML-DSA-65'] }, {}, false)) {
      await expect(verify(ok44)).resolves.toBeDefined();
      await expect(verify(okEs)).resolves.toBeDefined();
    }
    // a 65 token pointing at the 44 key's kid, a 44 token at the 65 key's kid
    const wrongKid65 = await token('ML-DSA-65', { kid: 'same' });
    const wrongKid44 = await token('ML-DSA-44', { kid: 'k65' });
    const list = verifiers(set, { algorithms: ['ES256', 'ML-DSA-44', 'ML-DSA-65'] }, {}, false);
    await refusedEverywhere(wrongKid65, list, REFUSED);
    await refusedEverywhere(wrongKid44, list, REFUSED);
  });

  it('a remote key set (loopback) serves AKP keys to every path; a 44 key there never verifies a 65 token', async () => {
    const server = await countingServer({
      keys: [await publicJwk('ML-DSA-44', 'r44'), await publicJwk('ES256', 'res')],
    });
    try {
      const remote = createRemoteJwkSet(new URL(`${server.origin}/jwks`), { allowHttp: true } as never);
      const list = verifiers(remote, { algorithms: ['ML-DSA-44', 'ML-DSA-65', 'ES256'] }, {}, false);
      const good = await token('ML-DSA-44', { kid: 'r44' });
      for (const [, verify] of list) await expect(verify(good)).resolves.toBeDefined();
      await refusedEverywhere(await token('ML-DSA-65', { kid: 'r44' }), list, REFUSED);
      await refusedEverywhere(await token('ML-DSA-44', { kid: 'res' }), list, REFUSED);
      expect(server.hits()).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});

describe('truncated and padded signatures and keys', () => {
  it('signatures one byte short, one byte long, empty, doubled or bit-flipped are refused', async () => {
    for (const alg of ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87']) {
      const t = await token(alg);
      const sig = Buffer.from(segments(t)[2], 'base64url');
      const list = verifiers((await keysFor(alg)).publicKey);
      const flipped = Buffer.from(sig);
      flipped[sig.length - 1]! ^= 1;
      const hint = Buffer.from(sig);
      hint[sig.length - 5] = 0xff; // hint indices past their bound (FIPS 204 HintBitUnpack)
      for (const bad of [
        sig.subarray(0, sig.length - 1),
        Buffer.concat([sig, Buffer.of(0)]),
        Buffer.alloc(0),
        Buffer.concat([sig, sig]),
        flipped,
        hint,
        Buffer.alloc(sig.length),
      ]) {
        await refusedEverywhere(withSignature(t, bad), list, ['ERR_JWS_SIGNATURE_VERIFICATION_FAILED']);
      }
    }
  });

  it('keys: pub truncated or padded, priv truncated or padded, SPKI truncated or padded, are refused at import', async () => {
    const { privateKey } = await keysFor('ML-DSA-65');
    const jwk = await exportJwk(privateKey, { includePrivate: true });
    const pub = Buffer.from(jwk.pub!, 'base64url');
    const priv = Buffer.from(jwk.priv!, 'base64url');
    const { priv: _, ...pubJwk } = jwk;
    for (const p of [pub.subarray(0, -1), Buffer.concat([pub, Buffer.of(0)]), pub.subarray(0, 1312)]) {
      await expectJotError(() => importKey({ ...pubJwk, pub: b64u(p) }), ['ERR_JWK_INVALID']);
    }
    for (const s of [priv.subarray(0, -1), Buffer.concat([priv, Buffer.of(0)]), Buffer.alloc(0)]) {
      await expectJotError(() => importKey({ ...jwk, priv: b64u(s) }), ['ERR_JWK_INVALID']);
    }
    const pem = await exportPem((await keysFor('ML-DSA-65')).publicKey);
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\n/g, ''), 'base64');
    const wrap = (d: Buffer) => `-----BEGIN PUBLIC KEY-----\n${d.toString('base64')}\n-----END PUBLIC KEY-----\n`;
    for (const d of [der.subarray(0, -1), Buffer.concat([der, Buffer.of(0)])]) {
      await expectJotError(() => importKey(wrap(d)), ['ERR_KEY_INVALID']);
    }
  });
});

describe('padded keys across parameter sets, private keys truncated or padded, key-type swaps', () => {
  it('a 44 public key zero-padded to the 65 length imports as ML-DSA-65 but verifies nothing a 44 key signed', async () => {
    const pub44 = Buffer.from((await publicJwk('ML-DSA-44')).pub!, 'base64url');
    const padded = Buffer.concat([pub44, Buffer.alloc(1952 - pub44.length)]);
    const key65 = await importKey({ kty: 'AKP', alg: 'ML-DSA-65', pub: b64u(padded) });
    const [, p, s] = segments(await token('ML-DSA-44'));
    for (const alg of ['ML-DSA-44', 'ML-DSA-65']) {
      await refusedEverywhere(`${json({ alg })}.${p}.${s}`, verifiers(key65), REFUSED);
    }
    // and the 44 key itself, truncated from a 65 key, never verifies a 65 token
    const pub65 = Buffer.from((await publicJwk('ML-DSA-65')).pub!, 'base64url');
    const cut = await importKey({ kty: 'AKP', alg: 'ML-DSA-44', pub: b64u(pub65.subarray(0, 1312)) });
    await refusedEverywhere(await token('ML-DSA-65'), verifiers(cut), REFUSED);
  });

  it('seed-only PKCS#8 truncated, padded, or with the seed of another length is refused at import', async () => {
    const pem = await exportPem((await keysFor('ML-DSA-65')).privateKey);
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\n/g, ''), 'base64');
    const wrap = (d: Buffer) => `-----BEGIN PRIVATE KEY-----\n${d.toString('base64')}\n-----END PRIVATE KEY-----\n`;
    for (const d of [der.subarray(0, -1), Buffer.concat([der, Buffer.of(0)]), der.subarray(0, der.length - 16)]) {
      await expectJotError(() => importKey(wrap(d)), ['ERR_KEY_INVALID']);
    }
  });

  it("AKP members under another key type, and another key type's members under AKP, are refused", async () => {
    const akp = await publicJwk('ML-DSA-44');
    const ec = await exportJwk((await keysFor('ES256')).publicKey);
    const okp = await exportJwk((await keysFor('EdDSA')).publicKey);
    for (const jwk of [
      { ...akp, kty: 'EC' },
      { ...akp, kty: 'OKP' },
      { ...akp, kty: 'oct' },
      { kty: 'EC', crv: 'P-256', alg: 'ES256', x: akp.pub, y: akp.pub },
      { kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', x: akp.pub },
      { ...ec, kty: 'AKP', alg: 'ML-DSA-44' },
      { ...okp, kty: 'AKP', alg: 'ML-DSA-44' },
      { kty: 'AKP', alg: 'ML-DSA-44', pub: ec.x },
    ]) {
      await expectJotError(
        () => importKey(jwk as JWK),
        ['ERR_JWK_INVALID', 'ERR_KEY_INVALID', 'ERR_INVALID_OPTION', 'ERR_JOSE_NOT_SUPPORTED'],
      );
    }
  });
});

describe('alg confusion', () => {
  it('HS256 keyed with the AKP public key (bytes or JWK text) is never accepted', async () => {
    const { publicKey } = await keysFor('ML-DSA-44');
    const jwk = await exportJwk(publicKey);
    const pubBytes = Buffer.from(jwk.pub!, 'base64url');
    for (const secret of [pubBytes, Buffer.from(JSON.stringify(jwk)), Buffer.from(await exportPem(publicKey))]) {
      const input = `${json({ alg: 'HS256' })}.${json(claims)}`;
      const forged = `${input}.${b64u(hmac('sha256', secret, input))}`;
      await refusedEverywhere(forged, verifiers(publicKey), REFUSED);
      await refusedEverywhere(forged, verifiers(publicKey, { algorithms: ['HS256', 'ML-DSA-44'] }), REFUSED);
    }
    // The key's text can never become an HMAC secret.
    await expectJotError(() => importKey(utf8(JSON.stringify(jwk)), { alg: 'HS256' }), ['ERR_KEY_INVALID']);
    const pem = await exportPem(publicKey);
    await expectJotError(() => importKey(utf8(pem), { alg: 'HS256' }), ['ERR_KEY_INVALID']);
  });

  it('alg "none", a lower-case or unknown ML-DSA name, and a missing alg are refused', async () => {
    const { publicKey } = await keysFor('ML-DSA-44');
    const [, p, s] = segments(await token('ML-DSA-44'));
    for (const header of [{ alg: 'none' }, { alg: 'ml-dsa-44' }, { alg: 'ML-DSA-128' }, { alg: 'ML-DSA' }, {}]) {
      await refusedEverywhere(`${json(header)}.${p}.${s}`, verifiers(publicKey), [
        ...REFUSED,
        'ERR_JOSE_NOT_SUPPORTED',
        'ERR_JWS_INVALID',
        'ERR_JWT_INVALID',
      ]);
    }
  });

  it('an ML-DSA token is refused when the allow-list does not name its algorithm', async () => {
    const t = await token('ML-DSA-65');
    const { publicKey } = await keysFor('ML-DSA-65');
    await refusedEverywhere(
      t,
      verifiers(publicKey, { algorithms: ['ML-DSA-44', 'ML-DSA-87'] }),
      REFUSED_OR_CONTRADICTED,
    );
  });
});
