/**
 * Builds the API model of every public entry point with API Extractor, for `npm run docs` (scripts/docs.js) and
 * test/docs/reference.test.ts.
 *
 * Entry points come from package.json "exports": every subpath whose target has a "types" condition is one entry
 * point (`.` is `jotjs`, `./revocation` is `jotjs/revocation`, and so on). Adding a subpath there adds it to the
 * reference with no other change.
 *
 * API Extractor reads the declarations that `npm run build` emits in dist/ (it bundles its own TypeScript 6
 * compiler, so the project keeps TypeScript 7 for building); one compiler state is shared by all entry points.
 * Each entry point gives one `<file>.api.json` in the output folder, named after its import path.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompilerState, Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor';

export const root = join(import.meta.dirname, '..');

/**
 * The package's public entry points.
 * @returns {{ importPath: string, dts: string, file: string }[]} import path (`jotjs/revocation`), absolute path
 *   of its declarations in dist/, and a file-name-safe form of the import path (`jotjs-revocation`)
 */
export function entryPoints() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const out = [];
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    const types = typeof target === 'object' && target !== null ? target.types : undefined;
    if (typeof types !== 'string') continue;
    const importPath = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.replace(/^\.\//, '')}`;
    out.push({ importPath, dts: join(root, types), file: importPath.replace(/[^A-Za-z0-9_.-]/g, '-') });
  }
  return out;
}

// API Extractor's message ids that are about the reference's completeness or TSDoc syntax: reported, never
// silenced. The rest (release tags, which this project does not use) are turned off.
const REPORTED = 'warning';

function configObject(entry, modelDir) {
  return {
    projectFolder: root,
    mainEntryPointFilePath: entry.dts,
    bundledPackages: [],
    compiler: {
      // The declarations in dist/ need no project settings beyond resolving Node's modules.
      overrideTsconfig: {
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2023', 'DOM'],
          types: ['node'],
          strict: true,
          skipLibCheck: true,
        },
        files: [entry.dts],
      },
    },
    apiReport: { enabled: false },
    docModel: { enabled: true, apiJsonFilePath: join(modelDir, `${entry.file}.api.json`) },
    dtsRollup: { enabled: false },
    tsdocMetadata: { enabled: false },
    messages: {
      compilerMessageReporting: { default: { logLevel: REPORTED } },
      extractorMessageReporting: {
        default: { logLevel: REPORTED },
        'ae-missing-release-tag': { logLevel: 'none' },
        // Checked by test/docs/reference.test.ts with the project's own rule (summary and @example).
        'ae-undocumented': { logLevel: 'none' },
      },
      tsdocMessageReporting: { default: { logLevel: REPORTED } },
    },
  };
}

/**
 * Writes `<file>.api.json` for every entry point into `modelDir` (emptied first).
 * @param {string} modelDir
 * @returns {{ entries: ReturnType<typeof entryPoints>, messages: string[] }} the entry points, and every warning
 *   or error API Extractor reported (TSDoc syntax, unresolved links, a type used by an export that no entry point
 *   exports, ...)
 */
export function buildModel(modelDir) {
  const entries = entryPoints();
  for (const e of entries) {
    if (!existsSync(e.dts)) throw new Error(`${e.dts} is missing: run \`npm run build\` first`);
  }
  rmSync(modelDir, { recursive: true, force: true });
  mkdirSync(modelDir, { recursive: true });
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const messages = [];
  let compilerState;
  for (const entry of entries) {
    const config = ExtractorConfig.prepare({
      configObject: configObject(entry, modelDir),
      configObjectFullPath: undefined,
      // Each entry point is its own package in the model (so its own page tree), named by `file` since a package
      // name cannot hold a `/`; scripts/docs.js shows the import path in the pages.
      packageJson: { ...pkg, name: entry.file },
      packageJsonFullPath: join(root, 'package.json'),
    });
    compilerState ??= CompilerState.create(config, { additionalEntryPoints: entries.map((e) => e.dts) });
    Extractor.invoke(config, {
      localBuild: true,
      compilerState,
      showVerboseMessages: false,
      messageCallback(message) {
        const reported = message.logLevel === ExtractorLogLevel.Warning || message.logLevel === ExtractorLogLevel.Error;
        if (reported && !internalReference(message)) {
          const where = message.sourceFilePath
            ? `${message.sourceFilePath.replace(`${root}/`, '')}:${message.sourceFileLine}: `
            : '';
          const symbol = message.messageId === 'ae-forgotten-export' ? /"([^"]+)"/.exec(message.text)?.[1] : undefined;
          messages.push({ symbol, text: `${entry.importPath}: ${where}(${message.messageId}) ${message.text}` });
        }
        message.handled = true;
      },
    });
    restoreNames(join(modelDir, `${entry.file}.api.json`));
  }
  // A type that one entry point uses and another exports (an adapter taking `jotjs`'s `Key`) is documented there.
  const exported = new Set(entries.flatMap((e) => exportedNames(join(modelDir, `${e.file}.api.json`))));
  return {
    entries,
    messages: messages.filter((m) => m.symbol === undefined || !exported.has(m.symbol)).map((m) => m.text),
  };
}

function exportedNames(file) {
  return (JSON.parse(readFileSync(file, 'utf8')).members?.[0]?.members ?? []).map((m) => m.name);
}

// A type that only an `@internal` declaration uses (Key's constructor takes the backend's KeyHandle) is not part
// of the public API, so its not being exported is no gap in the reference.
function internalReference(message) {
  if (message.messageId !== 'ae-forgotten-export' || !message.sourceFilePath || !message.sourceFileLine) return false;
  const lines = readFileSync(message.sourceFilePath, 'utf8').split('\n');
  let i = message.sourceFileLine - 2; // the line above the declaration (1-based line numbers)
  if (!lines[i]?.trim().endsWith('*/')) return false;
  while (i >= 0 && !lines[i].includes('/**')) i--;
  return lines
    .slice(Math.max(i, 0), message.sourceFileLine - 1)
    .join('\n')
    .includes('@internal');
}

// API Extractor renames an export whose name is also a global (`KeyType` is one in the DOM library, which the
// declarations need for `CryptoKey`) to `KeyType_2`; within one entry point the plain name is unambiguous, so the
// model gets it back.
function restoreNames(file) {
  let json = readFileSync(file, 'utf8');
  const model = JSON.parse(json);
  const names = new Set((model.members?.[0]?.members ?? []).map((m) => m.name));
  for (const name of names) {
    const base = /^(.+)_\d+$/.exec(name)?.[1];
    if (base === undefined || names.has(base)) continue;
    json = json.replaceAll(`"name": "${name}"`, `"name": "${base}"`).replaceAll(`!${name}:`, `!${base}:`);
  }
  writeFileSync(file, json);
}
