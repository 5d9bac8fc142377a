/**
 * The public conformance vectors, kept in the repository under `test/vectors/` (each folder's README gives
 * source, licence and version). A fresh clone tests itself: nothing is looked up outside the repository.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

/** `test/vectors/`, the vectors folder. */
export const VECTORS = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'vectors');

/** Parse one JSON vector file, by its path relative to the vectors folder. */
export function loadVector<T = any>(relPath: string): T {
  return JSON.parse(readFileSync(join(VECTORS, relPath), 'utf8')) as T;
}

/** `describe` for a suite that reads vectors (a missing file fails the suite: the vectors ship with the repository). */
export function describeVectors(name: string, fn: () => void): void {
  describe(name, fn);
}
