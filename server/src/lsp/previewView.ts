/**
 * The preview view's data (PreviewRequest): who joins, leaves or is unknown and why, the license
 * moves with their seats and errors, and a summary of every object the lists name.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { findServicePlan, findSku, parseRule, l10n, type ParsedRule } from '../../../grammar/src/index';
import { compileRule, interpret } from '../../../grammar/engine/src/index';
import { PreviewError } from '../preview/errors';
import { errorDetail, explainLicenseErrors } from '../preview/errorKinds';
import { changeReason } from '../preview/reasons';
import type { ObjectSummary, PreviewExplanation, PreviewResponse } from '../../../protocol/src/protocol';
import type { PreviewCache } from './previewCache';
import { summarize } from './tenantState';

/** A group's current rule, parsed, when it can be evaluated for objects of the edited rule's type. */
function currentRuleOf(rule: string | null | undefined, type: 'user' | 'device'): ParsedRule | undefined {
  if (typeof rule !== 'string') return undefined;
  const parsed = parseRule(rule);
  const compiled = compileRule(parsed);
  return compiled.ok && parsed.expr && compiled.rule.object === type ? parsed : undefined;
}

/** Objects handled between two looks at the event loop in the preview's long loops (about 50 ms of work). */
const YIELD_EVERY = 2000;

/**
 * The preview view's data: lists, licenses, objects and explanations. Explaining every change
 * of a large tenant takes a while (18,000 added users: 0.4–0.6 s, most of it building each
 * user from the columns), so the loop yields to the event loop every {@link YIELD_EVERY}
 * objects — other requests get answered meanwhile — and stops when `token` is cancelled.
 */
export async function previewResponse(doc: TextDocument, parsed: ParsedRule, previews: PreviewCache, token?: { readonly isCancellationRequested: boolean }): Promise<PreviewResponse> {
  const tenantLabel = previews.tenant.info().label;
  const p = previews.preview(doc, parsed);
  if (p instanceof PreviewError) return { ok: false, reason: p.message, tenant: tenantLabel, version: doc.version };
  const s = previews.tenant.current!;
  const byId = p.type === 'user' ? s.userById : s.deviceById;
  const objects: Record<string, ObjectSummary> = {};
  const explanations: Record<string, PreviewExplanation> = {};
  const changed = [...p.added, ...p.removed, ...p.unknown];
  const ids = new Set([...changed, ...p.errors.map((e) => e.user), ...p.licenses.flatMap((l) => [...l.gained, ...l.lost, ...l.plansLost.map((x) => x.user)])]);
  const explain = parsed.expr ? new Set(changed) : undefined;
  const skuName = (id: string): string => p.licenses.find((l) => l.skuId === id)?.skuPartNumber ?? findSku(id)?.skuPartNumber ?? id;
  const current = explain && p.group ? currentRuleOf(s.groupById.get(p.group.toLowerCase())?.membershipRule, p.type) : undefined;
  let done = 0;
  const cancelled = async (): Promise<boolean> => {
    await new Promise((resolve) => setImmediate(resolve));
    return token?.isCancellationRequested === true;
  };
  const stopped: PreviewResponse = { ok: false, reason: l10n.t('the preview was cancelled'), tenant: tenantLabel, version: doc.version };
  // Each object is read once (from the columns, for a large tenant) for its summary and, when
  // it changed, its explanation.
  for (const id of ids) {
    if (++done % YIELD_EVERY === 0 && await cancelled()) return stopped;
    const o = byId.get(id.toLowerCase());
    if (!o) continue;
    objects[id] = summarize(o);
    if (explain?.has(id)) {
      explanations[id] = changeReason(interpret(parsed.text, parsed.expr!, o), current && interpret(current.text, current.expr!, o));
    }
  }
  return {
    ok: true, tenant: tenantLabel, type: p.type, version: doc.version,
    group: p.group ? { id: p.group, displayName: p.groupName } : null,
    before: p.before, after: p.after, added: p.added, removed: p.removed, unknown: p.unknown,
    licenses: p.licenses.map((l) => ({
      skuId: l.skuId,
      skuPartNumber: l.skuPartNumber,
      displayName: findSku(l.skuId)?.displayName ?? null,
      disabledPlans: l.disabledPlans.map((id) => ({ id, name: findServicePlan(id)?.servicePlanName ?? null })),
      gained: l.gained, lost: l.lost, available: l.available, needed: l.needed, freed: l.freed, left: l.left, shortfall: l.shortfall,
      plansLost: l.plansLost.map((x) => ({ user: x.user, plans: x.plans.map((id) => ({ id, name: findServicePlan(id)?.servicePlanName ?? null })) })),
    })),
    errors: p.errors.map((e) => ({ ...e, detail: errorDetail(e, skuName) })), warnings: p.warnings, notes: p.notes, objects, explanations,
    errorKinds: explainLicenseErrors([...p.errors.map((e) => e.reason), ...(p.licenses.some((l) => l.shortfall) ? ['CountViolation'] : [])]),
  };
}
