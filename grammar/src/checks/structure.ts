/**
 * The shape of the whole rule: Direct Reports and memberOf stand alone, memberOf's restricted form
 * and 50-group limit, quantifier use (collections only, the right item reference, no nesting,
 * scope of an unparenthesised condition), and the 3,072-character limit.
 */
import { unparen, type Expr, type Quantified } from '../ast';
import { DOCS_URL, elementObjectOf, LIMITS, MEMBEROF_DOCS_URL, memberOfRetired, quantifiable } from '../catalogue';
import { issue, type Issue } from '../issues';
import * as l10n from '../l10n';
import { ruleBody } from '../parse';
import * as T from '../tokens';
import type { Check, CheckContext, CheckOptions } from './context';
import { GUID } from './values';

/**
 * The code of a memberOf rule used after memberOf's retirement. An error, since the group no
 * longer updates; but the rule still has a meaning, which evaluation shows to plan its
 * replacement (see {@link blocksEvaluation}).
 */
export const RETIRED = 'rule/member-of-retired';

const ELEMENT_NAMES = { underscore: '_', assignedPlan: 'assignedPlan.', group: 'group.objectId' } as const;

function quantifierChecks(ctx: CheckContext, options: CheckOptions, out: Issue[]): void {
  const root = unparen(ctx.expr);
  for (const q of ctx.quantifiers) {
    const r = ctx.resolve(q.collection);
    if (r.kind !== 'property') continue;
    const def = r.def;
    if (!quantifiable(def.type)) {
      out.push(issue('rule/quantifier-on-scalar', 'error', l10n.t('Invalid operands found for operator {0}: {1} holds a single value; -any and -all apply to collections.', q.op.raw, def.name), q.op.span, { docs: DOCS_URL }));
      continue;
    }
    if (def.type === 'memberOf') memberOfChecks(q, root, options, out);
    // A quantifier inside another quantifier's condition.
    for (let p = ctx.parentOf(q); p; p = ctx.parentOf(p)) {
      if (p.kind === 'quantifier') {
        out.push(issue('rule/nested-quantifier', 'error', l10n.t("-any and -all can't be nested inside another -any or -all condition."), q.span, { docs: DOCS_URL }));
        break;
      }
    }
    if (q.predicate.kind !== 'paren') {
      const next = ctx.parsed.tokens.find((t) => t.startOffset >= q.span.end);
      if (next && (next.tokenType === T.And || next.tokenType === T.Or)) {
        out.push(issue('rule/ambiguous-quantifier', 'warning', l10n.t('The condition of {0} is only {1}; the {2} after it applies to the whole {0}. Put the condition in parentheses to make that clear.', q.op.raw, ctx.text.slice(q.predicate.span.start, q.predicate.span.end), next.image), q.span, {
          fixes: [{
            title: l10n.t('Parenthesise the condition'),
            edits: [{ span: { start: q.predicate.span.start, end: q.predicate.span.start }, newText: '(' }, { span: { start: q.predicate.span.end, end: q.predicate.span.end }, newText: ')' }],
            preferred: true,
          }],
          docs: DOCS_URL,
        }));
      }
    }
  }
}

function memberOfChecks(q: Quantified, root: Expr, options: CheckOptions, out: Issue[]): void {
  const retired = memberOfRetired(options.now);
  if (retired) {
    const what = q.collection.object.toLowerCase() === 'device' ? 'device' : 'user';
    out.push(issue(RETIRED, 'error', what === 'device'
      ? l10n.t('memberOf is retired: since 3 November 2026 a group with a memberOf rule no longer updates and stays in its last known state. Replace it with a rule on device properties (for example the attribute that put devices in the listed groups), or convert the group to assigned membership.')
      : l10n.t('memberOf is retired: since 3 November 2026 a group with a memberOf rule no longer updates and stays in its last known state. Replace it with a rule on user properties (for example the attribute that put people in the listed groups), or convert the group to assigned membership.'),
    q.collection.span, { docs: MEMBEROF_DOCS_URL }));
  }
  if (root !== q) {
    out.push(issue('rule/member-of-combined', 'error', l10n.t('A memberOf rule must stand alone: it cannot be combined with -and, -or or -not.'), q.span, { docs: MEMBEROF_DOCS_URL }));
  }
  if (q.op.name === 'all') {
    out.push(issue('rule/member-of-form', 'error', l10n.t('memberOf supports only -any: write memberOf -any (group.objectId -in [...]).'), q.op.span, {
      fixes: [{ title: l10n.t('Change to {0}', '-any'), edits: [{ span: q.op.span, newText: '-any' }], preferred: true }],
      docs: MEMBEROF_DOCS_URL,
    }));
  }
  const p = unparen(q.predicate);
  if (p.kind !== 'compare' || p.left.object.toLowerCase() !== 'group' || p.left.name.toLowerCase() !== 'objectid' || p.op.name !== 'in') {
    if (p.kind !== 'error') {
      out.push(issue('rule/member-of-form', 'error', l10n.t("Inside memberOf -any, only group.objectId -in ['<group id>', ...] is supported."), p.span, { docs: MEMBEROF_DOCS_URL }));
    }
    return;
  }
  if (p.value.kind === 'array' && p.value.items.length > LIMITS.memberOfGroups) {
    out.push(issue('rule/member-of-too-many', 'error', l10n.t('A memberOf rule can name at most {0} groups; this one names {1}.', LIMITS.memberOfGroups, p.value.items.length), p.value.span, { docs: MEMBEROF_DOCS_URL }));
  }
  if (!retired) out.push(issue('rule/member-of-preview', 'info', l10n.t('memberOf is a preview feature: only direct members of the listed groups join, Validate Rules does not support it, and memberOf groups cannot be sources of other memberOf groups.'), q.collection.span, { docs: MEMBEROF_DOCS_URL }));
}

function elementChecks(ctx: CheckContext, out: Issue[]): void {
  for (const site of ctx.comparisons) {
    const ref = site.node.left;
    const obj = ref.object === '_' && ref.name === '' ? 'underscore' : ref.object.toLowerCase() === 'assignedplan' ? 'assignedPlan' : ref.object.toLowerCase() === 'group' ? 'group' : undefined;
    const q = site.quantifier;
    if (!q) {
      if (obj) {
        out.push(issue('rule/element-outside-quantifier', 'error', l10n.t('{0} refers to one item of a collection and can only be used inside -any (...) or -all (...).', ref.raw), ref.span, { docs: DOCS_URL }));
      }
      continue;
    }
    const r = ctx.resolve(q.collection);
    if (r.kind !== 'property') continue;
    const expected = elementObjectOf(r.def.type);
    if (!expected || obj === expected) continue;
    out.push(issue('rule/wrong-element', 'error', expected === 'assignedPlan'
      ? l10n.t('Inside {0} (...), refer to each item as assignedPlan.servicePlanId, assignedPlan.service or assignedPlan.capabilityStatus.', `${q.collection.raw} ${q.op.raw}`)
      : l10n.t('Inside {0} (...), refer to each item as {1}.', `${q.collection.raw} ${q.op.raw}`, ELEMENT_NAMES[expected]), ref.span, {
      fixes: expected === 'underscore' ? [{ title: l10n.t('Change to {0}', '_'), edits: [{ span: ref.span, newText: '_' }] }] : [],
      docs: DOCS_URL,
    }));
  }
}

function directReportsChecks(ctx: CheckContext, options: CheckOptions, out: Issue[]): void {
  const root = unparen(ctx.expr);
  const visit = (e: Expr): void => {
    if (e.kind === 'directReports') {
      if (e !== root) {
        out.push(issue('rule/direct-reports-combined', 'error', l10n.t('A Direct Reports rule must be the whole rule: it cannot be combined with other conditions.'), e.span, { docs: DOCS_URL }));
      }
      // It names no user. property, so the property check can't see that it selects users.
      if (options.expectedObject === 'device') {
        out.push(issue('rule/wrong-object-type', 'error', l10n.t('Invalid object type: the group holds devices, and Direct Reports for selects users.'), e.keywordSpan, { docs: DOCS_URL }));
      }
      if (e.keywords !== 'Direct Reports for' && e.keywords.split(' ').length === 3) {
        out.push(issue('style/keyword-casing', 'info', l10n.t('Write it as Direct Reports for.'), e.keywordSpan, {
          fixes: [{ title: l10n.t('Change to {0}', 'Direct Reports for'), edits: [{ span: e.keywordSpan, newText: 'Direct Reports for' }], preferred: true }],
        }));
      }
      const m = e.manager;
      if (m.kind === 'string' && !GUID.test(m.value)) {
        out.push(issue('type/invalid-guid', 'error', l10n.t('Direct Reports for takes the manager\'s object id (a GUID), not "{0}".', m.value), m.span, { docs: DOCS_URL }));
      } else if (m.kind !== 'string' && m.kind !== 'missing') {
        out.push(issue('type/value-type', 'error', l10n.t("Direct Reports for takes the manager's object id in double quotes."), m.span, { docs: DOCS_URL }));
      }
      return;
    }
    if (e.kind === 'or' || e.kind === 'and') e.operands.forEach(visit);
    else if (e.kind === 'not') visit(e.operand);
    else if (e.kind === 'paren') visit(e.expr);
  };
  visit(ctx.expr);
}

function lengthCheck(ctx: CheckContext, out: Issue[]): void {
  const body = ruleBody(ctx.parsed);
  if (body.length <= LIMITS.ruleLength) return;
  out.push(issue('rule/too-long', 'error', l10n.t('The rule is {0} characters long; Entra accepts at most {1} (comment lines do not count).', l10n.formatNumber(body.length), l10n.formatNumber(LIMITS.ruleLength)), { start: ctx.expr.span.start, end: ctx.expr.span.end }, { docs: DOCS_URL }));
}

export const structureChecks: Check = (ctx, options) => {
  const out: Issue[] = [];
  quantifierChecks(ctx, options, out);
  elementChecks(ctx, out);
  directReportsChecks(ctx, options, out);
  lengthCheck(ctx, out);
  return out;
};
