/**
 * Structural signature checks (attacks A03, A15-A20): exact signature lengths, ECDSA in fixed-size P1363 form with
 * 0 < r, s < n checked before any cryptography ("psychic signatures", CVE-2022-21449), EdDSA lengths, RSA
 * signature canonicity and a low-exponent PKCS#1 v1.5 forgery. A counting backend proves which rejections happen
 * before the primitive is called: remove a check and the count becomes non-zero.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { exportJwk, importKey, type Key, signCompact, verifyCompact } from '../../src/index.js';
import { expectCode, fromB64u, keysFor, segments, toB64u } from '../helpers/index.js';

const counts = vi.hoisted(() => ({ verify: 0, aesCbcDecrypt: 0 }));
vi.mock('#crypto/sig', async (original) => (await import('../helpers/backend.js')).countingSig(await original(), counts));
beforeEach(() => {
  counts.verify = 0;
});

const FAILED = 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED';

/** Rejected with `code`, and the backend was never asked. */
async function refusedBeforeCrypto(token: string, key: Key, code = FAILED): Promise<void> {
  const before = counts.verify;
  await expectCode(verifyCompact(token, key), code as typeof FAILED);
  expect(counts.verify - before).toBe(0);
}

const bigOf = (b: Uint8Array): bigint => (b.length === 0 ? 0n : BigInt(`0x${Buffer.from(b).toString('hex')}`));
const bytesOf = (v: bigint, len: number): Uint8Array =>
  new Uint8Array(Buffer.from(v.toString(16).padStart(len * 2, '0'), 'hex'));

const ORDER: Record<string, bigint> = {
  ES256: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  ES384: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  ES512: BigInt(
    '0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff' +
      'a51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409',
  ),
};
const HALF: Record<string, number> = { ES256: 32, ES384: 48, ES512: 66 };

describe('A15: psychic signatures are refused before any ECDSA call', () => {
  for (const alg of ['ES256', 'ES384', 'ES512']) {
    it(`${alg}: zero, n, and out-of-range r or s`, async () => {
      const { privateKey, publicKey } = await keysFor(alg);
      const [h, p, s] = segments(await signCompact('psychic', { alg }, privateKey));
      await verifyCompact(`${h}.${p}.${s}`, publicKey);
      expect(counts.verify).toBe(1);
      const size = HALF[alg]!;
      const n = ORDER[alg]!;
      const sig = fromB64u(s);
      const r = sig.subarray(0, size);
      const sv = sig.subarray(size);
      const zero = new Uint8Array(size);
      const pairs: [Uint8Array, Uint8Array][] = [
        [zero, zero],
        [zero, sv],
        [r, zero],
        [bytesOf(n, size), bytesOf(n, size)],
        [bytesOf(n - 1n, size), bytesOf(n, size)],
        [bytesOf(n + 1n, size), sv],
        [r, bytesOf(n, size)],
      ];
      for (const [rr, ss] of pairs)
        await refusedBeforeCrypto(`${h}.${p}.${toB64u(Uint8Array.of(...rr, ...ss))}`, publicKey);
      // r = n - 1 and s = n - 1 are in range: they reach the primitive, which refuses them.
      await expectCode(
        verifyCompact(
          `${h}.${p}.${toB64u(Uint8Array.of(...bytesOf(n - 1n, size), ...bytesOf(n - 1n, size)))}`,
          publicKey,
        ),
        FAILED,
      );
      expect(counts.verify).toBe(2);
    });
  }

  it('the literal attack tokens of A15 (all-zero segments, DER zeros, r = s = n for P-256)', async () => {
    for (const [alg, zeros] of [
      ['ES256', 86],
      ['ES384', 128],
      ['ES512', 176],
    ] as const) {
      const { publicKey } = await keysFor(alg);
      const h = toB64u(JSON.stringify({ alg, typ: 'JWT' }));
      await refusedBeforeCrypto(`${h}.${toB64u('{"sub":"admin"}')}.${'A'.repeat(zeros)}`, publicKey);
      await refusedBeforeCrypto(`${h}.${toB64u('{"sub":"admin"}')}.MAYCAQACAQA`, publicKey);
    }
    const { publicKey } = await keysFor('ES256');
    const rsn = '_____wAAAAD__________7zm-q2nF56E87nKwvxjJVH_____AAAAAP__________vOb6racXnoTzucrC_GMlUQ';
    expect(fromB64u(rsn)).toEqual(Uint8Array.of(...bytesOf(ORDER.ES256!, 32), ...bytesOf(ORDER.ES256!, 32)));
    await refusedBeforeCrypto(`${toB64u('{"alg":"ES256"}')}.${toB64u('{}')}.${rsn}`, publicKey);
  });
});

describe('A16/A17: ECDSA encodings', () => {
  it('DER, 63-, 65-byte and zero-padded forms of a valid signature are refused before any call', async () => {
    const { privateKey, publicKey } = await keysFor('ES256');
    let token = '';
    // Find a signature whose r starts with a zero byte, so that dropping it gives the 63-byte form of (b).
    for (let i = 0; ; i++) {
      token = await signCompact(`payload ${i}`, { alg: 'ES256' }, privateKey);
      if (fromB64u(segments(token)[2])[0] === 0) break;
    }
    const [h, p, s] = segments(token);
    const sig = fromB64u(s);
    const der = (v: Uint8Array): Uint8Array => {
      let i = 0;
      while (i < v.length - 1 && v[i] === 0) i++;
      const t = v.subarray(i);
      return t[0]! & 0x80 ? Uint8Array.of(2, t.length + 1, 0, ...t) : Uint8Array.of(2, t.length, ...t);
    };
    const body = Uint8Array.of(...der(sig.subarray(0, 32)), ...der(sig.subarray(32)));
    for (const bad of [
      Uint8Array.of(0x30, body.length, ...body),
      sig.subarray(1),
      Uint8Array.of(...sig, 0),
      Uint8Array.of(0, ...sig),
      Uint8Array.of(...bytesOf(bigOf(sig.subarray(0, 32)) + ORDER.ES256!, 33), ...sig.subarray(32)),
    ]) {
      await refusedBeforeCrypto(`${h}.${p}.${toB64u(bad)}`, publicKey);
    }
    await verifyCompact(token, publicKey);
  });

  it('the high-S twin (r, n - s) verifies: standard ECDSA, accepted as documented in A17', async () => {
    const { privateKey, publicKey } = await keysFor('ES256');
    const [h, p, s] = segments(await signCompact('twin', { alg: 'ES256' }, privateKey));
    const sig = fromB64u(s);
    const twin = Uint8Array.of(...sig.subarray(0, 32), ...bytesOf(ORDER.ES256! - bigOf(sig.subarray(32)), 32));
    expect(toB64u(twin)).not.toBe(s);
    await verifyCompact(`${h}.${p}.${toB64u(twin)}`, publicKey);
  });
});

describe('A03/A18/A20: exact signature lengths', () => {
  it('stripped, empty, one-byte and truncated signatures', async () => {
    const { privateKey: hk } = await keysFor('HS256');
    const [h, p, s] = segments(await signCompact('x', { alg: 'HS256' }, hk));
    await expectCode(verifyCompact(`${h}.${p}`, hk), 'ERR_JWS_INVALID');
    await refusedBeforeCrypto(`${h}.${p}.`, hk);
    await refusedBeforeCrypto(`${h}.${p}.AA`, hk);
    await refusedBeforeCrypto(`${h}.${p}.${toB64u(fromB64u(s).subarray(0, 16))}`, hk);
    await expectCode(verifyCompact(`${h}.${p}.${s.slice(0, -4)}`, hk), ['ERR_JWS_INVALID', FAILED]);
    for (const [alg, lengths] of [
      ['RS256', [1, 255, 257]],
      ['PS256', [0, 255]],
      ['ES256', [32, 96]],
      ['EdDSA', [32, 63, 65]],
      ['Ed448', [57, 113, 115]],
    ] as const) {
      const { publicKey } = await keysFor(alg);
      const t = segments(await signCompact('x', { alg }, (await keysFor(alg)).privateKey));
      for (const n of lengths)
        await refusedBeforeCrypto(`${t[0]}.${t[1]}.${toB64u(new Uint8Array(n).fill(1))}`, publicKey);
    }
  });

  it('Ed25519: S + L (non-canonical S) is refused by the primitive', async () => {
    const { privateKey, publicKey } = await keysFor('EdDSA');
    const [h, p, s] = segments(await signCompact('malleable', { alg: 'EdDSA' }, privateKey));
    const sig = fromB64u(s);
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    const S = bigOf(Uint8Array.from(sig.subarray(32)).reverse()) + L;
    const sPlusL = bytesOf(S, 32).reverse();
    await expectCode(
      verifyCompact(`${h}.${p}.${toB64u(Uint8Array.of(...sig.subarray(0, 32), ...sPlusL))}`, publicKey),
      FAILED,
    );
  });

  it('RSA: 00 || sig and sig + n are refused before any call; a leading zero byte is fine', async () => {
    const { privateKey, publicKey } = await keysFor('RS256');
    const n = bigOf(fromB64u((await exportJwk(publicKey)).n!));
    let token = '';
    for (let i = 0; ; i++) {
      token = await signCompact(`p${i}`, { alg: 'RS256' }, privateKey);
      if (fromB64u(segments(token)[2])[0] === 0) break;
    }
    const [h, p, s] = segments(token);
    const sig = fromB64u(s);
    await verifyCompact(token, publicKey);
    await refusedBeforeCrypto(`${h}.${p}.${toB64u(sig.subarray(1))}`, publicKey);
    await refusedBeforeCrypto(`${h}.${p}.${toB64u(Uint8Array.of(0, ...sig))}`, publicKey);
    await refusedBeforeCrypto(`${h}.${p}.${toB64u(bytesOf(bigOf(sig) + n, 257))}`, publicKey);
    for (const v of [0n, 1n, n - 1n, n]) {
      await expectCode(verifyCompact(`${h}.${p}.${toB64u(bytesOf(v, 256))}`, publicKey), FAILED);
    }
  });
});

describe('A19: PKCS#1 v1.5 low-exponent forgery (Bleichenbacher 2006) with e = 3', () => {
  it('a cube root whose cube starts with a valid prefix and ends in garbage is refused', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 3 });
    const key = await importKey(publicKey, { alg: 'RS256' });
    const n = bigOf(fromB64u(publicKey.export({ format: 'jwk' }).n!));
    const input = `${toB64u('{"alg":"RS256"}')}.${toB64u('{"sub":"admin"}')}`;
    const digestInfo = Buffer.concat([
      Buffer.from('3031300d060960864801650304020105000420', 'hex'),
      createHash('sha256').update(input).digest(),
    ]);
    const prefix = bigOf(Uint8Array.of(0, 1, ...new Uint8Array(8).fill(0xff), 0, ...digestInfo));
    const garbageBits = BigInt(8 * (256 - 11 - digestInfo.length));
    const high = (prefix + 1n) << garbageBits;
    let s = cubeRoot(high - 1n);
    expect(s ** 3n >= prefix << garbageBits && s ** 3n < high && s ** 3n < n).toBe(true);
    // A lenient parser that stops after the DigestInfo would accept this.
    expect(bytesOf(s ** 3n, 256).subarray(0, 11 + digestInfo.length)).toEqual(bytesOf(prefix, 11 + digestInfo.length));
    await expectCode(verifyCompact(`${input}.${toB64u(bytesOf(s, 256))}`, key), FAILED);
    s += 1n;
    await expectCode(verifyCompact(`${input}.${toB64u(bytesOf(s, 256))}`, key), FAILED);
  });
});

/**
 * The integer cube root of `v` by Newton's method from above: the estimate falls on every step until it reaches the
 * root, in about log2(bits) steps, so a bound of one step per bit of `v` is never reached; the result is then
 * checked, not trusted.
 */
function cubeRoot(v: bigint): bigint {
  const bits = v.toString(2).length;
  let x = 1n << BigInt(Math.ceil(bits / 3) + 1);
  for (let step = 0; step < bits; step++) {
    const y = (2n * x + v / (x * x)) / 3n;
    if (y >= x) break;
    x = y;
  }
  if (!(x ** 3n <= v && (x + 1n) ** 3n > v)) throw new Error('cubeRoot did not converge');
  return x;
}
