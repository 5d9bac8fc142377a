// jotjs/revocation for child processes, which run outside vitest's transform: the bundled entry point in dist/
// (built by the global setup before every run). src/ imports `#crypto/<feature>`, which only the build resolves, so
// a tsc compile of src/revocation (as this helper used to make) cannot run since dist/ became esbuild bundles.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

export interface Build {
  /** Absolute path of `dist/revocation/index.js`. */
  index: string;
  /** Nothing to remove: dist/ belongs to the build. Kept so that callers need not change. */
  remove(): void;
}

export function buildRevocation(): Build {
  const index = join(root, 'dist', 'revocation', 'index.js');
  if (!existsSync(index)) {
    throw new Error('dist/ is not built: the global setup (test/global-setup.ts) runs scripts/build.js');
  }
  return { index, remove: () => {} };
}
