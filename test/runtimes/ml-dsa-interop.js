// ML-DSA interop on a runtime whose WebCrypto has ML-DSA (Deno here): jose signs and verifies through that native
// WebCrypto, jot's web build through the pure-JS provider (@noble/post-quantum). Four directions per parameter set,
// and a tampered signature refused by both. Prints one JSON line. Bundled by test/runtimes/ml-dsa-deno.test.ts.
import * as jose from 'jose';
import { exportJwk, generateKeyPair, importKey, signCompact, verifyCompact } from 'jotjs';

const text = new TextEncoder();
const out = { native: {}, results: {} };
const flip = (token) => {
  const [h, p, s] = token.split('.');
  const c = s[10] === 'A' ? 'B' : 'A';
  return `${h}.${p}.${s.slice(0, 10)}${c}${s.slice(11)}`;
};
const refusedByJot = async (token, key, alg) => {
  try {
    await verifyCompact(token, key, { algorithms: [alg] });
    return false;
  } catch (e) {
    return e?.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED';
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
    await crypto.subtle.generateKey({ name: alg }, false, ['sign', 'verify']);
    out.native[alg] = true;
  } catch {
    out.native[alg] = false;
  }
  try {
    // jose's key pair (native), exported as AKP JWKs; jot's key pair (pure JS), exported the same way.
    const jk = await jose.generateKeyPair(alg, { extractable: true });
    const josePub = await jose.exportJWK(jk.publicKey);
    const josePriv = await jose.exportJWK(jk.privateKey);
    const ours = await generateKeyPair(alg);
    const ourPub = await exportJwk(ours.publicKey);
    const ourPriv = await exportJwk(ours.privateKey, { includePrivate: true });
    const payload = text.encode(`interop ${alg}`);

    // 1. jose signs, jot verifies with jose's public JWK.
    const t1 = await new jose.CompactSign(payload).setProtectedHeader({ alg }).sign(jk.privateKey);
    const k1 = await importKey({ ...josePub, alg });
    await verifyCompact(t1, k1, { algorithms: [alg] });
    r['jose signs, jot verifies'] = (await refusedByJot(flip(t1), k1, alg)) ? 'ok' : 'fail:tampered accepted';

    // 2. jot signs, jose verifies with jot's public JWK.
    const t2 = await signCompact(payload, { alg }, ours.privateKey);
    const k2 = await jose.importJWK(ourPub, alg);
    await jose.compactVerify(t2, k2);
    r['jot signs, jose verifies'] = (await refusedByJose(flip(t2), k2)) ? 'ok' : 'fail:tampered accepted';

    // 3. jot imports jose's private JWK (the seed): its public key must be jose's, its signatures verify with jose.
    const k3 = await importKey({ ...josePriv, alg });
    const derived = await exportJwk(k3);
    if (derived.pub !== josePub.pub) throw new Error('the public key jot derived from the seed differs from jose');
    await jose.compactVerify(await signCompact(payload, { alg }, k3), jk.publicKey);
    r['jose seed, jot signs'] = 'ok';

    // 4. jose imports jot's private JWK (the seed) and signs; jot verifies with its own key.
    const k4 = await jose.importJWK(ourPriv, alg);
    const t4 = await new jose.CompactSign(payload).setProtectedHeader({ alg }).sign(k4);
    await verifyCompact(t4, ours.publicKey, { algorithms: [alg] });
    r['jot seed, jose signs'] = 'ok';
  } catch (e) {
    r.error = `fail:${e?.code ?? ''} ${e?.message ?? String(e)}`;
  }
  out.results[alg] = r;
}
console.log(JSON.stringify(out));
