/**
 * Group-based licensing arithmetic (docs/semantics.md, Group-based licensing): which licenses a user holds and from where, what a
 * group assigns, and the seats a tenant has left. Pure functions over Graph-shaped objects.
 */
import { notSecurityEnabledIssue, type Issue, type Span } from '../../../grammar/src/index';
import { type GraphObject, type Table } from '../../../grammar/engine/src/index';
import type { GraphGroup, Snapshot, SubscribedSku } from '../tenant/snapshot';
import { printable } from '../tenant/jsonError';

/** A license a group assigns: the SKU and the service plans it switches off. */
export interface GroupLicense {
  readonly skuId: string;
  readonly skuPartNumber: string | undefined;
  readonly disabledPlans: readonly string[];
}

interface LicenseState {
  readonly skuId?: unknown;
  readonly assignedByGroup?: unknown;
  readonly state?: unknown;
  readonly error?: unknown;
}

const lower = (s: unknown): string => (typeof s === 'string' ? s.toLowerCase() : '');

/** Whether a license assignment state gives the user the service (not failed). */
function effective(st: LicenseState): boolean {
  const state = lower(st.state);
  return state === '' || state === 'active' || state === 'activewitherror';
}

export interface Holding {
  /** The user holds the SKU directly. */
  readonly direct: boolean;
  /** Groups (lower-cased ids) the user inherits the SKU from. */
  readonly groups: readonly string[];
  /** The sources are unknown: the SKU is in assignedLicenses but there are no assignment states. */
  readonly unknownSource: boolean;
  /** The SKU is assigned through this source but failed (for example CountViolation). */
  readonly failedGroups: readonly string[];
}

/** How a user holds a SKU: directly, through which groups, or not at all (undefined). */
export function holding(user: GraphObject, skuId: string): Holding | undefined {
  const sku = skuId.toLowerCase();
  const states = user['licenseAssignmentStates'];
  if (Array.isArray(states)) {
    let direct = false;
    const groups: string[] = [];
    const failedGroups: string[] = [];
    for (const raw of states as LicenseState[]) {
      if (!raw || lower(raw.skuId) !== sku) continue;
      const by = lower(raw.assignedByGroup);
      if (!effective(raw)) {
        if (by) failedGroups.push(by);
        continue;
      }
      if (by) groups.push(by);
      else direct = true;
    }
    if (!direct && groups.length === 0 && failedGroups.length === 0) return undefined;
    return { direct, groups, unknownSource: false, failedGroups };
  }
  const assigned = user['assignedLicenses'];
  if (Array.isArray(assigned) && assigned.some((a) => a && lower((a as { skuId?: unknown }).skuId) === sku)) {
    return { direct: false, groups: [], unknownSource: true, failedGroups: [] };
  }
  return undefined;
}

/** Whether a user has the SKU from a source other than `groupId`. */
export function holdsOtherwise(h: Holding | undefined, groupId: string | undefined): boolean {
  if (!h) return false;
  if (h.direct || h.unknownSource) return true;
  const g = groupId?.toLowerCase();
  return h.groups.some((x) => x !== g);
}

/** Whether the user has the SKU effectively through `groupId`. */
export function holdsVia(h: Holding | undefined, groupId: string | undefined): boolean {
  if (!h || !groupId) return false;
  return h.groups.includes(groupId.toLowerCase());
}

/** Lower-cased SKU ids the user holds effectively, from any source. */
export function heldSkus(user: GraphObject): Set<string> {
  const out = new Set<string>();
  const states = user['licenseAssignmentStates'];
  if (Array.isArray(states)) {
    for (const st of states as LicenseState[]) if (st && effective(st) && typeof st.skuId === 'string') out.add(st.skuId.toLowerCase());
    return out;
  }
  const assigned = user['assignedLicenses'];
  if (Array.isArray(assigned)) for (const a of assigned as { skuId?: unknown }[]) if (a && typeof a.skuId === 'string') out.add(a.skuId.toLowerCase());
  return out;
}

export interface Seats {
  /** prepaidUnits.enabled − consumedUnits. */
  readonly available: number;
  readonly enabled: number;
  readonly consumed: number;
}

export function seatsOf(sku: SubscribedSku | undefined): Seats | undefined {
  if (!sku) return undefined;
  const enabled = Number(sku.prepaidUnits?.enabled ?? NaN);
  const consumed = Number(sku.consumedUnits ?? NaN);
  if (!Number.isFinite(enabled) || !Number.isFinite(consumed)) return undefined;
  return { available: enabled - consumed, enabled, consumed };
}

export function findTenantSku(s: Snapshot, skuIdOrPart: string): SubscribedSku | undefined {
  const k = skuIdOrPart.toLowerCase();
  return s.skus?.find((x) => lower(x.skuId) === k || lower(x.skuPartNumber) === k);
}

/** The licenses a group assigns today. */
export function groupLicenses(s: Snapshot, g: GraphGroup | undefined): GroupLicense[] {
  if (!g || !Array.isArray(g.assignedLicenses)) return [];
  return g.assignedLicenses
    .filter((l) => l && typeof l.skuId === 'string')
    .map((l) => ({
      skuId: l.skuId,
      skuPartNumber: findTenantSku(s, l.skuId)?.skuPartNumber,
      disabledPlans: Array.isArray(l.disabledPlans) ? l.disabledPlans.filter((p: unknown): p is string => typeof p === 'string') : [],
    }));
}

/**
 * `holding` and `heldSkus` for the rows of a table, computed once per distinct set of licence
 * fields: a preview over a large tenant asks for hundreds of thousands of users that share a few
 * licence combinations.
 */
export class RowLicences {
  private readonly holdings = new Map<string, Map<number, Holding | undefined>>();
  private readonly held = new Map<number, Set<string>>();
  constructor(private readonly table: Table) {}

  holding(row: number, skuId: string): Holding | undefined {
    let bySku = this.holdings.get(skuId);
    if (!bySku) this.holdings.set(skuId, (bySku = new Map()));
    const key = this.table.licenceKey(row);
    if (bySku.has(key)) return bySku.get(key);
    const h = holding(this.table.licences(row), skuId);
    bySku.set(key, h);
    return h;
  }

  heldSkus(row: number): Set<string> {
    const key = this.table.licenceKey(row);
    let h = this.held.get(key);
    if (!h) this.held.set(key, (h = heldSkus(this.table.licences(row))));
    return h;
  }
}

/**
 * The seat figures of one product, computed here only: the code lens, the preview view, the CLI
 * and the JSON all show these. None is negative.
 */
export interface SeatFigures {
  /** Seats the change takes: max(0, gained − lost). */
  readonly needed: number;
  /** Seats the change gives back: max(0, lost − gained). */
  readonly freed: number;
  /** Seats free after the change: max(0, available − gained + lost); null when available is unknown. */
  readonly left: number | null;
  /**
   * Members who would gain the product but find no seat (CountViolation; Entra picks which):
   * max(0, gained − lost − available), at most the members gaining it; null when available is unknown.
   */
  readonly shortfall: number | null;
}

export function seatFigures(gained: number, lost: number, available: number | null): SeatFigures {
  const needed = Math.max(0, gained - lost);
  const freed = Math.max(0, lost - gained);
  if (available === null) return { needed, freed, left: null, shortfall: null };
  const after = available - gained + lost;
  return { needed, freed, left: Math.max(0, after), shortfall: Math.min(gained, Math.max(0, -after)) };
}

export { NOT_SECURITY_ENABLED } from '../../../grammar/src/index';

/**
 * Only security-enabled groups assign licenses (a Microsoft 365 group needs securityEnabled
 * true): the issue with a group that is to assign licenses, at `span` (its `# @group` value), or
 * undefined when there is none (a group that says nothing about it is given the benefit of the doubt).
 */
export function licensingGroupIssue(group: GraphGroup | undefined, span: Span = { start: 0, end: 0 }): Issue | undefined {
  if (!group || group['securityEnabled'] !== false) return undefined;
  return notSecurityEnabledIssue(printable(String(group.displayName ?? group.id), 100), span);
}
