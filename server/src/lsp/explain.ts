/**
 * Explain the rule for one user or device (ExplainRequest): the reference interpreter's trace and
 * the lines that show what decided.
 */
import { l10n, type ParsedRule } from '../../../grammar/src/index';
import { compileRule, interpret, renderTrace, type GraphObject } from '../../../grammar/engine/src/index';
import type { ExplainResponse } from '../../../protocol/src/protocol';
import { summarize, type TenantState } from './tenantState';

/** Explains the rule for the user or device `objectId` (an id, or a user principal name). */
export function explain(parsed: ParsedRule, objectId: string, tenant: TenantState): ExplainResponse {
  const s = tenant.current;
  if (!s) return { ok: false, reason: l10n.t('no tenant is loaded') };
  const compiled = compileRule(parsed);
  if (!compiled.ok || !parsed.expr) return { ok: false, reason: l10n.t('the rule has errors: fix them to explain it') };
  const byId = compiled.rule.object === 'user' ? s.userById : s.deviceById;
  const o: GraphObject | undefined = byId.get(objectId.toLowerCase()) ?? (compiled.rule.object === 'user' ? s.userByUpn.get(objectId.toLowerCase()) : undefined);
  if (!o) return { ok: false, reason: compiled.rule.object === 'user' ? l10n.t('no user "{0}" in {1}', objectId, s.name) : l10n.t('no device "{0}" in {1}', objectId, s.name) };
  const trace = interpret(parsed.text, parsed.expr, o);
  return { ok: true, object: summarize(o), result: trace.result, trace, lines: renderTrace(trace, tenant.data()) };
}
