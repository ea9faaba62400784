/** `dynrule preview <rule-file> --tenant <dir|live> [--group <id|name>] [--licenses "<SKU>, ..."] [--format text|json]` */
import { findServicePlan, parseLicenses } from '../../../grammar/src/index';
import { errorDetail, explainLicenseErrors } from '../preview/errorKinds';
import { PreviewError } from '../preview/errors';
import { previewRule, type PreviewResult } from '../preview/preview';
import type { Snapshot } from '../tenant/snapshot';
import { EXIT_OK, formatOption, outLines, parseNow, readRule, requireNoErrors, str, UsageError, type Output, type ParsedArgs } from './io';
import { labelOf, openTenant } from './tenant';
import { skuCatalogue } from '../preview/catalogue';
import { printable } from '../tenant/jsonError';

const LIST_LIMIT = 20;

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

/** The preview as a readable report. */
export function previewText(p: PreviewResult, s: Snapshot, label: string): string[] {
  const out: string[] = [];
  const byId = p.type === 'user' ? s.userById : s.deviceById;
  const name = (id: string): string => {
    const o = byId.get(id.toLowerCase());
    if (!o) return id;
    const dept = typeof o['department'] === 'string' ? `  (${o['department']})` : '';
    return labelOf(o) + dept;
  };
  const group = p.group ? `${p.groupName ?? p.group} (${p.group})` : 'a new group';
  out.push(`${label}: ${p.type} rule for ${group}, tenant ${s.name}`);
  const delta = `(+${p.added.length} −${p.removed.length})`;
  out.push(`Members   ${p.before} → ${p.after}  ${delta}${p.unknown.length ? `   ${p.unknown.length} unknown` : ''}${p.frozen ? '   frozen: memberOf is retired (see the notes)' : ''}`);
  const skuName = (id: string): string => p.licenses.find((l) => l.skuId === id)?.skuPartNumber ?? id;
  const planName = (id: string): string => findServicePlan(id)?.servicePlanName ?? id;
  if (p.licenses.length) {
    out.push('');
    const rows = [['License', 'Gained', 'Lost', 'Available', 'Needed', 'Freed', 'Left', 'Shortfall']];
    for (const l of p.licenses) {
      const name = `${l.skuPartNumber ?? l.skuId}${l.disabledPlans.length ? ` (${l.disabledPlans.length} plan${l.disabledPlans.length === 1 ? '' : 's'} off)` : ''}`;
      const known = (n: number | null): string => (n === null ? '?' : String(n));
      rows.push([name, String(l.gained.length), String(l.lost.length), known(l.available), String(l.needed), String(l.freed), known(l.left), l.shortfall === null ? '?' : l.shortfall > 0 ? `${l.shortfall} short` : '0']);
    }
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) out.push(r.map((c, i) => pad(c, widths[i]!, i > 0)).join('   ').trimEnd());
  }
  const list = (title: string, ids: readonly string[]): void => {
    if (!ids.length) return;
    out.push('', `${title} (${ids.length}):`);
    for (const id of ids.slice(0, LIST_LIMIT)) out.push(`  ${name(id)}`);
    if (ids.length > LIST_LIMIT) out.push(`  … and ${ids.length - LIST_LIMIT} more (--format json lists all)`);
  };
  list('Added', p.added);
  list('Removed', p.removed);
  list('Unknown', p.unknown);
  if (p.errors.length) {
    out.push('', `Errors Entra would raise (${p.errors.length}):`);
    for (const e of p.errors.slice(0, LIST_LIMIT)) {
      const detail = errorDetail(e, skuName);
      const why = detail ? `  (${detail})` : '';
      out.push(`  ${pad(e.reason, 18)} ${pad(skuName(e.skuId), 14)} ${name(e.user)}${why}`);
    }
    if (p.errors.length > LIST_LIMIT) out.push(`  … and ${p.errors.length - LIST_LIMIT} more`);
  }
  const kinds = explainLicenseErrors([...p.errors.map((e) => e.reason), ...(p.licenses.some((l) => l.shortfall) ? ['CountViolation'] : [])]);
  if (Object.keys(kinds).length) {
    out.push('', 'What the errors mean:');
    for (const [kind, text] of Object.entries(kinds)) out.push(`  ${kind}: ${text}`);
  }
  const reduced = p.licenses.flatMap((l) => l.plansLost.map((x) => ({ ...x, skuId: l.skuId })));
  if (reduced.length) {
    out.push('', `Plans lost by removed members who keep the license through another source (${reduced.length}):`);
    for (const x of reduced.slice(0, LIST_LIMIT)) out.push(`  ${name(x.user)}  ${skuName(x.skuId)}: ${x.plans.map(planName).join(', ')}`);
    if (reduced.length > LIST_LIMIT) out.push(`  … and ${reduced.length - LIST_LIMIT} more (--format json lists all)`);
  }
  if (p.warnings.length) {
    out.push('', 'Warnings:');
    for (const w of p.warnings) out.push(`  ${w.severity === 'error' ? 'x' : '!'} ${w.message}`);
  }
  if (p.notes.length) {
    out.push('', 'Notes:');
    for (const n of p.notes) out.push(`  - ${n}`);
  }
  // Names, departments and ids come from the tenant: no control character reaches the terminal.
  return out.map((line) => printable(line, Number.MAX_SAFE_INTEGER));
}

export async function previewCommand({ values, positionals }: ParsedArgs, io: Output): Promise<number> {
  const format = formatOption(str(values.format), ['text', 'json'], 'text');
  if (positionals.length !== 1) throw new UsageError('preview: give one rule file');
  const now = parseNow(str(values.now));
  const src = await readRule(positionals[0], undefined, now);
  requireNoErrors(src, io);
  const tenant = await openTenant(str(values.tenant));
  const licensesText = str(values.licenses);
  const licenses = licensesText !== undefined ? parseLicenses(licensesText, 0) : undefined;
  if (licenses && licenses.length === 0) throw new UsageError('--licenses needs SKUs, e.g. "SPE_E3, EMS"');
  const group = str(values.group);
  let result: PreviewResult;
  try {
    result = previewRule(tenant, src.parsed, {
      ...(group ? { group } : {}),
      ...(licenses ? { licenses } : {}),
      ...(now !== undefined ? { now } : {}),
      explain: values.explain === true,
      catalogue: skuCatalogue,
    });
  } catch (e) {
    if (e instanceof PreviewError) throw new UsageError(`${src.label}: ${e.message}`);
    throw e;
  }
  if (format === 'json') outLines(io, JSON.stringify(result, null, 2));
  else for (const line of previewText(result, tenant, src.label)) io.out(line);
  return EXIT_OK;
}
