import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import MarkdownIt from 'markdown-it';
import type * as Sarif from 'sarif';
import { SARIF_SUBSET_SCHEMA } from '../../support/sarifSchema';
import { dynamicGroup, guid, user, writeTenant } from '../audit/fixture';

const CLI = path.resolve('dist/cli.js');
const SAMPLE = path.resolve('samples/tenant/contoso');
const NOW = '2026-12-04T00:00:00Z';

function dynrule(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface Group { id: string; displayName: string; kind: string; type: string; processingState: string | null; members: number | null; ruleMembers: number; missing: string[]; extra: string[]; licenses: string[]; findings: { code: string; severity: string; message: string }[] }
interface Report { summary: Record<string, number | null>; findings: { code: string; severity: string; message: string }[]; groups: Group[] }

/** The sample's groups and units as the files hold them: the expectation, read apart from the loader. */
const sampleList = (name: string): Record<string, unknown>[] => (JSON.parse(readFileSync(path.join(SAMPLE, `${name}.json`), 'utf8')) as { value: Record<string, unknown>[] }).value;

describe('dynrule audit', () => {
  let report: Report;
  let code: number;
  before(() => {
    const r = dynrule('audit', '--tenant', SAMPLE, '--format', 'json', '--now', NOW);
    code = r.code;
    report = JSON.parse(r.stdout) as Report;
  });

  it('json: every dynamic group and dynamic unit of the sample, in the shape of the contract; exit 1 on the retired memberOf rules', () => {
    assert.equal(code, 1);
    assert.deepEqual(Object.keys(report).slice(0, 3), ['summary', 'findings', 'groups']);
    const dynamic = sampleList('groups').filter((g) => (g['groupTypes'] as string[]).includes('DynamicMembership')).map((g) => g['id']);
    const units = sampleList('administrativeUnits').filter((u) => u['membershipType'] === 'Dynamic').map((u) => u['id']);
    assert.deepEqual(report.groups.map((g) => g.id).sort(), [...dynamic, ...units].sort());
    for (const g of report.groups) {
      for (const k of ['id', 'displayName', 'kind', 'type', 'processingState', 'members', 'ruleMembers', 'missing', 'extra', 'licenses', 'findings']) assert.ok(k in g, `${k} missing`);
      for (const f of g.findings) assert.deepEqual(Object.keys(f).slice(0, 3), ['code', 'severity', 'message']);
    }
    const sales = report.groups.find((g) => g.displayName === 'Sales - All')!;
    assert.equal(sales.processingState, 'Paused');
    assert.deepEqual(sales.findings.map((f) => f.code), ['group/processing-paused', 'group/membership-drift']);
    // The generator's record of the drift: three people who moved to Marketing are still members.
    const users = sampleList('users');
    const marketing = new Set(users.filter((u) => u['department'] === 'Marketing').map((u) => u['id']));
    assert.equal(sales.extra.length, 3);
    assert.ok(sales.extra.every((id) => marketing.has(id)));
    const memberOf = report.groups.filter((g) => g.findings.some((f) => f.code === 'rule/member-of-retired'));
    assert.deepEqual(memberOf.map((g) => g.displayName).sort(), ['Devices - Lab (from SG-Lab-Devices)', 'Remote Workers and Security Champions']);
    const visio = report.groups.find((g) => g.displayName.startsWith('LIC - Visio'))!;
    assert.deepEqual(visio.findings.map((f) => f.code).sort(), ['licensing/guests-in-licensing-group', 'security/guest-controllable-rule']);
    assert.equal(report.groups.find((g) => g.kind === 'administrativeUnit')?.displayName, 'AU - DACH Helpdesk Scope');
    assert.ok(report.findings.some((f) => f.code === 'tenant/p1-seats'));
  });

  it('before the retirement date the memberOf rules are no error, and the exit code follows', () => {
    const r = dynrule('audit', '--tenant', SAMPLE, '--format', 'json', '--now', '2026-10-01T00:00:00Z');
    const early = JSON.parse(r.stdout) as Report;
    assert.equal(early.summary['errors'], 0);
    assert.equal(r.code, 0);
  });

  it('text: the summary, every group with findings, and the counts', () => {
    const r = dynrule('audit', '--tenant', SAMPLE, '--now', NOW);
    assert.equal(r.code, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^Audit of contoso: \d+ dynamic groups and 1 dynamic administrative unit\.$/);
    for (const g of report.groups.filter((x) => x.findings.length > 0)) assert.ok(lines.some((l) => l.startsWith(`${g.displayName} (`)), g.displayName);
    assert.equal(lines.at(-1), `${report.summary['errors']} errors, ${report.summary['warnings']} warnings, ${report.summary['infos']} infos.`);
  });

  it('markdown: a summary table, a table of every group and the findings, as markdown-it reads them', () => {
    const r = dynrule('audit', '--tenant', SAMPLE, '--format', 'markdown', '--now', NOW);
    const tokens = new MarkdownIt({ html: true }).parse(r.stdout, {});
    assert.equal(tokens.filter((t) => t.type === 'table_open').length, 2);
    const rows = tokens.filter((t) => t.type === 'tr_open').length;
    assert.equal(rows, 1 + 7 + 1 + report.groups.length, 'header and seven summary rows, header and a row per group');
    const headings = tokens.filter((t, i) => t.type === 'inline' && tokens[i - 1]?.type === 'heading_open').map((t) => t.content);
    assert.deepEqual(headings, ['Dynamic groups: audit of contoso', 'Tenant', 'Groups']);
    const codes = tokens.filter((t) => t.type === 'inline').flatMap((t) => (t.children ?? []).filter((c) => c.type === 'code_inline').map((c) => c.content));
    for (const f of [...report.findings, ...report.groups.flatMap((g) => g.findings)]) assert.ok(codes.includes(f.code), f.code);
  });

  it('sarif: one valid result per finding, at the group it is about', () => {
    const r = dynrule('audit', '--tenant', SAMPLE, '--format', 'sarif', '--now', NOW);
    const log = JSON.parse(r.stdout) as Sarif.Log;
    assert.ok(new Ajv({ allErrors: true }).compile(SARIF_SUBSET_SCHEMA)(log));
    const results = log.runs[0]!.results!;
    assert.equal(results.length, report.findings.length + report.groups.reduce((n, g) => n + g.findings.length, 0));
    const paused = results.find((x) => x.ruleId === 'group/processing-paused')!;
    const sales = report.groups.find((g) => g.displayName === 'Sales - All')!;
    assert.equal(paused.locations![0]!.logicalLocations![0]!.fullyQualifiedName, `groups/${sales.id}`);
  });

  it('usage errors: exit 2 with one line', () => {
    for (const args of [['audit'], ['audit', '--tenant', 'live'], ['pull', '--tenant', 'live', '--out', tmpdir()], ['audit', '--tenant', '/no/such/folder'], ['audit', '--tenant', SAMPLE, '--format', 'csv'], ['audit', 'stray', '--tenant', SAMPLE]]) {
      const r = dynrule(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });
});

describe('dynrule pull', () => {
  it('json: the files written, then unchanged; a conflict exits 1 and names both versions', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'dynrule-pull-cli-')), 'rules');
    const first = dynrule('pull', '--tenant', SAMPLE, '--out', out, '--format', 'json');
    assert.equal(first.code, 0, first.stderr);
    const r1 = JSON.parse(first.stdout) as { written: { file: string; id: string }[]; unchanged: unknown[]; conflicts: unknown[]; gone: unknown[] };
    assert.equal(r1.written.length, readdirSync(out).filter((f) => f.endsWith('.dynrule')).length);
    assert.equal(r1.written.length, sampleList('groups').filter((g) => (g['groupTypes'] as string[]).includes('DynamicMembership')).length + 1);
    for (const w of r1.written) assert.ok(readFileSync(w.file, 'utf8').includes(`"${w.id}"`));
    const second = JSON.parse(dynrule('pull', '--tenant', SAMPLE, '--out', out, '--format', 'json').stdout) as typeof r1;
    assert.deepEqual([second.written.length, second.unchanged.length], [0, r1.written.length]);

    // The tenant's rule changes while the file is edited here.
    const tenant = writeTenant({ users: [user(1)], groups: [dynamicGroup(100, 'Sales', 'user.department -eq "Sales"', [])] });
    const out2 = path.join(tenant, 'rules');
    assert.equal(dynrule('pull', '--tenant', tenant, '--out', out2).code, 0);
    const file = path.join(out2, 'Sales.dynrule');
    writeFileSync(file, `${readFileSync(file, 'utf8')}-and user.accountEnabled -eq true\n`);
    writeFileSync(path.join(tenant, 'groups.json'), JSON.stringify({ value: [dynamicGroup(100, 'Sales', 'user.department -eq "Legal"', [])] }));
    const conflict = dynrule('pull', '--tenant', tenant, '--out', out2);
    assert.equal(conflict.code, 1);
    assert.match(conflict.stdout, new RegExp(`conflict +${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*Sales\\.dynrule\\.tenant`));
    assert.match(conflict.stdout, /0 written, 0 unchanged, 1 conflict, 0 gone\.$/m);
    assert.match(readFileSync(`${file}.tenant`, 'utf8'), /"Legal"/);
    assert.ok(guid(100));
  });

  it('usage errors: no --out, a broken record', () => {
    assert.equal(dynrule('pull', '--tenant', SAMPLE).code, 2);
    const dir = mkdtempSync(path.join(tmpdir(), 'dynrule-pull-cli-'));
    writeFileSync(path.join(dir, '.dynrule-pull.json'), '{"version": 2}');
    const r = dynrule('pull', '--tenant', SAMPLE, '--out', dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not a pull record/);
  });
});
