/**
 * Advice from "Create simpler, more efficient rules" (groups-dynamic-rule-more-efficient; docs/semantics.md, Advice): cheaper operators than
 * `-match`, `-in` instead of `-or` chains on one property, repeated conditions; and the
 * capabilityStatus condition that Microsoft's examples always add to assignedPlans.
 */
import { unparen, type AndExpr, type Comparison, type Expr, type OrExpr } from '../ast';
import { EFFICIENCY_DOCS_URL, DOCS_URL } from '../catalogue';
import { issue, type Issue } from '../issues';
import * as l10n from '../l10n';
import { analyzeRegex } from '../regex';
import type { Check, CheckContext } from './context';

const NEGATED_FOR = { startsWith: 'notStartsWith', endsWith: 'notEndsWith', eq: 'ne', contains: 'notContains' } as const;

const quote = (s: string): string => `"${s.replace(/"/g, '`"')}"`;

function matchLiteral(ctx: CheckContext, out: Issue[]): void {
  for (const { node } of ctx.comparisons) {
    const op = node.op.name;
    if ((op !== 'match' && op !== 'notMatch') || node.value.kind !== 'string') continue;
    const lit = analyzeRegex(node.value.value).literal;
    if (!lit) continue;
    const to = op === 'match' ? lit.operator : NEGATED_FOR[lit.operator];
    out.push(issue('perf/match-literal', 'info', l10n.t('This pattern is plain text: {0} does the same and is faster.', `-${to} ${quote(lit.text)}`), { start: node.op.span.start, end: node.value.span.end }, {
      fixes: [{ title: l10n.t('Change to {0}', `-${to} ${quote(lit.text)}`), edits: [{ span: { start: node.op.span.start, end: node.value.span.end }, newText: `-${to} ${quote(lit.text)}` }], preferred: true }],
      docs: EFFICIENCY_DOCS_URL,
    }));
  }
}

/** `a -eq "x" -or a -eq "y"` → `a -in ["x", "y"]`; `a -ne "x" -and a -ne "y"` → `a -notIn [...]`. */
function chains(ctx: CheckContext, e: OrExpr | AndExpr, out: Issue[]): void {
  const want = e.kind === 'or' ? 'eq' : 'ne';
  const groups = new Map<string, Comparison[]>();
  for (const o of e.operands) {
    const c = unparen(o);
    if (c.kind !== 'compare' || c.op.name !== want || c.value.kind !== 'string') continue;
    const key = c.left.raw.toLowerCase();
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  for (const list of groups.values()) {
    if (list.length < 2) continue;
    const first = list[0]!;
    // Each value once: the list compares like -eq, without regard to case.
    const seen = new Set<string>();
    const values = list.flatMap((c) => {
      const v = c.value.kind === 'string' ? c.value.value : '';
      if (seen.has(v.toLowerCase())) return [];
      seen.add(v.toLowerCase());
      return [quote(v)];
    });
    const listOp = want === 'eq' ? '-in' : '-notIn';
    const replacement = `${first.left.raw} ${listOp} [${values.join(', ')}]`;
    // Rewrite the whole chain: the list takes the place of the first comparison, the others go.
    const newText = e.operands
      .flatMap((o) => {
        const c = unparen(o);
        if (c === first) return [replacement];
        return list.includes(c as Comparison) ? [] : [ctx.text.slice(o.span.start, o.span.end)];
      })
      .join(` -${e.kind} `);
    out.push(issue('perf/or-chain', 'info', e.kind === 'or'
      ? l10n.t('{0} -eq comparisons joined by -or on {1}: {2} [...] is simpler and faster.', list.length, first.left.raw, listOp)
      : l10n.t('{0} -ne comparisons joined by -and on {1}: {2} [...] is simpler and faster.', list.length, first.left.raw, listOp), { start: first.span.start, end: list[list.length - 1]!.span.end }, {
      fixes: [{ title: l10n.t('Combine into {0} [...]', listOp), edits: [{ span: e.span, newText }], preferred: true }],
      docs: EFFICIENCY_DOCS_URL,
    }));
  }
}

/** The same condition twice in one -and/-or chain. */
function duplicates(ctx: CheckContext, e: OrExpr | AndExpr, out: Issue[]): void {
  const seen = new Map<string, Expr>();
  e.operands.forEach((o, i) => {
    const key = ctx.text.slice(o.span.start, o.span.end).replace(/\s+/g, ' ').toLowerCase();
    if (!seen.has(key)) { seen.set(key, o); return; }
    const prev = e.operands[i - 1]!;
    const removal = { start: prev.span.end, end: o.span.end };
    out.push(issue('perf/redundant-condition', 'warning', l10n.t('This condition repeats an earlier one in the same {0} chain.', `-${e.kind}`), o.span, {
      fixes: [{ title: l10n.t('Remove the repeated condition'), edits: [{ span: removal, newText: '' }], preferred: true }],
      tags: ['unnecessary'],
      docs: EFFICIENCY_DOCS_URL,
    }));
  });
}

/** `assignedPlans -any (assignedPlan.servicePlanId -eq "…")` without a capabilityStatus condition. */
function planStatus(ctx: CheckContext, out: Issue[]): void {
  for (const q of ctx.quantifiers) {
    if (q.op.name !== 'any' || q.collection.name.toLowerCase() !== 'assignedplans') continue;
    let mentionsPlan = false;
    let mentionsStatus = false;
    for (const site of ctx.comparisons) {
      if (site.quantifier !== q) continue;
      const n = site.node.left.name.toLowerCase();
      if (n === 'serviceplanid' || n === 'service') mentionsPlan = true;
      if (n === 'capabilitystatus') mentionsStatus = true;
    }
    if (!mentionsPlan || mentionsStatus) continue;
    const p = q.predicate;
    const inner = unparen(p);
    const innerText = ctx.text.slice(inner.span.start, inner.span.end);
    const body = inner.kind === 'or' ? `(${innerText})` : innerText;
    out.push(issue('logic/plan-status', 'info', l10n.t('Suspended and deleted plans stay in assignedPlans: add -and assignedPlan.capabilityStatus -eq "Enabled" to match only active plans.'), q.span, {
      fixes: [{ title: l10n.t('Add capabilityStatus -eq "Enabled"'), edits: [{ span: p.span, newText: `(${body} -and assignedPlan.capabilityStatus -eq "Enabled")` }] }],
      docs: DOCS_URL,
    }));
  }
}

export const efficiencyChecks: Check = (ctx) => {
  const out: Issue[] = [];
  matchLiteral(ctx, out);
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case 'or':
      case 'and':
        chains(ctx, e, out);
        duplicates(ctx, e, out);
        e.operands.forEach(visit);
        break;
      case 'not': visit(e.operand); break;
      case 'paren': visit(e.expr); break;
      case 'quantifier': visit(e.predicate); break;
      default: break;
    }
  };
  visit(ctx.expr);
  planStatus(ctx, out);
  return out;
};
