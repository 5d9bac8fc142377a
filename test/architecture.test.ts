// Guards the architecture (STYLE habit 3): algorithms are described once, as data, in src/alg/;
// JWS/JWE/JWT code reaches cryptography only through the backend interface.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_ENCRYPTION_ALGORITHMS, JWS_ALGORITHMS, KEY_MANAGEMENT_ALGORITHMS } from '../src/alg/index.js';

const root = join(import.meta.dirname, '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

// Code only: comments (TSDoc examples name algorithms) are stripped.
const stripComments = (t: string) => t.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
const sources = files(root).map((p) => ({ path: relative(root, p), text: stripComments(readFileSync(p, 'utf8')) }));
const names = [
  ...Object.keys(JWS_ALGORITHMS),
  ...Object.keys(KEY_MANAGEMENT_ALGORITHMS),
  ...Object.keys(CONTENT_ENCRYPTION_ALGORITHMS),
  // `dir` is an ordinary word; Ed25519 and Ed448 are also curve names (RFC 9864 reused them).
].filter((n) => n !== 'dir' && n !== 'Ed25519' && n !== 'Ed448');

describe('architecture', () => {
  it('no algorithm identifier literal outside src/alg/', () => {
    const offenders: string[] = [];
    for (const { path, text } of sources) {
      if (path.startsWith('alg/')) continue;
      for (const n of names) {
        if (text.includes(`'${n}'`) || text.includes(`"${n}"`)) offenders.push(`${path}: ${n}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('no dispatch on algorithm-name prefixes', () => {
    const offenders = sources
      .filter(({ text }) => /\.startsWith\(\s*['"](HS|RS|PS|ES|A\d|PBES|ECDH|RSA)/.test(text))
      .map((s) => s.path);
    expect(offenders).toEqual([]);
  });

  it('JWS, JWE and JWT code uses the crypto backend, not node:crypto', () => {
    const offenders = sources
      .filter(({ path }) => /^(jws|jwe|jwt)\//.test(path))
      .filter(({ text }) => /from ['"](node:)?crypto['"]/.test(text))
      .map((s) => s.path);
    expect(offenders).toEqual([]);
  });
});
