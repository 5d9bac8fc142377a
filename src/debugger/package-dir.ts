/**
 * The installed package's own directory, for the files it ships beside its code (the debugger page in dist/web, the
 * weak-secret list in data/). A module cannot name them relative to itself: the same source runs from src/ (tests),
 * from a bundled entry point (dist/) and from a shared chunk (dist/chunks/, dist/cli/, dist/browser/chunks/), each
 * at its own depth. So the directory is found by walking up from the module to the package.json named "jotjs".
 */
import { readFileSync } from 'node:fs';
import { err } from '../errors.js';

const NAME = 'jotjs';
/** src/x/, dist/, dist/chunks/, dist/browser/chunks/: never deeper than this below the package root. */
const MAX_DEPTH = 6;

/** The package directory (a `file:` URL ending in `/`), found from `from` (the caller's `import.meta.url`). */
export function packageDir(from: string): URL {
  let dir = new URL('./', from);
  for (let i = 0; i <= MAX_DEPTH; i++) {
    let name: unknown;
    try {
      name = (JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: unknown }).name;
    } catch {
      name = undefined;
    }
    if (name === NAME) return dir;
    const up = new URL('../', dir);
    if (up.href === dir.href) break;
    dir = up;
  }
  throw err('ERR_JOSE_NOT_SUPPORTED', `the ${NAME} package directory was not found above ${from}`);
}

/** A file the package ships, by its path from the package directory (for example `dist/web/index.html`). */
export function packageFile(path: string, from: string): URL {
  return new URL(path, packageDir(from));
}
