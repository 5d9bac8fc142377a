// Compiles src/keyring (and what it imports) to JavaScript for child processes, which run outside vitest's
// transform, into a private folder under .tmp/ (git-ignored) so the project's node_modules resolve.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

export function buildKeyring(): { index: string; remove(): void } {
  mkdirSync(join(root, '.tmp'), { recursive: true });
  const out = mkdtempSync(join(root, '.tmp', 'keyring-build-'));
  const tsc = join(root, 'node_modules', '.bin', 'tsc');
  const args = [
    ...['--ignoreConfig', ...['keyring', 'revocation'].map((m) => join(root, 'src', m, 'index.ts'))],
    ...['--outDir', out, '--rootDir', join(root, 'src')],
    ...['--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--lib', 'es2023,dom'],
    ...['--types', 'node', '--skipLibCheck', '--declaration', 'false', '--sourceMap', 'false'],
  ];
  try {
    execFileSync(tsc, args, { cwd: root, stdio: 'pipe' });
  } catch (e) {
    if (!existsSync(join(out, 'keyring', 'index.js'))) throw e;
  }
  return { index: join(out, 'keyring', 'index.js'), remove: () => rmSync(out, { recursive: true, force: true }) };
}
