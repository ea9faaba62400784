/**
 * Compare with the current rule (CurrentRuleRequest): the rule the group named in `# @group` has
 * in the tenant, as a document to diff with the edited one.
 */
import { createRuleDocument, formatRule, l10n, type ParsedRule } from '../../../grammar/src/index';
import { PreviewError } from '../preview/errors';
import { findGroup } from '../preview/preview';
import type { CurrentRuleResponse } from '../../../protocol/src/protocol';
import type { TenantState } from './tenantState';

/** The group's current rule as a document to compare with the edited one (see CurrentRuleRequest). */
export function currentRule(parsed: ParsedRule, tenant: TenantState): CurrentRuleResponse {
  const s = tenant.current;
  if (!s) return { ok: false, reason: l10n.t('no tenant is loaded') };
  const d = parsed.directives.find((x) => x.kind === 'group');
  if (!d || d.kind !== 'group' || !d.value) return { ok: false, reason: l10n.t('the rule names no group: add # @group <object id | "display name">') };
  let g;
  try {
    g = findGroup(s, d.value);
  } catch (e) {
    if (!(e instanceof PreviewError)) throw e;
    return { ok: false, reason: e.message };
  }
  const group = { id: g.id, displayName: typeof g.displayName === 'string' ? g.displayName : null };
  if (typeof g.membershipRule !== 'string' || g.membershipRule.trim() === '') {
    return { ok: false, group, reason: l10n.t('the group {0} has no membership rule: it is not a dynamic group', group.displayName ?? g.id) };
  }
  const formatted = formatRule(createRuleDocument(g.membershipRule));
  const body = formatted.ok ? formatted.text : g.membershipRule;
  // The edited document's leading comment lines (its directives), so that they do not show as changes.
  const header = parsed.text.slice(0, parsed.tokens[0]?.startOffset ?? parsed.text.length);
  return { ok: true, group, text: `${header}${body.trimEnd()}\n` };
}
