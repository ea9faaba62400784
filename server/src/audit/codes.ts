/**
 * The codes `dynrule audit` adds to the rule checks' own, each once with its severity and what it
 * means (README, "The whole tenant"). A code's severity here is its usual one; where it varies
 * with the group's state, `severity` is the higher and the audit says when it is lower.
 */
import type { Severity } from './types';

export interface AuditCode {
  readonly code: string;
  readonly severity: Severity;
  readonly description: string;
}

export const AUDIT_CODES = {
  processingPaused: { code: 'group/processing-paused', severity: 'warning', description: 'Rule processing is paused: the members stay as they are whatever the rule or the people change.' },
  membershipDrift: { code: 'group/membership-drift', severity: 'warning', description: 'The members differ from what the rule selects: a warning where processing is stuck (paused, a retired memberOf rule, failed), information where it runs and is catching up.' },
  noRule: { code: 'group/no-rule', severity: 'warning', description: 'A dynamic group or administrative unit without a membershipRule.' },
  ruleNotEvaluated: { code: 'group/rule-not-evaluated', severity: 'info', description: 'The rule could not be evaluated (it has errors, or the snapshot lacks the users or devices it selects from): no drift is computed.' },
  guestsInLicensingGroup: { code: 'licensing/guests-in-licensing-group', severity: 'warning', description: 'The group assigns licenses and its rule selects guests.' },
  skuFromSeveralGroups: { code: 'licensing/sku-from-several-groups', severity: 'info', description: 'Users receive the same SKU from more than one group: one seat each, but removing them from one group does not take the license away.' },
  guestControllable: { code: 'security/guest-controllable-rule', severity: 'warning', description: 'The rule matches mail, otherMails or userPrincipalName by substring or pattern without requiring userType Member: a guest chooses those addresses.' },
  dynamicGroupLimit: { code: 'tenant/dynamic-group-limit', severity: 'error', description: 'Dynamic groups and dynamic administrative units against the tenant limit of 15,000, memberOf groups against 500: a warning from 80%, an error at the limit.' },
  p1Seats: { code: 'tenant/p1-seats', severity: 'error', description: 'Unique users in dynamic groups and dynamic administrative units against the Entra ID P1 (or P2) seats the tenant owns.' },
  costlyRules: { code: 'tenant/costly-rules', severity: 'info', description: 'The rules that cost Entra the most to process, by Microsoft\'s efficiency guidance.' },
} as const satisfies Record<string, AuditCode>;

/** Every audit code, for documentation and the issue catalogue. */
export const AUDIT_CODE_LIST: readonly AuditCode[] = Object.values(AUDIT_CODES);
