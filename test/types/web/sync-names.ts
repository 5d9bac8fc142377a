// A type that walks an entry point's exports for synchronous forms (used by calls.ts and web-only.ts).

type Callable = (...args: never[]) => unknown;
type Output<F> = F extends (...args: never[]) => infer R ? Awaited<R> : never;
type Depth = [unknown, unknown, unknown];

/**
 * The names ending in `Sync` in `T`, in its members, and in what its functions return (promises resolved), down to
 * three levels: `typeof import('jotjs')` reaches `createSigner(...).signSync` and `createKeyRing(...).signer().signSync`.
 * Parameter types are not walked (an option such as a revocation checker's `isRevokedSync` is an input).
 */
export type SyncNames<T, D extends unknown[] = Depth> = D extends [unknown, ...infer Rest]
  ? T extends object
    ?
        | Extract<keyof T, `${string}Sync`>
        | (T extends readonly (infer E)[] ? SyncNames<E, Rest> : Members<T, Rest>)
        | (T extends Callable ? SyncNames<Output<T>, Rest> : never)
    : never
  : never;

/** {@link SyncNames} of each member of `T` (of a function member: of what it returns). */
type Members<T, D extends unknown[]> = {
  [K in keyof T]-?: SyncNames<T[K] extends Callable ? Output<T[K]> : T[K], D>;
}[keyof T];
