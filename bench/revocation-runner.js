// Runs bench/revocation.ts (the revocation engineer's TypeScript bench) against the built library in dist/.
// The file is transpiled with rolldown's oxc transform (types stripped, nothing else changed) into a temporary
// module whose `../src/revocation/index.js` import points at dist/revocation/index.js.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transformSync } from 'rolldown/utils';

const SOURCE_IMPORT = /(['"])\.\.\/src\/revocation\/index\.js\1/g;

/** Load `benchRevocation` from bench/revocation.ts, bound to `root`/dist. */
export async function loadRevocationBench(root) {
  const source = readFileSync(join(root, 'bench', 'revocation.ts'), 'utf8');
  const { code, errors } = transformSync('revocation.ts', source, { lang: 'ts' });
  if (errors.length > 0) throw new Error(`bench/revocation.ts: ${errors.map((e) => e.message).join('; ')}`);
  const dist = JSON.stringify(pathToFileURL(join(root, 'dist', 'revocation', 'index.js')).href);
  let rewritten = 0;
  const js = code.replace(SOURCE_IMPORT, () => {
    rewritten++;
    return dist;
  });
  if (rewritten === 0) throw new Error('bench/revocation.ts no longer imports ../src/revocation/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'jot-bench-'));
  try {
    const file = join(dir, 'revocation.mjs');
    writeFileSync(file, js);
    const mod = await import(pathToFileURL(file).href);
    if (typeof mod.benchRevocation !== 'function') throw new Error('bench/revocation.ts has no benchRevocation');
    return mod.benchRevocation;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
