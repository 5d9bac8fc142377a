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
 *   `{@link}`, and no type used by an export that the entry point does not export (it would be missing from the
 *   reference).
 *
 * dist/ is built by test/global-setup.ts before the suite, from the current sources.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ApiDocumentedItem,
  type ApiItem,
  ApiItemKind,
  ApiModel,
  type ApiPackage,
} from '@microsoft/api-extractor-model';
import { type DocNode, DocPlainText, StandardTags } from '@microsoft/tsdoc';
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

function hasExample(item: ApiItem): boolean {
  const comment = isDocumented(item) ? item.tsdocComment : undefined;
  return (
    comment?.customBlocks.some(
      (b) =>
        b.blockTag.tagNameWithUpperCase === StandardTags.example.tagNameWithUpperCase &&
        b.content.getChildNodes().some((n) => n.kind === 'FencedCode'),
    ) ?? false
  );
}

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

describe('reference documentation (npm run docs)', () => {
  it('covers every entry point in package.json "exports"', () => {
    expect(entries.map((e) => e.importPath)).toContain('jotjs');
    expect(entries.map((e) => e.importPath)).toContain('jotjs/revocation');
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

  it('API Extractor reports no TSDoc error, unresolved link or unexported type', () => {
    if (messages.length > 0) console.error(`API Extractor:\n  ${messages.join('\n  ')}`);
    expect(messages).toEqual([]);
  });
});
