import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { auditTenant, auditTenantInSlices, AUDIT_CODE_LIST, filePosition, pullRules, type AuditGroup, type AuditReport } from '../../../server/src/audit/index';
import { guestControllableSpans } from '../../../server/src/audit/guests';
import { renderRuleFile } from '../../../server/src/audit/pull';
import { parseRule } from '../../../grammar/src/index';
import { dynamicGroup, guid, p1Sku, tenant, user, type Obj } from './fixture';

const AFTER_RETIREMENT = Date.parse('2026-12-04T00:00:00Z');
const BEFORE_RETIREMENT = Date.parse('2026-10-01T00:00:00Z');

const group = (r: AuditReport, name: string): AuditGroup => {
  const g = r.groups.find((x) => x.displayName === name);
  assert.ok(g, `no group ${name} in ${r.groups.map((x) => x.displayName).join(', ')}`);
  return g;
};
const codes = (g: AuditGroup): string[] => g.findings.map((f) => `${f.severity} ${f.code}`);

// Ten users: 1-4 Sales in Lagos, 5-6 Sales in Abuja, 7 Legal, 8 a guest in Sales, 9 without department
// (unknown for department rules), 10 disabled.
const USERS: Obj[] = [
  user(1), user(2), user(3), user(4),
  user(5, { city: 'Abuja' }), user(6, { city: 'Abuja' }),
  user(7, { department: 'Legal' }),
  user(8, { userType: 'Guest', userPrincipalName: 'eve_gmail.com#EXT#@contoso.onmicrosoft.com', mail: 'eve@gmail.com' }),
  user(10, { accountEnabled: false }),
];
{
  const u9 = user(9);
  delete u9['department'];
  USERS.splice(8, 0, u9);
}
const ids = (...ns: number[]): string[] => ns.map(guid);
/** The expectation, apart from the engine: users whose department is Sales (user 9 has none, so is unknown). */
const SALES = ids(1, 2, 3, 4, 5, 6, 8, 10);

describe('audit: every dynamic group and unit, evaluated and compared with its members', () => {
  it('lists dynamic groups and dynamic units only, with what the rule selects and how the members differ', async () => {
    const s = await tenant({
      users: USERS,
      groups: [
        // Misses 5 and 6, holds 7 (not Sales) and 9 (unknown: neither missing nor extra).
        dynamicGroup(100, 'Sales', 'user.department -eq "Sales"', ids(1, 2, 3, 4, 8, 10, 7, 9)),
        { id: guid(101), displayName: 'Static', groupTypes: [], securityEnabled: true, members: ids(1) },
        dynamicGroup(102, 'Unified dynamic', 'user.city -eq "Abuja"', ids(5, 6), { groupTypes: ['Unified', 'dynamicmembership'] }),
      ],
      administrativeUnits: [
        { id: guid(200), displayName: 'AU Lagos', membershipType: 'Dynamic', membershipRule: 'user.city -eq "Lagos"', membershipRuleProcessingState: 'On', members: ids(1, 2) },
        { id: guid(201), displayName: 'AU assigned', membershipType: null, members: ids(3) },
      ],
    });
    const r = auditTenant(s, { now: AFTER_RETIREMENT });
    assert.deepEqual(r.groups.map((g) => [g.displayName, g.kind, g.type]), [
      ['Sales', 'group', 'user'], ['Unified dynamic', 'group', 'user'], ['AU Lagos', 'administrativeUnit', 'user'],
    ]);
    const sales = group(r, 'Sales');
    assert.equal(sales.ruleMembers, SALES.length);
    assert.equal(sales.unknown, 1);
    assert.equal(sales.members, 8);
    assert.deepEqual([...sales.missing].sort(), ids(5, 6).sort());
    assert.deepEqual(sales.extra, ids(7));
    assert.deepEqual(codes(sales), ['info group/membership-drift'], 'processing is on: information, not a warning');
    const lagos = group(r, 'AU Lagos');
    const lagosUsers = USERS.filter((u) => u['city'] === 'Lagos').map((u) => u['id']);
    assert.equal(lagos.ruleMembers, lagosUsers.length);
    assert.deepEqual([...lagos.missing].sort(), lagosUsers.filter((id) => id !== guid(1) && id !== guid(2)).sort());
    assert.deepEqual(r.summary.groups, 2);
    assert.deepEqual(r.summary.administrativeUnits, 1);
  });

  it('a paused group: a warning, and its drift is a warning too; a memberOf rule is an error after 2026-11-03', async () => {
    const s = await tenant({
      users: USERS,
      groups: [
        dynamicGroup(100, 'Paused', 'user.department -eq "Legal"', ids(7, 1), { membershipRuleProcessingState: 'Paused' }),
        { id: guid(101), displayName: 'Source', groupTypes: [], members: ids(1, 2) },
        dynamicGroup(102, 'Nested', `user.memberOf -any (group.objectId -in ['${guid(101)}'])`, ids(1)),
      ],
    });
    const after = auditTenant(s, { now: AFTER_RETIREMENT });
    assert.deepEqual(codes(group(after, 'Paused')), ['warning group/processing-paused', 'warning group/membership-drift']);
    assert.deepEqual(group(after, 'Paused').extra, ids(1));
    const nested = group(after, 'Nested');
    assert.ok(codes(nested).includes('error rule/member-of-retired'), codes(nested).join());
    // Frozen by the retirement: the drift will not catch up, so it is a warning.
    assert.ok(codes(nested).includes('warning group/membership-drift'), codes(nested).join());
    assert.deepEqual(nested.missing, ids(2));
    assert.equal(after.summary.memberOfGroups, 1);
    assert.ok(after.summary.errors >= 1);
    const before = auditTenant(s, { now: BEFORE_RETIREMENT });
    assert.ok(!codes(group(before, 'Nested')).includes('error rule/member-of-retired'));
    assert.ok(codes(group(before, 'Nested')).includes('info group/membership-drift'));
  });

  it('licensing groups: guests selected, not security-enabled, one SKU from several groups', async () => {
    const E3 = '05e9a617-0261-4cee-bb44-138d3ef5d965';
    const s = await tenant({
      users: USERS,
      groups: [
        dynamicGroup(100, 'LIC Sales', 'user.department -eq "Sales"', SALES, { assignedLicenses: [{ skuId: E3, disabledPlans: [] }] }),
        dynamicGroup(101, 'LIC Sales members', 'user.department -eq "Sales" -and user.userType -eq "Member"', SALES.filter((id) => id !== guid(8)), { assignedLicenses: [{ skuId: E3, disabledPlans: [] }] }),
        dynamicGroup(102, 'LIC not security', 'user.department -eq "Legal"', ids(7), { securityEnabled: false, assignedLicenses: [{ skuId: E3, disabledPlans: [] }] }),
        dynamicGroup(103, 'Guests, no licenses', 'user.userType -eq "Guest"', ids(8)),
      ],
    });
    const r = auditTenant(s, { now: AFTER_RETIREMENT });
    const guests = group(r, 'LIC Sales').findings.find((f) => f.code === 'licensing/guests-in-licensing-group');
    assert.ok(guests, codes(group(r, 'LIC Sales')).join());
    assert.deepEqual(guests.ids, ids(8));
    assert.ok(!codes(group(r, 'LIC Sales members')).some((c) => c.includes('guests')));
    assert.ok(!codes(group(r, 'Guests, no licenses')).some((c) => c.includes('licensing/')));
    assert.deepEqual(codes(group(r, 'LIC not security')), ['error licensing/group-not-security-enabled']);
    const several = r.findings.find((f) => f.code === 'licensing/sku-from-several-groups');
    assert.ok(several);
    // In both Sales groups, and user 7 in the third: only the Sales members but the guest get it twice.
    assert.deepEqual([...several.ids!].sort(), SALES.filter((id) => id !== guid(8)).sort());
    assert.match(several.message, /SPE_E3/);
  });

  it('Entra ID P1 seats against the unique users in dynamic groups and units', async () => {
    const files = {
      users: USERS,
      groups: [dynamicGroup(100, 'A', 'user.city -eq "Lagos"', ids(1, 2, 3)), dynamicGroup(101, 'B', 'user.city -eq "Abuja"', ids(3, 5, 6))],
      administrativeUnits: [{ id: guid(200), displayName: 'U', membershipType: 'Dynamic', membershipRule: 'user.department -eq "Legal"', members: ids(7) }],
    };
    const short = auditTenant(await tenant({ ...files, subscribedSkus: [p1Sku(4)] }));
    assert.equal(short.summary.usersInDynamicGroups, 6);
    assert.equal(short.summary.p1Seats, 4);
    const p1 = short.findings.find((f) => f.code === 'tenant/p1-seats');
    assert.equal(p1?.severity, 'error');
    assert.match(p1.message, /2 short/);
    const enough = auditTenant(await tenant({ ...files, subscribedSkus: [p1Sku(6)] }));
    assert.equal(enough.findings.find((f) => f.code === 'tenant/p1-seats')?.severity, 'info');
    const unknown = auditTenant(await tenant(files));
    assert.equal(unknown.summary.p1Seats, null);
    assert.equal(unknown.findings.find((f) => f.code === 'tenant/p1-seats'), undefined);
  });

  it('memberOf groups against the limit of 500: a warning from 400', async () => {
    const groups: Obj[] = [{ id: guid(1), displayName: 'Source', groupTypes: [], members: [] }];
    for (let i = 0; i < 400; i++) groups.push(dynamicGroup(1000 + i, `M${i}`, `user.memberOf -any (group.objectId -in ['${guid(1)}'])`, []));
    const r = auditTenant(await tenant({ users: USERS.slice(0, 2), groups }), { now: BEFORE_RETIREMENT });
    const limit = r.findings.filter((f) => f.code === 'tenant/dynamic-group-limit');
    assert.deepEqual(limit.map((f) => f.severity), ['warning']);
    assert.match(limit[0]!.message, /400 memberOf groups of the tenant's limit of 500/);
    groups.pop();
    const below = auditTenant(await tenant({ users: USERS.slice(0, 2), groups }), { now: BEFORE_RETIREMENT });
    assert.deepEqual(below.findings.filter((f) => f.code === 'tenant/dynamic-group-limit'), []);
  });

  it('50,000 dynamic groups: each audited and each pulled, and an error for the tenant\'s limit of 15,000', async function () {
    this.timeout(120_000);
    const groups = Array.from({ length: 50_000 }, (_, i) => dynamicGroup(10_000 + i, `G${i}`, i % 2 ? 'user.department -eq "Sales"' : 'user.city -eq "Lagos"', ids(1 + (i % 9))));
    const s = await tenant({ users: USERS, groups });
    const r = auditTenant(s, { now: AFTER_RETIREMENT });
    assert.equal(r.groups.length, 50_000);
    assert.equal(r.summary.dynamicObjects, 50_000);
    const limit = r.findings.filter((f) => f.code === 'tenant/dynamic-group-limit');
    assert.deepEqual(limit.map((f) => f.severity), ['error']);
    assert.match(limit[0]!.message, /^50,000 dynamic groups and dynamic administrative units reach the tenant's limit of 15,000/);
    const plan = pullRules(s, mkdtempSync(path.join(tmpdir(), 'dynrule-pull-50k-')), { dryRun: true });
    assert.equal(plan.written.length, 50_000);
    assert.equal(new Set(plan.written.map((w) => w.file)).size, 50_000, 'every group a file of its own');
  });

  it('a group without a rule, a rule with errors, the costliest rules, and counts that add up', async () => {
    const s = await tenant({
      users: USERS,
      groups: [
        dynamicGroup(100, 'No rule', null, ids(1)),
        dynamicGroup(101, 'Broken', 'user.department -eq', ids(1)),
        dynamicGroup(102, 'Cheap', 'user.department -eq "Sales"', SALES),
        dynamicGroup(103, 'Costly', 'user.jobTitle -match "Cl.rk" -and user.mail -contains "contoso"', ids(1, 2, 3, 4, 5, 6, 7, 9, 10)),
        dynamicGroup(104, 'Costlier', 'user.otherMails -any (_ -contains "x") -or user.jobTitle -match "a" -or user.jobTitle -match "b"', []),
      ],
    });
    const r = auditTenant(s);
    assert.deepEqual(codes(group(r, 'No rule')), ['warning group/no-rule']);
    assert.ok(codes(group(r, 'Broken')).includes('info group/rule-not-evaluated'));
    assert.ok(codes(group(r, 'Broken')).some((c) => c.startsWith('error syntax/')));
    const costly = r.findings.find((f) => f.code === 'tenant/costly-rules');
    assert.deepEqual(costly?.ids, [guid(104), guid(103)]);
    assert.equal(group(r, 'Cheap').cost, 0);
    assert.ok(group(r, 'Costlier').cost > group(r, 'Costly').cost);
    const all = [...r.findings, ...r.groups.flatMap((g) => g.findings)];
    assert.equal(r.summary.errors + r.summary.warnings + r.summary.infos, all.length);
    assert.equal(r.summary.errors, all.filter((f) => f.severity === 'error').length);
  });

  it('in slices: the same report, progress between groups, and a cancel stops it between two groups', async () => {
    const groups = Array.from({ length: 12 }, (_, i) => dynamicGroup(200 + i, `G${i}`, `user.city -eq "${i % 2 ? 'Lagos' : 'Abuja'}"`, ids(1, 2)));
    const s = await tenant({ users: USERS, groups });
    const whole = auditTenant(s, { now: AFTER_RETIREMENT });
    const progress: [number, number][] = [];
    const sliced = await auditTenantInSlices(s, { now: AFTER_RETIREMENT, sliceMs: 0, isCancelled: () => false, onProgress: (d, t) => progress.push([d, t]) });
    assert.deepEqual(sliced, whole);
    assert.deepEqual(progress, groups.map((_, i) => [i + 1, groups.length]));
    let turns = 0;
    const stopped = await auditTenantInSlices(s, { now: AFTER_RETIREMENT, sliceMs: 0, isCancelled: () => turns >= 3, onProgress: () => { turns++; } });
    assert.equal(stopped, undefined);
    assert.equal(turns, 3);
  });

  it('a finding\'s range is in the rule, and maps to the same text in the pulled file', async () => {
    const rule = 'user.department -eq "Sales" -or\n  user.mail -contains "@fabrikam.com"';
    const s = await tenant({ users: USERS, groups: [dynamicGroup(100, 'Partners', rule, SALES)] });
    const r = auditTenant(s);
    const f = group(r, 'Partners').findings.find((x) => x.code === 'security/guest-controllable-rule');
    assert.ok(f?.range);
    assert.equal(rule.slice(f.range.start, f.range.end), 'user.mail -contains "@fabrikam.com"');
    const text = renderRuleFile(s, { kind: 'group', source: s.groups![0]! }, rule);
    const lines = text.split('\n');
    const start = filePosition(text, f.range.start);
    const end = filePosition(text, f.range.end);
    assert.equal(start.line, end.line);
    assert.equal(lines[start.line]!.slice(start.character, end.character), 'user.mail -contains "@fabrikam.com"');
  });

  it('every audit code is listed once, namespaced and kebab-case', () => {
    const list = AUDIT_CODE_LIST.map((c) => c.code);
    assert.equal(new Set(list).size, list.length);
    for (const c of list) assert.match(c, /^(group|licensing|security|tenant)\/[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});

describe('audit: rules a guest can satisfy with an address they chose', () => {
  const rows: readonly [string, readonly string[]][] = [
    ['user.mail -endsWith "@fabrikam.com"', ['user.mail -endsWith "@fabrikam.com"']],
    ['user.userPrincipalName -contains "fabrikam"', ['user.userPrincipalName -contains "fabrikam"']],
    ['user.otherMails -any (_ -match "partner")', ['_ -match "partner"']],
    ['user.otherMails -contains "@fabrikam"', ['user.otherMails -contains "@fabrikam"']],
    ['(user.department -eq "IT") -or (user.userType -eq "Guest" -and user.mail -startsWith "vendor")', ['user.mail -startsWith "vendor"']],
    // Required to be a member: no guest can satisfy it.
    ['user.userType -eq "Member" -and user.mail -endsWith "@fabrikam.com"', []],
    ['user.mail -endsWith "@fabrikam.com" -and user.userType -in ["Member"]', []],
    ['(user.userType -ne "Guest") -and user.mail -contains "x"', []],
    // Exact values, other properties, negations and -all are not the guest's choice.
    ['user.mail -eq "alice@fabrikam.com"', []],
    ['user.department -contains "Sales"', []],
    ['-not (user.mail -contains "gmail")', []],
    ['user.otherMails -all (_ -endsWith "@contoso.com")', []],
  ];
  for (const [rule, want] of rows) {
    it(rule, () => {
      const parsed = parseRule(rule);
      assert.deepEqual(guestControllableSpans(parsed).map((s) => rule.slice(s.start, s.end)), want);
    });
  }
});
