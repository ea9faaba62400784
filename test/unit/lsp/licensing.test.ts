/**
 * Group-based licensing in the editor, over a real LSP connection: a licensing group that is not
 * security-enabled is an error on its `# @group` line and in the preview; the code lens and the
 * preview view name every license error kind with what it means, and say how many members a seat
 * shortfall leaves out without naming any.
 */
import assert from 'node:assert/strict';
import type { CodeLens } from 'vscode-languageserver-protocol';
import { findServicePlan, servicePlansOf } from '../../../grammar/src/index';
import type { PreviewResponse } from '../../../server/src/lsp/protocol';
import { startHarnessWithFolder, type Harness } from '../../support/lsp';
import { state, user, writeTenant } from '../../support/tenant';
import { runPreviewScript } from '../../support/webview';

const O365_E1 = '18181a46-0d4e-45cd-891e-60aabd171b4e';
const O365_E3 = '6fd2c87f-b296-42f0-b197-1e91e994b900';
const EMS = 'efccb6f7-5641-4e0e-bd10-b4976e1bf68e';
const LICENSING = '00000000-0000-4000-8000-0000000000c1';
const TEAM = '00000000-0000-4000-8000-0000000000c2';

const withE1 = (id: string) => user(id, {
  department: 'Sales',
  licenseAssignmentStates: [state(O365_E1, null)],
  assignedPlans: servicePlansOf(O365_E1).map((p) => ({ capabilityStatus: 'Enabled', service: p.servicePlanName, servicePlanId: p.servicePlanId })),
});

const TENANT = writeTenant({
  snapshot: { tenantId: 't', takenAt: '2026-11-01T00:00:00Z', countryLetterCode: 'US' },
  users: [withE1('megan'), user('alex', { department: 'Sales' }), user('lee', { department: 'Sales' }), user('kim', { department: 'Sales' })],
  groups: [
    { id: LICENSING, displayName: 'LIC - Office 365 E3 and EMS', groupTypes: ['DynamicMembership'], securityEnabled: true, members: [], assignedLicenses: [{ skuId: O365_E3, disabledPlans: [] }, { skuId: EMS, disabledPlans: [] }] },
    { id: TEAM, displayName: 'Sales team', groupTypes: ['Unified', 'DynamicMembership'], securityEnabled: false, mailEnabled: true, members: [], assignedLicenses: [] },
    { id: '00000000-0000-4000-8000-0000000000c3', displayName: '$(alert) Team', groupTypes: ['Unified'], securityEnabled: false, members: [], assignedLicenses: [{ skuId: EMS, disabledPlans: [] }] },
  ],
  subscribedSkus: [
    { skuId: O365_E3, skuPartNumber: 'ENTERPRISEPACK', consumedUnits: 9, prepaidUnits: { enabled: 10 } },
    { skuId: EMS, skuPartNumber: 'EMS', consumedUnits: 0, prepaidUnits: { enabled: 10 } },
  ],
});

describe('language server: group-based licensing', () => {
  let h: Harness;
  before(async () => {
    h = await startHarnessWithFolder(TENANT);
  });
  after(() => h.close());

  it('a group that is not security-enabled, asked to assign licenses, is an error on its # @group line; without licenses it is not', async () => {
    const text = '# @group "Sales team"\n# @licenses EMS\nuser.department -eq "Sales"\n';
    const uri = await h.open('team.dynrule', text);
    const d = (await h.diagnostics(uri)).diagnostics.find((x) => x.code === 'licensing/group-not-security-enabled');
    assert.ok(d, 'no licensing/group-not-security-enabled diagnostic');
    assert.equal(d.severity, 1);
    assert.deepEqual(d.range, { start: { line: 0, character: 10 }, end: { line: 0, character: 20 } });
    assert.match(d.message, /"Sales team" is not security-enabled: Entra assigns licenses only through security-enabled groups/);
    const lenses = await h.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.ok(lenses.some((l) => /^\$\(error\) Group "Sales team" is not security-enabled/.test(l.command!.title)), lenses.map((l) => l.command!.title).join(' | '));

    // A group's name is shown as text in the lens, never as a codicon.
    const icon = await h.open('icon.dynrule', '# @group "$(alert) Team"\nuser.department -eq "Sales"\n');
    const iconLenses = await h.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: icon } });
    assert.ok(iconLenses.some((l) => l.command!.title.startsWith('$(error) Group "\\$(alert) Team" is not security-enabled')), iconLenses.map((l) => l.command!.title).join(' | '));

    const plain = await h.open('team-plain.dynrule', '# @group "Sales team"\nuser.department -eq "Sales"\n');
    assert.equal((await h.diagnostics(plain)).diagnostics.some((x) => x.code === 'licensing/group-not-security-enabled'), false);
  });

  it('the code lens names the license errors by kind, explains each, and counts a seat shortfall without naming anyone', async () => {
    const uri = await h.open('lic.dynrule', `# @group ${LICENSING}\nuser.department -eq "Sales"\n`);
    const lenses = await h.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const titles = lenses.map((l) => l.command!.title);
    // megan conflicts (E1's SharePoint): 3 members gain E3 for 1 seat.
    assert.ok(titles.includes('ENTERPRISEPACK +3 −0 · 2 short: CountViolation for 2 of the 3 gaining it, Entra picks which'), titles.join(' | '));
    assert.ok(titles.includes('$(warning) 1 × MutuallyExclusiveViolation: A plan of the product conflicts with a different plan the user already has from another license (the same plan twice is fine).'), titles.join(' | '));
    assert.ok(titles.includes('$(warning) 1 × Other: Another product of the same group failed for this user, and a group assigns all of its products or none.'), titles.join(' | '));
    // Nobody is named for the shortfall.
    assert.ok(titles.every((t) => !/megan|alex|lee|kim/.test(t)), titles.join(' | '));
  });

  it('the preview view lists the certain errors with their detail, and every kind shown with its explanation', async () => {
    const uri = await h.open('lic-view.dynrule', `# @group ${LICENSING}\nuser.department -eq "Sales"\n`);
    const p = await h.client.sendRequest<PreviewResponse>('dynrule/preview', { uri });
    assert.equal(p.ok, true, p.reason);
    const sp = (n: string) => findServicePlan(n)!.servicePlanId;
    assert.deepEqual(p.errors, [
      { user: 'megan', skuId: O365_E3, reason: 'MutuallyExclusiveViolation', conflict: { plan: sp('SHAREPOINTENTERPRISE'), with: sp('SHAREPOINTSTANDARD'), set: 'sharepoint' }, detail: 'SHAREPOINTENTERPRISE conflicts with SHAREPOINTSTANDARD' },
      { user: 'megan', skuId: EMS, reason: 'Other', dueTo: O365_E3, detail: 'ENTERPRISEPACK fails for this user' },
    ]);
    // No user is named for the shortfall: only a count.
    assert.equal(p.errors!.some((e) => e.reason === 'CountViolation'), false);
    const short = p.warnings!.find((w) => w.code === 'count-violation')!;
    assert.deepEqual([short.count, short.objects], [2, undefined]);
    assert.deepEqual(Object.keys(p.errorKinds!), ['CountViolation', 'MutuallyExclusiveViolation', 'Other']);

    const dom = runPreviewScript(p);
    const kinds = dom.elements().find((e) => e.id === 'error-kinds');
    assert.ok(kinds, 'no section explaining the error kinds');
    const shown = dom.textOf(kinds);
    for (const [kind, text] of Object.entries(p.errorKinds!)) {
      assert.ok(text.length > 20, `${kind} has no explanation`);
      assert.ok(shown.includes(kind) && shown.includes(text), `${kind} is not explained in the view`);
    }
    assert.match(dom.text(), /SHAREPOINTENTERPRISE conflicts with SHAREPOINTSTANDARD/);
  });
});
