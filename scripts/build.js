// Builds dist/: the type declarations (tsc, declarations only) and the JavaScript (esbuild), each public entry point
// bundled with its shared code split into chunks. Why bundles and not tsc's file-per-module output: node's ES module
// loader pays for every file (resolve, stat, read, compile), and a fresh process importing jot and verifying one
// token spent most of its time there (issue 19: 72 files, 55 ms of CPU; bundled, a third of that).
//
// Three builds, each with code splitting so that one module has one instance (one `Key` handle table, one error
// class) whichever entry points a program imports, and `import()` stays lazy (JWE, key generation, ...):
//   dist/<entry>.js, dist/chunks/     the library on node:crypto (package.json "exports", default condition)
//   dist/browser/<entry>.js, chunks/  the same entry points on WebCrypto (the browser, worker, deno, workerd and
//                                     edge-light conditions); `.` is src/index.web.ts there
//   dist/cli/process.js, dist/cli/*   the `jot` command (bin/jot.js), its subcommands lazy
// `#crypto/<feature>` (package.json "imports" for the type checker and the tests) is resolved here, per build, to
// src/crypto/node or src/crypto/web. Packages (optional peers) and node: built-ins stay imports.
//
// Usage: node scripts/build.js   (npm run build also builds the debugger page: scripts/build-web.js)
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');

/** The public entry points: package.json "exports" subpath -> source module (`.` differs per build). */
export function entryPoints(web) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const out = {};
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    const file = typeof target === 'object' && target !== null ? target.default : undefined;
    if (typeof file !== 'string' || !file.startsWith('./dist/') || !file.endsWith('.js')) continue;
    const name = file.slice('./dist/'.length, -'.js'.length);
    out[name] = join(root, 'src', `${subpath === '.' && web ? 'index.web' : name}.ts`);
  }
  return out;
}

/** Resolves `#crypto/<feature>.js` to the implementation of this build. */
const cryptoImplementation = (which) => ({
  name: 'crypto-implementation',
  setup(b) {
    b.onResolve({ filter: /^#crypto\// }, (args) => ({
      path: join(root, 'src', 'crypto', which, `${args.path.slice('#crypto/'.length).replace(/\.js$/, '')}.ts`),
    }));
  },
});

const common = {
  absWorkingDir: root,
  bundle: true,
  splitting: true,
  format: 'esm',
  tsconfig: 'tsconfig.build.json',
  packages: 'external',
  external: ['node:*'],
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  metafile: true, // dropBareChunkImports reads the output list
  logLevel: 'warning',
};

const BUILDS = {
  node: () => ({
    ...common,
    entryPoints: entryPoints(false),
    outdir: dist,
    chunkNames: 'chunks/[name]-[hash]',
    platform: 'node',
    target: 'node20',
    plugins: [cryptoImplementation('node')],
  }),
  browser: () => ({
    ...common,
    entryPoints: entryPoints(true),
    outdir: join(dist, 'browser'),
    chunkNames: 'chunks/[name]-[hash]',
    platform: 'neutral',
    target: 'es2022',
    plugins: [cryptoImplementation('web')],
  }),
  cli: () => ({
    ...common,
    entryPoints: { 'cli/process': join(root, 'src', 'cli', 'process.ts') },
    outdir: dist,
    chunkNames: 'cli/[name]-[hash]',
    platform: 'node',
    target: 'node20',
    plugins: [cryptoImplementation('node')],
  }),
};

/**
 * esbuild keeps `import "./chunk.js";` in an output for a chunk that a bundled module imported but whose bindings
 * that output does not use (ES modules evaluate every import). jot's modules have no top-level side effects
 * (package.json "sideEffects": false), so every consumer's bundler drops these imports anyway, warning once per import
 * (esbuild: "ignored-bare-import"); node would load the files for nothing. They are removed; the line stays (empty) so
 * that the source maps still line up.
 */
function dropBareChunkImports(metafile) {
  const bare = /^import "\.{1,2}\/[^"]+\.js";$/gm;
  for (const out of Object.keys(metafile.outputs)) {
    if (!out.endsWith('.js')) continue;
    const file = join(root, out);
    const text = readFileSync(file, 'utf8');
    const kept = text.replace(bare, '');
    if (kept !== text) writeFileSync(file, kept);
  }
}

/** Builds dist/ from a clean slate; returns the metafiles by build name. */
export async function buildDist() {
  rmSync(dist, { recursive: true, force: true });
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  const metafiles = {};
  for (const [name, options] of Object.entries(BUILDS)) {
    metafiles[name] = (await build(options())).metafile;
    dropBareChunkImports(metafiles[name]);
  }
  if (!existsSync(join(dist, 'index.js')) || !existsSync(join(dist, 'index.d.ts')))
    throw new Error('dist/ is incomplete');
  return metafiles;
}

if (process.argv[1] === import.meta.filename) await buildDist();
