/**
 * The data behind the Graph test server: a tenant's users, devices, groups and SKUs, what v1.0
 * lets a client `$select` on each, and a change log that the delta endpoints replay.
 *
 * Deliberately independent of server/src/graph: the property lists here are Graph's (v1.0), so a
 * client that asks for a beta-only field or a misspelt one gets Graph's 400, as it would for real.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { readObjects } from '../../server/src/tenant/snapshot';

export type Json = Record<string, unknown>;

export interface GraphServerData {
  users: Json[];
  devices: Json[];
  /** Groups; current member ids in `members` (or derived from the objects' `memberOf`). */
  groups: Json[];
  subscribedSkus: Json[];
  /** Administrative units (`membershipType`, `membershipRule`, …); member ids in `members`. */
  administrativeUnits?: Json[];
  /**
   * Directory objects that are neither users, devices nor groups but can be members: service
   * principals and organizational contacts, as `{"id", "@odata.type"}`.
   */
  others?: Json[];
  organization?: { id: string; displayName?: string; countryLetterCode?: string };
}

/** Every v1.0 user property a list request may select (the ones the snapshot needs and a few more). */
export const V1_USER_PROPERTIES = new Set([
  'id', 'accountEnabled', 'onPremisesSyncEnabled', 'employeeHireDate', 'city', 'country', 'companyName', 'department',
  'displayName', 'employeeId', 'faxNumber', 'givenName', 'jobTitle', 'mail', 'mailNickname', 'mobilePhone',
  'onPremisesDistinguishedName', 'onPremisesSecurityIdentifier', 'passwordPolicies', 'officeLocation', 'postalCode',
  'preferredLanguage', 'imAddresses', 'state', 'streetAddress', 'surname', 'businessPhones', 'usageLocation',
  'userPrincipalName', 'userType', 'otherMails', 'proxyAddresses', 'onPremisesExtensionAttributes', 'assignedPlans',
  'assignedLicenses', 'licenseAssignmentStates', 'createdDateTime', 'employeeType', 'onPremisesSamAccountName',
  'ageGroup', 'creationType', 'externalUserState',
]);

/** v1.0 device properties (as Graph's v1.0 device type has them); isRooted and managementType are beta-only and rejected. */
export const V1_DEVICE_PROPERTIES = new Set([
  'id', 'accountEnabled', 'alternativeSecurityIds', 'approximateLastSignInDateTime', 'complianceExpirationDateTime',
  'deviceCategory', 'deviceOwnership', 'enrollmentProfileName', 'deviceId', 'deviceMetadata', 'deviceVersion', 'displayName', 'extensionAttributes', 'isCompliant', 'isManaged',
  'manufacturer', 'mdmAppId', 'model', 'onPremisesLastSyncDateTime', 'onPremisesSyncEnabled', 'operatingSystem',
  'operatingSystemVersion', 'physicalIds', 'profileType', 'registrationDateTime', 'systemLabels', 'trustType',
]);

/** v1.0 administrativeUnit properties. */
export const V1_UNIT_PROPERTIES = new Set([
  'id', 'displayName', 'description', 'visibility', 'membershipType', 'membershipRule', 'membershipRuleProcessingState', 'isMemberManagementRestricted',
]);

export const V1_GROUP_PROPERTIES = new Set([
  'id', 'displayName', 'description', 'mailNickname', 'mail', 'mailEnabled', 'securityEnabled', 'groupTypes',
  'membershipRule', 'membershipRuleProcessingState', 'isAssignableToRole', 'onPremisesSyncEnabled', 'createdDateTime',
  'assignedLicenses', 'licenseProcessingState', 'visibility', 'classification',
]);

const COLLECTIONS = new Set(['businessPhones', 'imAddresses', 'otherMails', 'proxyAddresses', 'assignedPlans', 'assignedLicenses', 'licenseAssignmentStates', 'physicalIds', 'systemLabels', 'groupTypes']);

export const EXTENSION = /^extension_[0-9a-f]{32}_\w+$/i;

/** Reads a snapshot folder (the sample tenant, a generated one) as server data. */
export async function readTenantDir(dir: string): Promise<GraphServerData> {
  const read = async (name: string): Promise<Json[]> => {
    for (const ext of ['.jsonl', '.json']) {
      const file = path.join(dir, name + ext);
      if (await fs.stat(file).then(() => true, () => false)) return (await readObjects(file)) as Json[];
    }
    return [];
  };
  let meta: Json = {};
  try {
    meta = JSON.parse(await fs.readFile(path.join(dir, 'snapshot.json'), 'utf8')) as Json;
  } catch {
    // no metadata: defaults below
  }
  return {
    users: await read('users'),
    devices: await read('devices'),
    groups: await read('groups'),
    subscribedSkus: await read('subscribedSkus'),
    administrativeUnits: await read('administrativeUnits'),
    organization: {
      id: typeof meta['tenantId'] === 'string' ? meta['tenantId'] : '00000000-0000-4000-8000-000000000001',
      displayName: typeof meta['tenantName'] === 'string' ? meta['tenantName'] : 'Contoso',
      countryLetterCode: typeof meta['countryLetterCode'] === 'string' ? meta['countryLetterCode'] : 'US',
    },
  };
}

export interface Change {
  readonly version: number;
  readonly collection: 'users' | 'devices' | 'groups';
  readonly id: string;
  readonly removed: boolean;
  /** Groups: members added and removed by this change. */
  readonly membersAdded?: readonly string[];
  readonly membersRemoved?: readonly string[];
}

/** A group's changes since a delta token, netted. */
export interface GroupChange {
  readonly id: string;
  readonly removed: boolean;
  readonly membersAdded: string[];
  readonly membersRemoved: string[];
}

export interface Mutation {
  /**
   * Change this many users: department, jobTitle, city, a license state that delta does not
   * report, and the managers of the first two.
   */
  users?: number;
  /** Delete this many users (after the changed ones). */
  removeUsers?: number;
  /** Create this many users. */
  addUsers?: number;
  /** Change this many devices. */
  devices?: number;
  /** Create this many dynamic groups, each with the first three users as members. */
  createDynamicGroups?: number;
  /** Delete these groups (ids). */
  deleteGroups?: readonly string[];
  /** Add users to a group (id or display name) and remove members from it. */
  group?: { readonly group: string; readonly add?: number; readonly remove?: number; readonly description?: string };
}

export interface MutationResult {
  updated: string[];
  removed: string[];
  added: string[];
  devices: string[];
  membersAdded: string[];
  membersRemoved: string[];
  groupsCreated: string[];
}

/** The tenant's current state and the history the delta endpoints read. */
export class GraphStore {
  readonly users: Map<string, Json>;
  readonly devices: Map<string, Json>;
  readonly groups: Map<string, Json>;
  readonly skus: Json[];
  readonly units: Map<string, Json>;
  /** Lower-cased id → @odata.type of members that are not users, devices or groups. */
  readonly others: Map<string, string>;
  readonly organization: { id: string; displayName?: string; countryLetterCode?: string };
  version = 0;
  readonly log: Change[] = [];
  private nextNew = 1;

  /** `owned`: the data is this store's alone (read from a folder for it), so it is not copied. */
  constructor(data: GraphServerData, owned = false) {
    const copy = owned ? <T>(o: T): T => o : <T>(o: T): T => structuredClone(o);
    const byId = (list: Json[]): Map<string, Json> => new Map(list.map((o) => [String(o['id']).toLowerCase(), copy(o)]));
    this.users = byId(data.users);
    this.devices = byId(data.devices);
    this.groups = byId(data.groups);
    this.skus = copy(data.subscribedSkus);
    this.units = byId(data.administrativeUnits ?? []);
    this.others = new Map((data.others ?? []).map((o) => [String(o['id']).toLowerCase(), String(o['@odata.type'])]));
    for (const u of this.units.values()) if (!Array.isArray(u['members'])) u['members'] = [];
    this.organization = data.organization ?? { id: '00000000-0000-4000-8000-000000000001', displayName: 'Contoso', countryLetterCode: 'US' };
    // Members come from the group, or else from the objects' memberOf.
    for (const g of this.groups.values()) {
      if (Array.isArray(g['members'])) continue;
      const gid = String(g['id']).toLowerCase();
      g['members'] = [...this.users.values(), ...this.devices.values()]
        .filter((o) => Array.isArray(o['memberOf']) && (o['memberOf'] as string[]).some((m) => m.toLowerCase() === gid))
        .map((o) => o['id']);
    }
  }

  /** The object as a v1.0 response with `$select`: unset scalars null, unset collections [], unset extensions omitted. */
  static project(o: Json, select: readonly string[]): Json {
    const out: Json = {};
    for (const f of select) {
      if (f in o) out[f] = structuredClone(o[f]);
      else if (EXTENSION.test(f)) continue;
      else out[f] = COLLECTIONS.has(f) ? [] : null;
    }
    if (!('id' in out)) out['id'] = o['id'];
    return out;
  }

  typeOf(id: string): string {
    const k = id.toLowerCase();
    return this.users.has(k) ? '#microsoft.graph.user' : this.devices.has(k) ? '#microsoft.graph.device' : this.others.get(k) ?? '#microsoft.graph.group';
  }

  private record(collection: 'users' | 'devices', id: string, removed: boolean): void {
    this.log.push({ version: ++this.version, collection, id, removed });
  }

  private recordMembers(group: Json, added: readonly string[], removed: readonly string[]): void {
    this.log.push({ version: ++this.version, collection: 'groups', id: String(group['id']), removed: false, membersAdded: added, membersRemoved: removed });
  }

  /** Removes an object from every group it is in, recording each group's change. */
  private leaveGroups(id: string): void {
    for (const g of this.groups.values()) {
      const members = g['members'] as string[];
      if (!members.some((x) => x.toLowerCase() === id.toLowerCase())) continue;
      g['members'] = members.filter((x) => x.toLowerCase() !== id.toLowerCase());
      this.recordMembers(g, [], [id]);
    }
  }

  /** Changes the tenant the way an admin would, and records it for delta. */
  mutate(m: Mutation): MutationResult {
    const result: MutationResult = { updated: [], removed: [], added: [], devices: [], membersAdded: [], membersRemoved: [], groupsCreated: [] };
    const members = [...this.users.values()].filter((u) => u['userType'] !== 'Guest');
    let i = 0;
    for (; i < (m.users ?? 0) && i < members.length; i++) {
      const u = members[(i * 7) % members.length]!;
      if (result.updated.includes(String(u['id']))) continue;
      u['department'] = `Changed ${this.version + 1}`;
      u['jobTitle'] = 'Delta Tester';
      u['city'] = 'Reykjavík';
      // The first loses its manager, the second gets a new one: manager@delta both ways.
      if (i === 0) u['manager'] = null;
      if (i === 1) u['manager'] = { id: members[members.length - 1]!['id'] };
      // Graph's delta does not report license state changes; the client must re-read them.
      u['licenseAssignmentStates'] = [...((u['licenseAssignmentStates'] as Json[] | undefined) ?? []), {
        assignedByGroup: null, disabledPlans: [], error: 'CountViolation', lastUpdatedDateTime: '2026-11-02T00:00:00Z',
        skuId: '00000000-0000-0000-0000-0000000000aa', state: 'Error',
      }];
      this.record('users', String(u['id']), false);
      result.updated.push(String(u['id']));
    }
    const removable = [...this.users.values()].filter((u) => !result.updated.includes(String(u['id'])));
    for (let r = 0; r < (m.removeUsers ?? 0) && r < removable.length; r++) {
      const u = removable[removable.length - 1 - r]!;
      const id = String(u['id']);
      this.users.delete(id.toLowerCase());
      this.leaveGroups(id);
      this.record('users', id, true);
      result.removed.push(id);
      // As in Entra: the reports of a deleted manager have no manager any more.
      for (const r of this.users.values()) {
        const m = r['manager'] as Json | null | undefined;
        if (m && String(m['id']).toLowerCase() === id.toLowerCase()) {
          r['manager'] = null;
          this.record('users', String(r['id']), false);
        }
      }
    }
    for (let a = 0; a < (m.addUsers ?? 0); a++) {
      const n = this.nextNew++;
      const id = `0000aaaa-0000-4000-8000-${String(n).padStart(12, '0')}`;
      this.users.set(id, {
        id, accountEnabled: true, displayName: `New Hire ${n}`, userPrincipalName: `new.hire${n}@contoso.com`,
        mailNickname: `new.hire${n}`, department: 'Sales', userType: 'Member', usageLocation: 'US',
        proxyAddresses: [`SMTP:new.hire${n}@contoso.com`], manager: members[0] ? { id: members[0]['id'] } : null,
      });
      this.record('users', id, false);
      result.added.push(id);
    }
    const devices = [...this.devices.values()];
    for (let d = 0; d < (m.devices ?? 0) && d < devices.length; d++) {
      const dev = devices[d]!;
      dev['operatingSystemVersion'] = `99.${this.version + 1}`;
      this.record('devices', String(dev['id']), false);
      result.devices.push(String(dev['id']));
    }
    for (let c = 0; c < (m.createDynamicGroups ?? 0); c++) {
      const n = this.nextNew++;
      const id = `0000bbbb-0000-4000-8000-${String(n).padStart(12, '0')}`;
      const members = [...this.users.keys()].slice(0, 3).map((k) => String(this.users.get(k)!['id']));
      this.groups.set(id, {
        id, displayName: `New Dynamic ${n}`, groupTypes: ['DynamicMembership'], securityEnabled: true, mailEnabled: false,
        membershipRule: 'user.department -eq "Sales"', membershipRuleProcessingState: 'On', assignedLicenses: [], members,
      });
      this.recordMembers(this.groups.get(id)!, members, []);
      result.groupsCreated.push(id);
    }
    for (const id of m.deleteGroups ?? []) {
      const g = this.groups.get(id.toLowerCase());
      if (!g) throw new Error(`no group ${id}`);
      this.groups.delete(id.toLowerCase());
      this.log.push({ version: ++this.version, collection: 'groups', id: String(g['id']), removed: true });
    }
    if (m.group) {
      const key = m.group.group.toLowerCase();
      const g = this.groups.get(key) ?? [...this.groups.values()].find((x) => String(x['displayName']).toLowerCase() === key);
      if (!g) throw new Error(`no group ${m.group.group}`);
      const members = g['members'] as string[];
      const inGroup = new Set(members.map((x) => x.toLowerCase()));
      const add = [...this.users.values()].map((u) => String(u['id'])).filter((id) => !inGroup.has(id.toLowerCase())).slice(0, m.group.add ?? 0);
      const remove = members.slice(0, m.group.remove ?? 0);
      g['members'] = [...members.filter((x) => !remove.includes(x)), ...add];
      if (m.group.description !== undefined) g['description'] = m.group.description;
      this.recordMembers(g, add, remove);
      result.membersAdded.push(...add);
      result.membersRemoved.push(...remove);
    }
    return result;
  }

  /** Ids changed (or removed) in a collection after `version`, latest state wins. */
  changesSince(collection: 'users' | 'devices', version: number): { id: string; removed: boolean }[] {
    const last = new Map<string, boolean>();
    for (const c of this.log) if (c.collection === collection && c.version > version) last.set(c.id, c.removed);
    return [...last].map(([id, removed]) => ({ id, removed }));
  }

  /** The groups among `ids` that changed after `version`, with their net member changes. */
  groupChangesSince(version: number, ids: ReadonlySet<string>): GroupChange[] {
    const out = new Map<string, { id: string; removed: boolean; added: Set<string>; gone: Set<string> }>();
    for (const c of this.log) {
      if (c.collection !== 'groups' || c.version <= version || !ids.has(c.id.toLowerCase())) continue;
      let e = out.get(c.id.toLowerCase());
      if (!e) out.set(c.id.toLowerCase(), (e = { id: c.id, removed: false, added: new Set(), gone: new Set() }));
      for (const a of c.membersAdded ?? []) { e.gone.delete(a); e.added.add(a); }
      for (const r of c.membersRemoved ?? []) { e.added.delete(r); e.gone.add(r); }
      if (c.removed) e.removed = true;
    }
    return [...out.values()].map((e) => ({ id: e.id, removed: e.removed, membersAdded: [...e.added], membersRemoved: [...e.gone] }));
  }
}
