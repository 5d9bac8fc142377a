// Guards the architecture (STYLE habit 3). The source is a house of floors: a folder imports only from its own floor
// and the floors below it, never from above, and no file imports itself back through others. Algorithms are
// described once, as data, in src/alg/; node's built-ins are reached from a few named places only; every public
// module has a test file of its name.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { CONTENT_ENCRYPTION_ALGORITHMS, JWS_ALGORITHMS, KEY_MANAGEMENT_ALGORITHMS } from '../src/alg/index.js';

/**
 * The floors, lowest first. A module may import from its own floor and the floors below. To add a folder, give it a
 * row (a new row between two others is fine: only the order counts). `index.ts` at the root is the public surface
 * and sits above everything; root files other than it are listed by name.
 */
const FLOORS: readonly (readonly string[])[] = [
  ['errors.ts'], // JotError and the codes
  ['options.ts'], // reading option objects
  ['crypto/node/bytes.ts', 'crypto/web/bytes.ts'], // the byte codecs (#crypto/bytes) that encoding/ is built on
  ['encoding/'], // strict base64url, strict JSON, UTF-8, null-prototype copies
  ['alg/'], // the algorithm tables and resolvers
  ['crypto/'], // the crypto interface and its two implementations (node/, web/): they take key handles, not Keys
  ['key/'], // Key, import, export, generation, the key policies (the pure-math checks)
  ['jws/'], // JWS: compact and JSON serializations, the compact reader, the JWS policy
  ['jwe/'], // JWE: encryption, decryption, key management
  ['jwt/'], // JWT: sign, verify pipeline and policy, claims, encrypted and unsecured JWTs
  ['audit/'], // jotjs/audit: what is wrong with a token, from its header and claims (pure)
  ['keyset/'], // local and remote JWK sets, the issuer's key ring
  ['revocation/'], // the revocation list and one file per store
  ['keyring/'], // the issuer key ring's stores (jotjs/keyring): file, Redis, SQLite
  ['http/'], // bearer extraction and the framework adapters
  ['debugger/'], // jotjs/debugger: the offline debugger page over node:http (jot serve, the demo server)
  ['cli/'], // the `jot` command
  ['index.ts', 'index.web.ts'], // the public surfaces (node, WebCrypto): re-exports only
];

/**
 * node: built-ins belong in the node implementation (crypto/node/) and the stores (and the command line, which reads
 * files and stdin). The other uses are listed one by one with the reason: server-side modules left out of the web entry.
 */
const NODE_HOMES: readonly string[] = ['crypto/node/', 'cli/'];
const NODE_STORES: readonly string[] = [
  'keyring/file.ts',
  'keyring/redis.ts',
  'keyring/sqlite.ts',
  'revocation/sqlite.ts',
  'revocation/redis.ts',
  'revocation/redis-conn.ts',
  'revocation/redis-scripts.ts',
  'revocation/optional.ts', // loads the stores' optional peer dependencies (createRequire)
];
const NODE_EXCEPTIONS: Readonly<Record<string, string>> = {
  'http/node.ts': "the adapter for node's own http server (node:http, node:tls types)",
  'debugger/handler.ts': "serves the built page's files (node:fs) over node:http (not in the web entry)",
  'debugger/package-dir.ts': "finds the package's shipped files (node:fs: the page, the weak-secret list)",
  'keyset/keyring-handler.ts':
    'serves the key ring over node:http, ETag digests with node:crypto (not in the web entry)',
};

/** The global `Buffer` (node only) outside the node implementation: the same server-side modules. */
const BUFFER_USERS: readonly string[] = ['debugger/handler.ts', 'http/node.ts', 'keyset/keyring-handler.ts'];

/** WebCrypto's own algorithm names that coincide with a JOSE identifier (a WebCrypto name, not a JOSE `alg`). */
const WEBCRYPTO_NAMES: ReadonlySet<string> = new Set(['crypto/web/jwe.ts: RSA-OAEP']);

/**
 * Imports that climb a floor, each with its reason and the work that removes it. Key import and generation of
 * ML-DSA keys need the ML-DSA provider (the seed gives the public key; the provider is loaded on first use), which
 * lives with the other crypto in crypto/; the WebCrypto work puts key derivation behind the backend interface.
 */
const UPWARD_EXCEPTIONS: Readonly<Record<string, string>> = {};

/**
 * Public modules tested together with others in one suite, instead of by a file of their own name: the suite that
 * covers them, and why.
 */
const TESTED_TOGETHER: Readonly<Record<string, string>> = {
  'http/express.ts': 'http/adapters.test.ts', // one table of cases for every adapter (STYLE 16)
  'http/fastify.ts': 'http/adapters.test.ts',
  'http/hono.ts': 'http/adapters.test.ts',
  'http/node.ts': 'http/adapters.test.ts',
  'http/challenge.ts': 'http/bearer-table.test.ts', // the challenges are the answers of the bearer table
  'http/dpop-proof.ts': 'http/dpop.test.ts', // proofs are made and checked in one suite
  'keyring/file.ts': 'keyset/keyring-stores.test.ts', // one suite runs against every key ring store
  'keyring/redis.ts': 'keyset/keyring-stores.test.ts',
  'keyring/sqlite.ts': 'keyset/keyring-stores.test.ts',
  'keyset/keyring-store.ts': 'keyset/keyring-stores.test.ts',
  'revocation/replay.ts': 'http/dpop-replay.test.ts', // the replay stores serve DPoP
};

const root = join(import.meta.dirname, '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

// Code only: comments (TSDoc examples name algorithms and imports) are stripped.
const stripComments = (t: string) => t.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
const sources = files(root).map((p) => ({ path: relative(root, p), text: stripComments(readFileSync(p, 'utf8')) }));
const byPath = new Map(sources.map((s) => [s.path, s]));

/** Every module specifier a file imports or re-exports (type-only included: a type arrow is an arrow too). */
function specifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of text.matchAll(/(?:^|[\s;])import\s*['"]([^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out;
}

/** The implementations of a crypto feature: `#crypto/sig` is crypto/node/sig.ts and crypto/web/sig.ts. */
const IMPLEMENTATIONS = ['node', 'web'] as const;

/**
 * The src/ files a file imports, as paths relative to src/ (`lazy`: with the `import()`s, loaded on demand). An
 * import of `#crypto/<feature>` is an import of both implementations of the feature.
 */
function localImports(path: string, text: string, lazy = true): string[] {
  return (lazy ? specifiers(text) : specifiers(text.replace(/\bimport\(\s*['"][^'"]+['"]\s*\)/g, ''))).flatMap((s) =>
    s.startsWith('#crypto/')
      ? IMPLEMENTATIONS.map((i) => `crypto/${i}/${s.slice('#crypto/'.length)}.ts`)
      : s.startsWith('.')
        ? [relative(root, resolve(root, dirname(path), s)).replace(/\.js$/, '.ts')]
        : [],
  );
}

function floorOf(path: string): number {
  const i = FLOORS.findIndex((row) => row.some((r) => (r.endsWith('/') ? path.startsWith(r) : path === r)));
  if (i < 0) throw new Error(`${path} is on no floor: add its folder to FLOORS in test/architecture.test.ts`);
  return i;
}

const names = [
  ...Object.keys(JWS_ALGORITHMS),
  ...Object.keys(KEY_MANAGEMENT_ALGORITHMS),
  ...Object.keys(CONTENT_ENCRYPTION_ALGORITHMS),
  // `dir` is an ordinary word; Ed25519 and Ed448 are also curve names (RFC 9864 reused them).
].filter((n) => n !== 'dir' && n !== 'Ed25519' && n !== 'Ed448');

describe('architecture', () => {
  it('every import points to the same floor or a floor below (the floors are a table in this test)', () => {
    const upward: string[] = [];
    for (const { path, text } of sources) {
      for (const target of localImports(path, text)) {
        const edge = `${path} -> ${target}`;
        if (floorOf(target) > floorOf(path) && UPWARD_EXCEPTIONS[edge] === undefined) upward.push(edge);
      }
    }
    expect(upward).toEqual([]);
    // An exception that no longer happens is stale: remove it.
    const edges = new Set(sources.flatMap(({ path, text }) => localImports(path, text).map((t) => `${path} -> ${t}`)));
    expect(Object.keys(UPWARD_EXCEPTIONS).filter((e) => !edges.has(e))).toEqual([]);
  });

  it('no circle between files (type-only imports included), hence none between folders', () => {
    // A lazy `import()` (the CLI loads a subcommand when it runs) is left out: it cannot make a loading-order circle.
    const graph = new Map(sources.map(({ path, text }) => [path, localImports(path, text, false)]));
    for (const targets of graph.values()) for (const t of targets) expect(byPath.has(t), t).toBe(true);
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string): void => {
      state.set(f, 'open');
      stack.push(f);
      for (const t of graph.get(f) ?? []) {
        if (state.get(t) === 'open') cycles.push([...stack.slice(stack.indexOf(t)), t].join(' -> '));
        else if (!state.has(t)) visit(t);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of graph.keys()) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('the global Buffer only in the node implementation, the stores, the CLI and the listed server-side modules', () => {
    const users = sources
      .filter(({ text }) => /\bBuffer\s*[.<]/.test(text))
      .map((s) => s.path)
      .filter((p) => !NODE_HOMES.some((h) => p.startsWith(h)) && !NODE_STORES.includes(p) && !p.startsWith('keyring/'));
    expect(users.sort()).toEqual([...BUFFER_USERS].sort());
  });

  it('each crypto feature has both implementations, with the same exports; only #crypto/ reaches them', () => {
    const features = (i: string) =>
      sources
        .filter((f) => f.path.startsWith(`crypto/${i}/`))
        .map((f) => f.path.slice(`crypto/${i}/`.length))
        .sort();
    // Helpers of one implementation (crypto/web/der-keys.ts) are allowed; every feature exists on both sides.
    expect(features('web')).toEqual(expect.arrayContaining(features('node')));
    const exported = (text: string) =>
      [...text.matchAll(/^export\s+(?:const|function|async function|interface|type)\s+(\w+)/gm)].map((m) => m[1]!);
    // A feature's public names (what #crypto/<feature> offers) are the same on both sides; helpers may differ.
    const used = new Set(
      sources.flatMap(({ text }) =>
        [...text.matchAll(/import\s*\{([^}]*)\}\s*from\s*['"]#crypto\/([\w-]+)['"]/g)].flatMap((m) =>
          m[1]!.split(',').map(
            (n) =>
              `${m[2]}:${n
                .trim()
                .split(/\s+as\s+/)[0]!
                .replace(/^type\s+/, '')}`,
          ),
        ),
      ),
    );
    for (const entry of used) {
      const [feature, name] = entry.split(':') as [string, string];
      for (const i of IMPLEMENTATIONS) {
        expect(byPath.has(`crypto/${i}/${feature}.ts`), `crypto/${i}/${feature}.ts`).toBe(true);
        expect(exported(byPath.get(`crypto/${i}/${feature}.ts`)!.text), `${i}/${feature}.ts: ${name}`).toContain(name);
      }
    }
    // No relative import into an implementation from outside it: shared code names a feature, never a runtime.
    const direct = sources.flatMap(({ path, text }) =>
      specifiers(text)
        .filter((sp) => sp.startsWith('.'))
        .map((sp) => relative(root, resolve(root, dirname(path), sp)))
        .filter((t) => /^crypto\/(node|web)\//.test(t) && !path.startsWith(t.slice(0, t.indexOf('/', 7) + 1)))
        .map((t) => `${path} -> ${t}`),
    );
    expect(direct).toEqual([]);
  });

  it('node: built-ins only in crypto/node/, the stores and the listed exceptions (each with its reason)', () => {
    const users = sources.filter(({ text }) => specifiers(text).some((s) => s.startsWith('node:'))).map((s) => s.path);
    const outside = users.filter((p) => !NODE_HOMES.some((h) => p.startsWith(h)) && !NODE_STORES.includes(p));
    expect(outside.sort()).toEqual(Object.keys(NODE_EXCEPTIONS).sort()); // a stale exception fails too
    const bare = sources.filter(({ text }) => /from ['"](crypto|buffer|zlib|fs|http|https|net|module)['"]/.test(text));
    expect(bare.map((s) => s.path)).toEqual([]); // only the node: spelling, so this test sees them
  });

  it('no algorithm identifier literal outside src/alg/', () => {
    const offenders: string[] = [];
    for (const { path, text } of sources) {
      if (path.startsWith('alg/')) continue;
      for (const n of names) {
        if (text.includes(`'${n}'`) || text.includes(`"${n}"`) || text.includes(`\`${n}\``)) {
          if (!WEBCRYPTO_NAMES.has(`${path}: ${n}`)) offenders.push(`${path}: ${n}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('no dispatch on algorithm-name prefixes', () => {
    const offenders = sources
      .filter(({ text }) => /\.startsWith\(\s*['"](HS|RS|PS|ES|A\d|PBES|ECDH|RSA)/.test(text))
      .map((s) => s.path);
    expect(offenders).toEqual([]);
  });

  it('JWS, JWE and JWT code uses the crypto backend, not node:crypto', () => {
    const offenders = sources
      .filter(({ path }) => /^(jws|jwe|jwt)\//.test(path))
      .filter(({ text }) => /from ['"](node:)?crypto['"]/.test(text))
      .map((s) => s.path);
    expect(offenders).toEqual([]);
  });

  it('verifyJwt reaches the backend through jws/ only: jwt/ -> jws/ -> crypto/, never jwt/ -> crypto/', () => {
    const pipeline = sources.filter(({ path }) => /^jwt\/verify/.test(path));
    expect(pipeline.map((s) => s.path).sort()).toEqual(['jwt/verify-policy.ts', 'jwt/verify.ts']);
    for (const { path, text } of pipeline) {
      expect(localImports(path, text).filter((t) => t.startsWith('crypto/'))).toEqual([]);
    }
  });

  it('a bundle of the JWS functions and verifyJwt holds no JWE code (the imports really are one-way)', async () => {
    const contents = "export { signCompact, verifyCompact, verifyJson, verifyJwt, signJwt } from './src/index.ts';";
    const r = await build({
      stdin: { contents, resolveDir: join(root, '..'), loader: 'ts' },
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'node',
      logLevel: 'silent',
    });
    const inputs = Object.keys(Object.values(r.metafile.outputs)[0]!.inputs);
    expect(inputs.filter((p) => p.startsWith('src/jws/')).length).toBeGreaterThan(3);
    expect(inputs.filter((p) => /^src\/(jwe\/|crypto\/node-jwe|crypto\/jwe-backend|key\/jwe-policy)/.test(p))).toEqual(
      [],
    );
  });

  it('the web entry: verifyJwt alone bundles no JWE, key generation, revocation nor node implementation code', async () => {
    const web = {
      name: 'web implementation',
      setup(b: { onResolve: (o: { filter: RegExp }, f: (a: { path: string }) => { path: string }) => void }) {
        b.onResolve({ filter: /^#crypto\// }, (a) => ({ path: join(root, 'crypto', 'web', `${a.path.slice(8)}.ts`) }));
      },
    };
    const r = await build({
      stdin: {
        contents: "export { verifyJwt } from './src/index.web.ts';",
        resolveDir: join(root, '..'),
        loader: 'ts',
      },
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'browser',
      logLevel: 'silent',
      plugins: [web],
      external: ['@noble/post-quantum/*'], // the optional ML-DSA provider, loaded on demand by import()
    });
    const inputs = Object.keys(Object.values(r.metafile.outputs)[0]!.inputs);
    expect(inputs).toContain('src/crypto/web/sig.ts');
    expect(
      inputs.filter((p) =>
        /^src\/(jwe\/|revocation\/|key\/generate|crypto\/node\/|crypto\/web\/(jwe|generate|zip))/.test(p),
      ),
    ).toEqual([]);
    expect(inputs.filter((p) => p.startsWith('node:') || p.includes('node_modules'))).toEqual([]);
  });

  it('folder index files only re-export', () => {
    const offenders = sources
      .filter(({ path }) => /index(\.web)?\.ts$/.test(path))
      .filter(({ text }) => text.split('\n').some((l) => l.trim() !== '' && !/^(export|\}|\s)/.test(l)))
      .map((s) => s.path);
    expect(offenders).toEqual([]);
  });

  it('every module with a public function or class has a test file of its name', () => {
    const publicModules = new Set<string>();
    const walk = (path: string): void => {
      const text = byPath.get(path)!.text;
      for (const m of text.matchAll(/export\s+(\*|\{([^}]*)\})\s+from\s+['"](\.[^'"]+)['"]/g)) {
        const target = relative(root, resolve(root, dirname(path), m[3]!)).replace(/\.js$/, '.ts');
        const valueNames = m[1] === '*' ? undefined : m[2]!.split(',').map((n) => n.trim());
        const values = valueNames?.filter((n) => n !== '' && !n.startsWith('type '));
        if (target.endsWith('index.ts')) walk(target);
        else if (hasCallable(byPath.get(target)!.text, values)) publicModules.add(target);
      }
    };
    const hasCallable = (text: string, only: string[] | undefined): boolean =>
      [...text.matchAll(/export\s+(?:async\s+)?(?:function|class)\s+(\w+)/g)].some(
        (m) => !only || only.includes(m[1]!),
      );
    // Every code entry point of package.json: the folder index it names, or the module itself.
    const pkg = JSON.parse(readFileSync(join(root, '..', 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    for (const [entry, target] of Object.entries(pkg.exports)) {
      const dist = typeof target === 'object' && target !== null ? (target as { default?: string }).default : undefined;
      if (dist === undefined || !dist.startsWith('./dist/')) continue;
      const src = dist.slice('./dist/'.length).replace(/\.js$/, '.ts');
      expect(byPath.has(src), entry).toBe(true);
      if (src.endsWith('index.ts')) walk(src);
      else publicModules.add(src);
    }
    const tests = join(import.meta.dirname);
    const missing = [...publicModules]
      .map((p) => TESTED_TOGETHER[p] ?? p.replace(/\.ts$/, '.test.ts'))
      .filter((t) => !existsSync(join(tests, t)));
    expect(publicModules.size).toBeGreaterThan(15);
    expect(missing).toEqual([]);
  });
});
