/**
 * `jotjs/debugger` (Node.js): jot's offline token debugger page as a node:http handler, the one `jot serve` runs.
 */
export { createDebuggerHandler, type DebuggerHandler, type DebuggerHandlerOptions } from './handler.js';
