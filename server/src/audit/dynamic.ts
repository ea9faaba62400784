/**
 * Which objects of a snapshot have a rule of their own: groups whose `groupTypes` holds
 * `DynamicMembership`, and administrative units whose `membershipType` is `Dynamic` (both as
 * Microsoft Graph writes them, matched in any case).
 */
import type { GraphAdministrativeUnit, GraphGroup, Snapshot } from '../tenant/snapshot';
import type { AuditKind } from './types';

export interface DynamicObject {
  readonly kind: AuditKind;
  /** The group or unit as read (a unit has the fields of a group that matter here: rule, state, members). */
  readonly source: GraphGroup;
}

export const isDynamicGroup = (g: GraphGroup): boolean =>
  Array.isArray(g['groupTypes']) && (g['groupTypes'] as unknown[]).some((t) => typeof t === 'string' && t.toLowerCase() === 'dynamicmembership');

export const isDynamicUnit = (u: GraphAdministrativeUnit): boolean =>
  typeof u['membershipType'] === 'string' && (u['membershipType'] as string).toLowerCase() === 'dynamic';

/** Every dynamic group, then every dynamic administrative unit, in the snapshot's order. */
export function dynamicObjects(s: Snapshot): DynamicObject[] {
  const out: DynamicObject[] = [];
  for (const g of s.groups ?? []) if (g && typeof g.id === 'string' && isDynamicGroup(g)) out.push({ kind: 'group', source: g });
  for (const u of s.administrativeUnits) if (u && typeof u.id === 'string' && isDynamicUnit(u)) out.push({ kind: 'administrativeUnit', source: u });
  return out;
}
