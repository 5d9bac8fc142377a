// The verification behaviour suite runs once per mode: verifyJwt, and createVerifier's verify/verifySync without
// and with the verified-token cache. Cached modes verify every token twice (the second call is a cache hit for a
// token that verified) and require both outcomes to be identical.
import { expect } from 'vitest';
import type { KeyResolver } from '../../src/jws/policy.js';
import { createVerifier, verifyJwt } from '../../src/jwt/index.js';
import type { JwtVerifyResult, VerifyJwtOptions } from '../../src/jwt/types.js';
import type { Key } from '../../src/key/index.js';
import { syncOrRefused } from '../helpers/runtime.js';

export type VerifyFn = (token: string, key: Key | KeyResolver, options?: VerifyJwtOptions) => Promise<JwtVerifyResult>;

export interface Mode {
  name: string;
  /** Runs synchronously (a resolver must return a Key, revocation needs isRevokedSync). */
  sync: boolean;
  verify: VerifyFn;
}

type Outcome = { ok: true; value: JwtVerifyResult } | { ok: false; error: unknown };

async function settle(f: () => JwtVerifyResult | Promise<JwtVerifyResult>): Promise<Outcome> {
  try {
    return { ok: true, value: await f() };
  } catch (error) {
    return { ok: false, error };
  }
}

function sameOutcome(a: Outcome, b: Outcome): void {
  expect(b.ok).toBe(a.ok);
  if (a.ok && b.ok) {
    expect(b.value.payload).toEqual(a.value.payload);
    expect(b.value.payload).not.toBe(a.value.payload); // a fresh object per call
    expect(b.value.protectedHeader).toEqual(a.value.protectedHeader);
    expect(b.value.key).toBe(a.value.key);
  } else if (!a.ok && !b.ok) {
    const pick = (e: unknown) => {
      const x = e as { code?: string; claim?: string; reason?: string };
      return { code: x.code, claim: x.claim, reason: x.reason };
    };
    expect(pick(b.error)).toEqual(pick(a.error));
  }
}

function unwrap(o: Outcome): JwtVerifyResult {
  if (o.ok) return o.value;
  throw o.error;
}

const withKey = (key: Key | KeyResolver, options?: VerifyJwtOptions) => ({ ...options, key });

export const MODES: readonly Mode[] = [
  { name: 'verifyJwt', sync: false, verify: async (t, k, o) => verifyJwt(t, k, o) },
  { name: 'createVerifier().verify', sync: false, verify: async (t, k, o) => createVerifier(withKey(k, o)).verify(t) },
  {
    name: 'createVerifier().verifySync',
    sync: true,
    verify: async (t, k, o) => {
      const v = createVerifier(withKey(k, o));
      return syncOrRefused(
        () => v.verifySync(t),
        () => v.verify(t),
      );
    },
  },
  {
    name: 'createVerifier({ cache }).verify',
    sync: false,
    verify: async (t, k, o) => {
      const v = createVerifier({ ...withKey(k, o), cache: { max: 10 } });
      const first = await settle(() => v.verify(t));
      const second = await settle(() => v.verify(t));
      sameOutcome(first, second);
      return unwrap(second);
    },
  },
  {
    name: 'createVerifier({ cache }).verifySync',
    sync: true,
    verify: async (t, k, o) => {
      const v = createVerifier({ ...withKey(k, o), cache: { max: 10 } });
      const once = () =>
        syncOrRefused(
          () => v.verifySync(t),
          () => v.verify(t),
        );
      const first = await settle(once);
      const second = await settle(once);
      sameOutcome(first, second);
      return unwrap(second);
    },
  },
];
