/**
 * Shared access to the public test vectors (../shared/vectors by default, or $JOT_VECTORS).
 *
 * Vector suites are declared with {@link describeVectors}: when the folder is missing they are skipped with a
 * message saying where the vectors were looked for, except under CI (`CI=true`), where a missing folder fails.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The vectors folder: `$JOT_VECTORS`, else `<repo>/../shared/vectors`. */
export function vectorsDir(): string {
  return process.env.JOT_VECTORS ?? resolve(REPO, '..', 'shared', 'vectors');
}

/** Is the vectors folder present? */
export function haveVectors(): boolean {
  return existsSync(vectorsDir());
}

/** Parse one JSON vector file, by its path relative to the vectors folder. */
export function loadVector<T = any>(relPath: string): T {
  return JSON.parse(readFileSync(join(vectorsDir(), relPath), 'utf8')) as T;
}

/**
 * `describe` for a suite that needs the vectors. `fn` runs (and may call {@link loadVector}) only when the folder
 * exists. Missing folder: a skipped suite with a clear message, or a failing test when `CI=true`.
 */
export function describeVectors(name: string, fn: () => void): void {
  const dir = vectorsDir();
  if (existsSync(dir)) {
    describe(name, fn);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('has its test vectors', () => {
        throw new Error(`test vectors not found at ${dir} (set JOT_VECTORS); they are required under CI`);
      });
    });
  } else {
    describe.skip(`${name} [skipped: no test vectors at ${dir}; set JOT_VECTORS]`, () => {
      it('needs the test vectors', () => {});
    });
  }
}
