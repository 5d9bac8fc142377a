// GET /service: a page with links to every endpoint and the curl commands that use them.

const html = (s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function homePage(res, issuer) {
  const i = html(issuer);
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>jot demo service</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}code,pre{background:#f4f4f4}pre{padding:.6rem;overflow:auto}</style>
</head><body>
<h1>jot demo service</h1>
<p><a href="${i}/">The offline token debugger</a> (paste a token from <code>/token</code> there).</p>
<p>An OAuth 2.0 authorization server and a protected API built on jot. Demo user: <code>demo</code> / <code>demo</code>.</p>
<ul>
<li><a href="${i}/.well-known/oauth-authorization-server">Authorization server metadata</a> (RFC 8414)</li>
<li><a href="${i}/.well-known/jwks.json">JSON Web Key Set</a></li>
<li><code>POST ${i}/token</code>: <code>grant_type=password</code> or <code>refresh_token</code> (RFC 6749; DPoP with RFC 9449)</li>
<li><code>POST ${i}/revoke</code> (RFC 7009), <code>POST ${i}/introspect</code> (RFC 7662, scope <code>introspect</code>)</li>
<li><code>POST ${i}/logout-all</code>: revoke every token of the caller</li>
<li><code>GET ${i}/me</code>: the verified claims (scope <code>profile</code>)</li>
</ul>
<pre>curl -s -d grant_type=password -d username=demo -d password=demo ${i}/token
curl -s -H "Authorization: Bearer $ACCESS_TOKEN" ${i}/me</pre>
</body></html>
`;
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(page),
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'x-content-type-options': 'nosniff',
  });
  res.end(page);
}
