/** Option declarations shared by several subcommands (part of the surface table, src/cli/surface.ts). */
import { CONTENT_ENCRYPTION_ALGORITHMS, JWS_ALGORITHMS, KEY_MANAGEMENT_ALGORITHMS } from '../alg/index.js';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  /** Placeholder in help (`FILE`, `ALG`). */
  readonly value?: string;
  readonly help: string;
  /** Values offered by shell completion; `'file'` completes paths. */
  readonly complete?: readonly string[] | 'file';
}

export const file = 'file' as const;
export const JWS_ALGS = Object.keys(JWS_ALGORITHMS);
export const KM_ALGS = Object.keys(KEY_MANAGEMENT_ALGORITHMS);
export const ENCS = Object.keys(CONTENT_ENCRYPTION_ALGORITHMS);

export const COMMON: Readonly<Record<string, OptionSpec>> = {
  help: { type: 'boolean', short: 'h', help: 'show this help' },
  json: { type: 'boolean', help: 'machine-readable JSON output' },
};

export const SECRET: Readonly<Record<string, OptionSpec>> = {
  key: { type: 'string', short: 'k', value: 'FILE', help: 'key file: JWK, JWKS or PEM', complete: file },
  'secret-file': {
    type: 'string',
    value: 'FILE',
    help: 'HMAC or AES secret: the bytes of FILE (one trailing newline dropped)',
    complete: file,
  },
  'secret-env': { type: 'string', value: 'NAME', help: 'secret: the UTF-8 bytes of environment variable NAME' },
  secret: { type: 'string', value: 'TEXT', help: 'secret: the UTF-8 bytes of TEXT (visible in ps and shell history)' },
};

export const CLAIM_CHECKS: Readonly<Record<string, OptionSpec>> = {
  iss: { type: 'string', multiple: true, value: 'ISS', help: 'required issuer (several: any of them)' },
  aud: { type: 'string', multiple: true, value: 'AUD', help: 'required audience (several: any of them)' },
  sub: { type: 'string', value: 'SUB', help: 'required subject' },
  typ: { type: 'string', value: 'TYP', help: 'required "typ" header, e.g. at+jwt' },
  'max-age': { type: 'string', value: 'DURATION', help: 'reject tokens issued longer ago (needs iat), e.g. 1h' },
  leeway: { type: 'string', value: 'DURATION', help: 'clock tolerance for exp/nbf/iat (default 0, at most 1d)' },
  require: { type: 'string', multiple: true, value: 'CLAIM', help: 'claim that must be present' },
};

export const ISSUE: Readonly<Record<string, OptionSpec>> = {
  claims: {
    type: 'string',
    short: 'c',
    value: 'JSON|@FILE|-',
    help: 'claims: JSON text, @FILE, or - for standard input',
  },
  exp: { type: 'string', value: 'DURATION', help: 'expires in DURATION (15m, 2h, 7d) or at an ISO date' },
  nbf: { type: 'string', value: 'DURATION', help: 'not valid before now + DURATION or an ISO date' },
  sub: { type: 'string', value: 'SUB', help: 'subject claim' },
  iss: { type: 'string', value: 'ISS', help: 'issuer claim' },
  aud: { type: 'string', multiple: true, value: 'AUD', help: 'audience claim' },
  jti: { type: 'string', value: 'ID', help: 'token id; "random" makes one' },
  kid: { type: 'string', value: 'KID', help: "key id header (default: the key's kid)" },
  typ: { type: 'string', value: 'TYP', help: 'typ header (default JWT)' },
  'no-iat': { type: 'boolean', help: 'leave out the iat claim' },
};

export const FETCH: Readonly<Record<string, OptionSpec>> = {
  'allow-http': { type: 'boolean', help: 'allow plain http:// URLs (loopback testing only)' },
  timeout: {
    type: 'string',
    value: 'DURATION',
    help: 'network timeout for the whole fetch (default 5s, at most 120s)',
  },
};
