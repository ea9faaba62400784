/**
 * Completion of values: enum values from the catalogue, values seen in the tenant (by frequency),
 * service plan GUIDs with their names, group and manager ids, dates and durations; and of the
 * `# @group` / `# @licenses` directives.
 */
import { DOCS_URL, type PropertyDef } from '../catalogue';
import { durationMs } from '../evaluate/semantics';
import * as l10n from '../l10n';
import { findServicePlan, findSku, isGovernmentCloud, searchLicensing, servicePlansOf } from '../licensing';
import { escapeString, quoteString } from './common';
import type { Cursor } from './completionContext';
import { nameGuid, safe } from './guidNames';
import type { CompletionItem, CompletionKind, TenantData } from './types';

export interface Items {
  readonly items: CompletionItem[];
  readonly incomplete: boolean;
}

/** A string value to offer, before it is quoted for where the cursor is. */
interface Candidate {
  readonly value: string;
  readonly label?: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  readonly documentation?: string;
  readonly filter?: string;
}

/** At most this many tenant values, groups, managers or catalogue plans per list. */
const CAP = 100;
/** Catalogue plans per list: more typing narrows them (the list is incomplete), and each carries its products. */
const CATALOGUE_CAP = 50;

type ValueCursor = Extract<Cursor, { kind: 'value' }>;

const matches = (q: string, ...fields: (string | undefined)[]): boolean =>
  q === '' || fields.some((f) => f !== undefined && f.toLowerCase().includes(q));

/** Quotes a candidate for the cursor: inside a string, as an array item, in a new array, or alone. */
function insert(cur: ValueCursor | Extract<Cursor, { kind: 'manager' }>, value: string): string {
  if (cur.string) return escapeString(value, cur.string.quote) + cur.string.close;
  if (cur.kind === 'value' && cur.site === 'arrayItem') return quoteString(value, cur.arrayQuote ?? defaultQuote(cur));
  if (cur.kind === 'value' && (cur.op === 'in' || cur.op === 'notIn')) return `[${quoteString(value, defaultQuote(cur))}]`;
  return quoteString(value, '"');
}

/** memberOf ids are written in single quotes in Microsoft's docs; everything else in double. */
const defaultQuote = (cur: ValueCursor): '"' | "'" => (cur.target.def?.object === 'group' ? "'" : '"');

function toItem(cur: ValueCursor | Extract<Cursor, { kind: 'manager' }>, c: Candidate): CompletionItem {
  const text = insert(cur, c.value);
  return {
    label: c.label ?? c.value, kind: c.kind, insertText: text, replace: cur.replace,
    filterText: c.filter ?? c.value,
    ...(c.detail ? { detail: c.detail } : {}), ...(c.documentation ? { documentation: c.documentation } : {}),
  };
}

export function valueItems(cur: ValueCursor, data: TenantData | undefined): Items {
  const def = cur.target.def;
  const out: CompletionItem[] = [];
  const plain = (label: string, insertText: string, detail: string, kind: CompletionKind = 'value', snippet = false): void => {
    out.push({ label, kind, insertText, replace: cur.replace, detail, ...(snippet ? { snippet } : {}) });
  };
  if (cur.site === 'nowParen') {
    plain('system.now -plus P…D', 'system.now -plus P${1:14}D', l10n.t('now plus a duration'), 'snippet', true);
    plain('system.now -minus P…D', 'system.now -minus P${1:30}D', l10n.t('now minus a duration'), 'snippet', true);
    return { items: out, incomplete: false };
  }
  const bare = !cur.string && cur.site === 'bare';
  if (bare && (cur.op === 'in' || cur.op === 'notIn')) {
    const q = defaultQuote(cur);
    plain(`[${q}…${q}]`, `[${q}$1${q}]`, l10n.t('an array of values'), 'snippet', true);
  }
  if (bare && def?.type === 'bool') {
    plain('true', 'true', def.name === 'dirSyncEnabled' ? l10n.t('synced from on-premises') : l10n.t('yes'), 'keyword');
    plain('false', 'false', def.name === 'dirSyncEnabled' ? l10n.t('cloud-only (Graph null reads as false)') : l10n.t('no'), 'keyword');
  }
  if (bare && def?.type === 'datetime') {
    if (cur.op !== 'eq' && cur.op !== 'ne') {
      plain('system.now', 'system.now', l10n.t('the time the rule is evaluated'), 'keyword');
      plain('system.now -minus P…D', 'system.now -minus P${1:30}D', l10n.t('a moving window into the past'), 'snippet', true);
      plain('system.now -plus P…D', 'system.now -plus P${1:14}D', l10n.t('a moving window into the future'), 'snippet', true);
    }
    plain('2025-01-01T00:00:00Z', '${1:2025-01-01}T00:00:00Z', l10n.t('a date and time (UTC)'), 'snippet', true);
  }
  let incomplete = false;
  if (def?.type !== 'bool' && def?.type !== 'datetime') {
    const found = stringCandidates(cur, def, data);
    incomplete = found.incomplete;
    out.push(...found.candidates.map((c) => toItem(cur, c)));
  }
  if (bare && def?.type !== 'bool' && def?.type !== 'datetime' && cur.op !== 'in' && cur.op !== 'notIn') {
    plain('"…"', cur.op === 'match' || cur.op === 'notMatch' ? '"${1:^pattern}"' : '"$1"', cur.op === 'match' || cur.op === 'notMatch' ? l10n.t('a .NET regular expression') : l10n.t('a string'), 'snippet', true);
  }
  if (bare && (cur.op === 'eq' || cur.op === 'ne' || cur.op === undefined)) {
    plain('null', 'null', cur.op === 'ne' ? l10n.t('has a value') : l10n.t('has no value'), 'keyword');
  }
  return { items: out, incomplete };
}

function stringCandidates(cur: ValueCursor, def: PropertyDef | undefined, data: TenantData | undefined): { candidates: Candidate[]; incomplete: boolean } {
  const q = cur.prefix.replace(/^["'[]+/, '').toLowerCase();
  if (def?.object === 'assignedPlan' && def.name === 'servicePlanId') return servicePlans(q, data);
  if (def?.object === 'group' && def.name === 'objectId') {
    const groups = safe(() => data?.groups?.()).filter((g) => matches(q, g.displayName, g.id));
    return {
      candidates: groups.slice(0, CAP).map((g) => ({
        value: g.id, label: g.displayName, kind: 'guid' as const, filter: `${g.id} ${g.displayName}`,
        detail: `${g.memberCount !== undefined ? `${l10n.t('{0} members', g.memberCount)} · ` : ''}${g.id}`,
        ...(g.description ? { documentation: g.description } : {}),
      })),
      incomplete: true,
    };
  }
  if (!def) return { candidates: [], incomplete: false };
  // Catalogue values first in documentation order, tenant counts merged in; then tenant-only values by frequency.
  const byKey = new Map<string, { value: string; count: number; documented: boolean }>();
  for (const v of def.values ?? []) byKey.set(v.toLowerCase(), { value: v, count: 0, documented: true });
  const source = def.name === '_' || def.object === 'assignedPlan' ? cur.target.collection : def;
  const object = source?.object === 'user' || source?.object === 'device' ? source.object : undefined;
  const seen = object && source ? safe(() => data?.valuesOf?.(object, source.name)) : [];
  for (const { value, count } of seen) {
    const hit = byKey.get(value.toLowerCase());
    if (hit) hit.count += count;
    else byKey.set(value.toLowerCase(), { value, count, documented: false });
  }
  const all = [...byKey.values()].filter((v) => v.documented || matches(q, v.value));
  const ranked = [...all.filter((v) => v.count > 0).sort((a, b) => b.count - a.count), ...all.filter((v) => v.count === 0)];
  const candidates = ranked.slice(0, CAP).map((v): Candidate => {
    const guid = nameGuid(v.value, def.object === 'user' && def.name === 'objectId' ? 'user' : undefined, data);
    const counted = v.count > 0 ? countOf(v.count, object) : undefined;
    const detail = [guid?.label, counted ?? (v.documented ? (def.closedValues ? l10n.t('documented value') : l10n.t('example value')) : undefined)].filter(Boolean).join(' · ');
    return { value: v.value, kind: v.documented ? 'enumValue' : 'value', ...(detail ? { detail } : {}) };
  });
  return { candidates, incomplete: seen.length > 0 };
}

/** "3 users", "1 device", "2 objects". */
function countOf(n: number, object: 'user' | 'device' | undefined): string {
  if (object === 'user') return n === 1 ? l10n.t('{0} user', n) : l10n.t('{0} users', n);
  if (object === 'device') return n === 1 ? l10n.t('{0} device', n) : l10n.t('{0} devices', n);
  return n === 1 ? l10n.t('{0} object', n) : l10n.t('{0} objects', n);
}

/**
 * Service plans: the tenant's first, the most held first (with the SKU that brings them), then
 * Microsoft's catalogue — without government-cloud plans unless the tenant has some. The filter
 * text starts with the plan's name, so the editor's fuzzy match scores a typed name alike for the
 * tenant's plans and the catalogue's, and the order (sortText) decides between them.
 */
function servicePlans(q: string, data: TenantData | undefined): { candidates: Candidate[]; incomplete: boolean } {
  const out: Candidate[] = [];
  const ids = new Set<string>();
  const tenant = [...safe(() => data?.tenantServicePlans?.())].sort((a, b) => (b.users ?? 0) - (a.users ?? 0));
  const government = tenant.some((p) => isGovernmentCloud(p.name));
  for (const p of tenant) {
    const id = p.id.toLowerCase();
    const friendly = findServicePlan(id)?.friendlyName;
    if (ids.has(id) || !matches(q, p.id, p.name, friendly)) continue;
    ids.add(id);
    const held = p.users ? `${p.users === 1 ? l10n.t('{0} user', p.users) : l10n.t('{0} users', p.users)} · ` : '';
    out.push({ value: id, label: p.name, kind: 'guid', filter: `${p.name} ${friendly ?? ''} ${id}`, detail: `${friendly ? `${friendly} · ` : ''}${held}${l10n.t('in your {0}', findSku(p.sku)?.skuPartNumber ?? p.sku)}`, documentation: nameGuid(id, 'servicePlan', data)?.markdown ?? '' });
  }
  const fromCatalogue = searchLicensing(q, { kind: 'servicePlan', limit: Number.MAX_SAFE_INTEGER })
    .filter((m) => !ids.has(m.id) && (government || !isGovernmentCloud(m.name)));
  for (const m of fromCatalogue.slice(0, CATALOGUE_CAP)) {
    out.push({ value: m.id, label: m.name, kind: 'guid', filter: `${m.name} ${m.displayName} ${m.id}`, detail: m.displayName, documentation: nameGuid(m.id, 'servicePlan')?.markdown ?? '' });
  }
  return { candidates: out, incomplete: true };
}

export function managerItems(cur: Extract<Cursor, { kind: 'manager' }>, data: TenantData | undefined): Items {
  const q = cur.prefix.replace(/^"/, '').toLowerCase();
  const managers = safe(() => data?.managers?.()).filter((m) => matches(q, m.id, m.displayName, m.userPrincipalName));
  const items = managers.slice(0, CAP).map((m) => toItem(cur, {
    value: m.id, label: m.displayName, kind: 'guid', filter: `${m.id} ${m.displayName} ${m.userPrincipalName ?? ''}`,
    detail: `${m.reports === 1 ? l10n.t('{0} direct report', m.reports) : l10n.t('{0} direct reports', m.reports)}${m.userPrincipalName ? ` · ${m.userPrincipalName}` : ''}`,
  }));
  if (!cur.string && items.length === 0) items.push({ label: '"…"', kind: 'value', insertText: '"$1"', snippet: true, replace: cur.replace, detail: l10n.t("the manager's object id") });
  return { items, incomplete: true };
}

const DURATIONS = ['P1D', 'P7D', 'P14D', 'P30D', 'P60D', 'P90D', 'P180D', 'P365D', 'PT12H'];

export function durationItems(cur: Pick<Cursor, 'replace'>): CompletionItem[] {
  const items: CompletionItem[] = DURATIONS.map((d) => {
    const ms = durationMs(d);
    const days = ms / 86_400_000;
    return { label: d, kind: 'value', insertText: d, replace: cur.replace, detail: days >= 1 ? (days === 1 ? l10n.t('{0} day', days) : l10n.t('{0} days', days)) : l10n.t('{0} hours', ms / 3_600_000) };
  });
  items.push({ label: 'P…D', kind: 'snippet', insertText: 'P${1:30}D', snippet: true, replace: cur.replace, detail: l10n.t('a number of days (ISO 8601 duration)') });
  return items;
}

const DIRECTIVES = [
  { name: 'group', detail: l10n.mark('the existing group this rule is for'), doc: l10n.mark('Current members and the licenses the group assigns come from it: `# @group <object id | "display name">`.') },
  { name: 'administrativeUnit', detail: l10n.mark('the dynamic administrative unit this rule is for'), doc: l10n.mark('Current members come from it; administrative units assign no licenses: `# @administrativeUnit <object id | "display name">`.') },
  { name: 'licenses', detail: l10n.mark('licenses the group assigns'), doc: l10n.mark('SKU part numbers or ids, a SKU may disable plans: `# @licenses SPE_E3(-YAMMER_ENTERPRISE), EMS`.') },
];

export function directiveItems(cur: Extract<Cursor, { kind: 'directiveName' | 'groupDirective' | 'administrativeUnitDirective' | 'licensesDirective' }>, data: TenantData | undefined): Items {
  const { replace } = cur;
  const q = cur.prefix.replace(/^["']/, '').toLowerCase();
  if (cur.kind === 'directiveName') {
    return { items: DIRECTIVES.map((d) => ({ label: d.name, kind: 'keyword', insertText: `${d.name} `, replace, detail: l10n.t(d.detail), documentation: `${l10n.t(d.doc)}\n\n[${l10n.t('Documentation')}](${DOCS_URL})`, retrigger: true })), incomplete: false };
  }
  if (cur.kind === 'groupDirective') {
    const groups = safe(() => data?.groups?.()).filter((g) => matches(q, g.displayName, g.id)).slice(0, CAP);
    const items: CompletionItem[] = [];
    for (const g of groups) {
      const detail = `${g.memberCount !== undefined ? `${l10n.t('{0} members', g.memberCount)} · ` : ''}${g.id}`;
      items.push({ label: g.displayName, kind: 'guid', insertText: g.id, replace, filterText: `${g.id} ${g.displayName}`, detail });
    }
    for (const g of groups) {
      items.push({ label: `"${g.displayName}"`, kind: 'value', insertText: `"${g.displayName}"`, replace, filterText: `"${g.displayName}" ${g.displayName}`, detail: l10n.t('by display name') });
    }
    return { items, incomplete: true };
  }
  if (cur.kind === 'administrativeUnitDirective') {
    const units = safe(() => data?.administrativeUnits?.()).filter((u) => matches(q, u.displayName, u.id)).slice(0, CAP);
    const items: CompletionItem[] = units.map((u) => ({ label: u.displayName, kind: 'guid', insertText: u.id, replace, filterText: `${u.id} ${u.displayName}`, detail: u.id }));
    for (const u of units) items.push({ label: `"${u.displayName}"`, kind: 'value', insertText: `"${u.displayName}"`, replace, filterText: `"${u.displayName}" ${u.displayName}`, detail: l10n.t('by display name') });
    return { items, incomplete: true };
  }
  if (cur.disablePlansOf) {
    const plans = servicePlansOf(cur.disablePlansOf).filter((p) => matches(q.replace(/^-/, ''), p.servicePlanName, p.friendlyName));
    return { items: plans.map((p) => ({ label: `-${p.servicePlanName}`, kind: 'enumValue', insertText: `-${p.servicePlanName}`, replace, detail: p.friendlyName })), incomplete: false };
  }
  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  for (const p of safe(() => data?.tenantServicePlans?.())) {
    const sku = findSku(p.sku);
    const name = sku?.skuPartNumber ?? p.sku;
    if (seen.has(name.toLowerCase()) || !matches(q, name, sku?.displayName)) continue;
    seen.add(name.toLowerCase());
    items.push({ label: name, kind: 'enumValue', insertText: name, replace, detail: `${sku ? `${sku.displayName} · ` : ''}${l10n.t('in your tenant')}` });
  }
  const government = [...seen].some(isGovernmentCloud);
  for (const m of searchLicensing(q, { kind: 'sku', limit: Number.MAX_SAFE_INTEGER }).filter((x) => government || !isGovernmentCloud(x.name)).slice(0, CAP)) {
    if (seen.has(m.name.toLowerCase())) continue;
    items.push({ label: m.name, kind: 'enumValue', insertText: m.name, replace, detail: m.displayName, filterText: `${m.name} ${m.displayName}` });
  }
  return { items, incomplete: true };
}
