/**
 * Strict base64url (RFC 7515 section 2, attack A39) and the strict standard base64 used for x5c.
 */
import { describe, expect, it } from 'vitest';
import { b64Decode, b64Encode, b64uDecode, b64uEncode, b64uEncodeText, isB64u } from '../../src/encoding/index.js';
import { expectCode } from '../helpers/index.js';

describe('base64url', () => {
  it('encodes without padding and decodes its own output', () => {
    expect(b64uEncode(Uint8Array.of(0xfb, 0xff))).toBe('-_8');
    expect(b64uEncodeText('{"alg":"HS256"}')).toBe('eyJhbGciOiJIUzI1NiJ9');
    expect([...b64uDecode('-_8', 'ERR_JWS_INVALID')]).toEqual([0xfb, 0xff]);
    expect(b64uDecode('', 'ERR_JWS_INVALID').length).toBe(0);
    // A view into a larger buffer encodes only its own bytes.
    const big = Uint8Array.of(1, 2, 3, 4, 5);
    expect(b64uEncode(big.subarray(1, 3))).toBe(b64uEncode(Uint8Array.of(2, 3)));
  });

  it('accepts only canonical input', () => {
    const canonical = ['', 'AA', 'AAA', 'AAAA', 'QQ', 'QUI', 'QUJD', '-_8', 'AAAAAA'];
    for (const s of canonical) expect(isB64u(s), s).toBe(true);
    const lenient = [
      'A', // length 1 mod 4
      'AAAAA',
      'AA==', // padding
      'AAA=',
      'QQ=',
      '+/8', // standard alphabet
      'A A',
      ' AA',
      'AA\n',
      'AA\t',
      'AB', // 4 unused bits not zero
      'AAB', // 2 unused bits not zero
      'QR',
      'QUJ',
      'Ａ',
      'AA%3D',
      '\u00a0AA',
      'AA\u0000',
      'é',
    ];
    for (const s of lenient) {
      expect(isB64u(s), JSON.stringify(s)).toBe(false);
      expect(() => b64uDecode(s, 'ERR_JWK_INVALID', 'x')).toThrow(expect.objectContaining({ code: 'ERR_JWK_INVALID' }));
    }
  });

  it('every unused-bit pattern: exactly one of the 16 (or 4) final characters is canonical', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const two = [...alphabet].filter((c) => isB64u(`A${c}`));
    expect(two).toEqual(['A', 'Q', 'g', 'w']);
    const three = [...alphabet].filter((c) => isB64u(`AA${c}`));
    expect(three).toHaveLength(16);
  });

  it('non-strings are refused with the caller code', async () => {
    for (const v of [undefined, null, 1, {}, ['AA'], Buffer.from('AA')]) {
      await expectCode(() => b64uDecode(v as string, 'ERR_JWE_INVALID'), 'ERR_JWE_INVALID');
    }
  });
});

describe('standard base64 (x5c)', () => {
  it('is padded and strict', () => {
    expect(b64Encode(Uint8Array.of(0xfb, 0xff))).toBe('+/8=');
    expect([...b64Decode('+/8=', 'ERR_JWK_INVALID')]).toEqual([0xfb, 0xff]);
    for (const s of ['+/8', '-_8=', 'AA=', 'A===', ' AAAA', 'AA AA', 'AAAA\n']) {
      expect(() => b64Decode(s, 'ERR_JWK_INVALID')).toThrow(expect.objectContaining({ code: 'ERR_JWK_INVALID' }));
    }
  });
});
