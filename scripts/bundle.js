// Browser ESM bundles of jot (and of jose, for comparison), built with esbuild from dist/ (run `npm run build`
// first; `npm run bundle` does both). Writes to dist/bundles/:
//   jot-verify.min.js    `import { verifyJwt, importKey } from 'jotjs'`, minified (+ .min.js.map: its source map, + .meta.json: esbuild's metafile)
//   jot-all.min.js       the whole public entry, minified
//   jose-verify.min.js   `import { jwtVerify, importJWK } from 'jose'`, jose's browser build, minified
//   jose-all.min.js      the whole of jose
//   conformance.js       the portable conformance script (test/runtimes/conformance.js) on WEB_ENTRY, with its
//                        vector fixture, as one ES module for Chromium, Deno, Bun, workerd and Node
//   conformance-node.js  the same script on the Node entry (dist/index.js), for the "Node" column
//   cli.js, cli-node.js  run one of the two and print its results as one JSON line (Node, Deno, Bun)
//   sizes.json           minified and gzipped sizes of the four size bundles
// Usage: node scripts/bundle.js [--readme]   (--readme rewrites README.md's size table from the measured sizes)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { writeFixture } from './conformance-fixture.js';

/**
 * The entry the browser bundles and the runtime tests load: the WebCrypto build of `jotjs` (package.json "exports"
 * `.` under the browser, worker, deno, workerd and edge-light conditions; scripts/build.js). A `node:` import in it
 * fails the browser bundles (they leave none external).
 */
export const WEB_ENTRY = 'dist/browser/index.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT = join(ROOT, 'dist', 'bundles');

/** The size bundles: what each imports. `@noble/post-quantum` (ML-DSA's optional peer) is left out of jot's. */
export const SIZE_BUNDLES = {
  'jot-verify': { pkg: 'jot', code: (e) => `export { verifyJwt, importKey } from ${JSON.stringify(e)};` },
  'jot-all': { pkg: 'jot', code: (e) => `export * from ${JSON.stringify(e)};` },
  'jose-verify': { pkg: 'jose', code: () => `export { jwtVerify, importJWK } from 'jose';` },
  'jose-all': { pkg: 'jose', code: () => `export * from 'jose';` },
};

const common = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  legalComments: 'none',
  logLevel: 'silent',
  metafile: true,
  write: true,
  absWorkingDir: ROOT,
  // The bundles are of dist/ (JavaScript): the root tsconfig's `paths` (the node implementation of #crypto/*, for the
  // type checker) must not apply; package.json's "imports" picks the implementation by condition.
  tsconfigRaw: {},
};

/** `node:` builtins stay imports while the web entry is the Node build; with the real web entry, any is an error. */

async function sizeBundle(name) {
  const spec = SIZE_BUNDLES[name];
  const outfile = join(OUT, `${name}.min.js`);
  const r = await build({
    ...common,
    stdin: { contents: spec.code(join(ROOT, WEB_ENTRY)), resolveDir: ROOT, sourcefile: `${name}.entry.js` },
    outfile,
    minify: true,
    // A map beside the bundle (no comment in it, so the size is the code's): bundleModules reads it.
    sourcemap: 'external',
    external: ['@noble/post-quantum', '@noble/post-quantum/*'],
  });
  writeFileSync(join(OUT, `${name}.meta.json`), JSON.stringify(r.metafile));
  const code = readFileSync(outfile);
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
}

async function conformanceBundle(entry, outName, platform) {
  const fixture = join(OUT, 'fixture.json');
  await build({
    ...common,
    platform,
    entryPoints: [join(ROOT, 'test', 'runtimes', 'conformance.js')],
    outfile: join(OUT, outName),
    alias: { jotjs: join(ROOT, entry), 'jot-conformance-fixture': fixture },
    external: platform === 'node' ? ['node:*'] : [],
  });
}

/** Build every bundle; returns the sizes (also written to dist/bundles/sizes.json). */
export async function buildBundles() {
  mkdirSync(OUT, { recursive: true });
  writeFixture(join(OUT, 'fixture.json'));
  const sizes = {};
  for (const name of Object.keys(SIZE_BUNDLES)) sizes[name] = await sizeBundle(name);
  await conformanceBundle(WEB_ENTRY, 'conformance.js', 'browser');
  await conformanceBundle('dist/index.js', 'conformance-node.js', 'node');
  // Command-line forms for Node, Deno and Bun: print the results as one JSON line.
  for (const [cli, mod] of [
    ['cli.js', 'conformance.js'],
    ['cli-node.js', 'conformance-node.js'],
  ]) {
    writeFileSync(join(OUT, cli), `import { run } from './${mod}';\nconsole.log(JSON.stringify(await run()));\n`);
  }
  writeFileSync(join(OUT, 'sizes.json'), `${JSON.stringify({ entry: WEB_ENTRY, sizes }, null, 2)}\n`);
  return sizes;
}

/** The source modules that kept code in a size bundle (paths relative to the project), from its source map. */
export function bundleModules(name) {
  // The published files are themselves bundles (scripts/build.js), so the bundle's inputs are chunks of dist/. Its
  // source map (through the chunks' own maps) names the source modules that kept code in it: a source counts when
  // at least one mapping points into it.
  const map = JSON.parse(readFileSync(join(OUT, `${name}.min.js.map`), 'utf8'));
  const used = new Set();
  let source = 0;
  for (const line of map.mappings.split(';')) {
    for (const segment of line.split(',')) {
      const fields = decodeVlq(segment);
      if (fields.length < 4) continue;
      source += fields[1];
      used.add(source);
    }
  }
  const modules = new Set();
  for (const i of used) modules.add(relative(ROOT, resolve(OUT, map.sources[i])).split('\\').join('/'));
  return [...modules].sort();
}

const VLQ = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The signed numbers of one source-map segment (base64 VLQ). */
function decodeVlq(segment) {
  const out = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = VLQ.indexOf(ch);
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    out.push(value % 2 === 1 ? -(value - 1) / 2 : value / 2);
    value = 0;
    shift = 0;
  }
  return out;
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;

/** The README's size table, from measured sizes. */
export function sizeTable(sizes) {
  const row = (label, jot, jose) =>
    `| ${label} | ${kb(jot.minified)} | ${kb(jot.gzipped)} | ${kb(jose.minified)} | ${kb(jose.gzipped)} |`;
  return [
    '| bundle | jot minified | jot gzipped | jose minified | jose gzipped |',
    '| --- | --- | --- | --- | --- |',
    row(
      'verify a JWT (`verifyJwt`, `importKey`; in jose, jwtVerify and importJWK)',
      sizes['jot-verify'],
      sizes['jose-verify'],
    ),
    row('everything (the whole entry point)', sizes['jot-all'], sizes['jose-all']),
  ].join('\n');
}

export const SIZE_BEGIN = '<!-- bundle-sizes:begin (generated by `npm run bundle -- --readme`) -->';
export const SIZE_END = '<!-- bundle-sizes:end -->';

/** Replace the text between two markers of README.md. */
export function replaceBetween(text, begin, end, body) {
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`README.md has no ${begin} ... ${end} section`);
  return `${text.slice(0, a + begin.length)}\n${body}\n${text.slice(b)}`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const sizes = await buildBundles();
  for (const [name, s] of Object.entries(sizes))
    console.log(`${name.padEnd(12)} ${kb(s.minified).padStart(10)} minified ${kb(s.gzipped).padStart(10)} gzipped`);
  if (process.argv.includes('--readme')) {
    const readme = join(ROOT, 'README.md');
    writeFileSync(readme, replaceBetween(readFileSync(readme, 'utf8'), SIZE_BEGIN, SIZE_END, sizeTable(sizes)));
    console.log('README.md: size table rewritten');
  }
}
