#!/usr/bin/env node
// The jot command-line tool. Until the CLI issue lands it only answers --version and --help.
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const args = process.argv.slice(2);
if (args.includes('--version') || args.includes('-v')) {
  process.stdout.write(`jot ${pkg.version}\n`);
  process.exit(0);
}
process.stdout.write(
  `jot ${pkg.version}: JSON Web Tokens and JOSE\n\n` +
    'Usage: jot --version\n\nThe sign, verify, decode, encrypt, decrypt, keygen, jwk, jwks, revoke, audit and serve\n' +
    'subcommands are not implemented yet.\n',
);
process.exit(args.length === 0 || args.includes('--help') || args.includes('-h') ? 0 : 2);
