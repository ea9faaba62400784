/**
 * `auditTenant`: every dynamic group and dynamic administrative unit of a snapshot, checked at
 * once (README, "The whole tenant"). Each rule gets the checks `dynrule check --tenant` runs, is
 * evaluated over the whole tenant on the columnar engine and compared with the members the
 * snapshot lists; then what only the tenant as a whole shows: limits, Entra ID P1 seats, SKUs
 * that reach a user from several groups, the rules that cost Entra the most.
 *
 * Rules are evaluated with `system.now` at the snapshot's `takenAt` (the moment its member lists
 * were read, so that a rule on dates is compared with the members it had then); the checks, and
 * memberOf's retirement, stand at `options.now` (the clock by default).
 */
import { blocksEvaluation, createRuleDocument, isMemberOfRule, l10n, memberOfRetired, parseRule, type Issue, type ParsedRule, type TenantFacts } from '../../../grammar/src/index';
import { compileRule, evaluateColumnar, type Table, type TriBits } from '../../../grammar/engine/src/index';
import { SharedEvaluator } from './sharedEvaluator';
import { checkDocument } from '../limits';
import { licensingGroupIssue } from '../preview/licenses';
import { printable } from '../printable';
import { snapshotFacts } from '../tenant/facts';
import { memberRows, tableOf } from '../tenant/queries';
import type { GraphGroup, Snapshot } from '../tenant/snapshot';
import { AUDIT_CODES, type AuditCode } from './codes';
import { ruleCost } from './cost';
import { dynamicObjects, type DynamicObject } from './dynamic';
import { guestControllableSpans } from './guests';
import { DYNAMIC_LIMIT, MEMBER_OF_LIMIT, p1Seats, popcountAnd, tenantFindings, type Evaluated } from './tenantFindings';
import type { AuditFinding, AuditOptions, AuditReport, Severity } from './types';

/** Graph's beta processing status values that mean the rule is not being applied. */
const FAILED_STATUS = new Set(['failed', 'unsupportedrule', 'quotalimitexceeded']);

const finding = (c: AuditCode, message: string, extra: { severity?: Severity; ids?: readonly string[] } = {}): AuditFinding => ({
  code: c.code, severity: extra.severity ?? c.severity, message, ...(extra.ids ? { ids: extra.ids } : {}),
});

const fromIssue = (i: Issue): AuditFinding => ({
  code: i.code, severity: i.severity === 'hint' ? 'info' : i.severity, message: i.message, range: { start: i.span.start, end: i.span.end },
});

/** The facts `check --tenant` uses, with each list built once for all the rules. */
function cachedFacts(s: Snapshot): TenantFacts {
  const facts = snapshotFacts(s);
  const once = <T>(f: (() => T) | undefined): (() => T) | undefined => {
    if (!f) return undefined;
    let done = false;
    let value: T;
    return () => (done ? value : ((done = true), (value = f())));
  };
  return { ...facts, ...(facts.groups ? { groups: once(facts.groups) } : {}), ...(facts.skus ? { skus: once(facts.skus) } : {}),
    ...(facts.administrativeUnits ? { administrativeUnits: once(facts.administrativeUnits) } : {}) };
}

/** The group's processing is not keeping its members in line with its rule. */
function stuck(o: DynamicObject, parsed: ParsedRule | undefined, now: number): string | undefined {
  const g = o.source;
  if (String(g['membershipRuleProcessingState'] ?? '').toLowerCase() === 'paused') return l10n.t('processing is paused');
  if (parsed && isMemberOfRule(parsed) && memberOfRetired(now)) return l10n.t('memberOf rules stopped updating on 2026-11-03');
  const status = g['membershipRuleProcessingStatus'] as { status?: unknown } | null | undefined;
  if (typeof status?.status === 'string' && FAILED_STATUS.has(status.status.toLowerCase())) return l10n.t('processing status is {0}', printable(status.status));
  return undefined;
}

/** Rows set in `a` and clear in both `not1` and `not2`, as ids. */
function rowsOf(table: Table, a: Uint32Array, not1: Uint32Array, not2?: Uint32Array): string[] {
  const out: string[] = [];
  for (let w = 0; w < a.length; w++) {
    let bits = a[w]! & ~not1[w]! & (not2 ? ~not2[w]! : 0xffffffff);
    while (bits !== 0) {
      const low = bits & -bits;
      out.push(table.id((w << 5) + 31 - Math.clz32(low)));
      bits ^= low;
    }
  }
  return out;
}


export function auditTenant(snapshot: Snapshot, options: AuditOptions = {}): AuditReport {
  const steps = auditSteps(snapshot, options);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * How long the sliced audit runs, by default, before it gives the event loop a turn. Short: the
 * language server reads one message a turn, so a message waits up to this long per message ahead.
 */
const SLICE_MS = 10;

/**
 * `auditTenant` in slices of about 10 ms, giving the event loop a turn between them (the editor's
 * other requests, a cancellation arriving) and stopping between two groups once `isCancelled`
 * says so: then `undefined`. `onProgress` hears how many dynamic objects are done out of how many.
 */
export async function auditTenantInSlices(snapshot: Snapshot, options: AuditOptions & {
  readonly isCancelled: () => boolean;
  readonly onProgress?: (done: number, total: number) => void;
  /** Milliseconds per slice (10); 0 gives the event loop a turn after every group. */
  readonly sliceMs?: number;
}): Promise<AuditReport | undefined> {
  const steps = auditSteps(snapshot, options);
  let slice = performance.now();
  for (;;) {
    if (options.isCancelled()) return undefined;
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() - slice >= (options.sliceMs ?? SLICE_MS)) {
      options.onProgress?.(r.value.done, r.value.total);
      await new Promise((resolve) => setImmediate(resolve));
      slice = performance.now();
    }
  }
}

/** The audit, a step per dynamic group or unit (each yields how many are done), then the report. */
function* auditSteps(snapshot: Snapshot, options: AuditOptions): Generator<{ done: number; total: number }, AuditReport> {
  const now = options.now ?? Date.now();
  const takenAt = typeof snapshot.meta?.takenAt === 'string' ? Date.parse(snapshot.meta.takenAt) : NaN;
  const evaluateAt = Number.isNaN(takenAt) ? now : takenAt;
  const facts = cachedFacts(snapshot);
  const users = tableOf(snapshot, 'user');
  const devices = tableOf(snapshot, 'device');
  const columnar = { now: evaluateAt };
  const shared = {
    user: users ? new SharedEvaluator(users, columnar) : undefined,
    device: devices ? new SharedEvaluator(devices, columnar) : undefined,
  };
  // Guests, once: which selected users are guests is a word-wise AND per group.
  const guests = users ? evaluateColumnar(parseRule('user.userType -eq "Guest"').expr!, users).t : undefined;

  const evaluated: Evaluated[] = [];
  // The users in any dynamic group, as one bitset: a group's own is dropped once added.
  let union: Uint32Array | undefined;
  const objects = dynamicObjects(snapshot);
  for (const o of objects) {
    const e = auditOne(snapshot, o, { now, facts, guests, shared });
    if (e.userBits) {
      union ??= new Uint32Array(e.userBits.length);
      for (let w = 0; w < union.length; w++) union[w]! |= e.userBits[w]!;
    }
    evaluated.push({ ...e, userBits: undefined });
    yield { done: evaluated.length, total: objects.length };
  }
  const people = union ? popcountAnd(union, union) : 0;
  evaluated.sort((a, b) => (a.object.kind === b.object.kind ? 0 : a.object.kind === 'group' ? -1 : 1)
    || a.entry.displayName.localeCompare(b.entry.displayName, 'en') || a.entry.id.localeCompare(b.entry.id));

  const findings = tenantFindings(snapshot, evaluated, users, people);
  const groups = evaluated.map((e) => e.entry);
  const all = [...findings, ...groups.flatMap((g) => g.findings)];
  const count = (s: Severity): number => all.filter((f) => f.severity === s).length;
  const dynamicCount = groups.length;
  const units = groups.filter((g) => g.kind === 'administrativeUnit').length;
  return {
    summary: {
      groups: dynamicCount - units,
      administrativeUnits: units,
      dynamicObjects: dynamicCount,
      dynamicLimit: DYNAMIC_LIMIT,
      memberOfGroups: evaluated.filter((e) => e.memberOf).length,
      memberOfLimit: MEMBER_OF_LIMIT,
      usersInDynamicGroups: people,
      p1Seats: p1Seats(snapshot),
      errors: count('error'),
      warnings: count('warning'),
      infos: count('info'),
    },
    findings,
    groups,
  };
}

interface Context {
  readonly now: number;
  readonly facts: TenantFacts;
  readonly guests: Uint32Array | undefined;
  readonly shared: Readonly<Record<'user' | 'device', SharedEvaluator | undefined>>;
}

function auditOne(s: Snapshot, o: DynamicObject, ctx: Context): Evaluated {
  const g: GraphGroup = o.source;
  const displayName = typeof g.displayName === 'string' ? g.displayName : g.id;
  const name = `"${printable(displayName, 80)}"`;
  const rule = typeof g.membershipRule === 'string' && g.membershipRule.trim() !== '' ? g.membershipRule : null;
  const state = typeof g['membershipRuleProcessingState'] === 'string' ? g['membershipRuleProcessingState'] as string : null;
  const licenses = o.kind === 'group' && Array.isArray(g.assignedLicenses)
    ? g.assignedLicenses.map((l) => l?.skuId).filter((id): id is string => typeof id === 'string') : [];
  const listed = Array.isArray(g.members);
  const findings: AuditFinding[] = [];
  if (state?.toLowerCase() === 'paused') {
    findings.push(finding(AUDIT_CODES.processingPaused, l10n.t('Rule processing of {0} is paused: its members stay as they are, whatever the rule or the people change.', name)));
  }
  if (licenses.length > 0) {
    const i = licensingGroupIssue(g);
    if (i) findings.push({ code: i.code, severity: i.severity === 'hint' ? 'info' : i.severity, message: i.message });
  }
  const base = { id: g.id, displayName, kind: o.kind, processingState: state, licenses, rule };

  if (rule === null) {
    findings.push(finding(AUDIT_CODES.noRule, l10n.t('{0} is dynamic but has no membershipRule: nothing to check or evaluate.', name)));
    const table = tableOf(s, 'user');
    const rows = table && listed ? memberRows(g, table, false) : undefined;
    return {
      object: o, memberOf: false, userBits: rows?.bits,
      entry: { ...base, type: 'user', members: listed ? g.members!.length : null, ruleMembers: 0, missing: [], extra: [], findings, unknown: 0, cost: 0 },
    };
  }

  const { parsed, issues } = checkDocument(createRuleDocument(rule), { now: ctx.now, tenant: ctx.facts });
  findings.push(...issues.map(fromIssue));
  const compiled = compileRule(parsed, { now: ctx.now });
  const type = compiled.ok ? compiled.rule.object : /(^|[\s(])device\./i.test(rule) ? 'device' : 'user';
  const memberOf = isMemberOfRule(parsed);
  for (const span of guestControllableSpans(parsed)) {
    findings.push({ ...finding(AUDIT_CODES.guestControllable, l10n.t('A guest chooses the address this condition reads (mail, otherMails, the #EXT# part of userPrincipalName), and the rule does not require userType Member: an outsider invited with a matching address joins {0}.', name)), range: span });
  }
  const cost = ruleCost(parsed, issues);

  const table = tableOf(s, type);
  const blocked = issues.some(blocksEvaluation) || !parsed.expr || !compiled.ok;
  let bits: TriBits | undefined;
  let failure: string | undefined;
  if (blocked) failure = l10n.t('the rule has errors');
  else if (!table) failure = type === 'user' ? l10n.t('the snapshot has no users') : l10n.t('the snapshot has no devices');
  else {
    try {
      bits = ctx.shared[type]!.evaluate(parsed.expr!, rule);
    } catch (e) {
      failure = l10n.t('the evaluation failed: {0}', printable((e as Error).message, 120));
    }
  }
  const rows = table && listed ? memberRows(g, table, false) : undefined;
  const members = listed ? (rows ? rows.count + rows.gone : g.members!.length) : null;
  if (!bits || !table) {
    findings.push(finding(AUDIT_CODES.ruleNotEvaluated, l10n.t('The rule of {0} was not evaluated ({1}): what it selects and how the members differ are not known.', name, failure ?? '')));
    return {
      object: o, memberOf, userBits: type === 'user' ? rows?.bits : undefined,
      entry: { ...base, type, members, ruleMembers: 0, missing: [], extra: [], findings, unknown: 0, cost },
    };
  }

  const ruleMembers = bits.count('t');
  const unknown = bits.count('u');
  const missing = rows ? rowsOf(table, bits.t, rows.bits) : [];
  const extra = rows ? rowsOf(table, rows.bits, bits.t, bits.u) : [];
  if (missing.length + extra.length > 0) {
    const why = stuck(o, parsed, ctx.now);
    const what = [
      missing.length === 0 ? '' : missing.length === 1 ? l10n.t('1 selected by the rule but not a member') : l10n.t('{0} selected by the rule but not members', l10n.formatNumber(missing.length)),
      extra.length === 0 ? '' : extra.length === 1 ? l10n.t('1 member the rule does not select') : l10n.t('{0} members the rule does not select', l10n.formatNumber(extra.length)),
    ].filter(Boolean).join(', ');
    findings.push(finding(AUDIT_CODES.membershipDrift, why
      ? l10n.t('The members of {0} differ from its rule and will not catch up ({1}): {2}.', name, why, what)
      : l10n.t('The members of {0} differ from its rule: {1}. Processing is on, so Entra is probably still applying recent changes.', name, what),
    { severity: why ? 'warning' : 'info' }));
  }
  if (licenses.length > 0 && type === 'user' && ctx.guests) {
    const selectedGuests = popcountAnd(bits.t, ctx.guests);
    if (selectedGuests > 0) {
      findings.push(finding(AUDIT_CODES.guestsInLicensingGroup, selectedGuests === 1
        ? l10n.t('{0} assigns licenses and its rule selects 1 guest: each takes a seat. If guests are not meant to have these licenses, add user.userType -eq "Member" to the rule.', name)
        : l10n.t('{0} assigns licenses and its rule selects {1} guests: each takes a seat. If guests are not meant to have these licenses, add user.userType -eq "Member" to the rule.', name, l10n.formatNumber(selectedGuests)), {
        ids: rowsOf(table, bits.t, notOf(ctx.guests)),
      }));
    }
  }
  findings.sort((a, b) => (a.range?.start ?? -1) - (b.range?.start ?? -1));
  return {
    object: o, memberOf,
    userBits: type === 'user' ? (rows?.bits ?? bits.t) : undefined,
    entry: { ...base, type, members, ruleMembers, missing, extra, findings, unknown, cost },
  };
}

function notOf(a: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length);
  for (let w = 0; w < a.length; w++) out[w] = ~a[w]!;
  return out;
}
