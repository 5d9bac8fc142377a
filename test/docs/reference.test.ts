/**
 * The reference (`npm run docs`) is complete: every export of every public entry point (package.json "exports")
 * is documented. The exports are read from the API model that API Extractor builds from dist/*.d.ts (the same model
 * `npm run docs` renders), so a new export or a new entry point is checked with no change here.
 *
 * The rule:
 * - every export (function, class, constant, interface, type alias) has a TSDoc summary;
 * - every function, class and constant also has an `@example` block with a fenced code example (each overload of a
 *   function is a declaration of its own and needs both);
 * - interfaces and type aliases need no example (they are shown by the examples of the functions that take or return
 *   them), but each member of an exported interface or class (an option, a property, a method) has a summary;
 * - API Extractor reports nothing: no TSDoc syntax error (an unescaped `{`, `}` or `>` in prose), no unresolved
 *   `{@link}`, and no type used by an export that no entry point exports (it would be missing from the reference;
 *   one that only an `@internal` declaration uses is not public);
 * - every example type-checks against the package's public entry points (`jotjs`, `jotjs/revocation`, resolved
 *   through package.json "exports" to dist/): its import lines stay at the top of a module, the rest becomes the
 *   body of an async function, and the names examples use without defining them (`token`, `publicKey`, ...) are
 *   declared with their types in PRELUDE below.
 *
 * dist/ is built by test/global-setup.ts before the suite, from the current sources.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ApiDocumentedItem,
  type ApiItem,
  ApiItemKind,
  ApiModel,
  type ApiPackage,
} from '@microsoft/api-extractor-model';
import { type DocNode, DocFencedCode, DocPlainText, StandardTags } from '@microsoft/tsdoc';
import { afterAll, describe, expect, it } from 'vitest';

interface Entry {
  importPath: string;
  dts: string;
  file: string;
}

// A computed specifier: the module is plain JavaScript shared with scripts/docs.js, typed here.
const modulePath = '../../scripts/docs-model.js';
const { buildModel } = (await import(modulePath)) as {
  buildModel(modelDir: string): { entries: Entry[]; messages: string[] };
};

const modelDir = mkdtempSync(join(tmpdir(), 'jot-docs-model-'));
afterAll(() => rmSync(modelDir, { recursive: true, force: true }));
const { entries, messages } = buildModel(modelDir);

const model = new ApiModel();
const packages = new Map<string, ApiPackage>();
for (const e of entries) packages.set(e.importPath, model.loadPackage(join(modelDir, `${e.file}.api.json`)));

const NEEDS_EXAMPLE = new Set<ApiItemKind>([ApiItemKind.Function, ApiItemKind.Class, ApiItemKind.Variable]);
const HAS_MEMBERS = new Set<ApiItemKind>([ApiItemKind.Interface, ApiItemKind.Class]);

function text(node: DocNode): string {
  if (node instanceof DocPlainText) return node.text;
  return node
    .getChildNodes()
    .map((n) => text(n))
    .join('');
}

function isDocumented(item: ApiItem): item is ApiDocumentedItem {
  return 'tsdocComment' in item;
}

function summary(item: ApiItem): string {
  const comment = isDocumented(item) ? item.tsdocComment : undefined;
  return comment === undefined ? '' : text(comment.summarySection).trim();
}

/** The fenced code of every `@example` block of `item`. */
function examples(item: ApiItem): string[] {
  const comment = isDocumented(item) ? item.tsdocComment : undefined;
  return (comment?.customBlocks ?? [])
    .filter((b) => b.blockTag.tagNameWithUpperCase === StandardTags.example.tagNameWithUpperCase)
    .flatMap((b) => b.content.getChildNodes().filter((n): n is DocFencedCode => n instanceof DocFencedCode))
    .map((n) => n.code);
}

const hasExample = (item: ApiItem) => examples(item).length > 0;

function label(importPath: string, item: ApiItem, parent?: ApiItem): string {
  const overload = 'overloadIndex' in item && typeof item.overloadIndex === 'number' ? `(${item.overloadIndex})` : '';
  const name = parent ? `${parent.displayName}.${item.displayName}` : item.displayName;
  return `${importPath}: ${item.kind.toLowerCase()} ${name}${overload}`;
}

function problems(): { missing: string[]; exported: number } {
  const missing: string[] = [];
  let exported = 0;
  for (const [importPath, pkg] of packages) {
    const entryPoint = pkg.entryPoints[0];
    if (entryPoint === undefined) {
      missing.push(`${importPath}: no entry point in the model`);
      continue;
    }
    for (const item of entryPoint.members) {
      exported++;
      const lacks: string[] = [];
      if (summary(item) === '') lacks.push('summary');
      if (NEEDS_EXAMPLE.has(item.kind) && !hasExample(item)) lacks.push('@example');
      if (lacks.length > 0) missing.push(`${label(importPath, item)}: no ${lacks.join(', no ')}`);
      if (!HAS_MEMBERS.has(item.kind)) continue;
      for (const member of item.members) {
        if (summary(member) === '') missing.push(`${label(importPath, member, item)}: no summary`);
      }
    }
  }
  return { missing, exported };
}

// Values the examples use without defining them, as a reader would have them at hand.
const PRELUDE = `import type * as J from 'jotjs';
import type * as R from 'jotjs/revocation';
declare const token: string;
declare const jws: string;
declare const jwe: string;
declare const text: string;
declare const data: string;
declare const secret32bytes: string;
declare const issuer: string;
declare const audience: string;
declare const key: J.Key;
declare const publicKey: J.Key;
declare const privateKey: J.Key;
declare const signingKey: J.Key;
declare const issuerPublicKey: J.Key;
declare const recipientPublicKey: J.Key;
declare const myPrivateKey: J.Key;
declare const kek: J.Key;
declare const kek1: J.Key;
declare const rsa: J.Key;
declare const publicJwk: J.JWK;
declare const header: { iv: string; tag: string };
declare const payload: J.JwtClaims;
declare function refresh(sub: unknown): unknown;
declare const store: R.RevocationStore;
`;

interface Example {
  label: string;
  code: string;
}

function allExamples(): Example[] {
  const out: Example[] = [];
  for (const [importPath, pkg] of packages) {
    const items: [ApiItem, ApiItem | undefined][] = [[pkg, undefined]];
    for (const item of pkg.entryPoints[0]?.members ?? []) {
      items.push([item, undefined]);
      for (const member of item.members) items.push([member, item]);
    }
    for (const [item, parent] of items) {
      for (const code of examples(item)) out.push({ label: label(importPath, item, parent), code });
    }
  }
  return out;
}

/** One module per example: its imports on top, its other lines in an async function body. */
function exampleModule(code: string): string {
  const lines = code.split('\n');
  const imports = lines.filter((l) => l.startsWith('import '));
  const body = lines.filter((l) => !l.startsWith('import '));
  return `${imports.join('\n')}\n${PRELUDE}\nexport async function example(): Promise<unknown> {\n${body.join('\n')}\nreturn;\n}\n`;
}

describe('reference documentation (npm run docs)', () => {
  it('covers every entry point in package.json "exports"', () => {
    expect(entries.map((e) => e.importPath)).toContain('jotjs');
    expect(entries.map((e) => e.importPath)).toContain('jotjs/revocation');
    // A code subpath without a "types" condition would be left out of the reference: every one must have it.
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    const codeSubpaths = Object.entries(pkg.exports).filter(([, t]) => !(typeof t === 'string' && t.endsWith('.json')));
    expect(entries.length).toBe(codeSubpaths.length);
    for (const [importPath, pkg] of packages) {
      // A model that lost its exports (a wrong path, a failed build) would make the next test pass vacuously.
      expect(pkg.entryPoints[0]?.members.length ?? 0, importPath).toBeGreaterThan(0);
    }
  });

  it('every export has a summary, and every function, class and constant an @example', () => {
    const { missing, exported } = problems();
    if (missing.length > 0) {
      console.error(`${missing.length} undocumented (of ${exported} exports):\n  ${missing.join('\n  ')}`);
    }
    expect(missing).toEqual([]);
  });

  it('every example type-checks against the public entry points', () => {
    const all = allExamples();
    expect(all.length).toBeGreaterThan(0);
    // Inside the package, so that `jotjs` resolves to this package's exports (self-reference).
    const dir = join(import.meta.dirname, '..', '..', '.tmp', `doc-examples-${process.pid}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    try {
      const files = all.map((e, i) => {
        const file = `example-${String(i).padStart(3, '0')}.ts`;
        writeFileSync(join(dir, file), exampleModule(e.code));
        return { ...e, file };
      });
      const tsconfig = {
        extends: '../../tsconfig.json',
        compilerOptions: { noEmit: true, rootDir: '.', types: ['node'] },
        include: ['*.ts'],
      };
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
      const tsc = join(import.meta.dirname, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
      let output = '';
      try {
        execFileSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], {
          encoding: 'utf8',
        });
      } catch (e) {
        output = String((e as { stdout?: unknown }).stdout ?? e);
      }
      const failures = output
        .split('\n')
        .filter((l) => l.includes('error TS'))
        .map((l) => {
          const f = files.find((x) => l.includes(x.file));
          return f ? `${f.label}: ${l.slice(l.indexOf('error TS'))}` : l;
        });
      if (failures.length > 0) console.error(`examples that do not type-check:\n  ${failures.join('\n  ')}`);
      expect(failures).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('API Extractor reports no TSDoc error, unresolved link or unexported type', () => {
    if (messages.length > 0) console.error(`API Extractor:\n  ${messages.join('\n  ')}`);
    expect(messages).toEqual([]);
  });
});
