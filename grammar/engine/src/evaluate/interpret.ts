/**
 * A straightforward tree-walking interpreter that records why each sub-expression gave its result
 * (the trace, like Graph's `expressionEvaluationDetails`). It is the reference the compiled and
 * columnar engines are checked against, and what "explain" shows.
 */
import { elementObjectOf, l10n, propertiesOf, resolveRef, unparen, walkExpr, type ComparisonOperator, type Expr } from '../../../src/index';
import { isNamedManager, managerId } from './compile';
import { comparator, itemField, not3, propertyReader, regexRefusal, showRaw, F, T, U, toTri, type EvalOptions, type GraphObject, type Raw, type Tri, type Tri3 } from './semantics';

export interface TraceNode {
  /** The sub-expression's text, as written (outer parentheses removed). */
  readonly expression: string;
  readonly result: Tri;
  /** The property the sub-expression reads, if any. */
  readonly property?: string;
  /** The value seen, always as text (as Graph's propertyToEvaluate shows it). */
  readonly value?: string;
  /** Why an unknown result is unknown when the data is not the cause: a refused `-match` pattern. */
  readonly reason?: string;
  /** On a quantifier: which one; its children are then its items' traces, in order. */
  readonly quantifier?: 'any' | 'all';
  readonly children: readonly TraceNode[];
}

/** Graph's `expressionEvaluationDetails` shape (beta `evaluateDynamicMembership`). */
export interface ExpressionEvaluationDetails {
  readonly expression: string;
  readonly expressionResult: boolean | null;
  readonly propertyToEvaluate: { readonly propertyName: string; readonly propertyValue: string } | null;
  readonly expressionEvaluationDetails: readonly ExpressionEvaluationDetails[];
}

/** Converts a trace to Graph's `expressionEvaluationDetails` shape (unknown → null). */
export function toGraphDetails(t: TraceNode): ExpressionEvaluationDetails {
  return {
    expression: t.expression,
    expressionResult: t.result === 'unknown' ? null : t.result,
    propertyToEvaluate: t.property !== undefined ? { propertyName: t.property, propertyValue: t.value ?? '' } : null,
    expressionEvaluationDetails: t.children.map(toGraphDetails),
  };
}

/** The reason of an unknown caused by a pattern that cannot run. */
export function refusedPattern(pattern: string, reason: string): string {
  return l10n.t('the pattern "{0}" is not run ({1}): its result is unknown', pattern, reason);
}

/** The `-match` / `-notMatch` patterns of a rule that are not run, each with the reason, in rule order. */
export function refusedPatterns(expr: Expr, options: EvalOptions = {}): { readonly pattern: string; readonly reason: string }[] {
  const out: { pattern: string; reason: string }[] = [];
  walkExpr(expr, (e) => {
    if (e.kind !== 'compare' || (e.op.name !== 'match' && e.op.name !== 'notMatch') || e.value.kind !== 'string') return;
    const pattern = e.value.value;
    const reason = regexRefusal(pattern, options);
    if (reason !== undefined && !out.some((r) => r.pattern === pattern)) out.push({ pattern, reason });
  });
  return out;
}

/**
 * An item of a collection as text: an object (an assigned plan) as the JSON of the fields a rule
 * can read, in the catalogue's order — the same whichever way the tenant was loaded — not
 * "[object Object]".
 */
function showItem(item: unknown, fields: readonly string[]): string {
  if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
    const o = item as Record<string, unknown>;
    return JSON.stringify(Object.fromEntries(fields.filter((f) => o[f] !== undefined && o[f] !== null).map((f) => [f, o[f]])));
  }
  return showRaw(item as Raw);
}

/** Evaluates `expr` for one object and returns the result with its trace. */
export function interpret(text: string, expr: Expr, obj: GraphObject, options: EvalOptions = {}): TraceNode {
  const src = (e: Expr): string => text.slice(unparen(e).span.start, unparen(e).span.end).replace(/\s+/g, ' ');
  const node = (e: Expr, r: Tri3, children: TraceNode[] = [], property?: string, value?: string): TraceNode => {
    const n: { -readonly [K in keyof TraceNode]: TraceNode[K] } = { expression: src(e), result: toTri(r), children };
    if (property !== undefined) { n.property = property; n.value = value ?? ''; }
    return n;
  };

  const run = (e: Expr, item: unknown): [Tri3, TraceNode] => {
    switch (e.kind) {
      case 'paren': return run(e.expr, item);
      case 'not': {
        const [r, t] = run(e.operand, item);
        const v = not3(r);
        return [v, node(e, v, [t])];
      }
      case 'and':
      case 'or': {
        const isAnd = e.kind === 'and';
        let acc: Tri3 = isAnd ? T : F;
        const kids: TraceNode[] = [];
        for (const o of e.operands) {
          const [r, t] = run(o, item);
          kids.push(t);
          if (isAnd ? r === F : r === T) acc = r;
          else if (r === U && acc !== (isAnd ? F : T)) acc = U;
        }
        return [acc, node(e, acc, kids)];
      }
      case 'compare': {
        const ref = e.left;
        const r = resolveRef(ref);
        let raw: Raw;
        let type: 'string' | 'bool' | 'datetime' | 'stringCollection' | 'assignedPlans' | 'memberOf' = 'string';
        let name = ref.raw;
        if (r.kind === 'underscore') { raw = item as Raw; name = '_'; }
        else if (r.kind === 'property') {
          type = r.def.type;
          name = r.def.name;
          raw = r.def.object === 'assignedPlan' || r.def.object === 'group' ? itemField(item, r.def.graph) : propertyReader(r.def, options.missingAsNull)(obj);
        } else raw = undefined;
        const v = comparator(type, e.op.name as ComparisonOperator, e.value, options)(raw);
        const n = node(e, v, [], name, showRaw(raw));
        if (v === U && (e.op.name === 'match' || e.op.name === 'notMatch') && e.value.kind === 'string') {
          const reason = regexRefusal(e.value.value, options);
          if (reason !== undefined) return [v, { ...n, reason: refusedPattern(e.value.value, reason) }];
        }
        return [v, n];
      }
      case 'quantifier': {
        const r = resolveRef(e.collection);
        if (r.kind !== 'property') return [U, node(e, U)];
        const coll = propertyReader(r.def, options.missingAsNull)(obj);
        const all = e.op.name === 'all';
        if (coll === undefined || (coll !== null && !Array.isArray(coll))) return [U, node(e, U, [], r.def.name, showRaw(coll))];
        const items = Array.isArray(coll) ? coll : [];
        const element = elementObjectOf(r.def.type);
        const fields = element === 'assignedPlan' || element === 'group' ? propertiesOf(element).map((p) => p.graph) : [];
        let acc: Tri3 = all ? T : F;
        const kids: TraceNode[] = [];
        for (const it of items) {
          const [v, t] = run(unparen(e.predicate), it);
          kids.push({ ...t, property: t.property ?? (r.def.type === 'stringCollection' ? '_' : r.def.name), value: t.value ?? showItem(it, fields) });
          if (all ? v === F : v === T) acc = v;
          else if (v === U && acc !== (all ? F : T)) acc = U;
        }
        return [acc, { ...node(e, acc, kids, r.def.name, `${items.length} item${items.length === 1 ? '' : 's'}`), quantifier: all ? 'all' : 'any' }];
      }
      case 'directReports': {
        const id = e.manager.kind === 'string' ? e.manager.value.toLowerCase() : undefined;
        if (id !== undefined && isNamedManager(obj, id)) {
          return [T, node(e, T, [], 'objectId', `${String(obj['id'])} (the manager named by the rule: Entra adds the manager to a Direct Reports group)`)];
        }
        const found = managerId(obj);
        const m = found === undefined && options.missingAsNull ? null : found;
        const v: Tri3 = m === undefined || id === undefined ? U : m !== null && m.toLowerCase() === id ? T : F;
        return [v, node(e, v, [], 'manager', m === undefined ? '(not in the data)' : String(m))];
      }
      case 'error': return [U, node(e, U)];
    }
  };
  return run(expr, undefined)[1];
}

/** Evaluates without keeping the trace (the reference result). */
export function interpretResult(text: string, expr: Expr, obj: GraphObject, options: EvalOptions = {}): Tri {
  return interpret(text, expr, obj, options).result;
}
