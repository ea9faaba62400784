import assert from 'node:assert/strict';
import { parseRule } from '../../../grammar/src/index';
import { previewRule } from '../../../server/src/preview/preview';
import { PreviewError } from '../../../server/src/preview/errors';
import { loadSnapshot } from '../../../server/src/tenant/snapshot';
import { state, user, writeTenant } from '../../support/tenant';

const E3 = '05e9a617-0261-4cee-bb44-138d3ef5d965';
const EMS = 'efccb6f7-5641-4e0e-bd10-b4976e1bf68e';
const YAMMER = '7547a3fe-08ee-4ccb-b430-5077c5041653';
const G1 = '00000000-0000-4000-8000-0000000000g1'.replace('g1', 'a1');
const G2 = '00000000-0000-4000-8000-0000000000a2';

/**
 * G1 "Sales licensed" (dynamic, department = Sales) assigns E3 without Yammer and EMS.
 * G2 "All staff E3" assigns E3 too. EMS is exhausted; E3 has 2 seats left.
 */
function salesTenant(extraSnapshot: object = {}): string {
  const e3 = (by: string | null) => state(E3, by, by === G1 ? { disabledPlans: [YAMMER] } : {});
  return writeTenant({
    snapshot: { tenantId: 't', takenAt: '2026-11-01T00:00:00Z', ...extraSnapshot },
    users: [
      user('u1', { department: 'Sales', licenseAssignmentStates: [e3(G1), state(EMS, G1)] }),
      user('u2', { department: 'Marketing', licenseAssignmentStates: [e3(G1), state(EMS, G1)] }),
      user('u3', { department: 'Marketing', licenseAssignmentStates: [e3(G1), e3(G2), state(EMS, G1)] }),
      user('u4', { department: 'Sales', licenseAssignmentStates: [e3(null)] }),
      user('u5', { department: 'Sales', licenseAssignmentStates: [e3(G2)] }),
      user('u6', { department: 'Sales', usageLocation: null }),
      user('u7', { department: 'Sales', userType: 'Guest' }),
      (() => { const u = user('u8'); delete u['department']; return u; })(),
    ],
    groups: [
      { id: G1, displayName: 'Sales licensed', groupTypes: ['DynamicMembership'], membershipRule: 'user.department -eq "Sales"', members: ['u1', 'u2', 'u3'], assignedLicenses: [{ skuId: E3, disabledPlans: [YAMMER] }, { skuId: EMS, disabledPlans: [] }] },
      { id: G2, displayName: 'All staff E3', groupTypes: [], members: ['u3', 'u5'], assignedLicenses: [{ skuId: E3, disabledPlans: [] }] },
    ],
    subscribedSkus: [
      { skuId: E3, skuPartNumber: 'SPE_E3', consumedUnits: 8, prepaidUnits: { enabled: 10, suspended: 0, warning: 0, lockedOut: 0 }, servicePlans: [{ servicePlanId: YAMMER, servicePlanName: 'YAMMER_ENTERPRISE' }] },
      { skuId: EMS, skuPartNumber: 'EMS', consumedUnits: 5, prepaidUnits: { enabled: 5, suspended: 0, warning: 0, lockedOut: 0 }, servicePlans: [] },
    ],
  });
}

const SALES = parseRule(`# @group ${G1}\nuser.department -eq "Sales"\n`);

describe('preview: membership and license arithmetic', () => {
  it('counts members before/after, added, removed and unknown (never silently)', async () => {
    const p = previewRule(await loadSnapshot(salesTenant()), SALES);
    assert.equal(p.group, G1);
    assert.equal(p.groupName, 'Sales licensed');
    assert.equal(p.before, 3);
    assert.equal(p.after, 5);
    assert.deepEqual(p.added, ['u4', 'u5', 'u6', 'u7']);
    assert.deepEqual(p.removed, ['u2', 'u3']);
    assert.deepEqual(p.unknown, ['u8']);
  });

  it('gains a SKU only for new members without it from another source; loses it only when this group was the only source', async () => {
    const p = previewRule(await loadSnapshot(salesTenant({ countryLetterCode: 'US' })), SALES);
    const e3 = p.licenses.find((l) => l.skuId === E3)!;
    // u4 holds E3 directly and u5 through G2: neither needs a seat.
    assert.deepEqual(e3.gained, ['u6', 'u7']);
    // u3 keeps E3 through G2.
    assert.deepEqual(e3.lost, ['u2']);
    assert.deepEqual(e3.disabledPlans, [YAMMER]);
    assert.equal(e3.skuPartNumber, 'SPE_E3');
    assert.equal(e3.available, 2);
    assert.equal(e3.needed, 1);
    assert.equal(e3.freed, 0);
    assert.equal(e3.left, 1);
    assert.equal(e3.shortfall, 0);
  });

  it('says how many members an exhausted SKU leaves short, names none of them, and says that Entra picks', async () => {
    const p = previewRule(await loadSnapshot(salesTenant({ countryLetterCode: 'US' })), SALES);
    const ems = p.licenses.find((l) => l.skuId === EMS)!;
    // Everyone who would receive EMS were there seats enough.
    assert.deepEqual(ems.gained, ['u4', 'u5', 'u6', 'u7']);
    assert.deepEqual(ems.lost, ['u2', 'u3']);
    assert.equal(ems.available, 0);
    assert.equal(ems.needed, 2);
    assert.equal(ems.left, 0);
    assert.equal(ems.shortfall, 2);
    assert.deepEqual(p.errors.filter((e) => e.reason === 'CountViolation'), []);
    const short = p.warnings.find((w) => w.code === 'count-violation')!;
    assert.equal(short.count, 2);
    assert.equal(short.objects, undefined);
    assert.match(short.message, /^2 of the 4 members who would gain EMS will find no seat \(CountViolation\); Entra picks which\. They get none of the group's other products \(SPE_E3\) either\.$/);
  });

  it('takes the tenant country for members without usageLocation, and only where it is unknown fails all of the group\'s products', async () => {
    const p = previewRule(await loadSnapshot(salesTenant()), SALES);
    assert.deepEqual(p.errors.filter((e) => e.user === 'u6').map((e) => [e.skuId, e.reason]), [[E3, 'NoUsageLocation'], [EMS, 'NoUsageLocation']]);
    // A member whose products all fail takes no seat.
    assert.ok(p.licenses.every((l) => !l.gained.includes('u6')));
    const withDefault = previewRule(await loadSnapshot(salesTenant({ countryLetterCode: 'US' })), SALES);
    assert.deepEqual(withDefault.errors, []);
    assert.ok(withDefault.licenses.every((l) => l.gained.includes('u6')));
  });

  it('warns about guests, a large removal, members left without any license, and undecidable users', async () => {
    const p = previewRule(await loadSnapshot(salesTenant()), SALES);
    const byCode = Object.fromEntries(p.warnings.map((w) => [w.code, w.objects]));
    assert.deepEqual(byCode['guests-licensed'], ['u7']);
    assert.deepEqual(byCode['large-removal'], ['u2', 'u3']);
    assert.deepEqual(byCode['no-license-left'], ['u2']);
    assert.deepEqual(byCode['unknown-members'], ['u8']);
  });

  it('previews @licenses for a group that does not exist yet, resolving plan names from the tenant', async () => {
    const rule = parseRule('# @licenses SPE_E3(-YAMMER_ENTERPRISE)\nuser.department -eq "Marketing"\n');
    const p = previewRule(await loadSnapshot(salesTenant()), rule);
    assert.equal(p.group, null);
    assert.equal(p.before, 0);
    assert.deepEqual(p.added, ['u2', 'u3']);
    const e3 = p.licenses[0]!;
    assert.deepEqual(e3.disabledPlans, [YAMMER]);
    // Both hold E3 through G1 or G2 already: no new seat.
    assert.deepEqual(e3.gained, []);
  });

  it('finds the group by display name and rejects unknown groups and SKUs', async () => {
    const s = await loadSnapshot(salesTenant());
    assert.equal(previewRule(s, parseRule('user.department -eq "Sales"'), { group: 'sales LICENSED' }).group, G1);
    assert.throws(() => previewRule(s, parseRule('user.department -eq "Sales"'), { group: 'Nope' }), (e: unknown) => e instanceof PreviewError && /no group named "Nope"/.test(e.message));
    assert.throws(() => previewRule(s, parseRule('# @licenses NOT_A_SKU\nuser.department -eq "Sales"')), /unknown SKU "NOT_A_SKU" in @licenses/);
    // Licenses given instead of the file's are named as such: the file has no such line to fix.
    assert.throws(() => previewRule(s, parseRule('user.department -eq "Sales"'), { licenses: [{ sku: 'NOT_A_SKU', skuSpan: { start: 0, end: 9 }, disabledPlans: [] }] }), /unknown SKU "NOT_A_SKU" in --licenses/);
    assert.throws(() => previewRule(s, parseRule('user.department -eq')), /the rule has errors/);
  });

  it('says what cannot be computed when optional files are missing', async () => {
    const dir = writeTenant({ users: [user('a', { department: 'Sales' })] });
    const p = previewRule(await loadSnapshot(dir), parseRule('# @licenses SPE_E3\nuser.department -eq "Sales"'), { catalogue: { findSku: (k) => (k === 'SPE_E3' ? { skuId: E3, skuPartNumber: 'SPE_E3' } : undefined), findPlan: () => undefined, plansOf: () => [] } });
    assert.equal(p.licenses[0]!.available, null);
    assert.equal(p.licenses[0]!.shortfall, null);
    assert.ok(p.notes.some((n) => /no subscribedSkus\.json/.test(n)));
    assert.ok(p.notes.some((n) => /no devices\.json/.test(n)));
  });
});
