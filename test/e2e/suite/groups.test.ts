import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AuditResponse, PullResponse, TenantSelection } from '../../../protocol/src/protocol';
import {
  closeAllEditors, diagnosticCode, ensureSmallTenant, getApi, runCli, waitFor, workspacePath,
} from './helpers';

/** `dynrule audit --format json`: the groups part of the CLI's contract (README, The whole tenant). */
interface CliAudit {
  groups: { id: string; kind: string; type: string; processingState: string | null; members: number | null; ruleMembers: number; findings: { code: string }[] }[];
}

const PULL_FOLDER = 'dynamic-groups';

suite('Dynamic Groups view, pull and audit', () => {
  let contoso: TenantSelection;

  suiteSetup(async function () {
    this.timeout(60_000);
    const api = await getApi();
    await waitFor(() => api.tenant.current?.state === 'ready', 'the tenant to load');
    contoso = api.tenant.current!.selection;
    rmSync(workspacePath(PULL_FOLDER), { recursive: true, force: true });
  });
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('dynrule.selectTenant', contoso);
    await closeAllEditors();
    rmSync(workspacePath(PULL_FOLDER), { recursive: true, force: true });
  });

  test('Audit Tenant gives dynrule audit\'s groups and findings, and opens the report', async function () {
    this.timeout(60_000);
    const api = await getApi();
    const report = await vscode.commands.executeCommand<AuditResponse>('dynrule.auditTenant');
    assert.equal(report.ok, true, report.reason);
    const { stdout } = await runCli(['audit', '--tenant', workspacePath('tenant/contoso'), '--format', 'json']);
    const cli = JSON.parse(stdout) as CliAudit;
    assert.deepEqual(report.groups.map((g) => [g.id, g.kind, g.type, g.processingState, g.members, g.ruleMembers, g.findings.map((f) => f.code)]),
      cli.groups.map((g) => [g.id, g.kind, g.type, g.processingState, g.members, g.ruleMembers, g.findings.map((f) => f.code)]));
    assert.equal(api.auditReport.visible, true);
    assert.equal(api.groups.current, report);
  });

  test('Pull Rules from Tenant writes one file per group into the pull folder; the view opens them', async function () {
    this.timeout(60_000);
    const api = await getApi();
    const pulled = await vscode.commands.executeCommand<PullResponse>('dynrule.pullRules');
    assert.equal(pulled.ok, true, pulled.reason);
    assert.ok(pulled.written.length > 0);
    for (const w of pulled.written) {
      const file = vscode.Uri.parse(w.file).fsPath;
      assert.ok(file.startsWith(workspacePath(PULL_FOLDER)), file);
      assert.ok(existsSync(file), file);
    }
    // The view asked again after the pull: every pulled group has its file.
    const report = api.groups.current!;
    for (const w of pulled.written) assert.equal(report.groups.find((g) => g.id === w.id)?.file, w.file);
    const paused = report.groups.find((g) => g.processingState === 'Paused')!;
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('dynrule.openGroup', paused.id);
    assert.equal(editor.document.uri.toString(), vscode.Uri.parse(paused.file!).toString());
    assert.match(editor.document.getText(), new RegExp(`# @group "${paused.id}"`));
  });

  test('a group\'s findings are in the Problems panel on its pulled file, at its # @group line, once each', async function () {
    this.timeout(60_000);
    const api = await getApi();
    const paused = api.groups.current!.groups.find((g) => g.processingState === 'Paused')!;
    const uri = vscode.Uri.parse(paused.file!);
    const text = readFileSync(uri.fsPath, 'utf8');
    const groupLine = text.split(/\r?\n/).findIndex((l) => l.startsWith('# @group'));
    const diagnostics = await waitFor(() => {
      const d = vscode.languages.getDiagnostics(uri);
      return d.some((x) => diagnosticCode(x) === 'group/processing-paused') && d;
    }, 'the audit\'s findings on the pulled file');
    const finding = diagnostics.find((x) => diagnosticCode(x) === 'group/processing-paused')!;
    assert.equal(finding.range.start.line, groupLine);
    assert.equal(finding.source, 'dynrule');
    const keys = diagnostics.map((d) => `${diagnosticCode(d)}@${d.range.start.line}:${d.range.start.character}`);
    assert.equal(new Set(keys).size, keys.length, keys.join(', '));
  });

  test('the filter by finding leaves only the groups with that finding', async () => {
    const api = await getApi();
    api.groups.setFilter({ codes: ['group/processing-paused'], onlyWithFindings: false });
    try {
      const shown = api.groups.visibleGroups();
      assert.ok(shown.length > 0);
      assert.ok(shown.every((g) => g.findings.some((f) => f.code === 'group/processing-paused')));
      assert.ok(api.groups.current!.groups.length > shown.length);
    } finally {
      api.groups.setFilter({ codes: [], onlyWithFindings: false });
    }
  });

  test('a pull conflict opens in a diff: the tenant\'s version beside the file edited here', async function () {
    this.timeout(60_000);
    const api = await getApi();
    const file = vscode.Uri.file(workspacePath(`${PULL_FOLDER}/conflicted.dynrule`));
    const copy = vscode.Uri.file(`${file.fsPath}.tenant`);
    mkdirSync(path.dirname(file.fsPath), { recursive: true });
    writeFileSync(file.fsPath, '# @group "00000000-0000-4000-8000-000000000001"\nuser.department -in ["Sales", "Marketing"]\n');
    writeFileSync(copy.fsPath, '# @group "00000000-0000-4000-8000-000000000001"\nuser.department -eq "Sales" -and user.accountEnabled -eq true\n');
    await api.groups.compareConflict([{ file: file.toString(), id: '00000000-0000-4000-8000-000000000001', reason: 'edited here and changed in the tenant', tenantFile: copy.toString() }]);
    const tab = await waitFor(() => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputTextDiff ? input : undefined;
    }, 'a diff editor');
    assert.equal(tab.original.fsPath, copy.fsPath);
    assert.equal(tab.modified.fsPath, file.fsPath);
    await closeAllEditors();
  });

  test('the view follows a tenant switch', async function () {
    this.timeout(60_000);
    const api = await getApi();
    await vscode.commands.executeCommand('dynrule.groups.focus');
    const small: TenantSelection = { kind: 'folder', path: await ensureSmallTenant(), label: 'small-120' };
    const before = api.groups.current!;
    await vscode.commands.executeCommand('dynrule.selectTenant', small);
    const after = await waitFor(() => api.groups.current !== before && api.groups.current?.ok && api.groups.current, 'the view to show the second tenant');
    assert.notEqual(after.tenant, before.tenant);
    const { stdout } = await runCli(['audit', '--tenant', (small as { path: string }).path, '--format', 'json']);
    assert.deepEqual(after.groups.map((g) => g.id), (JSON.parse(stdout) as CliAudit).groups.map((g) => g.id));
  });
});
