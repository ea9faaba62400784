/**
 * The whole-tenant rows: `auditTenant` over the generated tenant with thousands of dynamic groups
 * (every rule checked, evaluated on the columnar engine and diffed against its members), beside a
 * baseline in the same run that evaluates rules one user at a time; and `pullRules` of every rule.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { compileRule, parseRule, type CompiledRule, type GraphObject, type ParsedRule } from '../../grammar/src/index';
import { evaluateColumnar } from '../../grammar/src/columnar/index';
import { auditTenant, pullRules } from '../../server/src/audit/index';
import type { Snapshot } from '../../server/src/tenant/snapshot';
import type { TenantData } from './data';
import type { BenchOptions } from './options';
import type { Row } from './report';

const say = (s: string): void => { process.stderr.write(`${s}\n`); };
const ms = (t0: number): number => performance.now() - t0;
const n = (x: number): string => x.toLocaleString('en-US');

/** The baseline runs every this-many-th user rule (its time is scaled up by the same factor). */
const RULE_STEP = 50;

interface Sampled { readonly parsed: ParsedRule; readonly compiled: CompiledRule }

/**
 * Each sampled rule over every user, one object at a time with the compiled closures (the
 * evaluator before the columnar engine). The objects are built from the columns once per batch
 * and shared by the rules; building them is not counted, which favours the baseline.
 */
function oneByOne(s: Snapshot, rules: readonly Sampled[]): { ms: number; differing: number } {
  const t = s.tables.users!;
  const now = Date.parse(String(s.meta?.takenAt));
  const results = rules.map(() => new Uint8Array(t.rows));
  let total = 0;
  const BATCH = 50_000;
  for (let start = 0; start < t.rows; start += BATCH) {
    const count = Math.min(BATCH, t.rows - start);
    const objects: GraphObject[] = [];
    for (let k = 0; k < count; k++) objects.push(t.objectAt(start + k));
    rules.forEach((r, i) => {
      const out = results[i]!;
      const t0 = performance.now();
      for (let k = 0; k < count; k++) out[start + k] = r.compiled.test(objects[k]!);
      total += ms(t0);
    });
  }
  // The same answers as the engine, row by row.
  let differing = 0;
  rules.forEach((r, i) => {
    const bits = evaluateColumnar(r.parsed.expr!, t, { now });
    const out = results[i]!;
    for (let row = 0; row < t.rows; row++) if (bits.get(row) !== out[row]) differing++;
  });
  return { ms: total, differing };
}

export async function auditSection(rows: Row[], data: TenantData, s: Snapshot, options: BenchOptions): Promise<void> {
  const size = data.size;
  const big = size === '1m';
  const now = Date.parse('2026-12-04T00:00:00Z');
  say(`  ${size}: audit of ${n(data.dynamicGroups)} generated dynamic groups and the sample's own ...`);
  (globalThis as { gc?: () => void }).gc?.();
  let t0 = performance.now();
  const report = auditTenant(s, { now });
  const auditMs = ms(t0);
  const evaluated = report.groups.filter((g) => !g.findings.some((f) => f.code === 'group/rule-not-evaluated'));
  const drifting = report.groups.filter((g) => g.missing.length + g.extra.length > 0).length;

  const userRules: Sampled[] = [];
  for (const g of evaluated) {
    if (g.type !== 'user' || g.rule === null) continue;
    const parsed = parseRule(g.rule);
    const c = compileRule(parsed, { now: Date.parse(String(s.meta?.takenAt)) });
    if (c.ok && parsed.expr) userRules.push({ parsed, compiled: c.rule });
  }
  const step = options.fullBaseline ? 1 : RULE_STEP;
  const sample = userRules.filter((_, i) => i % step === 0);
  say(`  ${size}: the baseline: ${n(sample.length)} of ${n(userRules.length)} user rules, each over every user one by one ...`);
  const base = oneByOne(s, sample);
  const baseline = base.ms * (userRules.length / sample.length);
  rows.push({
    section: 'audit', measurement: `audit after load: ${n(report.groups.length)} dynamic groups and units, every rule evaluated and diffed against its members`, size,
    value: auditMs, unit: 'ms', baseline,
    ...(big ? { target: '< 20,000 ms', pass: auditMs < 20_000 && base.differing === 0 } : {}),
    note: [
      `${n(evaluated.length)} rules evaluated on the columnar engine, ${n(drifting)} groups drifting, ${n(report.summary.errors + report.summary.warnings + report.summary.infos)} findings; one run`,
      `baseline: the compiled closures one user at a time${step > 1 ? `, every ${step}th user rule (${n(sample.length)}), its time ×${(userRules.length / sample.length).toFixed(1)}` : ''}, objects built from the columns beforehand (not counted), no diff`,
      base.differing === 0 ? 'the sampled rules select exactly what the engine selects' : `${n(base.differing)} rows differ from the engine`,
    ].join('; '),
  });

  const parent = mkdtempSync(path.join(tmpdir(), 'dynrule-bench-pull-'));
  try {
    const out = path.join(parent, 'rules');
    t0 = performance.now();
    const first = pullRules(s, out);
    const firstMs = ms(t0);
    rows.push({
      section: 'audit', measurement: `pull: ${n(first.written.length)} rule files into an empty folder`, size, value: firstMs, unit: 'ms',
      ...(big ? { target: '< 5,000 ms', pass: firstMs < 5000 } : {}), note: `${n(first.noRule.length)} without a rule; files and the pull record written`,
    });
    t0 = performance.now();
    const again = pullRules(s, out);
    rows.push({
      section: 'audit', measurement: 'pull again, nothing changed', size, value: ms(t0), unit: 'ms',
      note: `${n(again.unchanged.length)} unchanged: every file read and compared`,
    });
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
}
