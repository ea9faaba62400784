/**
 * Whole-rule snippets offered at the start of an empty rule: the rules Microsoft documents and
 * admins write most. Bodies use snippet placeholders; `preview` is the rule as it reads.
 */
import type { RuleObject } from '../catalogue';
import * as l10n from '../l10n';

export interface RuleSnippet {
  /** Label and detail are English, marked: completion shows them through `l10n.t`. */
  readonly label: string;
  readonly object: RuleObject;
  readonly body: string;
  readonly preview: string;
  readonly detail: string;
  /** Ask for completion again after inserting (the first placeholder takes a GUID). */
  readonly retrigger?: boolean;
}

const snippet = (label: string, object: RuleObject, body: string, detail: string, retrigger = false): RuleSnippet => ({
  label, object, body, detail,
  preview: body.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, ''),
  ...(retrigger ? { retrigger } : {}),
});

export const RULE_SNIPPETS: readonly RuleSnippet[] = [
  snippet(l10n.mark('All users'), 'user', 'user.objectId -ne null', l10n.mark('every user, members and guests')),
  snippet(l10n.mark('All members (no guests)'), 'user', 'user.objectId -ne null -and user.userType -eq "Member"', l10n.mark('every member account, without B2B guests')),
  snippet(l10n.mark('Enabled guests'), 'user', 'user.userType -eq "Guest" -and user.accountEnabled -eq true', l10n.mark('B2B guests whose accounts can sign in')),
  snippet(l10n.mark('Department equals'), 'user', 'user.department -eq "${1:Sales}"', l10n.mark('everyone in one department')),
  snippet(l10n.mark('Department is one of'), 'user', 'user.department -in ["${1:Sales}", "${2:Marketing}"]', l10n.mark('everyone in any of several departments')),
  snippet(l10n.mark('Has a service plan enabled'), 'user', 'user.assignedPlans -any (assignedPlan.servicePlanId -eq "$1" -and assignedPlan.capabilityStatus -eq "Enabled")', l10n.mark('users with an enabled service plan (license workload)'), true),
  snippet(l10n.mark('Hired in the last days'), 'user', 'user.employeeHireDate -ge system.now -minus P${1:30}D', l10n.mark('new starters in a moving window')),
  snippet(l10n.mark('Starting within days'), 'user', 'user.employeeHireDate -ge system.now -and user.employeeHireDate -le (system.now -plus P${1:14}D)', l10n.mark('people who start soon')),
  snippet(l10n.mark('Hire date between'), 'user', 'user.employeeHireDate -ge ${1:2025-01-01}T00:00:00Z -and user.employeeHireDate -le ${2:2025-12-31}T23:59:59Z', l10n.mark('a fixed hire date window')),
  snippet(l10n.mark('Direct reports of a manager'), 'user', 'Direct Reports for "$1"', l10n.mark('the manager and their direct reports (stands alone)'), true),
  snippet(l10n.mark('All devices'), 'device', 'device.objectId -ne null', l10n.mark('every device')),
  snippet(l10n.mark('Windows Autopilot devices'), 'device', 'device.devicePhysicalIds -any (_ -startsWith "[ZTDId]")', l10n.mark('every device registered with Autopilot')),
  snippet(l10n.mark('Autopilot order id'), 'device', 'device.devicePhysicalIds -any (_ -eq "[OrderID]:${1:orderId}")', l10n.mark('Autopilot devices with a group tag / order id')),
  snippet(l10n.mark('Company-owned Windows devices'), 'device', 'device.deviceOSType -eq "Windows" -and device.deviceOwnership -eq "Company"', l10n.mark('corporate Windows devices')),
];
