// Builds the offline debugger page (web/) into dist/web: the page's module bundled by esbuild with jot taken
// through the package's own public entry points under the `browser` condition (the build users get), plus the
// HTML, CSS and icon as they are. Run after tsc (the bundle reads dist/). `--meta FILE` writes esbuild's metafile.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const out = join(root, 'dist', 'web');
mkdirSync(out, { recursive: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: ['web/debugger.ts'],
  // The page's own settings, not the repository's (whose paths map #crypto/* to the Node sources for tests).
  tsconfig: 'web/tsconfig.json',
  outfile: join(out, 'debugger.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  conditions: ['browser'],
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  // A node: built-in in the page's graph means the browser build is wrong: fail, never shim.
  plugins: [
    {
      name: 'no-node-builtins',
      setup(b) {
        b.onResolve({ filter: /^node:/ }, (args) => ({
          errors: [{ text: `${args.importer} imports ${args.path}: the browser build must not` }],
        }));
      },
    },
  ],
});
copyFileSync(join(root, 'web', 'index.html'), join(out, 'index.html'));
for (const name of ['debugger.css', 'favicon.svg']) copyFileSync(join(root, 'web', name), join(out, name));
const metaAt = process.argv.indexOf('--meta');
if (metaAt !== -1) writeFileSync(process.argv[metaAt + 1], JSON.stringify(result.metafile));
