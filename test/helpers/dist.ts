// An entry point of the built package (dist/, made by the global setup's scripts/build.js), for child processes: they
// run outside vitest's transform, and src/ imports `#crypto/<feature>`, which only the build resolves.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

/** Absolute path of `dist/<entry>/index.js` (`revocation`, `keyring`); throws when dist/ is not built. */
export function distEntry(entry: string): string {
  const index = join(root, 'dist', entry, 'index.js');
  if (!existsSync(index)) throw new Error(`${index} is missing: the global setup (test/global-setup.ts) builds dist/`);
  return index;
}
