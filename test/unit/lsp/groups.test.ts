/**
 * The whole tenant over LSP (dynrule/audit, dynrule/pull), as the Dynamic Groups view and the
 * audit report ask for it: a real client over in-process streams, the sample tenant, and a pull
 * folder on disk. The answers are the audit's own (server/src/audit/), and its findings reach the
 * pulled files as diagnostics, one list per file, without duplicates.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { auditTenant } from '../../../server/src/audit/index';
import { directiveLine } from '../../../server/src/lsp/auditService';
import type { AuditResponse, PullResponse, TenantInfo } from '../../../protocol/src/protocol';
import { loadSnapshot } from '../../../server/src/tenant/snapshot';
import { CancellationTokenSource, WorkDoneProgress } from 'vscode-languageserver-protocol';
import { AuditRequest, TenantInfoRequest } from '../../../protocol/src/protocol';
import { startHarness, startHarnessWithFolder, type Harness } from '../../support/lsp';
import { dynamicGroup, guid, user, writeTenant } from '../audit/fixture';

const CONTOSO = path.resolve('samples/tenant/contoso');
const SALES_ALL = '0f5894b7';

const key = (d: Diagnostic): string => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}`;

describe('language server: the whole tenant (audit and pull)', () => {
  let h: Harness;
  let folder: string;
  before(async () => {
    h = await startHarness();
    folder = mkdtempSync(path.join(tmpdir(), 'dynrule-pull-'));
  });
  after(() => h.close());

  it('says why there is no audit before a tenant is loaded', async () => {
    const r = await h.client.sendRequest<AuditResponse>('dynrule/audit', { folder });
    assert.equal(r.ok, false);
    assert.match(r.reason ?? '', /no tenant/);
    const p = await h.client.sendRequest<PullResponse>('dynrule/pull', { folder });
    assert.equal(p.ok, false);
  });

  it('audits the tenant in use: every dynamic group with the audit\'s counts and findings', async () => {
    const info = await h.client.sendRequest<TenantInfo>('dynrule/selectTenant', { selection: { kind: 'folder', path: CONTOSO } });
    assert.equal(info.state, 'ready', info.error);
    const r = await h.client.sendRequest<AuditResponse>('dynrule/audit', { folder });
    assert.equal(r.ok, true, r.reason);
    const expected = auditTenant(await loadSnapshot(CONTOSO));
    assert.deepEqual(r.groups.map((g) => [g.id, g.kind, g.type, g.processingState, g.members, g.ruleMembers, g.missing, g.extra]),
      expected.groups.map((g) => [g.id, g.kind, g.type, g.processingState, g.members, g.ruleMembers, g.missing.length, g.extra.length]));
    assert.deepEqual(r.groups.map((g) => g.findings.map((f) => f.code)), expected.groups.map((g) => g.findings.map((f) => f.code)));
    assert.deepEqual(r.findings.map((f) => f.code), expected.findings.map((f) => f.code));
    assert.equal(r.summary?.groups, expected.summary.groups);
    const paused = r.groups.find((g) => g.id.startsWith(SALES_ALL))!;
    assert.equal(paused.processingState, 'Paused');
    assert.ok(paused.findings.some((f) => f.code === 'group/processing-paused'));
    // Nothing pulled yet: no group has a file.
    assert.ok(r.groups.every((g) => g.file === undefined));
  });

  it('refuses a pull folder that is not an absolute path', async () => {
    const p = await h.client.sendRequest<PullResponse>('dynrule/pull', { folder: 'dynamic-groups' });
    assert.equal(p.ok, false);
    assert.match(p.reason ?? '', /absolute/);
  });

  it('pulls every rule into the folder; the audit then names each group\'s file, and a second pull changes nothing', async () => {
    const p = await h.client.sendRequest<PullResponse>('dynrule/pull', { folder });
    assert.equal(p.ok, true, p.reason);
    assert.ok(p.written.length > 0);
    for (const w of p.written) {
      const file = fileURLToPath(w.file);
      assert.equal(path.relative(folder, file).startsWith('..'), false, file);
      assert.match(readFileSync(file, 'utf8'), new RegExp(`# @(group|administrativeUnit) "${w.id}"`));
    }
    const r = await h.client.sendRequest<AuditResponse>('dynrule/audit', { folder });
    for (const w of p.written) assert.equal(r.groups.find((g) => g.id === w.id)?.file, w.file);
    const again = await h.client.sendRequest<PullResponse>('dynrule/pull', { folder });
    assert.deepEqual([again.written.length, again.unchanged.length, again.conflicts.length], [0, p.written.length, 0]);
  });

  it('publishes a group\'s findings on its pulled file, at the # @group line, while the file is closed', async () => {
    const r = await h.client.sendRequest<AuditResponse>('dynrule/audit', { folder });
    const paused = r.groups.find((g) => g.id.startsWith(SALES_ALL))!;
    const text = readFileSync(fileURLToPath(paused.file!), 'utf8');
    const published = await waitForDiagnostics(h, paused.file!, (p) => p.diagnostics.some((d) => d.code === 'group/processing-paused'));
    const d = published.diagnostics.find((x) => x.code === 'group/processing-paused')!;
    assert.equal(d.range.start.line, directiveLine(text));
    assert.equal(d.source, 'dynrule');
    assert.deepEqual(published.diagnostics.map((x) => x.code).sort(), paused.findings.map((f) => f.code).sort());
  });

  it('an open pulled file has one list: the live checks and the audit\'s group findings, nothing twice; closed, the audit\'s again', async () => {
    const r = await h.client.sendRequest<AuditResponse>('dynrule/audit', { folder });
    const paused = r.groups.find((g) => g.id.startsWith(SALES_ALL))!;
    const uri = paused.file!;
    const text = readFileSync(fileURLToPath(uri), 'utf8');
    await h.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dynrule', version: 1, text } });
    const open = await h.diagnostics(uri, 1);
    const keys = open.diagnostics.map(key);
    assert.equal(new Set(keys).size, keys.length, `duplicates: ${keys.join(', ')}`);
    assert.ok(open.diagnostics.some((d) => d.code === 'group/processing-paused'));
    // An edit: the live checks follow the text, the finding on the group stays.
    await h.client.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: `${text.trimEnd()} -and\n` }] });
    const edited = await h.diagnostics(uri, 2);
    assert.ok(edited.diagnostics.some((d) => String(d.code).startsWith('syntax/')), edited.diagnostics.map(key).join(', '));
    assert.ok(edited.diagnostics.some((d) => d.code === 'group/processing-paused'));
    await h.client.sendNotification('textDocument/didClose', { textDocument: { uri } });
    const closed = await waitForDiagnostics(h, uri, (p) => p.version === undefined && p.diagnostics.every((d) => !String(d.code).startsWith('syntax/')));
    assert.deepEqual(closed.diagnostics.map((x) => x.code).sort(), paused.findings.map((f) => f.code).sort());
  });

  it('a file edited in the folder is never overwritten: left alone, and a conflict once the tenant changes the rule too', async () => {
    const r = await h.client.sendRequest<AuditResponse>('dynrule/audit', { folder });
    const sales = r.groups.find((g) => g.id.startsWith(SALES_ALL))!;
    const file = fileURLToPath(sales.file!);
    const edited = readFileSync(file, 'utf8').replace('user.department -eq "Sales"', 'user.department -in ["Sales", "Marketing"]');
    assert.ok(edited.includes('"Marketing"'), 'the rule was edited');
    writeFileSync(file, edited);
    const left = await h.client.sendRequest<PullResponse>('dynrule/pull', { folder });
    assert.ok(!left.written.some((w) => w.id === sales.id) && left.conflicts.length === 0);
    assert.equal(readFileSync(file, 'utf8'), edited);
    // The same tenant with the group's rule changed there.
    const changed = mkdtempSync(path.join(tmpdir(), 'dynrule-tenant-'));
    cpSync(CONTOSO, changed, { recursive: true });
    const groupsFile = path.join(changed, 'groups.json');
    writeFileSync(groupsFile, readFileSync(groupsFile, 'utf8').replace('"user.department -eq \\"Sales\\""', '"user.department -eq \\"Sales\\" -and user.accountEnabled -eq true"'));
    const info = await h.client.sendRequest<TenantInfo>('dynrule/selectTenant', { selection: { kind: 'folder', path: changed } });
    assert.equal(info.state, 'ready', info.error);
    const p = await h.client.sendRequest<PullResponse>('dynrule/pull', { folder });
    assert.deepEqual(p.conflicts.map((c) => [fileURLToPath(c.file), c.id]), [[file, sales.id]]);
    assert.match(p.conflicts[0]!.reason, /edited here and changed in the tenant/);
    // The tenant's version beside it, for the editor's compare.
    const copy = fileURLToPath(p.conflicts[0]!.tenantFile!);
    assert.equal(copy, `${file}.tenant`);
    assert.match(readFileSync(copy, 'utf8'), /user\.department -eq "Sales" -and user\.accountEnabled -eq true/);
    assert.equal(readFileSync(file, 'utf8'), edited);
    await h.client.sendRequest<TenantInfo>('dynrule/selectTenant', { selection: { kind: 'folder', path: CONTOSO } });
  });

  it('another tenant takes the audit\'s findings off the files', async () => {
    const r = await h.client.sendRequest<AuditResponse>('dynrule/audit', { folder });
    const uri = r.groups.find((g) => g.id.startsWith(SALES_ALL))!.file!;
    await h.client.sendRequest<TenantInfo>('dynrule/selectTenant', { selection: { kind: 'none' } });
    await waitForDiagnostics(h, uri, (p) => p.diagnostics.length === 0);
    const none = await h.client.sendRequest<AuditResponse>('dynrule/audit', { folder });
    assert.equal(none.ok, false);
  });
});

describe('language server: a long audit runs in slices', () => {
  let h: Harness;
  before(async () => {
    // 3,000 dynamic groups with rules of eight conditions: an audit of many slices however fast the machine.
    const users = Array.from({ length: 40 }, (_, i) => user(i + 1, { city: i % 3 ? 'Lagos' : 'Abuja' }));
    const rule = (i: number): string => [`user.city -eq "${i % 2 ? 'Lagos' : 'Abuja'}"`, `user.jobTitle -ne "${i}"`, 'user.department -in ["Sales", "Legal", "Finance"]',
      'user.country -startsWith "Nig"', `user.mail -notContains "x${i}"`, 'user.accountEnabled -eq true', `user.employeeId -ne "${i}"`, 'user.userType -eq "Member"'].join(' -and ');
    const groups = Array.from({ length: 3000 }, (_, i) => dynamicGroup(1000 + i, `G${i}`, rule(i), [guid(1 + (i % 40))]));
    h = await startHarnessWithFolder(writeTenant({ users, groups }));
  });
  after(() => h.close());

  // The server reads one message between two slices (of 10 ms): a request sent after the audit's
  // is read once the audit has begun, a cancel a few slices later, with many slices still to go.
  const auditLogs = (from: number): string[] => h.logs.slice(from).filter((l) => l.includes('[audit]'));

  it('answers other requests while it runs', async () => {
    let answered = false;
    const audit = h.client.sendRequest(AuditRequest, { refresh: true }).then((r) => { answered = true; return r; });
    const info = await h.client.sendRequest(TenantInfoRequest);
    assert.equal(info.state, 'ready');
    assert.equal(answered, false, 'the audit answered before a request sent after it: it did not give way');
    const whole = await audit;
    assert.equal(whole.ok, true, whole.reason);
    assert.equal(whole.groups.length, 3000);
  });

  it('reports its progress on the request\'s work-done token: begun, groups done out of all, ended', async () => {
    const seen: string[] = [];
    const reports: { percentage?: number; message?: string }[] = [];
    const listening = h.client.onProgress(WorkDoneProgress.type, 'audit-progress', (v) => {
      seen.push(v.kind);
      if (v.kind === 'report') reports.push({ ...(v.percentage !== undefined ? { percentage: v.percentage } : {}), ...(v.message ? { message: v.message } : {}) });
    });
    try {
      const r = await h.client.sendRequest(AuditRequest, { refresh: true, workDoneToken: 'audit-progress' });
      assert.equal(r.ok, true, r.reason);
      assert.equal(seen[0], 'begin');
      assert.equal(seen.at(-1), 'end');
      assert.ok(reports.length >= 2, `${reports.length} reports`);
      const percentages = reports.map((x) => x.percentage!);
      assert.deepEqual(percentages, [...percentages].sort((x, y) => x - y), 'the percentage only grows');
      assert.match(reports.at(-1)!.message!, /^[\d,]+ of 3,000 dynamic groups and units$/);
    } finally {
      listening.dispose();
    }
  });

  it('a cancel stops it between two groups; the next audit runs to the end', async () => {
    const before = h.logs.length;
    const source = new CancellationTokenSource();
    const audit = h.client.sendRequest(AuditRequest, { refresh: true }, source.token);
    await h.client.sendRequest(TenantInfoRequest); // answered between two slices: the audit has begun
    source.cancel();
    const stopped = await audit;
    assert.equal(stopped.ok, false);
    assert.deepEqual(stopped.groups, []);
    assert.deepEqual(auditLogs(before).map((l) => /\[audit\] (\w+)/.exec(l)?.[1]), ['stopped']);
    const whole = await h.client.sendRequest(AuditRequest, {});
    assert.equal(whole.ok, true, whole.reason);
    assert.equal(whole.groups.length, 3000);
  });

  it('requests that ask while an audit runs share it: a cancel answers that request, and the audit goes on for the other', async () => {
    const before = h.logs.length;
    const first = new CancellationTokenSource();
    const a = h.client.sendRequest(AuditRequest, { refresh: true }, first.token);
    const b = h.client.sendRequest(AuditRequest, { refresh: true });
    await h.client.sendRequest(TenantInfoRequest); // both requests are in, waiting for the one audit
    first.cancel();
    const [ra, rb] = await Promise.all([a, b]);
    assert.equal(ra.ok, false);
    assert.equal(rb.ok, true, rb.reason);
    assert.equal(rb.groups.length, 3000);
    const audits = auditLogs(before);
    assert.equal(audits.length, 1, audits.join('\n'));
    assert.match(audits[0]!, /\[audit\] 3000 dynamic groups and units audited in \d+ ms/);
  });
});

/** The diagnostics of `uri` once a publication satisfies `accept` (the latest one is looked at first). */
async function waitForDiagnostics(h: Harness, uri: string, accept: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams> {
  let p = await h.diagnostics(uri);
  while (!accept(p)) p = await h.nextDiagnostics(uri);
  return p;
}
