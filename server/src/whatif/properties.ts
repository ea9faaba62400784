/**
 * The user properties a change can set, found by rule property name (`department`,
 * `extensionAttribute7`, `mobile`) or Graph field name (`mobilePhone`, `officeLocation`), both
 * from the core's catalogue, and how a value given in a CSV cell or a JSON field becomes the Graph
 * value a rule reads (README, "What if people change").
 */
import { closest, findProperty, USER_PROPERTIES, type PropertyDef } from '../../../grammar/src/index';
import { putAtPath } from '../../../grammar/engine/src/index';

export interface Settable {
  /** The name a message shows: the rule property's canonical spelling, or the Graph field's. */
  readonly name: string;
  /** The Graph path the value goes to (`first:businessPhones` is the collection's first item). */
  readonly graph: string;
  readonly kind: 'bool' | 'string' | 'datetime' | 'stringCollection' | 'manager' | 'password';
  readonly nullable: boolean;
  /** A closed list of values (`userType`), matched in any case and written as listed. */
  readonly values?: readonly string[];
  /** A two-letter country code (usageLocation). */
  readonly country?: boolean;
}

/** Names a change may not set, with why. */
const READ_ONLY: Readonly<Record<string, string>> = {
  id: 'the object id is given by Entra',
  objectid: 'the object id is given by Entra',
  assignedplans: 'service plans come from licenses, which whatif works out from the groups',
  assignedlicenses: 'licenses come from the groups (and direct assignments), which whatif works out',
  licenseassignmentstates: 'licenses come from the groups (and direct assignments), which whatif works out',
  memberof: 'group memberships are what whatif works out',
};

function fromDef(d: PropertyDef): Settable {
  const kind = d.type === 'bool' || d.type === 'datetime' || d.type === 'stringCollection' ? d.type : 'string';
  return {
    name: d.name, graph: d.graph, kind, nullable: d.nullable || kind === 'stringCollection',
    ...(d.closedValues && d.values ? { values: d.values } : {}),
    ...(d.name === 'usageLocation' ? { country: true } : {}),
  };
}

const BY_NAME = new Map<string, Settable>();
for (const d of USER_PROPERTIES) {
  if (READ_ONLY[d.name.toLowerCase()] !== undefined) continue;
  const s = fromDef(d);
  BY_NAME.set(d.name.toLowerCase(), s);
  // The Graph field name too (`mobilePhone`, `onPremisesExtensionAttributes.extensionAttribute7`).
  const graphName = d.graph.replace(/^first:/, '');
  if (!BY_NAME.has(graphName.toLowerCase())) BY_NAME.set(graphName.toLowerCase(), { ...s, name: graphName });
}
BY_NAME.set('manager', { name: 'manager', graph: 'manager', kind: 'manager', nullable: true });

/** Every name a heading or field may use, for "did you mean". */
const NAMES = [...new Set([...BY_NAME.values()].map((s) => s.name))];

export type Lookup = { readonly ok: true; readonly property: Settable } | { readonly ok: false; readonly readOnly: boolean; readonly message: string };

/** The property a heading or JSON field names. `passwordProfile` only where `passwords` (the bulk-create template). */
export function findSettable(name: string, options: { passwords?: boolean } = {}): Lookup {
  const k = name.trim().toLowerCase();
  if (options.passwords && k === 'passwordprofile') return { ok: true, property: { name: 'passwordProfile', graph: 'passwordProfile', kind: 'password', nullable: false } };
  const why = READ_ONLY[k];
  if (why) return { ok: false, readOnly: true, message: `"${name.trim()}" cannot be changed: ${why}` };
  const hit = BY_NAME.get(k) ?? directoryExtension(name.trim());
  if (hit) return { ok: true, property: hit };
  const near = closest(name.trim(), NAMES, 1);
  return { ok: false, readOnly: false, message: `"${name.trim()}" is not a user property whatif can set${near.length ? `; did you mean ${near[0]}?` : ''}` };
}

function directoryExtension(name: string): Settable | undefined {
  const d = findProperty('user', name);
  return d ? fromDef(d) : undefined;
}

export type Converted = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/** Whether an ISO 8601 date or date-time names a real day (2026-02-30 does not). */
export function isIsoDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?$/.exec(v);
  if (!m || Number.isNaN(Date.parse(v))) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** A userPrincipalName: `alias@domain`, no spaces or control characters. */
export const isUpn = (v: string): boolean => /^[^\s@\u0000-\u001f\u007f]+@[^\s@\u0000-\u001f\u007f]+\.[^\s@\u0000-\u001f\u007f]+$/.test(v);

/** An object id. */
export const isGuid = (v: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

const quote = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v) ?? String(v));

/**
 * A value for a property: from a CSV cell (a string; `null` clears) or a JSON value. Collections
 * are `;`-separated in a cell. The result is what the Graph object holds.
 */
export function convert(p: Settable, raw: unknown, from: 'csv' | 'json'): Converted {
  const bad = (expected: string): Converted => ({ ok: false, message: `${p.name} must be ${expected} (got ${quote(raw)})` });
  const isNull = raw === null || (from === 'csv' && typeof raw === 'string' && raw.trim().toLowerCase() === 'null');
  if (isNull) return p.nullable ? { ok: true, value: p.kind === 'stringCollection' ? [] : null } : bad('set: it cannot be cleared');
  switch (p.kind) {
    case 'bool': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      const t = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
      if (t === 'true') return { ok: true, value: true };
      if (t === 'false') return { ok: true, value: false };
      return bad('true or false');
    }
    case 'datetime': {
      const t = typeof raw === 'string' ? raw.trim() : '';
      return isIsoDate(t) ? { ok: true, value: t } : bad('an ISO 8601 date such as 2026-12-01 or 2026-12-01T09:00:00Z');
    }
    case 'stringCollection': {
      if (from === 'json') return Array.isArray(raw) && raw.every((x) => typeof x === 'string') ? { ok: true, value: raw } : bad('an array of strings');
      return typeof raw === 'string' ? { ok: true, value: raw.split(';').map((x) => x.trim()).filter(Boolean) } : bad('text');
    }
    default: {
      if (typeof raw !== 'string') return bad('a string');
      const t = raw.trim();
      if (p.country && !/^[A-Za-z]{2}$/.test(t)) return bad('a two-letter country code such as US or DE');
      if (p.values) {
        const v = p.values.find((x) => x.toLowerCase() === t.toLowerCase());
        return v ? { ok: true, value: v } : bad(`one of ${p.values.join(', ')}`);
      }
      if (p.name === 'userPrincipalName' && !isUpn(t)) return bad('a sign-in name such as ana.costa@contoso.com');
      return { ok: true, value: p.country ? t.toUpperCase() : t };
    }
  }
}

/** Writes a converted value into a Graph-shaped user object (`first:` paths hold a one-item collection). */
export function setValue(user: Record<string, unknown>, p: Settable, value: unknown): void {
  if (p.kind === 'password') return;
  if (p.graph.startsWith('first:')) {
    user[p.graph.slice(6)] = value === null ? [] : [value];
    return;
  }
  if (value === null && p.graph.includes('.')) {
    // Clearing a nested field: the container stays, the field is null.
    putAtPath(user, p.graph, null);
    return;
  }
  putAtPath(user, p.graph, value);
}
