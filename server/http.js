// Small node:http helpers: JSON answers, OAuth errors (RFC 6749 section 5.2) and strict form bodies.

/** Largest accepted request body, in bytes: token forms are small (a refresh token is under 1 KiB). */
export const MAX_BODY = 8192;
const FORM_BODY = /^[A-Za-z0-9*\-._~+=&% ]*$/; // a raw space is tolerated (curl -d 'scope=a b')
const BAD_PERCENT = /%(?![0-9A-Fa-f]{2})/;

export function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** An OAuth error response: JSON `{ error, error_description }`, `Cache-Control: no-store`. */
export function oauthError(res, status, error, description, headers = {}) {
  sendJson(res, status, { error, error_description: description }, headers);
}

export function methodNotAllowed(res, allow) {
  oauthError(res, 405, 'invalid_request', `Use ${allow}`, { allow });
}

/** A refusal of the request body, answered by the caller. */
class FormError {
  constructor(status, description) {
    this.status = status;
    this.description = description;
  }
}

function mediaType(value) {
  return typeof value === 'string' ? value.split(';')[0].trim().toLowerCase() : '';
}

/** Reads the body, up to MAX_BODY bytes, or throws a FormError (413) and stops reading. */
function readBody(req) {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > MAX_BODY) {
    return Promise.reject(new FormError(413, `The request body is larger than ${MAX_BODY} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk) => {
      if (done) return;
      size += chunk.length;
      if (size > MAX_BODY) {
        done = true;
        req.pause();
        reject(new FormError(413, `The request body is larger than ${MAX_BODY} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks));
    });
    req.on('error', () => {
      if (done) return;
      done = true;
      reject(new FormError(400, 'The request body could not be read'));
    });
  });
}

/**
 * The parameters of an `application/x-www-form-urlencoded` body (RFC 6749 section 3.2): a Map of name to value.
 * Refused: another content type, a body over the limit, characters or percent escapes outside the format, text
 * that is not UTF-8, and a parameter given twice. Empty values count as absent (section 3.1).
 */
export async function readForm(req) {
  if (mediaType(req.headers['content-type']) !== 'application/x-www-form-urlencoded') {
    throw new FormError(400, 'The content type must be application/x-www-form-urlencoded');
  }
  const body = await readBody(req);
  const text = body.toString('latin1');
  if (!FORM_BODY.test(text) || BAD_PERCENT.test(text)) throw new FormError(400, 'The form body is malformed');
  const params = new Map();
  for (const [name, value] of new URLSearchParams(text)) {
    if (name.includes('\uFFFD') || value.includes('\uFFFD')) throw new FormError(400, 'The form body is not UTF-8');
    if (params.has(name)) throw new FormError(400, `The parameter ${name.slice(0, 40)} is given more than once`);
    params.set(name, value);
  }
  for (const [name, value] of params) if (value === '') params.delete(name);
  return params;
}

/** Answers a FormError, or rethrows anything else. Answers to refused bodies close the connection. */
export function answerFormError(res, e) {
  if (!(e instanceof FormError)) throw e;
  oauthError(res, e.status, 'invalid_request', e.description, e.status === 413 ? { connection: 'close' } : {});
}
