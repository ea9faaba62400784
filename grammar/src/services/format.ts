/**
 * The formatter: canonical spelling (`-startsWith` with its hyphen, catalogue property casing,
 * `Direct Reports for`, lower-case `true`/`false`/`null`, upper-case durations), one space around
 * operators and after commas in arrays, the author's parentheses kept, and rules longer than the
 * line limit broken at top-level -or, then -and, then inside parentheses and arrays.
 *
 * It never changes what a rule means: string literals and comment lines are copied verbatim, it
 * refuses rules with syntax errors (including typographic dashes and quotes, which Entra rejects),
 * and it checks its own output token by token before answering.
 */
import type { IToken } from 'chevrotain';
import type { CommentLine, Expr, OperatorToken, PropertyRef, Value } from '../ast';
import { checkRule } from '../checks/index';
import * as l10n from '../l10n';
import { parseRule } from '../parse';
import * as T from '../tokens';
import { operatorOf } from '../build';
import { pathObject } from '../catalogue';
import { isOperator, resolvePath, tokenEnd } from './common';
import { group, hardline, indent, line, printDoc, softline, type Doc } from './formatDoc';
import type { FormatOptions, FormatResult } from './types';
import type { TextEdit } from '../issues';

const DEFAULT_WIDTH = 100;

/** Formats a `.dynrule` document: comment lines as they are, the rule in canonical form. Never throws. */
export function formatRule(text: string, options: FormatOptions = {}): FormatResult {
  const width = Number.isFinite(options.maxLineLength) && options.maxLineLength! > 0 ? Math.floor(options.maxLineLength!) : DEFAULT_WIDTH;
  const indentUnit = options.indent !== undefined && /^[ \t]*$/.test(options.indent) ? options.indent : '  ';
  const parsed = parseRule(text);
  const blocking = checkRule(parsed).find((i) => i.code.startsWith('syntax/') && (i.severity === 'error' || i.code === 'syntax/unicode-space'));
  if (blocking) return { ok: false, reason: l10n.t('The rule has a syntax problem to fix first: {0}', blocking.message) };
  const tokens = parsed.tokens;
  if (!parsed.expr || tokens.length === 0) return { ok: true, text, edits: [] };

  const first = tokens[0]!;
  const lastEnd = tokenEnd(tokens[tokens.length - 1]!);
  let lineStart = first.startOffset;
  while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const pool = parsed.comments.filter((c) => c.span.start > first.startOffset && c.span.start < lastEnd);
  let doc: Doc;
  try {
    doc = new Printer(pool).expr(parsed.expr);
  } catch {
    return { ok: false, reason: l10n.t('The rule has a syntax problem to fix first.') };
  }
  if (pool.length > 0) return { ok: false, reason: l10n.t('A comment line sits inside a condition; the formatter keeps comments only between conditions.') };

  const body = printDoc(doc, width, indentUnit, eol);
  const out = text.slice(0, lineStart) + body + text.slice(lastEnd).replace(/^[ \t]+/, '');
  if (!sameTokens(tokens, parseRule(out))) return { ok: false, reason: l10n.t('Formatting would change the rule; it was left as it is.') };
  return { ok: true, text: out, edits: minimalEdits(text, out) };
}

class Printer {
  constructor(private readonly pool: CommentLine[]) {}

  /** Comment lines that start in [start, end), removed from the pool, each on its own line. */
  private comments(start: number, end: number): Doc[] {
    const out: Doc[] = [];
    for (let i = 0; i < this.pool.length; i++) {
      const c = this.pool[i]!;
      if (c.span.start < start || c.span.start >= end) continue;
      out.push(hardline, c.text);
      this.pool.splice(i--, 1);
    }
    return out;
  }

  expr(e: Expr): Doc {
    switch (e.kind) {
      case 'or':
      case 'and': {
        const rest: Doc[] = [];
        for (let i = 1; i < e.operands.length; i++) {
          const prev = e.operands[i - 1]!;
          const next = e.operands[i]!;
          rest.push(this.comments(prev.span.end, next.span.start), line, op(e.ops[i - 1]), ' ', this.expr(next));
        }
        // An -and chain that opens an -or chain is indented like the -or's other operands, so
        // that every -and continuation sits deeper than every -or.
        const head = this.expr(e.operands[0]!);
        return group([e.kind === 'or' && e.operands[0]!.kind === 'and' ? indent(head) : head, indent(rest)]);
      }
      case 'not': return [op(e.op), ' ', this.expr(e.operand)];
      case 'paren': {
        const close = e.span.end - 1;
        const leading = this.comments(e.span.start + 1, e.expr.span.start);
        const inner = this.expr(e.expr);
        const trailing = this.comments(e.expr.span.end, close);
        return group(['(', indent([leading, softline, inner, trailing]), softline, ')']);
      }
      case 'compare': return [ref(e.left), ' ', op(e.op), ' ', value(e.value)];
      case 'quantifier': return [ref(e.collection), ' ', op(e.op), ' ', this.expr(e.predicate)];
      case 'directReports': return ['Direct Reports for ', value(e.manager)];
      case 'error': throw new Error('unreachable: a rule with a missing condition has a syntax error');
    }
  }
}

function op(o: OperatorToken | undefined): string {
  if (!o) return '';
  return o.name ? `-${o.name}` : o.raw;
}

/** Catalogue casing: `User.DEPARTMENT` → `user.department`; unknown names keep their spelling. */
function ref(r: PropertyRef): string {
  if (r.object === '_' && r.name === '') return '_';
  const object = pathObject(r.object);
  if (!object) return r.raw;
  const def = resolvePath(r.raw).def;
  return `${object}.${def && !/^extension_/i.test(r.name) ? def.name : r.name}`;
}

function value(v: Value): Doc {
  switch (v.kind) {
    case 'string':
    case 'number':
    case 'datetime':
    case 'word':
    case 'propertyValue':
      return v.raw;
    case 'bool':
    case 'null':
      return v.raw.toLowerCase();
    case 'array': {
      const items: Doc[] = [];
      v.items.forEach((item, i) => items.push(i > 0 ? [',', line] : '', value(item)));
      return group(['[', indent([softline, items]), softline, ']']);
    }
    case 'now': {
      const parts = ['system.now', ...v.steps.map((s) => ` ${op(s.op)}${s.duration ? ` ${s.duration.raw.toUpperCase()}` : ''}`)].join('');
      return v.parenthesized ? `(${parts})` : parts;
    }
    case 'missing': throw new Error('unreachable: a missing value is a syntax error');
  }
}

/** What a token means, ignoring case where the language does; formatting may change nothing else. */
function tokenKey(t: IToken): string {
  if (isOperator(t)) {
    const name = operatorOf(t.image)?.name;
    if (name) return `op:${name}`;
  }
  switch (t.tokenType) {
    case T.Path: case T.Now: case T.True: case T.False: case T.Null: case T.Direct: case T.Reports: case T.For: case T.Duration:
      return `${t.tokenType.name}:${t.image.toLowerCase()}`;
    default:
      return `${t.tokenType.name}:${t.image}`;
  }
}

function sameTokens(before: readonly IToken[], after: ReturnType<typeof parseRule>): boolean {
  if (after.issues.some((i) => i.code.startsWith('syntax/')) || after.tokens.length !== before.length) return false;
  return before.every((t, i) => tokenKey(t) === tokenKey(after.tokens[i]!));
}

/** One edit covering what changed, so the editor keeps the cursor and undo stays small. */
function minimalEdits(a: string, b: string): TextEdit[] {
  if (a === b) return [];
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  return [{ span: { start, end: endA }, newText: b.slice(start, endB) }];
}
