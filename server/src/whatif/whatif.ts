/**
 * What if people change: HR's changes (new users, changed attributes, users deleted) through
 * every dynamic group of the tenant, with the licenses that move and the seats they cost
 * (README, "What if people change"; docs/semantics.md, Group-based licensing).
 *
 * Only the users the changes touch are evaluated, not the whole tenant: their objects after the
 * changes become a small table, over which every group's rule runs once. Before is the group's
 * members today (its `members` list; without one, its rule over the users as they are). Rule
 * files given as edits replace their groups' rules; such a group is evaluated over everyone, and
 * the users it adds or removes join the report (as `unchanged`, their attributes untouched).
 *
 * Groups that do not update — memberOf rules after 2026-11-03, paused processing — keep their
 * members; only a deleted user leaves them. Licenses follow docs/semantics.md: one seat per user
 * per SKU; a SKU still held directly or through a group the user stays in is not lost; a group
 * whose product fails for a user assigns that user none of its products; shortfall =
 * max(0, gained − lost − available), with no user named for it.
 *
 * Free of CLI concerns: the CLI and the editor's views print this report their own way.
 */
import { findProperty, unparen, type Expr, l10n, memberOfRetired, isMemberOfRule, parseRule, type ParsedRule, type PlanConflict } from '../../../grammar/src/index';
import { buildTable, compileRule, evaluateColumnar, type CompileResult, type GraphObject, type Table } from '../../../grammar/engine/src/index';
import type { GraphGroup, Snapshot } from '../tenant/snapshot';
import { findListings, memberRows, rowsInAny } from '../tenant/queries';
import { p1Seats, popcountAnd } from '../audit/tenantFindings';
import { NewMemberCheck } from '../preview/assignment';
import { findTenantSku, groupLicenses, heldSkus, holding, licensingGroupIssue, seatFigures, seatsOf, type GroupLicense } from '../preview/licenses';
import type { SkuCatalogue } from '../preview/skus';
import { printable } from '../tenant/jsonError';
import type { ChangeKind, ChangedUser, ResolvedChanges } from './resolve';

export interface EditedRule {
  /** The group's object id. */
  readonly group: string;
  /** The rule file's text (comments and directives are not sent to Entra and are ignored). */
  readonly text: string;
  /** Where the rule came from, for the report. */
  readonly file: string;
}

export interface WhatIfOptions {
  /** `system.now` and the date memberOf's retirement is judged at, in ms (default: the clock). */
  readonly now?: number;
  /** Rules that replace their groups' rules (`--rules`). */
  readonly rules?: readonly EditedRule[];
  /** Resolves SKU names and plans the tenant does not list. */
  readonly catalogue?: SkuCatalogue;
}

export interface WhatIfUser {
  /** The object id, or the userPrincipalName of a new user. */
  readonly user: string;
  readonly change: ChangeKind;
  readonly userPrincipalName: string | null;
  readonly displayName: string | null;
  /** Whether the account can sign in after the change (a new user's "Block sign in: Yes" is false); null when deleted or unknown. */
  readonly accountEnabled: boolean | null;
  /** The properties the changes set. */
  readonly properties: readonly string[];
  /** Why a user no changes file names is in the report. */
  readonly implied?: string;
  readonly joined: string[];
  readonly left: string[];
  readonly gained: string[];
  readonly lost: string[];
}

export interface WhatIfGroup {
  readonly id: string;
  readonly displayName: string | null;
  /** A group, or a dynamic administrative unit (administrativeUnits.json). */
  readonly kind: 'group' | 'administrativeUnit';
  readonly type: 'user' | 'device';
  /** Members today (the group's `members` list), or null when the snapshot does not list them. */
  readonly before: number | null;
  readonly after: number | null;
  readonly added: string[];
  readonly removed: string[];
  /** Users the rule cannot decide after the change (data missing): they stay as they are. */
  readonly unknown: string[];
  /** Why the group's members stay as they are, if they do. */
  readonly frozen?: 'memberOfRetired' | 'paused';
  /** The rule file that replaces the group's rule. */
  readonly ruleFile?: string;
  /** skuIds the group assigns. */
  readonly licenses: string[];
}

export interface WhatIfSku {
  readonly skuId: string;
  readonly skuPartNumber: string | null;
  /** Users who would receive the SKU were there seats enough. */
  readonly gained: number;
  /** Users who lose their last source of it. */
  readonly lost: number;
  /** prepaidUnits.enabled − consumedUnits, or null without subscribedSkus. */
  readonly available: number | null;
  /** max(0, gained − lost − available): users Entra fails with CountViolation (it picks which); null when available is unknown. */
  readonly shortfall: number | null;
  readonly needed: number;
  readonly freed: number;
  readonly left: number | null;
}

export interface WhatIfError {
  readonly user: string;
  readonly skuId: string;
  readonly reason: string;
  /** The group whose assignment fails. */
  readonly group: string;
  readonly dueTo?: string;
  readonly conflict?: PlanConflict;
  /**
   * A MutuallyExclusiveViolation with a product the user gains in the same change, from this
   * group: Entra processes the two groups on their own, and whichever it processes second fails.
   * The report fails the group that comes later in the snapshot's order.
   */
  readonly alongside?: string;
}

/** The figures a one-line summary (a code lens over a changes file) needs. */
export interface WhatIfSummary {
  readonly newUsers: number;
  readonly changedUsers: number;
  readonly deletedUsers: number;
  /** Users the changes do not touch but an edited rule adds or removes. */
  readonly unchangedUsers: number;
  /** Dynamic groups and administrative units whose members change. */
  readonly groupsChanged: number;
  readonly dynamicGroups: number;
  readonly dynamicUnits: number;
  readonly joins: number;
  readonly leaves: number;
  /** Sum of the SKUs' shortfalls (null when a SKU's seats are unknown). */
  readonly seatsShort: number | null;
  readonly errors: number;
}

export interface WhatIfReport {
  readonly users: WhatIfUser[];
  readonly groups: WhatIfGroup[];
  readonly licenses: WhatIfSku[];
  readonly errors: WhatIfError[];
  readonly summary: WhatIfSummary;
  readonly p1: WhatIfP1;
  /** What the snapshot lacks or the model leaves out, and what that means. */
  readonly notes: string[];
}

/**
 * Entra ID P1 seats: every unique user in a dynamic group or unit needs one (docs/semantics.md).
 * `before` counts the users whose `memberOf` names a dynamic group or unit today; `after` moves it
 * by the users of the report who enter the first or leave the last.
 */
export interface WhatIfP1 {
  /** Seats of subscriptions whose plans include AAD_PREMIUM or AAD_PREMIUM_P2; null without subscribedSkus. */
  readonly owned: number | null;
  readonly before: number;
  readonly after: number;
  /** max(0, after − owned); null when owned is unknown. */
  readonly shortfall: number | null;
}

/** A what-if that cannot run at all (no users in the snapshot). */
export class WhatIfInputError extends Error {}

const lower = (s: unknown): string => (typeof s === 'string' ? s.toLowerCase() : '');

/** Whether a group has a dynamic membership rule. */
export function isDynamicGroup(g: GraphGroup): boolean {
  if (typeof g.membershipRule !== 'string' || g.membershipRule.trim() === '') return false;
  const types = g['groupTypes'];
  return !Array.isArray(types) || types.some((t) => lower(t) === 'dynamicmembership');
}

interface GroupPlan {
  readonly group: GraphGroup;
  readonly parsed: ParsedRule;
  readonly object: 'user' | 'device';
  readonly edited?: EditedRule;
  readonly frozen?: 'memberOfRetired' | 'paused';
  /** The current rule, when the group's rule is edited and its members are not listed. */
  readonly current?: ParsedRule;
  compiled?: CompileResult;
}

const nameOf = (g: GraphGroup): string => printable(String(g.displayName ?? g.id), 100);

export function whatIf(s: Snapshot, changes: ResolvedChanges, options: WhatIfOptions = {}): WhatIfReport {
  const table = s.tables.users;
  if (!table) throw new WhatIfInputError(l10n.t('{0} has no users.json: changes to people cannot be evaluated', s.name));
  const now = options.now;
  const evalOptions = now !== undefined ? { now } : {};
  const notes: string[] = [...s.notes];
  const edits = new Map((options.rules ?? []).map((r) => [r.group.toLowerCase(), r]));

  // Every dynamic group, its rule compiled once.
  const plans: GroupPlan[] = [];
  // Dynamic administrative units are evaluated as groups are (they assign no licenses).
  const units = (s.administrativeUnits ?? []).filter((u) => lower(u.membershipType) === 'dynamic' && typeof u.membershipRule === 'string' && u.membershipRule.trim() !== '');
  const unitIds = new Set(units.map((u) => u.id.toLowerCase()));
  for (const g of [...(s.groups ?? []), ...(units as unknown as GraphGroup[])]) {
    const edited = edits.get(g.id.toLowerCase());
    if (!isDynamicGroup(g) && !edited && !unitIds.has(g.id.toLowerCase())) continue;
    const parsed = parseRule(edited ? edited.text : g.membershipRule!);
    const compiled = compileRule(parsed, evalOptions);
    if (!compiled.ok) {
      const first = compiled.issues.find((i) => i.severity === 'error');
      notes.push(l10n.t('group "{0}": its rule has errors ({1}) and is left out', nameOf(g), first ? first.code : 'no rule'));
      continue;
    }
    const frozen = memberOfRetired(now) && isMemberOfRule(parsed) ? 'memberOfRetired' as const
      : lower(g['membershipRuleProcessingState']) === 'paused' ? 'paused' as const : undefined;
    const current = edited && !Array.isArray(g.members) && typeof g.membershipRule === 'string' ? parseRule(g.membershipRule!) : undefined;
    plans.push({ group: g, parsed, compiled, object: compiled.rule.object, ...(edited ? { edited } : {}), ...(frozen ? { frozen } : {}), ...(current?.expr ? { current } : {}) });
  }
  const frozenNames = (why: GroupPlan['frozen']): string => plans.filter((p) => p.frozen === why).map((p) => nameOf(p.group)).join(', ');
  if (plans.some((p) => p.frozen === 'memberOfRetired')) notes.push(l10n.t('memberOf rules stopped updating on 3 November 2026: {0} keep their last known members; nobody joins them, and only a deleted user leaves them.', frozenNames('memberOfRetired')));
  if (plans.some((p) => p.frozen === 'paused')) notes.push(l10n.t('Rule processing is paused for {0}: they keep their members; nobody joins them, and only a deleted user leaves them.', frozenNames('paused')));

  // The users: those the changes touch, then those an edited rule adds or removes.
  const users: ChangedUser[] = [...changes.users];
  const index = new Map<string, number>();
  users.forEach((u, i) => index.set(u.id.toLowerCase(), i));
  for (const p of plans) {
    if (!p.edited || p.frozen || p.object !== 'user') continue;
    const bits = evaluateColumnar(p.parsed.expr!, table, evalOptions);
    const before = Array.isArray(p.group.members) ? memberRows(p.group, table).bits : p.current ? evaluateColumnar(p.current.expr!, table, evalOptions).t : new Uint32Array(bits.t.length);
    for (let w = 0; w < bits.t.length; w++) {
      let x = (bits.t[w]! ^ before[w]!) & ~bits.u[w]!;
      while (x !== 0) {
        const low = x & -x;
        x ^= low;
        const row = (w << 5) + (31 - Math.clz32(low));
        const id = table.id(row);
        if (index.has(id.toLowerCase())) continue;
        index.set(id.toLowerCase(), users.length);
        users.push({ id, change: 'unchanged', row, after: table.objectAt(row) as Record<string, unknown>, changed: [] });
      }
    }
  }

  // The users after the changes, as a table of their own; before, as the snapshot has them.
  const afterRow = new Int32Array(users.length).fill(-1);
  const afterObjects: GraphObject[] = [];
  users.forEach((u, i) => {
    if (u.after) { afterRow[i] = afterObjects.length; afterObjects.push(u.after as GraphObject); }
  });
  const after = buildTable('user', afterObjects, { keepObjects: true }).table;
  let beforeTable: { table: Table; rowOf: Int32Array } | undefined;
  const beforeTableOf = (): { table: Table; rowOf: Int32Array } => {
    if (beforeTable) return beforeTable;
    const rowOf = new Int32Array(users.length).fill(-1);
    const objects: GraphObject[] = [];
    users.forEach((u, i) => { if (u.row >= 0) { rowOf[i] = objects.length; objects.push(table.objectAt(u.row)); } });
    return (beforeTable = { table: buildTable('user', objects, { keepObjects: true }).table, rowOf });
  };
  const bit = (bits: Uint32Array, row: number): boolean => row >= 0 && (bits[row >>> 5]! & (1 << (row & 31))) !== 0;

  // Members today among the users of the report, from the groups' `members` lists (the truth a
  // snapshot holds; a user's memberOf may list fewer), in the order each list gives them (ids
  // match in any case). One pass over the lists of the groups evaluated looks for the users of the
  // report only, not up every member of every group.
  const listedGroups = plans.filter((p) => Array.isArray(p.group.members)).map((p) => p.group);
  const planOf = new Map<GraphGroup, number>();
  plans.forEach((p, k) => { if (Array.isArray(p.group.members)) planOf.set(p.group, k); });
  const present = users.flatMap((u, i) => (u.row >= 0 ? [i] : []));
  const listed: { place: number; user: number }[][] = [];
  findListings(listedGroups, present.map((i) => table.id(users[i]!.row)), (gi, place, which) => {
    (listed[planOf.get(listedGroups[gi]!)!] ??= []).push({ place, user: present[which]! });
  });
  const affectedMembers = new Map<string, number[]>();
  listed.forEach((l, k) => {
    if (l) affectedMembers.set(plans[k]!.group.id.toLowerCase(), l.sort((a, b) => a.place - b.place).map((x) => x.user));
  });
  const userOfAfterRow = new Int32Array(afterObjects.length);
  afterRow.forEach((r, i) => { if (r >= 0) userOfAfterRow[r] = i; });
  const candidates = new AfterIndex(after);

  // Per user: the groups joined and left.
  const joined: GraphGroup[][] = users.map(() => []);
  const left: GraphGroup[][] = users.map(() => []);
  const groups: WhatIfGroup[] = [];
  const missingMembers: string[] = [];
  // Per-group marks without clearing: the plan's number when set.
  const wasMark = new Int32Array(users.length).fill(-1);
  const isMark = new Int32Array(users.length).fill(-1);
  plans.forEach((p, gi) => {
    const g = p.group;
    const licenses = groupLicenses(s, g).map((l) => l.skuId);
    const listed = Array.isArray(g.members);
    const entry = { id: g.id, displayName: typeof g.displayName === 'string' ? g.displayName : null, kind: unitIds.has(g.id.toLowerCase()) ? 'administrativeUnit' as const : 'group' as const, type: p.object, ...(p.frozen ? { frozen: p.frozen } : {}), ...(p.edited ? { ruleFile: p.edited.file } : {}), licenses };
    if (p.object === 'device') {
      groups.push({ ...entry, ...deviceGroup(s, p, evalOptions) });
      return;
    }
    let was: number[];
    if (listed) was = affectedMembers.get(g.id.toLowerCase()) ?? [];
    else {
      missingMembers.push(nameOf(g));
      was = [];
      const rule = p.current ?? (p.edited ? undefined : p.parsed);
      if (rule?.expr) {
        const bt = beforeTableOf();
        const t = evaluateColumnar(rule.expr, bt.table, evalOptions).t;
        users.forEach((_, i) => { if (bit(t, bt.rowOf[i]!)) was.push(i); });
      }
    }
    // A member listed twice counts once.
    was = was.filter((i) => (wasMark[i] === gi ? false : ((wasMark[i] = gi), true)));
    const added: string[] = [];
    const removed: string[] = [];
    const unknown: string[] = [];
    if (!p.frozen) {
      const { t, u } = selectAfter(p, after, candidates, evalOptions);
      for (const r of u) {
        const i = userOfAfterRow[r]!;
        if (users[i]!.change === 'unchanged' && !p.edited) continue;
        isMark[i] = gi;
        unknown.push(users[i]!.id);
      }
      for (const r of t) {
        const i = userOfAfterRow[r]!;
        if (users[i]!.change === 'unchanged' && !p.edited) continue;
        isMark[i] = gi;
        if (wasMark[i] !== gi) { added.push(users[i]!.id); joined[i]!.push(g); }
      }
    }
    for (const i of was) {
      const u = users[i]!;
      const stays = u.after !== undefined && (p.frozen !== undefined || (u.change === 'unchanged' && !p.edited) || isMark[i] === gi);
      if (!stays) { removed.push(u.id); left[i]!.push(g); }
    }
    const before = listed ? g.members!.length : null;
    groups.push({ ...entry, before, after: before === null ? null : before + added.length - removed.length, added, removed, unknown });
  });
  const undecided = groups.filter((g) => g.unknown.length);
  if (undecided.length) notes.push(l10n.t('{0} cannot be decided for some users (the data a rule reads is missing): they are left as they are ({1})', undecided.map((g) => printable(g.displayName ?? g.id, 100)).join(', '), undecided.map((g) => g.unknown.length).join(', ')));
  if (missingMembers.length) notes.push(l10n.t('{0} groups have no "members" list ({1}): their members today are taken to be whom their rule selects, and their counts are unknown', missingMembers.length, missingMembers.slice(0, 5).join(', ') + (missingMembers.length > 5 ? ', …' : '')));

  // Licenses.
  const licensing = new Map<GraphGroup, { licenses: GroupLicense[]; check: NewMemberCheck }>();
  const defaultLocation = typeof s.meta?.['countryLetterCode'] === 'string' ? s.meta['countryLetterCode'] : undefined;
  const planCache = new Map<string, string[]>();
  const licensesOf = (g: GraphGroup): { licenses: GroupLicense[]; check: NewMemberCheck } | undefined => {
    if (licensing.has(g)) return licensing.get(g);
    const licenses = groupLicenses(s, g);
    const v = licenses.length && !licensingGroupIssue(g)
      ? { licenses, check: new NewMemberCheck({ snapshot: s, table: after, licenses, defaultLocation, catalogue: options.catalogue }, planCache) }
      : undefined;
    licensing.set(g, v!);
    return v;
  };
  for (const g of s.groups ?? []) if (licensingGroupIssue(g) && groupLicenses(s, g).length && plans.some((p) => p.group === g)) {
    notes.push(l10n.t('group "{0}" has licenses but is not security-enabled: it assigns none', nameOf(g)));
  }
  const errors: WhatIfError[] = [];
  const skuGained = new Map<string, number>();
  const skuLost = new Map<string, number>();
  const outUsers: WhatIfUser[] = users.map((u, i) => {
    const gained: string[] = [];
    const lost: string[] = [];
    const licences = u.row >= 0 ? table.licences(u.row) : undefined;
    const leaving = new Set(left[i]!.map((g) => g.id.toLowerCase()));
    // SKUs held today, and those whose every source is a group the user leaves.
    const held = licences ? [...heldSkus(licences)] : [];
    const holdings = new Map(held.map((sku) => [sku, holding(licences!, sku)]));
    const keepsOtherwise = (sku: string): boolean => {
      const h = holdings.get(sku);
      return !!u.after && !!h && (h.direct || h.unknownSource || h.groups.some((g) => !leaving.has(g)));
    };
    const going = held.filter((sku) => !keepsOtherwise(sku));
    // The products each joined group assigns, unless one of them fails (all or nothing).
    const joinedSkus = new Set<string>();
    if (u.after) {
      // The plans the products of groups joined in this change enable, and which group enables each.
      const granted = new Map<string, string>();
      for (const g of joined[i]!) {
        const lic = licensesOf(g);
        if (!lic) continue;
        const row = afterRow[i]!;
        // Plans of products the user loses in the same change conflict with nothing.
        let has = going.length ? keptPlans(lic.check, row, going, held.filter((x) => !going.includes(x))) : undefined;
        if (granted.size) has = new Set([...(has ?? lic.check.held.of(row)), ...granted.keys()]);
        const failures = lic.check.failures(u.id, row, has);
        if (failures.length) {
          errors.push(...failures.map((f) => {
            const alongside = f.conflict ? granted.get(f.conflict.with) : undefined;
            return { ...f, group: g.id, ...(alongside ? { alongside } : {}) };
          }));
        } else {
          for (const l of lic.licenses) joinedSkus.add(l.skuId.toLowerCase());
          for (const plans of lic.check.enabled) for (const p of plans) if (!granted.has(p)) granted.set(p, g.id);
        }
      }
    }
    for (const sku of new Set([...held, ...joinedSkus])) {
      const had = holdings.has(sku);
      const keeps = keepsOtherwise(sku) || (!!u.after && joinedSkus.has(sku));
      if (!had && keeps) { gained.push(sku); skuGained.set(sku, (skuGained.get(sku) ?? 0) + 1); }
      else if (had && !keeps) { lost.push(sku); skuLost.set(sku, (skuLost.get(sku) ?? 0) + 1); }
    }
    const upn = u.after?.['userPrincipalName'] ?? (u.row >= 0 ? table.value('userPrincipalName', u.row) : undefined);
    const display = u.after?.['displayName'] ?? (u.row >= 0 ? table.value('displayName', u.row) : undefined);
    return {
      user: u.id, change: u.change,
      userPrincipalName: typeof upn === 'string' ? upn : null,
      displayName: typeof display === 'string' ? display : null,
      accountEnabled: typeof u.after?.['accountEnabled'] === 'boolean' ? u.after['accountEnabled'] : null,
      properties: u.changed, ...(u.implied ? { implied: u.implied } : {}),
      joined: joined[i]!.map((g) => g.id), left: left[i]!.map((g) => g.id),
      gained: gained.map((x) => canonicalSku(s, x)), lost: lost.map((x) => canonicalSku(s, x)),
    };
  });

  const skuIds = [...new Set([...skuGained.keys(), ...skuLost.keys()])];
  const licenses: WhatIfSku[] = skuIds.map((k) => {
    const t = findTenantSku(s, k);
    const seats = seatsOf(t);
    const available = seats ? seats.available : null;
    const gained = skuGained.get(k) ?? 0;
    const lostN = skuLost.get(k) ?? 0;
    return {
      skuId: canonicalSku(s, k), skuPartNumber: t?.skuPartNumber ?? options.catalogue?.findSku(k)?.skuPartNumber ?? null,
      gained, lost: lostN, available, ...seatFigures(gained, lostN, available),
    };
  }).sort((a, b) => (a.skuPartNumber ?? a.skuId).localeCompare(b.skuPartNumber ?? b.skuId));
  if (licenses.length && !s.skus) notes.push(l10n.t('without subscribedSkus.json the seats available are unknown'));
  if (errors.some((e) => e.reason === 'NoUsageLocation')) {
    notes.push(l10n.t("Entra gives group-licensed users without a usageLocation the tenant's default location; this snapshot does not record it (snapshot.json countryLetterCode), so they are listed as NoUsageLocation."));
  }

  const p1 = p1Figures(s, table, users, joined, left);

  const changed = groups.filter((g) => g.added.length || g.removed.length);
  const count = (k: ChangeKind): number => users.filter((u) => u.change === k).length;
  const summary: WhatIfSummary = {
    newUsers: count('new'), changedUsers: count('changed'), deletedUsers: count('deleted'), unchangedUsers: count('unchanged'),
    groupsChanged: changed.length, dynamicGroups: groups.filter((g) => g.kind === 'group').length, dynamicUnits: groups.filter((g) => g.kind === 'administrativeUnit').length,
    joins: groups.reduce((n, g) => n + g.added.length, 0), leaves: groups.reduce((n, g) => n + g.removed.length, 0),
    seatsShort: licenses.some((l) => l.shortfall === null) ? null : licenses.reduce((n, l) => n + (l.shortfall ?? 0), 0),
    errors: errors.length,
  };
  return { users: outUsers, groups, licenses, errors, summary, p1, notes };
}

/**
 * Entra ID P1 (docs/semantics.md): who is in a dynamic group or unit today, from one source for
 * the tenant and for each user — the users' `memberOf` for groups (as the snapshot has it, or as
 * the loader derived it from the groups' lists) and the dynamic units' own member lists (a user's
 * `memberOf` does not name units in every snapshot) — then, per user of the report, whether they
 * still are after: a group left is taken off, a group joined (an edited rule's too) put on.
 */
function p1Figures(s: Snapshot, table: Table, users: readonly ChangedUser[], joined: readonly GraphGroup[][], left: readonly GraphGroup[][]): WhatIfP1 {
  const { dynamicGroups, today, units } = p1Today(s, table);
  const has = (bits: Uint32Array, row: number): boolean => row >= 0 && (bits[row >>> 5]! & (1 << (row & 31))) !== 0;
  const memberOf = table.collections.get('memberOf');
  let delta = 0;
  users.forEach((u, i) => {
    const ids = new Set<string>();
    if (u.row >= 0) {
      const raw = memberOf?.rawOf(u.row);
      for (const g of Array.isArray(raw) ? raw : []) if (typeof g === 'string' && dynamicGroups.has(g.toLowerCase())) ids.add(g.toLowerCase());
      for (const unit of units) if (has(unit.bits, u.row)) ids.add(unit.id);
    }
    for (const g of left[i]!) ids.delete(g.id.toLowerCase());
    const after = u.after !== undefined && (ids.size > 0 || joined[i]!.length > 0);
    delta += Number(after) - Number(has(today, u.row));
  });
  const before = popcountAnd(today, today);
  const owned = p1Seats(s);
  const after = before + delta;
  return { owned, before, after, shortfall: owned === null ? null : Math.max(0, after - owned) };
}

interface P1Today {
  readonly dynamicGroups: ReadonlySet<string>;
  /** Rows in a dynamic group (by memberOf) or unit (by its list) today. */
  readonly today: Uint32Array;
  readonly units: readonly { readonly id: string; readonly bits: Uint32Array }[];
}

const p1Cache = new WeakMap<Table, { readonly snapshot: Snapshot; readonly value: P1Today }>();

/** Who needs Entra ID P1 today: computed once per loaded snapshot (each what-if reads it). */
function p1Today(s: Snapshot, table: Table): P1Today {
  const hit = p1Cache.get(table);
  if (hit?.snapshot === s) return hit.value;
  const dynamicGroups = new Set((s.groups ?? []).filter(isDynamicGroup).map((g) => g.id.toLowerCase()));
  const today = rowsInAny(table, dynamicGroups);
  const units = (s.administrativeUnits ?? []).filter((u) => lower(u.membershipType) === 'dynamic' && Array.isArray(u.members))
    .map((u) => ({ id: u.id.toLowerCase(), bits: memberRows(u as unknown as GraphGroup, table, false).bits }));
  for (const u of units) for (let w = 0; w < today.length; w++) today[w]! |= u.bits[w]!;
  const value = { dynamicGroups, today, units };
  p1Cache.set(table, { snapshot: s, value });
  return value;
}

/** The plans a user holds today less those only the SKUs they lose enable. */
function keptPlans(check: NewMemberCheck, row: number, going: readonly string[], kept: readonly string[]): Set<string> {
  const gone = new Set(going.flatMap((sku) => check.held.plans(sku)));
  const stay = new Set(kept.flatMap((sku) => check.held.plans(sku)));
  return new Set([...check.held.of(row)].filter((p) => !gone.has(p) || stay.has(p)));
}

/** The SKU id as the tenant writes it (lower-cased ids are matched, the tenant's spelling shown). */
function canonicalSku(s: Snapshot, lowerId: string): string {
  return findTenantSku(s, lowerId)?.skuId ?? lowerId;
}

/** A device group: devices do not change with people; an edited rule runs over every device. */
function deviceGroup(s: Snapshot, p: GroupPlan, evalOptions: { now?: number }): Pick<WhatIfGroup, 'before' | 'after' | 'added' | 'removed' | 'unknown'> {
  const listed = Array.isArray(p.group.members);
  const before = listed ? p.group.members!.filter((m) => typeof m === 'string').length : null;
  const devices = s.tables.devices;
  if (!p.edited || p.frozen || !devices) return { before, after: before, added: [], removed: [], unknown: [] };
  const bits = evaluateColumnar(p.parsed.expr!, devices, evalOptions);
  const was = listed ? memberRows(p.group, devices).bits : new Uint32Array(bits.t.length);
  const added: string[] = [];
  const removed: string[] = [];
  const unknown: string[] = [];
  for (let r = 0; r < devices.rows; r++) {
    const m = (was[r >>> 5]! & (1 << (r & 31))) !== 0;
    const t = (bits.t[r >>> 5]! & (1 << (r & 31))) !== 0;
    const u = (bits.u[r >>> 5]! & (1 << (r & 31))) !== 0;
    if (u) unknown.push(devices.id(r));
    else if (t && !m) added.push(devices.id(r));
    else if (m && !t) removed.push(devices.id(r));
  }
  return { before, after: before === null ? null : before + added.length - removed.length, added, removed, unknown };
}

/**
 * The rows of the after table a rule selects (`t`) and cannot decide (`u`). A rule whose top-level
 * `-and` holds `user.<string property> -eq "<value>"` can select only rows with that value (or
 * without one the engine can compare): those few rows run through the compiled rule, the others
 * are false. Any other rule runs on the columnar engine over the whole (small) table.
 */
function selectAfter(p: GroupPlan, after: Table, index: AfterIndex, evalOptions: { now?: number }): { t: number[]; u: number[] } {
  // Every equality narrows the rows: a row must pass each of them.
  let rows: number[] | undefined;
  for (const a of anchorsOf(p.parsed.expr!)) {
    const c = index.candidates(a.graph, a.value);
    if (!c) continue;
    rows = rows ? intersect(rows, c) : c;
    if (rows.length === 0) break;
  }
  const t: number[] = [];
  const u: number[] = [];
  const rule = rows ? (p.compiled ??= compileRule(p.parsed, evalOptions)) : undefined;
  if (rows && rule?.ok) {
    for (const r of rows) {
      const v = rule.rule.evaluate(after.objectAt(r));
      if (v === true) t.push(r);
      else if (v === 'unknown') u.push(r);
    }
    return { t, u };
  }
  const bits = evaluateColumnar(p.parsed.expr!, after, evalOptions);
  for (let w = 0; w < bits.t.length; w++) {
    let x = bits.t[w]! | bits.u[w]!;
    while (x !== 0) {
      const low = x & -x;
      x ^= low;
      const r = (w << 5) + (31 - Math.clz32(low));
      if (bits.u[w]! & low) u.push(r); else t.push(r);
    }
  }
  return { t, u };
}

/** The rows in both sorted lists. */
function intersect(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else { out.push(a[i]!); i++; j++; }
  }
  return out;
}

/** Each `user.<scalar string property> -eq "<value>"` among the operands of the rule's top-level `-and`. */
function anchorsOf(expr: Expr): { graph: string; value: string }[] {
  const top = unparen(expr);
  const out: { graph: string; value: string }[] = [];
  for (const operand of top.kind === 'and' ? top.operands : [top]) {
    const e = unparen(operand);
    if (e.kind !== 'compare' || e.op.name !== 'eq' || e.value.kind !== 'string' || e.left.object.toLowerCase() !== 'user') continue;
    const def = findProperty('user', e.left.name);
    if (!def || def.type !== 'string' || def.graph.startsWith('first:')) continue;
    out.push({ graph: def.graph, value: e.value.value.toLowerCase() });
  }
  return out;
}

/** Rows of the after table by the lower-cased value of a string column, built once per column. */
class AfterIndex {
  private readonly byColumn = new Map<string, { byValue: Map<string, number[]>; other: number[] } | undefined>();
  constructor(private readonly table: Table) {}

  /** Rows whose value is `value` (any case) or is not a string or null (missing: the rule decides), in order. */
  candidates(graph: string, value: string): number[] | undefined {
    if (!this.byColumn.has(graph)) this.byColumn.set(graph, this.build(graph));
    const c = this.byColumn.get(graph);
    if (!c) return undefined;
    const hit = c.byValue.get(value) ?? [];
    return c.other.length ? [...hit, ...c.other].sort((a, b) => a - b) : hit;
  }

  private build(graph: string): { byValue: Map<string, number[]>; other: number[] } | undefined {
    const col = this.table.scalars.get(graph);
    if (!col) return undefined;
    const keys: (string | null | undefined)[] = [];
    for (let e = 0; e < col.dict.size; e++) {
      const raw = col.dict.raw(e);
      keys.push(typeof raw === 'string' ? raw.toLowerCase() : raw === null ? null : undefined);
    }
    const byValue = new Map<string, number[]>();
    const other: number[] = [];
    for (let r = 0; r < this.table.rows; r++) {
      const k = keys[col.ids[r]!];
      if (k === null) continue;
      if (k === undefined) { other.push(r); continue; }
      const list = byValue.get(k);
      if (list) list.push(r); else byValue.set(k, [r]);
    }
    return { byValue, other };
  }
}
