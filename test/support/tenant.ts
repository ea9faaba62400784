/** Writes small hand-made tenant snapshots to temporary folders for tests. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export interface TenantFiles {
  users?: object[];
  devices?: object[];
  groups?: object[];
  subscribedSkus?: object[];
  administrativeUnits?: object[];
  snapshot?: object;
}

/** A snapshot folder holding the given collections as Graph pages. */
export function writeTenant(files: TenantFiles): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dynrule-tenant-'));
  for (const [name, list] of Object.entries(files)) {
    if (list === undefined) continue;
    const body = name === 'snapshot' ? list : { value: list };
    writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(body, null, 1));
  }
  return dir;
}

/** A user with every rule field present (null unless given). */
export function user(id: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id, displayName: `User ${id}`, userPrincipalName: `${id}@contoso.com`, accountEnabled: true, userType: 'Member',
    department: null, city: null, country: null, usageLocation: 'US', jobTitle: null,
    assignedLicenses: [], licenseAssignmentStates: [], assignedPlans: [], proxyAddresses: [], otherMails: [],
    ...fields,
  };
}

/** A licenseAssignmentState entry. */
export function state(skuId: string, assignedByGroup: string | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { skuId, assignedByGroup, disabledPlans: [], state: 'Active', error: 'None', lastUpdatedDateTime: '2026-10-01T00:00:00Z', ...extra };
}
