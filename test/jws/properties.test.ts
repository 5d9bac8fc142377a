/**
 * Property-based tests (fast-check): sign/verify round trips for arbitrary payloads and header members, and
 * arbitrary or mutated input to every JWS parse/verify entry point, which may only ever fail with a JotError and
 * never verifies a mutated token.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeUnverified,
  type FlattenedJWS,
  type JoseHeader,
  signCompact,
  signJson,
  verifyCompact,
  verifyJson,
} from '../../src/index.js';
import { LACKS_SECP256K1 } from '../helpers/runtime.js';
import { fromB64u, keysFor, segments, toB64u, outcome } from '../helpers/index.js';

// ES256K where the implementation has secp256k1 (a WebCrypto without it refuses: test/key/generate.test.ts).
const ALGS = ['HS256', 'HS512', 'RS256', 'PS384', 'ES256', 'ES512', 'ES256K', 'EdDSA', 'Ed448'].filter(
  (a) => a !== 'ES256K' || !LACKS_SECP256K1,
);
const REGISTERED = new Set(['alg', 'jku', 'jwk', 'kid', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'typ', 'cty', 'crit', 'enc']);
for (const n of ['zip', 'epk', 'apu', 'apv', 'iv', 'tag', 'p2s', 'p2c', 'b64', '__proto__']) REGISTERED.add(n);

const extraMembers = fc.dictionary(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }).filter((k) => !REGISTERED.has(k)),
  fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }),
  { maxKeys: 5 },
);
const RUNS = { numRuns: 150 };

describe('round trips', () => {
  it('compact and flattened: arbitrary payload bytes and extra header members, every algorithm', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ALGS),
        fc.uint8Array({ maxLength: 600 }),
        extraMembers,
        async (alg, payload, extra) => {
          const { privateKey, publicKey } = await keysFor(alg);
          const header = { ...extra, alg } as JoseHeader;
          const expectedHeader = JSON.parse(JSON.stringify(header));
          const jws = await signCompact(payload, header, privateKey);
          const r = await verifyCompact(jws, publicKey);
          expect(r.payload).toEqual(payload);
          expect(r.protectedHeader).toEqual(expectedHeader);
          const flat = await signJson(payload, [{ protectedHeader: header, key: privateKey }], { flattened: true });
          expect((await verifyJson(JSON.stringify(flat), publicKey)).payload).toEqual(payload);
        },
      ),
      RUNS,
    );
  });

  it('unencoded payloads (RFC 7797): either refused as ERR_JWS_INVALID, or the exact bytes come back', async () => {
    const { privateKey: key } = await keysFor('HS256');
    const header = { alg: 'HS256', b64: false, crit: ['b64'] };
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.string({ unit: 'binary' }).map((s) => new TextEncoder().encode(s)),
    );
    await fc.assert(
      fc.asyncProperty(bytes, async (payload) => {
        const code = await outcome(() => signCompact(payload, header, key));
        if (code !== 'ok') {
          expect(code).toBe('ERR_JWS_INVALID');
        } else {
          const jws = await signCompact(payload, header, key);
          expect((await verifyCompact(jws, key, { crit: { b64: true } })).payload).toEqual(payload);
        }
        const detached = await signCompact(payload, header, key, { detached: true });
        const r = await verifyCompact(detached, key, { crit: { b64: true }, detachedPayload: payload });
        expect(r.payload).toEqual(payload);
      }),
      { numRuns: 300 },
    );
  });
});

describe('hostile input only ever yields a JotError', () => {
  const alphabet = fc.constantFrom(...'ABCxyz019-_.=+/ \t\n"{}[]:,\\%\u00a0\ufeff\u0000é');
  const tokenish = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.string({ unit: alphabet, maxLength: 200 }),
    fc
      .tuple(fc.jsonValue(), fc.jsonValue(), fc.uint8Array())
      .map(([h, p, s]) => `${toB64u(JSON.stringify(h) ?? '')}.${toB64u(JSON.stringify(p) ?? '')}.${toB64u(s)}`),
    fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
  );

  it('verifyCompact, verifyJson and decodeUnverified on arbitrary strings and values', async () => {
    const { publicKey } = await keysFor('ES256');
    await fc.assert(
      fc.asyncProperty(fc.oneof(tokenish, fc.anything()), async (input) => {
        expect(await outcome(() => verifyCompact(input as string, publicKey))).not.toBe('ok');
        expect(await outcome(() => verifyJson(input as string, publicKey))).not.toBe('ok');
        expect(await outcome(() => decodeUnverified(input as string))).toMatch(/^(ok|ERR_[A-Z_]+)$/);
      }),
      { numRuns: 500 },
    );
  });

  it('mutated compact tokens (characters, segments, header JSON) never verify', async () => {
    const tokens = await Promise.all(
      ALGS.map(async (alg) => ({
        alg,
        jws: await signCompact('{"sub":"u"}', { alg, kid: 'k' }, (await keysFor(alg)).privateKey),
      })),
    );
    const charEdit = fc.record({
      kind: fc.constantFrom('replace', 'insert', 'delete'),
      at: fc.nat(),
      ch: fc.constantFrom(...'AQgw-_.=+/ 0~\u0000é'),
    });
    const headerEdit = fc.oneof(
      fc.record({ alg: fc.constantFrom('HS256', 'ES256', 'none', 'NONE', 'EdDSA', 'RS256', 'HS384', 'ES256K') }),
      fc.record({ crit: fc.constantFrom(['b64'], ['x'], [], 'b64') }),
      fc.record({ b64: fc.boolean() }),
      fc.record({ kid: fc.jsonValue() }),
      fc.constant({ enc: 'A128GCM' }),
      fc.constant('DUPLICATE'),
      fc.constant('ARRAY'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: tokens.length - 1 }),
        fc.array(charEdit, { minLength: 1, maxLength: 3 }),
        headerEdit,
        fc.nat(5),
        async (i, edits, hEdit, mode) => {
          const { alg, jws } = tokens[i]!;
          const { publicKey } = await keysFor(alg);
          let mutated = jws;
          if (mode < 3) {
            for (const e of edits) {
              const at = e.at % (mutated.length + 1);
              mutated =
                e.kind === 'insert'
                  ? mutated.slice(0, at) + e.ch + mutated.slice(at)
                  : e.kind === 'delete'
                    ? mutated.slice(0, at) + mutated.slice(at + 1)
                    : mutated.slice(0, at) + e.ch + mutated.slice(at + 1);
            }
          } else if (mode === 3) {
            const [h, p, s] = segments(jws);
            mutated = [`${h}.${s}.${p}`, `${p}.${h}.${s}`, `${h}.${p}.${s}.${s}`, `${h}.${h}.${s}`][edits.length]!;
          } else {
            const [h, p, s] = segments(jws);
            const text = new TextDecoder().decode(fromB64u(h));
            const json =
              hEdit === 'DUPLICATE'
                ? text.replace('{', `{"alg":"${alg}",`)
                : hEdit === 'ARRAY'
                  ? `[${text}]`
                  : JSON.stringify({ ...JSON.parse(text), ...(hEdit as object) });
            mutated = `${toB64u(json)}.${p}.${s}`;
          }
          if (mutated === jws) return;
          const code = await outcome(() => verifyCompact(mutated, publicKey));
          expect(code).not.toBe('ok');
          const parts = mutated.split('.');
          if (parts.length === 3) {
            const flat = { protected: parts[0], payload: parts[1], signature: parts[2] } as FlattenedJWS;
            expect(await outcome(() => verifyJson(flat, publicKey))).not.toBe('ok');
          }
        },
      ),
      { numRuns: 600 },
    );
  });

  it('mutated JSON serializations never verify', async () => {
    const { privateKey, publicKey } = await keysFor('ES256');
    const flat = (await signJson(
      'payload',
      [{ protectedHeader: { alg: 'ES256' }, unprotectedHeader: { kid: 'a' }, key: privateKey }],
      {
        flattened: true,
      },
    )) as FlattenedJWS;
    const member = fc.constantFrom('protected', 'payload', 'signature', 'header', 'signatures', 'extra');
    await fc.assert(
      fc.asyncProperty(member, fc.oneof(fc.jsonValue(), fc.string()), async (name, value) => {
        const mutated = { ...flat, [name]: value } as FlattenedJWS;
        if (JSON.stringify(mutated) === JSON.stringify(flat)) return;
        const code = await outcome(() => verifyJson(mutated, publicKey));
        // Only the unprotected header may change without breaking the signature.
        if (name === 'header' && code === 'ok') {
          expect(typeof value === 'object' && value !== null && !Array.isArray(value)).toBe(true);
          return;
        }
        expect(code).not.toBe('ok');
        expect(await outcome(() => verifyJson(JSON.stringify(mutated), publicKey))).not.toBe('ok');
      }),
      { numRuns: 400 },
    );
  });
});
