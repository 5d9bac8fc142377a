/**
 * Key text is never a secret (A04/A05, issue 10 class 1): every textual or binary form in which people keep keys,
 * produced by the real `openssl` and `ssh-keygen` in a temporary directory, plus hand-made spellings (armour of any
 * dash count, spacing and case, RFC 4716, BOMs, UTF-16, escaped JSON names, JWK sets, certificates of every SSH key
 * type), is refused as secret bytes, as an `oct` JWK and as a secret KeyObject. Random secrets are still accepted.
 *
 * Without openssl or ssh-keygen the matching part is skipped with a message naming the Debian package (`openssl`,
 * `openssh-client`), except under CI=true, where it fails.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, createSecretKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSecret, importKey, type JWK } from '../../src/index.js';
import { isKeyText } from '../../src/key/key-text.js';

const dir = mkdtempSync(join(tmpdir(), 'jot-keytext-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function have(program: string, args: string[], debianPackage: string): boolean {
  if (spawnSync(program, args, { stdio: 'ignore' }).error === undefined) return true;
  const message = `${program} not found: install the Debian package ${debianPackage}`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`skipping the ${program} key-text cases: ${message}`);
  return false;
}

const HAVE_OPENSSL = have('openssl', ['version'], 'openssl');
const HAVE_SSH_KEYGEN = have('ssh-keygen', ['-?'], 'openssh-client');

const run = (program: string, args: string[]) => execFileSync(program, args, { cwd: dir, stdio: 'pipe' });
const file = (name: string) => readFileSync(join(dir, name));
const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

/** Every way the secret could reach importKey. Each must fail with ERR_KEY_INVALID. */
async function expectRefused(name: string, bytes: Uint8Array): Promise<void> {
  expect(isKeyText(bytes), name).toBe(true);
  const forms: unknown[] = [
    bytes,
    { kty: 'oct', k: Buffer.from(bytes).toString('base64url') },
    createSecretKey(Buffer.from(bytes)),
  ];
  for (const m of forms) {
    let code: unknown = 'accepted';
    try {
      await importKey(m as JWK, { alg: 'HS256' });
    } catch (e) {
      code = (e as { code?: unknown }).code;
    }
    expect(code, name).toBe('ERR_KEY_INVALID');
  }
}

/** Spellings of one armoured text that real tools or hands produce. */
function armourVariants(name: string, pem: string): [string, string][] {
  const out: [string, string][] = [
    [name, pem],
    [`${name}, CRLF`, pem.replace(/\r?\n/g, '\r\n')],
    [`${name}, no final newline`, pem.trimEnd()],
    [`${name}, leading junk`, `x\u200b\u0000 ${pem}`],
    [`${name}, comment block first`, `-----BEGIN COMMENT-----\n-----END COMMENT-----\n${pem}`],
    [
      `${name}, lowercase armour`,
      pem.replace(/(BEGIN|END) ([A-Z0-9 ]+?)(-+)/g, (_, w, l, d) => `${w.toLowerCase()} ${l.toLowerCase()}${d}`),
    ],
    [`${name}, three dashes`, pem.replace(/-{4,5}/g, '---')],
    [
      `${name}, nine dashes and spaces`,
      pem.replace(/-{4,5} ?(BEGIN|END)/g, '--------- $1').replace(/ ?-{4,5}$/gm, ' ---------'),
    ],
    [`${name}, tab after dashes`, pem.replace(/-{4,5} ?(BEGIN|END)/g, '-----\t$1')],
  ];
  const body = pem
    .split(/\r?\n/)
    // Armour lines start with dashes; a base64 line may well contain "END" or "BEGIN" (it did, one run in ~30).
    .filter((l) => !l.startsWith('-') && !l.includes(':') && !l.startsWith(' '))
    .join('\n');
  out.push([`${name}, body without armour`, body]);
  out.push([`${name}, body on one line`, body.replace(/\s+/g, '')]);
  out.push([`${name}, inside a JSON string`, JSON.stringify(pem)]);
  return out;
}

function encodings(name: string, t: string): [string, Uint8Array][] {
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]);
  return [
    [name, utf8(t)],
    [`${name}, UTF-8 BOM`, utf8(`\ufeff${t}`)],
    [`${name}, UTF-16LE with BOM`, le],
  ];
}

describe.skipIf(!HAVE_OPENSSL)('key text made by openssl is never a secret', () => {
  it('private and public keys of every type, PEM and DER, certificates and requests', async () => {
    const cases: [string, Uint8Array][] = [];
    const types: [string, string[]][] = [
      ['rsa', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']],
      ['rsapss', ['-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048']],
      ['p256', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']],
      ['p521', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521']],
      ['ed25519', ['-algorithm', 'ED25519']],
      ['ed448', ['-algorithm', 'ED448']],
      ['x25519', ['-algorithm', 'X25519']],
    ];
    for (const [t, args] of types) {
      run('openssl', ['genpkey', ...args, '-out', `${t}.key`]);
      run('openssl', ['pkey', '-in', `${t}.key`, '-pubout', '-out', `${t}.pub`]);
      run('openssl', ['pkey', '-in', `${t}.key`, '-pubout', '-outform', 'DER', '-out', `${t}.pub.der`]);
      run('openssl', ['pkey', '-in', `${t}.key`, '-outform', 'DER', '-out', `${t}.key.der`]);
      for (const [n, v] of armourVariants(`openssl ${t} public PEM`, text(file(`${t}.pub`))))
        cases.push(...encodings(n, v));
      for (const [n, v] of armourVariants(`openssl ${t} private PEM`, text(file(`${t}.key`)))) cases.push([n, utf8(v)]);
      cases.push([`openssl ${t} public DER`, file(`${t}.pub.der`)]);
      cases.push([`openssl ${t} private DER`, file(`${t}.key.der`)]);
      cases.push([`openssl ${t} public DER, base64`, utf8(file(`${t}.pub.der`).toString('base64'))]);
    }
    run('openssl', ['rsa', '-in', 'rsa.key', '-RSAPublicKey_out', '-out', 'rsa.pkcs1.pub']);
    run('openssl', ['rsa', '-in', 'rsa.key', '-RSAPublicKey_out', '-outform', 'DER', '-out', 'rsa.pkcs1.der']);
    run('openssl', ['rsa', '-in', 'rsa.key', '-traditional', '-out', 'rsa.pkcs1.key']);
    run('openssl', ['ec', '-in', 'p256.key', '-outform', 'DER', '-out', 'p256.sec1.der']);
    run('openssl', ['ec', '-in', 'p256.key', '-pubout', '-param_enc', 'explicit', '-out', 'p256.explicit.pub']);
    for (const n of ['rsa.pkcs1.pub', 'rsa.pkcs1.key', 'p256.explicit.pub']) {
      for (const [name, v] of armourVariants(`openssl ${n}`, text(file(n)))) cases.push([name, utf8(v)]);
    }
    cases.push(['openssl PKCS#1 public DER', file('rsa.pkcs1.der')], ['openssl SEC1 DER', file('p256.sec1.der')]);
    for (const t of ['rsa', 'p256', 'ed25519']) {
      run('openssl', [
        'req',
        '-x509',
        '-new',
        '-key',
        `${t}.key`,
        '-subj',
        '/CN=jot',
        '-days',
        '2',
        '-out',
        `${t}.crt`,
      ]);
      run('openssl', ['x509', '-in', `${t}.crt`, '-outform', 'DER', '-out', `${t}.crt.der`]);
      run('openssl', ['req', '-new', '-key', `${t}.key`, '-subj', '/CN=jot', '-out', `${t}.csr`]);
      for (const [n, v] of armourVariants(`openssl ${t} certificate`, text(file(`${t}.crt`))))
        cases.push(...encodings(n, v));
      for (const [n, v] of armourVariants(`openssl ${t} request`, text(file(`${t}.csr`)))) cases.push([n, utf8(v)]);
      cases.push([`openssl ${t} certificate DER`, file(`${t}.crt.der`)]);
    }
    run('openssl', ['x509', '-in', 'rsa.crt', '-text', '-out', 'rsa.crt.txt']);
    cases.push(['openssl certificate with its text dump first', file('rsa.crt.txt')]);
    expect(cases.length).toBeGreaterThan(200);
    for (const [name, bytes] of cases) await expectRefused(name, bytes);
  });
});

describe.skipIf(!HAVE_SSH_KEYGEN)('key text made by ssh-keygen is never a secret', () => {
  it('public key lines, certificates, RFC 4716, PKCS#8 and PEM exports, private keys of every type', async () => {
    const types: [string, string[]][] = [
      ['rsa', ['-t', 'rsa', '-b', '2048']],
      ['ecdsa256', ['-t', 'ecdsa', '-b', '256']],
      ['ecdsa384', ['-t', 'ecdsa', '-b', '384']],
      ['ecdsa521', ['-t', 'ecdsa', '-b', '521']],
      ['ed25519', ['-t', 'ed25519']],
    ];
    if (spawnSync('ssh-keygen', ['-q', '-t', 'dsa', '-N', '', '-f', join(dir, 'probe_dsa')]).status === 0) {
      types.push(['dsa', ['-t', 'dsa']]);
    }
    run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'ca', '-f', 'ssh_ca']);
    const cases: [string, Uint8Array][] = [];
    for (const [t, args] of types) {
      const f = `id_${t}`;
      run('ssh-keygen', ['-q', ...args, '-N', '', '-C', 'user@host', '-f', f]);
      run('ssh-keygen', ['-q', '-s', 'ssh_ca', '-I', 'jot', '-n', 'user', '-V', '+1d', `${f}.pub`]);
      run('ssh-keygen', [
        '-q',
        '-s',
        'ssh_ca',
        '-h',
        '-I',
        'host',
        '-n',
        'h.example',
        '-V',
        '+1d',
        '-O',
        'clear',
        `${f}.pub`,
      ]);
      const line = text(file(`${f}.pub`));
      const cert = text(file(`${f}-cert.pub`));
      const blob = line.split(' ')[1]!;
      const rfc4716 = execFileSync('ssh-keygen', ['-e', '-f', `${f}.pub`], { cwd: dir }).toString('latin1');
      for (const [n, v] of [
        [`ssh-keygen ${t} public line`, line],
        [`ssh-keygen ${t} public line, no comment`, line.split(' ').slice(0, 2).join(' ')],
        [`ssh-keygen ${t} blob alone`, blob],
        [`ssh-keygen ${t} blob, URL-safe`, blob.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')],
        [`ssh-keygen ${t} authorized_keys with options`, `from="10.0.0.1",no-pty ${line}`],
        [`ssh-keygen ${t} known_hosts`, `h.example,10.0.0.1 ${line}`],
        [`ssh-keygen ${t} certificate`, cert],
        [`ssh-keygen ${t} certificate blob alone`, cert.split(' ')[1]!],
        [`ssh-keygen ${t} @cert-authority line`, `@cert-authority *.example ${text(file('ssh_ca.pub'))}`],
        [`ssh-keygen ${t} private key`, text(file(f))],
      ] as const) {
        cases.push(...encodings(n, v));
      }
      for (const [n, v] of armourVariants(`ssh-keygen ${t} RFC 4716`, rfc4716)) cases.push(...encodings(n, v));
      if (t !== 'ed25519') {
        for (const m of t === 'dsa' ? ['PKCS8'] : ['PKCS8', 'PEM']) {
          const pem = execFileSync('ssh-keygen', ['-e', '-m', m, '-f', `${f}.pub`], { cwd: dir }).toString('latin1');
          for (const [n, v] of armourVariants(`ssh-keygen ${t} ${m}`, pem)) cases.push([n, utf8(v)]);
        }
      }
    }
    // The certificates' key types: every "-cert-v01@openssh.com" one was made.
    const certTypes = readdirSync(dir)
      .filter((n) => n.endsWith('-cert.pub'))
      .map((n) => text(file(n)).split(' ')[0]);
    expect(certTypes).toEqual(expect.arrayContaining(['ssh-ed25519-cert-v01@openssh.com']));
    for (const [name, bytes] of cases) await expectRefused(name, bytes);
  });
});

/** An SSH wire-format blob: each part a uint32-length-prefixed string. */
function sshBlob(...parts: (string | Uint8Array)[]): string {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const b = typeof p === 'string' ? Buffer.from(p) : Buffer.from(p);
    const n = Buffer.alloc(4);
    n.writeUInt32BE(b.length);
    chunks.push(n, b);
  }
  return Buffer.concat(chunks).toString('base64');
}

describe('hand-made key text is never a secret', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const jwk = rsa.publicKey.export({ format: 'jwk' });
  const ecJwk = ec.privateKey.export({ format: 'jwk' });
  const spki = rsa.publicKey.export({ format: 'pem', type: 'spki' }) as string;
  const x32 = new Uint8Array(32).fill(7);

  it('SSH key types jot has never heard of, security keys and certificates, by their wire format', async () => {
    const blobs: Record<string, string> = {
      'sk-ssh-ed25519@openssh.com': sshBlob('sk-ssh-ed25519@openssh.com', x32, 'ssh:'),
      'sk-ecdsa-sha2-nistp256@openssh.com': sshBlob('sk-ecdsa-sha2-nistp256@openssh.com', 'nistp256', x32, 'ssh:'),
      'sk-ssh-ed25519-cert-v01@openssh.com': sshBlob('sk-ssh-ed25519-cert-v01@openssh.com', x32, x32),
      'ssh-ed448': sshBlob('ssh-ed448', new Uint8Array(57)),
      'a future key type': sshBlob('ssh-mldsa65@example.com', x32),
      'x509v3-ssh-rsa': sshBlob('x509v3-ssh-rsa', x32),
      'rsa-sha2-512-cert-v01@openssh.com': sshBlob('rsa-sha2-512-cert-v01@openssh.com', x32),
      truncated: sshBlob('ssh-rsa', new Uint8Array([1, 0, 1])).slice(0, 20),
    };
    for (const [name, b64] of Object.entries(blobs)) {
      const type = Buffer.from(b64, 'base64')
        .subarray(4, 4 + Buffer.from(b64, 'base64').readUInt32BE(0))
        .toString();
      for (const [n, v] of [
        [`${name} line`, `${type} ${b64} comment`],
        [`${name} blob`, b64],
        [`${name} blob in brackets`, `key=[${b64}]`],
        [`${name} line with another type word`, `ssh-whatever ${b64}`],
      ] as const) {
        await expectRefused(n, utf8(v));
      }
      await expectRefused(`${name} raw wire bytes`, Buffer.from(b64, 'base64'));
    }
    await expectRefused('openssh-key-v1 raw', Buffer.concat([Buffer.from('openssh-key-v1\0'), Buffer.alloc(40, 1)]));
    await expectRefused(
      'RFC 4716 by hand',
      utf8(`---- BEGIN SSH2 PUBLIC KEY ----\nComment: "x"\n${blobs['ssh-ed448']}\n---- END SSH2 PUBLIC KEY ----\n`),
    );
    await expectRefused(
      'PuTTY key file',
      utf8(
        `PuTTY-User-Key-File-3: ssh-ed448\nEncryption: none\nComment: x\nPublic-Lines: 2\n${blobs['ssh-ed448']!.slice(0, 64)}\n${blobs['ssh-ed448']!.slice(64)}\nPrivate-Lines: 1\nAAAA\n`,
      ),
    );
  });

  it('PEM armour of any spelling, even with an unknown label or a body that is not a key', async () => {
    for (const t of [
      '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----',
      '--BEGIN X--',
      '----- begin whatever -----',
      '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQENBF\n-----END PGP PUBLIC KEY BLOCK-----',
      'prefix text -----END PUBLIC KEY-----',
      `-----BEGIN  PUBLIC KEY-----\n${spki.split('\n').slice(1, -2).join('\n')}\n-----END  PUBLIC KEY-----`,
    ]) {
      await expectRefused(JSON.stringify(t), utf8(t));
    }
  });

  it('JWKs and JWK sets however the JSON is written', async () => {
    const one = JSON.stringify(jwk);
    const escaped = one.replace('"kty"', '"\\u006bty"').replace('"n"', '"\\u006e"');
    const variants: Record<string, string> = {
      compact: one,
      pretty: JSON.stringify(jwk, null, 2),
      'space before the colon': one.replace('"kty":', '"kty" :\n '),
      'escaped member names': escaped,
      'escaped name, BOM and whitespace': `\ufeff \n\t${escaped}\r\n`,
      'key set': JSON.stringify({ keys: [jwk, ecJwk] }),
      'key set with escaped names': JSON.stringify({ keys: [jwk] }).replace(/"kty"/g, '"\\u006b\\u0074\\u0079"'),
      'array of keys': JSON.stringify([ecJwk]),
      'nested in another object': JSON.stringify({ issuer: 'x', signing: { jwk: ecJwk } }),
      'private EC JWK': JSON.stringify(ecJwk),
      'JSON string holding a JWK': JSON.stringify(JSON.stringify(ecJwk).replace('"kty"', '"\\u006bty"')),
      'JWK with an x5c certificate only': JSON.stringify({
        x5c: [rsa.publicKey.export({ format: 'der', type: 'spki' }).toString('base64')],
      }),
    };
    for (const [name, t] of Object.entries(variants)) {
      for (const [n, b] of encodings(`JWK ${name}`, t)) await expectRefused(n, b);
    }
  });

  it('DER structures: SubjectPublicKeyInfo, PKCS#1, PKCS#8, SEC1', async () => {
    await expectRefused('SPKI DER', rsa.publicKey.export({ format: 'der', type: 'spki' }));
    await expectRefused('PKCS#1 public DER', rsa.publicKey.export({ format: 'der', type: 'pkcs1' }));
    await expectRefused('PKCS#1 private DER', rsa.privateKey.export({ format: 'der', type: 'pkcs1' }));
    await expectRefused('PKCS#8 DER', ec.privateKey.export({ format: 'der', type: 'pkcs8' }));
    await expectRefused('SEC1 DER', ec.privateKey.export({ format: 'der', type: 'sec1' }));
    await expectRefused('EC SPKI DER', ec.publicKey.export({ format: 'der', type: 'spki' }));
  });

  it('random secrets, and text secrets that only resemble key text, are still secrets (seeded)', async () => {
    const seed = 'key-text-1';
    let counter = 0;
    const draw = (n: number): Uint8Array => {
      const out = Buffer.alloc(n);
      for (let off = 0; off < n; off += 32) {
        createHash('sha256').update(`${seed}:${counter++}`).digest().copy(out, off);
      }
      return out;
    };
    let refused = 0;
    for (let i = 0; i < 20_000; i++) {
      const b = draw(32 + (i % 33));
      if (
        isKeyText(b) ||
        isKeyText(utf8(Buffer.from(b).toString('hex'))) ||
        isKeyText(utf8(Buffer.from(b).toString('base64url')))
      ) {
        refused++;
        console.error(`seed ${seed}: draw ${i} was taken for key text`);
      }
    }
    expect(refused).toBe(0);
    for (const t of [
      'correct horse battery staple, 32 bytes or more of it',
      'a kty of "RSA" is written in a JWK, says this secret',
      '---------------------------------------- dashes only',
      'the end -- the beginning -- and thirty-two bytes more',
    ]) {
      expect(isKeyText(utf8(t)), t).toBe(false);
      await importKey(utf8(t), { alg: 'HS256' });
    }
    for (let i = 0; i < 20; i++) expect((await generateSecret('HS256')).kty).toBe('oct');
    // The catalogue's floor (A05): these markers are refused even where nothing parses.
    for (const t of ['my-ssh-rsa-passphrase-that-is-long-enough-for-hs256', 'x ecdsa-sha2- y', '-----Begin']) {
      expect(isKeyText(utf8(t)), t).toBe(true);
    }
  });
});
