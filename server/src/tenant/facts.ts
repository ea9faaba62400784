/**
 * A loaded snapshot as the core's ports: {@link TenantFacts} (what the tenant-dependent checks
 * read) and the names behind GUIDs ({@link TenantData}'s lookups), for the editor and the CLI alike.
 */
import type { TenantData, TenantFacts } from '../../../grammar/src/index';
import { printable } from './jsonError';
import { planHolders } from './queries';
import type { Snapshot } from './snapshot';

export function snapshotFacts(s: Snapshot): TenantFacts {
  return {
    // The name reaches terminals and the editor: no control characters.
    name: printable(s.name, 100),
    // No groups.json: the groups are not known, and none is reported missing.
    groups: () => s.groups?.map((g) => ({
      id: g.id,
      ...(typeof g.displayName === 'string' ? { displayName: g.displayName } : {}),
      ...(typeof g['securityEnabled'] === 'boolean' ? { securityEnabled: g['securityEnabled'] as boolean } : {}),
      assignsLicenses: Array.isArray(g.assignedLicenses) && g.assignedLicenses.length > 0,
    })),
    // None loaded may mean no administrativeUnits.json (or not read): not evidence that a unit is missing.
    administrativeUnits: () => (s.administrativeUnits.length === 0 ? undefined : s.administrativeUnits.map((u) => ({ id: u.id, ...(typeof u.displayName === 'string' ? { displayName: u.displayName } : {}) }))),
    // An empty map with no users.json means "not known", not "no such user".
    hasUser: (id) => (s.users ? s.userById.has(id.toLowerCase()) : undefined),
    skus: () => s.skus,
  };
}

/**
 * The names the tenant gives GUIDs: users, groups, and the plans of its subscriptions with how
 * many users hold each (counted on first use; keep the result for as long as the snapshot).
 */
export function snapshotNames(s: Snapshot): Required<Pick<TenantData, 'user' | 'group' | 'tenantServicePlans'>> {
  let holders: Map<string, number> | undefined;
  return {
    user: (id) => {
      const u = s.userById.get(id.toLowerCase());
      return u ? { id: String(u['id']), displayName: String(u['displayName'] ?? u['id']), ...(typeof u['userPrincipalName'] === 'string' ? { userPrincipalName: u['userPrincipalName'] as string } : {}) } : undefined;
    },
    group: (id) => {
      const g = s.groupById.get(id.toLowerCase());
      return g ? { id: g.id, displayName: typeof g.displayName === 'string' ? g.displayName : g.id } : undefined;
    },
    tenantServicePlans: () => {
      holders ??= s.tables.users ? planHolders(s.tables.users) : new Map();
      const counts = holders;
      return (s.skus ?? []).flatMap((sku) => {
        const plans = Array.isArray(sku['servicePlans']) ? (sku['servicePlans'] as { servicePlanId?: unknown; servicePlanName?: unknown }[]) : [];
        return plans.filter((p) => typeof p.servicePlanId === 'string').map((p) => ({
          id: p.servicePlanId as string, name: String(p.servicePlanName ?? p.servicePlanId), sku: sku.skuPartNumber ?? sku.skuId,
          users: counts.get((p.servicePlanId as string).toLowerCase()) ?? 0,
        }));
      });
    },
  };
}
