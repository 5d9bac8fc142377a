// Runs bench/revocation.ts (the revocation engineer's TypeScript bench) against the built library in dist/.
// The types are stripped (rolldown's or esbuild's transform when installed, else tsc), nothing else changes, and
// the `../src/revocation/index.js` import of the temporary module points at dist/revocation/index.js.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const SOURCE_IMPORT = /(['"])\.\.\/src\/revocation\/index\.js\1/g;

async function optional(name) {
  try {
    return await import(name);
  } catch {
    return undefined;
  }
}

/** bench/revocation.ts as JavaScript. */
async function stripTypes(root, file, dir) {
  const source = readFileSync(file, 'utf8');
  const rolldown = await optional('rolldown/utils');
  if (rolldown?.transformSync) {
    const { code, errors } = rolldown.transformSync('revocation.ts', source, { lang: 'ts' });
    if (errors.length > 0) throw new Error(`bench/revocation.ts: ${errors.map((e) => e.message).join('; ')}`);
    return code;
  }
  const esbuild = await optional('esbuild');
  if (esbuild?.transformSync) return esbuild.transformSync(source, { loader: 'ts', format: 'esm' }).code;
  // tsc compiles the file and what it imports; only the bench file is used. Type errors elsewhere (a teammate's
  // work in progress) do not stop the emit.
  const tsc = join(dirname(createRequire(join(root, 'package.json')).resolve('typescript/package.json')), 'bin', 'tsc');
  const args = [
    '--ignoreConfig',
    '--outDir',
    dir,
    '--rootDir',
    root,
    '--module',
    'nodenext',
    '--moduleResolution',
    'nodenext',
  ];
  spawnSync(process.execPath, [tsc, file, ...args, '--target', 'es2022', '--skipLibCheck', '--types', 'node'], {
    cwd: root,
    stdio: 'ignore',
  });
  const out = join(dir, 'bench', 'revocation.js');
  if (!existsSync(out)) throw new Error('bench/revocation.ts: no TypeScript transform available');
  return readFileSync(out, 'utf8');
}

/** Load `benchRevocation` from bench/revocation.ts, bound to `root`/dist. */
export async function loadRevocationBench(root) {
  const dir = mkdtempSync(join(tmpdir(), 'jot-bench-'));
  try {
    const code = await stripTypes(root, join(root, 'bench', 'revocation.ts'), dir);
    const dist = JSON.stringify(pathToFileURL(join(root, 'dist', 'revocation', 'index.js')).href);
    let rewritten = 0;
    const js = code.replace(SOURCE_IMPORT, () => {
      rewritten++;
      return dist;
    });
    if (rewritten === 0) throw new Error('bench/revocation.ts no longer imports ../src/revocation/index.js');
    const file = join(dir, 'revocation.mjs');
    writeFileSync(file, js);
    const mod = await import(pathToFileURL(file).href);
    if (typeof mod.benchRevocation !== 'function') throw new Error('bench/revocation.ts has no benchRevocation');
    return mod.benchRevocation;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
