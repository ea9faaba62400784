/**
 * What every check needs, computed once per rule: the comparisons and quantifiers with their
 * context, the rule's object (user or device), and each property reference resolved against the
 * catalogue.
 */
import { type Comparison, type Expr, type PropertyRef, type Quantified } from '../ast';
import { findProperty, pathObject, UNSUPPORTED_PROPERTIES, type PropertyDef, type RuleObject } from '../catalogue';
import type { Issue } from '../issues';
import type { ParsedRule } from '../parse';
import type { TenantFacts } from './tenant';

export interface ComparisonSite {
  readonly node: Comparison;
  /** The innermost quantifier whose predicate holds this comparison. */
  readonly quantifier: Quantified | undefined;
  /** Whether a `-not` encloses it. */
  readonly negated: boolean;
}

/** How a property reference resolved. */
export type Resolution =
  | { readonly kind: 'property'; readonly def: PropertyDef }
  | { readonly kind: 'underscore' }
  | { readonly kind: 'unknownObject' }
  | { readonly kind: 'unsupported'; readonly advice: string }
  | { readonly kind: 'unknown' };

export interface CheckContext {
  readonly parsed: ParsedRule;
  readonly text: string;
  readonly expr: Expr;
  readonly comparisons: readonly ComparisonSite[];
  readonly quantifiers: readonly Quantified[];
  /** The object the rule is about, from its first user./device. property (or Direct Reports). */
  readonly ruleObject: RuleObject | undefined;
  resolve(ref: PropertyRef): Resolution;
  /** The parent of a node, if any. */
  parentOf(e: Expr): Expr | undefined;
}

/** Options a caller can give the checks. */
export interface CheckOptions {
  /** The object the group holds, when known (a dynamic user or device group). */
  readonly expectedObject?: RuleObject;
  /**
   * The time the checks stand at, in milliseconds since the epoch (default: the clock): checks
   * of what Entra does at a date, such as memberOf's retirement, answer for this moment.
   */
  readonly now?: number;
  /** The tenant the rule is for: adds the checks of the groups, users and SKUs it names. */
  readonly tenant?: TenantFacts;
}

export type Check = (ctx: CheckContext, options: CheckOptions) => Issue[];

const RULE_OBJECTS = new Set(['user', 'device']);
const ELEMENT_OBJECTS = new Set(['assignedplan', 'group']);

/**
 * What a property reference stands for in the catalogue: the one resolution the checks, the
 * evaluators and the editor services (through `resolvePath`) share.
 */
export function resolveRef(ref: Pick<PropertyRef, 'object' | 'name'>): Resolution {
  if (ref.object === '_' && ref.name === '') return { kind: 'underscore' };
  const object = pathObject(ref.object);
  if (!object) return { kind: 'unknownObject' };
  const def = findProperty(object, ref.name);
  if (def) return { kind: 'property', def };
  const unsupported = Object.entries(UNSUPPORTED_PROPERTIES).find(([k, v]) => k.toLowerCase() === ref.name.toLowerCase() && v.object === object);
  return unsupported ? { kind: 'unsupported', advice: unsupported[1].advice } : { kind: 'unknown' };
}

export function buildContext(parsed: ParsedRule, expr: Expr): CheckContext {
  const comparisons: ComparisonSite[] = [];
  const quantifiers: Quantified[] = [];
  const parents = new Map<Expr, Expr | undefined>();
  const resolutions = new Map<PropertyRef, Resolution>();
  let ruleObject: RuleObject | undefined;

  const noteObject = (ref: PropertyRef): void => {
    const o = ref.object.toLowerCase();
    if (!ruleObject && RULE_OBJECTS.has(o)) ruleObject = o as RuleObject;
  };

  const visit = (e: Expr, quant: Quantified | undefined, negated: boolean): void => {
    switch (e.kind) {
      case 'or':
      case 'and':
        for (const o of e.operands) { parents.set(o, e); visit(o, quant, negated); }
        break;
      case 'not':
        parents.set(e.operand, e);
        visit(e.operand, quant, true);
        break;
      case 'paren':
        parents.set(e.expr, e);
        visit(e.expr, quant, negated);
        break;
      case 'quantifier':
        noteObject(e.collection);
        quantifiers.push(e);
        parents.set(e.predicate, e);
        visit(e.predicate, e, negated);
        break;
      case 'compare':
        if (!ELEMENT_OBJECTS.has(e.left.object.toLowerCase())) noteObject(e.left);
        comparisons.push({ node: e, quantifier: quant, negated });
        break;
      case 'directReports':
        ruleObject ??= 'user';
        break;
      case 'error':
        break;
    }
  };
  parents.set(expr, undefined);
  visit(expr, undefined, false);

  return {
    parsed,
    text: parsed.text,
    expr,
    comparisons,
    quantifiers,
    ruleObject,
    resolve(ref) {
      let r = resolutions.get(ref);
      if (!r) resolutions.set(ref, (r = resolveRef(ref)));
      return r;
    },
    parentOf: (e) => parents.get(e),
  };
}
