#!/usr/bin/env node
// The jot command-line tool. Kept tiny so that it starts fast: --version reads package.json only, and
// every subcommand loads just its own chunk of dist/cli (see src/cli/surface.ts and scripts/build.js).
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const version = () => JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  process.stdout.write(`jot ${version()}\n`);
  process.exit(0);
}
let cli;
try {
  cli = await import('../dist/cli/process.js');
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
  process.stderr.write('jot: dist/cli is missing: run npm run build\n');
  process.exit(2);
}
process.exit(await cli.run(args, version()));
