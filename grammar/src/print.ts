/**
 * Prints an expression with every sub-expression in parentheses and canonical operators, so that
 * tests (and people) can see how precedence and quantifier scope were resolved.
 */
import type { Expr, Value } from './ast';

export function printValue(v: Value): string {
  switch (v.kind) {
    case 'string': return v.raw;
    case 'number':
    case 'bool':
    case 'null':
    case 'datetime':
    case 'word':
    case 'propertyValue':
      return v.raw;
    case 'array': return `[${v.items.map(printValue).join(', ')}]`;
    case 'now': return [v.raw, ...v.steps.map((s) => `-${s.op.name ?? s.op.raw} ${s.duration?.raw ?? '?'}`)].join(' ');
    case 'missing': return '?';
  }
}

export function printFullyParenthesized(e: Expr): string {
  switch (e.kind) {
    case 'or':
    case 'and':
      return `(${e.operands.map(printFullyParenthesized).join(` -${e.kind} `)})`;
    case 'not': return `(-not ${printFullyParenthesized(e.operand)})`;
    case 'paren': return printFullyParenthesized(e.expr);
    case 'compare': return `(${e.left.raw} ${e.op.name ? `-${e.op.name}` : e.op.raw || '?'} ${printValue(e.value)})`;
    case 'quantifier': return `(${e.collection.raw} -${e.op.name} ${printFullyParenthesized(e.predicate)})`;
    case 'directReports': return `(Direct Reports for ${printValue(e.manager)})`;
    case 'error': return '?';
  }
}
