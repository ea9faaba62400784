/**
 * Operators and values against the property's type (docs/semantics.md, Properties and types; Evaluation): operators a type does
 * not allow, values of the wrong kind, `-in` without an array, GUIDs, null misuse, quoted "null",
 * dates and `system.now`, values outside a closed list.
 */
import { unparen, type Comparison, type Value } from '../ast';
import {
  DOCS_URL, OPERATORS_FOR_TYPE, TYPE_NAMES, UNDOCUMENTED_OPERATORS_FOR_TYPE, type ComparisonOperator, type PropertyDef,
} from '../catalogue';
import { issue, type Fix, type Issue } from '../issues';
import * as l10n from '../l10n';
import { closest } from '../suggest';
import type { Check, CheckContext, ComparisonSite } from './context';

export const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The property a comparison's left side stands for: a catalogue property, or `_` as a string. */
export function comparedProperty(ctx: CheckContext, site: ComparisonSite): PropertyDef | undefined {
  const ref = site.node.left;
  if (ref.object === '_' && ref.name === '') {
    const q = site.quantifier;
    if (!q) return undefined;
    const r = ctx.resolve(q.collection);
    if (r.kind !== 'property' || r.def.type !== 'stringCollection') return undefined;
    return { name: '_', object: r.def.object, type: 'string', nullable: false, graph: '', description: l10n.t('One item of {0}.', r.def.name) };
  }
  const r = ctx.resolve(ref);
  return r.kind === 'property' ? r.def : undefined;
}

const quoteFix = (v: Value & { raw: string }): Fix =>
  ({ title: l10n.t('Quote the value'), edits: [{ span: v.span, newText: `"${v.raw.replace(/"/g, '`"')}"` }], preferred: true });

export const valueChecks: Check = (ctx) => {
  const out: Issue[] = [];
  for (const site of ctx.comparisons) {
    const cmp = site.node;
    const op = cmp.op.name as ComparisonOperator | undefined;
    if (!op || cmp.op.raw === '') continue;
    if (cmp.value.kind === 'missing') continue;
    checkValueShapes(cmp, out);
    const def = comparedProperty(ctx, site);
    if (!def) continue;
    if (def.type === 'assignedPlans' || def.type === 'memberOf') {
      out.push(issue('rule/quantifier-required', 'error', def.type === 'assignedPlans'
        ? l10n.t('Invalid operands found for operator {0}: {1} is a collection of objects and is only used with -any or -all.', cmp.op.raw, def.name)
        : l10n.t('Invalid operands found for operator {0}: {1} is a collection of objects and is only used with -any.', cmp.op.raw, def.name), cmp.span, { docs: DOCS_URL }));
      continue;
    }
    checkOperator(def, cmp, op, out);
    checkValue(ctx, site, def, cmp, op, out);
  }
  return out;
};

/** Checks that do not need the property: a property as a value, an unquoted word. */
function checkValueShapes(cmp: Comparison, out: Issue[]): void {
  const v = cmp.value;
  if (v.kind === 'propertyValue') {
    out.push(issue('type/property-value', 'error', l10n.t('A rule compares a property with a constant; {0} is a property. Put the value in quotes if it is text.', v.raw), v.span, { fixes: [quoteFix(v)], docs: DOCS_URL }));
  }
  if (v.kind === 'word') {
    out.push(issue('syntax/unquoted-string', 'error', l10n.t('String values must be in double quotes: "{0}".', v.raw), v.span, { fixes: [quoteFix(v)], docs: DOCS_URL }));
  }
  if (v.kind === 'array') {
    for (const item of v.items) {
      if (item.kind === 'word') out.push(issue('syntax/unquoted-string', 'error', l10n.t('String values must be in quotes: "{0}".', item.raw), item.span, { fixes: [quoteFix(item)] }));
    }
  }
}

function checkOperator(def: PropertyDef, cmp: Comparison, op: ComparisonOperator, out: Issue[]): void {
  const allowed = OPERATORS_FOR_TYPE[def.type];
  if (allowed.includes(op)) return;
  if ((op === 'ge' || op === 'le') && def.type !== 'datetime') {
    out.push(issue('type/date-operator', 'error', l10n.t("Operator isn't supported on attribute: {0} compares dates and works only with employeeHireDate.", cmp.op.raw), cmp.op.span, { docs: DOCS_URL }));
    return;
  }
  if (UNDOCUMENTED_OPERATORS_FOR_TYPE[def.type]?.includes(op)) {
    out.push(issue('type/operator-undocumented', 'warning', l10n.t('{0} on the date {1} is not documented; Entra documents -ge, -le and -eq with a date.', cmp.op.raw, def.name), cmp.op.span, { docs: DOCS_URL }));
    return;
  }
  const list = allowed.map((o) => `-${o}`).join(', ');
  out.push(issue('type/operator-not-allowed', 'error', list
    ? l10n.t("Operator isn't supported on attribute: {0} can't be used on the {1} property {2} (use {3}).", cmp.op.raw, l10n.t(TYPE_NAMES[def.type]), def.name, list)
    : l10n.t("Operator isn't supported on attribute: {0} can't be used on the {1} property {2}.", cmp.op.raw, l10n.t(TYPE_NAMES[def.type]), def.name), cmp.op.span, {
    fixes: def.type === 'bool' && (op === 'contains' || op === 'match' || op === 'startsWith') ? [{ title: l10n.t('Change to {0}', '-eq'), edits: [{ span: cmp.op.span, newText: '-eq' }] }] : [],
    docs: DOCS_URL,
  }));
}

function checkValue(ctx: CheckContext, site: ComparisonSite, def: PropertyDef, cmp: Comparison, op: ComparisonOperator, out: Issue[]): void {
  const v = cmp.value;
  const listOp = op === 'in' || op === 'notIn';

  if (listOp && v.kind !== 'array') {
    out.push(issue('type/array-required', 'error', l10n.t('{0} takes an array of values: ["a", "b"].', cmp.op.raw), v.span, {
      fixes: v.kind === 'string' || v.kind === 'number' ? [{ title: l10n.t('Put the value in an array'), edits: [{ span: v.span, newText: `[${v.raw}]` }], preferred: true }] : [],
      docs: DOCS_URL,
    }));
    return;
  }
  if (!listOp && v.kind === 'array') {
    const to = op === 'eq' ? 'in' : op === 'ne' ? 'notIn' : undefined;
    out.push(issue('type/array-not-allowed', 'error', l10n.t('{0} compares with one value; use -in or -notIn for a list.', cmp.op.raw), v.span, {
      fixes: to ? [{ title: l10n.t('Change to {0}', `-${to}`), edits: [{ span: cmp.op.span, newText: `-${to}` }], preferred: true }] : [],
      docs: DOCS_URL,
    }));
    return;
  }

  if (v.kind === 'null') {
    if (op !== 'eq' && op !== 'ne') {
      out.push(issue('type/null-operator', 'error', l10n.t('Only -eq and -ne compare with null, not {0}.', cmp.op.raw), v.span, { docs: DOCS_URL }));
    } else if (site.negated && directlyNegated(ctx, cmp)) {
      out.push(issue('type/not-with-null', 'error', l10n.t("-not can't be combined with a null comparison: write {0} instead.", `${cmp.left.raw} -${op === 'eq' ? 'ne' : 'eq'} null`), cmp.span, { docs: DOCS_URL }));
    }
    return;
  }

  const items = v.kind === 'array' ? v.items : [v];
  if (v.kind === 'array' && v.items.length === 0) {
    out.push(issue('type/empty-array', 'warning', op === 'in' ? l10n.t('An empty array: {0} [] is always false.', cmp.op.raw) : l10n.t('An empty array: {0} [] is always true.', cmp.op.raw), v.span));
  }
  for (const item of items) checkScalar(def, cmp, op, item, out);
}

/** Whether a `-not` applies to this comparison with nothing but parentheses in between. */
function directlyNegated(ctx: CheckContext, cmp: Comparison): boolean {
  let p = ctx.parentOf(cmp);
  while (p && p.kind === 'paren') p = ctx.parentOf(p);
  return p?.kind === 'not' && unparen(p.operand) === cmp;
}

function checkScalar(def: PropertyDef, cmp: Comparison, op: ComparisonOperator, v: Value, out: Issue[]): void {
  switch (def.type) {
    case 'bool':
      if (v.kind === 'string' && /^(true|false)$/i.test(v.value)) {
        out.push(issue('type/quoted-boolean', 'warning', l10n.t('"{0}" is a string; {1} is a boolean: write {2} without quotes.', v.value, def.name, v.value.toLowerCase()), v.span, {
          fixes: [{ title: l10n.t('Change to {0}', v.value.toLowerCase()), edits: [{ span: v.span, newText: v.value.toLowerCase() }], preferred: true }],
          docs: DOCS_URL,
        }));
      } else if (v.kind !== 'bool' && v.kind !== 'word' && v.kind !== 'propertyValue') {
        out.push(issue('type/value-type', 'error', l10n.t('{0} is a boolean: compare it with true or false.', def.name), v.span, { docs: DOCS_URL }));
      }
      return;
    case 'datetime':
      checkDate(def, cmp, op, v, out);
      return;
    case 'string':
    case 'stringCollection':
      checkStringValue(def, op, v, out);
      return;
    default:
      return;
  }
}

function checkStringValue(def: PropertyDef, op: ComparisonOperator, v: Value, out: Issue[]): void {
  switch (v.kind) {
    case 'bool':
      out.push(issue('type/value-type', 'error', l10n.t('{0} is a string: {1} is a boolean. Put text in quotes.', def.name, v.raw), v.span, { fixes: [quoteFix(v)], docs: DOCS_URL }));
      return;
    case 'number':
    case 'datetime':
      out.push(issue('type/number-for-string', 'warning', l10n.t('{0} is a string: put {1} in quotes.', def.name, v.raw), v.span, { fixes: [quoteFix(v)] }));
      return;
    case 'now':
      out.push(issue('type/value-type', 'error', l10n.t('system.now compares only with employeeHireDate.'), v.span, { docs: DOCS_URL }));
      return;
    case 'string':
      break;
    default:
      return;
  }
  if ((op === 'eq' || op === 'ne') && v.value.toLowerCase() === 'null') {
    out.push(issue('type/quoted-null', 'warning', l10n.t('"{0}" is the text null; to test for an empty value, write null without quotes.', v.value), v.span, {
      fixes: [{ title: l10n.t('Change to {0}', 'null'), edits: [{ span: v.span, newText: 'null' }], preferred: true }],
      docs: DOCS_URL,
    }));
    return;
  }
  const exact = op === 'eq' || op === 'ne' || op === 'in' || op === 'notIn';
  if (exact && def.guid && !GUID.test(v.value)) {
    out.push(issue('type/invalid-guid', 'error', def.name === '_'
      ? l10n.t('The value holds a GUID, and "{0}" is not one (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).', v.value)
      : l10n.t('{0} holds a GUID, and "{1}" is not one (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).', def.name, v.value), v.span, { docs: DOCS_URL }));
    return;
  }
  if (exact && def.closedValues && def.values && !def.values.some((x) => x.toLowerCase() === v.value.toLowerCase())) {
    const guesses = closest(v.value, def.values, 2);
    out.push(issue('type/unknown-value', 'warning', guesses.length
      ? l10n.t('"{0}" is not a value of {1} ({2}); did you mean "{3}"?', v.value, def.name, def.values.map((x) => `"${x}"`).join(', '), guesses[0]!)
      : l10n.t('"{0}" is not a value of {1} ({2})', v.value, def.name, def.values.map((x) => `"${x}"`).join(', ')), v.span, {
      fixes: guesses.map((g, i) => ({ title: l10n.t('Change to {0}', `"${g}"`), edits: [{ span: v.span, newText: `"${g}"` }], preferred: i === 0 })),
      docs: DOCS_URL,
    }));
  }
}

const DURATION_CALENDAR = /^P(?:[^T]*[YM])/i;

function checkDate(def: PropertyDef, cmp: Comparison, op: ComparisonOperator, v: Value, out: Issue[]): void {
  if (v.kind === 'datetime' || (v.kind === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v.value))) {
    const raw = v.kind === 'datetime' ? v.raw : v.value;
    const ms = v.kind === 'datetime' ? v.value : Date.parse(raw);
    if (!Number.isFinite(ms) || (v.kind === 'string' && !/^\d{4}-\d{2}-\d{2}(?:[Tt ][\d:.]+)?(?:[Zz]|[+-]\d{2}:?\d{2})?$/.test(raw))) {
      out.push(issue('type/invalid-date', 'error', l10n.t('{0} is not a valid date; write an ISO 8601 date-time such as 2024-06-01T00:00:00Z.', raw), v.span, { docs: DOCS_URL }));
    }
    return;
  }
  if (v.kind === 'now') {
    if (op === 'eq' || op === 'ne') {
      out.push(issue('type/now-with-eq', 'error', l10n.t('{0} works only with a fixed date, not with system.now; use -ge or -le.', cmp.op.raw), cmp.op.span, { docs: DOCS_URL }));
    }
    if (v.steps.length > 1) {
      const extra = { start: v.steps[1]!.op.span.start, end: v.span.end };
      out.push(issue('type/now-chained', 'error', l10n.t('Only one -plus or -minus can follow system.now.'), extra, { docs: DOCS_URL }));
    }
    for (const s of v.steps) {
      if (!s.duration) {
        out.push(issue('syntax/missing-duration', 'error', l10n.t('Expected an ISO 8601 duration such as P30D after {0}.', s.op.raw), s.op.span, { docs: DOCS_URL }));
      } else if (DURATION_CALENDAR.test(s.duration.raw)) {
        out.push(issue('type/duration-calendar', 'warning', l10n.t('Years and months in {0} have no fixed length; the preview counts a year as 365 days and a month as 30 days. Prefer days (P30D).', s.duration.raw), s.duration.span));
      }
    }
    return;
  }
  if (v.kind === 'string' || v.kind === 'number' || v.kind === 'bool') {
    out.push(issue('type/value-type', 'error', l10n.t('{0} is a date: compare it with an ISO 8601 date-time (2024-06-01T00:00:00Z) or system.now.', def.name), v.span, { docs: DOCS_URL }));
  }
}
