/**
 * The command line, declared once: every subcommand with its options, arguments, help text and
 * examples. The dispatcher, `--help`, the argument parser and the shell completions all read this table.
 */
import type { Command } from './command.js';
import { CLAIM_CHECKS, ENCS, FETCH, file, ISSUE, JWS_ALGS, KM_ALGS, type OptionSpec, SECRET } from './options-spec.js';

export { COMMON, type OptionSpec } from './options-spec.js';

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly usage: readonly string[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Words accepted as the first argument (sub-actions), offered by completion. */
  readonly actions?: readonly string[];
  readonly maxPositionals: number;
  readonly examples: readonly string[];
  readonly notes?: readonly string[];
  readonly load: () => Promise<{ command: Command<any> }>;
}

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'decode',
    summary: "show a token's header and claims (nothing is verified)",
    usage: ['jot decode TOKEN|-'],
    options: {},
    maxPositionals: 1,
    examples: ['jot decode eyJhbGciOi...', 'pbpaste | jot decode -', 'jot decode --json "$TOKEN" | jq .payload.sub'],
    notes: [
      'Times are shown as ISO dates and relative to now (JOT_NOW fixes now). A JWE shows its protected header only.',
    ],
    load: () => import('./decode.js'),
  },
  {
    name: 'verify',
    summary: "verify a JWT's signature and claims",
    usage: ['jot verify TOKEN|- (--key FILE | --jwks URL | --secret-file FILE | --secret-env NAME) [checks]'],
    options: {
      ...SECRET,
      jwks: { type: 'string', value: 'URL', help: 'fetch the verification keys from a JWKS URL' },
      alg: {
        type: 'string',
        short: 'a',
        multiple: true,
        value: 'ALG',
        help: "accepted algorithm (default: the key's)",
        complete: JWS_ALGS,
      },
      ...CLAIM_CHECKS,
      ...FETCH,
    },
    maxPositionals: 1,
    examples: [
      'jot verify "$TOKEN" --key public.jwk --iss https://id.example --aud api',
      'jot verify - --secret-file hs256.key --alg HS256 < token.txt',
      'jot verify "$TOKEN" --jwks https://id.example/.well-known/jwks.json --max-age 1h',
    ],
    notes: [
      'Exit status 0 when the token is valid, 1 when it is rejected (the reason in one line), 2 on a usage error.',
    ],
    load: () => import('./verify.js'),
  },
  {
    name: 'sign',
    summary: 'sign claims into a JWT',
    usage: [
      'jot sign (--key FILE | --secret-file FILE | --secret-env NAME) [--alg ALG] [--claims JSON|@FILE|-] [--exp 15m]',
    ],
    options: {
      ...SECRET,
      alg: {
        type: 'string',
        short: 'a',
        value: 'ALG',
        help: "signing algorithm (default: the key's)",
        complete: JWS_ALGS,
      },
      ...ISSUE,
    },
    maxPositionals: 0,
    examples: [
      'jot sign --key private.jwk --sub user-42 --aud api --exp 15m',
      'echo \'{"scope":"read"}\' | jot sign --secret-env JWT_SECRET --alg HS256 --claims -',
    ],
    load: () => import('./sign.js'),
  },
  {
    name: 'encrypt',
    summary: 'encrypt claims into a JWE (compact JWT)',
    usage: [
      'jot encrypt (--key FILE | --secret-file FILE) [--alg ALG] [--enc ENC] [--claims JSON|@FILE|-] [--exp 15m]',
    ],
    options: {
      ...SECRET,
      alg: {
        type: 'string',
        short: 'a',
        value: 'ALG',
        help: "key management algorithm (default: the key's)",
        complete: KM_ALGS,
      },
      enc: { type: 'string', value: 'ENC', help: 'content encryption (default A256GCM)', complete: ENCS },
      ...ISSUE,
    },
    maxPositionals: 0,
    examples: ['jot encrypt --key enc-public.jwk --alg ECDH-ES+A256KW --claims \'{"card":"on file"}\' --exp 5m'],
    load: () => import('./encrypt.js'),
  },
  {
    name: 'decrypt',
    summary: 'decrypt a JWE JWT and check its claims',
    usage: ['jot decrypt TOKEN|- (--key FILE | --secret-file FILE) [--alg ALG] [--enc ENC] [checks]'],
    options: {
      ...SECRET,
      alg: {
        type: 'string',
        short: 'a',
        multiple: true,
        value: 'ALG',
        help: 'accepted key management algorithm',
        complete: KM_ALGS,
      },
      enc: { type: 'string', multiple: true, value: 'ENC', help: 'accepted content encryption', complete: ENCS },
      ...CLAIM_CHECKS,
    },
    maxPositionals: 1,
    examples: ['jot decrypt "$JWE" --key enc-private.jwk'],
    load: () => import('./encrypt.js').then((m) => ({ command: m.decryptCommand })),
  },
  {
    name: 'keygen',
    summary: 'generate a key pair or secret for an algorithm',
    usage: ['jot keygen ALG [--out FILE | --out-private FILE --out-public FILE] [--format jwk|pem] [--force]'],
    options: {
      out: {
        type: 'string',
        short: 'o',
        value: 'FILE',
        help: 'private key to FILE (0600), public key to FILE.pub',
        complete: file,
      },
      'out-private': {
        type: 'string',
        value: 'FILE',
        help: 'private key or secret file (created 0600)',
        complete: file,
      },
      'out-public': { type: 'string', value: 'FILE', help: 'public key file', complete: file },
      format: { type: 'string', short: 'f', value: 'FORMAT', help: 'jwk (default) or pem', complete: ['jwk', 'pem'] },
      kid: { type: 'string', value: 'KID', help: 'key id (default: the RFC 7638 thumbprint)' },
      crv: {
        type: 'string',
        value: 'CRV',
        help: 'curve for EdDSA or ECDH-ES',
        complete: ['Ed25519', 'Ed448', 'P-256', 'P-384', 'P-521', 'X25519', 'X448'],
      },
      bits: { type: 'string', value: 'N', help: 'RSA modulus length (default 2048)' },
      force: { type: 'boolean', help: 'overwrite existing files' },
    },
    actions: [...JWS_ALGS, ...KM_ALGS, ...ENCS],
    maxPositionals: 1,
    examples: [
      'jot keygen ES256 --out signing.jwk',
      'jot keygen RS256 --format pem --out-private rsa.pem --out-public rsa.pub.pem',
      'jot keygen HS256 --out-private hs256.key',
    ],
    notes: [
      'Without an output file the keys are printed. Files are created exclusively: an existing file or link is refused unless --force.',
    ],
    load: () => import('./keygen.js'),
  },
  {
    name: 'jwk',
    summary: 'convert keys (PEM <-> JWK), public part, thumbprint',
    usage: [
      'jot jwk convert FILE [--to jwk|pem]',
      'jot jwk public FILE',
      'jot jwk thumbprint FILE [--digest sha256]',
      'jot jwk uri FILE [--digest sha256]',
    ],
    options: {
      to: {
        type: 'string',
        value: 'FORMAT',
        help: 'output format for convert: jwk (default) or pem',
        complete: ['jwk', 'pem'],
      },
      alg: { type: 'string', short: 'a', value: 'ALG', help: 'bind the key to ALG (written as "alg")' },
      kid: { type: 'string', value: 'KID', help: 'key id to write' },
      digest: {
        type: 'string',
        value: 'HASH',
        help: 'thumbprint hash: sha256 (default), sha384, sha512',
        complete: ['sha256', 'sha384', 'sha512'],
      },
    },
    actions: ['convert', 'public', 'thumbprint', 'uri'],
    maxPositionals: 2,
    examples: [
      'jot jwk convert key.pem',
      'jot jwk convert key.jwk --to pem',
      'jot jwk public private.jwk > public.jwk',
      'jot jwk thumbprint public.jwk',
      'jot jwk uri public.jwk',
    ],
    load: () => import('./jwk.js'),
  },
  {
    name: 'jwks',
    summary: "fetch an issuer's key set, or build one from key files",
    usage: ['jot jwks URL', 'jot jwks discover ISSUER', 'jot jwks build FILE...'],
    options: {
      ...FETCH,
      'max-bytes': {
        type: 'string',
        value: 'N',
        help: 'largest response accepted, in bytes (default 512 KiB, at most 64 MiB)',
      },
    },
    actions: ['fetch', 'discover', 'build'],
    maxPositionals: 64,
    examples: [
      'jot jwks https://id.example/.well-known/jwks.json',
      'jot jwks discover https://id.example',
      'jot jwks build a.jwk b.pem > jwks.json',
    ],
    load: () => import('./jwks.js'),
  },
  {
    name: 'revoke',
    summary: 'revoke tokens (by jti or subject) and check or list revocations',
    usage: [
      'jot revoke add TOKEN|- --store STORE',
      'jot revoke add --jti ID --exp TIME --store STORE',
      'jot revoke add --sub SUB [--before TIME] --store STORE',
      'jot revoke check TOKEN|- --store STORE',
      'jot revoke list --store STORE',
    ],
    options: {
      store: {
        type: 'string',
        short: 's',
        value: 'STORE',
        help: 'sqlite:PATH or redis://HOST:PORT (or JOT_REVOCATION_STORE)',
      },
      jti: { type: 'string', value: 'ID', help: 'token id' },
      exp: {
        type: 'string',
        value: 'TIME',
        help: 'when the token expires: Unix seconds, ISO date, or a duration from now',
      },
      sub: { type: 'string', value: 'SUB', help: 'subject: every token of SUB issued before --before (default now)' },
      before: { type: 'string', value: 'TIME', help: 'subject cut-off: Unix seconds or ISO date (default now)' },
      iat: { type: 'string', value: 'TIME', help: 'issue time to check with --sub' },
      namespace: { type: 'string', value: 'NAME', help: 'Redis namespace or SQLite table prefix' },
    },
    actions: ['add', 'check', 'list'],
    maxPositionals: 2,
    examples: [
      'jot revoke add "$TOKEN" --store sqlite:revoked.db',
      'jot revoke add --sub user-42 --store redis://127.0.0.1:6379',
      'jot revoke check "$TOKEN" --store sqlite:revoked.db && echo still valid',
      'jot revoke list --store sqlite:revoked.db --json',
    ],
    notes: ['revoke check exits 1 when the token is revoked, 0 when it is not.'],
    load: () => import('./revoke.js'),
  },
  {
    name: 'audit',
    summary: 'audit a token (or a secret) against RFC 8725 best practice',
    usage: ['jot audit TOKEN|- [--wordlist FILE] [--key FILE | --secret-file FILE]', 'jot audit --secret-file FILE'],
    options: {
      ...SECRET,
      wordlist: {
        type: 'string',
        short: 'w',
        value: 'FILE',
        help: 'more candidate HMAC secrets, one a line',
        complete: file,
      },
      'no-wordlist': { type: 'boolean', help: 'skip the weak-secret search' },
      'max-lifetime': { type: 'string', value: 'DURATION', help: 'longest acceptable exp - iat (default 24h)' },
      'max-size': { type: 'string', value: 'BYTES', help: 'largest acceptable token (default 8192)' },
    },
    maxPositionals: 1,
    examples: [
      'jot audit "$TOKEN"',
      'jot audit - --wordlist rockyou.txt < token.txt',
      'jot audit --secret-file hs256.key',
    ],
    notes: [
      'Exit status 1 when a high-severity finding is reported. Ctrl-C stops the secret search and reports what was tried.',
    ],
    load: () => import('./audit.js'),
  },
  {
    name: 'serve',
    summary: 'the offline token debugger in your browser, on 127.0.0.1',
    usage: ['jot serve [--port N] [--open]'],
    options: {
      port: { type: 'string', short: 'p', value: 'N', help: 'port on 127.0.0.1 (default 8788; 0 picks a free one)' },
      open: {
        type: 'boolean',
        help: 'open the page in the browser (xdg-open; open on macOS; otherwise the URL is printed)',
      },
    },
    maxPositionals: 0,
    examples: ['jot serve --open', 'jot serve --port 9000'],
    notes: [
      'Tokens and keys pasted on the page never leave it: no request goes anywhere but 127.0.0.1, and only a JWKS URL you type is fetched, when you ask. Ctrl-C stops the server.',
    ],
    load: () => import('./serve.js'),
  },
  {
    name: 'completion',
    summary: 'print a shell completion script (bash or zsh)',
    usage: ['jot completion bash|zsh'],
    options: {},
    actions: ['bash', 'zsh'],
    maxPositionals: 1,
    examples: ['source <(jot completion bash)', 'jot completion zsh > ~/.zfunc/_jot  # a directory in $fpath'],
    load: () => import('./completion.js'),
  },
];

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}
