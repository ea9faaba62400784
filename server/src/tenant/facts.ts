/** A loaded snapshot as the core's {@link TenantFacts}: what the tenant-dependent checks read. */
import type { TenantFacts } from '../../../grammar/src/index';
import type { Snapshot } from './snapshot';

export function snapshotFacts(s: Snapshot): TenantFacts {
  return {
    name: s.name,
    groups: () => s.groups,
    // An empty map with no users.json means "not known", not "no such user".
    hasUser: (id) => (s.users ? s.userById.has(id.toLowerCase()) : undefined),
    skus: () => s.skus,
  };
}
