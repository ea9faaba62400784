/**
 * `dynrule audit --tenant <dir|live> [--format text|json|markdown|sarif] [--now <iso>]`: every
 * dynamic group and dynamic administrative unit of the tenant checked at once (README, "The whole
 * tenant"). Exit 1 on an error finding.
 */
import type * as Sarif from 'sarif';
import { auditTenant, type AuditFinding, type AuditReport } from '../audit/index';
import { auditMarkdown, auditText, type Namer } from '../audit/report';
import { printable } from '../printable';
import type { Snapshot } from '../tenant/snapshot';
import { sarifLog, type SarifFinding } from './sarif';
import { EXIT_FINDINGS, EXIT_OK, formatOption, outLines, parseNow, str, UsageError, type Output, type ParsedArgs } from './io';
import { labelOf, openWholeTenant } from './tenant';

/**
 * The findings as SARIF 2.1.0. A tenant has no files: each result's location is the group (a
 * logical location `groups/<id>` or `administrativeUnits/<id>`), with the finding's character
 * range in the rule among its properties.
 */
const plain = (f: AuditFinding): SarifFinding['issue'] => ({ code: f.code, severity: f.severity, message: f.message });

export function auditSarif(r: AuditReport, root: string): Sarif.Log {
  const findings: SarifFinding[] = [];
  for (const f of r.findings) findings.push({ issue: plain(f), logical: { name: 'tenant', fullyQualifiedName: 'tenant', kind: 'namespace' } });
  for (const g of r.groups) {
    const where = `${g.kind === 'group' ? 'groups' : 'administrativeUnits'}/${g.id}`;
    for (const f of g.findings) {
      findings.push({ issue: plain(f), logical: { name: printable(g.displayName, 200), fullyQualifiedName: where, kind: 'object' }, ...(f.range ? { properties: { ruleRange: f.range } } : {}) });
    }
  }
  return sarifLog(findings, root);
}

/** A user's or device's label for the lists: display name and UPN (or OS). */
export function namerOf(s: Snapshot): Namer {
  return (id) => {
    const o = s.userById.get(id.toLowerCase()) ?? s.deviceById.get(id.toLowerCase());
    return o ? labelOf(o) : id;
  };
}

export async function auditCommand({ values, positionals }: ParsedArgs, io: Output): Promise<number> {
  const format = formatOption(str(values.format), ['text', 'json', 'markdown', 'sarif'], 'text');
  if (positionals.length > 0) throw new UsageError(`audit: takes no arguments (got "${positionals[0]}"); give the tenant with --tenant`);
  const now = parseNow(str(values.now));
  const tenant = await openWholeTenant('audit', str(values.tenant), ['users', 'devices', 'groups', 'subscribedSkus', 'administrativeUnits']);
  const report = auditTenant(tenant, now !== undefined ? { now } : {});
  for (const note of tenant.notes) io.err(`dynrule: note: ${note}`);
  if (format === 'json') outLines(io, JSON.stringify(report, null, 2));
  else if (format === 'sarif') outLines(io, JSON.stringify(auditSarif(report, process.cwd()), null, 2));
  else if (format === 'markdown') outLines(io, auditMarkdown(report, tenant.name, namerOf(tenant)).trimEnd());
  else for (const line of auditText(report, tenant.name, namerOf(tenant))) io.out(line);
  return report.summary.errors > 0 ? EXIT_FINDINGS : EXIT_OK;
}
