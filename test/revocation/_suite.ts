// One behaviour suite for every RevocationStore: memory, SQLite, Redis and Redis Cluster.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRevocationList, type RevocationList, type RevocationStore } from '../../src/revocation/index.js';

export interface StoreFactory {
  name: string;
  /** A store; stores created with the same key share one backend (file, Redis namespace). */
  create(key: string): RevocationStore;
  /** Do two stores with the same key share data (false for memory)? */
  shared: boolean;
  /** fast-check runs per property (Redis round trips are slower). */
  runs?: number;
}

const b64u = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
export const token = (payload: object, sig = 'c2ln') => `${b64u({ alg: 'HS256', typ: 'JWT' })}.${b64u(payload)}.${sig}`;

let counter = 0;
const uniqueKey = () => `t${process.pid}x${++counter}x${Math.random().toString(36).slice(2, 8)}`;

/** Polls `fn` until it is true or `ms` passed; returns whether it became true. */
export async function eventually(fn: () => boolean, ms = 1000): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (!fn()) {
    if (performance.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 2));
  }
  return true;
}

export function behaviourSuite(factory: StoreFactory): void {
  describe(`revocation behaviour: ${factory.name}`, () => {
    let t = 0;
    const lists: RevocationList[] = [];
    const clock = () => t;

    async function make(
      options: { key?: string; clockTolerance?: number; subjectRetention?: number } = {},
    ): Promise<RevocationList> {
      const { key = uniqueKey(), ...rest } = options;
      const list = createRevocationList({ store: factory.create(key), clock, ...rest });
      lists.push(list);
      await list.ready();
      return list;
    }

    /** isRevoked, checked to agree with isRevokedSync. */
    async function revoked(list: RevocationList, claims: Record<string, unknown>): Promise<boolean> {
      const answer = await list.isRevoked(claims);
      expect(list.isRevokedSync(claims)).toBe(answer);
      return answer;
    }

    beforeEach(() => {
      t = Math.floor(Date.now() / 1000);
    });
    afterEach(async () => {
      await Promise.all(lists.splice(0).map((l) => l.close()));
    });

    it('revokes by jti until exp + clockTolerance, then forgets it', async () => {
      const list = await make({ clockTolerance: 5 });
      const t0 = t;
      await list.revoke({ jti: 'a', exp: t0 + 10 });
      expect(await revoked(list, { jti: 'a', sub: 'x', iat: t0 })).toBe(true);
      expect(await revoked(list, { jti: 'b' })).toBe(false);
      expect(await revoked(list, {})).toBe(false);
      t = t0 + 14;
      expect(await revoked(list, { jti: 'a' })).toBe(true);
      t = t0 + 16;
      expect(await revoked(list, { jti: 'a' })).toBe(false);
      await list.purge();
      expect(await revoked(list, { jti: 'a' })).toBe(false);
    });

    it('revokes a compact token by its jti, so a re-encoded twin is revoked too (A17)', async () => {
      const list = await make();
      const payload = { jti: 'tok-1', sub: 'u', iat: t, exp: t + 60 };
      await list.revoke(token(payload, 'b3JpZ2luYWw'));
      expect(await revoked(list, payload)).toBe(true);
      // The twin differs only in its signature bytes: same claims, same answer.
      await list.revoke(token(payload, 'dHdpbg'));
      expect(await revoked(list, { ...payload })).toBe(true);
    });

    it('refuses tokens and claims it cannot revoke', async () => {
      const list = await make();
      const code = (p: Promise<unknown>) =>
        p.then(
          () => 'resolved',
          (e: { code?: string }) => e.code,
        );
      expect(await code(list.revoke(token({ exp: t + 60 })))).toBe('ERR_INVALID_OPTION');
      expect(await code(list.revoke({ jti: 'x' } as never))).toBe('ERR_INVALID_OPTION');
      expect(await code(list.revoke({ exp: t + 60 } as never))).toBe('ERR_INVALID_OPTION');
      expect(await code(list.revoke({ jti: 7, exp: t + 60 } as never))).toBe('ERR_INVALID_OPTION');
      expect(await code(list.revoke({ jti: '', exp: t + 60 }))).toBe('ERR_INVALID_OPTION');
      expect(await code(list.revoke({ jti: '\ud800', exp: t + 60 }))).toBe('ERR_INVALID_OPTION');
      expect(await code(list.revoke({ jti: 'x', exp: Number.NaN }))).toBe('ERR_INVALID_OPTION');
      expect(await code(list.revoke(null as never))).toBe('ERR_INVALID_OPTION');
      expect(await code(list.revoke('not.a-token'))).toBe('ERR_JWT_INVALID');
      expect(await code(list.revokeSubject(''))).toBe('ERR_INVALID_OPTION');
      expect(await code(list.revokeSubject('s', { issuedBefore: 'yesterday' as never }))).toBe('ERR_INVALID_OPTION');
      expect(await code(list.isRevoked(null as never))).toBe('ERR_INVALID_OPTION');
      expect(() => list.isRevokedSync(7 as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
      // A string is a compact JWT, as for revoke().
      expect(() => list.isRevokedSync('x')).toThrow(expect.objectContaining({ code: 'ERR_JWT_INVALID' }));
    });

    it('does not store a token that has already expired', async () => {
      const list = await make();
      await list.revoke({ jti: 'old', exp: t - 100 });
      expect(await revoked(list, { jti: 'old' })).toBe(false);
    });

    it('keeps the later expiry when a jti is revoked twice', async () => {
      const list = await make();
      const t0 = t;
      await list.revoke({ jti: 'twice', exp: t0 + 100 });
      await list.revoke({ jti: 'twice', exp: t0 + 10 });
      t = t0 + 50;
      expect(await revoked(list, { jti: 'twice' })).toBe(true);
    });

    it('revokeSubject revokes the tokens of a subject issued before the cut-off', async () => {
      const list = await make();
      await list.revokeSubject('alice');
      // The default cut-off is the next whole second: a token of the same second counts as issued before the call.
      expect(await revoked(list, { sub: 'alice', iat: t - 1 })).toBe(true);
      expect(await revoked(list, { sub: 'alice', iat: t })).toBe(true);
      expect(await revoked(list, { sub: 'alice', iat: t + 1, jti: 'fresh' })).toBe(false);
      expect(await revoked(list, { sub: 'alice' })).toBe(true);
      expect(await revoked(list, { sub: 'alice', iat: String(t + 1) })).toBe(true);
      expect(await revoked(list, { sub: 'bob', iat: t - 1 })).toBe(false);
    });

    it('takes issuedBefore as a Date or seconds and never lowers a cut-off', async () => {
      const list = await make();
      await list.revokeSubject('carol', { issuedBefore: t + 100 });
      await list.revokeSubject('carol', { issuedBefore: new Date((t + 10) * 1000) });
      expect(await revoked(list, { sub: 'carol', iat: t + 50 })).toBe(true);
      expect(await revoked(list, { sub: 'carol', iat: t + 100 })).toBe(false);
    });

    it('forgets a cut-off subjectRetention seconds after it', async () => {
      const list = await make({ subjectRetention: 60 });
      const t0 = t;
      await list.revokeSubject('dave');
      t = t0 + 59;
      expect(await revoked(list, { sub: 'dave', iat: t0 - 1 })).toBe(true);
      t = t0 + 62; // the cut-off was t0 + 1 (the next whole second)
      expect(await revoked(list, { sub: 'dave', iat: t0 - 1 })).toBe(false);
      await list.purge();
      expect(await revoked(list, { sub: 'dave', iat: t0 - 1 })).toBe(false);
    });

    it('treats prototype names as ordinary keys', async () => {
      const list = await make();
      expect(await revoked(list, { jti: '__proto__', sub: 'constructor', iat: 1 })).toBe(false);
      await list.revoke({ jti: '__proto__', exp: t + 60 });
      await list.revokeSubject('toString');
      expect(await revoked(list, { jti: '__proto__' })).toBe(true);
      expect(await revoked(list, { jti: 'constructor', sub: 'hasOwnProperty', iat: 1 })).toBe(false);
      expect(await revoked(list, { sub: 'toString', iat: 1 })).toBe(true);
    });

    it('round-trips arbitrary jti and sub strings (property)', async () => {
      const list = await make();
      const seen = new Set<string>();
      const special = fc.constantFrom('__proto__', 'constructor', ':', '{}', '{jot}', 'a:{b}:c', '*', '?', '[a]', '\\');
      const id = fc.oneof(special, fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }));
      await fc.assert(
        fc.asyncProperty(id, id, async (jti, other) => {
          await list.revoke({ jti, exp: t + 60 });
          seen.add(jti);
          expect(await revoked(list, { jti })).toBe(true);
          expect(await revoked(list, { jti: other })).toBe(seen.has(other));
          await list.revokeSubject(jti);
          expect(await revoked(list, { sub: jti, iat: t - 1 })).toBe(true);
        }),
        { numRuns: factory.runs ?? 100 },
      );
    });

    // Memory stores share nothing: there is no second store to ask, so no such test.
    const ifShared = factory.shared ? it : () => {};
    ifShared('a second store on the same backend sees revocations', async () => {
      const key = uniqueKey();
      const a = await make({ key });
      const b = await make({ key });
      await a.revoke({ jti: 'shared', exp: t + 60 });
      await a.revokeSubject('erin');
      expect(await eventually(() => b.isRevokedSync({ jti: 'shared' }))).toBe(true);
      expect(await eventually(() => b.isRevokedSync({ sub: 'erin', iat: t - 1 }))).toBe(true);
      // A store opened later loads what was revoked before it existed.
      const c = await make({ key });
      expect(await revoked(c, { jti: 'shared' })).toBe(true);
      expect(await revoked(c, { sub: 'erin', iat: t - 1 })).toBe(true);
    });

    it('fails closed once closed', async () => {
      const list = createRevocationList({ store: factory.create(uniqueKey()), clock });
      await list.ready();
      await list.close();
      await expect(list.isRevoked({ jti: 'a' })).rejects.toMatchObject({ code: 'ERR_REVOCATION_STORE_UNAVAILABLE' });
      expect(() => list.isRevokedSync({ jti: 'a' })).toThrow(
        expect.objectContaining({ code: 'ERR_REVOCATION_STORE_UNAVAILABLE' }),
      );
      await expect(list.revoke({ jti: 'a', exp: t + 60 })).rejects.toMatchObject({
        code: 'ERR_REVOCATION_STORE_UNAVAILABLE',
      });
    });
  });
}
