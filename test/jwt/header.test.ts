// The JWT header rules shared by every JWT function: media types, nested JWTs, unencoded payloads, typ, and the
// header a JWT is made with (alg and kid from the key).
import { describe, expect, it } from 'vitest';
import {
  isNestedJwt,
  jwtHeader,
  keyHeader,
  normalizeMediaType,
  refuseNestedJwt,
  refuseUnencodedPayload,
  typReason,
} from '../../src/jwt/header.js';
import { importKey } from '../../src/key/index.js';
import { expectCode, SECRET } from '../helpers/index.js';

describe('normalizeMediaType', () => {
  it('folds ASCII case only and drops application/ when no other / follows', async () => {
    expect(normalizeMediaType('application/AT+JWT')).toBe('at+jwt');
    expect(normalizeMediaType('JWT')).toBe('jwt');
    expect(normalizeMediaType('application/foo/bar')).toBe('application/foo/bar');
    expect(normalizeMediaType('\u212Ab+jwt')).toBe('\u212Ab+jwt'); // Kelvin sign: no Unicode folding
    await expectCode(() => normalizeMediaType(1 as unknown as string), 'ERR_INVALID_OPTION');
  });
});

describe('header rules', () => {
  it('cty: JWT in any spelling is a nested JWT, refused by the readers; other cty values pass', async () => {
    for (const cty of ['JWT', 'jwt', 'application/JWT', 'application/jwt']) {
      expect(isNestedJwt({ cty })).toBe(true);
      await expectCode(() => refuseNestedJwt({ cty }), 'ERR_JWT_INVALID');
    }
    for (const header of [{}, { cty: 'json' }, { cty: 'application/jwt+x' }]) {
      expect(isNestedJwt(header)).toBe(false);
      expect(refuseNestedJwt(header)).toBeUndefined();
    }
    expect(isNestedJwt({ cty: 1 })).toBe(false);
    await expectCode(() => refuseNestedJwt({ cty: 1 }), 'ERR_JWT_INVALID');
    expect(isNestedJwt(Object.create({ cty: 'JWT' }))).toBe(false); // own members only
  });

  it('b64 may only be absent or true', async () => {
    for (const header of [{}, { b64: true }]) expect(refuseUnencodedPayload(header)).toBeUndefined();
    for (const b64 of [false, 'false', 0, null])
      await expectCode(() => refuseUnencodedPayload({ b64 }), 'ERR_JWT_INVALID');
  });

  it('typReason: undefined when no typ is required or it matches, else missing, invalid or mismatch', () => {
    const typs = new Set(['at+jwt']);
    expect(typReason({ typ: 'x' }, undefined)).toBeUndefined();
    expect(typReason({ typ: 'application/AT+JWT' }, typs)).toBeUndefined();
    expect(typReason({}, typs)).toBe('missing');
    expect(typReason(undefined, typs)).toBe('missing');
    expect(typReason({ typ: 1 }, typs)).toBe('invalid');
    expect(typReason({ typ: 'jwt' }, typs)).toBe('mismatch');
  });
});

describe('the header a JWT is made with', () => {
  it('jwtHeader: typ defaults to JWT, header members are merged, alg and the JWS-only members are refused', async () => {
    expect({ ...jwtHeader({}, 'HS256') }).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect({ ...jwtHeader({ typ: false, header: { x: 1 } }, 'HS256') }).toEqual({ alg: 'HS256', x: 1 });
    for (const name of ['alg', 'enc', 'b64', 'zip']) {
      await expectCode(() => jwtHeader({ header: { [name]: 'x' } }, 'HS256'), 'ERR_INVALID_OPTION');
    }
    await expectCode(() => jwtHeader({ kid: 'a', header: { kid: 'b' } }, 'HS256'), 'ERR_INVALID_OPTION');
    await expectCode(() => jwtHeader({ kid: '' }, 'HS256'), 'ERR_INVALID_OPTION');
  });

  it("keyHeader: alg and kid default to the key's; explicit options and header members win", async () => {
    const key = await importKey(SECRET, { alg: 'HS256', kid: 'k1' });
    expect({ ...keyHeader({}, key) }).toEqual({ alg: 'HS256', kid: 'k1', typ: 'JWT' });
    expect(keyHeader({ kid: 'k2' }, key).kid).toBe('k2');
    expect(keyHeader({ kid: false }, key).kid).toBeUndefined();
    expect(keyHeader({ header: { kid: 'k3' } }, key).kid).toBe('k3');
    expect(keyHeader({ alg: 'HS384' }, key).alg).toBe('HS384'); // the key refuses it later, when signing
    const unbound = await importKey(SECRET);
    await expectCode(() => keyHeader({}, unbound), 'ERR_INVALID_OPTION');
    await expectCode(() => keyHeader({ alg: 1 }, key), 'ERR_INVALID_OPTION');
  });
});
