/**
 * Group-based licensing as Entra does it (docs/semantics.md, "Group-based licensing"):
 * conflicting plans, all or nothing per group, the tenant's country, security-enabled groups,
 * plans lost while the product stays, add-on prerequisites — through the real preview over a
 * snapshot folder on disk.
 */
import assert from 'node:assert/strict';
import { findServicePlan, parseRule, servicePlansOf } from '../../../grammar/src/index';
import { skuCatalogue } from '../../../server/src/preview/catalogue';
import { previewRule } from '../../../server/src/preview/preview';
import { loadSnapshot } from '../../../server/src/tenant/snapshot';
import { state, user, writeTenant } from '../../support/tenant';

const O365_E1 = '18181a46-0d4e-45cd-891e-60aabd171b4e';
const O365_E3 = '6fd2c87f-b296-42f0-b197-1e91e994b900';
const EMS = 'efccb6f7-5641-4e0e-bd10-b4976e1bf68e';
const WPA = '3d957427-ecdc-4df2-aacd-01cc9d519da8';
const plan = (name: string): string => findServicePlan(name)!.servicePlanId;
const SP1 = plan('SHAREPOINTSTANDARD');
const SP2 = plan('SHAREPOINTENTERPRISE');
const YAMMER = plan('YAMMER_ENTERPRISE');
const GROUP = '00000000-0000-4000-8000-00000000e3e3';
const OTHER = '00000000-0000-4000-8000-0000000000b2';

/** assignedPlans as Graph writes them: the product's plans less the assignment's disabled ones. */
function assignedPlans(skuId: string, disabled: readonly string[] = []): object[] {
  return servicePlansOf(skuId).filter((p) => !disabled.includes(p.servicePlanId)).map((p) => ({
    assignedDateTime: '2026-01-01T00:00:00Z', capabilityStatus: 'Enabled', service: p.servicePlanName, servicePlanId: p.servicePlanId,
  }));
}

function tenant(users: object[], options: { country?: string; securityEnabled?: boolean; groupLicenses?: object[]; groups?: object[]; members?: string[] } = {}): string {
  return writeTenant({
    snapshot: { tenantId: 't', takenAt: '2026-11-01T00:00:00Z', ...(options.country ? { countryLetterCode: options.country } : {}) },
    users,
    groups: [
      {
        id: GROUP, displayName: 'LIC - Office 365 E3 and EMS', groupTypes: ['DynamicMembership'], securityEnabled: options.securityEnabled ?? true,
        membershipRule: 'user.department -eq "Nobody"', members: options.members ?? [],
        assignedLicenses: options.groupLicenses ?? [{ skuId: O365_E3, disabledPlans: [] }, { skuId: EMS, disabledPlans: [] }],
      },
      ...(options.groups ?? []),
    ],
    subscribedSkus: [
      { skuId: O365_E1, skuPartNumber: 'STANDARDPACK', consumedUnits: 10, prepaidUnits: { enabled: 10 } },
      { skuId: O365_E3, skuPartNumber: 'ENTERPRISEPACK', consumedUnits: 10, prepaidUnits: { enabled: 20 } },
      { skuId: EMS, skuPartNumber: 'EMS', consumedUnits: 10, prepaidUnits: { enabled: 20 } },
    ],
  });
}

const RULE = parseRule(`# @group ${GROUP}\nuser.department -eq "Sales"\n`);
const preview = async (dir: string) => previewRule(await loadSnapshot(dir), RULE, { catalogue: skuCatalogue });
const e1Direct = (disabled: string[] = []) => ({
  department: 'Sales',
  assignedLicenses: [{ skuId: O365_E1, disabledPlans: disabled }],
  licenseAssignmentStates: [state(O365_E1, null, { disabledPlans: disabled })],
  assignedPlans: assignedPlans(O365_E1, disabled),
});

describe('group-based licensing', () => {
  it('a user with Office 365 E1 directly who joins a group assigning Office 365 E3 and EMS: MutuallyExclusiveViolation on E3 (SharePoint Plan 1 vs Plan 2), and neither product assigned', async () => {
    const p = await preview(tenant([user('megan', e1Direct())]));
    assert.deepEqual(p.added, ['megan']);
    assert.deepEqual(p.errors, [
      { user: 'megan', skuId: O365_E3, reason: 'MutuallyExclusiveViolation', conflict: { plan: SP2, with: SP1, set: 'sharepoint' } },
      { user: 'megan', skuId: EMS, reason: 'Other', dueTo: O365_E3 },
    ]);
    for (const l of p.licenses) {
      assert.deepEqual(l.gained, [], `${l.skuPartNumber} must not be assigned`);
      assert.equal(l.needed, 0);
    }
  });

  it('the same user with SharePoint (Plan 1) disabled on the E1 assignment: both products assigned', async () => {
    const p = await preview(tenant([user('megan', e1Direct([SP1]))]));
    assert.deepEqual(p.errors, []);
    assert.deepEqual(p.licenses.map((l) => [l.skuPartNumber, l.gained]), [['ENTERPRISEPACK', ['megan']], ['EMS', ['megan']]]);
  });

  it('reads the disabled plan from the assignment state when the snapshot has no assignedPlans', async () => {
    const withoutPlans = (disabled: string[]) => ({ ...e1Direct(disabled), assignedPlans: [] });
    const conflict = await preview(tenant([user('megan', withoutPlans([]))]));
    assert.deepEqual(conflict.errors.map((e) => e.reason), ['MutuallyExclusiveViolation', 'Other']);
    const fine = await preview(tenant([user('megan', withoutPlans([SP1]))]));
    assert.deepEqual(fine.errors, []);
  });

  it("honours the group's disabledPlans: a group that switches SharePoint (Plan 2) off assigns both", async () => {
    const p = await preview(tenant([user('megan', e1Direct())], { groupLicenses: [{ skuId: O365_E3, disabledPlans: [SP2] }, { skuId: EMS, disabledPlans: [] }] }));
    assert.deepEqual(p.errors, []);
    assert.deepEqual(p.licenses.map((l) => l.gained), [['megan'], ['megan']]);
  });

  it('a user who already holds E3 directly: no E3 seat, EMS gained', async () => {
    const p = await preview(tenant([user('adele', {
      department: 'Sales',
      assignedLicenses: [{ skuId: O365_E3, disabledPlans: [] }],
      licenseAssignmentStates: [state(O365_E3, null)],
      assignedPlans: assignedPlans(O365_E3),
    })]));
    assert.deepEqual(p.errors, []);
    const [e3, ems] = p.licenses;
    assert.deepEqual([e3!.gained, e3!.needed], [[], 0]);
    assert.deepEqual([ems!.gained, ems!.needed, ems!.left], [['adele'], 1, 9]);
  });

  it("a user without usageLocation in a tenant whose country is known takes the tenant's country; where it is unknown, every product of the group fails", async () => {
    const users = [user('nestor', { department: 'Sales', usageLocation: null })];
    const known = await preview(tenant(users, { country: 'NL' }));
    assert.deepEqual(known.errors, []);
    assert.deepEqual(known.licenses.map((l) => l.gained), [['nestor'], ['nestor']]);
    const unknown = await preview(tenant(users));
    assert.deepEqual(unknown.errors.map((e) => [e.skuId, e.reason]), [[O365_E3, 'NoUsageLocation'], [EMS, 'NoUsageLocation']]);
    assert.deepEqual(unknown.licenses.map((l) => l.gained), [[], []]);
  });

  it('a licensing group that is not security-enabled is an error with a stable code', async () => {
    const p = await preview(tenant([user('megan', { department: 'Sales' })], { securityEnabled: false }));
    const w = p.warnings.find((x) => x.code === 'licensing/group-not-security-enabled');
    assert.ok(w, JSON.stringify(p.warnings));
    assert.equal(w.severity, 'error');
    assert.match(w.message, /"LIC - Office 365 E3 and EMS" is not security-enabled/);
    const secure = await preview(tenant([user('megan', { department: 'Sales' })]));
    assert.equal(secure.warnings.some((x) => x.code === 'licensing/group-not-security-enabled'), false);
  });

  it('lists, per removed member, the plans they lose while keeping the product through a source that disables them', async () => {
    const viaBoth = (id: string, dept: string) => user(id, {
      department: dept,
      assignedLicenses: [{ skuId: O365_E3, disabledPlans: [] }],
      licenseAssignmentStates: [state(O365_E3, GROUP), state(O365_E3, OTHER, { disabledPlans: [YAMMER] }), state(EMS, GROUP)],
      assignedPlans: assignedPlans(O365_E3),
    });
    const dir = tenant([viaBoth('lynne', 'Marketing'), viaBoth('sales', 'Sales')], {
      members: ['lynne', 'sales'],
      groups: [{ id: OTHER, displayName: 'E3 without Yammer', groupTypes: [], securityEnabled: true, members: ['lynne', 'sales'], assignedLicenses: [{ skuId: O365_E3, disabledPlans: [YAMMER] }] }],
    });
    const p = await preview(dir);
    assert.deepEqual(p.removed, ['lynne']);
    const [e3, ems] = p.licenses;
    // E3 stays through the other group, without Yammer; EMS came only from this group.
    assert.deepEqual(e3!.lost, []);
    assert.deepEqual(e3!.plansLost, [{ user: 'lynne', plans: [YAMMER] }]);
    assert.deepEqual(ems!.lost, ['lynne']);
    assert.deepEqual(ems!.plansLost, []);
  });

  it('a group assigning Workplace Analytics without Exchange Online: Entra refuses it (the documented prerequisite)', async () => {
    const p = await preview(tenant([user('megan', { department: 'Sales' })], { groupLicenses: [{ skuId: WPA, disabledPlans: [] }] }));
    const w = p.warnings.find((x) => x.code === 'missing-prerequisite');
    assert.ok(w, JSON.stringify(p.warnings));
    assert.equal(w.severity, 'error');
    assert.match(w.message, /^WORKPLACE_ANALYTICS needs one of EXCHANGE_S_STANDARD, EXCHANGE_S_ENTERPRISE from the same group/);
    const withExchange = await preview(tenant([user('megan', { department: 'Sales' })], { groupLicenses: [{ skuId: WPA, disabledPlans: [] }, { skuId: O365_E3, disabledPlans: [] }] }));
    assert.equal(withExchange.warnings.some((x) => x.code === 'missing-prerequisite'), false);
  });
});
