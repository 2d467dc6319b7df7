export { appendAudit, listAudit, type AuditEntry } from './audit-log.js';
