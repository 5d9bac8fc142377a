// JotError, JwtClaimError and isJotError: stable codes, errors as data, nothing secret in their JSON form.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ERROR_CODES, err, isJotError, JotError, type JotErrorCode, JwtClaimError } from '../src/errors.js';

describe('errors', () => {
  it('ERROR_CODES is frozen, without repeats, and its element type is JotErrorCode', () => {
    expect(Object.isFrozen(ERROR_CODES)).toBe(true);
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    for (const code of ERROR_CODES) expect(code).toMatch(/^ERR_[A-Z_]+$/);
    expectTypeOf<(typeof ERROR_CODES)[number]>().toEqualTypeOf<JotErrorCode>();
  });

  it('a JotError carries its code and cause; its JSON form has neither stack nor cause', () => {
    const cause = new Error('socket closed: secret-token');
    const e = err('ERR_REVOCATION_STORE_UNAVAILABLE', 'the store is unavailable', cause);
    expect(e).toBeInstanceOf(JotError);
    expect(e.name).toBe('JotError');
    expect(e.cause).toBe(cause);
    expect(e.toJSON()).toEqual({
      name: 'JotError',
      code: 'ERR_REVOCATION_STORE_UNAVAILABLE',
      message: 'the store is unavailable',
    });
    expect(err('ERR_JWS_INVALID', 'x').cause).toBeUndefined();
  });

  it('a JwtClaimError keeps the payload out of JSON and enumeration', () => {
    const payload = { sub: 'user-1', exp: 1 };
    const e = new JwtClaimError('ERR_JWT_EXPIRED', 'exp', 'expired', payload);
    expect(e.payload).toBe(payload);
    expect(Object.keys(e)).not.toContain('payload');
    expect(e.message).toBe('"exp" claim check failed: expired');
    expect(e.toJSON()).toEqual({
      name: 'JwtClaimError',
      code: 'ERR_JWT_EXPIRED',
      message: e.message,
      claim: 'exp',
      reason: 'expired',
    });
    expect(JSON.stringify(e)).not.toContain('user-1');
  });

  it('isJotError narrows, optionally on a code', () => {
    const e = err('ERR_JWT_REVOKED', 'revoked');
    expect(isJotError(e)).toBe(true);
    expect(isJotError(e, 'ERR_JWT_REVOKED')).toBe(true);
    expect(isJotError(e, 'ERR_JWT_EXPIRED')).toBe(false);
    expect(isJotError(new JwtClaimError('ERR_JWT_EXPIRED', 'exp', 'expired', {}), 'ERR_JWT_EXPIRED')).toBe(true);
    for (const v of [new Error('x'), { code: 'ERR_JWT_REVOKED' }, null, undefined, 'ERR_JWT_REVOKED']) {
      expect(isJotError(v)).toBe(false);
    }
  });
});
