import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExplainResponse, TraceNodeDto } from '../../../protocol/src/protocol';
import { closeAllEditors, getApi, openRuleFile, runCli, userByUpn, waitFor, workspacePath } from './helpers';

const e3Rule = 'rules/licensing/m365-e3-all-staff.dynrule';
const contractor = 'nathan.petit@contoso.com';

interface CliTrace { expression: string; result: boolean | 'unknown'; property?: string; value?: string; children: CliTrace[] }

const strip = (t: TraceNodeDto | CliTrace): unknown => ({
  expression: t.expression, result: t.result, property: t.property, value: t.value, children: t.children.map(strip),
});

suite('Explain for user', () => {
  suiteSetup(async () => {
    const api = await getApi();
    await waitFor(() => api.tenant.current?.state === 'ready', 'the tenant to load');
  });
  teardown(closeAllEditors);

  test(`${contractor} is not a member of m365-e3-all-staff because of extensionAttribute7`, async () => {
    const doc = await openRuleFile(e3Rule);
    const nathan = userByUpn(workspacePath('tenant/contoso'), contractor);
    const r = await vscode.commands.executeCommand<ExplainResponse>('dynrule.explainForUser', doc.uri, nathan.id);
    assert.equal(r.ok, true, r.reason);
    assert.equal(r.result, false);
    assert.equal(r.object?.userPrincipalName, contractor);
    const failing = r.trace!.children.filter((c) => c.result === false);
    assert.deepEqual(failing.map((c) => [c.property, c.value]), [['extensionAttribute7', 'Contractor']]);

    // The same trace as the CLI's.
    const { stdout } = await runCli(['explain', workspacePath(e3Rule), '--tenant', workspacePath('tenant/contoso'), '--user', contractor, '--format', 'json']);
    const cli = JSON.parse(stdout) as { result: boolean | 'unknown'; trace: CliTrace };
    assert.equal(r.result, cli.result);
    assert.deepEqual(strip(r.trace!), strip(cli.trace));
  });

  test('the trace opens beside the rule as a read-only document', async () => {
    const doc = await openRuleFile(e3Rule);
    const nathan = userByUpn(workspacePath('tenant/contoso'), contractor);
    await vscode.commands.executeCommand('dynrule.explainForUser', doc.uri, nathan.id);
    const trace = await waitFor(() => vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'dynrule-explain'), 'the trace editor');
    assert.notEqual(trace.viewColumn, vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === doc.uri.toString())?.viewColumn, 'the trace is not beside the rule');
    const lines = trace.document.getText().split('\n');
    assert.equal(lines[0], `Rule: ${e3Rule}`);
    assert.equal(lines[1], `For: Nathan Petit <${contractor}> · ${nathan.department} (${nathan.id})`);
    assert.equal(lines[2], 'Result: not a member');
    assert.match(lines[4]!, /^✗ user\.userType -eq "Member" -and /);
    assert.ok(lines.includes('├─ ✗ user.extensionAttribute7 -ne "Contractor"   [extensionAttribute7 = Contractor]'), lines.join('\n'));
    assert.ok(lines.includes('├─ ✓ user.userType -eq "Member"   [userType = Member]'), lines.join('\n'));
    // A content provider's document (read-only in the editor), not a file to save.
    assert.equal(trace.document.uri.scheme, 'dynrule-explain');
    assert.equal(trace.document.isUntitled, false);
  });
});
