// `#crypto/sync-digest` on the implementation of the project (node: node:crypto; web: plain JavaScript, since
// WebCrypto only hashes asynchronously), checked against published vectors and against WebCrypto's own SHA-256 and
// HMAC on random inputs of every length around the block boundaries.
import { digest } from '#crypto/digest';
import { syncDigest } from '#crypto/sync-digest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const fromHex = (s: string) => new Uint8Array(s.match(/../g)!.map((x) => Number.parseInt(x, 16)));
const subtle = globalThis.crypto.subtle;

async function webSha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle.digest('SHA-256', data as BufferSource));
}

async function webHmac(key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const k = await subtle.importKey('raw', key as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await subtle.sign('HMAC', k, data as BufferSource));
}

describe('#crypto/sync-digest: synchronous SHA-256 and HMAC-SHA-256', () => {
  it('matches the FIPS 180-4 examples (one block, two blocks, a million a)', () => {
    const ascii = (s: string) => new TextEncoder().encode(s);
    expect(hex(syncDigest.sha256(''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(syncDigest.sha256('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex(syncDigest.sha256(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    expect(hex(syncDigest.sha256('a'.repeat(1_000_000)))).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    );
  });

  it('encodes strings as UTF-8', () => {
    expect(syncDigest.sha256('é€😀')).toEqual(syncDigest.sha256(new TextEncoder().encode('é€😀')));
  });

  it('matches the RFC 4231 HMAC-SHA-256 test cases 1, 2, 6 and 7 (short, long key hashed first)', () => {
    const cases: [string, string, string][] = [
      [
        '0b'.repeat(20),
        hex(new TextEncoder().encode('Hi There')),
        'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
      ],
      [
        hex(new TextEncoder().encode('Jefe')),
        hex(new TextEncoder().encode('what do ya want for nothing?')),
        '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
      ],
      [
        'aa'.repeat(131),
        hex(new TextEncoder().encode('Test Using Larger Than Block-Size Key - Hash Key First')),
        '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
      ],
      [
        'aa'.repeat(131),
        hex(
          new TextEncoder().encode(
            'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
          ),
        ),
        '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
      ],
    ];
    for (const [key, data, mac] of cases) expect(hex(syncDigest.hmacSha256(fromHex(key), fromHex(data)))).toBe(mac);
  });

  it('agrees with WebCrypto on random inputs of every length around the block boundaries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 200 }),
        fc.uint8Array({ minLength: 1, maxLength: 150 }),
        fc.nat(8),
        async (data, key, offset) => {
          // A view into a larger buffer: byteOffset must be honoured.
          const backing = new Uint8Array(data.byteLength + offset);
          backing.set(data, offset);
          const view = backing.subarray(offset);
          expect(hex(syncDigest.sha256(view))).toBe(hex(await webSha256(data)));
          expect(hex(syncDigest.hmacSha256(key, view))).toBe(hex(await webHmac(key, data)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the async digest and the sync one agree; sha256B64u is the base64url of sha256', async () => {
    const data = digest.randomBytes(1000);
    expect(syncDigest.sha256(data)).toEqual(await digest.digest('sha256', data));
    expect(syncDigest.sha256B64u('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
    expect(syncDigest.sha256B64u(data)).toBe(Buffer.from(syncDigest.sha256(data)).toString('base64url'));
  });
});
