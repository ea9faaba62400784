import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { PreviewResponse, TenantInfo, TenantSelection } from '../../../protocol/src/protocol';
import {
  cliPreview, closeAllEditors, codeLensTitles, ensureSmallTenant, expectedLensTitles, getApi, openRuleFile, waitFor, workspacePath,
} from './helpers';

const e3Rule = 'rules/licensing/m365-e3-all-staff.dynrule';

suite('Switching tenant', () => {
  let contoso: TenantSelection;
  let small: TenantSelection;

  suiteSetup(async function () {
    this.timeout(60_000);
    const api = await getApi();
    await waitFor(() => api.tenant.current?.state === 'ready', 'the tenant to load');
    contoso = api.tenant.current!.selection;
    assert.equal(contoso.kind === 'folder' && contoso.path, workspacePath('tenant/contoso'), 'the tests start on the workspace\'s contoso snapshot');
    small = { kind: 'folder', path: await ensureSmallTenant(), label: 'small-120' };
  });

  // Whatever happens, leave the next suites on the tenant they expect.
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('dynrule.selectTenant', contoso);
  });
  teardown(closeAllEditors);

  test('Select Tenant with a second snapshot folder loads it and reports its size', async () => {
    const api = await getApi();
    const info = await vscode.commands.executeCommand<TenantInfo>('dynrule.selectTenant', small);
    assert.equal(info.state, 'ready', info.error);
    assert.equal(info.users, 120);
    assert.deepEqual(api.tenant.current?.selection, small);
    assert.match(info.label, /120|small/i);
  });

  test('the code lens numbers change to the second tenant\'s, and back', async function () {
    this.timeout(60_000);
    const doc = await openRuleFile(e3Rule);
    const onSmall = expectedLensTitles(await cliPreview(workspacePath(e3Rule), (small as { path: string }).path), 'members');
    const onContoso = expectedLensTitles(await cliPreview(workspacePath(e3Rule), workspacePath('tenant/contoso')), 'members');
    assert.notDeepEqual(onSmall, onContoso, 'the two tenants should give different numbers');

    await vscode.commands.executeCommand('dynrule.selectTenant', small);
    let titles = await codeLensTitles(doc.uri, { accept: (t) => t[0] === onSmall[0] });
    assert.deepEqual(titles.slice(0, onSmall.length), onSmall);

    await vscode.commands.executeCommand('dynrule.selectTenant', contoso);
    titles = await codeLensTitles(doc.uri, { accept: (t) => t[0] === onContoso[0] });
    assert.deepEqual(titles.slice(0, onContoso.length), onContoso);
  });

  test('an open preview view follows the tenant switch', async function () {
    this.timeout(60_000);
    const api = await getApi();
    const doc = await openRuleFile(e3Rule);
    const first = await vscode.commands.executeCommand<PreviewResponse>('dynrule.showPreview', doc.uri);
    const cliSmall = await cliPreview(workspacePath(e3Rule), (small as { path: string }).path);
    assert.notEqual(first.after, cliSmall.after);
    await vscode.commands.executeCommand('dynrule.selectTenant', small);
    const updated = await waitFor(() => api.preview.current?.after === cliSmall.after && api.preview.current,
      () => `the preview to show ${cliSmall.after} members; it shows ${api.preview.current?.after}`);
    assert.equal(updated.before, cliSmall.before);
    assert.equal(updated.added?.length, cliSmall.added.length);
  });

  test('a snapshot with a broken users.json fails to load with a reason, and the code lens says so', async () => {
    const doc = await openRuleFile(e3Rule);
    const broken = mkdtempSync(join(tmpdir(), 'dynrule-e2e-broken-'));
    try {
      writeFileSync(join(broken, 'users.json'), '{"value": [ {"id": "1"}, ');
      const info = await vscode.commands.executeCommand<TenantInfo>('dynrule.selectTenant', { kind: 'folder', path: broken });
      assert.equal(info.state, 'failed');
      assert.match(info.error ?? '', /users\.json.*invalid JSON/);
      const lenses = await waitFor(async () => {
        const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
        return l?.[0]?.command?.title.includes('could not be loaded') && l;
      }, 'the failed-tenant code lens');
      assert.equal(lenses[0]!.command!.command, 'dynrule.selectTenant');
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});
