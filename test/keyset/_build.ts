// The key ring for child processes, which run outside vitest's transform: the bundled entry points in dist/ (built by
// the global setup before every run), since src/ imports `#crypto/<feature>`, which only the build resolves (a tsc
// compile of src/keyring, as this helper used to make, leaves those imports unresolvable at run time).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

/** `index`: dist/keyring/index.js; dist/revocation/index.js sits beside it (the children import both). */
export function buildKeyring(): { index: string; remove(): void } {
  const index = join(root, 'dist', 'keyring', 'index.js');
  if (!existsSync(index) || !existsSync(join(root, 'dist', 'revocation', 'index.js'))) {
    throw new Error('dist/ is not built: the global setup (test/global-setup.ts) runs scripts/build.js');
  }
  return { index, remove: () => {} };
}
