/**
 * What Entra's group-based licensing does with a group's products for the members a rule adds
 * and removes (docs/semantics.md, "Group-based licensing"; licensing-groups-resolve-problems):
 *
 * - a new member gains a product unless they already hold it from another source (one seat per
 *   user per product, however many sources);
 * - a product whose plans conflict with a plan the member already has from another assignment
 *   fails with MutuallyExclusiveViolation (after the group's and the other assignments'
 *   disabledPlans; the same plan twice is no conflict);
 * - all or nothing: when one product of the group fails for a member, the group assigns that
 *   member none of its products, and the others are reported as `Other`;
 * - a member without usageLocation takes the tenant's country; only where that is unknown too
 *   does every product fail;
 * - a removed member loses a product only when the group was the only source, and loses the
 *   plans the group enabled that the remaining sources disable.
 *
 * CountViolation is not decided per user here: Entra picks which members go short, so the seat
 * figures say how many (see {@link seatFigures}).
 */
import { planConflicts, type PlanConflict } from '../../../grammar/src/index';
import type { GraphObject, Table } from '../../../grammar/engine/src/index';
import type { Snapshot } from '../tenant/snapshot';
import { holdsOtherwise, holdsVia, RowLicences, type GroupLicense } from './licenses';
import type { SkuCatalogue } from './skus';

/** A failure whose user is certain. */
export interface LicenseError {
  readonly user: string;
  readonly skuId: string;
  /** Entra's error kind (`MutuallyExclusiveViolation`, `Other`, …), or `NoUsageLocation`. */
  readonly reason: string;
  /** For `Other`: the product of the same group whose failure kept this one from the user. */
  readonly dueTo?: string;
  /** For `MutuallyExclusiveViolation`: the plans in conflict. */
  readonly conflict?: PlanConflict;
}

/** A removed member who keeps a product through another source that disables some of its plans. */
export interface PlansLost {
  readonly user: string;
  /** servicePlanIds the group enabled that no remaining source enables. */
  readonly plans: readonly string[];
}

export interface ProductOutcome {
  /** New members who would receive the product were there seats enough. */
  readonly gained: string[];
  /** Removed members who held it only through this group. */
  readonly lost: string[];
  readonly plansLost: PlansLost[];
}

export interface AssignmentOutcome {
  /** One per product of the group, in the group's order. */
  readonly products: ProductOutcome[];
  readonly errors: LicenseError[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const lower = (s: unknown): string => (typeof s === 'string' ? s.toLowerCase() : '');
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').map((x) => x.toLowerCase()) : []);

/** The service plans of a product: the tenant's subscribedSkus first, then Microsoft's catalogue. */
export function productPlans(s: Snapshot, skuId: string, catalogue: SkuCatalogue | undefined): string[] {
  const sku = s.skus?.find((x) => lower(x.skuId) === skuId.toLowerCase());
  // Plan ids are GUIDs: anything else in the file is not a plan (and is never shown).
  const listed = Array.isArray(sku?.['servicePlans']) ? (sku!['servicePlans'] as { servicePlanId?: unknown }[]).map((p) => lower(p?.servicePlanId)).filter((id) => GUID.test(id)) : [];
  if (listed.length) return listed;
  return (catalogue?.plansOf(skuId) ?? []).map((p) => p.toLowerCase());
}

/** What deciding a new member's products needs: the table the member is a row of, the group's products. */
export interface MemberInputs {
  readonly snapshot: Snapshot;
  readonly table: Table;
  readonly licenses: readonly GroupLicense[];
  /** The tenant's country (snapshot.json countryLetterCode), for members without usageLocation. */
  readonly defaultLocation: string | undefined;
  readonly catalogue: SkuCatalogue | undefined;
}

interface Inputs extends MemberInputs {
  readonly rows: RowLicences;
  readonly groupId: string | undefined;
  readonly added: readonly string[];
  readonly addedRows: readonly number[];
  readonly removed: readonly string[];
  readonly removedRows: readonly number[];
}

/**
 * The plans a user already has. `assignedPlans` is Graph's own answer — every assignment, after
 * its disabledPlans — so it is read first; a snapshot without it falls back to the license
 * assignment states (each product's plans less that assignment's disabledPlans, where recorded).
 */
export class HeldPlans {
  private readonly bySet = new Map<number, Set<string> | undefined>();
  private readonly plansColumn;
  constructor(private readonly i: MemberInputs, private readonly planCache: Map<string, string[]>) {
    this.plansColumn = i.table.collections.get('assignedPlans');
  }

  of(row: number): Set<string> {
    const col = this.plansColumn;
    if (col) {
      const key = col.setIds[row]!;
      if (!this.bySet.has(key)) {
        const raw = col.rawOfSet(key);
        const items = Array.isArray(raw) ? (raw as ({ servicePlanId?: unknown; capabilityStatus?: unknown } | undefined)[]) : [];
        const plans = items.filter((p) => p && lower(p.capabilityStatus) !== 'deleted').map((p) => lower(p!.servicePlanId)).filter(Boolean);
        this.bySet.set(key, plans.length ? new Set(plans) : undefined);
      }
      const known = this.bySet.get(key);
      if (known) return known;
    }
    return this.fromStates(this.i.table.objects?.[row] ?? this.i.table.licences(row));
  }

  private fromStates(user: GraphObject): Set<string> {
    const out = new Set<string>();
    const states = user['licenseAssignmentStates'];
    const list = Array.isArray(states) ? states : Array.isArray(user['assignedLicenses']) ? user['assignedLicenses'] : [];
    for (const st of list as ({ skuId?: unknown; state?: unknown; disabledPlans?: unknown } | undefined)[]) {
      if (!st || typeof st.skuId !== 'string') continue;
      const state = lower(st.state);
      if (state !== '' && state !== 'active' && state !== 'activewitherror') continue;
      const off = new Set(strings(st.disabledPlans));
      for (const p of this.plans(st.skuId)) if (!off.has(p)) out.add(p);
    }
    return out;
  }

  plans(skuId: string): string[] {
    const k = skuId.toLowerCase();
    let p = this.planCache.get(k);
    if (!p) this.planCache.set(k, (p = productPlans(this.i.snapshot, k, this.i.catalogue)));
    return p;
  }
}

/**
 * The failures of a group's products for one new member (all or nothing: when one product
 * fails, the others fail as `Other`), or none when the group assigns them all. One checker per
 * group and table: members share a few sets of plans, each checked once per product.
 */
export class NewMemberCheck {
  readonly held: HeldPlans;
  /** The plans each product enables through the group. */
  readonly enabled: string[][];
  private readonly conflictMemo: Map<Set<string>, PlanConflict | undefined>[];

  constructor(private readonly i: MemberInputs, planCache = new Map<string, string[]>()) {
    this.held = new HeldPlans(i, planCache);
    this.enabled = i.licenses.map((l) => {
      const off = new Set(l.disabledPlans.map((p) => p.toLowerCase()));
      return this.held.plans(l.skuId).filter((p) => !off.has(p));
    });
    this.conflictMemo = i.licenses.map(() => new Map());
  }

  /**
   * `has`: the plans the member keeps from their other assignments, where that is not what they
   * hold today (a what-if in which they also lose a product).
   */
  failures(id: string, row: number, has?: Set<string>): LicenseError[] {
    const i = this.i;
    const failures: LicenseError[] = [];
    const location = i.table.value('usageLocation', row);
    if ((location === null || location === undefined || location === '') && !i.defaultLocation) {
      for (const l of i.licenses) failures.push({ user: id, skuId: l.skuId, reason: 'NoUsageLocation' });
    } else {
      const plans = has ?? this.held.of(row);
      i.licenses.forEach((l, n) => {
        const memo = this.conflictMemo[n]!;
        if (!memo.has(plans)) memo.set(plans, planConflicts(this.enabled[n]!, plans, this.held.plans(l.skuId))[0]);
        const conflict = memo.get(plans);
        if (conflict) failures.push({ user: id, skuId: l.skuId, reason: 'MutuallyExclusiveViolation', conflict });
      });
    }
    if (!failures.length) return failures;
    // All or nothing: the group's other products fail with it.
    const cause = failures[0]!.skuId;
    return i.licenses.map((l) => failures.find((f) => f.skuId === l.skuId) ?? { user: id, skuId: l.skuId, reason: 'Other', dueTo: cause });
  }
}

/** Decides, per added and removed member, what the group's products do. */
export function assignGroupLicenses(i: Inputs): AssignmentOutcome {
  const check = new NewMemberCheck(i);
  const held = check.held;
  const enabled = check.enabled;
  const groupId = i.groupId;
  const products = i.licenses.map(() => ({ gained: [] as string[], lost: [] as string[], plansLost: [] as PlansLost[] }));
  const errors: LicenseError[] = [];

  i.addedRows.forEach((row, k) => {
    const id = i.added[k]!;
    const failures = check.failures(id, row);
    if (failures.length) {
      errors.push(...failures);
      return;
    }
    i.licenses.forEach((l, n) => {
      const h = i.rows.holding(row, l.skuId);
      if (!holdsOtherwise(h, groupId) && !holdsVia(h, groupId)) products[n]!.gained.push(id);
    });
  });

  i.removedRows.forEach((row, k) => {
    const id = i.removed[k]!;
    i.licenses.forEach((l, n) => {
      const h = i.rows.holding(row, l.skuId);
      if (!holdsVia(h, groupId)) return;
      if (!holdsOtherwise(h, groupId)) { products[n]!.lost.push(id); return; }
      const keeps = remainingPlans(i, row, l.skuId, held);
      if (!keeps) return;
      const lostPlans = enabled[n]!.filter((p) => !keeps.has(p));
      if (lostPlans.length) products[n]!.plansLost.push({ user: id, plans: lostPlans });
    });
  });
  return { products, errors };
}

/**
 * The plans of a product that a removed member keeps through their other sources: the product's
 * plans less each source's disabledPlans (a group's from groups.json, a direct assignment's from
 * the user's assignment state). Undefined when a source's disabledPlans are not recorded.
 */
function remainingPlans(i: Inputs, row: number, skuId: string, held: HeldPlans): Set<string> | undefined {
  const user = i.table.objects?.[row] ?? i.table.licences(row);
  const states = user['licenseAssignmentStates'];
  if (!Array.isArray(states)) return undefined;
  const sku = skuId.toLowerCase();
  const g = i.groupId?.toLowerCase();
  const all = held.plans(sku);
  const out = new Set<string>();
  for (const st of states as ({ skuId?: unknown; assignedByGroup?: unknown; state?: unknown; disabledPlans?: unknown } | undefined)[]) {
    if (!st || lower(st.skuId) !== sku) continue;
    const state = lower(st.state);
    if (state !== '' && state !== 'active' && state !== 'activewitherror') continue;
    const by = lower(st.assignedByGroup);
    if (by && by === g) continue;
    const source = by ? i.snapshot.groupById.get(by)?.assignedLicenses?.find((a) => lower(a?.skuId) === sku) : undefined;
    const disabled = source?.disabledPlans ?? st.disabledPlans;
    if (!Array.isArray(disabled)) return undefined;
    const off = new Set(strings(disabled));
    for (const p of all) if (!off.has(p)) out.add(p);
  }
  return out;
}
