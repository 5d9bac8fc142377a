import { bare } from '../../encoding/null-prototype.js';
import { err, JotError } from '../../errors.js';
import type { JwkMembers, KeyBackend, KeyDescription, KeyHandle } from '../backend.js';
import { b64FromBytes, b64uFromBytes, bytesFromB64u, hexFromBytes } from './bytes.js';
import { type DerKey, fromPemDer, OKP_CURVES } from './der-keys.js';

// Key import and export over WebCrypto (`#crypto/keys`, web). A key is held as its JWK members; WebCrypto keys are
// made from them on first use, once per algorithm and usage (a WebCrypto key is bound to one algorithm, a jot key
// may serve several), and cached. Importing is asynchronous in WebCrypto, so `settle` (awaited by importKey) makes
// the key's first WebCrypto key at once: a key the runtime refuses fails at import, not at first use.

/** The WebCrypto implementation's key record. @internal */
export interface WebKey {
  readonly kind: 'secret' | 'public' | 'private';
  /** `oct`, `rsa`, `ec`, `ed25519`, `ed448`, `x25519`, `x448`. */
  readonly type: string;
  readonly jwk: JwkMembers;
  readonly secret?: Uint8Array;
  /** WebCrypto keys made from this key, by algorithm and usage. */
  readonly made: Map<string, Promise<CryptoKey>>;
  /** The check that a private key's public part is its own (run once, before first use). */
  pair?: Promise<void>;
}

export const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

/** A platform failure as a JotError: `NotSupportedError` (and friends) is `ERR_JOSE_NOT_SUPPORTED`. */
export function platformError(cause: unknown, code: 'ERR_KEY_INVALID' | 'ERR_JWK_INVALID', what: string): JotError {
  if (cause instanceof JotError) return cause;
  const name = (cause as { name?: unknown } | null)?.name;
  if (name === 'NotSupportedError' || name === 'TypeError' || name === 'SyntaxError') {
    return err('ERR_JOSE_NOT_SUPPORTED', `${what} is not supported by this runtime's WebCrypto`, cause);
  }
  return err(code, `${what}: the key was refused`, cause);
}

/** The WebCrypto key of `k` for `algorithm` and `usage`, made once. */
export function cryptoKey(
  k: WebKey,
  algorithm: RsaHashedImportParams | EcKeyImportParams | HmacImportParams | Algorithm,
  usage: KeyUsage | 'none',
  name = algorithm.name,
): Promise<CryptoKey> {
  const id = `${name}/${usage}`;
  let made = k.made.get(id);
  if (made === undefined) {
    const usages: KeyUsage[] = usage === 'none' ? [] : [usage];
    made =
      k.secret !== undefined
        ? subtle().importKey('raw', k.secret as BufferSource, algorithm, false, usages)
        : subtle().importKey('jwk', forImport(k.jwk, k.kind), algorithm, false, usages);
    made = made.catch((cause: unknown) => {
      throw platformError(cause, 'ERR_KEY_INVALID', `the key for ${name}`);
    });
    k.made.set(id, made);
  }
  return made;
}

/** The JWK WebCrypto imports: the key's own members only (no `alg`, `use` or `key_ops` to contradict the usage). */
function forImport(jwk: JwkMembers, kind: WebKey['kind']): JsonWebKey {
  const out: Record<string, string> = {};
  const members =
    kind === 'private'
      ? ['kty', 'crv', 'x', 'y', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi']
      : ['kty', 'crv', 'x', 'y', 'n', 'e'];
  for (const m of members) if (jwk[m] !== undefined) out[m] = jwk[m]!;
  return out as JsonWebKey;
}

const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e'] as const;

function publicJwk(jwk: JwkMembers): JwkMembers {
  const out: JwkMembers = { kty: jwk.kty };
  for (const m of PUBLIC_MEMBERS) if (jwk[m] !== undefined) out[m] = jwk[m];
  return out;
}

const bigintOf = (s: string): bigint => {
  const b = bytesFromB64u(s);
  return b.byteLength === 0 ? 0n : BigInt(`0x${hexFromBytes(b)}`);
};

const record = (kind: WebKey['kind'], type: string, jwk: JwkMembers, secret?: Uint8Array): WebKey =>
  bare({ kind, type, jwk, made: new Map(), ...(secret !== undefined ? { secret } : {}) }) as WebKey;

/** Describe a complete JWK (validated by the caller or read from DER). */
export function describeJwk(jwk: JwkMembers, kind: 'public' | 'private'): KeyDescription {
  const type = jwk.kty === 'RSA' ? 'rsa' : jwk.kty === 'EC' ? 'ec' : (jwk.crv ?? '').toLowerCase();
  const native = record(kind, type, jwk);
  const publicNative = kind === 'private' ? record('public', type, publicJwk(jwk)) : undefined;
  const base = { native, kind, type, ...(publicNative !== undefined ? { publicNative } : {}) };
  if (type === 'rsa') {
    const n = bigintOf(jwk.n ?? '');
    return bare({ ...base, modulusBits: n.toString(2).length, publicExponent: bigintOf(jwk.e ?? ''), modulus: n });
  }
  if (type === 'ec') return bare({ ...base, crv: jwk.crv! });
  if (OKP_CURVES[type] === undefined) throw err('ERR_KEY_INVALID', 'unsupported key type');
  return bare({ ...base, x: bytesFromB64u(jwk.x ?? '') });
}

/** A private key whose public part only WebCrypto can compute: imported, then exported as a JWK. */
async function completePkcs8(der: Extract<DerKey, { pkcs8: Uint8Array }>): Promise<KeyDescription> {
  const algorithm = der.type === 'ec' ? { name: 'ECDSA', namedCurve: der.crv! } : { name: OKP_CURVES[der.type]! };
  const usage: KeyUsage = der.type === 'x25519' || der.type === 'x448' ? 'deriveBits' : 'sign';
  let jwk: JsonWebKey;
  try {
    const key = await subtle().importKey('pkcs8', der.pkcs8 as BufferSource, algorithm, true, [usage]);
    jwk = await subtle().exportKey('jwk', key);
  } catch (cause) {
    throw platformError(cause, 'ERR_KEY_INVALID', 'the PEM private key');
  }
  return describeJwk(publicAndPrivate(jwk), 'private');
}

function publicAndPrivate(jwk: JsonWebKey): JwkMembers {
  const out: JwkMembers = { kty: jwk.kty ?? '' };
  for (const m of [...PUBLIC_MEMBERS, 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const) {
    const v = (jwk as Record<string, unknown>)[m];
    if (typeof v === 'string') out[m] = v;
  }
  return out;
}

const pem = (label: string, der: ArrayBuffer): string =>
  `-----BEGIN ${label}-----\n${(b64FromBytes(new Uint8Array(der)).match(/.{1,64}/g) ?? []).join('\n')}\n-----END ${label}-----\n`;

/** The algorithm a key of `type` is imported with to check it and to export it. */
function anyAlgorithm(k: WebKey): {
  algorithm: RsaHashedImportParams | EcKeyImportParams | Algorithm;
  usage: KeyUsage | 'none';
} {
  const priv = k.kind === 'private';
  if (k.type === 'rsa') return { algorithm: { name: 'RSA-PSS', hash: 'SHA-256' }, usage: priv ? 'sign' : 'verify' };
  if (k.type === 'ec') return { algorithm: { name: 'ECDSA', namedCurve: k.jwk.crv! }, usage: priv ? 'sign' : 'verify' };
  if (k.type === 'x25519' || k.type === 'x448') {
    return { algorithm: { name: OKP_CURVES[k.type]! }, usage: priv ? 'deriveBits' : 'none' };
  }
  return { algorithm: { name: OKP_CURVES[k.type]! }, usage: priv ? 'sign' : 'verify' };
}

/** WebCrypto key import and export. */
export const keys: KeyBackend = Object.freeze({
  name: 'web' as const,

  fromSecret(bytes: Uint8Array): KeyDescription {
    const secret = new Uint8Array(bytes);
    return bare({
      native: record('secret', 'oct', { kty: 'oct' }, secret),
      kind: 'secret' as const,
      type: 'oct',
      secret,
    });
  },

  fromPem(label: string, _text: string, der: Uint8Array): KeyDescription | Promise<KeyDescription> {
    const read = fromPemDer(label, der);
    return 'jwk' in read ? describeJwk(read.jwk, read.kind) : completePkcs8(read);
  },

  fromJwk(jwk: JwkMembers, isPrivate: boolean): KeyDescription {
    if (jwk.kty === 'oct') return keys.fromSecret(bytesFromB64u(jwk.k ?? ''));
    return describeJwk(jwk, isPrivate ? 'private' : 'public');
  },

  fromNative(material: unknown): KeyDescription | Promise<KeyDescription> | undefined {
    if (typeof CryptoKey === 'undefined' || !(material instanceof CryptoKey)) return undefined;
    if (!material.extractable) {
      throw err('ERR_KEY_INVALID', 'a CryptoKey is imported from its JWK export: make it extractable');
    }
    return subtle()
      .exportKey('jwk', material)
      .then(
        (jwk) => {
          if (material.type === 'secret') return keys.fromSecret(bytesFromB64u(jwk.k ?? ''));
          return describeJwk(publicAndPrivate(jwk), material.type === 'private' ? 'private' : 'public');
        },
        (cause: unknown) => {
          throw platformError(cause, 'ERR_KEY_INVALID', 'the CryptoKey');
        },
      );
  },

  // WebCrypto computes no public key from a private one synchronously: `settle` checks the pair instead.
  ecPublicOf: (): undefined => undefined,
  okpPublicOf: (): undefined => undefined,

  async settle(h: KeyHandle): Promise<void> {
    const k = h.native as WebKey;
    if (k.kind === 'secret') return;
    const { algorithm, usage } = anyAlgorithm(k);
    await cryptoKey(k, algorithm, usage);
    if (k.kind === 'private') await checkPair(k, h.publicNative as WebKey);
  },

  exportJwk(h: KeyHandle, includePrivate: boolean): JwkMembers {
    const k = (includePrivate ? h.native : (h.publicNative ?? h.native)) as WebKey;
    return includePrivate ? { ...k.jwk } : publicJwk(k.jwk);
  },

  async exportPem(h: KeyHandle, isPrivate: boolean): Promise<string> {
    const k = h.native as WebKey;
    const { algorithm, usage } = anyAlgorithm(k);
    try {
      const usages: KeyUsage[] = usage === 'none' ? [] : [usage];
      const key = await subtle().importKey('jwk', forImport(k.jwk, k.kind), algorithm, true, usages);
      return isPrivate
        ? pem('PRIVATE KEY', await subtle().exportKey('pkcs8', key))
        : pem('PUBLIC KEY', await subtle().exportKey('spki', key));
    } catch (cause) {
      throw platformError(cause, 'ERR_KEY_INVALID', 'the key export');
    }
  },
});

/** Is the public part of a private key its own? A signature (or an agreement) made with one, checked with the other. */
export function checkPair(k: WebKey, pub: WebKey): Promise<void> {
  k.pair ??= (async () => {
    if (k.type === 'rsa') return; // the RSA parts were checked by arithmetic (key/jwk.ts) or come from one DER key
    const data = globalThis.crypto.getRandomValues(new Uint8Array(16));
    let ok: boolean;
    if (k.type === 'x25519' || k.type === 'x448') {
      const algorithm = { name: OKP_CURVES[k.type]! };
      const bits = k.type === 'x25519' ? 256 : 448;
      const other = (await subtle().generateKey(algorithm, false, ['deriveBits'])) as CryptoKeyPair;
      const mine = await cryptoKey(k, algorithm, 'deriveBits');
      const a = await subtle().deriveBits(
        { name: algorithm.name, public: other.publicKey } as EcdhKeyDeriveParams,
        mine,
        bits,
      );
      const own = await cryptoKey(pub, algorithm, 'none');
      const b = await subtle().deriveBits(
        { name: algorithm.name, public: own } as EcdhKeyDeriveParams,
        other.privateKey,
        bits,
      );
      ok = b64uFromBytes(new Uint8Array(a)) === b64uFromBytes(new Uint8Array(b));
    } else {
      const { algorithm } = anyAlgorithm(k);
      const params = k.type === 'ec' ? { name: 'ECDSA', hash: 'SHA-256' } : algorithm;
      const sig = await subtle().sign(params, await cryptoKey(k, algorithm, 'sign'), data);
      ok = await subtle().verify(params, await cryptoKey(pub, algorithm, 'verify'), sig, data);
    }
    if (!ok) throw err('ERR_KEY_INVALID', 'the JWK public part does not match its private part');
  })();
  return k.pair;
}
