/**
 * The what-if rows: 10,000 changed users (new hires as the bulk-create template gives them,
 * attribute changes, leavers deleted) through every dynamic group of the tenant with thousands of
 * generated groups, after load — beside, in the same run, every rule evaluated over the whole
 * tenant (what a what-if would cost if it re-ran the tenant instead of the changed users).
 */
import type { CodeLens } from 'vscode-languageserver-protocol';
import { parseRule } from '../../grammar/src/index';
import { evaluateColumnar } from '../../grammar/engine/src/index';
import { skuCatalogue } from '../../server/src/preview/catalogue';
import type { Snapshot } from '../../server/src/tenant/snapshot';
import { parseChanges } from '../../server/src/whatif/read';
import { resolveChanges } from '../../server/src/whatif/resolve';
import { isDynamicGroup, whatIf } from '../../server/src/whatif/whatif';
import type { TenantData } from './data';
import type { BenchOptions } from './options';
import { median, type Row } from './report';
import { loadSnapshot } from '../../server/src/tenant/snapshot';
import type { TenantInfo, WhatIfResponse } from '../../protocol/src/protocol';
import { startHarness } from '../../test/support/lsp';

const say = (s: string): void => { process.stderr.write(`${s}\n`); };
const ms = (t0: number): number => performance.now() - t0;
const n = (x: number): string => x.toLocaleString('en-US');

export const CHANGED_USERS = 10_000;
/** The baseline runs every this-many-th rule (its time is scaled up by the same factor). */
const RULE_STEP = 20;

const cell = (v: unknown): string => {
  const s = typeof v === 'string' ? v : '';
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * The changes, as files: 2,000 new hires shaped like existing users (so that they join groups),
 * 7,000 attribute changes (a department, a city, a title, a contractor flag, a manager, an account
 * disabled) and 1,000 leavers, drawn from users spread over the whole tenant.
 */
export function benchChanges(s: Snapshot, count = CHANGED_USERS): { hires: string; updates: string; leavers: string } {
  const t = s.tables.users!;
  const hiresN = Math.round(count * 0.2);
  const leaversN = Math.round(count * 0.1);
  const updatesN = count - hiresN - leaversN;
  const step = Math.max(1, Math.floor(t.rows / (updatesN + leaversN + hiresN)));
  const value = (key: string, row: number): string => String(t.value(key, row) ?? '');
  const hires = ['version:v1.0', 'Name [displayName] Required,User name [userPrincipalName] Required,Initial password [passwordProfile] Required,Block sign in (Yes/No) [accountEnabled] Required,Job title [jobTitle],Department [department],Usage location [usageLocation],City [city]'];
  const updates = ['userPrincipalName,department,city,jobTitle,extensionAttribute7,accountEnabled,manager'];
  const leavers: string[] = [];
  for (let k = 0; k < hiresN + updatesN + leaversN; k++) {
    const row = (k * step) % t.rows;
    const other = (row + 7919) % t.rows;
    if (k < hiresN) {
      hires.push([`New Hire ${k}`, `new.hire.${k}@contoso.com`, 'Welcome-2026!', k % 50 === 0 ? 'Yes' : 'No', value('jobTitle', row), value('department', row), value('usageLocation', row), value('city', row)].map(cell).join(','));
    } else if (k < hiresN + updatesN) {
      const upn = value('userPrincipalName', row);
      const kind = k % 6;
      const fields = [
        kind === 0 ? value('department', other) : '',
        kind === 1 ? value('city', other) : '',
        kind === 2 ? value('jobTitle', other) : '',
        kind === 3 ? 'Contractor' : '',
        kind === 4 ? 'false' : '',
        kind === 5 ? value('userPrincipalName', other) : '',
      ];
      updates.push([upn, ...fields].map(cell).join(','));
    } else {
      leavers.push(JSON.stringify({ user: t.id(row), delete: true }));
    }
  }
  return { hires: `${hires.join('\r\n')}\r\n`, updates: `${updates.join('\n')}\n`, leavers: `[\n${leavers.join(',\n')}\n]\n` };
}

export async function whatifSection(rows: Row[], data: TenantData, s: Snapshot, options: BenchOptions): Promise<void> {
  const size = data.size;
  const big = size === '1m';
  const now = Date.parse('2026-12-04T00:00:00Z');
  const files = benchChanges(s);
  say(`  ${size}: what-if of ${n(CHANGED_USERS)} changed users through every dynamic group ...`);
  (globalThis as { gc?: () => void }).gc?.();
  let t0 = performance.now();
  const parsed = [parseChanges('hires.csv', files.hires), parseChanges('updates.csv', files.updates), parseChanges('leavers.json', files.leavers)];
  const parseMs = ms(t0);
  const issues = parsed.flatMap((p) => p.issues);
  if (issues.length) throw new Error(`the bench's changes have problems: ${issues.slice(0, 3).map((i) => `${i.file}:${i.line}: ${i.message}`).join('; ')}`);
  t0 = performance.now();
  const resolved = resolveChanges(s, parsed.flatMap((p) => p.changes));
  if (resolved.issues.length) throw new Error(`the bench's changes do not apply: ${resolved.issues[0]!.message}`);
  const report = whatIf(s, resolved, { now, catalogue: skuCatalogue });
  const whatifMs = ms(t0);

  // The baseline: every rule over every user of the tenant, on the same columnar engine; every
  // RULE_STEP-th rule unless --full-baseline (its time scaled up by the same factor).
  const rules = (s.groups ?? []).filter(isDynamicGroup).map((g) => parseRule(g.membershipRule!)).filter((p) => p.expr);
  const step = options.fullBaseline ? 1 : RULE_STEP;
  const sample = rules.filter((_, i) => i % step === 0);
  say(`  ${size}: the baseline: ${n(sample.length)} of ${n(rules.length)} rules, each over the whole tenant ...`);
  const users = s.tables.users!;
  let selected = 0;
  t0 = performance.now();
  for (const p of sample) {
    try {
      selected += evaluateColumnar(p.expr!, users, { now }).count('t');
    } catch {
      // A device rule over users: not part of the baseline.
    }
  }
  const baseline = ms(t0) * (rules.length / sample.length);
  const sm = report.summary;
  rows.push({
    section: 'whatif', measurement: `what-if after load: ${n(CHANGED_USERS)} changed users through ${n(sm.dynamicGroups + sm.dynamicUnits)} dynamic groups and units`, size,
    value: whatifMs, unit: 'ms', baseline,
    ...(big ? { target: '< 5,000 ms', pass: whatifMs < 5000 } : {}),
    note: [
      `${n(sm.newUsers)} new, ${n(sm.changedUsers)} changed (${n(report.users.filter((u) => u.implied).length)} by a deleted manager), ${n(sm.deletedUsers)} deleted; ${n(sm.groupsChanged)} groups change, ${n(sm.joins)} joins, ${n(sm.leaves)} leaves; ${n(report.licenses.length)} SKUs move, ${n(report.errors.length)} license errors; one run`,
      `baseline: every rule over all ${n(users.rows)} users on the columnar engine${step > 1 ? `, every ${step}th rule (${n(sample.length)}, ${n(selected)} selections), its time ×${(rules.length / sample.length).toFixed(1)}` : ` (${n(selected)} selections)`}: ${(baseline / whatifMs).toFixed(1)} × the what-if`,
    ].join('; '),
  });
  rows.push({ section: 'whatif', measurement: `reading the changes: ${n(CHANGED_USERS)} rows of bulk-create CSV, attribute-change CSV and JSON`, size, value: parseMs, unit: 'ms', note: 'csv-parse and the positions of every cell; one run' });
}

/**
 * The what-if in the editor: a bulk-create CSV of 100 new hires (shaped like the sample's users)
 * against the bundled sample tenant, through a real protocol client — the code lens over the
 * file after an edit, and the What if view's request.
 */
export async function whatifEditorSection(rows: Row[], repo: string, options: BenchOptions): Promise<void> {
  const sample = `${repo}/samples/tenant/contoso`;
  say('  the what-if of a 100-row CSV against the bundled sample, in the language server ...');
  const s = await loadSnapshot(sample, { cacheDir: false });
  const csv = benchChanges(s, 500).hires;
  const hires = csv.split('\r\n').filter(Boolean).length - 2; // the version row and the headings
  if (hires !== 100) throw new Error(`the editor bench's CSV has ${hires} rows, not 100`);
  const h = await startHarness({ tenant: { kind: 'folder', path: sample } });
  try {
    for (;;) {
      const i = await h.client.sendRequest<TenantInfo>('dynrule/tenantInfo', {});
      if (i.state === 'failed') throw new Error(i.error);
      if (i.state === 'ready') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const uri = await h.open('changes/hires-100.csv', csv, 'csv');
    const lens = (): Promise<CodeLens[]> => h.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    await lens();
    const n = Math.max(options.runs * 3, 15);
    const lensTimes: number[] = [];
    let title = '';
    for (let k = 0; k < n; k++) {
      // An edit (a department typed differently) and the code lens of the new text.
      await h.change(uri, csv.replace(/,Sales,/, k % 2 ? ',Sales,' : ',Sales ,'));
      const t = performance.now();
      title = (await lens())[0]?.command?.title ?? '';
      lensTimes.push(ms(t));
    }
    if (!/What if: 100 new users/.test(title)) throw new Error(`the code lens reads "${title}"`);
    rows.push({ section: 'whatif', measurement: 'code lens over a 100-row bulk-create CSV after an edit, the sample tenant (in the editor)', size: 'sample', value: median(lensTimes), unit: 'ms', target: '< 100 ms', pass: median(lensTimes) < 100, note: `edit → textDocument/codeLens, median of ${n}; ${title.slice(0, 100)}` });
    const view: number[] = [];
    for (let k = 0; k < n; k++) {
      const t = performance.now();
      const r = await h.client.sendRequest<WhatIfResponse>('dynrule/whatIf', { changes: uri });
      view.push(ms(t));
      if (!r.ok) throw new Error(`the what-if failed: ${r.reason}`);
    }
    rows.push({ section: 'whatif', measurement: 'the What if view\'s report for the same CSV (dynrule/whatIf)', size: 'sample', value: median(view), unit: 'ms', target: '< 100 ms', pass: median(view) < 100, note: `median of ${n}` });
  } finally {
    h.close();
  }
}
