/**
 * `fetchSnapshot`: reads a tenant from Microsoft Graph v1.0 into a snapshot folder, read-only.
 *
 * Order: the organization (tenant id, country), then delta links "from now" for users and
 * devices, then users, devices, the requested groups with their members, and subscribedSkus side
 * by side, each streamed into a partial folder that replaces `out` only when all of it is written.
 */
import { checkCancelled, createContext, latestDeltaLink, readGroups, readSubscribedSkus, runAll, type Context } from './context';
import { describeDynamic, extensionsInRules, isDynamicGroup, readDynamicGroups, readDynamicUnits, UNIT_FIELDS, UNITS_NOT_READ, type DynamicGroupsRead, type UnitsRead } from './dynamic';
import type { JsonObject } from './http';
import { GraphError } from './errors';
import { normalizeEndpoint } from './http';
import { readOrganization } from './organization';
import { pages, snapshotObject, snapshotUser } from './paging';
import { BETA_ONLY_DEVICE_FIELDS, DEVICE_FIELDS, extensionFields, GROUP_FIELDS, PAGE_SIZE, query, userSelect } from './select';
import { DEFAULT_ENDPOINT, type FetchSnapshotOptions, type LiveSnapshotMeta, type SnapshotResult } from './types';
import { checkTarget, CollectionWriter, SnapshotWriter } from './writer';

export const BETA_NOTE = `devices: ${BETA_ONLY_DEVICE_FIELDS.join(', ')} exist only in Graph beta, which a read of v1.0 cannot return: device rules that use them evaluate to unknown`;

/** Reads the whole tenant. Rejects with a GraphError; on any failure `out` is left as it was. */
export async function fetchSnapshot(options: FetchSnapshotOptions): Promise<SnapshotResult> {
  const started = Date.now();
  const endpoint = normalizeEndpoint(options.endpoint ?? DEFAULT_ENDPOINT);
  const extensions = extensionFields(options.extensionProperties);
  await checkTarget(options.out);
  const ctx = createContext(options);
  checkCancelled(ctx);
  const writer = await SnapshotWriter.create(options.out);
  try {
    const meta = await readEverything(ctx, writer, {
      endpoint, extensions, groups: dedupe(options.groups ?? []), format: options.format ?? 'jsonl',
      allDynamicGroups: options.allDynamicGroups === true,
    });
    checkCancelled(ctx);
    ctx.progress({ kind: 'phase', phase: 'writing', message: `moving the snapshot into ${writer.out}` });
    await writer.commit();
    ctx.progress({ kind: 'phase', phase: 'done', message: `${meta.counts.users} users, ${meta.counts.devices} devices, ${meta.counts.groups} groups, ${meta.counts.subscribedSkus} SKUs` });
    return { dir: writer.out, mode: 'full', meta, warnings: ctx.warnings, requests: ctx.client.stats.requests, retries: ctx.client.stats.retries, durationMs: Date.now() - started };
  } catch (e) {
    ctx.abort();
    await writer.discard();
    throw asGraphError(e);
  }
}

export interface ReadPlan {
  readonly endpoint: string;
  readonly extensions: readonly string[];
  readonly groups: readonly string[];
  readonly format: 'jsonl' | 'json';
  /** Every dynamic group and dynamic administrative unit too (graph/dynamic.ts). */
  readonly allDynamicGroups?: boolean;
}

/** The full read into `writer`'s folder, snapshot.json last. */
export async function readEverything(ctx: Context, writer: SnapshotWriter, plan: ReadPlan): Promise<LiveSnapshotMeta> {
  ctx.progress({ kind: 'phase', phase: 'organization', message: 'reading the organization' });
  const notes: string[] = [];
  const org = await readOrganization(ctx.client, ctx.lastToken, (n) => notes.push(n));

  // Every dynamic group first: the users are read with the extension properties their rules use.
  const dynamic = plan.allDynamicGroups ? await readAllDynamic(ctx) : undefined;
  const extensions = dynamic ? extensionFields([...plan.extensions, ...extensionsInRules([...dynamic.groups.groups, ...(dynamic.units.units ?? [])])]) : [...plan.extensions];
  const users = userSelect(extensions);
  ctx.progress({ kind: 'phase', phase: 'deltaLinks', message: 'starting change tracking' });
  const [usersDelta, devicesDelta] = await runAll<[string, string]>(ctx, [
    () => latestDeltaLink(ctx, 'users', [...users, 'manager']),
    () => latestDeltaLink(ctx, 'devices', DEVICE_FIELDS),
  ]);

  ctx.progress({ kind: 'phase', phase: 'fetching', message: 'reading users, devices, groups and subscriptions' });
  const [userCount, deviceCount, groups, skus] = await runAll<[number, number, Awaited<ReturnType<typeof readGroups>>, Record<string, unknown>[]]>(ctx, [
    // Managers come with the users ($expand=manager($select=id)): one pass, the same moment as
    // the user rows, instead of a request per user. Graph then pages by 100 (docs/semantics.md, Microsoft Graph).
    () => readCollection(ctx, writer, plan.format, 'users',
      `/v1.0/users${query({ $select: users.join(','), $expand: 'manager($select=id)', $top: PAGE_SIZE })}`, (u) => snapshotUser(u, users)),
    () => readCollection(ctx, writer, plan.format, 'devices',
      `/v1.0/devices${query({ $select: DEVICE_FIELDS.join(','), $top: PAGE_SIZE })}`, (d) => snapshotObject(d, DEVICE_FIELDS)),
    () => readGroups(ctx, plan.groups),
    () => readSubscribedSkus(ctx),
  ]);
  checkCancelled(ctx);
  const allGroups = mergeGroups(groups.groups, dynamic?.groups.groups);
  await writer.writeJson('groups.json', { '@odata.context': `${plan.endpoint}/v1.0/$metadata#groups`, value: allGroups });
  await writer.writeJson('subscribedSkus.json', { '@odata.context': `${plan.endpoint}/v1.0/$metadata#subscribedSkus`, value: skus });
  if (dynamic?.units.units) await writeUnits(writer, plan.endpoint, dynamic.units.units);
  const dynamicNotes = dynamic ? describeDynamic(allGroups, dynamic.units.units) : [];
  for (const n of dynamicNotes) ctx.warn(n);
  if (dynamic && !dynamic.units.units) dynamicNotes.push(UNITS_NOT_READ);

  const now = new Date().toISOString();
  const meta: LiveSnapshotMeta = {
    tenantId: org.tenantId,
    ...(org.displayName ? { tenantName: org.displayName } : {}),
    ...(org.countryLetterCode ? { countryLetterCode: org.countryLetterCode } : {}),
    takenAt: now,
    source: 'graph',
    endpoint: plan.endpoint,
    complete: true,
    deltaLinks: { users: usersDelta, devices: devicesDelta, groups: groups.deltaLinks, ...(dynamic ? { dynamicGroups: dynamic.groups.deltaLinks } : {}) },
    ...(dynamic ? { allDynamicGroups: true } : {}),
    fullFetchAt: now,
    select: { users, devices: DEVICE_FIELDS, groups: GROUP_FIELDS, ...(dynamic ? { administrativeUnits: UNIT_FIELDS } : {}) },
    extensionProperties: extensions,
    groupsRequested: plan.groups,
    missingGroups: groups.missing,
    unavailable: { devices: BETA_ONLY_DEVICE_FIELDS },
    counts: {
      users: userCount, devices: deviceCount, groups: allGroups.length, subscribedSkus: skus.length,
      ...(dynamic?.units.units ? { administrativeUnits: dynamic.units.units.length } : {}),
    },
    notes: [...notes, BETA_NOTE, ...dynamicNotes],
  };
  // Written last: a folder without a complete snapshot.json was never finished.
  await writer.writeJson('snapshot.json', meta);
  return meta;
}

/** Every dynamic group, then every dynamic administrative unit (graph/dynamic.ts). */
export async function readAllDynamic(ctx: Context): Promise<{ groups: DynamicGroupsRead; units: UnitsRead }> {
  ctx.progress({ kind: 'phase', phase: 'fetching', message: 'reading every dynamic group and administrative unit' });
  const [groups, units] = await runAll<[DynamicGroupsRead, UnitsRead]>(ctx, [() => readDynamicGroups(ctx), () => readDynamicUnits(ctx)]);
  return { groups, units };
}

/**
 * groups.json: the named groups that are not dynamic, then every dynamic group (when read), each
 * id once. A dynamic group a rule names is kept by the dynamic read, which also tracks it.
 */
export function mergeGroups(named: readonly JsonObject[], dynamic: readonly JsonObject[] | undefined): JsonObject[] {
  if (!dynamic) return [...named];
  const ids = new Set(dynamic.map((g) => String(g['id']).toLowerCase()));
  return [...named.filter((g) => !isDynamicGroup(g) && !ids.has(String(g['id']).toLowerCase())), ...dynamic];
}

export async function writeUnits(writer: SnapshotWriter, endpoint: string, units: readonly JsonObject[]): Promise<void> {
  await writer.writeJson('administrativeUnits.json', { '@odata.context': `${endpoint}/v1.0/$metadata#directory/administrativeUnits`, value: units });
}

/** Streams one paged collection into `<name>.jsonl|json`; returns how many objects it wrote. */
async function readCollection(
  ctx: Context, writer: SnapshotWriter, format: 'jsonl' | 'json', name: 'users' | 'devices', url: string,
  shape: (o: Record<string, unknown>) => Record<string, unknown>,
): Promise<number> {
  const file = await CollectionWriter.open(writer, name, format, `${ctx.client.endpoint}/v1.0/$metadata#${name}`);
  let n = 0;
  try {
    for await (const page of pages(ctx.client, url)) {
      await file.add(page.value.map(shape));
      ctx.progress({ kind: 'count', collection: name, count: file.written, pages: ++n, done: false });
    }
  } finally {
    await file.close();
  }
  ctx.progress({ kind: 'count', collection: name, count: file.written, pages: n, done: true });
  return file.written;
}

export function dedupe(list: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const s of list) {
    const t = s.trim();
    if (t && !seen.has(t.toLowerCase())) seen.set(t.toLowerCase(), t);
  }
  return [...seen.values()];
}

/** Anything thrown becomes a GraphError, so callers handle one type. */
export function asGraphError(e: unknown): GraphError {
  if (e instanceof GraphError) return e;
  return new GraphError('io', e instanceof Error ? e.message : String(e), { cause: e });
}
