/**
 * What must hold in any generated tenant, as checks that return problems rather than throw, so a
 * failing test lists every broken object at once. The evaluator is the language core's own.
 */
import { DEVICE_PROPERTIES, USER_PROPERTIES, parseRule, type PropertyDef } from '../../../grammar/src/index';
import { compileRule, type GraphObject } from '../../../grammar/engine/src/index';
import { servicePlansOf } from '../../../grammar/src/licensing';
import type { Obj, Tenant } from './snapshotFiles';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const arr = <T = unknown>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

/** The two groups whose members drift from their rule on purpose (samples/tenant/README.md). */
export const DRIFTING_GROUPS = ['Sales - All', 'LIC - Teams Phone (Customer Support, US and Canada)'];

/** Reads a catalogue property's Graph field: undefined when a path segment is absent. */
export function graphField(obj: Obj, def: PropertyDef): unknown {
  const p = def.graph.replace(/^first:/, '');
  let cur: unknown = obj;
  for (const seg of p.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Obj)[seg];
  }
  return cur;
}

/** Rule fields a user or device lacks (key absent): "data missing" to the evaluator. */
export function missingFields(t: Tenant): string[] {
  const out: string[] = [];
  const check = (objs: Obj[], defs: readonly PropertyDef[], extra: string[]): void => {
    for (const o of objs) {
      for (const def of defs) if (graphField(o, def) === undefined) out.push(`${str(o['id'])} lacks ${def.graph} (${def.name})`);
      for (const k of extra) if (!(k in o)) out.push(`${str(o['id'])} lacks ${k}`);
    }
  };
  check(t.users, USER_PROPERTIES, ['manager', 'assignedLicenses', 'licenseAssignmentStates']);
  check(t.devices, DEVICE_PROPERTIES, []);
  return out;
}

export interface RuleDiff {
  readonly group: string;
  /** Members the rule does not select. */
  readonly extra: string[];
  /** Objects the rule selects that are not members. */
  readonly missing: string[];
  readonly unknown: string[];
}

/** Each dynamic group's stored members against the engine's result at the snapshot's time. */
export function ruleDiffs(t: Tenant): RuleDiff[] {
  const now = Date.parse(str(t.meta['takenAt']));
  const out: RuleDiff[] = [];
  for (const g of t.groups) {
    if (!arr(g['groupTypes']).includes('DynamicMembership')) continue;
    const compiled = compileRule(parseRule(str(g['membershipRule'])), { now });
    if (!compiled.ok) throw new Error(`${str(g['displayName'])}: ${compiled.issues.map((i) => i.message).join('; ')}`);
    const objs = compiled.rule.object === 'user' ? t.users : t.devices;
    const members = new Set(arr<string>(g['members']));
    const diff: RuleDiff = { group: str(g['displayName']), extra: [], missing: [], unknown: [] };
    const selected = new Set<string>();
    for (const o of objs) {
      const r = compiled.rule.evaluate(o as GraphObject);
      const id = str(o['id']);
      if (r === 'unknown') diff.unknown.push(id);
      if (r === true) selected.add(id);
      if (r === true && !members.has(id)) diff.missing.push(id);
    }
    for (const id of members) if (!selected.has(id)) diff.extra.push(id);
    out.push(diff);
  }
  return out;
}

/** `memberOf` on users and devices agrees with the groups' `members`. */
export function membershipProblems(t: Tenant): string[] {
  const out: string[] = [];
  const objs = new Map<string, Obj>([...t.users, ...t.devices].map((o) => [str(o['id']), o]));
  const pairs = new Set<string>();
  for (const g of t.groups) {
    for (const m of arr<string>(g['members'])) {
      pairs.add(`${m}|${str(g['id'])}`);
      const o = objs.get(m);
      if (!o) out.push(`${str(g['displayName'])} lists unknown member ${m}`);
      else if (!arr(o['memberOf']).includes(g['id'])) out.push(`${m} is in ${str(g['displayName'])} but its memberOf lacks it`);
    }
  }
  for (const o of objs.values()) {
    for (const gid of arr<string>(o['memberOf'])) {
      if (!pairs.has(`${str(o['id'])}|${gid}`)) out.push(`${str(o['id'])} has ${gid} in memberOf but is not among its members`);
    }
  }
  return out;
}

interface State { assignedByGroup: string | null; disabledPlans: string[]; error: string; skuId: string; state: string }

/**
 * License fields follow group-based licensing: inherited states match the groups a user is in
 * and what they assign; assignedLicenses is the union of working states with a plan disabled only
 * where every source disables it; assignedPlans holds exactly the enabled plans of those licenses.
 */
export function licenseProblems(t: Tenant): string[] {
  const out: string[] = [];
  const expected = new Map<string, Set<string>>();
  const disabledBy = new Map<string, string>();
  for (const g of t.groups) {
    for (const l of arr<Obj>(g['assignedLicenses'])) {
      disabledBy.set(`${str(g['id'])}|${str(l['skuId'])}`, JSON.stringify([...arr<string>(l['disabledPlans'])].sort()));
      for (const m of arr<string>(g['members'])) {
        let s = expected.get(m);
        if (!s) expected.set(m, (s = new Set()));
        s.add(`${str(g['id'])}|${str(l['skuId'])}`);
      }
    }
  }
  for (const u of t.users) {
    const id = str(u['id']);
    const states = arr<State>(u['licenseAssignmentStates']);
    const inherited = new Set(states.filter((s) => s.assignedByGroup !== null).map((s) => `${s.assignedByGroup}|${s.skuId}`));
    const want = expected.get(id) ?? new Set<string>();
    for (const k of want) if (!inherited.has(k)) out.push(`${id} is in a group that assigns ${k} but has no state for it`);
    for (const k of inherited) if (!want.has(k)) out.push(`${id} inherits ${k} but is not a member of that group`);
    for (const s of states) {
      if (s.assignedByGroup !== null && JSON.stringify([...s.disabledPlans].sort()) !== disabledBy.get(`${s.assignedByGroup}|${s.skuId}`)) {
        out.push(`${id}: disabledPlans of ${s.skuId} from ${s.assignedByGroup} differ from the group's`);
      }
      const ok = s.error === 'None' && s.state === 'Active';
      const failed = s.error === 'CountViolation' && s.state === 'Error';
      if (!ok && !failed) out.push(`${id}: unexpected state ${s.state}/${s.error}`);
    }

    const union = new Map<string, string[]>();
    for (const s of states) {
      if (s.state !== 'Active') continue;
      const d = union.get(s.skuId);
      union.set(s.skuId, d ? d.filter((p) => s.disabledPlans.includes(p)) : [...s.disabledPlans]);
    }
    const licenses = arr<{ skuId: string; disabledPlans: string[] }>(u['assignedLicenses']);
    const got = new Map(licenses.map((l) => [l.skuId, [...l.disabledPlans].sort()]));
    if (got.size !== licenses.length) out.push(`${id}: a SKU appears twice in assignedLicenses`);
    if (JSON.stringify([...got.keys()].sort()) !== JSON.stringify([...union.keys()].sort())) out.push(`${id}: assignedLicenses is not the union of its working states`);
    for (const [sku, d] of union) {
      if (got.has(sku) && JSON.stringify(got.get(sku)) !== JSON.stringify([...d].sort())) out.push(`${id}: disabledPlans of ${sku} are not the intersection over sources`);
    }

    const enabledWant = new Set<string>();
    for (const l of licenses) {
      const plans = servicePlansOf(l.skuId);
      if (plans.length === 0) out.push(`${id}: ${l.skuId} is not in the licensing catalogue`);
      for (const p of plans) if (!l.disabledPlans.includes(p.servicePlanId)) enabledWant.add(p.servicePlanId);
    }
    const plans = arr<Obj>(u['assignedPlans']);
    const enabledGot = new Set(plans.filter((p) => p['capabilityStatus'] === 'Enabled').map((p) => str(p['servicePlanId'])));
    for (const p of enabledWant) if (!enabledGot.has(p)) out.push(`${id}: plan ${p} of an assigned license is not in assignedPlans`);
    for (const p of enabledGot) if (!enabledWant.has(p)) out.push(`${id}: assignedPlans has ${p}, which no assigned license enables`);
    for (const p of plans) {
      if (p['capabilityStatus'] !== 'Enabled' && enabledGot.has(str(p['servicePlanId']))) out.push(`${id}: ${str(p['servicePlanId'])} is both enabled and not`);
    }
  }
  return out;
}

/** consumedUnits counts the users holding each SKU once. */
export function seatProblems(t: Tenant): string[] {
  const out: string[] = [];
  const held = new Map<string, number>();
  for (const u of t.users) for (const l of arr<Obj>(u['assignedLicenses'])) held.set(str(l['skuId']), (held.get(str(l['skuId'])) ?? 0) + 1);
  for (const s of t.skus) {
    const sku = str(s['skuId']);
    if (s['consumedUnits'] !== (held.get(sku) ?? 0)) out.push(`${str(s['skuPartNumber'])}: consumedUnits ${String(s['consumedUnits'])}, users holding it ${held.get(sku) ?? 0}`);
    held.delete(sku);
  }
  for (const sku of held.keys()) out.push(`users hold ${sku}, which the tenant does not subscribe to`);
  return out;
}

export const available = (s: Obj): number => ((s['prepaidUnits'] as { enabled: number }).enabled) - (s['consumedUnits'] as number);
