/**
 * Every dynamic group and dynamic administrative unit of the tenant, with their members, for
 * `dynrule snapshot --all` and the commands that audit the whole tenant (docs/live-tenant.md,
 * The whole tenant).
 *
 * Groups: the ids come from `GET /groups?$filter=groupTypes/any(c:c eq 'DynamicMembership')`
 * (a filter Graph supports without advanced-query headers); the groups themselves, with every
 * member, from initial `/groups/delta` rounds filtered to 50 of those ids each, which also leave
 * the delta links a refresh follows. A group's members thus cost a share of one round instead of
 * a request per page per group; `$batch` would save no more and is a POST, which this client
 * never sends.
 *
 * Administrative units: `/directory/administrativeUnits?$filter=membershipType eq 'Dynamic'` is an
 * advanced query (`ConsistencyLevel: eventual`, `$count=true`), and v1.0 has no administrative
 * unit delta, so they and their members are read in full each time (a tenant has few).
 *
 * Members that are neither users nor devices (nested groups, service principals, organizational
 * contacts) are kept out of `members` and listed in `otherMembers` with their `@odata.type`; a
 * warning counts them.
 */
import { mapLimit, type Context } from './context';
import { GraphError } from './errors';
import type { JsonObject } from './http';
import { pages, stripAnnotations } from './paging';
import { GROUP_FIELDS, GUID, odataString, PAGE_SIZE, query } from './select';

/** Graph's filter for dynamic groups. */
export const DYNAMIC_GROUPS_FILTER = "groupTypes/any(c:c eq 'DynamicMembership')";
/** Graph's filter for dynamic administrative units (an advanced query). */
export const DYNAMIC_UNITS_FILTER = "membershipType eq 'Dynamic'";

/** What the snapshot keeps of an administrative unit (v1.0 names). */
export const UNIT_FIELDS: readonly string[] = [
  'id', 'displayName', 'description', 'membershipType', 'membershipRule', 'membershipRuleProcessingState', 'visibility',
];

/** Graph tracks at most 50 objects in one filtered delta query. */
export const DELTA_FILTER_LIMIT = 50;

const MEMBER_TYPES = new Set(['#microsoft.graph.user', '#microsoft.graph.device']);

/** A member reference as the snapshot keeps one that is neither a user nor a device. */
export interface OtherMember {
  readonly '@odata.type': string;
  readonly id: string;
}

/**
 * Whether a member reference is a user or a device. One without `@odata.type` counts as one:
 * Graph always sends the type in a list of directory objects, and guessing "other" would lose it.
 */
export function isUserOrDevice(m: JsonObject): boolean {
  const t = m['@odata.type'];
  return typeof t !== 'string' || MEMBER_TYPES.has(t);
}

/** A group's state folded from delta entries: properties, and members as they stand. */
export interface GroupState {
  removed: boolean;
  patch: JsonObject;
  /** Lower-cased id → id, users and devices added. */
  readonly added: Map<string, string>;
  /** Lower-cased ids of members removed. */
  readonly gone: Set<string>;
  /** Lower-cased id → reference, members of other types added. */
  readonly others: Map<string, OtherMember>;
}

export const newGroupState = (removed = false): GroupState => ({ removed, patch: {}, added: new Map(), gone: new Set(), others: new Map() });

/** Folds one `/groups/delta` entry into `changes` (by lower-cased id). */
export function addGroupChange(changes: Map<string, GroupState>, o: JsonObject): void {
  const id = o['id'];
  if (typeof id !== 'string' || !id) return;
  const key = id.toLowerCase();
  if (o['@removed'] !== undefined) {
    changes.set(key, newGroupState(true));
    return;
  }
  let c = changes.get(key);
  if (!c || c.removed) changes.set(key, (c = newGroupState()));
  for (const [k, v] of Object.entries(o)) {
    if (k === 'members@delta' && Array.isArray(v)) {
      for (const m of v as unknown[]) {
        if (!m || typeof m !== 'object' || typeof (m as JsonObject)['id'] !== 'string') continue;
        const ref = m as JsonObject;
        const mid = ref['id'] as string;
        const mkey = mid.toLowerCase();
        if (ref['@removed'] !== undefined) {
          c.gone.add(mkey);
          c.added.delete(mkey);
          c.others.delete(mkey);
        } else if (isUserOrDevice(ref)) {
          c.added.set(mkey, mid);
          c.gone.delete(mkey);
        } else {
          c.others.set(mkey, { '@odata.type': ref['@odata.type'] as string, id: mid });
          c.gone.delete(mkey);
        }
      }
    } else if (!k.includes('@') && k !== 'members') c.patch[k] = v;
  }
}

/** Applies a folded change to a stored group: properties merged, members added and removed. */
export function applyGroupChange(g: JsonObject, c: GroupState): JsonObject {
  const members = (Array.isArray(g['members']) ? (g['members'] as unknown[]) : []).filter((m): m is string => typeof m === 'string' && !c.gone.has(m.toLowerCase()));
  const present = new Set(members.map((m) => m.toLowerCase()));
  for (const [key, m] of c.added) if (!present.has(key)) members.push(m);
  const others = new Map<string, OtherMember>();
  for (const o of Array.isArray(g['otherMembers']) ? (g['otherMembers'] as OtherMember[]) : []) {
    if (o && typeof o.id === 'string' && !c.gone.has(o.id.toLowerCase())) others.set(o.id.toLowerCase(), o);
  }
  for (const [key, o] of c.others) others.set(key, o);
  const { otherMembers: _, ...rest } = g;
  return { ...rest, ...c.patch, members, ...(others.size ? { otherMembers: [...others.values()] } : {}) };
}

/** Ids that go into a request (a path or a filter) must be GUIDs. */
function checkedId(o: JsonObject, what: string): string {
  const id = o['id'];
  if (typeof id !== 'string' || !GUID.test(id)) throw new GraphError('invalid-response', `Graph returned ${what} whose id is not a GUID`);
  return id.toLowerCase();
}

/** The ids of every dynamic group, in the order Graph lists them. */
export async function listDynamicGroupIds(ctx: Context): Promise<string[]> {
  const ids = new Map<string, string>();
  let n = 0;
  for await (const page of pages(ctx.client, `/v1.0/groups${query({ $filter: DYNAMIC_GROUPS_FILTER, $select: 'id', $top: PAGE_SIZE })}`)) {
    for (const g of page.value) {
      const id = checkedId(g, 'a dynamic group');
      ids.set(id, id);
    }
    ctx.progress({ kind: 'count', collection: 'groups', count: ids.size, pages: ++n, done: false });
  }
  return [...ids.values()];
}

export interface GroupRounds {
  /** Lower-cased id → the group's state at the end of its round. */
  readonly states: Map<string, GroupState>;
  /** One delta link per 50 groups, for the next refresh. */
  readonly deltaLinks: string[];
}

/**
 * Initial `/groups/delta` rounds over the given groups, 50 a round, with `members`: each group's
 * properties and every member, and a delta link per round. Entries for groups not asked for are
 * ignored.
 */
export async function readGroupRounds(ctx: Context, ids: readonly string[]): Promise<GroupRounds> {
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += DELTA_FILTER_LIMIT) chunks.push(ids.slice(i, i + DELTA_FILTER_LIMIT));
  const states = new Map<string, GroupState>();
  const wanted = new Set(ids.map((id) => id.toLowerCase()));
  let memberCount = 0;
  let pageCount = 0;
  const links = await mapLimit(chunks, 4, async (chunk) => {
    const filter = chunk.map((id) => `id eq ${odataString(id)}`).join(' or ');
    let link: string | undefined;
    const round = new Map<string, GroupState>();
    for await (const page of pages(ctx.client, `/v1.0/groups/delta${query({ $filter: filter, $select: [...GROUP_FIELDS, 'members'].join(',') })}`)) {
      for (const o of page.value) {
        if (typeof o['id'] === 'string' && wanted.has(o['id'].toLowerCase())) addGroupChange(round, o);
        const d = o['members@delta'];
        if (Array.isArray(d)) memberCount += d.length;
      }
      if (page.deltaLink) link = page.deltaLink;
      ctx.progress({ kind: 'count', collection: 'members', count: memberCount, pages: ++pageCount, done: false });
    }
    if (!link) throw new GraphError('invalid-response', 'GET /v1.0/groups/delta ended without an @odata.deltaLink');
    for (const [k, v] of round) states.set(k, v);
    return link;
  });
  return { states, deltaLinks: links };
}

export interface DynamicGroupsRead {
  readonly groups: JsonObject[];
  readonly deltaLinks: string[];
}

/** Every dynamic group with its members (see the top of this file). */
export async function readDynamicGroups(ctx: Context): Promise<DynamicGroupsRead> {
  const ids = await listDynamicGroupIds(ctx);
  const rounds = await readGroupRounds(ctx, ids);
  const groups: JsonObject[] = [];
  let vanished = 0;
  for (const id of ids) {
    const s = rounds.states.get(id);
    if (!s || s.removed) {
      vanished++;
      continue;
    }
    groups.push(applyGroupChange({ id }, s));
  }
  if (vanished) ctx.warn(`${vanished} dynamic group${vanished === 1 ? ' was' : 's were'} deleted while the tenant was read`);
  ctx.progress({ kind: 'count', collection: 'groups', count: groups.length, pages: rounds.deltaLinks.length, done: true });
  return { groups: groups.map(groupInFieldOrder), deltaLinks: rounds.deltaLinks };
}

/** A group's fields in the order asked for, then `members` and `otherMembers`. */
export function groupInFieldOrder(g: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const f of GROUP_FIELDS) if (f in g) out[f] = g[f];
  for (const [k, v] of Object.entries(stripAnnotations(g))) if (!(k in out)) out[k] = v;
  return out;
}

/** Whether a stored or read group is dynamic. */
export const isDynamicGroup = (g: JsonObject): boolean => Array.isArray(g['groupTypes']) && (g['groupTypes'] as unknown[]).some((t) => typeof t === 'string' && t.toLowerCase() === 'dynamicmembership');

export interface UnitsRead {
  /** Undefined when the token may not read administrative units (403): not read, and said so. */
  readonly units: JsonObject[] | undefined;
}

/** Every dynamic administrative unit with its members, read in full. */
export async function readDynamicUnits(ctx: Context): Promise<UnitsRead> {
  const listed: JsonObject[] = [];
  try {
    for await (const page of pages(ctx.client, `/v1.0/directory/administrativeUnits${query({ $filter: DYNAMIC_UNITS_FILTER, $count: 'true', $select: UNIT_FIELDS.join(','), $top: PAGE_SIZE })}`, { eventual: true })) {
      for (const u of page.value) listed.push(u);
    }
  } catch (e) {
    if (!(e instanceof GraphError && e.kind === 'forbidden')) throw e;
    ctx.warn(`administrative units were not read: ${e.message}`);
    return { units: undefined };
  }
  const seen = new Set<string>();
  const unique = listed.filter((u) => {
    const id = checkedId(u, 'an administrative unit');
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  let memberCount = 0;
  let memberPages = 0;
  const units = await mapLimit(unique, 4, async (u) => {
    const id = checkedId(u, 'an administrative unit');
    const members: string[] = [];
    const others: OtherMember[] = [];
    for await (const page of pages(ctx.client, `/v1.0/directory/administrativeUnits/${id}/members${query({ $select: 'id', $top: PAGE_SIZE })}`)) {
      for (const m of page.value) {
        if (typeof m['id'] !== 'string') continue;
        if (isUserOrDevice(m)) members.push(m['id']);
        else others.push({ '@odata.type': m['@odata.type'] as string, id: m['id'] });
      }
      memberCount += page.value.length;
      ctx.progress({ kind: 'count', collection: 'members', count: memberCount, pages: ++memberPages, done: false });
    }
    const out: JsonObject = {};
    for (const f of UNIT_FIELDS) if (f in u) out[f] = u[f];
    return { ...out, members, ...(others.length ? { otherMembers: others } : {}) };
  });
  return { units };
}

/** A directory extension property named in rule text (`user.extension_<appId>_<name>`). */
const EXTENSION_IN_RULE = /(?<![A-Za-z0-9_])extension_[0-9a-fA-F]{32}_[A-Za-z0-9_]+/g;

/**
 * The directory extension properties the rules of these groups and units use: users are read
 * with them, so that those rules can be evaluated (Graph leaves extensions out unless selected).
 */
export function extensionsInRules(objects: readonly JsonObject[]): string[] {
  const found = new Map<string, string>();
  for (const o of objects) {
    const rule = o['membershipRule'];
    if (typeof rule !== 'string') continue;
    for (const m of rule.matchAll(EXTENSION_IN_RULE)) found.set(m[0].toLowerCase(), m[0]);
  }
  return [...found.values()].sort();
}

/** snapshot.json's note when administrative units could not be read. */
export const UNITS_NOT_READ = 'administrative units were not read (no permission): administrativeUnits.json is missing';

/** The notes `describeDynamic` writes (replaced, not added to, on each refresh). */
export const isDynamicNote = (n: string): boolean => n === UNITS_NOT_READ || /^\d+ (dynamic |members? of \d+ dynamic )/.test(n);

/**
 * Warnings and notes for what the snapshot holds that rules cannot use as is: dynamic groups and
 * units without a rule, and members that are neither users nor devices.
 */
export function describeDynamic(groups: readonly JsonObject[], units: readonly JsonObject[] | undefined): string[] {
  const out: string[] = [];
  const count = (list: readonly JsonObject[], label: string): void => {
    const noRule = list.filter((g) => typeof g['membershipRule'] !== 'string' || g['membershipRule'].trim() === '').length;
    if (noRule) out.push(`${noRule} dynamic ${label}${noRule === 1 ? ' has' : 's have'} no membershipRule; kept, with their members`);
    let others = 0;
    let holders = 0;
    for (const g of list) {
      const n = Array.isArray(g['otherMembers']) ? g['otherMembers'].length : 0;
      others += n;
      if (n) holders++;
    }
    if (others) out.push(`${others} member${others === 1 ? '' : 's'} of ${holders} dynamic ${label}${holders === 1 ? '' : 's'} ${others === 1 ? 'is' : 'are'} neither a user nor a device (a group, service principal or contact): kept in "otherMembers", not in "members"`);
  };
  count(groups.filter(isDynamicGroup), 'group');
  if (units) count(units, 'administrative unit');
  return out;
}
