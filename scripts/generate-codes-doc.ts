/**
 * Writes docs/codes.md, the user's list of issue codes, from the catalogue (grammar/src/codes.ts):
 * `npm run docs:codes`. test/unit/docs/codes.test.ts fails when the page is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHANGE_CODES, ISSUE_CODES, TENANT_CODES, codeInfo, type FindingCode } from '../grammar/src/index';

const cell = (s: string): string => s.replace(/\|/g, '\\|');

/** The namespace of a code: `syntax` of `syntax/unknown-operator`. */
export const phaseOf = (code: string): string => code.slice(0, code.indexOf('/'));

export function codesReference(): string {
  const out = [
    '# Issue codes',
    '',
    '<!-- Generated from grammar/src/codes.ts by `npm run docs:codes`: edit the catalogue, not this page. -->',
    '',
    'Every finding of the editor and of `dynrule check` has a stable code, namespaced by what it is',
    'about. Scripts, SARIF output and quick fixes depend on the codes: a code keeps its name and its',
    'severity. A finding of category *advice* points at a better way to write a rule that works; the',
    '`dynrule.diagnostics.advice` setting hides those of severity info. In `check --format json` and',
    'SARIF, a hint is reported as info.',
  ];
  const table = (heading: string, codes: readonly FindingCode[]): void => {
    out.push('', heading, '', '| Code | Severity | Category | Meaning |', '|---|---|---|---|');
    for (const code of codes) {
      const { severity, otherwise, category, summary } = codeInfo(code);
      out.push(`| \`${code}\` | ${otherwise ? `${severity} or ${otherwise}` : severity} | ${category} | ${cell(summary)} |`);
    }
  };
  const phases = new Map<string, FindingCode[]>();
  for (const code of Object.keys(ISSUE_CODES) as FindingCode[]) phases.set(phaseOf(code), [...(phases.get(phaseOf(code)) ?? []), code]);
  for (const [phase, codes] of phases) table(`## ${phase}/`, codes);
  out.push('', '## Findings of `dynrule audit` about a group or the tenant', '',
    '`dynrule audit` reports every code above for each dynamic group\'s rule, and these about the',
    'group, the unit or the tenant as a whole.');
  table('### group/, licensing/, security/, tenant/', Object.keys(TENANT_CODES) as FindingCode[]);
  out.push('', '## Problems of a changes file for `dynrule whatif`', '',
    'Each stops the what-if before it evaluates anything; every one is listed with its file, line,',
    'column and heading.');
  table('### changes/', Object.keys(CHANGE_CODES) as FindingCode[]);
  return out.join('\n') + '\n';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL('../docs/codes.md', import.meta.url), codesReference());
}
