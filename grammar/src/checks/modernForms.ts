/**
 * Advice from Microsoft's current rule pages (README, "Semantics"): the efficiency guide asks to
 * minimise `-contains` and `-match`, so where one of them is provably the same as `-eq`, `-in`
 * (or their negations) the cheaper form is offered; and every current example writes a string
 * collection with `-any (_ …)`, so a string operator applied to the collection directly gets that
 * form as a fix. Each fix keeps the rule's meaning: the README's "Semantics" gives both forms
 * the same result (a string operator on a collection: positive = some item, negated = no item).
 */
import type { Comparison } from '../ast';
import { canonicalOperator, isNegated, positiveOf, DOCS_URL, EFFICIENCY_DOCS_URL, type ComparisonOperator } from '../catalogue';
import { issue, type Issue } from '../issues';
import * as l10n from '../l10n';
import type { Check, CheckContext } from './context';

const quote = (s: string): string => `"${s.replace(/"/g, '`"')}"`;

/** Operators a string collection takes directly, each meaning "some item" (or, negated, "no item"). */
const ITEM_OPERATORS: ReadonlySet<ComparisonOperator> = new Set<ComparisonOperator>([
  'eq', 'ne', 'startsWith', 'notStartsWith', 'endsWith', 'notEndsWith', 'contains', 'notContains', 'match', 'notMatch', 'in', 'notIn',
]);

/**
 * `user.proxyAddresses -startsWith "smtp:"` → `user.proxyAddresses -any (_ -startsWith "smtp:")`;
 * a negated operator ("no item") → `-all (_ -notStartsWith …)`. `-eq null` / `-ne null` (empty or
 * not) have no item form and are left alone.
 */
function collectionForm(ctx: CheckContext, site: Comparison, out: Issue[]): void {
  const op = site.op.name as ComparisonOperator | undefined;
  if (!op || !ITEM_OPERATORS.has(op) || site.value.kind === 'null') return;
  const r = ctx.resolve(site.left);
  if (r.kind !== 'property' || r.def.type !== 'stringCollection') return;
  const quantifier = isNegated(op) ? '-all' : '-any';
  const value = ctx.text.slice(site.value.span.start, site.value.span.end);
  const newText = `${site.left.raw} ${quantifier} (_ ${canonicalOperator(op)} ${value})`;
  out.push(issue('style/collection-without-any', 'info', isNegated(op)
    ? l10n.t('{0} is a collection: {1} here means that no item matches. Microsoft writes it as {2}, which says so.', r.def.name, site.op.raw, `${quantifier} (_ ${canonicalOperator(op)} …)`)
    : l10n.t('{0} is a collection: {1} here means that some item matches. Microsoft writes it as {2}, which says so.', r.def.name, site.op.raw, `${quantifier} (_ ${canonicalOperator(op)} …)`), site.span, {
    fixes: [{ title: l10n.t('Change to {0}', newText), edits: [{ span: site.span, newText }], preferred: true }],
    docs: DOCS_URL,
  }));
}

/** The plain-text alternatives of `^(A|B|…)$` (or `^(?:A|B)$`), or undefined. */
export function anchoredAlternatives(pattern: string): string[] | undefined {
  const m = /^\^\((?:\?:)?([^()]*)\)\$$/.exec(pattern);
  if (!m) return undefined;
  const parts = m[1]!.split('|');
  // Only letters, digits, spaces and a few harmless marks: no metacharacter can hide in them.
  if (parts.length < 2 || !parts.every((p) => /^[\p{L}\p{N} _@,'-]+$/u.test(p))) return undefined;
  return parts;
}

/**
 * `-contains` or `-match` that is provably an `-eq` or `-in`: `-contains` on a property whose
 * values are a closed set, and `-match "^(A|B)$"` on any string property. (A plain-text pattern
 * is perf/match-literal's.)
 */
function cheaperThan(ctx: CheckContext, site: Comparison, out: Issue[]): void {
  const op = site.op.name as ComparisonOperator | undefined;
  if (!op || site.value.kind !== 'string') return;
  const pos = positiveOf(op);
  if (pos !== 'contains' && pos !== 'match') return;
  const r = ctx.resolve(site.left);
  if (r.kind !== 'property' || r.def.type !== 'string') return;
  const negated = isNegated(op);
  let values: readonly string[] | undefined;
  if (pos === 'match') values = anchoredAlternatives(site.value.value);
  else if (r.def.closedValues && r.def.values?.length) {
    const needle = site.value.value.toLowerCase();
    const hits = r.def.values.filter((v) => v.toLowerCase().includes(needle));
    // None: the comparison is constant, which is a different mistake; all: likewise.
    if (hits.length > 0 && hits.length < r.def.values.length) values = hits;
  }
  if (!values) return;
  const replacement = values.length === 1
    ? `${negated ? '-ne' : '-eq'} ${quote(values[0]!)}`
    : `${negated ? '-notIn' : '-in'} [${values.map(quote).join(', ')}]`;
  const span = { start: site.op.span.start, end: site.value.span.end };
  out.push(issue('perf/cheaper-operator', 'info', pos === 'contains'
    ? l10n.t('{0} can only be {1}: {2} is the same, and Microsoft asks to minimise -contains.', r.def.name, r.def.values!.join(', '), replacement)
    : l10n.t('This pattern only matches whole values from a list: {0} is the same, and Microsoft asks to minimise -match.', replacement), span, {
    fixes: [{ title: l10n.t('Change to {0}', replacement), edits: [{ span, newText: replacement }], preferred: true }],
    docs: EFFICIENCY_DOCS_URL,
  }));
}

export const modernFormChecks: Check = (ctx) => {
  const out: Issue[] = [];
  for (const { node, quantifier } of ctx.comparisons) {
    if (!quantifier) collectionForm(ctx, node, out);
    cheaperThan(ctx, node, out);
  }
  return out;
};
