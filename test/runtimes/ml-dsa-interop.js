// ML-DSA interop on a runtime whose WebCrypto has ML-DSA (Deno here). jose signs and verifies through that native
// WebCrypto; jot's web build through the provider it picks: WebCrypto's own ML-DSA (found by feature test), or, with
// the argument `mask`, the pure-JS fallback (@noble/post-quantum), because this script then hides WebCrypto's ML-DSA
// from jot (never from jose). A spy on crypto.subtle records which provider jot's signatures and verifications used.
// Six directions per parameter set, tampered signatures refused. Prints one JSON line. Bundled by
// test/runtimes/ml-dsa-deno.test.ts.
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import * as jose from 'jose';
import { exportJwk, exportPem, generateKeyPair, importKey, signCompact, verifyCompact } from 'jotjs';

const mask = Deno.args.includes('mask');
const NOBLE = { 'ML-DSA-44': ml_dsa44, 'ML-DSA-65': ml_dsa65, 'ML-DSA-87': ml_dsa87 };

// ---- the spy: who (jot or jose) is running, and which ML-DSA WebCrypto operations jot reached ----
let who = 'jose';
const seen = new Set();
const subtle = crypto.subtle;
const isMlDsa = (a) => typeof (a?.name ?? a) === 'string' && String(a?.name ?? a).startsWith('ML-DSA');
for (const op of ['generateKey', 'importKey', 'sign', 'verify']) {
  const real = subtle[op].bind(subtle);
  subtle[op] = (...args) => {
    const algorithm = op === 'importKey' ? args[2] : args[0];
    if (who === 'jot' && isMlDsa(algorithm)) {
      seen.add(op);
      if (mask) return Promise.reject(new DOMException('hidden by the test', 'NotSupportedError'));
    }
    return real(...args);
  };
}
/** Run a jot call, returning its result and whether it signed / verified through WebCrypto. */
const asJot = async (f) => {
  who = 'jot';
  seen.clear();
  try {
    const value = await f();
    return { value, webcrypto: seen.has('sign') || seen.has('verify') };
  } finally {
    who = 'jose';
  }
};

const text = new TextEncoder();
const b64uOf = (b) =>
  btoa(String.fromCharCode(...b))
    .replace(/=+$/, '')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
const b64u = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
const out = { mask, native: {}, provider: {}, results: {}, checks: {} };
const flip = (token) => {
  const [h, p, s] = token.split('.');
  const c = s[10] === 'A' ? 'B' : 'A';
  return `${h}.${p}.${s.slice(0, 10)}${c}${s.slice(11)}`;
};
const refusedByJot = async (token, key, alg) => {
  try {
    await asJot(() => verifyCompact(token, key, { algorithms: [alg] }));
    return false;
  } catch (e) {
    return e?.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED';
  }
};
/** The JotError code of a jot call that must fail ('no error' when it succeeds). */
const codeOf = async (f) => {
  try {
    await asJot(f);
    return 'no error';
  } catch (e) {
    return e?.code ?? `not a JotError: ${e}`;
  }
};
const refusedByJose = async (token, key) => {
  try {
    await jose.compactVerify(token, key);
    return false;
  } catch (e) {
    return e?.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED';
  }
};

for (const alg of ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87']) {
  const r = {};
  try {
    await subtle.generateKey({ name: alg }, false, ['sign', 'verify']);
    out.native[alg] = true;
  } catch {
    out.native[alg] = false;
  }
  try {
    // jose's key pair (native), exported as AKP JWKs; jot's key pair, exported the same way.
    const jk = await jose.generateKeyPair(alg, { extractable: true });
    const josePub = await jose.exportJWK(jk.publicKey);
    const josePriv = await jose.exportJWK(jk.privateKey);
    const ours = (await asJot(() => generateKeyPair(alg))).value;
    const ourPub = (await asJot(() => exportJwk(ours.publicKey))).value;
    const ourPriv = (await asJot(() => exportJwk(ours.privateKey, { includePrivate: true }))).value;
    const payload = text.encode(`interop ${alg}`);

    // 1. jose signs, jot verifies with jose's public JWK.
    const t1 = await new jose.CompactSign(payload).setProtectedHeader({ alg }).sign(jk.privateKey);
    const k1 = (await asJot(() => importKey({ ...josePub, alg }))).value;
    const v1 = await asJot(() => verifyCompact(t1, k1, { algorithms: [alg] }));
    r['jose signs, jot verifies'] = (await refusedByJot(flip(t1), k1, alg)) ? 'ok' : 'fail:tampered accepted';

    // 2. jot signs, jose verifies with jot's public JWK.
    const s2 = await asJot(() => signCompact(payload, { alg }, ours.privateKey));
    const t2 = s2.value;
    const k2 = await jose.importJWK(ourPub, alg);
    await jose.compactVerify(t2, k2);
    r['jot signs, jose verifies'] = (await refusedByJose(flip(t2), k2)) ? 'ok' : 'fail:tampered accepted';
    out.provider[alg] = {
      sign: s2.webcrypto ? 'webcrypto' : 'pure-js',
      verify: v1.webcrypto ? 'webcrypto' : 'pure-js',
    };

    // 3. jot imports jose's private JWK (the seed): its public key must be jose's, its signatures verify with jose.
    const k3 = (await asJot(() => importKey({ ...josePriv, alg }))).value;
    const derived = (await asJot(() => exportJwk(k3))).value;
    if (derived.pub !== josePub.pub) throw new Error('the public key jot derived from the seed differs from jose');
    await jose.compactVerify((await asJot(() => signCompact(payload, { alg }, k3))).value, jk.publicKey);
    r['jose seed, jot signs'] = 'ok';

    // 4. jose imports jot's private JWK (the seed) and signs; jot verifies with its own key.
    const k4 = await jose.importJWK(ourPriv, alg);
    const t4 = await new jose.CompactSign(payload).setProtectedHeader({ alg }).sign(k4);
    await asJot(() => verifyCompact(t4, ours.publicKey, { algorithms: [alg] }));
    r['jot seed, jose signs'] = 'ok';

    // 5. jot signs, the pure-JS implementation verifies (and refuses the tampered token).
    const noble = NOBLE[alg];
    const [h2, p2, sig2] = t2.split('.');
    const pub = b64u(ourPub.pub);
    const ok5 = noble.verify(b64u(sig2), text.encode(`${h2}.${p2}`), pub);
    const bad5 = noble.verify(b64u(flip(t2).split('.')[2]), text.encode(`${h2}.${p2}`), pub);
    r['jot signs, pure JS verifies'] =
      ok5 && !bad5 ? 'ok' : `fail:pure JS ${ok5 ? 'accepted a tampered token' : 'refused'}`;

    // 6. the pure-JS implementation signs with jot's seed; jot verifies.
    const { secretKey, publicKey } = noble.keygen(b64u(ourPriv.priv));
    if (publicKey.length !== pub.length || !publicKey.every((b, i) => b === pub[i])) {
      throw new Error('the pure-JS public key of the seed differs from jot');
    }
    const header = b64uOf(text.encode(JSON.stringify({ alg })));
    const body = b64uOf(text.encode(`interop ${alg}`));
    const sig6 = noble.sign(text.encode(`${header}.${body}`), secretKey);
    const t6 = `${header}.${body}.${b64uOf(sig6)}`;
    await asJot(() => verifyCompact(t6, ours.publicKey, { algorithms: [alg] }));
    r['pure JS signs, jot verifies'] = (await refusedByJot(flip(t6), ours.publicKey, alg))
      ? 'ok'
      : 'fail:tampered accepted';

    // The same checks whichever provider: a seed with a public key not its own, a key of another parameter set, a
    // signature made with a non-empty context (RFC 9964: empty), a truncated signature; seed-only PKCS#8 round trip.
    const other = alg === 'ML-DSA-44' ? 'ML-DSA-65' : 'ML-DSA-44';
    const wrongPub = { ...josePriv, alg, pub: ourPub.pub };
    // Deno's WebCrypto signs with the empty context only; the pure-JS implementation makes the context signature.
    const [h1, p1] = t1.split('.');
    const { secretKey: joseSecret } = NOBLE[alg].keygen(b64u(josePriv.priv));
    const ctxSig = NOBLE[alg].sign(text.encode(`${h1}.${p1}`), joseSecret, { context: text.encode('ctx') });
    const ctxToken = `${h1}.${p1}.${b64uOf(ctxSig)}`;
    const pem = (await asJot(() => exportPem(ours.privateKey))).value;
    const fromPem = (await asJot(() => importKey(pem))).value;
    const pemPub = (await asJot(() => exportJwk(fromPem))).value.pub;
    out.checks[alg] = {
      "pub not the seed's": await codeOf(() => importKey(wrongPub)),
      'key of another set': await codeOf(() => verifyCompact(t1, k1, { algorithms: [other] })),
      'seed of another set': await codeOf(() => importKey({ ...josePriv, alg: other })),
      'non-empty context': await codeOf(() => verifyCompact(ctxToken, k1, { algorithms: [alg] })),
      'truncated signature': await codeOf(() =>
        verifyCompact(`${h1}.${p1}.${b64uOf(b64u(t1.split('.')[2]).slice(0, -3))}`, k1, { algorithms: [alg] }),
      ),
      'seed-only PKCS#8': pemPub === ourPub.pub ? 'ok' : 'fail:another public key',
    };
  } catch (e) {
    r.error = `fail:${e?.code ?? ''} ${e?.message ?? String(e)}`;
  }
  out.results[alg] = r;
}
console.log(JSON.stringify(out));
