/**
 * The preview: for a rule and its group, who joins, who leaves, who cannot be decided, and which
 * licenses move — with seats available, the shortfall, and the errors and warnings an admin needs
 * before saving the rule (docs/semantics.md, Group-based licensing).
 */
import {
  findServicePlan, l10n, referenceIssues, unmetPrerequisites, walkExpr, type LicenseSpec, type ParsedRule,
} from '../../../grammar/src/index';
import {
  compileRule, evaluateColumnar, interpret, refusedPattern, refusedPatterns, toGraphDetails, type CompiledRule, type ExpressionEvaluationDetails,
} from '../../../grammar/engine/src/index';
import type { GraphGroup, Snapshot } from '../tenant/snapshot';
import { findTenantSku, groupLicenses, holdsOtherwise, holdsVia, licensingGroupIssue, RowLicences, seatFigures, seatsOf, type GroupLicense } from './licenses';
import { assignGroupLicenses, productPlans, type LicenseError, type PlansLost } from './assignment';
import { PreviewError } from './errors';
import { memberRows, tableOf } from '../tenant/queries';
import { printable } from '../tenant/jsonError';
import { resolveLicenseSpecs, type SkuCatalogue } from './skus';
import { frozenByRetirement, frozenMembers, frozenNote } from './memberOfFreeze';
import { snapshotFacts } from '../tenant/facts';

export { PreviewError };

export interface PreviewOptions {
  /** The group: object id or display name. Overrides the rule's `# @group`. */
  readonly group?: string;
  /** Licenses to preview instead of the rule file's `# @licenses` and the group's own (the CLI's `--licenses`). */
  readonly licenses?: readonly LicenseSpec[];
  /** `system.now`, in ms. */
  readonly now?: number;
  /** Warn when the change removes more than this share of the current members (default 0.1). */
  readonly removalWarningShare?: number;
  /** Include per-object explanations (Graph's expressionEvaluationDetails) for changed objects. */
  readonly explain?: boolean;
  /** Resolves SKU part numbers and plan names the tenant does not list. */
  readonly catalogue?: SkuCatalogue;
}

export interface SkuPreview {
  readonly skuId: string;
  readonly skuPartNumber: string | null;
  readonly disabledPlans: readonly string[];
  /** Added members who do not hold the SKU from another source. */
  readonly gained: string[];
  /** Removed members who hold the SKU only through this group. */
  readonly lost: string[];
  /** prepaidUnits.enabled − consumedUnits, or null without subscribedSkus. */
  readonly available: number | null;
  /** Seats the change takes: max(0, gained − lost). */
  readonly needed: number;
  /** Seats the change gives back: max(0, lost − gained). */
  readonly freed: number;
  /** Seats free after the change, or null when available is unknown. */
  readonly left: number | null;
  /** Members gaining the product who will find no seat (CountViolation; Entra picks which), or null when available is unknown. */
  readonly shortfall: number | null;
  /** Removed members who keep the product through another source that disables some of the plans this group enabled. */
  readonly plansLost: PlansLost[];
}

export interface PreviewIssue {
  readonly code: string;
  /** `error` for what Entra refuses outright; absent for a warning. */
  readonly severity?: 'error';
  readonly message: string;
  /** How many users it concerns, where Entra does not say which (a seat shortfall). */
  readonly count?: number;
  /** Ids of the users or devices concerned. */
  readonly objects?: readonly string[];
}

export interface PreviewResult {
  readonly type: 'user' | 'device';
  /** The group's object id, or null for a new group. */
  readonly group: string | null;
  readonly groupName: string | null;
  readonly before: number;
  readonly after: number;
  readonly added: string[];
  readonly removed: string[];
  /** Objects the rule cannot decide (data missing): never counted as added or removed. */
  readonly unknown: string[];
  readonly licenses: SkuPreview[];
  /** Failures whose user is certain (not CountViolation: Entra picks those users). */
  readonly errors: LicenseError[];
  readonly warnings: PreviewIssue[];
  /** What the snapshot lacks and what that means. */
  readonly notes: string[];
  /**
   * Whether the group's members stay as they are whatever the rule selects: a memberOf rule
   * from 3 November 2026, when such groups stopped updating (the notes say so).
   */
  readonly frozen: boolean;
  /** Object id → why it was added, removed or unknown (with `explain`). */
  readonly explanations?: Readonly<Record<string, ExpressionEvaluationDetails>>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Finds a group by object id or display name. */
export function findGroup(s: Snapshot, key: string): GraphGroup {
  if (!s.groups) throw new PreviewError(l10n.t('{0} has no groups.json: cannot find group "{1}"', s.name, key));
  const byId = s.groupById.get(key.toLowerCase());
  if (byId) return byId;
  const named = s.groups.filter((g) => typeof g.displayName === 'string' && g.displayName.toLowerCase() === key.toLowerCase());
  if (named.length === 1) return named[0]!;
  if (named.length > 1) throw new PreviewError(l10n.t('several groups are named "{0}" ({1}): use the object id', key, named.map((g) => g.id).join(', ')));
  throw new PreviewError(GUID.test(key) ? l10n.t('no group with id "{0}" in {1}', key, s.name) : l10n.t('no group named "{0}" in {1}', key, s.name));
}

const planName = (id: string): string => findServicePlan(id)?.servicePlanName ?? id;

/** servicePlanIds the rule tests inside assignedPlans conditions. */
function planIdsInRule(parsed: ParsedRule): Set<string> {
  const ids = new Set<string>();
  if (!parsed.expr) return ids;
  walkExpr(parsed.expr, (e) => {
    if (e.kind !== 'compare' || e.left.name.toLowerCase() !== 'serviceplanid') return;
    const v = e.value;
    const items = v.kind === 'array' ? v.items : [v];
    for (const it of items) if (it.kind === 'string') ids.add(it.value.toLowerCase());
  });
  return ids;
}

/** Runs the preview. Throws PreviewError for a rule that cannot run or a group that is not there. */
export function previewRule(s: Snapshot, parsed: ParsedRule, options: PreviewOptions = {}): PreviewResult {
  const compiled = compileRule(parsed, options.now !== undefined ? { now: options.now } : {});
  if (!compiled.ok) {
    const first = compiled.issues.find((i) => i.severity === 'error');
    throw new PreviewError(first ? l10n.t('the rule has errors ({0}: {1})', first.code, first.message) : l10n.t('there is no rule to preview'));
  }
  const rule: CompiledRule = compiled.rule;
  const objects = rule.object === 'user' ? s.users : s.devices;
  if (!objects) throw new PreviewError(rule.object === 'user' ? l10n.t('{0} has no users.json: user rules cannot be previewed', s.name) : l10n.t('{0} has no devices.json: device rules cannot be previewed', s.name));

  const groupKey = options.group ?? parsed.directives.find((d) => d.kind === 'group')?.value;
  const group = groupKey ? findGroup(s, groupKey) : undefined;
  const notes = [...s.notes];
  // A Direct Reports manager or memberOf group the tenant does not have: the rule selects nobody through it.
  const warnings: PreviewIssue[] = referenceIssues(parsed, snapshotFacts(s)).map((i) => ({ code: i.code, message: i.message }));

  // Evaluation runs over the snapshot's columns: every row at once.
  const table = tableOf(s, rule.object)!;

  // Members before: the group's members that exist in the snapshot.
  const byId = rule.object === 'user' ? s.userById : s.deviceById;
  let before: { readonly size: number; readonly bits: Uint32Array } = { size: 0, bits: new Uint32Array((table.rows + 31) >>> 5) };
  if (group) {
    if (!Array.isArray(group.members)) notes.push(l10n.t('group "{0}" has no "members" list: everyone the rule selects counts as added', printable(String(group.displayName ?? group.id), 100)));
    const members = memberRows(group, table);
    before = { size: members.count, bits: members.bits };
    const gone = members.gone;
    if (gone) {
      const users = rule.object === 'user';
      notes.push(gone === 1
        ? (users ? l10n.t("{0} current member is not in the snapshot's users and is left out", gone) : l10n.t("{0} current member is not in the snapshot's devices and is left out", gone))
        : (users ? l10n.t("{0} current members are not in the snapshot's users and are left out", gone) : l10n.t("{0} current members are not in the snapshot's devices and are left out", gone)));
    }
  }

  const added: string[] = [];
  const removed: string[] = [];
  const unknown: string[] = [];
  const addedRows: number[] = [];
  const removedRows: number[] = [];
  // A -match pattern whose time budget runs out gives unknown from then on: the notes say which.
  const budgetSpent: string[] = [];
  const frozen = frozenByRetirement(parsed, options.now);
  if (frozen) notes.push(frozenNote());
  const bits = frozen
    ? frozenMembers(before.bits, table.rows)
    : evaluateColumnar(parsed.expr!, table, { ...(options.now !== undefined ? { now: options.now } : {}), onRegexBudgetSpent: (p) => budgetSpent.push(p) });
  const after = bits.count('t');
  for (let w = 0; w < bits.t.length; w++) {
    const t = bits.t[w]!;
    const u = bits.u[w]!;
    const b = before.bits[w]!;
    // Rows that are added, unknown or removed, in snapshot order.
    let x = (t & ~b) | u | (b & ~t & ~u);
    while (x !== 0) {
      const low = x & -x;
      x ^= low;
      const row = (w << 5) + (31 - Math.clz32(low));
      if (t & low) { added.push(table.id(row)); addedRows.push(row); }
      else if (u & low) unknown.push(table.id(row));
      else { removed.push(table.id(row)); removedRows.push(row); }
    }
  }

  // A -match pattern the engine does not run gives unknown whatever the data: say so, not "lacks data".
  const refused = parsed.expr ? refusedPatterns(parsed.expr) : [];
  if (unknown.length) {
    const users = rule.object === 'user';
    const n = unknown.length;
    const message = refused.length
      ? (n === 1
        ? (users ? l10n.t('{0} user cannot be decided: a -match pattern of the rule is not run (see the notes), or the snapshot lacks data the rule reads. They are neither added nor removed.', 1) : l10n.t('{0} device cannot be decided: a -match pattern of the rule is not run (see the notes), or the snapshot lacks data the rule reads. They are neither added nor removed.', 1))
        : (users ? l10n.t('{0} users cannot be decided: a -match pattern of the rule is not run (see the notes), or the snapshot lacks data the rule reads. They are neither added nor removed.', n) : l10n.t('{0} devices cannot be decided: a -match pattern of the rule is not run (see the notes), or the snapshot lacks data the rule reads. They are neither added nor removed.', n)))
      : n === 1
        ? (users ? l10n.t('{0} user cannot be decided: the snapshot lacks data the rule reads. They are neither added nor removed.', 1) : l10n.t('{0} device cannot be decided: the snapshot lacks data the rule reads. They are neither added nor removed.', 1))
        : (users ? l10n.t('{0} users cannot be decided: the snapshot lacks data the rule reads. They are neither added nor removed.', n) : l10n.t('{0} devices cannot be decided: the snapshot lacks data the rule reads. They are neither added nor removed.', n));
    warnings.push({ code: 'unknown-members', message, objects: unknown });
  }
  const share = options.removalWarningShare ?? 0.1;
  if (before.size > 0 && removed.length / before.size > share) {
    warnings.push({ code: 'large-removal', message: l10n.t('The change removes {0} of {1} current members ({2}%).', removed.length, before.size, Math.round((removed.length / before.size) * 100)), objects: removed });
  }

  // Licenses.
  const licenses: GroupLicense[] = options.licenses
    ? resolveLicenseSpecs(s, options.licenses, options.catalogue, '--licenses')
    : (parsed.directives.some((d) => d.kind === 'licenses')
      ? resolveLicenseSpecs(s, parsed.directives.flatMap((d) => (d.kind === 'licenses' ? d.licenses : [])), options.catalogue)
      : groupLicenses(s, group));
  const skuResults: SkuPreview[] = [];
  const errors: PreviewResult['errors'] = [];
  if (licenses.length > 0 && rule.object === 'device') {
    warnings.push({ code: 'device-licenses', message: l10n.t("Licenses are assigned to users only: the group's licenses do not apply to devices.") });
  } else if (licenses.length > 0) {
    if (!s.skus) notes.push(l10n.t('without subscribedSkus.json the seats available are unknown'));
    const groupId = group?.id;
    const rows = new RowLicences(table);
    const defaultLocation = typeof s.meta?.['countryLetterCode'] === 'string' ? s.meta['countryLetterCode'] : undefined;
    const outcome = assignGroupLicenses({
      snapshot: s, table, rows, licenses, groupId, added, addedRows, removed, removedRows, defaultLocation, catalogue: options.catalogue,
    });
    errors.push(...outcome.errors);
    licenses.forEach((lic, n) => {
      const { gained, lost, plansLost } = outcome.products[n]!;
      const seats = seatsOf(findTenantSku(s, lic.skuId));
      const available = seats ? seats.available : null;
      skuResults.push({
        skuId: lic.skuId, skuPartNumber: lic.skuPartNumber ?? null, disabledPlans: lic.disabledPlans,
        gained, lost, available, ...seatFigures(gained.length, lost.length, available), plansLost,
      });
    });
    const short = skuResults.filter((l) => l.shortfall);
    for (const l of short) {
      // Entra picks which of the members gaining the product go short: say how many, name none.
      const name = l.skuPartNumber ?? l.skuId;
      const others = skuResults.filter((x) => x !== l).map((x) => x.skuPartNumber ?? x.skuId);
      const message = others.length
        ? l10n.t('{0} of the {1} members who would gain {2} will find no seat (CountViolation); Entra picks which. They get none of the group\'s other products ({3}) either.', l.shortfall!, l.gained.length, name, others.join(', '))
        : l10n.t('{0} of the {1} members who would gain {2} will find no seat (CountViolation); Entra picks which.', l.shortfall!, l.gained.length, name);
      warnings.push({ code: 'count-violation', message, count: l.shortfall! });
    }
    const notSecurity = licensingGroupIssue(group);
    if (notSecurity) warnings.unshift({ code: notSecurity.code, severity: 'error', message: notSecurity.message });
    for (const need of unmetPrerequisites(licenses.flatMap((l) => productPlans(s, l.skuId, options.catalogue).filter((p) => !l.disabledPlans.some((d) => d.toLowerCase() === p))))) {
      warnings.unshift({
        code: 'missing-prerequisite', severity: 'error',
        message: l10n.t('{0} needs one of {1} from the same group: Entra refuses to assign it through this group ({2}).', planName(need.plan), need.anyOf.map(planName).join(', '), need.source),
      });
    }
    const guests = added.filter((_, k) => String(table.value('userType', addedRows[k]!) ?? '').toLowerCase() === 'guest');
    if (guests.length) {
      warnings.push({ code: 'guests-licensed', message: guests.length === 1 ? l10n.t('{0} new member is a B2B guest: group-based licensing should not be used for groups that contain guests.', 1) : l10n.t('{0} new members are B2B guests: group-based licensing should not be used for groups that contain guests.', guests.length), objects: guests });
    }
    const groupId2 = group?.id;
    const bare = removed.filter((_, k) => {
      const row = removedRows[k]!;
      const held = rows.heldSkus(row);
      if (held.size === 0) return false;
      return [...held].every((sku) => {
        const h = rows.holding(row, sku);
        return holdsVia(h, groupId2) && !holdsOtherwise(h, groupId2);
      });
    });
    if (bare.length) {
      warnings.push({ code: 'no-license-left', message: bare.length === 1 ? l10n.t('{0} removed member would be left with no license at all.', 1) : l10n.t('{0} removed members would be left with no license at all.', bare.length), objects: bare });
    }
    const cascade = planIdsInRule(parsed);
    if (cascade.size && options.catalogue) {
      const assignedPlans = new Set(licenses.flatMap((l) => options.catalogue!.plansOf(l.skuId)).map((p) => p.toLowerCase()));
      const hits = [...cascade].filter((p) => assignedPlans.has(p));
      if (hits.length) {
        warnings.push({ code: 'license-cascade', message: l10n.t("The rule tests a service plan that this group's own licenses assign: membership can feed itself and churn (add → license → still a member after the license is removed elsewhere).") });
      }
    }
  }
  if (errors.some((e) => e.reason === 'NoUsageLocation')) {
    notes.push(l10n.t("Entra gives group-licensed users without a usageLocation the tenant's default location; this snapshot does not record it (snapshot.json countryLetterCode), so they are listed as NoUsageLocation."));
  }
  for (const r of refused) notes.push(refusedPattern(r.pattern, r.reason));

  for (const p of budgetSpent) notes.push(l10n.t('the -match pattern "{0}" ran out of its time budget: the results after that are unknown', p));

  const result: PreviewResult = {
    type: rule.object,
    group: group?.id ?? null,
    groupName: typeof group?.displayName === 'string' ? group.displayName : null,
    before: before.size,
    after,
    added, removed, unknown,
    licenses: skuResults, errors, warnings, notes, frozen,
  };
  if (options.explain && parsed.expr) {
    const explanations: Record<string, ExpressionEvaluationDetails> = {};
    const evalOptions = options.now !== undefined ? { now: options.now } : {};
    for (const id of [...added, ...removed, ...unknown]) {
      const o = byId.get(id.toLowerCase());
      if (o) explanations[id] = toGraphDetails(interpret(parsed.text, parsed.expr, o, evalOptions));
    }
    return { ...result, explanations };
  }
  return result;
}
