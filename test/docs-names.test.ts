// The documentation names only what exists (issue 10, class 5): every jot-style function name written in backticks
// in README.md, SECURITY.md and docs/*.md (`createX`, `signX`, `verifyX`, `setX`, `isX`, ...) is an export of a
// public entry point, or a method of an object one of them returns. docs/jwe.md named `setJweBackend`, which is
// internal; a name like that now fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as main from '../src/index.js';
import * as revocation from '../src/revocation/index.js';
import { entryPoints } from './helpers/entry-points.js';

const root = join(import.meta.dirname, '..');
const FILES = [
  'README.md',
  'SECURITY.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f)),
];

/** Names of jot's API style: a verb prefix, then a capital. Option names never start like this. */
const API_NAME =
  /^(create|sign|verify|encrypt|decrypt|import|export|generate|set|get|decode|normalize|validate|is|find)[A-Z]\w*$/;

/** Names from other libraries, or documented as not built yet, that the docs mention on purpose. */
const ELSEWHERE = new Set([
  'createCluster', // node-redis
  'createRemoteJwkSet', // documented as not built yet (SECURITY.md)
]);

function methodsOf(o: object): string[] {
  const out: string[] = [];
  for (let p: object | null = o; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    out.push(...Object.getOwnPropertyNames(p));
  }
  return out;
}

describe('the docs name only what exists', () => {
  it('every backticked API-style name is an export or a method of what an export returns', async () => {
    const list = revocation.createRevocationList({ purgeInterval: 0 });
    const key = await main.generateSecret('HS256');
    const known = new Set<string>([
      ...(await entryPoints()).flatMap(([, ns]) => Object.keys(ns)),
      ...methodsOf(list),
      ...methodsOf(revocation.memoryStore()),
      ...methodsOf(main.createVerifier({ key })),
      ...methodsOf(main.createSigner({ key })),
      ...methodsOf(key),
    ]);
    await list.close();
    const unknown: string[] = [];
    for (const file of FILES) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const m of text.matchAll(/`([A-Za-z_$][\w$]*)(?:\(|`)/g)) {
        const name = m[1]!;
        if (API_NAME.test(name) && !known.has(name) && !ELSEWHERE.has(name)) unknown.push(`${file}: ${name}`);
      }
    }
    expect(unknown).toEqual([]);
  });
});
