/** Decrypt a JWE with a pasted key; a nested token inside is decoded and audited as the inner layer. */
import { type AuditReport, auditToken } from 'jotjs/audit';
import { decryptCompact, decryptJson } from 'jotjs';
import { byId, describeError, el, fill, outcome, value } from './dom.js';
import { algList, type KeyFormat, readKey } from './keys.js';
import { showReport } from './view.js';

/** The inner token of the last decryption, for "Open the inner token". */
let inner: string | undefined;

export const innerToken = (): string | undefined => inner;

/** Forgets the last plaintext and empties the inner view. */
export function clearDecrypted(): void {
  inner = undefined;
  for (const id of ['decrypt-outcome', 'plaintext', 'inner-headers', 'inner-claims', 'inner-findings']) fill(byId(id));
  byId('inner').hidden = true;
}

const looksLikeToken = (text: string): boolean =>
  /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*){2}$|^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*){4}$/.test(text) ||
  (/^\{/.test(text) && /"(signatures?|ciphertext)"/.test(text));

export async function decryptToken(token: string, report: AuditReport | undefined): Promise<void> {
  clearDecrypted();
  const out = byId('decrypt-outcome');
  if (report === undefined || token === '') return outcome(out, 'bad', 'Paste a token first.');
  if (report.type !== 'JWE') return outcome(out, 'bad', 'This token is not encrypted (not a JWE): verify it instead.');
  const kms = algList(value('decrypt-algs'));
  const encs = algList(value('decrypt-encs'));
  let key: Awaited<ReturnType<typeof readKey>>;
  try {
    const format = byId<HTMLSelectElement>('decrypt-key-format').value as KeyFormat;
    key = await readKey(value('decrypt-key'), format, kms.length === 1 ? kms[0] : undefined);
  } catch (e) {
    return outcome(out, 'bad', 'Cannot read the key', [describeError(e)]);
  }
  const options = {
    ...(kms.length === 0 ? {} : { keyManagementAlgorithms: kms }),
    ...(encs.length === 0 ? {} : { contentEncryptionAlgorithms: encs }),
  };
  let plaintext: Uint8Array;
  let header: Record<string, unknown>;
  try {
    const r =
      report.serialization === 'compact'
        ? await decryptCompact(token, key, options)
        : await decryptJson(JSON.parse(token), key, options);
    plaintext = r.plaintext;
    header = r.protectedHeader as Record<string, unknown>;
  } catch (e) {
    return outcome(out, 'bad', 'Decryption failed', [
      describeError(e),
      'A wrong key and a changed token fail alike: JWE gives no hint which (no oracle).',
    ]);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(plaintext);
  } catch {
    outcome(out, 'ok', 'Decrypted', [`${plaintext.byteLength} bytes of binary content (not UTF-8 text).`]);
    return;
  }
  const trimmed = text.trim();
  if (looksLikeToken(trimmed)) {
    inner = trimmed;
    outcome(out, 'ok', 'Decrypted: the content is a nested token', [
      `Outer alg ${JSON.stringify(header.alg)}, enc ${JSON.stringify(header.enc)}${header.cty === undefined ? '' : `, cty ${JSON.stringify(header.cty)}`}.`,
      'The inner layer is shown below; it is not verified: open it to verify its signature.',
    ]);
    fill(byId('plaintext'), el('pre', { class: 'json', tabindex: '0' }, trimmed));
    byId('inner').hidden = false;
    showReport(trimmed, auditToken(trimmed), 'inner-');
    return;
  }
  outcome(out, 'ok', 'Decrypted', [`${plaintext.byteLength} bytes of text.`]);
  let shown = text;
  try {
    shown = JSON.stringify(JSON.parse(text), null, 2);
  } catch {}
  fill(byId('plaintext'), el('pre', { class: 'json', tabindex: '0' }, shown));
}
