/** Create and sign a token from an edited header and claims; generate keys on the page and export them. */
import { exportJwk, exportPem, generateKeyPair, generateSecret, JWS_ALGORITHMS, type Key, signCompact } from 'jotjs';
import { byId, describeError, outcome, utf8, value } from './dom.js';
import { type KeyFormat, readKey } from './keys.js';

const textArea = (id: string) => byId<HTMLTextAreaElement>(id);

/** Fills the algorithm list and example header and claims (times from now). */
export function initSign(): void {
  const select = byId<HTMLSelectElement>('sign-alg');
  for (const name of Object.keys(JWS_ALGORITHMS)) {
    const o = document.createElement('option');
    o.value = name;
    o.textContent = name;
    select.append(o);
  }
  select.value = 'ES256';
  resetSign();
}

/** The example header and claims (the clear button puts them back). */
export function resetSign(): void {
  const now = Math.floor(Date.now() / 1000);
  textArea('sign-header').value = JSON.stringify({ typ: 'JWT' }, null, 2);
  textArea('sign-claims').value = JSON.stringify(
    { iss: 'https://issuer.example', sub: 'user-1', aud: 'api', iat: now, exp: now + 900 },
    null,
    2,
  );
}

function object(id: string, what: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(value(id));
  } catch {
    throw new Error(`the ${what} is not JSON`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new Error(`the ${what} must be a JSON object`);
  return doc as Record<string, unknown>;
}

/** Generates a key for the chosen algorithm: the private key (or secret) goes to the signing key field. */
export async function generate(): Promise<void> {
  const alg = byId<HTMLSelectElement>('sign-alg').value;
  const out = byId('sign-outcome');
  try {
    let signing: Key;
    let publicKey: Key | undefined;
    if (JWS_ALGORITHMS[alg]?.family === 'hmac') {
      signing = await generateSecret(alg);
    } else {
      const pair = await generateKeyPair(alg);
      signing = pair.privateKey;
      publicKey = pair.publicKey;
    }
    const privateJwk = await exportJwk(signing, { includePrivate: true });
    textArea('sign-key').value = JSON.stringify(privateJwk, null, 2);
    byId<HTMLSelectElement>('sign-key-format').value = 'jwk';
    textArea('export-public-jwk').value =
      publicKey === undefined ? '' : JSON.stringify(await exportJwk(publicKey), null, 2);
    textArea('export-public-pem').value = publicKey === undefined ? '' : await exportPem(publicKey);
    textArea('export-private-pem').value = publicKey === undefined ? '' : await exportPem(signing);
    byId('exports').hidden = false;
    outcome(out, 'info', `Generated a ${alg} ${publicKey === undefined ? 'secret' : 'key pair'}`, [
      publicKey === undefined
        ? 'The secret (as a JWK) is in the signing key field: verifiers need the same secret.'
        : 'The private key is in the signing key field; give verifiers the public key below.',
    ]);
  } catch (e) {
    outcome(out, 'bad', `Cannot generate a ${alg} key`, [describeError(e)]);
  }
}

/** Signs the claims with the header, the chosen algorithm and the key. */
export async function sign(): Promise<void> {
  const out = byId('sign-outcome');
  const alg = byId<HTMLSelectElement>('sign-alg').value;
  try {
    const header = object('sign-header', 'header');
    const claims = object('sign-claims', 'claims');
    const format = byId<HTMLSelectElement>('sign-key-format').value as KeyFormat;
    const key = await readKey(value('sign-key'), format, alg);
    if (typeof key === 'function') throw new Error('sign with one key, not a key set');
    const token = await signCompact(utf8(JSON.stringify(claims)), { ...header, alg }, key);
    textArea('signed-token').value = token;
    byId('signed').hidden = false;
    outcome(out, 'ok', `Signed with ${alg}`, [
      header.alg !== undefined && header.alg !== alg
        ? `The header's alg was replaced by ${alg}.`
        : 'The token is below.',
    ]);
  } catch (e) {
    outcome(out, 'bad', 'Cannot sign', [describeError(e)]);
  }
}
