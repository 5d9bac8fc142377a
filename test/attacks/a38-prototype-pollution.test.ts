/**
 * A38 with a polluted Object.prototype, in a child process (fixtures/polluted-child.mjs, against dist/, built here):
 * `algorithms: ['none']`, `clockTolerance: 1e12`, `crit: { x: true }`, `alg: 'none'`, `allowAnyAudience`,
 * `keys`, `use`, `padding`, `passphrase`, `maxOutputLength`... on every option, header, claim, JWK and
 * serialization member name jot reads and every option node reads from the objects jot hands it. Outcomes
 * (error codes, or the results' own members) must not change. Three names node reads from objects it builds
 * itself (`d`, `kty`, `encoding`) cannot be shielded by a caller: with those, jot must fail closed (a JotError).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors.js';

const root = join(import.meta.dirname, '..', '..');

interface ChildOutput {
  baseline: Record<string, string>;
  polluted: Record<string, string>;
  nodeInternal: Record<string, string>;
  names: string[];
  clean: boolean;
}

let out: ChildOutput;

beforeAll(() => {
  expect(existsSync(join(root, 'dist', 'index.js'))).toBe(true);
  const text = execFileSync(process.execPath, [join(import.meta.dirname, 'fixtures', 'polluted-child.mjs')], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  out = JSON.parse(text) as ChildOutput;
}, 120_000);

describe('A38: a polluted Object.prototype changes nothing (child process, dist/)', () => {
  it('the pollution covers the names the catalogue lists, and is removed afterwards', () => {
    for (const name of ['algorithms', 'clockTolerance', 'crit', 'alg', 'allowAnyAudience', 'keys', 'padding']) {
      expect(out.names).toContain(name);
    }
    expect(out.names.length).toBeGreaterThan(60);
    expect(out.clean).toBe(true);
  });

  it('the baseline is what the policy says: none, expired, crit, unbound keys and zip are refused', () => {
    const b = out.baseline;
    expect(b.good).toMatch(/^ok /);
    expect([b.none, b.noneUnbound, b.expired, b.crit]).toEqual([
      'ERR_JOSE_ALG_NOT_ALLOWED',
      'ERR_JOSE_ALG_NOT_ALLOWED',
      'ERR_JWT_EXPIRED',
      'ERR_JOSE_NOT_SUPPORTED',
    ]);
    expect([b.unboundWithoutAlgorithms, b.zipNotEnabled, b.pbes2NotListed, b.setWithoutKeys]).toEqual([
      'ERR_INVALID_OPTION',
      'ERR_JOSE_NOT_SUPPORTED',
      'ERR_JOSE_ALG_NOT_ALLOWED',
      'ERR_JWKS_INVALID',
    ]);
    expect(b.audienceWithoutOption).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
    expect(b.importJwk).toBe('ok {"kty":"RSA","isPrivate":false}');
    for (const [name, v] of Object.entries(b)) expect(v, name).not.toMatch(/^ESCAPED/);
  });

  it('every outcome is identical under pollution', () => {
    const changed = Object.keys(out.baseline).filter((k) => out.polluted[k] !== out.baseline[k]);
    expect(changed.map((k) => `${k}: ${out.baseline[k]?.slice(0, 60)} -> ${out.polluted[k]?.slice(0, 60)}`)).toEqual(
      [],
    );
  });

  it('with the names only node reads (d, kty, encoding), every outcome is identical or fails closed', () => {
    for (const [k, v] of Object.entries(out.nodeInternal)) {
      if (v === out.baseline[k]) continue;
      expect(ERROR_CODES, `${k}: ${v.slice(0, 80)}`).toContain(v);
    }
  });
});
