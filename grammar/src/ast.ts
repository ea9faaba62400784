/**
 * The abstract syntax tree of a rule. Every node carries the offsets of its text; nodes that the
 * parser had to invent while recovering from an error are marked `missing` or have kind `error`.
 */
import type { OperatorName } from './catalogue';

/** Half-open range of UTF-16 offsets into the document text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** An operator as written: its canonical name (undefined when unknown) and its spelling. */
export interface OperatorToken {
  readonly name: OperatorName | undefined;
  readonly raw: string;
  readonly span: Span;
}

/** A property reference: `user.department`, `assignedPlan.servicePlanId`, `_`. */
export interface PropertyRef {
  readonly kind: 'property';
  readonly raw: string;
  /** The text before the first dot (`user`, `device`, `assignedPlan`, `group`), or `_`. */
  readonly object: string;
  /** The text after the first dot (may contain further dots, or be empty while typing). */
  readonly name: string;
  readonly span: Span;
  readonly objectSpan: Span;
  readonly nameSpan: Span;
}

export type Expr = OrExpr | AndExpr | NotExpr | ParenExpr | Comparison | Quantified | DirectReports | ErrorExpr;

export interface OrExpr { readonly kind: 'or'; readonly operands: Expr[]; readonly ops: OperatorToken[]; readonly span: Span }
export interface AndExpr { readonly kind: 'and'; readonly operands: Expr[]; readonly ops: OperatorToken[]; readonly span: Span }
export interface NotExpr { readonly kind: 'not'; readonly op: OperatorToken; readonly operand: Expr; readonly span: Span }
export interface ParenExpr { readonly kind: 'paren'; readonly expr: Expr; readonly closed: boolean; readonly span: Span }
export interface Comparison {
  readonly kind: 'compare';
  readonly left: PropertyRef;
  readonly op: OperatorToken;
  readonly value: Value;
  readonly span: Span;
}
export interface Quantified {
  readonly kind: 'quantifier';
  readonly collection: PropertyRef;
  readonly op: OperatorToken;
  /** The condition; a `paren` node when written in parentheses. */
  readonly predicate: Expr;
  readonly span: Span;
}
export interface DirectReports {
  readonly kind: 'directReports';
  /** The span of `Direct Reports for`. */
  readonly keywordSpan: Span;
  readonly keywords: string;
  readonly manager: Value;
  readonly span: Span;
}
/** A condition the parser expected but did not find. */
export interface ErrorExpr { readonly kind: 'error'; readonly span: Span }

export type Value =
  | StringValue | NumberValue | BoolValue | NullValue | DateTimeValue | ArrayValue | NowValue
  | BareWordValue | PropertyValue | MissingValue;

export interface StringValue {
  readonly kind: 'string';
  /** The unescaped content. */
  readonly value: string;
  readonly raw: string;
  readonly quote: 'double' | 'single';
  /** True when typographic quotes were used as delimiters. */
  readonly curly: boolean;
  readonly terminated: boolean;
  readonly span: Span;
}
export interface NumberValue { readonly kind: 'number'; readonly value: number; readonly raw: string; readonly span: Span }
export interface BoolValue { readonly kind: 'bool'; readonly value: boolean; readonly raw: string; readonly span: Span }
export interface NullValue { readonly kind: 'null'; readonly raw: string; readonly span: Span }
export interface DateTimeValue {
  readonly kind: 'datetime';
  /** Milliseconds since the epoch, NaN when the date is not a real date. */
  readonly value: number;
  readonly raw: string;
  readonly span: Span;
}
export interface ArrayValue { readonly kind: 'array'; readonly items: Value[]; readonly closed: boolean; readonly span: Span }
export interface DurationValue { readonly raw: string; readonly span: Span }
/** `system.now`, optionally `-plus`/`-minus` a duration (several steps are parsed; more than one is an error). */
export interface NowValue {
  readonly kind: 'now';
  readonly raw: string;
  readonly steps: { readonly op: OperatorToken; readonly duration: DurationValue | undefined }[];
  readonly parenthesized: boolean;
  readonly span: Span;
}
/** An unquoted word where a value belongs (`-eq Sales`). */
export interface BareWordValue { readonly kind: 'word'; readonly raw: string; readonly span: Span }
/** A property where a value belongs (`-eq user.city`): properties cannot be compared. */
export interface PropertyValue { readonly kind: 'propertyValue'; readonly raw: string; readonly span: Span }
export interface MissingValue { readonly kind: 'missing'; readonly span: Span }

/** A `#` comment line, and the directive it holds if it starts with `@`. */
export interface CommentLine {
  readonly text: string;
  readonly span: Span;
}

export type Directive = GroupDirective | AdministrativeUnitDirective | LicensesDirective | UnknownDirective;
export interface GroupDirective {
  readonly kind: 'group';
  /** The group's object id or display name, unquoted. */
  readonly value: string;
  readonly valueSpan: Span;
  readonly span: Span;
}
/** `# @administrativeUnit <object id | "display name">`: the dynamic administrative unit the rule is for (as `dynrule pull` writes it). */
export interface AdministrativeUnitDirective {
  readonly kind: 'administrativeUnit';
  /** The unit's object id or display name, unquoted. */
  readonly value: string;
  readonly valueSpan: Span;
  readonly span: Span;
}
export interface LicenseSpec {
  /** skuPartNumber or skuId as written. */
  readonly sku: string;
  readonly skuSpan: Span;
  /** Service plans to disable, as written (names or ids). */
  readonly disabledPlans: { readonly plan: string; readonly span: Span }[];
}
export interface LicensesDirective { readonly kind: 'licenses'; readonly licenses: LicenseSpec[]; readonly span: Span }
export interface UnknownDirective { readonly kind: 'unknown'; readonly name: string; readonly nameSpan: Span; readonly span: Span }

/** Walks every expression node, parents before children. */
export function walkExpr(e: Expr, visit: (e: Expr, parent: Expr | undefined) => void, parent?: Expr): void {
  visit(e, parent);
  switch (e.kind) {
    case 'or':
    case 'and':
      for (const o of e.operands) walkExpr(o, visit, e);
      break;
    case 'not':
      walkExpr(e.operand, visit, e);
      break;
    case 'paren':
      walkExpr(e.expr, visit, e);
      break;
    case 'quantifier':
      walkExpr(e.predicate, visit, e);
      break;
    case 'compare':
    case 'directReports':
    case 'error':
      break;
  }
}

/** Removes any number of enclosing parentheses. */
export function unparen(e: Expr): Expr {
  while (e.kind === 'paren') e = e.expr;
  return e;
}
