/** Operator spelling: operators that do not exist (`-gt`, `-like`) and operators without a hyphen. */
import { walkExpr, type OperatorToken } from '../ast';
import { DOCS_URL, OPERATOR_BY_NAME, UNSUPPORTED_OPERATORS } from '../catalogue';
import { issue, type Issue } from '../issues';
import * as l10n from '../l10n';
import { closest } from '../suggest';
import { DASHES } from '../tokens';
import type { Check } from './context';

const DASH = new RegExp(`^[${DASHES}]`);

/** Every operator token written in the rule. */
export function operatorTokens(ctx: Parameters<Check>[0]): OperatorToken[] {
  const ops: OperatorToken[] = [];
  walkExpr(ctx.expr, (e) => {
    switch (e.kind) {
      case 'or':
      case 'and':
        ops.push(...e.ops);
        break;
      case 'not':
      case 'quantifier':
        ops.push(e.op);
        break;
      case 'compare':
        ops.push(e.op);
        if (e.value.kind === 'now') for (const s of e.value.steps) ops.push(s.op);
        break;
      default:
        break;
    }
  });
  return ops.filter((o) => o.raw !== '');
}

export const operatorChecks: Check = (ctx) => {
  const out: Issue[] = [];
  for (const op of operatorTokens(ctx)) {
    const word = op.raw.replace(DASH, '');
    if (op.name === undefined) {
      const known = UNSUPPORTED_OPERATORS[word.toLowerCase()];
      const suggestion = known?.suggest ?? closest(word, [...OPERATOR_BY_NAME.values()].filter((o) => o.kind === 'comparison').map((o) => o.name), 1)[0];
      out.push(issue('syntax/unknown-operator', 'error', known
        ? l10n.t(known.advice)
        : suggestion ? l10n.t('Unknown operator {0}. Did you mean -{1}?', op.raw, suggestion) : l10n.t('Unknown operator {0}.', op.raw), op.span, {
        fixes: suggestion ? [{ title: l10n.t('Change to {0}', `-${suggestion}`), edits: [{ span: op.span, newText: `-${suggestion}` }], preferred: known?.suggest !== undefined }] : [],
        docs: DOCS_URL,
      }));
      continue;
    }
    if (!DASH.test(op.raw)) {
      out.push(issue('style/missing-hyphen', 'info', l10n.t('Write the operator with its hyphen: {0}.', `-${op.name}`), op.span, {
        fixes: [{ title: l10n.t('Change to {0}', `-${op.name}`), edits: [{ span: op.span, newText: `-${op.name}` }], preferred: true }],
      }));
    }
  }
  return out;
};
