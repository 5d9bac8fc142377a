// Compiled by test/types/web-entry.test.ts against the package's own "exports" (dist/ declarations), twice:
// - tsconfig.json, with the `browser` condition (dist/index.web.d.ts): no error at all, so each `@ts-expect-error`
//   below is used: that synchronous form does not exist in the web types;
// - tsconfig.node.json, without it (dist/index.d.ts): the only errors are "Unused '@ts-expect-error' directive", one
//   per directive below: the same synchronous calls compile on Node.
// Every directive here marks a synchronous form; everything else is ordinary use that compiles on both.
import {
  createKeyRing,
  createSigner,
  createVerifier,
  createX5cResolver,
  generateKeyPair,
  type JwtSigner,
  type JwtVerifier,
  type Key,
  type PortableJwtSigner,
  type PortableJwtVerifier,
  signJwt,
  verifyCertificateChain,
  verifyJwt,
} from 'jotjs';
import type * as Jot from 'jotjs';
import { authenticate, createAuthenticator } from 'jotjs/http';
import type { SyncNames } from './sync-names.js';

interface Access {
  scope: string;
}

/** What a Worker, a Deno server or a page does: the asynchronous forms, typed as on Node. */
export async function asyncUse(request: Request): Promise<string> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const signer: JwtSigner = createSigner({ key: privateKey, issuer: 'https://idp.example', expiresIn: '15m' });
  const portable: PortableJwtSigner = signer;
  const token: string = await portable.sign({ sub: 'user-1', scope: 'read' });
  const verifier: JwtVerifier<Access> = createVerifier<Access>({ key: publicKey, issuer: 'https://idp.example' });
  const checked: PortableJwtVerifier<Access> = verifier;
  const { payload } = await checked.verify(token);
  const scope: string = payload.scope;
  await verifyJwt(await signJwt({ sub: 'user-2' }, privateKey), publicKey, { algorithms: ['ES256'] });

  const ring = createKeyRing({ alg: 'ES256', signer: { issuer: 'https://idp.example' } });
  await ring.ready();
  const ringSigner: PortableJwtSigner = ring.signer();
  await ringSigner.sign({ sub: 'user-3' });
  await ring.sign({ sub: 'user-4' });

  // A verifier from createVerifier fits jotjs/http, here and on Node.
  const auth = createAuthenticator<Access>({ verifier: createVerifier({ key: publicKey, algorithms: ['ES256'] }) });
  const result = await authenticate(request, auth);
  await ring.close();

  // X.509 chains: awaited, the same code on both (a promise on WebCrypto, the key itself on Node).
  const x5c: unknown = JSON.parse(await request.text());
  const leaf: Key = await verifyCertificateChain(x5c, { trustAnchors: ['-----BEGIN CERTIFICATE-----'], alg: 'ES256' });
  const x5cKeys = createX5cResolver({ trustAnchors: [new Uint8Array(0)], algorithms: ['ES256'] });
  await verifyJwt(token, x5cKeys, { algorithms: ['ES256'] });
  void leaf;
  return result.ok ? `${scope} ${result.claims.scope}` : result.status.toString();
}

/** The synchronous forms: each exists on Node, none in the web types. */
export function syncForms(key: Key, publicKey: Key, token: string): unknown[] {
  const signer = createSigner({ key });
  const verifier = createVerifier({ key: publicKey, algorithms: ['ES256'] });
  const ring = createKeyRing({ alg: 'ES256' });
  return [
    // @ts-expect-error signSync: WebCrypto signs asynchronously
    signer.signSync({ sub: 'user-1' }),
    // @ts-expect-error verifySync: WebCrypto verifies asynchronously
    verifier.verifySync(token),
    // @ts-expect-error a key ring's signer has no signSync on WebCrypto
    ring.signer().signSync({ sub: 'user-1' }),
    // @ts-expect-error verifyCertificateChain returns a promise on WebCrypto (the key itself on Node)
    verifyCertificateChain([], { trustAnchors: [], alg: 'ES256' }).kty,
  ];
}

/** The same, through the exported types. */
export type SyncMembers = [
  // @ts-expect-error JwtSigner has no signSync on WebCrypto
  JwtSigner['signSync'],
  // @ts-expect-error JwtVerifier has no verifySync on WebCrypto
  JwtVerifier['verifySync'],
  // @ts-expect-error the key ring's signer
  ReturnType<ReturnType<typeof Jot.createKeyRing>['signer']>['signSync'],
];

/** The walk of web-only.ts, which finds none in the web types, finds both in the Node types. */
export const walked: SyncNames<typeof Jot>[] = [
  // @ts-expect-error no signSync anywhere in the web entry
  'signSync',
  // @ts-expect-error no verifySync anywhere in the web entry
  'verifySync',
];
