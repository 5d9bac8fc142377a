/**
 * `jotjs/audit`: the checks of `jot audit` as a library, on every runtime (no key, no crypto, no I/O). The offline
 * debugger page shows them beside the token.
 */
export { type AuditReport, type AuditTokenOptions, auditToken } from './audit.js';
export type { AuditFinding, AuditSeverity } from './checks.js';
