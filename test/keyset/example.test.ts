// examples/keysets.js (the README's "Key sets" walk-through) runs against dist/: keep it working.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

describe('examples/keysets.js', () => {
  it.runIf(existsSync(join(root, 'dist', 'index.js')))('rotates, keeps old tokens valid, refuses a leaked key', () => {
    const out = execFileSync(process.execPath, [join(root, 'examples', 'keysets.js')], { encoding: 'utf8' });
    expect(out).toMatch(/token from the first key\s+accepted/);
    expect(out).toMatch(/token from the rotated key\s+accepted/);
    expect(out).toMatch(/token signed before the rotation\s+accepted/);
    expect(out).toMatch(/token from the leaked key\s+rejected: ERR_JWT_REVOKED/);
    expect(out).toMatch(/replacement key, within the cooldown\s+rejected: ERR_JWKS_NO_MATCHING_KEY/);
    expect(out).toMatch(/replacement key, after the cooldown\s+accepted/);
  });
});
