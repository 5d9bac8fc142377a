import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

const root = import.meta.dirname;

/**
 * `#crypto/<feature>` is the crypto implementation (package.json "imports"): node:crypto by default, WebCrypto under
 * the browser/worker/deno/workerd/edge-light conditions. Tests load src/, so each project names its implementation.
 */
const implementation = (which: 'node' | 'web') => [
  { find: /^#crypto\/(.*)$/, replacement: join(root, 'src', 'crypto', which, '$1.ts') },
];

const shared = {
  setupFiles: ['test/setup.ts'],
  pool: 'forks' as const,
  testTimeout: 60_000,
  hookTimeout: 120_000,
};

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default'],
    projects: [
      {
        resolve: { alias: implementation('node') },
        test: { ...shared, name: 'node', include: ['test/**/*.test.ts'] },
      },
      {
        // The conformance suites again, on the WebCrypto implementation (Node's globalThis.crypto.subtle): vectors,
        // jose interop, property tests, the attack suite and key import/export. Not the CLI, HTTP, stores or server.
        resolve: { alias: implementation('web') },
        test: {
          ...shared,
          name: 'web',
          include: [
            'test/jws/**/*.test.ts',
            'test/jwe/**/*.test.ts',
            'test/jwt/**/*.test.ts',
            'test/key/**/*.test.ts',
            'test/attacks/**/*.test.ts',
            'test/crypto/**/*.test.ts',
          ],
          exclude: ['test/crypto/agreement.test.ts'],
        },
      },
    ],
  },
});
