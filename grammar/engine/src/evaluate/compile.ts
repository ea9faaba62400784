/**
 * Compiles a checked rule into closures over Microsoft Graph objects (no `eval`, no
 * `new Function`). Property readers, comparison values, regular expressions and `-in` sets are
 * prepared once; evaluating an object only runs the closures.
 */
import {
  blocksEvaluation, buildContext, checkRule, resolveRef, unparen,
  type ComparisonOperator, type Expr, type Issue, type ParsedRule, type PropertyDef, type PropertyRef, type RuleObject,
} from '../../../src/index';
import { comparator, itemField, not3, propertyReader, F, T, U, toTri, type EvalOptions, type GraphObject, type Raw, type Tri, type Tri3 } from './semantics';

/** A compiled closure: the object, and the current collection item inside -any/-all. */
type Fn = (obj: GraphObject, item: unknown) => Tri3;

export interface CompiledRule {
  /** Users or devices. */
  readonly object: RuleObject;
  /** Evaluates one object. */
  evaluate(obj: GraphObject): Tri;
  /** The same, as 0 (false), 1 (true) or 2 (unknown), for hot loops. */
  test(obj: GraphObject): Tri3;
  /** Which relationships the rule reads, so callers know what data it needs. */
  readonly uses: { readonly memberOf: boolean; readonly manager: boolean };
}

export type CompileResult =
  | { readonly ok: true; readonly rule: CompiledRule; readonly issues: readonly Issue[] }
  | { readonly ok: false; readonly issues: readonly Issue[] };

/**
 * Whether an object is the manager a Direct Reports rule names: Entra adds the manager to the
 * group as well as their direct reports (groups-dynamic-membership, 2026-08; the README's
 * "Semantics"). Object ids compare case-insensitively; `managerIdLower` is lower-cased.
 */
export function isNamedManager(obj: GraphObject, managerIdLower: string): boolean {
  const id = obj['id'];
  return typeof id === 'string' && id.toLowerCase() === managerIdLower;
}

/** Reads a manager reference: `{id}`, an id string, null, or missing. */
export function managerId(obj: GraphObject): string | null | undefined {
  const m = obj['manager'];
  if (m === undefined) return undefined;
  if (m === null) return null;
  if (typeof m === 'string') return m;
  if (typeof m === 'object' && typeof (m as { id?: unknown }).id === 'string') return (m as { id: string }).id;
  return null;
}

class Compiler {
  uses = { memberOf: false, manager: false };
  constructor(private readonly options: EvalOptions) {}

  expr(e: Expr, itemType: PropertyDef | undefined): Fn {
    switch (e.kind) {
      case 'paren': return this.expr(e.expr, itemType);
      case 'not': {
        const inner = this.expr(e.operand, itemType);
        return (o, i) => not3(inner(o, i));
      }
      case 'and': {
        const parts = e.operands.map((x) => this.expr(x, itemType));
        return (o, i) => {
          let r: Tri3 = T;
          for (const p of parts) {
            const v = p(o, i);
            if (v === F) return F;
            if (v === U) r = U;
          }
          return r;
        };
      }
      case 'or': {
        const parts = e.operands.map((x) => this.expr(x, itemType));
        return (o, i) => {
          let r: Tri3 = F;
          for (const p of parts) {
            const v = p(o, i);
            if (v === T) return T;
            if (v === U) r = U;
          }
          return r;
        };
      }
      case 'compare': {
        const { read, type } = this.operand(e.left);
        const cmp = comparator(type, e.op.name as ComparisonOperator, e.value, this.options);
        return (o, i) => cmp(read(o, i));
      }
      case 'quantifier': {
        const r = resolveRef(e.collection);
        if (r.kind !== 'property') return () => U;
        if (r.def.type === 'memberOf') this.uses.memberOf = true;
        const read = propertyReader(r.def, this.options.missingAsNull);
        const pred = this.expr(unparen(e.predicate), r.def);
        const all = e.op.name === 'all';
        return (o) => {
          const coll = read(o);
          if (coll === undefined) return U;
          if (coll === null) return all ? T : F;
          // A collection property holding something else is bad data: it cannot decide.
          if (!Array.isArray(coll)) return U;
          let res: Tri3 = all ? T : F;
          for (const item of coll) {
            const v = pred(o, item);
            if (all ? v === F : v === T) return v;
            if (v === U) res = U;
          }
          return res;
        };
      }
      case 'directReports': {
        this.uses.manager = true;
        const id = e.manager.kind === 'string' ? e.manager.value.toLowerCase() : undefined;
        const missing = this.options.missingAsNull ? null : undefined;
        return (o) => {
          if (id !== undefined && isNamedManager(o, id)) return T;
          const raw = managerId(o);
          const m = raw === undefined ? missing : raw;
          if (m === undefined || id === undefined) return U;
          return m !== null && m.toLowerCase() === id ? T : F;
        };
      }
      case 'error': return () => U;
    }
  }

  private operand(ref: PropertyRef): { read: (o: GraphObject, item: unknown) => Raw; type: PropertyDef['type'] } {
    const r = resolveRef(ref);
    if (r.kind === 'underscore') return { read: (_o, item) => item as Raw, type: 'string' };
    if (r.kind !== 'property') return { read: () => undefined, type: 'string' };
    const def = r.def;
    if (def.object === 'assignedPlan' || def.object === 'group') {
      const field = def.graph;
      return { read: (_o, item) => itemField(item, field), type: def.type };
    }
    const read = propertyReader(def, this.options.missingAsNull);
    return { read: (o) => read(o), type: def.type };
  }
}

/**
 * Compiles one sub-expression to a closure of the object and the current collection item (for
 * evaluators that handle the rest of the rule themselves, such as the columnar engine).
 */
export function compileExpression(e: Expr, options: EvalOptions = {}): (obj: GraphObject, item?: unknown) => Tri3 {
  return new Compiler(options).expr(e, undefined);
}

/**
 * Compiles a parsed rule. Rules with error-severity issues are not compiled: their meaning is
 * not defined, and the issues say what to fix. A retired memberOf rule still compiles (its
 * issues hold the error): it says whom it selects, which is what its replacement must match.
 */
export function compileRule(parsed: ParsedRule, options: EvalOptions = {}): CompileResult {
  const issues = checkRule(parsed, options.now !== undefined ? { now: options.now } : {});
  if (!parsed.expr || issues.some(blocksEvaluation)) return { ok: false, issues };
  const ctx = buildContext(parsed, parsed.expr);
  const compiler = new Compiler(options);
  const fn = compiler.expr(parsed.expr, undefined);
  const rule: CompiledRule = {
    object: ctx.ruleObject ?? 'user',
    test: (obj) => fn(obj, undefined),
    evaluate: (obj) => toTri(fn(obj, undefined)),
    uses: compiler.uses,
  };
  return { ok: true, rule, issues };
}
