/**
 * Operators and values against the property's type (spec §3.2, §4.5–§4.7): operators a type does
 * not allow, values of the wrong kind, `-in` without an array, GUIDs, null misuse, quoted "null",
 * dates and `system.now`, values outside a closed list.
 */
import { unparen, type Comparison, type Value } from '../ast';
import {
  DOCS_URL, OPERATORS_FOR_TYPE, UNDOCUMENTED_OPERATORS_FOR_TYPE, type ComparisonOperator, type PropertyDef, type PropertyType,
} from '../catalogue';
import { issue, type Fix, type Issue } from '../issues';
import { closest } from '../suggest';
import type { Check, CheckContext, ComparisonSite } from './context';

export const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const TYPE_NAMES: Record<PropertyType, string> = {
  bool: 'boolean', string: 'string', datetime: 'date/time', stringCollection: 'string collection',
  assignedPlans: 'assigned plan collection', memberOf: 'group membership',
};

/** The property a comparison's left side stands for: a catalogue property, or `_` as a string. */
export function comparedProperty(ctx: CheckContext, site: ComparisonSite): PropertyDef | undefined {
  const ref = site.node.left;
  if (ref.object === '_' && ref.name === '') {
    const q = site.quantifier;
    if (!q) return undefined;
    const r = ctx.resolve(q.collection);
    if (r.kind !== 'property' || r.def.type !== 'stringCollection') return undefined;
    return { name: '_', object: r.def.object, type: 'string', nullable: false, graph: '', description: `One item of ${r.def.name}.` };
  }
  const r = ctx.resolve(ref);
  return r.kind === 'property' ? r.def : undefined;
}

const quoteFix = (v: Value & { raw: string }, title = 'Quote the value'): Fix =>
  ({ title, edits: [{ span: v.span, newText: `"${v.raw.replace(/"/g, '`"')}"` }], preferred: true });

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
      out.push(issue('rule/quantifier-required', 'error', `Invalid operands found for operator ${cmp.op.raw}: ${def.name} is a collection of objects and is only used with -any${def.type === 'assignedPlans' ? ' or -all' : ''}.`, cmp.span, { docs: DOCS_URL }));
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
    out.push(issue('type/property-value', 'error', `A rule compares a property with a constant; ${v.raw} is a property. Put the value in quotes if it is text.`, v.span, { fixes: [quoteFix(v)], docs: DOCS_URL }));
  }
  if (v.kind === 'word') {
    out.push(issue('syntax/unquoted-string', 'error', `String values must be in double quotes: "${v.raw}".`, v.span, { fixes: [quoteFix(v)], docs: DOCS_URL }));
  }
  if (v.kind === 'array') {
    for (const item of v.items) {
      if (item.kind === 'word') out.push(issue('syntax/unquoted-string', 'error', `String values must be in quotes: "${item.raw}".`, item.span, { fixes: [quoteFix(item)] }));
    }
  }
}

function checkOperator(def: PropertyDef, cmp: Comparison, op: ComparisonOperator, out: Issue[]): void {
  const allowed = OPERATORS_FOR_TYPE[def.type];
  if (allowed.includes(op)) return;
  if ((op === 'ge' || op === 'le') && def.type !== 'datetime') {
    out.push(issue('type/date-operator', 'error', `Operator isn't supported on attribute: ${cmp.op.raw} compares dates and works only with employeeHireDate.`, cmp.op.span, { docs: DOCS_URL }));
    return;
  }
  if (UNDOCUMENTED_OPERATORS_FOR_TYPE[def.type]?.includes(op)) {
    out.push(issue('type/operator-undocumented', 'warning', `${cmp.op.raw} on the date ${def.name} is not documented; Entra documents -ge, -le and -eq with a date.`, cmp.op.span, { docs: DOCS_URL }));
    return;
  }
  const list = allowed.map((o) => `-${o}`).join(', ');
  out.push(issue('type/operator-not-allowed', 'error', `Operator isn't supported on attribute: ${cmp.op.raw} can't be used on the ${TYPE_NAMES[def.type]} property ${def.name}${list ? ` (use ${list})` : ''}.`, cmp.op.span, {
    fixes: def.type === 'bool' && (op === 'contains' || op === 'match' || op === 'startsWith') ? [{ title: 'Change to -eq', edits: [{ span: cmp.op.span, newText: '-eq' }] }] : [],
    docs: DOCS_URL,
  }));
}

function checkValue(ctx: CheckContext, site: ComparisonSite, def: PropertyDef, cmp: Comparison, op: ComparisonOperator, out: Issue[]): void {
  const v = cmp.value;
  const listOp = op === 'in' || op === 'notIn';

  if (listOp && v.kind !== 'array') {
    out.push(issue('type/array-required', 'error', `${cmp.op.raw} takes an array of values: [${'"a", "b"'}].`, v.span, {
      fixes: v.kind === 'string' || v.kind === 'number' ? [{ title: 'Put the value in an array', edits: [{ span: v.span, newText: `[${v.raw}]` }], preferred: true }] : [],
      docs: DOCS_URL,
    }));
    return;
  }
  if (!listOp && v.kind === 'array') {
    const to = op === 'eq' ? 'in' : op === 'ne' ? 'notIn' : undefined;
    out.push(issue('type/array-not-allowed', 'error', `${cmp.op.raw} compares with one value; use -in or -notIn for a list.`, v.span, {
      fixes: to ? [{ title: `Change to -${to}`, edits: [{ span: cmp.op.span, newText: `-${to}` }], preferred: true }] : [],
      docs: DOCS_URL,
    }));
    return;
  }

  if (v.kind === 'null') {
    if (op !== 'eq' && op !== 'ne') {
      out.push(issue('type/null-operator', 'error', `Only -eq and -ne compare with null, not ${cmp.op.raw}.`, v.span, { docs: DOCS_URL }));
    } else if (site.negated && directlyNegated(ctx, cmp)) {
      out.push(issue('type/not-with-null', 'error', `-not can't be combined with a null comparison: write ${cmp.left.raw} -${op === 'eq' ? 'ne' : 'eq'} null instead.`, cmp.span, { docs: DOCS_URL }));
    }
    return;
  }

  const items = v.kind === 'array' ? v.items : [v];
  if (v.kind === 'array' && v.items.length === 0) {
    out.push(issue('type/empty-array', 'warning', `An empty array: ${cmp.op.raw} [] is always ${op === 'in' ? 'false' : 'true'}.`, v.span));
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
        out.push(issue('type/quoted-boolean', 'warning', `"${v.value}" is a string; ${def.name} is a boolean: write ${v.value.toLowerCase()} without quotes.`, v.span, {
          fixes: [{ title: `Change to ${v.value.toLowerCase()}`, edits: [{ span: v.span, newText: v.value.toLowerCase() }], preferred: true }],
          docs: DOCS_URL,
        }));
      } else if (v.kind !== 'bool' && v.kind !== 'word' && v.kind !== 'propertyValue') {
        out.push(issue('type/value-type', 'error', `${def.name} is a boolean: compare it with true or false.`, v.span, { docs: DOCS_URL }));
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
      out.push(issue('type/value-type', 'error', `${def.name} is a string: ${v.raw} is a boolean. Put text in quotes.`, v.span, { fixes: [quoteFix(v)], docs: DOCS_URL }));
      return;
    case 'number':
    case 'datetime':
      out.push(issue('type/number-for-string', 'warning', `${def.name} is a string: put ${v.raw} in quotes.`, v.span, { fixes: [quoteFix(v)] }));
      return;
    case 'now':
      out.push(issue('type/value-type', 'error', `system.now compares only with employeeHireDate.`, v.span, { docs: DOCS_URL }));
      return;
    case 'string':
      break;
    default:
      return;
  }
  if ((op === 'eq' || op === 'ne') && v.value.toLowerCase() === 'null') {
    out.push(issue('type/quoted-null', 'warning', `"${v.value}" is the text null; to test for an empty value, write null without quotes.`, v.span, {
      fixes: [{ title: 'Change to null', edits: [{ span: v.span, newText: 'null' }], preferred: true }],
      docs: DOCS_URL,
    }));
    return;
  }
  const exact = op === 'eq' || op === 'ne' || op === 'in' || op === 'notIn';
  if (exact && def.guid && !GUID.test(v.value)) {
    out.push(issue('type/invalid-guid', 'error', `${def.name === '_' ? 'The value' : def.name} holds a GUID, and "${v.value}" is not one (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).`, v.span, { docs: DOCS_URL }));
    return;
  }
  if (exact && def.closedValues && def.values && !def.values.some((x) => x.toLowerCase() === v.value.toLowerCase())) {
    const guesses = closest(v.value, def.values, 2);
    out.push(issue('type/unknown-value', 'warning', `"${v.value}" is not a value of ${def.name} (${def.values.map((x) => `"${x}"`).join(', ')})${guesses.length ? `; did you mean "${guesses[0]}"?` : ''}`, v.span, {
      fixes: guesses.map((g, i) => ({ title: `Change to "${g}"`, edits: [{ span: v.span, newText: `"${g}"` }], preferred: i === 0 })),
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
      out.push(issue('type/invalid-date', 'error', `${raw} is not a valid date; write an ISO 8601 date-time such as 2024-06-01T00:00:00Z.`, v.span, { docs: DOCS_URL }));
    }
    return;
  }
  if (v.kind === 'now') {
    if (op === 'eq' || op === 'ne') {
      out.push(issue('type/now-with-eq', 'error', `${cmp.op.raw} works only with a fixed date, not with system.now; use -ge or -le.`, cmp.op.span, { docs: DOCS_URL }));
    }
    if (v.steps.length > 1) {
      const extra = { start: v.steps[1]!.op.span.start, end: v.span.end };
      out.push(issue('type/now-chained', 'error', 'Only one -plus or -minus can follow system.now.', extra, { docs: DOCS_URL }));
    }
    for (const s of v.steps) {
      if (!s.duration) {
        out.push(issue('syntax/missing-duration', 'error', `Expected an ISO 8601 duration such as P30D after ${s.op.raw}.`, s.op.span, { docs: DOCS_URL }));
      } else if (DURATION_CALENDAR.test(s.duration.raw)) {
        out.push(issue('type/duration-calendar', 'warning', `Years and months in ${s.duration.raw} have no fixed length; the preview counts a year as 365 days and a month as 30 days. Prefer days (P30D).`, s.duration.span));
      }
    }
    return;
  }
  if (v.kind === 'string' || v.kind === 'number' || v.kind === 'bool') {
    out.push(issue('type/value-type', 'error', `${def.name} is a date: compare it with an ISO 8601 date-time (2024-06-01T00:00:00Z) or system.now.`, v.span, { docs: DOCS_URL }));
  }
}
