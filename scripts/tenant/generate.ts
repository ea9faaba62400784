/**
 * Generates a synthetic tenant snapshot folder (README, Files; samples/tenant/README.md) in one streaming pass:
 * users, then devices, then groups (whose `members` were collected on the way) and the
 * subscriptions (whose `consumedUnits` were counted on the way).
 *
 * Dynamic groups' members are what the language core's own evaluator gives for their rules, at
 * the snapshot's `takenAt`, except the groups with a declared drift. Group-inherited license
 * states follow the groups' members and licenses. Everything is drawn from seeded PRNG streams,
 * so the same options give byte-identical files.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { compileRule, parseRule, U, T, type CompiledRule } from '../../grammar/src/index';
import { findServicePlan } from '../../grammar/src/licensing';
import { TENANT } from './data';
import { DeviceFactory } from './devices';
import { BenchGroups } from './benchGroups';
import { ADMINISTRATIVE_UNITS, GROUPS, type GroupDef } from './groups';
import { MCOSTANDARD, PlanTemplates, TENANT_SKUS, enabledUnits, licenseFields, planIds, skuIndex, type LicenseSource } from './licences';
import { Rng } from './random';
import { UserFactory, isoDate, userId, type UserDraft } from './users';
import { CollectionWriter, IndexList, type Format } from './writer';

export interface GenerateOptions {
  readonly seed: number;
  readonly users: number;
  readonly devices: number;
  readonly out: string;
  readonly format: Format;
  /** Generated dynamic user groups besides the sample's own (see benchGroups.ts); default none. */
  readonly dynamicGroups?: number;
  /** Called every 100,000 objects. */
  readonly onProgress?: (what: 'users' | 'devices', done: number) => void;
}

export const DEFAULT_OPTIONS = { seed: 1, users: 400, devices: 80, format: 'json' as Format };

export interface GroupSummary {
  readonly id: string;
  readonly displayName: string;
  readonly object: 'user' | 'device';
  readonly membershipRule: string | null;
  readonly licenses: readonly string[];
  readonly members: number;
  readonly drift?: string;
  readonly driftIds?: readonly string[];
  readonly warnings: readonly string[];
}

export interface GenerateSummary {
  readonly tenantId: string;
  readonly users: number;
  readonly guests: number;
  readonly disabled: number;
  readonly withoutUsageLocation: number;
  readonly devices: number;
  readonly groups: readonly GroupSummary[];
  readonly administrativeUnits: readonly GroupSummary[];
  /** How many generated dynamic groups (--dynamic-groups) were written besides `groups`. */
  readonly dynamicGroups: number;
  readonly skus: readonly { skuPartNumber: string; skuId: string; enabled: number; consumed: number; errors: number }[];
  readonly files: readonly { name: string; bytes: number }[];
  readonly ms: number;
}

/** How many of a group-assigned SKU that has no seat left fail with CountViolation. */
const COUNT_VIOLATIONS = 3;
const DAY = 86_400_000;
const TAKEN_AT_MS = Date.parse(TENANT.takenAt);
const CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata#';

interface Prepared {
  readonly def: GroupDef;
  readonly index: number;
  readonly id: string;
  readonly rule: string | null;
  readonly compiled: CompiledRule | undefined;
  readonly warnings: readonly string[];
  /** Reads assignedPlans, so it is evaluated after licenses are known. */
  readonly afterLicenses: boolean;
  readonly licenses: readonly { sku: number; disabledPlans: readonly string[] }[];
  readonly members: IndexList;
  driftIds: string[];
}

function prepareGroups(seed: number): Prepared[] {
  const all = [...GROUPS, ...ADMINISTRATIVE_UNITS];
  const ids = new Map(all.map((g) => [g.key, new Rng(seed, `group:${g.key}`).uuid()]));
  const ruleIds = {
    group: (key: string): string => {
      const id = ids.get(key);
      if (!id) throw new Error(`no group ${key}`);
      return id;
    },
    engineeringHead: userId(seed, UserFactory.headIndex('Engineering')),
  };
  return all.map((def, index) => {
    const rule = def.rule ? def.rule(ruleIds) : null;
    let compiled: CompiledRule | undefined;
    let warnings: string[] = [];
    if (rule !== null) {
      const result = compileRule(parseRule(rule), { now: TAKEN_AT_MS });
      warnings = result.issues.map((i) => `${i.severity} ${i.code}: ${i.message}`);
      if (!result.ok) throw new Error(`the rule of ${def.displayName} does not compile: ${warnings.join('; ')}`);
      if (result.rule.object !== def.object) throw new Error(`the rule of ${def.displayName} is a ${result.rule.object} rule`);
      compiled = result.rule;
    }
    const afterLicenses = rule !== null && /assignedPlans/i.test(rule);
    if (afterLicenses && def.licenses) throw new Error(`${def.displayName} assigns licenses from a rule on assignedPlans: a cascade`);
    const licenses = (def.licenses ?? []).map((l) => ({ sku: skuIndex(l.sku), disabledPlans: planIds(l.disabledPlans ?? []) }));
    return { def, index, id: ids.get(def.key)!, rule, compiled, warnings, afterLicenses, licenses, members: new IndexList(), driftIds: [] };
  });
}

/** Records object `i` in the groups flagged in `inGroup` and returns their ids. */
function recordMembership(groups: readonly Prepared[], inGroup: Uint8Array, i: number): string[] {
  const ids: string[] = [];
  for (const g of groups) {
    if (!inGroup[g.index]) continue;
    g.members.push(i);
    // Administrative units are not groups: memberOf rules never see them.
    if (!g.def.unit) ids.push(g.id);
  }
  return ids;
}

/** The text of a group, `members` last, a thousand member ids a piece. */
function* memberPieces(head: string, g: Prepared, idOf: (i: number) => string): Generator<string> {
  yield `${head}[`;
  let piece = '';
  for (let k = 0; k < g.members.length; k++) {
    piece += `${k === 0 ? '' : ','}"${idOf(g.members.at(k))}"`;
    if (k % 1000 === 999) {
      yield piece;
      piece = '';
    }
  }
  yield `${piece}]}`;
}

/** The ids of the groups flagged in `inGroup`. */
function idsOf(groups: readonly Prepared[], inGroup: Uint8Array): string[] {
  const ids: string[] = [];
  for (const g of groups) if (inGroup[g.index] && !g.def.unit) ids.push(g.id);
  return ids;
}

/** When a license was assigned: soon after the later of the purchase and the hire. */
function assignedOn(rng: Rng, sku: number, hiredMs: number | undefined): string {
  const from = Math.max(TENANT_SKUS[sku]!.purchasedMs, hiredMs ?? TAKEN_AT_MS - 900 * DAY) + DAY;
  return dateBetween(rng, Math.min(from, TAKEN_AT_MS - 2 * DAY), Math.min(from + 20 * DAY, TAKEN_AT_MS - DAY));
}

function direct(d: UserDraft, part: string): LicenseSource {
  const sku = skuIndex(part);
  return { sku, groupId: null, disabledPlans: [], error: 'None', date: assignedOn(d.rng, sku, d.hiredMs) };
}

/**
 * Where a user's licenses come from: the licensing groups they are in, then direct assignments
 * (self-service sign-ups, a few legacy direct E3s, leavers whose license nobody removed). A group
 * assignment of an exhausted SKU fails with CountViolation for the first few members; group
 * licensing is all or nothing per group, so the group's other SKUs fail with it.
 */
function licenseSources(d: UserDraft, userGroups: readonly Prepared[], inGroup: Uint8Array, errors: number[], e3Index: number): LicenseSource[] {
  const rng = d.rng;
  const sources: LicenseSource[] = [];
  for (const g of userGroups) {
    if (!inGroup[g.index] || g.licenses.length === 0) continue;
    let short = false;
    for (const l of g.licenses) if (TENANT_SKUS[l.sku]!.seats.kind === 'exhausted' && errors[l.sku]! < COUNT_VIOLATIONS) short = true;
    for (const l of g.licenses) {
      if (short) errors[l.sku]!++;
      sources.push({
        sku: l.sku, groupId: g.id, disabledPlans: l.disabledPlans, error: short ? 'CountViolation' : 'None',
        date: short ? dateBetween(rng, TAKEN_AT_MS - 10 * DAY, TAKEN_AT_MS - DAY) : assignedOn(rng, l.sku, d.hiredMs),
      });
    }
  }
  // A license cannot be assigned directly without a usage location.
  const u = d.user;
  if (d.guest || u['usageLocation'] === null) return sources;
  if (d.index === 0) sources.push(direct(d, 'SPE_E5'));
  if ((inGroup[e3Index] === 1 && rng.chance(0.03)) || (u['accountEnabled'] === false && rng.chance(0.4))) sources.push(direct(d, 'SPE_E3'));
  const title = typeof u['jobTitle'] === 'string' ? u['jobTitle'] : '';
  if (/^(Program|Product) Manager$/.test(title) ? rng.chance(0.35) : rng.chance(0.01)) sources.push(direct(d, 'PROJECTPROFESSIONAL'));
  if (rng.chance(0.12)) sources.push(direct(d, 'FLOW_FREE'));
  if (rng.chance(0.18)) sources.push(direct(d, 'POWER_BI_STANDARD'));
  return sources;
}

/** A date in [from, to), as Graph writes it. */
function dateBetween(rng: Rng, from: number, to: number): string {
  return isoDate(from + Math.floor(rng.next() * Math.max(1, to - from)));
}

export async function generateTenant(options: GenerateOptions): Promise<GenerateSummary> {
  const started = performance.now();
  const { seed, format } = options;
  await fs.mkdir(options.out, { recursive: true });
  const tenantId = new Rng(seed, 'tenant').uuid();
  const groups = prepareGroups(seed);
  const userGroups = groups.filter((g) => g.def.object === 'user');
  const deviceGroups = groups.filter((g) => g.def.object === 'device');
  const byKey = new Map(groups.map((g) => [g.def.key, g]));
  const consumed = new Array<number>(TENANT_SKUS.length).fill(0);
  const errors = new Array<number>(TENANT_SKUS.length).fill(0);
  const driftCount = new Map<string, number>();
  const templates = new PlanTemplates();
  const files: { name: string; bytes: number }[] = [];
  const ext = format === 'json' ? '.json' : '.jsonl';

  // Users.
  const users = await CollectionWriter.open(path.join(options.out, `users${ext}`), format, `${CONTEXT}users`);
  const factory = new UserFactory(seed);
  const inGroup = new Uint8Array(groups.length);
  let guests = 0;
  let disabled = 0;
  let withoutUsageLocation = 0;
  const bench = options.dynamicGroups ? new BenchGroups(seed, options.dynamicGroups, TAKEN_AT_MS) : undefined;
  const evaluate = (g: Prepared, obj: Record<string, unknown>): boolean => {
    const r = g.compiled!.test(obj);
    if (r === U) throw new Error(`${g.def.displayName}: the rule is unknown for ${String(obj['id'])}; the generated object lacks a field`);
    return r === T;
  };
  const applyDrift = (g: Prepared, d: UserDraft, member: boolean): boolean => {
    const drift = g.def.drift;
    if (!drift) return member;
    const n = driftCount.get(g.def.key) ?? 0;
    if (n >= drift.count) return member;
    const flip = drift.kind === 'stale' ? !member && drift.who(d) : member;
    if (!flip) return member;
    driftCount.set(g.def.key, n + 1);
    g.driftIds.push(d.id);
    return !member;
  };

  for (let i = 0; i < options.users; i++) {
    const d = factory.make(i);
    const u = d.user;
    inGroup.fill(0);
    for (const key of d.staticGroups) inGroup[byKey.get(key)!.index] = 1;
    // memberOf rules read the static groups only; the dynamic ones are added below.
    u['memberOf'] = idsOf(groups, inGroup);
    for (const g of userGroups) {
      if (g.compiled && !g.afterLicenses) inGroup[g.index] = applyDrift(g, d, evaluate(g, u)) ? 1 : 0;
    }

    const sources = licenseSources(d, userGroups, inGroup, errors, byKey.get('e3')!.index);
    sources.sort((a, b) => a.sku - b.sku || (a.groupId === null ? -1 : b.groupId === null ? 1 : 0));
    const lf = licenseFields(sources);
    const legacy = inGroup[byKey.get('f3')!.index] === 1 && d.rng.chance(0.15);
    const plans = templates.get(lf.slots, legacy);
    u['assignedLicenses'] = lf.assignedLicenses;
    u['licenseAssignmentStates'] = lf.licenseAssignmentStates;
    u['assignedPlans'] = plans.views;
    if (typeof u['mail'] === 'string' && plans.enabled.has(MCOSTANDARD)) u['imAddresses'] = [`sip:${u['mail'].toLowerCase()}`];
    for (const g of userGroups) {
      if (g.compiled && g.afterLicenses) inGroup[g.index] = applyDrift(g, d, evaluate(g, u)) ? 1 : 0;
    }
    u['memberOf'] = recordMembership(groups, inGroup, i);
    // The generated groups are left out of memberOf: no rule reads them, and a million users
    // would carry a few more ids each for nothing.
    bench?.add(i, u);
    for (const l of lf.assignedLicenses) consumed[TENANT_SKUS.findIndex((p) => p.sku.skuId === l.skuId)]!++;

    if (d.guest) guests++;
    if (u['accountEnabled'] === false) disabled++;
    if (u['usageLocation'] === null) withoutUsageLocation++;
    // assignedPlans goes last, written from its stencil.
    u['assignedPlans'] = undefined;
    const text = JSON.stringify(u);
    await users.addStenciled(`${text.slice(0, -1)},"assignedPlans":`, plans.stencil, plans.dates, '}');
    if ((i + 1) % 100_000 === 0) options.onProgress?.('users', i + 1);
  }
  files.push({ name: `users${ext}`, bytes: await users.close() });

  // Devices.
  const devices = await CollectionWriter.open(path.join(options.out, `devices${ext}`), format, `${CONTEXT}devices`);
  const deviceFactory = new DeviceFactory(seed);
  const deviceIds: string[] = [];
  const lab = byKey.get('labDevices')!;
  for (let i = 0; i < options.devices; i++) {
    const d = deviceFactory.make(i);
    deviceIds.push(d.id);
    inGroup.fill(0);
    if (d.lab) inGroup[lab.index] = 1;
    d.device['memberOf'] = idsOf(groups, inGroup);
    for (const g of deviceGroups) if (g.compiled) inGroup[g.index] = evaluate(g, d.device) ? 1 : 0;
    d.device['memberOf'] = recordMembership(groups, inGroup, i);
    await devices.add(JSON.stringify(d.device));
    if ((i + 1) % 100_000 === 0) options.onProgress?.('devices', i + 1);
  }
  files.push({ name: `devices${ext}`, bytes: await devices.close() });

  // Groups.
  const groupWriter = await CollectionWriter.open(path.join(options.out, `groups${ext}`), format, `${CONTEXT}groups`);
  for (const g of groups) {
    if (g.def.unit) continue;
    const created = new Rng(seed, `group-created:${g.def.key}`);
    const dynamic = g.rule !== null;
    const group = {
      id: g.id,
      displayName: g.def.displayName,
      description: g.def.description,
      mailNickname: g.def.displayName.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, ''),
      mail: null,
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: dynamic ? ['DynamicMembership'] : [],
      membershipRule: g.rule,
      membershipRuleProcessingState: dynamic ? (g.def.paused ? 'Paused' : 'On') : null,
      isAssignableToRole: false,
      onPremisesSyncEnabled: g.def.synced ? true : null,
      createdDateTime: dateBetween(created, Date.parse('2021-01-01T00:00:00Z'), Date.parse('2026-06-01T00:00:00Z')),
      assignedLicenses: g.licenses.map((l) => ({ disabledPlans: [...l.disabledPlans], skuId: TENANT_SKUS[l.sku]!.sku.skuId })),
      licenseProcessingState: g.licenses.length > 0 ? { state: 'ProcessingComplete' } : null,
      members: [],
    };
    const head = JSON.stringify(group);
    await groupWriter.addPieces(memberPieces(head.slice(0, -3), g, (i) => (g.def.object === 'user' ? factory.ids.get(i) : deviceIds[i]!)));
  }
  for (const b of bench?.groups ?? []) {
    const created = new Rng(seed, 'bench-group-created', b.index);
    const head = JSON.stringify({
      id: b.id, displayName: b.displayName, description: null,
      mailNickname: `dyn-${b.index + 1}`, mail: null, mailEnabled: false, securityEnabled: true,
      groupTypes: ['DynamicMembership'], membershipRule: b.rule, membershipRuleProcessingState: b.paused ? 'Paused' : 'On',
      isAssignableToRole: false, onPremisesSyncEnabled: null,
      createdDateTime: dateBetween(created, Date.parse('2021-01-01T00:00:00Z'), Date.parse('2026-06-01T00:00:00Z')),
      assignedLicenses: [], licenseProcessingState: null, members: [],
    });
    const list = b.members;
    await groupWriter.addPieces((function* () {
      yield `${head.slice(0, -3)}[`;
      let piece = '';
      for (let k = 0; k < list.length; k++) {
        piece += `${k === 0 ? '' : ','}"${factory.ids.get(list.at(k))}"`;
        if (k % 1000 === 999) { yield piece; piece = ''; }
      }
      yield `${piece}]}`;
    })());
  }
  files.push({ name: `groups${ext}`, bytes: await groupWriter.close() });

  // Administrative units (Graph administrativeUnit objects, members as for groups).
  const unitWriter = await CollectionWriter.open(path.join(options.out, `administrativeUnits${ext}`), format, `${CONTEXT}directory/administrativeUnits`);
  for (const g of groups) {
    if (!g.def.unit) continue;
    const dynamic = g.rule !== null;
    const head = JSON.stringify({
      id: g.id, displayName: g.def.displayName, description: g.def.description, visibility: null,
      membershipType: dynamic ? 'Dynamic' : null, membershipRule: g.rule,
      membershipRuleProcessingState: dynamic ? (g.def.paused ? 'Paused' : 'On') : null, members: [],
    });
    await unitWriter.addPieces(memberPieces(head.slice(0, -3), g, (i) => factory.ids.get(i)));
  }
  files.push({ name: `administrativeUnits${ext}`, bytes: await unitWriter.close() });

  // Subscriptions.
  const skuWriter = await CollectionWriter.open(path.join(options.out, `subscribedSkus${ext}`), format, `${CONTEXT}subscribedSkus`);
  const skuSummary: { skuPartNumber: string; skuId: string; enabled: number; consumed: number; errors: number }[] = [];
  for (const [k, p] of TENANT_SKUS.entries()) {
    const enabled = enabledUnits(p, consumed[k]!);
    skuSummary.push({ skuPartNumber: p.sku.skuPartNumber, skuId: p.sku.skuId, enabled, consumed: consumed[k]!, errors: errors[k]! });
    await skuWriter.add(JSON.stringify({
      accountName: TENANT.name,
      accountId: tenantId,
      appliesTo: 'User',
      capabilityStatus: 'Enabled',
      consumedUnits: consumed[k],
      id: `${tenantId}_${p.sku.skuId}`,
      prepaidUnits: { enabled, lockedOut: 0, suspended: p.suspended ?? 0, warning: p.warning ?? 0 },
      servicePlans: p.sku.servicePlanIds.map((id) => {
        const plan = findServicePlan(id)!;
        return {
          servicePlanId: id,
          servicePlanName: plan.servicePlanName,
          provisioningStatus: 'Success',
          appliesTo: plan.servicePlanName.startsWith('EXCHANGE_S_FOUNDATION') ? 'Company' : 'User',
        };
      }),
      skuId: p.sku.skuId,
      skuPartNumber: p.sku.skuPartNumber,
      subscriptionIds: [new Rng(seed, `subscription:${p.sku.skuPartNumber}`).uuid()],
    }));
  }
  files.push({ name: `subscribedSkus${ext}`, bytes: await skuWriter.close() });

  const snapshot = {
    tenantId,
    tenantName: TENANT.name,
    takenAt: TENANT.takenAt,
    source: 'generated',
    generator: { seed, users: options.users, devices: options.devices },
  };
  const snapshotText = `${JSON.stringify(snapshot, null, 2)}\n`;
  await fs.writeFile(path.join(options.out, 'snapshot.json'), snapshotText);
  files.push({ name: 'snapshot.json', bytes: Buffer.byteLength(snapshotText) });

  // A stale file of the other format would shadow or confuse the one just written.
  const other = format === 'json' ? '.jsonl' : '.json';
  for (const name of ['users', 'devices', 'groups', 'subscribedSkus', 'administrativeUnits']) await fs.rm(path.join(options.out, name + other), { force: true });

  return {
    tenantId,
    users: options.users,
    guests,
    disabled,
    withoutUsageLocation,
    devices: options.devices,
    dynamicGroups: bench?.groups.length ?? 0,
    administrativeUnits: groups.filter((g) => g.def.unit).map(summaryOf),
    groups: groups.filter((g) => !g.def.unit).map(summaryOf),
    skus: skuSummary,
    files,
    ms: performance.now() - started,
  };
}

function summaryOf(g: Prepared): GroupSummary {
  return {
    id: g.id, displayName: g.def.displayName, object: g.def.object, membershipRule: g.rule,
    licenses: g.licenses.map((l) => {
      const names = l.disabledPlans.map((id) => findServicePlan(id)!.servicePlanName);
      return TENANT_SKUS[l.sku]!.sku.skuPartNumber + (names.length ? `(-${names.join(', -')})` : '');
    }),
    members: g.members.length,
    ...(g.def.drift ? { drift: g.def.drift.note, driftIds: g.driftIds } : {}),
    warnings: g.warnings,
  };
}
