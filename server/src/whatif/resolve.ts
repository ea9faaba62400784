/**
 * Applies changes to people, in order, to a snapshot's users — without touching the snapshot:
 * each changed user gets an "after" object. Problems that need the tenant to be seen (a new user
 * whose userPrincipalName is taken, a user to delete who is not there, a manager no one has) are
 * collected with their places, as the parsers collect theirs.
 *
 * - A key (userPrincipalName or object id) the tenant does not have is a new user.
 * - A deleted manager leaves their reports without a manager: those reports are changed too
 *   (Entra removes the manager reference with the user), so their Direct Reports groups follow.
 * - A new user's object id is given by Entra on creation; until then it is stood for by its
 *   userPrincipalName, which is also how the report names it.
 */
import { USER_PROPERTIES } from '../../../grammar/src/index';
import { K_STRING, putAtPath, type GraphObject, type Table } from '../../../grammar/engine/src/index';
import type { Snapshot } from '../tenant/snapshot';
import type { Change, ChangeIssue, FieldChange } from './changes';
import { setValue } from './properties';

export type ChangeKind = 'new' | 'changed' | 'deleted' | 'unchanged';

export interface ChangedUser {
  /** The object id, or the userPrincipalName of a new user. */
  readonly id: string;
  readonly change: ChangeKind;
  /** The row in the snapshot's users table, or -1 for a new user. */
  readonly row: number;
  /** The user after the changes (undefined when deleted). */
  after: Record<string, unknown> | undefined;
  /** Properties changed, by name, in the order first changed. */
  readonly changed: string[];
  /** Why a user no file names is changed (their manager was deleted). */
  readonly implied?: string;
}

export interface ResolvedChanges {
  /** In the order first changed. */
  readonly users: ChangedUser[];
  readonly issues: ChangeIssue[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function resolveChanges(s: Snapshot, changes: readonly Change[]): ResolvedChanges {
  const table = s.tables.users;
  const issues: ChangeIssue[] = [];
  const users: ChangedUser[] = [];
  /** Lower-cased object id (or a new user's UPN) → user. */
  const byKey = new Map<string, ChangedUser>();
  /** Lower-cased UPN → user, for users the changes create or whose UPN they set. */
  const newByUpn = new Map<string, ChangedUser>();
  const managerFields: { user: ChangedUser; field: FieldChange }[] = [];

  const rowOf = (key: string): number => {
    if (!table) return -1;
    const k = key.toLowerCase();
    const r = table.rowOfId(k);
    return r >= 0 ? r : key.includes('@') ? table.rowOfUpn(k) : -1;
  };
  const existing = (row: number): ChangedUser => {
    const id = table!.id(row);
    let u = byKey.get(id.toLowerCase());
    if (!u) {
      u = { id, change: 'changed', row, after: copyUser(table!, row), changed: [] };
      byKey.set(id.toLowerCase(), u);
      users.push(u);
    }
    return u;
  };
  const apply = (u: ChangedUser, fields: readonly FieldChange[]): void => {
    for (const f of fields) {
      if (f.property.kind === 'manager') managerFields.push({ user: u, field: f });
      else setValue(u.after!, f.property, f.value);
      if (f.property.kind !== 'password' && !u.changed.includes(f.property.name)) u.changed.push(f.property.name);
    }
  };
  const create = (key: string, fields: readonly FieldChange[], at: Change['at']): void => {
    const upn = key.includes('@') ? key : undefined;
    const after = newUser();
    Object.assign(after, { id: key, userType: 'Member', accountEnabled: true, ...(upn ? { userPrincipalName: upn } : {}) });
    const u: ChangedUser = { id: key, change: 'new', row: -1, after, changed: [] };
    void at;
    byKey.set(key.toLowerCase(), u);
    if (upn) newByUpn.set(upn.toLowerCase(), u);
    users.push(u);
    apply(u, fields);
  };

  for (const c of changes) {
    if (c.kind === 'create') {
      const upnField = c.fields.find((f) => f.property.name === 'userPrincipalName');
      if (!upnField) continue; // reported by the parser
      const upn = String(upnField.value);
      if (table && table.rowOfUpn(upn) >= 0) {
        issues.push({ ...upnField.at, code: 'changes/user-exists', message: `the tenant already has a user ${upn}` });
        continue;
      }
      const earlier = newByUpn.get(upn.toLowerCase());
      if (earlier && earlier.after) {
        issues.push({ ...upnField.at, code: 'changes/duplicate-user', message: `${upn} is created by an earlier change too` });
        continue;
      }
      create(upn, c.fields, c.at);
      continue;
    }
    const k = c.key.toLowerCase();
    const known = byKey.get(k) ?? newByUpn.get(k);
    if (known && !known.after) {
      issues.push({ ...c.at, code: 'changes/user-deleted', message: `${c.key} is deleted by an earlier change` });
      continue;
    }
    const row = known ? known.row : rowOf(c.key);
    if (c.kind === 'delete') {
      if (known?.change === 'new') {
        // Created and deleted within the changes: as if never created.
        users.splice(users.indexOf(known), 1);
        byKey.delete(known.id.toLowerCase());
        newByUpn.delete(String(known.after?.['userPrincipalName'] ?? known.id).toLowerCase());
        continue;
      }
      if (row < 0) {
        issues.push({ ...c.at, code: 'changes/unknown-user', message: `the tenant has no user ${c.key} to delete` });
        continue;
      }
      const u = existing(row);
      users.splice(users.indexOf(u), 1);
      const gone: ChangedUser = { id: u.id, change: 'deleted', row, after: undefined, changed: [] };
      byKey.set(u.id.toLowerCase(), gone);
      users.push(gone);
      continue;
    }
    if (known) apply(known, c.fields);
    else if (row >= 0) apply(existing(row), c.fields);
    else create(c.key, c.fields, c.at);
  }

  // Managers, now that every new user is known: an id or UPN of the tenant, or a new user's UPN.
  for (const { user, field } of managerFields) {
    if (!user.after) continue;
    if (field.value === null) {
      user.after['manager'] = null;
      continue;
    }
    const ref = String(field.value);
    const fresh = newByUpn.get(ref.toLowerCase()) ?? byKey.get(ref.toLowerCase());
    const row = rowOf(ref);
    const target = fresh && fresh.after ? fresh.id : row >= 0 ? table!.id(row) : undefined;
    const deleted = (fresh && !fresh.after) || (row >= 0 && byKey.get(table!.id(row).toLowerCase())?.change === 'deleted');
    if (!target || deleted) {
      issues.push({ ...field.at, code: 'changes/unknown-manager', message: deleted ? `the manager ${ref} is deleted by the changes` : `no user ${ref} in the tenant or among the new users${GUID.test(ref) || ref.includes('@') ? '' : ' (give a userPrincipalName or an object id)'}` });
      continue;
    }
    user.after['manager'] = { id: target };
  }

  // The reports of deleted managers lose their manager.
  const deleted = users.filter((u) => u.change === 'deleted');
  if (table && deleted.length) {
    for (const row of reportsOf(table, new Set(deleted.map((u) => u.id.toLowerCase())))) {
      const id = table.id(row);
      const u = byKey.get(id.toLowerCase());
      if (u && u.change === 'deleted') continue;
      const r = u ?? existing(row);
      const m = r.after?.['manager'] as { id?: unknown } | null | undefined;
      // A manager the changes set stays; only the deleted one goes.
      if (m && typeof m.id === 'string' && deleted.some((d) => d.id.toLowerCase() === (m.id as string).toLowerCase())) {
        r.after!['manager'] = null;
        if (!r.changed.includes('manager')) r.changed.push('manager');
        if (!u) (r as { implied?: string }).implied = `their manager ${String(m.id)} is deleted`;
      }
    }
  }
  return { users, issues };
}

/**
 * A user of the table to change: a fresh object built from the columns, or a copy of the kept
 * object deep enough that setting a field (extension attributes are nested) leaves it alone.
 */
function copyUser(table: Table, row: number): Record<string, unknown> {
  if (!table.objects) return table.materialise(row) as Record<string, unknown>;
  const o = table.objects[row] as Record<string, unknown>;
  const ext = o['onPremisesExtensionAttributes'];
  return { ...o, ...(ext && typeof ext === 'object' ? { onPremisesExtensionAttributes: { ...(ext as object) } } : {}) };
}

/**
 * A new user as Graph returns one: every property a rule reads is there, null (or an empty
 * collection) until set — not missing, which a rule would read as data the snapshot lacks.
 */
function newUser(): Record<string, unknown> {
  const o: Record<string, unknown> = { manager: null, assignedLicenses: [], licenseAssignmentStates: [] };
  for (const p of USER_PROPERTIES) {
    const empty = p.type === 'stringCollection' || p.type === 'assignedPlans' || p.type === 'memberOf';
    if (p.graph.startsWith('first:')) o[p.graph.slice(6)] = [];
    else putAtPath(o, p.graph, empty ? [] : null);
  }
  return o;
}

/** Rows whose manager is one of `managers` (lower-cased ids), read from the manager column. */
function reportsOf(table: Table, managers: ReadonlySet<string>): number[] {
  const col = table.extras.manager;
  if (!col) return [];
  const lut = new Uint8Array(col.dict.size);
  let any = false;
  for (let e = 0; e < lut.length; e++) {
    if (col.dict.kind(e) === K_STRING && managers.has(String(col.dict.raw(e)).toLowerCase())) { lut[e] = 1; any = true; }
  }
  if (!any) return [];
  const out: number[] = [];
  for (let r = 0; r < table.rows; r++) if (lut[col.ids[r]!]) out.push(r);
  return out;
}

/** The user as it is now, for a changed or deleted user (undefined for a new one). */
export function beforeObject(s: Snapshot, u: ChangedUser): GraphObject | undefined {
  return u.row >= 0 ? s.tables.users?.objectAt(u.row) : undefined;
}
