/**
 * The offline token debugger: everything happens in this page. Nothing pasted is put in the URL, in storage or in
 * a log; the only request the page makes is to its own server, for a JWKS URL the user typed and asked to fetch.
 */
import { type AuditReport, auditToken } from 'jotjs/audit';
import { clearDecrypted, decryptToken, innerToken } from './decrypt.js';
import { byId, describeError, fill, outcome, value } from './dom.js';
import { generate, initSign, resetSign, sign } from './sign.js';
import { verifyToken } from './verify.js';
import { showReport, stopCountdown } from './view.js';

let report: AuditReport | undefined;
let timer: ReturnType<typeof setTimeout> | undefined;

const tokenField = () => byId<HTMLTextAreaElement>('token');
const token = () =>
  tokenField()
    .value.trim()
    .replace(/^Bearer\s+/i, '');

/** Decodes and audits the pasted token. */
function analyse(): void {
  const text = token();
  for (const id of ['verify-outcome']) fill(byId(id));
  clearDecrypted();
  if (text === '') {
    report = undefined;
    stopCountdown();
    for (const id of ['token-parts', 'headers', 'claims', 'findings', 'countdown', 'token-status']) fill(byId(id));
    byId('decoded').hidden = true;
    return;
  }
  try {
    report = auditToken(text);
  } catch (e) {
    report = undefined;
    fill(byId('token-status'), describeError(e));
    return;
  }
  byId('decoded').hidden = false;
  const kind =
    report.type === undefined ? 'Not a readable token' : `${report.type}, ${report.serialization} serialization`;
  fill(
    byId('token-status'),
    `${kind}${report.alg === undefined ? '' : `, alg ${report.alg}`}. Decoded only: not verified.`,
  );
  showReport(text, report);
}

/** Wipes every field and result (generated keys included) and puts the example claims back. */
function clearAll(): void {
  for (const e of document.querySelectorAll<HTMLTextAreaElement | HTMLInputElement>('textarea, input')) e.value = '';
  for (const id of ['verify-outcome', 'sign-outcome']) fill(byId(id));
  byId('exports').hidden = true;
  byId('signed').hidden = true;
  resetSign();
  analyse();
  fill(byId('token-status'), 'Cleared.');
  tokenField().focus();
}

async function fetchJwks(): Promise<void> {
  const out = byId('verify-outcome');
  const url = value('verify-jwks-url');
  if (url === '') return outcome(out, 'bad', 'Type a JWKS URL first.');
  outcome(out, 'info', 'Fetching the key set...');
  try {
    const res = await fetch('/debugger/jwks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url }),
      cache: 'no-store',
      credentials: 'omit',
    });
    const doc = (await res.json()) as { keys?: unknown[]; error?: string; code?: string };
    if (!res.ok || !Array.isArray(doc.keys)) {
      return outcome(out, 'bad', 'The key set could not be fetched', [
        `${doc.error ?? `HTTP ${res.status}`}${doc.code === undefined ? '' : ` (${doc.code})`}`,
      ]);
    }
    byId<HTMLTextAreaElement>('verify-key').value = JSON.stringify(doc, null, 2);
    byId<HTMLSelectElement>('verify-key-format').value = 'jwk';
    outcome(out, 'info', `Fetched ${doc.keys.length} usable public key${doc.keys.length === 1 ? '' : 's'}`, [
      'They are in the key field: press Verify.',
    ]);
  } catch (e) {
    outcome(out, 'bad', 'The key set could not be fetched', [describeError(e)]);
  }
}

function openToken(text: string | undefined): void {
  if (text === undefined || text === '') return;
  tokenField().value = text;
  analyse();
  tokenField().focus();
}

/** Runs a pending analysis now, so that a button pressed right after typing acts on what was typed. */
function flush(): void {
  if (timer === undefined) return;
  clearTimeout(timer);
  timer = undefined;
  analyse();
}

function start(): void {
  initSign();
  tokenField().addEventListener('input', () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      analyse();
    }, 120);
  });
  const click = (id: string, f: () => unknown) =>
    byId(id).addEventListener('click', () => {
      flush();
      void f();
    });
  click('clear', clearAll);
  click('verify', () => verifyToken(token(), report));
  click('fetch-jwks', fetchJwks);
  click('decrypt', () => decryptToken(token(), report));
  click('open-inner', () => openToken(innerToken()));
  click('generate', generate);
  click('sign', sign);
  click('open-signed', () => openToken(byId<HTMLTextAreaElement>('signed-token').value.trim()));
  click('use-public', () => {
    const jwk = byId<HTMLTextAreaElement>('export-public-jwk').value;
    byId<HTMLTextAreaElement>('verify-key').value = jwk === '' ? byId<HTMLTextAreaElement>('sign-key').value : jwk;
    byId<HTMLSelectElement>('verify-key-format').value = 'jwk';
    byId('verify-key').focus();
  });
  analyse();
}

start();
