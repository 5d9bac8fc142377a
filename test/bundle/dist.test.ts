// The published dist/ (scripts/build.js, built by the global setup): each entry point bundled with shared chunks.
// What that build must keep true: a source module lives in one output file per build (one `Key` handle table, one
// JotError class, whatever entry points a program imports), every subpath of package.json "exports" loads under
// the default and the browser conditions with the same export names as its source, and the lazy parts stay lazy.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { entryPointPaths } from '../helpers/entry-points.js';

const root = join(import.meta.dirname, '..', '..');
const dist = join(root, 'dist');

/** Every `.js.map` under `dir` (not descending into `skip`), with the source modules it maps. */
function maps(dir: string, skip: readonly string[]): { file: string; sources: string[] }[] {
  const out: { file: string; sources: string[] }[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!skip.includes(p)) out.push(...maps(p, skip));
    } else if (e.name.endsWith('.js.map')) {
      const m = JSON.parse(readFileSync(p, 'utf8')) as { sources: string[] };
      out.push({ file: relative(root, p), sources: m.sources.map((s) => relative(root, resolve(dir, s))) });
    }
  }
  return out;
}

/** Source modules found in more than one output file of a build. */
function duplicated(files: { file: string; sources: string[] }[]): Record<string, string[]> {
  const where = new Map<string, string[]>();
  for (const f of files) for (const s of f.sources) where.set(s, [...(where.get(s) ?? []), f.file]);
  return Object.fromEntries([...where].filter(([, fs]) => fs.length > 1));
}

const NODE_SKIP = ['browser', 'cli', 'web', 'bundles'].map((d) => join(dist, d));

describe('dist/: bundled entry points with shared chunks', () => {
  it('puts each source module in exactly one output file, in each of the three builds', () => {
    const node = maps(dist, NODE_SKIP);
    const browser = maps(join(dist, 'browser'), []);
    const cli = maps(join(dist, 'cli'), []);
    for (const [name, files] of [
      ['node', node],
      ['browser', browser],
      ['cli', cli],
    ] as const) {
      expect(files.length, name).toBeGreaterThan(3);
      expect(duplicated(files), name).toEqual({});
    }
    // The check can fail: the key module is in the node build and in the browser build (two builds, two copies).
    const key = 'src/key/key.ts';
    expect(node.some((f) => f.sources.includes(key))).toBe(true);
    expect(duplicated([...node, ...browser])[key]).toHaveLength(2);
    // Each build has its own crypto implementation and never the other's.
    const sources = (files: { sources: string[] }[]) => new Set(files.flatMap((f) => f.sources));
    expect([...sources(node)].filter((s) => s.startsWith('src/crypto/web/'))).toEqual([]);
    expect([...sources(browser)].filter((s) => s.startsWith('src/crypto/node/'))).toEqual([]);
    expect(sources(browser).has('src/crypto/web/sig.ts')).toBe(true);
  });

  it('loads every exported subpath with the export names of its source module', async () => {
    for (const [name, src] of entryPointPaths()) {
      const built = pathToFileURL(join(dist, `${relative(join(root, 'src'), src).replace(/\.ts$/, '')}.js`)).href;
      const fromDist = Object.keys(await import(built)).sort();
      const fromSrc = Object.keys(await import(src)).sort();
      expect(fromDist, name).toEqual(fromSrc);
    }
  });

  it('under the browser condition, every subpath resolves to dist/browser/ with its web source export names', async () => {
    const names = entryPointPaths().map(([name]) => name);
    const script = `const out = {};
for (const n of ${JSON.stringify(names)}) out[n] = { url: import.meta.resolve(n), keys: Object.keys(await import(n)).sort() };
console.log(JSON.stringify(out));`;
    const text = execFileSync(process.execPath, ['--conditions=browser', '--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    });
    const out = JSON.parse(text) as Record<string, { url: string; keys: string[] }>;
    for (const [n, src] of entryPointPaths()) {
      expect(out[n]!.url, n).toMatch(/\/dist\/browser\//);
      const web = n === 'jotjs' ? join(root, 'src', 'index.web.ts') : src;
      expect(out[n]!.keys, n).toEqual(Object.keys(await import(web)).sort());
    }
    expect(out.jotjs!.url).toBe(pathToFileURL(join(dist, 'browser', 'index.js')).href);
  });

  it('keeps JWE, key generation and export, and discovery out of what importing jotjs loads', () => {
    // The static import graph of dist/index.js (import() excluded), and the source modules of its files.
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^'";]*?\bfrom\s+"(\.[^"]+)";$/gm)) {
        visit(resolve(file, '..', m[1]!));
      }
    };
    visit(join(dist, 'index.js'));
    const sources = [...seen].flatMap((f) =>
      (JSON.parse(readFileSync(`${f}.map`, 'utf8')) as { sources: string[] }).sources.map((s) =>
        relative(root, resolve(f, '..', s)),
      ),
    );
    expect(sources).toContain('src/jwt/verify.ts');
    expect(seen.size).toBeLessThan(20); // one file per module was 72 (issue 19)
    const lazy = sources.filter((s) =>
      /^src\/(jwe\/(decrypt|encrypt|decrypter-impl)|key\/(generate|export)|keyset\/discovery)\.ts$/.test(s),
    );
    expect(lazy).toEqual([]);
    // ...and they are there, in chunks of their own that an import() reaches.
    const all = maps(dist, NODE_SKIP).flatMap((f) => f.sources);
    for (const m of ['src/jwe/decrypt.ts', 'src/key/generate.ts', 'src/keyset/discovery.ts']) expect(all).toContain(m);
  });
});
