/**
 * The check registry. Each check is a small function over the shared context; a check that throws
 * becomes an `internal/check-failed` issue instead of taking the editor down.
 */
import { issue, sortIssues, type Issue } from '../issues';
import * as l10n from '../l10n';
import type { ParsedRule } from '../parse';
import { unparen } from '../ast';
import { buildContext, resolveRef, type Check, type CheckOptions } from './context';
import { efficiencyChecks } from './efficiency';
import { modernFormChecks } from './modernForms';
import { operatorChecks } from './operators';
import { propertyChecks } from './properties';
import { referenceChecks } from './references';
import { regexChecks } from './regex';
import { RETIRED, structureChecks } from './structure';
import { directiveIssues, type TenantFacts } from './tenant';
import { typographyIssues } from './typography';
import { valueChecks } from './values';

export type { CheckOptions } from './context';
export { NOT_SECURITY_ENABLED, notSecurityEnabledIssue, type TenantFacts, type TenantGroup } from './tenant';

/**
 * Only the checks of the ids a rule names against a tenant (references.ts), for
 * callers that already hold the other issues, such as the preview.
 */
export function referenceIssues(parsed: ParsedRule, tenant: TenantFacts): Issue[] {
  if (!parsed.expr) return [];
  return referenceChecks(buildContext(parsed, parsed.expr), { tenant });
}

/** Whether a rule is a memberOf rule: `user.memberOf -any (...)` or `device.memberOf -any (...)`, as the whole rule. */
export function isMemberOfRule(parsed: ParsedRule): boolean {
  if (!parsed.expr) return false;
  const root = unparen(parsed.expr);
  if (root.kind !== 'quantifier') return false;
  const r = resolveRef(root.collection);
  return r.kind === 'property' && r.def.type === 'memberOf';
}

/**
 * Whether an issue leaves the rule without a meaning, so that it cannot be evaluated: every
 * error but the retirement of memberOf, whose rule still says whom it selects.
 */
export function blocksEvaluation(i: Issue): boolean {
  return i.severity === 'error' && i.code !== RETIRED;
}

const CHECKS: readonly (readonly [string, Check])[] = [
  ['operators', operatorChecks],
  ['properties', propertyChecks],
  ['values', valueChecks],
  ['regex', regexChecks],
  ['structure', structureChecks],
  ['efficiency', efficiencyChecks],
  ['modern forms', modernFormChecks],
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
  // Whom a rule with errors selects is not defined: its ids are checked once it has a meaning.
  if (!out.some(blocksEvaluation)) guard('references', () => referenceChecks(ctx, options));
  return sortIssues(out);
}
