/**
 * The codes `dynrule audit` adds to the rule checks' own, by the name the audit uses for each. The
 * catalogue (grammar/src/codes.ts, `TENANT_CODES`) gives each its severity and meaning, once.
 */
import { TENANT_CODES, type TenantCode } from '../../../grammar/src/index';
import type { Severity } from './types';

export interface AuditCode {
  readonly code: TenantCode;
  readonly severity: Severity;
  readonly description: string;
}

const entry = (code: TenantCode): AuditCode => ({ code, severity: TENANT_CODES[code].severity, description: TENANT_CODES[code].summary });

export const AUDIT_CODES = {
  processingPaused: entry('group/processing-paused'),
  membershipDrift: entry('group/membership-drift'),
  noRule: entry('group/no-rule'),
  ruleNotEvaluated: entry('group/rule-not-evaluated'),
  guestsInLicensingGroup: entry('licensing/guests-in-licensing-group'),
  skuFromSeveralGroups: entry('licensing/sku-from-several-groups'),
  guestControllable: entry('security/guest-controllable-rule'),
  dynamicGroupLimit: entry('tenant/dynamic-group-limit'),
  p1Seats: entry('tenant/p1-seats'),
  costlyRules: entry('tenant/costly-rules'),
} as const satisfies Record<string, AuditCode>;

/** Every audit code, for documentation. */
export const AUDIT_CODE_LIST: readonly AuditCode[] = Object.values(AUDIT_CODES);
