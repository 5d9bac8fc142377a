#!/usr/bin/env node
/**
 * The reference documentation (`npm run docs`, after `npm run build`): one Markdown page per export of every entry
 * point in package.json "exports", from the TSDoc comments, in .tmp/reference/ (start at index.md).
 *
 * API Extractor builds the API model from dist/*.d.ts (scripts/docs-model.js), API Documenter renders it. Problems
 * API Extractor reports (TSDoc syntax, unexported types, unresolved links) are printed; test/docs/reference.test.ts
 * fails on them and on any export without a summary or an example.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildModel, root } from './docs-model.js';

const modelDir = join(root, '.tmp', 'docs-model');
const outDir = join(root, '.tmp', 'reference');

const started = performance.now();
const { entries, messages } = buildModel(modelDir);

const require = createRequire(import.meta.url);
const documenter = join(dirname(require.resolve('@microsoft/api-documenter/package.json')), 'bin', 'api-documenter');
execFileSync(process.execPath, [documenter, 'markdown', '-i', modelDir, '-o', outDir], { stdio: 'ignore' });

// A subpath's model is named `jotjs-revocation` (a package name has no `/`): show its import path in the text,
// keeping the file names in links.
const pages = readdirSync(outDir).filter((f) => f.endsWith('.md'));
for (const page of pages) {
  const path = join(outDir, page);
  let text = readFileSync(path, 'utf8');
  for (const e of entries) {
    if (e.file !== e.importPath) text = text.replace(new RegExp(`(?<!\\./)\\b${e.file}\\b(?!\\.)`, 'g'), e.importPath);
  }
  writeFileSync(path, text);
}

for (const m of messages) console.warn(`warning: ${m}`);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `reference: ${pages.length} pages for ${entries.map((e) => e.importPath).join(', ')} in ${seconds} s: ` +
    `${join('.tmp', 'reference', 'index.md')}`,
);
