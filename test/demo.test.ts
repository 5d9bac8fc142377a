// `npm run demo` runs examples/demo.js against dist/ (built by test/global-setup.ts): keep it working.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

describe('npm start demonstration', () => {
  it('accepts genuine tokens and rejects every forgery', () => {
    const out = execFileSync(process.execPath, [join(root, 'examples', 'demo.js')], { encoding: 'utf8' });
    expect(out).toMatch(/HS256 genuine token\s+accepted/);
    expect(out).toMatch(/alg "none", signature stripped\s+rejected: ERR_JOSE_ALG_NOT_ALLOWED/);
    expect(out).toMatch(/after revoke \(cache hit\)\s+rejected: ERR_JWT_REVOKED/);
    expect(out).not.toMatch(/unexpected error/);
  });
});
