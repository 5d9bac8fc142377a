// Every fenced code block of README.md and docs/*.md is executed here, so that an example can never rot.
//
// The blocks run as a user would run them: in a scratch project whose node_modules/jotjs links to this
// repository (so `import ... from 'jotjs'` loads the built dist/ through the package's exports, and `npx jot` runs
// the package's bin), next to the optional peers installed for development (express, fastify, hono, redis...). TypeScript blocks are type-checked with tsc against dist's declarations, then run with
// their types stripped (esbuild). Shell blocks run in bash with -e. `json` blocks must parse. `text` blocks are
// sample output and are not run.
//
// An HTML comment right before a block can give it directives (invisible on the rendered page):
//   <!-- doc-test setup
//   code that runs before the block, in the same module (defines the names a fragment uses)
//   -->
//   <!-- doc-test setup-file test/docs/setups/redis.ts --> the same, from a file shared by several blocks
//   <!-- doc-test covered-by test/demo.test.ts -->   the block is run by that test file (it must exist)
//   <!-- doc-test env NAME=value -->                 environment for the block
import { execFile } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { transform } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

interface Block {
  file: string;
  line: number;
  lang: string;
  code: string;
  setup: string;
  coveredBy: string | undefined;
  env: Record<string, string>;
}

const RUN_LANGS = new Set(['js', 'javascript', 'mjs', 'ts', 'typescript', 'sh', 'bash', 'shell', 'json', 'text']);

/** The fenced blocks of a Markdown file, with the directives of the HTML comments right before each. */
function blocksOf(file: string, text: string): Block[] {
  const lines = text.split('\n');
  const out: Block[] = [];
  let pending: Omit<Block, 'file' | 'line' | 'lang' | 'code'> = { setup: '', coveredBy: undefined, env: {} };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const comment = /^<!--\s*doc-test\b(.*)$/.exec(line);
    if (comment) {
      const body: string[] = [comment[1]!];
      while (!body[body.length - 1]!.includes('-->') && i + 1 < lines.length) body.push(lines[++i]!);
      const all = body.join('\n').replace(/-->\s*$/, '');
      const [first, ...rest] = all.split('\n');
      const head = first!.trim();
      if (head === 'setup') pending.setup += `${rest.join('\n')}\n`;
      else if (head.startsWith('setup-file ')) {
        pending.setup += readFileSync(join(root, head.slice('setup-file '.length).trim()), 'utf8');
      } else if (head.startsWith('covered-by ')) pending.coveredBy = head.slice('covered-by '.length).trim();
      else if (head.startsWith('env ')) {
        const [name, ...value] = head.slice(4).trim().split('=');
        pending.env[name!] = value.join('=');
      } else throw new Error(`${file}:${i + 1}: unknown doc-test directive "${head}"`);
      continue;
    }
    const fence = /^(`{3,})(\S*)\s*$/.exec(line);
    if (fence) {
      const start = i;
      const code: string[] = [];
      while (++i < lines.length && lines[i] !== fence[1]) code.push(lines[i]!);
      if (i >= lines.length) throw new Error(`${file}:${start + 1}: unclosed code block`);
      out.push({ file, line: start + 1, lang: fence[2]!, code: `${code.join('\n')}\n`, ...pending });
      pending = { setup: '', coveredBy: undefined, env: {} };
      continue;
    }
    if (line.trim() !== '') pending = { setup: '', coveredBy: undefined, env: {} };
  }
  return out;
}

function markdownFiles(): string[] {
  const docs = join(root, 'docs');
  const inDocs = existsSync(docs)
    ? readdirSync(docs, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.md') && !f.startsWith('reference'))
        .map((f) => join('docs', f))
    : [];
  return ['README.md', ...inDocs.sort()];
}

const blocks = markdownFiles().flatMap((f) => blocksOf(f, readFileSync(join(root, f), 'utf8')));
const name = (b: Block) => `${b.file}:${b.line} (${b.lang || 'no language'})`;
const slug = (b: Block) => `${b.file.replace(/[^a-z0-9]+/gi, '_')}_${b.line}`;
const isTs = (b: Block) => b.lang === 'ts' || b.lang === 'typescript';
const isJs = (b: Block) => isTs(b) || b.lang === 'js' || b.lang === 'javascript' || b.lang === 'mjs';
const isSh = (b: Block) => b.lang === 'sh' || b.lang === 'bash' || b.lang === 'shell';

/**
 * A `console.log(...); // text` line in a block promises that output: each such text must appear, in order, as a
 * line of what the block printed.
 */
function expectPrinted(b: Block, stdout: string): void {
  const promised = b.code
    .split('\n')
    .filter((l) => l.includes('console.log('))
    .map((l) => /\/\/\s*(.+)$/.exec(l)?.[1]?.trim())
    .filter((t): t is string => t !== undefined);
  const printed = stdout.split('\n').map((l) => l.trim());
  let at = 0;
  for (const text of promised) {
    const found = printed.indexOf(text, at);
    expect(found, `${name(b)} should print "${text}"; it printed:\n${stdout}`).toBeGreaterThanOrEqual(0);
    at = found + 1;
  }
}

let project: string;

beforeAll(async () => {
  // A scratch project that depends on jotjs the way an installed copy would.
  project = mkdtempSync(join(tmpdir(), 'jot-doc-tests-'));
  mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(root, join(project, 'node_modules', 'jotjs'), 'dir');
  symlinkSync(join(root, 'node_modules', '@types'), join(project, 'node_modules', '@types'), 'dir');
  symlinkSync(join(root, 'bin', 'jot.js'), join(project, 'node_modules', '.bin', 'jot'));
  // The optional peers a reader installs next to jotjs (express, fastify, hono, redis...), and the Hono server.
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { peerDependencies?: object };
  for (const dep of [...Object.keys(pkg.peerDependencies ?? {}), '@hono/node-server']) {
    if (!existsSync(join(root, 'node_modules', dep))) continue;
    mkdirSync(join(project, 'node_modules', dep, '..'), { recursive: true });
    symlinkSync(join(root, 'node_modules', dep), join(project, 'node_modules', dep), 'dir');
  }
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'doc-tests', private: true, type: 'module' }));
  const ts = blocks.filter(isTs);
  for (const b of ts) writeFileSync(join(project, `${slug(b)}.ts`), `${b.setup}${b.code}\nexport {};\n`);
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'es2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        types: ['node'],
        skipLibCheck: true,
      },
      include: ['*.ts'],
    }),
  );
}, 120_000);

afterAll(() => {
  if (project !== undefined) rmSync(project, { recursive: true, force: true });
});

describe('README and docs/ code blocks', () => {
  it('finds the blocks, each in a language this test knows', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
    const unknown = blocks.filter((b) => !RUN_LANGS.has(b.lang) && b.coveredBy === undefined).map(name);
    expect(unknown, 'blocks must name one of these languages').toEqual([]);
  });

  it('type-checks every TypeScript block against the built declarations', async () => {
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', project], { cwd: project }).then(
      () => '',
      (e: { stdout?: string }) => e.stdout ?? String(e),
    );
    // Name the README/doc lines instead of the scratch files.
    const mapped = result.replace(/(\S+)\.ts\((\d+),\d+\)/g, (_m, s: string, l: string) => {
      const b = blocks.find((x) => slug(x) === s);
      const setupLines = b === undefined ? 0 : b.setup.split('\n').length - 1;
      return b ? `${b.file}:${b.line + Number(l) - setupLines}` : `${s}:${l}`;
    });
    expect(mapped).toBe('');
  }, 120_000);

  for (const b of blocks) {
    if (b.coveredBy !== undefined) {
      it(`${name(b)} is run by ${b.coveredBy}`, () => {
        expect(existsSync(join(root, b.coveredBy!))).toBe(true);
      });
    } else if (b.lang === 'json') {
      it(`${name(b)} is valid JSON`, () => {
        expect(() => JSON.parse(b.code)).not.toThrow();
      });
    } else if (isJs(b)) {
      it(`${name(b)} runs`, async () => {
        const source = `${b.setup}${b.code}`;
        const js = isTs(b) ? (await transform(source, { loader: 'ts', format: 'esm' })).code : source;
        const file = join(project, `${slug(b)}.mjs`);
        writeFileSync(file, js);
        const dir = mkdtempSync(join(project, 'cwd-'));
        const { stdout } = await run(process.execPath, [file], {
          cwd: dir,
          env: { ...process.env, ...b.env },
          timeout: 60_000,
        }).catch((e: { stderr?: string; stdout?: string }) => {
          throw new Error(`${name(b)} failed:\n${e.stderr ?? ''}${e.stdout ?? ''}`);
        });
        expectPrinted(b, stdout);
      }, 90_000);
    } else if (isSh(b)) {
      it(`${name(b)} runs in bash`, async () => {
        const dir = mkdtempSync(join(project, 'cwd-'));
        const env = {
          ...process.env,
          ...b.env,
          PATH: `${join(project, 'node_modules', '.bin')}:${process.env.PATH}`,
          NO_COLOR: '1',
        };
        const script = `set -euo pipefail\n${b.setup}${b.code}`;
        await run('bash', ['-c', script], { cwd: dir, env, timeout: 60_000 }).catch(
          (e: { stderr?: string; stdout?: string }) => {
            throw new Error(`${name(b)} failed:\n${e.stderr ?? ''}${e.stdout ?? ''}`);
          },
        );
      }, 90_000);
    }
    // `text` blocks are sample output: checked only for naming a known language (the first test).
  }
});
