/** A small tenant folder written for a test, loaded as the CLI loads one. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadSnapshot, type Snapshot } from '../../../server/src/tenant/snapshot';

export type Obj = Record<string, unknown>;

export interface TenantFiles {
  readonly users?: readonly Obj[];
  readonly devices?: readonly Obj[];
  readonly groups?: readonly Obj[];
  readonly administrativeUnits?: readonly Obj[];
  readonly subscribedSkus?: readonly Obj[];
  readonly takenAt?: string;
}

export const guid = (n: number): string => `c0a70500-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A user with every field the test rules read (Graph shapes). */
export function user(n: number, fields: Obj = {}): Obj {
  return {
    id: guid(n), displayName: `User ${n}`, userPrincipalName: `user${n}@contoso.com`, userType: 'Member', accountEnabled: true,
    department: 'Sales', city: 'Lagos', mail: `user${n}@contoso.com`, otherMails: [], jobTitle: 'Clerk', country: 'Nigeria', ...fields,
  };
}

export function dynamicGroup(n: number, name: string, rule: string | null, members: readonly string[] | undefined, fields: Obj = {}): Obj {
  return {
    id: guid(n), displayName: name, groupTypes: ['DynamicMembership'], membershipRule: rule, membershipRuleProcessingState: 'On',
    securityEnabled: true, assignedLicenses: [], ...(members ? { members } : {}), ...fields,
  };
}

/** An Entra ID P1 subscription (its plans include AAD_PREMIUM) with `enabled` seats. */
export const p1Sku = (enabled: number): Obj => ({
  skuId: '078d2b04-f1bd-4111-bbd4-b4b1b354cef4', skuPartNumber: 'AAD_PREMIUM', consumedUnits: 0, prepaidUnits: { enabled },
  servicePlans: [{ servicePlanId: '41781fb2-bc02-4b7c-bd55-b576c07bb09d', servicePlanName: 'AAD_PREMIUM' }],
});

export function writeTenant(files: TenantFiles): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dynrule-audit-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'snapshot.json'), JSON.stringify({ tenantId: guid(999), tenantName: 'fabrikam', takenAt: files.takenAt ?? '2026-11-01T00:00:00Z' }));
  for (const [name, list] of Object.entries({ users: files.users, devices: files.devices, groups: files.groups, administrativeUnits: files.administrativeUnits, subscribedSkus: files.subscribedSkus })) {
    if (list) writeFileSync(path.join(dir, `${name}.json`), JSON.stringify({ value: list }));
  }
  return dir;
}

export async function tenant(files: TenantFiles): Promise<Snapshot> {
  return loadSnapshot(writeTenant(files), { cacheDir: false });
}
