/**
 * `check --format sarif`: the findings as a SARIF 2.1.0 log, for GitHub code scanning and Azure
 * DevOps. One result per finding with its region; `tool.driver.rules` describes every code that
 * occurs, with the documentation page the editor links to (the diagnostic's codeDescription).
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { CheckedIssue } from './check';

declare const DYNRULE_VERSION: string | undefined;

/** The version the bundle was built as (`development` when run from the sources). */
export const toolVersion = (): string => (typeof DYNRULE_VERSION === 'string' ? DYNRULE_VERSION : 'development');

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

/**
 * A finding and the documentation page of its code, when there is one. A finding in a file has
 * its `file` and `range`; one about something without a file (a group of a tenant, in `audit`)
 * has a logical location instead.
 */
export interface SarifFinding {
  readonly issue: Pick<CheckedIssue, 'code' | 'severity' | 'message'> & Partial<Pick<CheckedIssue, 'file' | 'range'>>;
  readonly docs?: string | undefined;
  readonly logical?: Sarif.LogicalLocation;
  /** Extra facts about the result (SARIF property bag). */
  readonly properties?: Sarif.PropertyBag;
}

const LEVEL: Record<CheckedIssue['severity'], Sarif.Result.level> = { error: 'error', warning: 'warning', info: 'note' };
const PHASE: Record<string, string> = {
  syntax: 'Syntax', type: 'Type', rule: 'Rule', style: 'Style', perf: 'Efficiency', logic: 'Logic',
  regex: 'Regular expression', directive: 'Directive', internal: 'Internal', iac: 'Rule in an IaC file',
  group: 'Group', licensing: 'Licensing', security: 'Security', tenant: 'Tenant',
};

/** `type/unknown-property` → "Type: unknown property". */
export function describeCode(code: string): string {
  const slash = code.indexOf('/');
  const phase = slash < 0 ? '' : code.slice(0, slash);
  const words = code.slice(slash + 1).replace(/-/g, ' ');
  return phase ? `${PHASE[phase] ?? phase}: ${words}` : words;
}

/**
 * A file's URI relative to `root` (percent-encoded, `/` separators) — what code scanning maps
 * onto the repository — or an absolute file URI for a file outside it.
 */
export function artifactUri(file: string, root: string): { uri: string; uriBaseId?: string } {
  const abs = path.resolve(root, file);
  const rel = path.relative(root, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return { uri: pathToFileURL(abs).href };
  return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** The SARIF log of one `check` run; `root` is the folder relative URIs start from. */
export function sarifLog(findings: readonly SarifFinding[], root: string, version = toolVersion()): Sarif.Log {
  const rules: Sarif.ReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  const results: Sarif.Result[] = [];
  for (const { issue, docs, logical, properties } of findings) {
    let index = ruleIndex.get(issue.code);
    if (index === undefined) {
      index = rules.length;
      ruleIndex.set(issue.code, index);
      const short = describeCode(issue.code);
      const rule: Sarif.ReportingDescriptor = {
        id: issue.code,
        name: issue.code,
        shortDescription: { text: short },
        fullDescription: { text: issue.message },
        help: docs
          ? { text: `${issue.message}\n\nSee ${docs}`, markdown: `${issue.message}\n\n[Microsoft's documentation](${docs})` }
          : { text: issue.message },
        defaultConfiguration: { level: LEVEL[issue.severity] },
      };
      if (docs) rule.helpUri = docs;
      rules.push(rule);
    }
    const location: Sarif.Location = {};
    if (issue.file !== undefined && issue.range) {
      const { start, end } = issue.range;
      location.physicalLocation = {
        artifactLocation: artifactUri(issue.file, root),
        region: { startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 },
      };
    }
    if (logical) location.logicalLocations = [logical];
    results.push({
      ruleId: issue.code,
      ruleIndex: index,
      level: LEVEL[issue.severity],
      message: { text: issue.message },
      locations: [location],
      ...(properties ? { properties } : {}),
    });
  }
  const driver: Sarif.ToolComponent = { name: 'dynrule', version, rules };
  if (/^\d+\.\d+\.\d+/.test(version)) driver.semanticVersion = version;
  const run: Sarif.Run = {
    tool: { driver },
    columnKind: 'utf16CodeUnits',
    originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(root.endsWith(path.sep) ? root : root + path.sep).href } },
    results,
  };
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
}
