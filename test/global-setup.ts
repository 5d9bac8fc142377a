// Runs once before the suite: builds dist/ (scripts/build.js: tsc declarations and esbuild bundles, about a second),
// which the demo, the bench smoke run, the CLI and the child-process tests load, then the browser bundles and the
// portable conformance bundle (scripts/bundle.js, esbuild, about a second) that the bundle and runtime tests read,
// and the debugger page (scripts/build-web.js) that test/web serves. A build failure fails the run; nothing skips for
// a missing dist/.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  const root = join(import.meta.dirname, '..');
  // dist/: declarations (tsc) and the bundled entry points (esbuild).
  execFileSync(process.execPath, [join(root, 'scripts', 'build.js')], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [join(root, 'scripts', 'bundle.js')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // The debugger page (dist/web), bundled from dist/ through the package's browser entry points.
  execFileSync(process.execPath, [join(root, 'scripts', 'build-web.js')], { cwd: root, stdio: 'inherit' });
}
