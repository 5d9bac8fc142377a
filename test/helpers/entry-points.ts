/**
 * Every public entry point of the package, read from package.json `exports` and loaded from src/: tests that must
 * cover "every export of every entry point" walk this list, so a new subpath is covered without anyone adding it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

/** `[subpath name, src module path]` for each code export (`jotjs`, `jotjs/revocation`, ...). */
export function entryPointPaths(): [string, string][] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, string | { default?: string }>;
  };
  const out: [string, string][] = [];
  for (const [sub, target] of Object.entries(pkg.exports)) {
    const file = typeof target === 'string' ? target : target.default;
    if (file === undefined || !file.startsWith('./dist/') || !file.endsWith('.js')) continue;
    const name = sub === '.' ? pkg.name : `${pkg.name}/${sub.slice(2)}`;
    out.push([name, join(root, 'src', `${file.slice('./dist/'.length, -'.js'.length)}.ts`)]);
  }
  return out;
}

/** The modules of {@link entryPointPaths}, imported. */
export async function entryPoints(): Promise<[string, Record<string, unknown>][]> {
  return Promise.all(
    entryPointPaths().map(
      async ([name, path]) =>
        [name, (await import(path)) as Record<string, unknown>] as [string, Record<string, unknown>],
    ),
  );
}
