/**
 * Algorithm and key policy (attacks A01, A02, A04-A07, A13, A14, A21): `none` in every spelling, falsy keys,
 * key confusion (a public key or its text as an HMAC secret), mismatched key types and curves, malformed `alg`
 * values, weak secrets and keys. Each test pins the exact error code of the defence it exercises.
 */
import { createHmac, createSecretKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  exportPem,
  importKey,
  type JWK,
  type Key,
  signCompact,
  signJson,
  verifyCompact,
  verifyJson,
} from '../../src/index.js';
import { LACKS_SECP256K1, WEB_CRYPTO } from '../helpers/runtime.js';
import { expectCode, keysFor, segments, toB64u, utf8 } from '../helpers/index.js';

const CLAIMS = toB64u(JSON.stringify({ sub: 'admin', exp: 4102444800 }));
const hs256 = (secret: Uint8Array | string, header: object | string, payload = CLAIMS): string => {
  const h = typeof header === 'string' ? toB64u(header) : toB64u(JSON.stringify(header));
  return `${h}.${payload}.${createHmac('sha256', secret).update(`${h}.${payload}`).digest('base64url')}`;
};

describe('A01: "none" in any case or spelling is rejected by every JWS function', () => {
  const SPELLINGS = ['none', 'None', 'NONE', 'nOnE', 'nonE'];
  const LOOKALIKES = ['none ', ' none', 'none\u0000', 'n\u043ene'];

  it('verifyCompact and verifyJson, with a bound key, an allow-list, a resolver; any signature segment', async () => {
    const { publicKey: bound } = await keysFor('HS256');
    const unbound = await importKey(new Uint8Array(32).fill(1));
    const rsa = (await keysFor('RS256')).publicKey;
    for (const alg of [...SPELLINGS, ...LOOKALIKES]) {
      const h = toB64u(JSON.stringify({ alg, typ: 'JWT' }));
      const real = segments(await signCompact(utf8('x'), { alg: 'HS256' }, (await keysFor('HS256')).privateKey))[2];
      for (const sig of ['', real, 'AA']) {
        const token = `${h}.${CLAIMS}.${sig}`;
        for (const [key, options] of [
          [bound, undefined],
          [unbound, { algorithms: ['HS256'] }],
          [rsa, undefined],
          [() => bound, undefined],
          [() => unbound, { algorithms: ['HS256', 'RS256'] }],
        ] as const) {
          await expectCode(verifyCompact(token, key as Key, options), 'ERR_JOSE_ALG_NOT_ALLOWED');
          await expectCode(
            verifyJson({ protected: h, payload: CLAIMS, signature: sig }, key as Key, options),
            'ERR_JOSE_ALG_NOT_ALLOWED',
          );
        }
      }
    }
  });

  it('no option enables it, and no signer produces it', async () => {
    const { privateKey } = await keysFor('HS256');
    for (const alg of SPELLINGS) {
      await expectCode(verifyCompact('e30.e30.', privateKey, { algorithms: [alg] }), 'ERR_INVALID_OPTION');
      await expectCode(signCompact('x', { alg }, privateKey), 'ERR_JOSE_ALG_NOT_ALLOWED');
      await expectCode(signJson('x', [{ protectedHeader: { alg }, key: privateKey }]), 'ERR_JOSE_ALG_NOT_ALLOWED');
      await expectCode(importKey(new Uint8Array(32), { alg }), 'ERR_JOSE_NOT_SUPPORTED');
    }
    await expectCode(signCompact('x', { alg: 'none ' }, privateKey), 'ERR_JOSE_NOT_SUPPORTED');
  });
});

describe('A02/A14: a missing, empty or falsy key never disables verification', () => {
  it('falsy keys and resolver results', async () => {
    const { privateKey } = await keysFor('HS256');
    const token = await signCompact('x', { alg: 'HS256' }, privateKey);
    for (const k of [undefined, null, '', false, 0, new Uint8Array(0), {}]) {
      await expectCode(verifyCompact(token, k as unknown as Key, { algorithms: ['HS256'] }), 'ERR_KEY_INVALID');
      for (const r of [k, Promise.resolve(k)]) {
        await expectCode(
          verifyCompact(token, () => r as unknown as Key, { algorithms: ['HS256'] }),
          ['ERR_KEY_INVALID', 'ERR_JWKS_NO_MATCHING_KEY'],
        );
      }
    }
  });

  it('an empty secret never imports, in any form', async () => {
    const empty = hs256('', { alg: 'HS256', typ: 'JWT' });
    expect(segments(empty)[0]).toBe('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9');
    for (const m of [new Uint8Array(0), Buffer.alloc(0), { kty: 'oct', k: '' }]) {
      await expectCode(importKey(m as JWK), 'ERR_KEY_INVALID');
    }
    await expectCode(importKey(''), 'ERR_KEY_INVALID');
  });
});

describe('A04/A05: a public key, or its text, is never an HMAC secret', () => {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = publicKey.export({ format: 'pem', type: 'spki' }) as string;
  const pkcs1 = publicKey.export({ format: 'pem', type: 'pkcs1' }) as string;
  const jwk = publicKey.export({ format: 'jwk' }) as JWK;
  const TEXTS: Record<string, string> = {
    'SPKI PEM': spki,
    'SPKI PEM without the final newline': spki.trimEnd(),
    'SPKI PEM with CRLF': spki.replace(/\n/g, '\r\n'),
    'PKCS#1 PEM': pkcs1,
    'JWK JSON': JSON.stringify(jwk),
    'leading whitespace + PEM': ` \n${spki}`,
    'junk + PEM': `x${spki}`,
    'zero-width space + PEM': `\u200b${spki}`,
    'comment line + PEM': `Comment: x\n${spki}`,
    'COMMENT block + PEM': `-----BEGIN COMMENT-----\n-----END COMMENT-----\n${spki}`,
    'PEM + blank lines': `${spki}\n\n`,
    'lowercase armour': spki.replace('BEGIN PUBLIC KEY', 'begin public key'),
    'ssh-rsa': 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 user@host',
    'ssh-ed25519': 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@host',
    'ecdsa-sha2-nistp256': 'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTY= user@host',
  };

  it('as a string, key text is PEM or nothing: an RSA key or ERR_KEY_INVALID, never a secret', async () => {
    for (const [name, t] of Object.entries(TEXTS)) {
      let key: Key | undefined;
      try {
        key = await importKey(t);
      } catch (e) {
        expect((e as { code: string }).code, name).toBe('ERR_KEY_INVALID');
      }
      if (key !== undefined) expect(key.kty, name).toBe('RSA');
    }
  });

  it('as bytes (say, from readFileSync), as an oct JWK or a KeyObject, key text is refused as a secret', async () => {
    for (const [name, t] of Object.entries(TEXTS)) {
      const bytes = utf8(t);
      for (const m of [bytes, { kty: 'oct', k: toB64u(bytes) }, createSecretKey(bytes)]) {
        const e = await expectCode(importKey(m as JWK), 'ERR_KEY_INVALID');
        expect(e.message, name).toMatch(/cannot be used as a secret/);
      }
    }
  });

  it('HS* tokens MACed with any serialisation of the public key fail however the verifier is configured', async () => {
    const rsaPublic = await importKey(spki);
    const bound = await importKey(spki, { alg: 'RS256' });
    const raw = publicKey.export({ format: 'der', type: 'spki' });
    const secrets: (string | Uint8Array)[] = [...Object.values(TEXTS), raw, jwk.n!, Buffer.from(jwk.n!, 'base64url')];
    for (const secret of secrets) {
      const token = hs256(secret, { alg: 'HS256', typ: 'JWT' });
      await expectCode(verifyCompact(token, rsaPublic), 'ERR_INVALID_OPTION'); // unbound key, no allow-list
      await expectCode(verifyCompact(token, rsaPublic, { algorithms: ['RS256', 'HS256'] }), 'ERR_KEY_INVALID');
      await expectCode(verifyCompact(token, bound), 'ERR_JOSE_ALG_NOT_ALLOWED');
      await expectCode(
        verifyCompact(token, () => bound),
        'ERR_JOSE_ALG_NOT_ALLOWED',
      );
      await expectCode(
        verifyCompact(token, () => rsaPublic, { algorithms: ['HS256'] }),
        'ERR_KEY_INVALID',
      );
    }
  });

  it('the same holds for EC, RSA-PSS and Ed25519 public keys', async () => {
    for (const alg of ['ES256', 'PS256', 'EdDSA']) {
      const { publicKey: key } = await keysFor(alg);
      const token = hs256(new Uint8Array(32), { alg: 'HS256' });
      await expectCode(verifyCompact(token, key), 'ERR_JOSE_ALG_NOT_ALLOWED');
      const unbound = await importKey(await exportPem(key));
      await expectCode(verifyCompact(token, unbound, { algorithms: [alg, 'HS256'] }), 'ERR_KEY_INVALID');
    }
  });
});

describe('A06/A21: key type, curve and size must fit the algorithm', () => {
  it('mismatched families and curves', async () => {
    const cases: [string, string, string | undefined][] = [
      ['ES384', 'ES256', undefined], // P-384 key, ES256 token
      ['ES256K', 'ES256', undefined], // secp256k1 key, ES256 token
      ['ES256', 'ES256K', undefined],
      ['EdDSA', 'Ed448', undefined], // Ed25519 key, Ed448 token
      ['Ed448', 'Ed25519', undefined], // Ed448 key, Ed25519 token
      ['RS256', 'ES256', undefined],
      ['ES256', 'RS256', undefined],
      ['HS256', 'RS256', undefined],
      ['RS256', 'HS256', undefined],
    ];
    for (const [keyAlg, tokenAlg] of cases) {
      if (LACKS_SECP256K1 && (keyAlg === 'ES256K' || tokenAlg === 'ES256K')) {
        await expectCode(keysFor('ES256K'), 'ERR_JOSE_NOT_SUPPORTED'); // this WebCrypto has no secp256k1
        continue;
      }
      const { privateKey } = await keysFor(tokenAlg);
      const token = await signCompact('x', { alg: tokenAlg }, privateKey);
      const { publicKey } = await keysFor(keyAlg);
      // Bound: the binding refuses the other algorithm. Unbound with an allow-list: the key type or curve does.
      await expectCode(verifyCompact(token, publicKey), 'ERR_JOSE_ALG_NOT_ALLOWED');
      const unbound = await importKey(
        publicKey.kty === 'oct' ? new Uint8Array(64).fill(2) : await exportPem(publicKey),
      );
      await expectCode(verifyCompact(token, unbound, { algorithms: [tokenAlg, keyAlg] }), 'ERR_KEY_INVALID');
    }
    // X25519 is a key-agreement key: never EdDSA.
    const x25519 = await importKey(generateKeyPairSync('x25519').publicKey);
    const { privateKey } = await keysFor('EdDSA');
    const token = await signCompact('x', { alg: 'EdDSA' }, privateKey);
    await expectCode(verifyCompact(token, x25519, { algorithms: ['EdDSA'] }), 'ERR_KEY_INVALID');
  });

  it('weak keys: DSA, RSA-1024, an RSA-PSS key restricted to SHA-512 used for RS256 and PS256', async () => {
    const dsa = generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 });
    await expectCode(importKey(dsa.publicKey.export({ format: 'pem', type: 'spki' }) as string), 'ERR_KEY_INVALID');
    await expectCode(importKey(dsa.publicKey), 'ERR_KEY_INVALID');
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    await expectCode(importKey(small.publicKey), 'ERR_KEY_INVALID');
    await expectCode(importKey(small.privateKey.export({ format: 'jwk' }) as JWK), 'ERR_KEY_INVALID');
    const pssOptions = { modulusLength: 2048, hashAlgorithm: 'sha512', mgf1HashAlgorithm: 'sha512', saltLength: 64 };
    const pss = generateKeyPairSync('rsa-pss', pssOptions as never) as unknown as Record<
      'publicKey' | 'privateKey',
      KeyObject
    >;
    if (WEB_CRYPTO) {
      // WebCrypto imports no id-RSASSA-PSS key: refused as unsupported, never used with other parameters.
      await expectCode(importKey(pss.privateKey), 'ERR_JOSE_NOT_SUPPORTED');
      await expectCode(importKey(pss.publicKey, { alg: 'PS512' }), 'ERR_JOSE_NOT_SUPPORTED');
      return;
    }
    const signer = await importKey(pss.privateKey);
    await expectCode(signCompact('x', { alg: 'RS256' }, signer), 'ERR_KEY_INVALID');
    await expectCode(signCompact('x', { alg: 'PS256' }, signer), 'ERR_KEY_INVALID');
    const token = await signCompact('x', { alg: 'PS512' }, signer);
    await verifyCompact(token, await importKey(pss.publicKey, { alg: 'PS512' }));
    await expectCode(importKey(pss.publicKey, { alg: 'RS512' }), 'ERR_KEY_INVALID');
  });
});

describe('A07: malformed or foreign alg values', () => {
  it('are refused with the documented codes', async () => {
    const key = await importKey(new Uint8Array(32).fill(5), { alg: 'HS256' });
    const notAllowed = ['hs256', 'HS256 ', ' HS256', 'HS256\u0000', 'HS256\u200b', 'HS-256', 'ＨＳ２５６'];
    notAllowed.push('ES256K');
    const foreign = ['RSA-OAEP', 'dir', 'A128KW', 'ECDH-ES', '__proto__', 'constructor', 'toString'];
    for (const alg of [...notAllowed, ...foreign]) {
      const token = hs256(new Uint8Array(32).fill(5), { alg });
      await expectCode(verifyCompact(token, key), 'ERR_JOSE_ALG_NOT_ALLOWED');
      await expectCode(
        verifyCompact(token, () => key, { algorithms: ['HS256'] }),
        'ERR_JOSE_ALG_NOT_ALLOWED',
      );
    }
    for (const alg of [['HS256'], { 0: 'HS256' }, 256, true, null]) {
      await expectCode(verifyCompact(hs256(new Uint8Array(32).fill(5), { alg }), key), 'ERR_JWS_INVALID');
    }
    await expectCode(verifyCompact(hs256(new Uint8Array(32).fill(5), { typ: 'JWT' }), key), 'ERR_JWS_INVALID');
    // A JWE header (it has "enc") is not a JWS, even with a signature algorithm.
    await expectCode(
      verifyCompact(hs256(new Uint8Array(32).fill(5), { alg: 'HS256', enc: 'A128GCM' }), key),
      'ERR_JWS_INVALID',
    );
    // The allow-list itself is checked: exact, known names only.
    for (const algorithms of [['hs256'], ['HS256 '], [], 'HS256', [1]]) {
      await expectCode(
        verifyCompact(hs256(new Uint8Array(32), { alg: 'HS256' }), key, { algorithms } as never),
        'ERR_INVALID_OPTION',
      );
    }
  });
});

describe('A13: HMAC secrets shorter than the hash are refused', () => {
  it('the jwt.io sample token and its 19-byte secret', async () => {
    const token =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.' +
      'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.' +
      'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
    const secret = utf8('your-256-bit-secret');
    expect(segments(hs256(secret, '{"alg":"HS256","typ":"JWT"}', segments(token)[1]))[2]).toBe(segments(token)[2]);
    await expectCode(importKey(secret, { alg: 'HS256' }), 'ERR_KEY_INVALID');
    await expectCode(verifyCompact(token, await importKey(secret), { algorithms: ['HS256'] }), 'ERR_KEY_INVALID');
  });

  it('31, 47 and 63 bytes for HS256, HS384 and HS512; and signing refuses them too', async () => {
    for (const [alg, n] of [
      ['HS256', 32],
      ['HS384', 48],
      ['HS512', 64],
    ] as const) {
      await expectCode(importKey(new Uint8Array(n - 1).fill(1), { alg }), 'ERR_KEY_INVALID');
      const short = await importKey(new Uint8Array(n - 1).fill(1));
      await expectCode(signCompact('x', { alg }, short), 'ERR_KEY_INVALID');
      const ok = await importKey(new Uint8Array(n).fill(1), { alg });
      await verifyCompact(await signCompact('x', { alg }, ok), ok);
      // A token MACed with the short secret itself is refused at verification, before any MAC is computed.
      const forged = await signCompact('x', { alg }, await importKey(new Uint8Array(n).fill(1)));
      await expectCode(verifyCompact(forged, short, { algorithms: [alg] }), 'ERR_KEY_INVALID');
    }
  });
});
