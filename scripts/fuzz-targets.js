/**
 * Fuzz targets shared by the quick property tests (test/fuzz, against src/) and the long run (scripts/fuzz.js,
 * against dist/). Every parsing entry point of jot gets structure-aware inputs: valid tokens, keys and sets mutated at
 * the byte, base64url and JSON levels, validly signed arbitrary headers and claims, PEM documents mutated in their
 * armour and their DER, and arbitrary values where a string is expected.
 *
 * A target's `check(input)` resolves to `undefined` when the library behaved, or to a finding (a string):
 * - `escape: ...`   something other than a JotError with a documented code was thrown (G1);
 * - `verified: ...` a mutated token verified or decrypted, or an accepted result broke an invariant (an oracle).
 *
 * The library is injected (`lib`), so the same targets run against the sources and the build.
 */

import {
  b64u,
  each,
  enc,
  HAZARDS,
  jsonB64u,
  literal,
  mutations,
  NOISE,
  NOW,
  PROTO_NAMES,
  Raw,
  settle,
  short,
  tokenMutations,
  unb64u,
} from './fuzz-mutations.js';

/**
 * Build the targets. `lib` holds jot's public functions (from src/ or dist/), `fc` is fast-check.
 * Resolves to `[{ name, arbitrary, check }]`.
 */
export async function createTargets(lib, fc) {
  const m = mutations(fc);
  const hs = await lib.generateSecret('HS256');
  const es = await lib.generateKeyPair('ES256');
  const ed = await lib.generateKeyPair('EdDSA');
  const rs = await lib.generateKeyPair('RS256');
  const claims = {
    sub: 'u',
    iss: 'https://idp.example',
    aud: 'api',
    iat: NOW - 10,
    exp: NOW + 3600,
    n: [1, { x: 'y' }],
  };
  const now = new Date(NOW * 1000);
  const jwtOptions = { issuer: 'https://idp.example', audience: 'api', currentDate: now };

  // --- JWS compact: verifyCompact, verifyJwt, createVerifier (sync, and the cache) -------------------------------
  const signers = [
    [hs, 'HS256'],
    [es.privateKey, 'ES256', es.publicKey],
    [ed.privateKey, 'EdDSA', ed.publicKey],
    [rs.privateKey, 'RS256', rs.publicKey],
  ];
  const jws = [];
  for (const [k, alg, pub] of signers) {
    const token = await lib.signJwt(claims, k, { kid: `k-${alg}`, issuedAt: false });
    const key = pub ?? k;
    jws.push({
      token,
      key,
      verifier: lib.createVerifier({ key, ...jwtOptions }),
      cached: lib.createVerifier({ key, ...jwtOptions, cache: { max: 64 } }),
    });
  }
  const compactJws = {
    name: 'jws-compact',
    arbitrary: each(fc, jws, (c, i) => tokenMutations(fc, m, c.token).map((t) => ({ i, t }))),
    async check({ i, t }) {
      const c = jws[i];
      const calls = [
        ['verifyCompact', () => lib.verifyCompact(t, c.key)],
        ['verifyJwt', () => lib.verifyJwt(t, c.key, jwtOptions)],
        ['verifySync', () => c.verifier.verifySync(t)],
        ['cached.verify', () => c.cached.verify(t)],
        ['decodeUnverified', () => lib.decodeUnverified(t), true],
      ];
      for (const [name, f, mayPass] of calls) {
        const r = await settle(lib, f);
        if (r.escape) return `escape: ${name}: ${r.escape} on ${short(t)}`;
        if (r.ok && !mayPass && t !== c.token) return `verified: ${name} accepted a mutated token ${short(t)}`;
      }
      return undefined;
    },
  };

  // --- JWS JSON: general (HS256 + ES256) and flattened, as objects and as text ---------------------------------
  const general = await lib.signJson('{"sub":"u"}', [
    { protectedHeader: { alg: 'HS256' }, unprotectedHeader: { kid: 'h' }, key: hs },
    { protectedHeader: { alg: 'ES256' }, key: es.privateKey },
  ]);
  const flat = await lib.signJson('{"sub":"u"}', [{ protectedHeader: { alg: 'ES256' }, key: es.privateKey }], {
    flattened: true,
  });
  const jsonBases = [general, flat];
  const protectedHeaders = [...general.signatures.map((s) => s.protected), flat.protected];
  const jwsJson = {
    name: 'jws-json',
    arbitrary: fc.oneof(
      each(fc, jsonBases, (o) => m.object(o)),
      each(fc, jsonBases, (o) => m.chars(JSON.stringify(o))),
      each(fc, general.signatures, (s) =>
        m
          .object(s)
          .map((e) => `{"payload":"${general.payload}","signatures":[${e},${JSON.stringify(general.signatures[1])}]}`),
      ),
    ),
    async check(text) {
      let doc = text;
      try {
        doc = JSON.parse(text);
      } catch {
        // Invalid JSON goes in as text.
      }
      for (const input of [text, doc]) {
        for (const key of [es.publicKey, hs]) {
          const r = await settle(lib, () => lib.verifyJson(input, key));
          if (r.escape) return `escape: verifyJson: ${r.escape} on ${short(text)}`;
          if (r.ok) {
            const payload = Buffer.from(r.value.payload).toString();
            const h = jsonB64u(r.value.protectedHeader);
            if (payload !== '{"sub":"u"}') return `verified: verifyJson returned a forged payload from ${short(text)}`;
            if (
              !protectedHeaders.some(
                (p) =>
                  JSON.stringify(JSON.parse(Buffer.from(p, 'base64url').toString())) ===
                  JSON.stringify(r.value.protectedHeader),
              )
            )
              return `verified: verifyJson returned an unsigned header ${h}`;
          }
        }
      }
      return undefined;
    },
  };

  // --- JWE compact and JSON ----------------------------------------------------------------------------------------
  const dir = await lib.importKey(new Uint8Array(32).fill(7), { alg: 'dir' });
  const kw = await lib.importKey(new Uint8Array(16).fill(8), { alg: 'A128KW' });
  const pw = await lib.importKey(enc.encode('correct horse battery staple'), { alg: 'PBES2-HS256+A128KW' });
  const ecdh = await lib.generateKeyPair('ECDH-ES+A128KW');
  const plaintext = '{"sub":"secret plaintext"}';
  const jweCases = [
    [await lib.encryptCompact(plaintext, { alg: 'dir', enc: 'A256GCM' }, dir), dir, {}],
    [
      await lib.encryptCompact(plaintext, { alg: 'dir', enc: 'A128CBC-HS256', zip: 'DEF' }, dir),
      dir,
      { allowZip: true },
    ],
    [await lib.encryptCompact(plaintext, { alg: 'A128KW', enc: 'A128CBC-HS256' }, kw), kw, {}],
    [
      await lib.encryptCompact(plaintext, { alg: 'ECDH-ES+A128KW', enc: 'A128GCM' }, ecdh.publicKey),
      ecdh.privateKey,
      {},
    ],
    [
      await lib.encryptCompact(plaintext, { alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', p2c: 1000 }, pw),
      pw,
      { keyManagementAlgorithms: ['PBES2-HS256+A128KW'] },
    ],
  ];
  const jweCompact = {
    name: 'jwe-compact',
    arbitrary: each(fc, jweCases, ([token], i) => tokenMutations(fc, m, token).map((t) => ({ i, t }))),
    async check({ i, t }) {
      const [token, key, options] = jweCases[i];
      const r = await settle(lib, () => lib.decryptCompact(t, key, options));
      if (r.escape) return `escape: decryptCompact: ${r.escape} on ${short(t)}`;
      if (r.ok && t !== token) return `verified: decryptCompact accepted a mutated token ${short(t)}`;
      const j = await settle(lib, () => lib.decryptJwt(t, key, { ...options, currentDate: now }));
      if (j.escape) return `escape: decryptJwt: ${j.escape} on ${short(t)}`;
      if (j.ok && t !== token) return `verified: decryptJwt accepted a mutated token ${short(t)}`;
      return undefined;
    },
  };
  const jweGeneral = await lib.encryptJson(plaintext, {
    protectedHeader: { enc: 'A256GCM' },
    unprotectedHeader: { cty: 'json' },
    aad: enc.encode('aad'),
    recipients: [
      { key: kw, header: { alg: 'A128KW', kid: 'kw' } },
      { key: ecdh.publicKey, header: { alg: 'ECDH-ES+A128KW' } },
    ],
  });
  const second = JSON.stringify(jweGeneral.recipients[1]);
  const jweJson = {
    name: 'jwe-json',
    arbitrary: fc.oneof(
      m.object(jweGeneral),
      each(fc, jweGeneral.recipients, (r) =>
        m
          .object(r)
          .map(
            (t) =>
              `${JSON.stringify({ ...jweGeneral, recipients: undefined }).slice(0, -1)},"recipients":[${t},${second}]}`,
          ),
      ),
      m.chars(JSON.stringify(jweGeneral)),
    ),
    async check(text) {
      for (const key of [kw, ecdh.privateKey]) {
        const r = await settle(lib, () => lib.decryptJson(text, key));
        if (r.escape) return `escape: decryptJson: ${r.escape} on ${short(text)}`;
        if (r.ok && Buffer.from(r.value.plaintext).toString() !== plaintext)
          return `verified: decryptJson returned forged plaintext from ${short(text)}`;
      }
      return undefined;
    },
  };

  // --- JWK via importKey, JWKS via createLocalJwkSet ----------------------------------------------------------------
  const jwks = [
    await lib.exportJwk(rs.publicKey),
    await lib.exportJwk(es.privateKey, { includePrivate: true }),
    await lib.exportJwk(ed.publicKey),
    await lib.exportJwk(ecdh.privateKey, { includePrivate: true }),
    await lib.exportJwk(hs, { includePrivate: true }),
    await lib.exportJwk(await lib.generateSecret('A256KW'), { includePrivate: true }),
  ];
  const jwkMutation = fc.oneof(
    each(fc, jwks, (j) => m.object(j)),
    each(fc, jwks, (j) => {
      const names = Object.keys(j).filter((k) => /^(n|e|d|x|y|k|p|q|dp|dq|qi)$/.test(k));
      return each(fc, names, (k) => m.bytes(unb64u(j[k])).map((b) => JSON.stringify({ ...j, [k]: b64u(b) })));
    }),
  );
  const jwk = {
    name: 'jwk',
    arbitrary: jwkMutation,
    async check(text) {
      let value;
      try {
        value = JSON.parse(text);
      } catch {
        return undefined; // character mutations that broke the JSON: importKey takes objects
      }
      for (const options of [undefined, { alg: 'ES256' }, { alg: 'HS256' }, { alg: 'A256KW' }]) {
        const r = await settle(lib, () => lib.importKey(value, options));
        if (r.escape) return `escape: importKey: ${r.escape} on ${short(text)}`;
        if (r.ok) {
          if (r.value.kty === 'oct' && value?.kty !== 'oct') return `verified: a ${value?.kty} JWK became a secret`;
          const e = await settle(lib, () => lib.exportJwk(r.value, { includePrivate: true }));
          if (e.escape) return `escape: exportJwk: ${e.escape} on ${short(text)}`;
        }
      }
      return undefined;
    },
  };
  const keySet = { keys: jwks.filter((j) => j.d === undefined) };
  const header = fc.record(
    {
      alg: fc.oneof(
        fc.constantFrom('RS256', 'ES256', 'EdDSA', 'HS256', 'A256KW', 'ECDH-ES', 'none', ''),
        fc.jsonValue(),
      ),
      kid: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...HAZARDS), fc.jsonValue()),
    },
    { requiredKeys: [] },
  );
  const jwkSet = {
    name: 'jwks',
    arbitrary: fc.tuple(
      fc.oneof(
        m.object(keySet),
        fc.array(jwkMutation, { maxLength: 4 }).map((ks) => `{"keys":[${ks.join(',')}]}`),
        m.chars(JSON.stringify(keySet)),
      ),
      header,
      fc.boolean(),
    ),
    async check([text, h, asText]) {
      let input = text;
      if (!asText) {
        try {
          input = JSON.parse(text);
        } catch {
          // Keep the text.
        }
      }
      const r = await settle(lib, () => lib.createLocalJwkSet(input, { allowPrivate: true }));
      if (r.escape) return `escape: createLocalJwkSet: ${r.escape} on ${short(text)}`;
      if (r.ok) {
        const s = await settle(lib, () => r.value(h));
        if (s.escape) return `escape: key set resolver: ${s.escape} on ${short(h)}`;
        if (s.ok && typeof h.alg === 'string' && s.value.alg !== undefined && s.value.alg !== h.alg)
          return `verified: the set returned a key bound to ${s.value.alg} for ${h.alg}`;
      }
      return undefined;
    },
  };

  // --- Headers and claims, validly signed: verifyCompact, verifyJwt, validateClaims -------------------------------
  const hsBytes = unb64u((await lib.exportJwk(hs, { includePrivate: true })).k);
  const { createHmac } = await import('node:crypto');
  const sign = (h, p) => {
    const input = `${b64u(enc.encode(h))}.${b64u(enc.encode(p))}`;
    return `${input}.${createHmac('sha256', hsBytes).update(input).digest('base64url')}`;
  };
  const headers = {
    name: 'headers',
    arbitrary: m.object({ alg: 'HS256', typ: 'JWT', kid: 'k' }),
    async check(h) {
      const t = sign(h, JSON.stringify(claims));
      for (const [name, f] of [
        ['verifyCompact', () => lib.verifyCompact(t, hs)],
        ['verifyJwt', () => lib.verifyJwt(t, hs, jwtOptions)],
      ]) {
        const r = await settle(lib, f);
        if (r.escape) return `escape: ${name}: ${r.escape} on header ${short(h)}`;
        if (r.ok) {
          const ph = r.value.protectedHeader;
          if (!Object.hasOwn(ph, 'alg') || ph.alg !== 'HS256') return `verified: ${name} accepted alg ${short(ph.alg)}`;
          const crit = Object.hasOwn(ph, 'crit') ? ph.crit : [];
          const critOk =
            Array.isArray(crit) && crit.every((n) => n === 'b64') && (crit.length === 0 || ph.b64 === true);
          if (!critOk || Object.hasOwn(ph, 'enc') || ph.b64 === false)
            return `verified: ${name} accepted header ${short(h)}`;
        }
      }
      return undefined;
    },
  };
  const claimOptions = fc.record(
    {
      issuer: fc.constantFrom('https://idp.example', ['https://a', 'https://idp.example']),
      audience: fc.constantFrom('api', ['x', 'api']),
      clockTolerance: fc.nat({ max: 120 }),
      maxTokenAge: fc.nat({ max: 3600 }),
      subject: fc.constant('u'),
      requiredClaims: fc.subarray(['exp', 'nbf', 'jti']),
    },
    { requiredKeys: [] },
  );
  /** The claim rules, written independently of src/jwt/claims.ts: what an accepted claims set must satisfy. */
  function claimOracle(p, o, t) {
    const tol = o.clockTolerance ?? 0;
    const num = (v) => typeof v === 'number' && Number.isFinite(v);
    const has = (k) => Object.hasOwn(p, k);
    for (const k of ['exp', 'nbf', 'iat']) if (has(k) && !num(p[k])) return `${k} is not a finite number`;
    if (has('exp') && !(p.exp > t - tol)) return 'expired';
    if (has('nbf') && p.nbf > t + tol) return 'not yet valid';
    if (has('iat') && p.iat > t + tol) return 'iat in the future';
    if (o.maxTokenAge !== undefined && (!has('iat') || t - p.iat > o.maxTokenAge + tol)) return 'too old';
    const issuers = [o.issuer ?? []].flat();
    if (o.issuer !== undefined && !issuers.includes(p.iss)) return 'issuer';
    if (has('iss') && typeof p.iss !== 'string') return 'iss type';
    const aud = has('aud') ? [p.aud].flat() : [];
    if (
      has('aud') &&
      (aud.length === 0
        ? typeof p.aud !== 'string' && !Array.isArray(p.aud)
        : aud.some((a) => typeof a !== 'string' || a === ''))
    )
      return 'aud type';
    if (o.audience !== undefined && !aud.some((a) => [o.audience].flat().includes(a))) return 'audience';
    if (o.subject !== undefined && p.sub !== o.subject) return 'subject';
    for (const k of o.requiredClaims ?? []) if (!has(k) || p[k] === null) return `required ${k}`;
    return undefined;
  }
  const claimValue = fc.oneof(
    fc.integer({ min: NOW - 4000, max: NOW + 4000 }),
    fc.double({ min: NOW - 4000, max: NOW + 4000 }),
    fc.constantFrom(
      0,
      -1,
      -0,
      new Raw('1e400'),
      new Raw('-1e400'),
      new Raw('9007199254740993'),
      1.9e12,
      'api',
      'u',
      'https://idp.example',
      '',
      null,
      true,
    ),
    fc.constantFrom(['api'], ['x', 'api'], [], [''], ['api', 1]),
    fc.jsonValue({ maxDepth: 2 }),
  );
  const claimSet = fc.dictionary(
    fc.constantFrom('iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', '__proto__', 'constructor', 'x'),
    claimValue,
    { maxKeys: 8 },
  );
  const claimsTarget = {
    name: 'claims',
    arbitrary: fc.tuple(claimSet, claimOptions),
    async check([c, o]) {
      const text = `{${Object.entries(c)
        .map(([k, v]) => `${JSON.stringify(k)}:${literal(v)}`)
        .join(',')}}`;
      const payload = JSON.parse(text);
      const t = sign('{"alg":"HS256","typ":"JWT"}', text);
      for (const [name, f] of [
        ['verifyJwt', () => lib.verifyJwt(t, hs, { ...o, currentDate: now })],
        ['validateClaims', () => lib.validateClaims(payload, o, NOW)],
      ]) {
        const r = await settle(lib, f);
        if (r.escape) return `escape: ${name}: ${r.escape} on ${short(text)}`;
        const why = r.ok ? claimOracle(payload, o, NOW) : undefined;
        if (why !== undefined)
          return `verified: ${name} accepted claims that fail "${why}": ${short(text)} ${short(o)}`;
        if (Object.getOwnPropertyNames(Object.prototype).length !== PROTO_NAMES)
          return `verified: ${name} polluted Object.prototype`;
      }
      return undefined;
    },
  };

  // --- PEM strings via importKey ------------------------------------------------------------------------------------
  const pems = [
    await lib.exportPem(rs.publicKey),
    await lib.exportPem(es.privateKey),
    await lib.exportPem(ed.publicKey),
    await lib.exportPem(ecdh.publicKey),
  ];
  const pemTarget = {
    name: 'pem',
    arbitrary: fc.oneof(
      each(fc, pems, (p) => m.chars(p)),
      each(fc, pems, (p) => {
        const [, label, body] = /^-----BEGIN ([A-Z ]+)-----\n([\s\S]*?)-----END/.exec(p);
        return m.bytes(new Uint8Array(Buffer.from(body, 'base64'))).map((der) => {
          const lines =
            Buffer.from(der)
              .toString('base64')
              .match(/.{1,64}/g) ?? [];
          return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
        });
      }),
      fc
        .tuple(
          fc.constantFrom(...pems),
          fc.constantFrom('CERTIFICATE', 'RSA PUBLIC KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY', 'PRIVATE KEY', 'X'),
        )
        .map(([p, l]) => p.replace(/(BEGIN|END) [A-Z ]+-----/g, `$1 ${l}-----`)),
    ),
    async check(text) {
      const r = await settle(lib, () => lib.importKey(text));
      if (r.escape) return `escape: importKey: ${r.escape} on ${short(text)}`;
      if (r.ok && r.value.kty === 'oct') return `verified: PEM text became a secret: ${short(text)}`;
      return undefined;
    },
  };

  // --- Anything where a token is expected -------------------------------------------------------------------------
  const anything = {
    name: 'non-tokens',
    arbitrary: fc.oneof(
      fc.anything({ maxDepth: 2 }),
      fc.string({ unit: 'binary', maxLength: 120 }),
      fc.array(fc.constantFrom(...NOISE), { maxLength: 80 }).map((a) => a.join('')),
      fc.uint8Array({ maxLength: 40 }),
      fc.constantFrom(undefined, null, 123, {}, [], new String(jws[0].token), Symbol('t'), () => jws[0].token),
    ),
    async check(v) {
      const calls = [
        ['verifyCompact', () => lib.verifyCompact(v, hs)],
        ['verifyJson', () => lib.verifyJson(v, hs)],
        ['verifyJwt', () => lib.verifyJwt(v, hs)],
        ['verifySync', () => jws[0].verifier.verifySync(v)],
        ['decryptCompact', () => lib.decryptCompact(v, dir)],
        ['decryptJson', () => lib.decryptJson(v, dir)],
        ['decodeUnverified', () => lib.decodeUnverified(v)],
        ['verifyUnsecuredJwt', () => lib.verifyUnsecuredJwt(v)],
        ['importKey', () => lib.importKey(v)],
        ['createLocalJwkSet', () => lib.createLocalJwkSet(v)],
        ['validateClaims', () => lib.validateClaims(v)],
      ];
      for (const [name, f] of calls) {
        const r = await settle(lib, f);
        if (r.escape) return `escape: ${name}: ${r.escape} on ${short(v)}`;
        if (r.ok && /^(verify|decrypt)/.test(name)) return `verified: ${name} accepted ${short(v)}`;
      }
      return undefined;
    },
  };

  return [compactJws, jwsJson, jweCompact, jweJson, jwk, jwkSet, headers, claimsTarget, pemTarget, anything];
}
