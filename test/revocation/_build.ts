// Compiles src/revocation (and what it imports) to plain JavaScript for child processes, which run
// outside vitest's transform. Only this module's import closure is compiled, into a private folder
// under .tmp/ (git-ignored) so that parallel test files never share one, and the project's
// node_modules (better-sqlite3, redis) resolve from there.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

export interface Build {
  /** Absolute path of the compiled `revocation/index.js`. */
  index: string;
  remove(): void;
}

export function buildRevocation(): Build {
  mkdirSync(join(root, '.tmp'), { recursive: true });
  const out = mkdtempSync(join(root, '.tmp', 'revocation-build-'));
  const tsc = join(root, 'node_modules', '.bin', 'tsc');
  const args = [
    ...['--ignoreConfig', join(root, 'src', 'revocation', 'index.ts'), '--outDir', out, '--rootDir', join(root, 'src')],
    ...['--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--lib', 'es2023,dom'],
    ...['--types', 'node', '--skipLibCheck', '--declaration', 'false', '--sourceMap', 'false'],
  ];
  try {
    execFileSync(tsc, args, { cwd: root, stdio: 'pipe' });
  } catch (e) {
    // tsc still emits on type errors (possibly in files someone else is editing); only a missing
    // output is fatal.
    if (!existsSync(join(out, 'revocation', 'index.js'))) throw e;
  }
  return { index: join(out, 'revocation', 'index.js'), remove: () => rmSync(out, { recursive: true, force: true }) };
}
