// Property: tampering with any part of a valid JWE (a character replaced, inserted or deleted, or a byte
// of a decoded part flipped) fails with ERR_JWE_DECRYPTION_FAILED or ERR_JWE_INVALID, never anything else,
// and never decrypts.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { JotError } from '../../src/errors.js';
import { decryptCompact, decryptJson, encryptCompact, encryptJson } from '../../src/jwe/index.js';
import type { JweDecryptOptions } from '../../src/jwe/types.js';
import type { Key } from '../../src/key/key.js';
import { dirKey, jweKeysFor } from '../helpers/index.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ALLOWED = ['ERR_JWE_DECRYPTION_FAILED', 'ERR_JWE_INVALID'];

interface Sample {
  name: string;
  jwe: string;
  key: Key;
  options: JweDecryptOptions;
}

const samples: Sample[] = [];
const CASES: [string, string, string?][] = [
  ['dir', 'A128GCM'],
  ['dir', 'A128CBC-HS256'],
  ['A128KW', 'A256GCM'],
  ['A256GCMKW', 'A192CBC-HS384'],
  ['ECDH-ES', 'A128GCM', 'P-256'],
  ['ECDH-ES+A128KW', 'A256CBC-HS512', 'X25519'],
  ['RSA-OAEP-256', 'A256GCM'],
  ['PBES2-HS256+A128KW', 'A128GCM'],
];

beforeAll(async () => {
  const plaintext = '{"sub":"alice","admin":false}';
  for (const [alg, enc, crv] of CASES) {
    const keys =
      alg === 'dir' ? await dirKey(enc).then((k) => ({ encryptKey: k, decryptKey: k })) : await jweKeysFor(alg, crv);
    const header = { alg, enc, kid: 'k1', ...(alg.startsWith('PBES2') ? { p2c: 1000 } : {}) };
    const jwe = await encryptCompact(plaintext, header, keys.encryptKey);
    samples.push({ name: `${alg}/${enc}`, jwe, key: keys.decryptKey, options: { keyManagementAlgorithms: [alg] } });
  }
  const zkey = await dirKey('A256GCM');
  const zipped = await encryptCompact(plaintext.repeat(3), { alg: 'dir', enc: 'A256GCM', zip: 'DEF' }, zkey);
  samples.push({ name: 'dir/A256GCM/zip', jwe: zipped, key: zkey, options: { allowZip: true } });
  for (const s of samples) await decryptCompact(s.jwe, s.key, s.options); // all valid to start with
});

async function rejectsCleanly(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return false;
  } catch (e) {
    if (!(e instanceof JotError) || !ALLOWED.includes(e.code)) throw e;
    return true;
  }
}

const sample = () => fc.integer({ min: 0, max: samples.length - 1 });
const runs = { numRuns: Number(process.env.JOT_FC_RUNS ?? 400) };

describe('tampering with a compact JWE', () => {
  it('replacing any character of any segment', async () => {
    await fc.assert(
      fc.asyncProperty(sample(), fc.nat(), fc.nat(), async (si, pos, pick) => {
        const s = samples[si]!;
        const i = pos % s.jwe.length;
        if (s.jwe[i] === '.') return;
        const alternatives = ALPHABET.replace(s.jwe[i]!, '');
        const t = s.jwe.slice(0, i) + alternatives[pick % alternatives.length] + s.jwe.slice(i + 1);
        expect(await rejectsCleanly(decryptCompact(t, s.key, s.options))).toBe(true);
      }),
      runs,
    );
  });

  it('inserting or deleting a character anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(
        sample(),
        fc.nat(),
        fc.boolean(),
        fc.constantFrom(...`${ALPHABET}.`),
        async (si, pos, insert, c) => {
          const s = samples[si]!;
          const i = pos % (s.jwe.length + 1);
          const t = insert ? s.jwe.slice(0, i) + c + s.jwe.slice(i) : s.jwe.slice(0, i) + s.jwe.slice(i + 1);
          if (t === s.jwe) return;
          expect(await rejectsCleanly(decryptCompact(t, s.key, s.options))).toBe(true);
        },
      ),
      runs,
    );
  });

  it('flipping any bits of any byte of any decoded part', async () => {
    await fc.assert(
      fc.asyncProperty(
        sample(),
        fc.integer({ min: 0, max: 4 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        async (si, part, pos, mask) => {
          const s = samples[si]!;
          const segments = s.jwe.split('.');
          const bytes = Buffer.from(segments[part]!, 'base64url');
          if (bytes.length === 0) return;
          bytes[pos % bytes.length]! ^= mask;
          segments[part] = bytes.toString('base64url');
          expect(await rejectsCleanly(decryptCompact(segments.join('.'), s.key, s.options))).toBe(true);
        },
      ),
      runs,
    );
  });
});

describe('tampering with a JSON JWE', () => {
  let general: Record<string, unknown>;
  let keys: Key[];
  beforeAll(async () => {
    const a = await jweKeysFor('A128KW');
    const r = await jweKeysFor('ECDH-ES+A256KW', 'P-384');
    general = (await encryptJson('json payload', {
      protectedHeader: { enc: 'A128CBC-HS256' },
      aad: 'extra',
      recipients: [
        { header: { alg: 'A128KW' }, key: a.encryptKey },
        { header: { alg: 'ECDH-ES+A256KW' }, key: r.encryptKey },
      ],
    })) as unknown as Record<string, unknown>;
    keys = [a.decryptKey, r.decryptKey];
  });

  it('flipping a byte of protected, encrypted_key, iv, ciphertext, tag or aad', async () => {
    const members = ['protected', 'iv', 'ciphertext', 'tag', 'aad', 'encrypted_key'] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...members),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.nat(1),
        async (m, pos, mask, ki) => {
          const copy = structuredClone(general) as Record<string, any>;
          const holder = m === 'encrypted_key' ? copy.recipients[ki] : copy;
          const bytes = Buffer.from(holder[m], 'base64url');
          bytes[pos % bytes.length]! ^= mask;
          holder[m] = bytes.toString('base64url');
          expect(await rejectsCleanly(decryptJson(copy, keys[ki]!))).toBe(true);
        },
      ),
      runs,
    );
  });
});
