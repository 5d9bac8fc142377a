#!/usr/bin/env node
/**
 * Mutation proof for the defences of SECURITY.md (the rows from M59 on; M01-M58 were run by hand, as SECURITY.md
 * describes). Each mutation disables one defence in a private copy of the working tree (node_modules linked, never
 * the tree itself), runs the tests named for it, and must turn them red. Prints one table row per mutation and
 * exits with status 1 if any mutation left its tests green or did not apply.
 *
 *   node scripts/mutations.js            # every mutation
 *   node scripts/mutations.js M61 M64    # some
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');

/** `from` must occur exactly once in `file`; it is replaced by `to`. */
const MUTATIONS = [
  {
    id: 'M59',
    classes: 'A04 A05',
    what: 'key text recognised by parsing: DER structures and the SSH wire format no longer recognised',
    edits: [
      [
        'src/key/key-text.ts',
        'function isDerKey(b: Uint8Array): boolean {',
        'function isDerKey(b: Uint8Array): boolean {\n  if (b.length >= 0) return false;',
      ],
      [
        'src/key/key-text.ts',
        'function isSshBlob(b: Uint8Array): boolean {',
        'function isSshBlob(b: Uint8Array): boolean {\n  if (b.length >= 0) return false;',
      ],
    ],
    tests: ['test/key/key-text.test.ts'],
  },
  {
    id: 'M60',
    classes: 'A05',
    what: 'key text recognised by parsing: JSON (JWK, JWKS) and lenient armour no longer recognised',
    edits: [
      [
        'src/key/key-text.ts',
        'function isJsonKey(text: string, depth: number): boolean {',
        'function isJsonKey(text: string, depth: number): boolean {\n  if (depth >= 0) return false;',
      ],
      [
        'src/key/key-text.ts',
        'function hasArmour(text: string): boolean {',
        "function hasArmour(text: string): boolean {\n  if (text.length >= 0) return text.includes('-----BEGIN ');",
      ],
    ],
    tests: ['test/key/key-text.test.ts'],
  },
  {
    id: 'M61',
    classes: 'A53 E03',
    what: 'a cache hit re-asks the key resolver and needs the same key',
    edits: [
      [
        'src/jwt/verify.ts',
        '      if (resolver !== undefined) {\n        try {\n          answer = offeredKey(resolver, e, token);',
        '      if (resolver === null) {\n        try {\n          answer = offeredKey(resolver, e, token);',
      ],
    ],
    tests: ['test/jwt/cache-resolver.test.ts'],
  },
  {
    id: 'M62',
    classes: 'A56 (revocation)',
    what: 'revocation instants bounded where they enter, on every store',
    edits: [
      [
        'src/revocation/validate.ts',
        "  if (typeof value !== 'number' || !(value >= -MAX_TIME && value <= MAX_TIME)) {",
        "  if (typeof value !== 'number' || Number.isNaN(value)) {",
      ],
    ],
    tests: ['test/revocation/batch-entries.test.ts'],
  },
  {
    id: 'M63',
    classes: 'A56 (revocation)',
    what: 'a batch refused for its content is retried entry by entry',
    edits: [
      [
        'src/revocation/batch.ts',
        'if (batch.length > 1 && this.#isolate(e))',
        'if (batch.length < 0 && this.#isolate(e))',
      ],
    ],
    tests: ['test/revocation/batch-entries.test.ts'],
  },
  {
    id: 'M64',
    classes: 'A56 (revocation)',
    what: 'the Redis batch script checks every entry before writing any',
    edits: [
      ['src/revocation/redis-scripts.ts', "    return redis.error_reply('${INVALID_ENTRY} ' .. i)", '    exp = exp'],
    ],
    tests: ['test/revocation/batch-entries.test.ts'],
  },
  {
    id: 'M65',
    classes: 'A56 G1',
    what: 'caller values: options read into snapshots, and the boundary net of the public functions',
    edits: [
      [
        'src/options.ts',
        '    return read();\n  } catch (e) {\n    if (e instanceof JotError) throw e;',
        '    return read();\n  } catch (e) {\n    throw e;',
      ],
      [
        'src/options.ts',
        "  return e instanceof JotError ? e : err('ERR_INVALID_OPTION', 'an argument could not be used', e);",
        '  return e as JotError;',
      ],
    ],
    tests: ['test/attacks/caller-values.test.ts'],
  },
  {
    id: 'M66',
    classes: 'A27 A55',
    what: 'a dir key from a JWK naming a content encryption algorithm serves that algorithm only',
    edits: [
      [
        'src/jwe/key-management.ts',
        '      if (h.dirEnc !== undefined && h.dirEnc !== enc.name) {',
        '      if (h.dirEnc === "never") {',
      ],
    ],
    tests: ['test/key/jwk-content-alg.test.ts'],
  },
  {
    id: 'M67',
    classes: 'A22',
    what: "an EC epk is checked on its curve in jot's own code (not left to the crypto library's import)",
    edits: [
      [
        'src/jwe/ecdh.ts',
        '    if (pointOnCurve(curve.crv, bigEndian(x.value), bigEndian(y.value)) !== true) {',
        '    if (pointOnCurve(curve.crv, bigEndian(x.value), bigEndian(y.value)) === null) {',
      ],
    ],
    tests: [
      'test/attacks/a22-a29-jwe-decryption-failures.test.ts',
      'test/jwe/hostile-crypto.test.ts',
      'test/jwe/wycheproof-asymmetric.test.ts',
    ],
  },
];

function copyTree() {
  const dir = mkdtempSync(join(tmpdir(), 'jot-mutation-'));
  cpSync(root, dir, {
    recursive: true,
    filter: (src) => {
      const rel = relative(root, src);
      return !/^(node_modules|\.git|dist|\.tmp)(\/|$)/.test(rel);
    },
  });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

function counts(output) {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips terminal colours
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  const line = plain.split('\n').find((l) => /^\s*Tests\s/.test(l)) ?? '';
  const n = (word) => Number(new RegExp(`(\\d+) ${word}`).exec(line)?.[1] ?? 0);
  return { failed: n('failed'), passed: n('passed'), skipped: n('skipped') };
}

const wanted = process.argv.slice(2);
let bad = 0;
console.log('| id | classes | defence disabled | tests run | result |');
console.log('| --- | --- | --- | --- | --- |');
for (const m of MUTATIONS) {
  if (wanted.length > 0 && !wanted.includes(m.id)) continue;
  const dir = copyTree();
  try {
    for (const [file, from, to] of m.edits) {
      const path = join(dir, file);
      const text = readFileSync(path, 'utf8');
      if (text.split(from).length !== 2)
        throw new Error(`${m.id}: the text to mutate is not found exactly once in ${file}`);
      writeFileSync(
        path,
        text.replace(from, () => to),
      );
    }
    const r = spawnSync('npx', ['vitest', 'run', ...m.tests], { cwd: dir, encoding: 'utf8', env: { ...process.env } });
    const c = counts(`${r.stdout}\n${r.stderr}`);
    const red = r.status !== 0 && c.failed > 0;
    if (!red) bad++;
    const tests = m.tests.map((t) => t.replace(/^test\//, '').replace(/\.test\.ts$/, '')).join(', ');
    const result = `${red ? 'red' : 'GREEN'}: ${c.failed} failed, ${c.passed} passed${c.skipped ? `, ${c.skipped} skipped` : ''}`;
    console.log(`| ${m.id} | ${m.classes} | ${m.what} | ${tests} | ${result} |`);
  } catch (e) {
    bad++;
    console.log(`| ${m.id} | ${m.classes} | ${m.what} | | did not apply: ${e.message} |`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
process.exit(bad === 0 ? 0 : 1);
