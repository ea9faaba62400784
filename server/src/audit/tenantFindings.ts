/**
 * What only the tenant as a whole shows: the dynamic group limits, Entra ID P1 seats for the
 * users in dynamic groups, users who receive one SKU from several groups, the costliest rules.
 */
import type { Table } from '../../../grammar/engine/src/index';
import { l10n } from '../../../grammar/src/index';
import { findSku } from '../../../grammar/src/licensing';
import { printable } from '../printable';
import { memberRows } from '../tenant/queries';
import type { Snapshot } from '../tenant/snapshot';
import type { DynamicObject } from './dynamic';
import { AUDIT_CODES } from './codes';
import type { AuditFinding, AuditGroup, Severity } from './types';

/** From this share of a limit on, the audit warns. */
export const LIMIT_WARNING_SHARE = 0.8;
/** How many of the costliest rules the audit names. */
export const COSTLY_RULES = 5;

/** What the audit keeps of each group for the tenant-wide findings. */
export interface Evaluated {
  readonly object: DynamicObject;
  readonly entry: AuditGroup;
  /** The users the group holds now: its member list, or what the rule selects when the snapshot lists none (dropped once counted). */
  readonly userBits: Uint32Array | undefined;
  readonly memberOf: boolean;
}

export const DYNAMIC_LIMIT = 15_000;
export const MEMBER_OF_LIMIT = 500;

/** Entra ID P1 seats: the enabled units of every subscription that includes AAD_PREMIUM or AAD_PREMIUM_P2; null when unknown. */
export function p1Seats(s: Snapshot): number | null {
  if (!s.skus) return null;
  let seats = 0;
  for (const sku of s.skus) {
    const plans = Array.isArray(sku['servicePlans']) ? (sku['servicePlans'] as { servicePlanName?: unknown }[]) : [];
    if (!plans.some((p) => p.servicePlanName === 'AAD_PREMIUM' || p.servicePlanName === 'AAD_PREMIUM_P2')) continue;
    const enabled = sku.prepaidUnits?.enabled;
    if (typeof enabled === 'number' && Number.isFinite(enabled)) seats += enabled;
  }
  return seats;
}

export function popcountAnd(a: Uint32Array, b: Uint32Array): number {
  let n = 0;
  for (let w = 0; w < a.length; w++) {
    let x = a[w]! & b[w]!;
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    n += (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return n;
}

const n = (x: number): string => l10n.formatNumber(x);

function limitFinding(count: number, limit: number, memberOf: boolean): AuditFinding | undefined {
  const severity: Severity | undefined = count >= limit ? 'error' : count >= limit * LIMIT_WARNING_SHARE ? 'warning' : undefined;
  if (!severity) return undefined;
  return {
    code: AUDIT_CODES.dynamicGroupLimit.code, severity,
    message: count >= limit
      ? memberOf
        ? l10n.t('{0} memberOf groups reach the tenant\'s limit of {1}: no more can be created.', n(count), n(limit))
        : l10n.t('{0} dynamic groups and dynamic administrative units reach the tenant\'s limit of {1}: no more can be created.', n(count), n(limit))
      : memberOf
        ? l10n.t('{0} memberOf groups of the tenant\'s limit of {1} ({2}%).', n(count), n(limit), Math.floor((count / limit) * 100))
        : l10n.t('{0} dynamic groups and dynamic administrative units of the tenant\'s limit of {1} ({2}%).', n(count), n(limit), Math.floor((count / limit) * 100)),
  };
}

/** `people`: the unique users in dynamic groups and units. */
export function tenantFindings(s: Snapshot, evaluated: readonly Evaluated[], users: Table | undefined, people: number): AuditFinding[] {
  const out: AuditFinding[] = [];
  const dynamic = limitFinding(evaluated.length, DYNAMIC_LIMIT, false);
  if (dynamic) out.push(dynamic);
  const memberOf = limitFinding(evaluated.filter((e) => e.memberOf).length, MEMBER_OF_LIMIT, true);
  if (memberOf) out.push(memberOf);

  const seats = p1Seats(s);
  if (seats !== null && evaluated.length > 0) {
    out.push(people > seats
      ? { code: AUDIT_CODES.p1Seats.code, severity: 'error', message: l10n.t('{0} users are in dynamic groups or administrative units, and the tenant owns {1} Entra ID P1 (or P2) licenses: {2} short.', n(people), n(seats), n(people - seats)) }
      : { code: AUDIT_CODES.p1Seats.code, severity: 'info', message: l10n.t('{0} users are in dynamic groups or administrative units; the tenant owns {1} Entra ID P1 (or P2) licenses.', n(people), n(seats)) });
  }

  if (users) out.push(...severalSources(s, users));

  const costly = evaluated.filter((e) => e.entry.cost > 0).sort((a, b) => b.entry.cost - a.entry.cost || a.entry.displayName.localeCompare(b.entry.displayName, 'en')).slice(0, COSTLY_RULES);
  if (costly.length > 0) {
    out.push({
      code: AUDIT_CODES.costlyRules.code, severity: 'info',
      message: l10n.t('The rules that cost the most to process: {0}. Prefer -eq, -in and -startsWith to -match and -contains.', costly.map((e) => `"${printable(e.entry.displayName, 60)}" (${e.entry.cost})`).join(', ')),
      ids: costly.map((e) => e.entry.id),
    });
  }
  return out;
}

/** Per SKU, the users who are members of more than one group that assigns it (any group, dynamic or not). */
function severalSources(s: Snapshot, users: Table): AuditFinding[] {
  const bySku = new Map<string, { counts: Uint8Array; groups: Set<string> }>();
  for (const g of s.groups ?? []) {
    if (!g || !Array.isArray(g.assignedLicenses) || g.assignedLicenses.length === 0 || !Array.isArray(g.members)) continue;
    const rows = memberRows(g, users, false).bits;
    for (const l of g.assignedLicenses) {
      if (typeof l?.skuId !== 'string') continue;
      const key = l.skuId.toLowerCase();
      let entry = bySku.get(key);
      if (!entry) bySku.set(key, (entry = { counts: new Uint8Array(users.rows), groups: new Set() }));
      if (entry.groups.has(g.id)) continue;
      entry.groups.add(g.id);
      const counts = entry.counts;
      for (let w = 0; w < rows.length; w++) {
        let bits = rows[w]!;
        while (bits !== 0) {
          const low = bits & -bits;
          const r = (w << 5) + 31 - Math.clz32(low);
          if (counts[r]! < 255) counts[r]!++;
          bits ^= low;
        }
      }
    }
  }
  const out: AuditFinding[] = [];
  for (const [skuId, { counts }] of [...bySku].sort(([a], [b]) => a.localeCompare(b))) {
    const ids: string[] = [];
    for (let r = 0; r < counts.length; r++) if (counts[r]! > 1) ids.push(users.id(r));
    if (ids.length === 0) continue;
    const tenantSku = s.skus?.find((k) => k.skuId.toLowerCase() === skuId);
    const sku = tenantSku?.skuPartNumber ?? findSku(skuId)?.skuPartNumber ?? skuId;
    out.push({
      code: AUDIT_CODES.skuFromSeveralGroups.code, severity: 'info', ids,
      message: ids.length === 1
        ? l10n.t('1 user receives {0} from more than one group: one seat each, but leaving one of the groups does not take it away.', printable(sku, 60))
        : l10n.t('{0} users receive {1} from more than one group: one seat each, but leaving one of the groups does not take it away.', n(ids.length), printable(sku, 60)),
    });
  }
  return out;
}
