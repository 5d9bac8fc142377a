// The vector fixture of the portable conformance script (test/runtimes/conformance.js): the RFC examples under
// test/vectors/ (RFC 7515 appendix A, RFC 7516 appendix A, RFC 7520 sections 4 and 5, RFC 8037 and its cookbook
// companions, the RFC 7638 thumbprint), turned into one JSON document that needs no file system to read.
// The vectors keep their origin and licence in their folders' READMEs; this only selects and reshapes them.
// Usage: import { writeFixture } from './conformance-fixture.js' (scripts/bundle.js calls it).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const VECTORS = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'vectors');
const load = (rel) => JSON.parse(readFileSync(join(VECTORS, rel), 'utf8'));
const b64u = (text) => Buffer.from(text, 'utf8').toString('base64url');

/** RFC 7520 section 4 examples that verify as published (4.7 and 4.8 put `alg` unprotected: refused by design). */
const COOKBOOK_JWS = [
  'jws/4_1.rsa_v15_signature.json',
  'jws/4_2.rsa-pss_signature.json',
  'jws/4_3.ecdsa_signature.json',
  'jws/4_4.hmac-sha2_integrity_protection.json',
  'jws/4_5.signature_with_detached_content.json',
  'jws/4_6.protecting_specific_header_fields.json',
  'curve25519/jws.json',
];
/** RFC 7520 section 5 examples that decrypt as published (5.1 RSA1_5 never decrypts; 5.12 leaves enc unprotected;
 * 5.13 has an RSA1_5 recipient). */
const COOKBOOK_JWE = [
  'jwe/5_2.key_encryption_using_rsa-oaep_with_aes-gcm.json',
  'jwe/5_3.key_wrap_using_pbes2-aes-keywrap_with-aes-cbc-hmac-sha2.json',
  'jwe/5_4.key_agreement_with_key_wrapping_using_ecdh-es_and_aes-keywrap_with_aes-gcm.json',
  'jwe/5_5.key_agreement_using_ecdh-es_with_aes-cbc-hmac-sha2.json',
  'jwe/5_6.direct_encryption_using_aes-gcm.json',
  'jwe/5_7.key_wrap_using_aes-gcm_keywrap_with_aes-cbc-hmac-sha2.json',
  'jwe/5_8.key_wrap_using_aes-keywrap_with_aes-gcm.json',
  'jwe/5_9.compressed_content.json',
  'jwe/5_10.including_additional_authentication_data.json',
  'jwe/5_11.protecting_specific_header_fields.json',
  'curve25519/ecdh-es.json',
];

/** The serialized forms of a cookbook example, as [form, value] pairs. */
const forms = (output) =>
  ['compact', 'json', 'json_flat'].filter((f) => output[f] !== undefined).map((f) => [f, output[f]]);

function cookbookJws(file) {
  const v = load(`rfc7520/${file}`);
  const signing = Array.isArray(v.signing) ? v.signing[0] : v.signing;
  return {
    name: `RFC 7520 ${file}`,
    kind: 'jws',
    alg: v.input.alg,
    key: v.input.key,
    payloadB64u: b64u(v.input.payload),
    detached: v.output.compact?.split('.')[1] === '' || (v.output.json ?? v.output.json_flat)?.payload === undefined,
    protectedHeader: signing.protected,
    forms: forms(v.output),
  };
}

function cookbookJwe(file) {
  const v = load(`rfc7520/${file}`);
  return {
    name: `RFC 7520 ${file}`,
    kind: 'jwe',
    alg: v.input.alg,
    enc: v.input.enc,
    ...(v.input.pwd === undefined ? { key: v.input.key } : { passwordB64u: b64u(v.input.pwd) }),
    plaintextB64u: b64u(v.input.plaintext),
    zip: v.input.zip === 'DEF',
    forms: forms(v.output),
  };
}

function rfc7515() {
  const d = load('rfc/erlang-jose/rfc7515_appendix_A.json').sections;
  return ['A.1', 'A.2', 'A.3', 'A.4'].map((s) => {
    const n = `${s.toLowerCase()}.1`;
    const e = d[s].entries;
    const compact = e[`${n}.compact`];
    const header = JSON.parse(Buffer.from(compact.split('.')[0], 'base64url').toString('utf8'));
    return {
      name: `RFC 7515 appendix ${s}`,
      kind: 'jws',
      alg: header.alg,
      key: JSON.parse(e[`${n}.jwk+json`]),
      payloadB64u: e[`${n}.payload-b64`],
      detached: false,
      protectedHeader: header,
      forms: [['compact', compact]],
    };
  });
}

function rfc7516() {
  const d = load('rfc/erlang-jose/rfc7516_appendix_A.json').sections;
  // A.2 is RSA1_5, which jot encrypts but never decrypts.
  return ['A.1', 'A.3'].map((s) => {
    const n = s.toLowerCase();
    const e = d[s].entries;
    const compact = e[`${n}.7.jwe+compact`];
    const header = JSON.parse(Buffer.from(compact.split('.')[0], 'base64url').toString('utf8'));
    const txt = e[`${n}.txt`];
    return {
      name: `RFC 7516 appendix ${s}`,
      kind: 'jwe',
      alg: header.alg,
      enc: header.enc,
      key: JSON.parse(e[`${n}.3.jwk+json`]),
      plaintextB64u: typeof txt === 'string' ? b64u(txt) : Buffer.from(txt.hex, 'hex').toString('base64url'),
      zip: false,
      forms: [['compact', compact]],
    };
  });
}

function thumbprints() {
  const f = load('rfc/latchset-jose/rfc7638_section_3.1.json').files;
  return [
    { name: 'RFC 7638 section 3.1', kind: 'thumbprint', key: f['rfc7638_3.1.jwk'], thumbprint: f['rfc7638_3.1.thp'] },
  ];
}

/** The fixture document. */
export function conformanceFixture() {
  return {
    about: 'Selected RFC examples from test/vectors (see the READMEs there for origin and licence).',
    cases: [
      ...rfc7515(),
      ...rfc7516(),
      ...COOKBOOK_JWS.map(cookbookJws),
      ...COOKBOOK_JWE.map(cookbookJwe),
      ...thumbprints(),
    ],
  };
}

export function writeFixture(path) {
  writeFileSync(path, `${JSON.stringify(conformanceFixture(), null, 1)}\n`);
}
