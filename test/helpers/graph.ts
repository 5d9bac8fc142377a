// The static module graph of a source entry, for the lazy-loading tests (issue 19: what importing jot loads).
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** The src/ folder. */
export const SRC = join(import.meta.dirname, '..', '..', 'src');

/**
 * Modules reached from `entry` (relative to src/) by static value imports and re-exports (`import type` and import()
 * excluded), as paths relative to src/.
 */
export function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(import|export)\s+(type\s+)?[^'";]*?\bfrom\s+['"](\.[^'"]+)['"]/gm)) {
      if (m[2] !== undefined) continue;
      visit(resolve(dirname(file), m[3]!).replace(/\.js$/, '.ts'));
    }
  };
  visit(join(SRC, entry));
  return new Set([...seen].map((f) => relative(SRC, f)));
}
