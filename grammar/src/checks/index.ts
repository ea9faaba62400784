/**
 * The check registry. Each check is a small function over the shared context; a check that throws
 * becomes an `internal/check-failed` issue instead of taking the editor down.
 */
import { issue, sortIssues, type Issue } from '../issues';
import * as l10n from '../l10n';
import type { ParsedRule } from '../parse';
import { buildContext, type Check, type CheckOptions } from './context';
import { efficiencyChecks } from './efficiency';
import { operatorChecks } from './operators';
import { propertyChecks } from './properties';
import { regexChecks } from './regex';
import { structureChecks } from './structure';
import { directiveIssues, namedObjectIssues } from './tenant';
import { typographyIssues } from './typography';
import { valueChecks } from './values';

export type { CheckOptions } from './context';
export type { TenantFacts } from './tenant';

const CHECKS: readonly (readonly [string, Check])[] = [
  ['operators', operatorChecks],
  ['properties', propertyChecks],
  ['values', valueChecks],
  ['regex', regexChecks],
  ['structure', structureChecks],
  ['efficiency', efficiencyChecks],
];

/**
 * All issues of a parsed rule: syntax, types, structure, advice, and what it names (licenses from
 * the catalogue; groups, users and subscriptions when `options.tenant` is given). Sorted by position.
 */
export function checkRule(parsed: ParsedRule, options: CheckOptions = {}): Issue[] {
  const out: Issue[] = [...parsed.issues];
  const guard = (name: string, run: () => Issue[]): void => {
    try {
      out.push(...run());
    } catch (e) {
      out.push(issue('internal/check-failed', 'warning', l10n.t('The {0} check failed on this rule ({1}); other checks still ran.', name, e instanceof Error ? e.message : String(e)), { start: 0, end: 0 }));
    }
  };
  guard('typography', () => typographyIssues(parsed));
  guard('directives', () => directiveIssues(parsed, options.tenant));
  if (!parsed.expr) {
    if (parsed.tokens.length === 0) {
      // A blank document is one being started, not a mistake: a hint until something is typed.
      const end = parsed.text.length;
      const blank = parsed.text.trim() === '';
      out.push(issue('rule/empty', blank ? 'hint' : 'error', l10n.t('There is no rule here: write a condition such as user.department -eq "Sales".'), { start: end, end }));
    }
    return sortIssues(out);
  }
  const ctx = buildContext(parsed, parsed.expr);
  for (const [name, check] of CHECKS) guard(name, () => check(ctx, options));
  const tenant = options.tenant;
  if (tenant && !out.some((i) => i.severity === 'error')) guard('tenant', () => namedObjectIssues(ctx.expr, tenant));
  return sortIssues(out);
}
