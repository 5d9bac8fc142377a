// The JWE machinery (parsing, key management, content encryption, compression) is loaded on first use, so that
// importing jot for signatures alone does not load it: a cold start pays only for what it runs (issue 19).

type DecryptModule = typeof import('./decrypt.js');
type EncryptModule = typeof import('./encrypt.js');
type DecrypterModule = typeof import('./decrypter-impl.js');

let decrypt: Promise<DecryptModule> | undefined;
let encrypt: Promise<EncryptModule> | undefined;
let decrypter: Promise<DecrypterModule> | undefined;

/** `./decrypt.js`, loaded once. @internal */
export const loadDecrypt = (): Promise<DecryptModule> => (decrypt ??= import('./decrypt.js'));
/** `./encrypt.js`, loaded once. @internal */
export const loadEncrypt = (): Promise<EncryptModule> => (encrypt ??= import('./encrypt.js'));
/** `./decrypter-impl.js`, loaded once. @internal */
export const loadDecrypter = (): Promise<DecrypterModule> => (decrypter ??= import('./decrypter-impl.js'));
