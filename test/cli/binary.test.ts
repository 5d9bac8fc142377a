// Spawns the built binary (bin/jot.js + dist/, from npm run build) and pins exit codes and output with
// golden files. The clock is fixed (JOT_NOW) and colours are off (NO_COLOR). UPDATE_GOLDEN=1 rewrites them.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, ROOT, spawnJot } from './_run.js';

const FX = join(import.meta.dirname, 'fixtures');
const GOLDEN = join(import.meta.dirname, 'golden');
const JWT_IO =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

beforeAll(assertBuilt);

/** Version-free text: the golden files survive a version bump. */
const normalize = (s: string) => s.replace(/jot \d+\.\d+\.\d+(-[\w.]+)?/g, 'jot X.Y.Z');

async function golden(name: string, argv: string[], options: { stdin?: string; env?: Record<string, string> } = {}) {
  const r = await spawnJot(argv, { ...options, cwd: FX });
  const text = `$ jot ${argv.map((a) => (a.length > 40 ? `${a.slice(0, 20)}...` : a)).join(' ')}\n[exit ${r.code}]\n${normalize(r.stdout)}--- stderr\n${normalize(r.stderr)}`;
  const file = join(GOLDEN, `${name}.txt`);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
  expect(text).toBe(readFileSync(file, 'utf8'));
  return r;
}

describe('the built jot binary (golden files)', () => {
  it('--version and --help', async () => {
    const v = await spawnJot(['--version']);
    expect(v).toEqual({
      code: 0,
      stdout: `jot ${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}\n`,
      stderr: '',
    });
    await golden('help', ['--help']);
    await golden('no-arguments', []);
    await golden('verify-help', ['verify', '--help']);
  });

  it('decode: text and JSON, from an argument and from standard input', async () => {
    await golden('decode', ['decode', JWT_IO]);
    await golden('decode-json', ['decode', '--json', '-'], { stdin: `${JWT_IO}\n` });
  });

  it('sign then verify (Ed25519 is deterministic, the clock is fixed)', async () => {
    const s = await golden('sign', [
      'sign',
      '--key',
      'ed25519.jwk',
      '--sub',
      'u1',
      '--aud',
      'api',
      '--exp',
      '15m',
      '--jti',
      'j1',
    ]);
    const token = s.stdout.trim();
    await golden('verify-ok', ['verify', token, '--key', 'ed25519.jwk.pub', '--aud', 'api']);
    await golden('verify-aud', ['verify', token, '--key', 'ed25519.jwk.pub', '--aud', 'web']);
    await golden('verify-expired', ['verify', token, '--key', 'ed25519.jwk.pub'], { env: { JOT_NOW: '1767240000' } });
    await golden('verify-json', ['verify', '--json', token, '--key', 'ed25519.jwk.pub', '--iss', 'https://id.example']);
  });

  it('audit and jwk', async () => {
    await golden('audit', ['audit', JWT_IO]);
    await golden('jwk-thumbprint', ['jwk', 'thumbprint', 'ed25519.jwk.pub']);
    await golden('jwk-public', ['jwk', 'public', 'ed25519.jwk']);
  });

  it('usage errors: one line, exit 2; rejections exit 1', async () => {
    await golden('bad-flag', ['verify', JWT_IO, '--nope']);
    await golden('missing-file', ['verify', JWT_IO, '--key', 'missing.jwk']);
    await golden('wrong-key-file', ['verify', JWT_IO, '--key', 'hs256.secret']);
    await golden('unknown-command', ['frobnicate']);
    await golden('garbage-token', ['verify', 'garbage', '--key', 'ed25519.jwk.pub']);
    await golden('unreadable-store', ['revoke', 'list', '--store', 'sqlite:hs256.secret']);
  });
});
