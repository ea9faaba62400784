/**
 * A generated tenant of many dynamic groups and administrative units, as Graph test server data:
 * for the tests and the load test of `snapshot --all` (graph/dynamic.ts).
 */
import type { GraphServerData, Json } from './graphStore';

const guid = (kind: string, n: number): string => `00000000-0000-4000-${kind}-${n.toString(16).padStart(12, '0')}`;

export const userId = (n: number): string => guid('a000', n);
export const dynamicGroupId = (n: number): string => guid('b000', n);
export const assignedGroupId = (n: number): string => guid('c000', n);
export const unitId = (n: number): string => guid('d000', n);
export const deviceId = (n: number): string => guid('e000', n);

export interface DynamicTenantOptions {
  readonly users: number;
  readonly dynamicGroups: number;
  /** Groups that are not dynamic (left out by `--all`). Default 0. */
  readonly assignedGroups?: number;
  /** Dynamic administrative units; one assigned unit is added when any. Default 0. */
  readonly units?: number;
  /** Members of dynamic group i (users i, i+1, …, wrapping). Default i % 40. */
  readonly membersOf?: (i: number) => number;
}

/** Deterministic: the same options give the same tenant. */
export function dynamicTenant(o: DynamicTenantOptions): GraphServerData {
  const users: Json[] = [];
  for (let i = 0; i < o.users; i++) {
    users.push({ id: userId(i), displayName: `User ${i}`, userPrincipalName: `user${i}@contoso.com`, department: `Dept ${i % 10}`, userType: 'Member', accountEnabled: true });
  }
  const devices: Json[] = [0, 1].map((i) => ({ id: deviceId(i), displayName: `Device ${i}`, operatingSystem: 'Windows', accountEnabled: true }));
  const membersOf = o.membersOf ?? ((i: number) => i % 40);
  const pick = (i: number, n: number): string[] => Array.from({ length: Math.min(n, o.users) }, (_, k) => userId((i + k) % o.users));
  const groups: Json[] = [];
  for (let i = 0; i < o.dynamicGroups; i++) {
    groups.push({
      id: dynamicGroupId(i), displayName: `Dynamic ${i}`, groupTypes: ['DynamicMembership'], securityEnabled: true, mailEnabled: false,
      membershipRule: `user.department -eq "Dept ${i % 10}"`, membershipRuleProcessingState: i % 17 === 0 ? 'Paused' : 'On',
      assignedLicenses: [], members: pick(i, membersOf(i)),
    });
  }
  for (let i = 0; i < (o.assignedGroups ?? 0); i++) {
    groups.push({ id: assignedGroupId(i), displayName: `Assigned ${i}`, groupTypes: i % 2 ? ['Unified'] : [], securityEnabled: true, mailEnabled: false, membershipRule: null, assignedLicenses: [], members: pick(i, 5) });
  }
  const administrativeUnits: Json[] = [];
  for (let i = 0; i < (o.units ?? 0); i++) {
    administrativeUnits.push({
      id: unitId(i), displayName: `AU Dept ${i}`, membershipType: 'Dynamic', membershipRule: `user.department -eq "Dept ${i % 10}"`,
      membershipRuleProcessingState: 'On', members: users.filter((u) => u['department'] === `Dept ${i % 10}`).map((u) => String(u['id'])),
    });
  }
  if (o.units) administrativeUnits.push({ id: unitId(o.units), displayName: 'AU Assigned', membershipType: null, members: [userId(0)] });
  return {
    users, devices, groups, subscribedSkus: [], administrativeUnits,
    organization: { id: '00000000-0000-4000-8000-00000000d00d', displayName: 'Dynamic Contoso', countryLetterCode: 'US' },
  };
}
