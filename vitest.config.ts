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
        // jose interop, property tests, JWT, the attack suite and key import/export. Not the CLI, HTTP, stores or
        // server. Sync forms are asserted to refuse (test/helpers/runtime.ts syncOrRefused), never skipped.
        resolve: { alias: implementation('web') },
        test: {
          ...shared,
          name: 'web',
          include: [
            'test/jws/**/*.test.ts',
            'test/jwe/**/*.test.ts',
            'test/key/**/*.test.ts',
            'test/crypto/**/*.test.ts',
            'test/jwt/**/*.test.ts',
            // DPoP (proofs, nonces, replay) on WebCrypto through every adapter, Hono's included (Deno, workerd).
            'test/http/dpop.test.ts',
            'test/http/dpop-token.test.ts',
            'test/http/dpop-ml-dsa.test.ts',
            // The issuer key ring of the web entry (no node:http handler), sealed with PBES2 and A256GCMKW.
            'test/keyset/keyring-web.test.ts',
            // X.509 chains: the same cases and answers as on node; the web DER reader against hostile input.
            'test/keyset/x509-web.test.ts',
            'test/crypto/cert.test.ts',
            // The attack suite; caller-values walks the entry points offered under the browser condition here.
            'test/attacks/a01-a08-alg-and-keys.test.ts',
            'test/attacks/a09-a12-header-keys.test.ts',
            'test/attacks/a13-a21-keys-and-signatures.test.ts',
            'test/attacks/a22-a29-jwe-decryption-failures.test.ts',
            'test/attacks/a30-a36-serialization.test.ts',
            'test/attacks/a37-a42-parsing.test.ts',
            'test/attacks/a38-prototype-pollution.test.ts',
            'test/attacks/a43-a49-claims.test.ts',
            'test/attacks/a50-a56-errors-caches-sets.test.ts',
            'test/attacks/caller-values.test.ts',
            'test/attacks/g2-g5-check-order-and-exact-names.test.ts',
            'test/attacks/limits.test.ts',
            'test/attacks/ml-dsa-confusion.test.ts',
          ],
          exclude: [
            'test/crypto/agreement.test.ts', // runs both implementations itself (node here, web in a child)
            'test/jws/constant-time.test.ts', // spies on node:crypto's timingSafeEqual; WebCrypto verifies HMACs itself
          ],
        },
      },
    ],
  },
});
