/**
 * Many rules over one table, on the columnar engine, each distinct condition once. The rules of a
 * tenant share most of their conditions (`user.accountEnabled -eq true`, a department, an office),
 * so the audit evaluates each comparison, quantifier or Direct Reports clause once with
 * `evaluateColumnar` and combines the bitsets with the engine's own three-valued `-and`, `-or` and
 * `-not`. The engine combines its sub-results the same way, so the answer is the one
 * `evaluateColumnar` gives for the whole rule (test/unit/audit/sharedEvaluator.test.ts).
 */
import { unparen, type Expr } from '../../../grammar/src/index';
import { and3, evaluateColumnar, not3Bits, or3, TriBits, type ColumnarOptions, type Table } from '../../../grammar/src/columnar/index';

/** At most this many conditions are kept (each holds two bitsets of the whole table). */
export const MAX_SHARED = 1024;

export class SharedEvaluator {
  private readonly memo = new Map<string, TriBits>();

  constructor(private readonly table: Table, private readonly options: ColumnarOptions, private readonly max = MAX_SHARED) {}

  /** What `expr` (parsed from `text`) gives for every row; the caller owns the result. */
  evaluate(expr: Expr, text: string): TriBits {
    return this.own(expr, text);
  }

  /** A result the caller may change. */
  private own(e: Expr, text: string): TriBits {
    const x = unparen(e);
    switch (x.kind) {
      case 'and':
      case 'or': {
        if (x.operands.length === 0) return evaluateColumnar(x, this.table, this.options);
        const acc = this.own(x.operands[0]!, text);
        for (const o of x.operands.slice(1)) {
          const r = this.peek(o, text);
          if (x.kind === 'and') and3(acc, r);
          else or3(acc, r);
        }
        return acc;
      }
      case 'not': return not3Bits(this.own(x.operand, text));
      default: {
        const shared = this.leaf(x, text);
        return new TriBits(shared.rows, shared.t.slice(), shared.u.slice());
      }
    }
  }

  /** A result only read: a shared one where the expression is a single condition. */
  private peek(e: Expr, text: string): TriBits {
    const x = unparen(e);
    return x.kind === 'and' || x.kind === 'or' || x.kind === 'not' ? this.own(x, text) : this.leaf(x, text);
  }

  private leaf(x: Expr, text: string): TriBits {
    // The condition as written, spaces collapsed: the same text means the same condition.
    const key = text.slice(x.span.start, x.span.end).replace(/\s+/g, ' ');
    const hit = this.memo.get(key);
    if (hit) return hit;
    const bits = evaluateColumnar(x, this.table, this.options);
    if (this.memo.size < this.max) this.memo.set(key, bits);
    return bits;
  }
}
