/**
 * `dynrule check <file|dir>... [--tenant <dir|live>] [--format text|json|sarif] [--strict] [--now <iso>]`:
 * the editor's checks, of rule files and of the group rules inside Terraform, Bicep and
 * Microsoft365DSC files. Without --tenant, the ones that need no tenant (the licensing catalogue
 * knows SKU and plan names); with it, also the groups, users and subscriptions the rules name.
 */
import { hostLanguageOf, type Issue } from '../../../grammar/src/index';
import { checkHostFile } from '../iac';
import { checkDocument } from '../limits';
import { snapshotFacts } from '../tenant/facts';
import { LineIndex } from '../text';
import { sarifLog, type SarifFinding } from './sarif';
import { openTenant } from './tenant';
import { EXIT_FINDINGS, EXIT_OK, formatOption, outLines, parseNow, readText, ruleFiles, UsageError, type Output, type ParsedArgs, str } from './io';

export interface CheckedIssue {
  readonly file: string;
  readonly range: { readonly start: { line: number; character: number }; readonly end: { line: number; character: number } };
  readonly severity: 'error' | 'warning' | 'info';
  readonly code: string;
  readonly message: string;
}

/** The JSON form of one issue (the CLI contract). */
export function toChecked(file: string, index: LineIndex, i: Issue): CheckedIssue {
  return {
    file,
    range: { start: index.position(i.span.start), end: index.position(i.span.end) },
    severity: i.severity === 'hint' ? 'info' : i.severity,
    code: i.code,
    message: i.message,
  };
}

export async function checkCommand({ values, positionals }: ParsedArgs, io: Output): Promise<number> {
  const format = formatOption(str(values.format), ['text', 'json', 'sarif'], 'text');
  // The time the checks stand at: what Entra does changes with the date (memberOf's retirement).
  const now = parseNow(str(values.now));
  if (positionals.length === 0) throw new UsageError('check: give one or more .dynrule files or folders');
  // Terraform, Bicep and Microsoft365DSC files count only when they hold a group's rule.
  const candidates = await ruleFiles(positionals, ['.dynrule', '.tf', '.bicep', '.ps1']);
  const tenantDir = str(values.tenant);
  const options = {
    ...(now !== undefined ? { now } : {}),
    ...(tenantDir !== undefined ? { tenant: snapshotFacts(await openTenant(tenantDir, ['users', 'groups', 'subscribedSkus', 'administrativeUnits'])) } : {}),
  };
  const findings: SarifFinding[] = [];
  const all: CheckedIssue[] = [];
  let checked = 0;
  for (const file of candidates) {
    const text = await readText(file);
    const index = new LineIndex(text);
    let issues: readonly Issue[];
    if (hostLanguageOf(file)) {
      const rules = checkHostFile(file, text, options);
      if (rules.length === 0) continue;
      issues = rules.flatMap((r) => r.issues);
    } else issues = checkDocument(text, options).issues;
    checked++;
    for (const i of issues) {
      const checkedIssue = toChecked(file, index, i);
      all.push(checkedIssue);
      findings.push({ issue: checkedIssue, docs: i.docs });
    }
  }
  if (checked === 0) throw new UsageError(`check: no .dynrule files (nor .tf, .bicep or .ps1 files with group rules) in ${positionals.join(', ')}`);

  const errors = all.filter((i) => i.severity === 'error').length;
  const warnings = all.filter((i) => i.severity === 'warning').length;
  const infos = all.length - errors - warnings;
  if (format === 'json') outLines(io, JSON.stringify(all, null, 2));
  else if (format === 'sarif') outLines(io, JSON.stringify(sarifLog(findings, process.cwd()), null, 2));
  else {
    for (const i of all) io.out(`${i.file}:${i.range.start.line + 1}:${i.range.start.character + 1}: ${i.severity} ${i.code}: ${i.message}`);
    const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
    io.out(`${plural(checked, 'file')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(infos, 'info')}.`);
  }
  const failed = values.strict ? all.length > 0 : errors > 0;
  return failed ? EXIT_FINDINGS : EXIT_OK;
}
