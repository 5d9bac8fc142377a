// The web entry's types offer no synchronous form (issue: honest types for WebCrypto runtimes). test/types/web/ is a
// project of its own (left out of the root tsconfig), importing `jotjs` and `jotjs/http` through package.json
// "exports" (dist/, built by the global setup): with the `browser` condition it must compile without error (each
// `@ts-expect-error` of calls.ts is needed: that sync form is absent; web-only.ts finds no `*Sync` name at all); without
// it, on the Node types, the only errors are the unused directives, one per directive: the same calls compile there.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const project = join(import.meta.dirname, 'web');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

/** tsc's diagnostics for one tsconfig of the project, as `file(line,col): error TSnnnn: ...` lines. */
async function diagnostics(config: string): Promise<string[]> {
  const out = await promisify(execFile)(process.execPath, [tsc, '-p', join(project, config), '--pretty', 'false'], {
    cwd: root,
    encoding: 'utf8',
  }).then(
    (r) => r.stdout,
    (e: { stdout?: string; stderr?: string; message: string }) => `${e.stdout ?? ''}${e.stderr ?? ''}` || e.message,
  );
  return out.split('\n').filter((l) => l.trim() !== '' && !l.startsWith(' '));
}

/** 1-based lines of calls.ts that hold a `@ts-expect-error` directive. */
const directiveLines = readFileSync(join(project, 'calls.ts'), 'utf8')
  .split('\n')
  .flatMap((l, i) => (/^\s*\/\/ @ts-expect-error /.test(l) ? [i + 1] : []));

describe('types of the web entry (browser, worker, deno, workerd, edge-light conditions)', () => {
  it('marks every synchronous form the Node types have', () => {
    // signer.signSync, verifier.verifySync, ring.signer().signSync, verifyCertificateChain's key (a promise on
    // WebCrypto); JwtSigner, JwtVerifier and the ring's signer types; the walk's signSync and verifySync.
    expect(directiveLines.length).toBe(9);
  });

  it('has no synchronous form, and the asynchronous use compiles (browser condition)', async () => {
    expect(await diagnostics('tsconfig.json')).toEqual([]);
  }, 60_000);

  it('the same synchronous calls compile on the Node types (no condition)', async () => {
    const found = await diagnostics('tsconfig.node.json');
    expect(found).toEqual(
      directiveLines.map((n) =>
        expect.stringMatching(new RegExp(`^test/types/web/calls\\.ts\\(${n},\\d+\\): error TS2578:`)),
      ),
    );
  }, 60_000);
});
