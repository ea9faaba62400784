import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { WhatIfResponse } from '../../../protocol/src/protocol';
import { closeAllEditors, codeLensTitles, diagnosticCode, getApi, runCli, waitFor, workspacePath, workspaceUri } from './helpers';

/** `dynrule whatif --format json`: the parts of the CLI's contract compared here (README, What if people change). */
interface CliWhatIf {
  users: { user: string; change: string; joined: string[]; left: string[]; gained: string[]; lost: string[] }[];
  groups: { id: string; displayName: string | null; before: number | null; after: number | null; added: string[]; removed: string[] }[];
  licenses: { skuId: string; skuPartNumber: string | null; gained: number; lost: number; available: number | null; shortfall: number | null }[];
  summary: { newUsers: number; groupsChanged: number };
}

const EDITS = 'whatif-edits';
const ANALYSTS = `${EDITS}/power-bi-analysts.dynrule`;
const DACH = `${EDITS}/dach.dynrule`;
const BROKEN = 'changes/broken.csv';

async function cliWhatIf(args: string[]): Promise<CliWhatIf> {
  const { stdout } = await runCli(['whatif', '--tenant', workspacePath('tenant/contoso'), ...args, '--format', 'json']);
  return JSON.parse(stdout) as CliWhatIf;
}

suite('What if in the editor', () => {
  suiteSetup(async function () {
    this.timeout(60_000);
    const api = await getApi();
    await waitFor(() => api.tenant.current?.state === 'ready', 'the tenant to load');
    mkdirSync(workspacePath(EDITS), { recursive: true });
    // Two edits: Power BI Pro for Sales too (more than the seats there are), and the Netherlands in DACH.
    writeFileSync(workspacePath(ANALYSTS), '# @group "LIC - Power BI Pro (Analysts)"\n(user.jobTitle -contains "Analyst" -or user.department -eq "Sales") -and user.userType -eq "Member"\n');
    writeFileSync(workspacePath(DACH), '# @group "DACH Employees"\nuser.usageLocation -in ["DE", "AT", "CH", "NL"] -and user.userType -eq "Member"\n');
  });
  suiteTeardown(async () => {
    await closeAllEditors();
    rmSync(workspacePath(EDITS), { recursive: true, force: true });
    rmSync(workspacePath(BROKEN), { force: true });
  });

  test('Preview All Changes in the Workspace: the two edited rule files with dynrule whatif --rules\'s numbers, in the view', async function () {
    this.timeout(90_000);
    const api = await getApi();
    const r = await vscode.commands.executeCommand<WhatIfResponse>('dynrule.previewWorkspaceChanges');
    assert.equal(r.ok, true, r.reason);
    const edited = r.edits.map((e) => vscode.workspace.asRelativePath(vscode.Uri.parse(e.file)));
    assert.ok(edited.includes(ANALYSTS) && edited.includes(DACH), edited.join(', '));
    const dir = mkdtempSync(join(tmpdir(), 'dynrule-e2e-whatif-'));
    const empty = join(dir, 'none.json');
    writeFileSync(empty, '[]');
    const cli = await cliWhatIf(['--changes', empty, '--rules', workspacePath(EDITS)]);
    rmSync(dir, { recursive: true, force: true });
    const cliChanged = cli.groups.filter((g) => g.added.length || g.removed.length);
    assert.equal(cliChanged.length, 2);
    for (const g of cliChanged) {
      const mine = r.report!.groups.find((x) => x.id === g.id);
      assert.deepEqual(mine && [mine.before, mine.after, mine.added, mine.removed], [g.before, g.after, g.added.length, g.removed.length], g.displayName ?? g.id);
    }
    const cliPbi = cli.licenses.find((l) => l.skuPartNumber === 'POWER_BI_PRO')!;
    const pbi = r.report!.licenses.find((l) => l.skuId === cliPbi.skuId)!;
    assert.deepEqual([pbi.gained, pbi.available, pbi.shortfall], [cliPbi.gained, cliPbi.available, cliPbi.shortfall]);
    assert.ok((pbi.shortfall ?? 0) > 0);
    assert.equal(api.whatIf.visible, true);
    // The view shows this answer (an equal one when a file it read changed meanwhile and it asked again).
    assert.deepEqual(api.whatIf.current, r);
  });

  test('the view is computed again when an edited rule file changes in the editor', async function () {
    this.timeout(60_000);
    const api = await getApi();
    const before = api.whatIf.current!.report!.groups.find((g) => g.ruleFile?.endsWith(DACH))!;
    const doc = await vscode.workspace.openTextDocument(workspaceUri(DACH));
    const editor = await vscode.window.showTextDocument(doc);
    const line = doc.lineAt(1);
    await editor.edit((e) => e.replace(line.range, 'user.usageLocation -in ["DE", "AT", "CH"] -and user.userType -eq "Member"'));
    // Back to the tenant's own DACH rule: no longer an edit.
    const after = await waitFor(() => {
      const r = api.whatIf.current;
      return r && r.ok && !r.edits.some((e) => e.file.endsWith(DACH)) && r;
    }, 'the view to follow the edit');
    assert.ok(before.added > 0);
    assert.equal(after.report!.groups.find((g) => g.id === before.id)?.added ?? 0, 0);
    await closeAllEditors();
  });

  test('What If People Change with changes/new-hires.csv: dynrule whatif\'s people, groups and licenses', async function () {
    this.timeout(60_000);
    const api = await getApi();
    const uri = workspaceUri('changes/new-hires.csv');
    const r = await vscode.commands.executeCommand<WhatIfResponse>('dynrule.whatIfPeopleChange', uri);
    assert.equal(r.ok, true, r.reason);
    const cli = await cliWhatIf(['--changes', uri.fsPath]);
    assert.deepEqual(r.report!.users.map((u) => [u.user, u.change, u.joined, u.left, u.gained, u.lost]), cli.users.map((u) => [u.user, u.change, u.joined, u.left, u.gained, u.lost]));
    assert.deepEqual(r.report!.groups.map((g) => [g.id, g.before, g.after, g.added, g.removed]), cli.groups.map((g) => [g.id, g.before, g.after, g.added.length, g.removed.length]));
    assert.deepEqual(r.report!.licenses, cli.licenses.map((l) => ({ skuId: l.skuId, skuPartNumber: l.skuPartNumber, gained: l.gained, lost: l.lost, available: l.available, shortfall: l.shortfall })));
    assert.equal(r.edits.length, 0);
    // The view shows this answer (an equal one when a file it read changed meanwhile and it asked again).
    assert.deepEqual(api.whatIf.current, r);
  });

  test('the code lens on changes/new-hires.csv sums up dynrule whatif; a broken changes file has its problems at row and column instead', async function () {
    this.timeout(60_000);
    const uri = workspaceUri('changes/new-hires.csv');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const cli = await cliWhatIf(['--changes', uri.fsPath]);
    const titles = await codeLensTitles(uri, { accept: (t) => t.some((x) => x.startsWith('What if:')) });
    const title = titles.find((x) => x.startsWith('What if:'))!;
    assert.ok(title.includes(`${cli.summary.newUsers} new users: ${cli.summary.groupsChanged} groups change`), title);
    for (const l of cli.licenses) assert.ok(title.includes(`${l.skuPartNumber ?? l.skuId} +${l.gained}`), title);

    const lines = readFileSync(uri.fsPath, 'utf8').split(/\r?\n/);
    const row = lines.findIndex((l) => l.startsWith('Ana Costa'));
    lines[row] = lines[row]!.replace(',No,', ',Maybe,');
    writeFileSync(workspacePath(BROKEN), lines.join('\n'));
    const broken = workspaceUri(BROKEN);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(broken));
    const d = await waitFor(() => vscode.languages.getDiagnostics(broken).find((x) => diagnosticCode(x) === 'changes/bad-value'), 'the bad value\'s diagnostic');
    assert.equal(d.range.start.line, row);
    assert.equal(d.range.start.character, lines[row]!.indexOf('Maybe'));
    const brokenTitles = await codeLensTitles(broken, { accept: (t) => t.some((x) => x.startsWith('What if:')) });
    assert.match(brokenTitles.join(' | '), /1 problem in the changes; nothing was evaluated/);
    await closeAllEditors();
  });
});
