/**
 * Whole-rule snippets offered at the start of an empty rule: the rules Microsoft documents and
 * admins write most. Bodies use snippet placeholders; `preview` is the rule as it reads.
 */
import type { RuleObject } from '../catalogue';

export interface RuleSnippet {
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
  snippet('All users', 'user', 'user.objectId -ne null', 'every user, members and guests'),
  snippet('All members (no guests)', 'user', 'user.objectId -ne null -and user.userType -eq "Member"', 'every member account, without B2B guests'),
  snippet('Enabled guests', 'user', 'user.userType -eq "Guest" -and user.accountEnabled -eq true', 'B2B guests whose accounts can sign in'),
  snippet('Department equals', 'user', 'user.department -eq "${1:Sales}"', 'everyone in one department'),
  snippet('Department is one of', 'user', 'user.department -in ["${1:Sales}", "${2:Marketing}"]', 'everyone in any of several departments'),
  snippet('Has a service plan enabled', 'user', 'user.assignedPlans -any (assignedPlan.servicePlanId -eq "$1" -and assignedPlan.capabilityStatus -eq "Enabled")', 'users with an enabled service plan (license workload)', true),
  snippet('Hired in the last days', 'user', 'user.employeeHireDate -ge system.now -minus P${1:30}D', 'new starters in a moving window'),
  snippet('Starting within days', 'user', 'user.employeeHireDate -ge system.now -and user.employeeHireDate -le (system.now -plus P${1:14}D)', 'people who start soon'),
  snippet('Hire date between', 'user', 'user.employeeHireDate -ge ${1:2025-01-01}T00:00:00Z -and user.employeeHireDate -le ${2:2025-12-31}T23:59:59Z', 'a fixed hire date window'),
  snippet('Direct reports of a manager', 'user', 'Direct Reports for "$1"', 'the manager\'s direct reports (stands alone)', true),
  snippet('Members of groups (memberOf)', 'user', "user.memberOf -any (group.objectId -in ['$1'])", 'direct members of up to 50 groups (preview, stands alone)', true),
  snippet('All devices', 'device', 'device.objectId -ne null', 'every device'),
  snippet('Windows Autopilot devices', 'device', 'device.devicePhysicalIds -any (_ -startsWith "[ZTDId]")', 'every device registered with Autopilot'),
  snippet('Autopilot order id', 'device', 'device.devicePhysicalIds -any (_ -eq "[OrderID]:${1:orderId}")', 'Autopilot devices with a group tag / order id'),
  snippet('Company-owned Windows devices', 'device', 'device.deviceOSType -eq "Windows" -and device.deviceOwnership -eq "Company"', 'corporate Windows devices'),
  snippet('Devices of groups (memberOf)', 'device', "device.memberOf -any (group.objectId -in ['$1'])", 'direct members of up to 50 device groups (preview, stands alone)', true),
];
