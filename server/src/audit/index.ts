/**
 * The whole tenant in the workspace: `pullRules` writes every dynamic group's and dynamic
 * administrative unit's rule into a folder; `auditTenant` checks them all at once. Both read a
 * loaded snapshot; neither writes to the tenant.
 */

export type * from './types';

export { auditTenant, auditTenantInSlices } from './audit';
export { AUDIT_CODES, AUDIT_CODE_LIST, type AuditCode } from './codes';

export { filePosition, pulledFileOf, pullRules, PullError, PULL_RECORD } from './pull';
