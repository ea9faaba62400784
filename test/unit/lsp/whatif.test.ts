/**
 * What if in the editor over LSP (dynrule/whatIf, dynrule/changesFiles, the changes files' code
 * lens and diagnostics): a real client over in-process streams and the sample tenant. The answers
 * are the whatif core's own (server/src/whatif/), with rule files read from the editor when open
 * and from disk when not.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeLens } from 'vscode-languageserver-protocol';
import type { ChangesFilesResponse, TenantInfo, WhatIfResponse } from '../../../protocol/src/protocol';
import { loadSnapshot } from '../../../server/src/tenant/snapshot';
import { parseChanges } from '../../../server/src/whatif/read';
import { resolveChanges } from '../../../server/src/whatif/resolve';
import { whatIf } from '../../../server/src/whatif/whatif';
import { skuCatalogue } from '../../../server/src/preview/catalogue';
import { startHarness, type Harness } from '../../support/lsp';

const CONTOSO = path.resolve('samples/tenant/contoso');
const NEW_HIRES = path.resolve('samples/changes/new-hires.csv');
const HR_UPDATES = path.resolve('samples/changes/hr-updates.csv');
const LICENSING = path.resolve('samples/rules/licensing');
const uri = (f: string): string => pathToFileURL(f).href;

describe('language server: what if (changes files and the workspace\'s rule edits)', () => {
  let h: Harness;
  let dir: string;
  before(async () => {
    h = await startHarness();
    dir = mkdtempSync(path.join(tmpdir(), 'dynrule-whatif-'));
  });
  after(() => h.close());

  it('says why there is no what-if before a tenant is loaded, and the lens says to choose one', async () => {
    const r = await h.client.sendRequest<WhatIfResponse>('dynrule/whatIf', { changes: uri(NEW_HIRES) });
    assert.equal(r.ok, false);
    assert.match(r.reason ?? '', /no tenant/);
    const doc = await h.open('changes/early.csv', readFileSync(NEW_HIRES, 'utf8'), 'csv');
    const lenses = await h.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: doc } });
    assert.equal(lenses.length, 1);
    assert.match(lenses[0]!.command!.title, /choose a tenant/);
  });

  it('answers with the whatif core\'s report for a changes file on disk', async () => {
    const info = await h.client.sendRequest<TenantInfo>('dynrule/selectTenant', { selection: { kind: 'folder', path: CONTOSO } });
    assert.equal(info.state, 'ready', info.error);
    const r = await h.client.sendRequest<WhatIfResponse>('dynrule/whatIf', { changes: uri(NEW_HIRES) });
    assert.equal(r.ok, true, r.reason);
    const s = await loadSnapshot(CONTOSO);
    const expected = whatIf(s, resolveChanges(s, parseChanges(NEW_HIRES, readFileSync(NEW_HIRES, 'utf8')).changes), { catalogue: skuCatalogue });
    assert.deepEqual(r.report!.users.map((u) => [u.user, u.change, u.joined, u.gained]), expected.users.map((u) => [u.user, u.change, u.joined, u.gained]));
    assert.deepEqual(r.report!.groups.map((g) => [g.id, g.before, g.after, g.added, g.removed]), expected.groups.map((g) => [g.id, g.before, g.after, g.added.length, g.removed.length]));
    assert.deepEqual(r.report!.licenses.map((l) => [l.skuId, l.gained, l.lost, l.available, l.shortfall]), expected.licenses.map((l) => [l.skuId, l.gained, l.lost, l.available, l.shortfall]));
    assert.ok(r.report!.summary.newUsers > 0);
    assert.equal(r.report!.summary.newUsers, expected.summary.newUsers);
  });

  it('puts the what-if on the changes file as a code lens that opens the view', async () => {
    const doc = await h.open('changes/new-hires.csv', readFileSync(NEW_HIRES, 'utf8'), 'csv');
    const lenses = await h.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: doc } });
    assert.equal(lenses.length, 1);
    const s = await loadSnapshot(CONTOSO);
    const expected = whatIf(s, resolveChanges(s, parseChanges(NEW_HIRES, readFileSync(NEW_HIRES, 'utf8')).changes), { catalogue: skuCatalogue });
    const title = lenses[0]!.command!.title;
    assert.match(title, new RegExp(`${expected.summary.newUsers} new users: ${expected.summary.groupsChanged} groups change`));
    for (const l of expected.licenses) assert.ok(title.includes(`${l.skuPartNumber ?? l.skuId} +${l.gained}`), title);
    assert.equal(lenses[0]!.command!.command, 'dynrule.whatIfPeopleChange');
    assert.deepEqual(lenses[0]!.command!.arguments, [doc]);
    // A changes file is not a rule: no rule diagnostics, no completion.
    assert.deepEqual((await h.diagnostics(doc)).diagnostics, []);
    const completion = await h.client.sendRequest<{ items: unknown[] }>('textDocument/completion', { textDocument: { uri: doc }, position: { line: 1, character: 0 } });
    assert.equal(completion.items.length, 0);
  });

  it('shows a broken changes file\'s problems at their row and column; the lens and the request evaluate nothing', async () => {
    const lines = readFileSync(HR_UPDATES, 'utf8').split('\n');
    // Row 3: accountEnabled "maybe" (the fourth column).
    const cells = lines[2]!.split(',');
    cells[3] = 'maybe';
    lines[2] = cells.join(',');
    const doc = await h.open('changes/broken.csv', lines.join('\n'), 'csv');
    const d = (await h.diagnostics(doc)).diagnostics;
    const bad = d.find((x) => x.code === 'changes/bad-value');
    assert.ok(bad, JSON.stringify(d));
    assert.equal(bad.range.start.line, 2);
    assert.equal(bad.range.start.character, lines[2]!.indexOf('maybe'));
    assert.equal(bad.range.end.character, lines[2]!.indexOf('maybe') + 'maybe'.length);
    assert.match(bad.message, /accountEnabled/);
    const lenses = await h.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: doc } });
    assert.match(lenses[0]!.command!.title, /1 problem in the changes; nothing was evaluated/);
    const r = await h.client.sendRequest<WhatIfResponse>('dynrule/whatIf', { changes: doc });
    assert.equal(r.ok, false);
    assert.equal(r.report, undefined);
    assert.deepEqual(r.issues.map((i) => [i.code, i.range.start.line, i.range.start.character]), [['changes/bad-value', 2, lines[2]!.indexOf('maybe')]]);
    // Fixed in the editor: the problem goes, the numbers come.
    await h.change(doc, readFileSync(HR_UPDATES, 'utf8'));
    assert.deepEqual((await h.diagnostics(doc, 2)).diagnostics, []);
    const fixed = await h.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: doc } });
    assert.match(fixed[0]!.command!.title, /changed users/);
  });

  it('previews the workspace\'s rule edits together: edits, new groups with @licenses, conflicts and seats as the core reports them', async () => {
    const files = ['m365-e3-all-staff.dynrule', 'e5-executives-new-group.dynrule', 'power-bi-finance.dynrule', 'copilot-pilot-with-sales.dynrule'].map((f) => path.join(LICENSING, f));
    const r = await h.client.sendRequest<WhatIfResponse>('dynrule/whatIf', { rules: files.map(uri) });
    assert.equal(r.ok, true, r.reason);
    // power-bi-finance is the tenant's rule as it is: not an edit.
    assert.deepEqual(r.edits.map((e) => path.basename(e.file)).sort(), ['copilot-pilot-with-sales.dynrule', 'e5-executives-new-group.dynrule', 'm365-e3-all-staff.dynrule']);
    const e3 = r.report!.groups.find((g) => g.ruleFile?.endsWith('m365-e3-all-staff.dynrule'))!;
    assert.ok(e3.added > 0);
    const e5 = r.report!.groups.find((g) => g.id === 'new:e5-executives-new-group')!;
    assert.equal(e5.before, 0);
    assert.ok(e5.added > 0 && e5.after === e5.added);
    assert.ok(r.report!.errors.some((e) => e.reason === 'MutuallyExclusiveViolation'), JSON.stringify(r.report!.errors.slice(0, 3)));
    // A user counted once per SKU: no user gains a SKU twice.
    for (const u of r.report!.users) assert.equal(new Set(u.gained).size, u.gained.length);
    const gainedPerSku = new Map<string, number>();
    for (const u of r.report!.users) for (const sku of u.gained) gainedPerSku.set(sku, (gainedPerSku.get(sku) ?? 0) + 1);
    for (const l of r.report!.licenses) assert.equal(l.gained, gainedPerSku.get(l.skuId) ?? 0, l.skuPartNumber ?? l.skuId);
  });

  it('reads an open rule file from the editor, not the disk; a rule with errors is left out and says why', async () => {
    const file = path.join(dir, 'e3.dynrule');
    writeFileSync(file, '# @group "LIC - Microsoft 365 E3"\nuser.userType -eq "Member"\n');
    const broken = path.join(dir, 'broken.dynrule');
    writeFileSync(broken, '# @group "LIC - Microsoft 365 E3"\nuser.department -eq\n');
    const onDisk = await h.client.sendRequest<WhatIfResponse>('dynrule/whatIf', { rules: [uri(file), uri(broken)] });
    assert.equal(onDisk.ok, true, onDisk.reason);
    assert.deepEqual(onDisk.skipped.map((x) => x.file), [uri(broken)]);
    assert.match(onDisk.skipped[0]!.reason, /errors/);
    const addedOnDisk = onDisk.report!.groups.find((g) => g.ruleFile === uri(file))!.added;
    await h.client.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(file), languageId: 'dynrule', version: 1, text: '# @group "LIC - Microsoft 365 E3"\nuser.userType -eq "Member" -and user.department -eq "Sales"\n' } });
    const open = await h.client.sendRequest<WhatIfResponse>('dynrule/whatIf', { rules: [uri(file)] });
    assert.ok(open.report!.groups.find((g) => g.ruleFile === uri(file))!.added < addedOnDisk);
  });

  it('tells changes files from other CSV and JSON files by their headings', async () => {
    const other = path.join(dir, 'inventory.csv');
    writeFileSync(other, 'sku,count\nSPE_E3,10\n');
    const json = path.join(dir, 'settings.json');
    writeFileSync(json, '{"a": 1}');
    const r = await h.client.sendRequest<ChangesFilesResponse>('dynrule/changesFiles', { files: [uri(NEW_HIRES), uri(other), uri(HR_UPDATES), uri(json)] });
    assert.deepEqual(r.files.map((f) => f.file), [uri(NEW_HIRES), uri(HR_UPDATES)]);
    assert.ok(r.files.every((f) => f.changes > 0 && f.issues === 0));
  });
});
