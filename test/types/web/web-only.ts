// Compiled by test/types/web-entry.test.ts with the `browser` condition only (tsconfig.json): no name ending in
// `Sync` anywhere in what the web entry exports or what its functions return (see SyncNames), so that a synchronous
// form added later fails here even if calls.ts never names it. calls.ts shows that the same walk over the Node types
// finds `signSync` and `verifySync`.
import type * as Jot from 'jotjs';
import type { SyncNames } from './sync-names.js';

type IsNever<T> = [T] extends [never] ? true : false;

export const noSyncForms: IsNever<SyncNames<typeof Jot>> = true;
