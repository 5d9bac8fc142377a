// The package directory is found by walking up to the package.json named "jotjs", from any depth (src/, dist/,
// dist/chunks/, dist/browser/chunks/), past another package's package.json, and a clear JotError when it is absent.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { packageDir, packageFile } from '../../src/debugger/package-dir.js';
import { isJotError } from '../../src/errors.js';

const root = join(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'jot-pkgdir-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('packageDir', () => {
  it('finds the repository from this source tree and from the built chunks', () => {
    expect(packageDir(import.meta.url).href).toBe(pathToFileURL(`${root}/`).href);
    const chunk = pathToFileURL(join(root, 'dist', 'browser', 'chunks', 'chunk-X.js')).href;
    expect(packageFile('dist/web/index.html', chunk).href).toBe(pathToFileURL(join(root, 'dist/web/index.html')).href);
  });

  it('walks past a package.json of another name (a nested package) to the one named jotjs', () => {
    const pkg = join(scratch, 'node_modules', 'jotjs');
    mkdirSync(join(pkg, 'dist', 'chunks', 'x'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'jotjs' }));
    writeFileSync(join(pkg, 'dist', 'chunks', 'package.json'), JSON.stringify({ name: 'other' }));
    writeFileSync(join(pkg, 'dist', 'chunks', 'x', 'package.json'), '{ not json');
    const from = pathToFileURL(join(pkg, 'dist', 'chunks', 'x', 'a.js')).href;
    expect(packageDir(from).href).toBe(pathToFileURL(`${pkg}/`).href);
  });

  it('throws a JotError when no package.json above names jotjs', () => {
    const alone = join(scratch, 'alone', 'a', 'b');
    mkdirSync(alone, { recursive: true });
    try {
      packageDir(pathToFileURL(join(alone, 'm.js')).href);
      expect.unreachable();
    } catch (e) {
      expect(isJotError(e) && e.code).toBe('ERR_JOSE_NOT_SUPPORTED');
    }
  });
});
