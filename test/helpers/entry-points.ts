/**
 * Every public entry point of the package, read from package.json `exports` and loaded from src/: tests that must
 * cover "every export of every entry point" walk this list, so a new subpath is covered without anyone adding it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

type Target = string | { default?: string; [condition: string]: Target | undefined };

/**
 * `[subpath name, src module path]` for each code export (`jotjs`, `jotjs/revocation`, ...). With a `condition`
 * (`browser`): only the exports that name that condition, each with the source of the module it selects (`jotjs` ->
 * src/index.web.ts, the others their own source built on WebCrypto), the entry points a bundler for that runtime
 * is offered.
 */
export function entryPointPaths(condition?: string): [string, string][] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, Target>;
  };
  const out: [string, string][] = [];
  for (const [sub, exported] of Object.entries(pkg.exports)) {
    const target = condition === undefined ? exported : typeof exported === 'string' ? undefined : exported[condition];
    if (target === undefined) continue;
    const file = typeof target === 'string' ? target : target.default;
    if (file === undefined || !file.startsWith('./dist/') || !file.endsWith('.js')) continue;
    const name = sub === '.' ? pkg.name : `${pkg.name}/${sub.slice(2)}`;
    // dist/<entry>.js is src/<entry>.ts; the WebCrypto build dist/browser/<entry>.js too, but for `.` (index.web).
    let entry = file.slice('./dist/'.length, -'.js'.length);
    if (entry.startsWith('browser/')) entry = entry === 'browser/index' ? 'index.web' : entry.slice('browser/'.length);
    out.push([name, join(root, 'src', `${entry}.ts`)]);
  }
  return out;
}

/** The modules of {@link entryPointPaths}, imported. */
export async function entryPoints(condition?: string): Promise<[string, Record<string, unknown>][]> {
  return Promise.all(
    entryPointPaths(condition).map(
      async ([name, path]) =>
        [name, (await import(path)) as Record<string, unknown>] as [string, Record<string, unknown>],
    ),
  );
}
