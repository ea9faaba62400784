/**
 * Folding and the outline. Folding: blocks of comment lines, and parenthesised groups and arrays
 * that span lines. Outline: directives, then the rule with its top-level clauses (each -or/-and
 * operand with its text), groups and quantifiers nesting their own clauses.
 */
import type { IToken } from 'chevrotain';
import { unparen, type Directive, type Expr } from '../ast';
import * as l10n from '../l10n';
import * as T from '../tokens';
import { oneLine, tokenEnd } from './common';
import { lex, parsed as parse } from './lex';
import { statusOf } from './ruleStatus';
import type { DocumentSymbol, FoldingRange } from './types';

/**
 * Folding ranges as offsets: a comment block from its first `#` to the end of its last line; a
 * group from its `(` or `[` to the offset of its closing bracket. Never throws.
 */
export function foldingRanges(text: string): FoldingRange[] {
  const doc = lex(text);
  const out: FoldingRange[] = [];
  const comments = doc.comments;
  for (let i = 0; i < comments.length;) {
    let j = i;
    while (j + 1 < comments.length && /^[ \t]*(?:\r\n|\r|\n)[ \t]*$/.test(text.slice(comments[j]!.span.end, comments[j + 1]!.span.start))) j++;
    if (j > i) out.push({ start: comments[i]!.span.start, end: comments[j]!.span.end, kind: 'comment' });
    i = j + 1;
  }
  // Line breaks before each offset, so whether a group spans lines is one subtraction; and the
  // positions in `open` of the '(' and '[' still open, so the innermost one is found at once.
  // (Searching the stack and slicing the text per group made 64 KB of nesting take 13 s.)
  const breaks = new Uint32Array(text.length + 1);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    breaks[i + 1] = breaks[i]! + (c === 10 || c === 13 ? 1 : 0);
  }
  const open: IToken[] = [];
  const parens: number[] = [];
  const brackets: number[] = [];
  for (const t of doc.tokens) {
    if (t.tokenType === T.LParen || t.tokenType === T.LBracket) {
      (t.tokenType === T.LParen ? parens : brackets).push(open.length);
      open.push(t);
    } else if (t.tokenType === T.RParen || t.tokenType === T.RBracket) {
      const same = t.tokenType === T.RParen ? parens : brackets;
      const k = same.length > 0 ? same[same.length - 1]! : -1;
      if (k < 0) continue;
      const start = open[k]!.startOffset;
      open.length = k;
      while (parens.length > 0 && parens[parens.length - 1]! >= k) parens.pop();
      while (brackets.length > 0 && brackets[brackets.length - 1]! >= k) brackets.pop();
      if (breaks[t.startOffset]! > breaks[start]!) out.push({ start, end: t.startOffset, kind: 'region' });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The outline: directives, then the rule and its clauses. Never throws. */
export function documentSymbols(text: string): DocumentSymbol[] {
  const parsed = parse(text);
  const out = parsed.directives.map((d) => directiveSymbol(text, d));
  if (parsed.expr) {
    const status = statusOf(lex(text));
    const name = status.kind === 'directReports' ? l10n.t('Direct Reports rule')
      : status.kind === 'memberOf' ? l10n.t('memberOf rule ({0})', status.object ?? 'user')
      : status.object === 'user' ? l10n.t('user rule') : status.object === 'device' ? l10n.t('device rule') : l10n.t('unknown rule');
    // The rule covers its tokens: a tree recovered from errors may hold placeholder spans.
    const first = parsed.tokens[0];
    const last = parsed.tokens[parsed.tokens.length - 1];
    const span = first && last ? { start: first.startOffset, end: tokenEnd(last) } : parsed.expr.span;
    const selection = first ? { start: first.startOffset, end: tokenEnd(first) } : span;
    out.push({ name, detail: l10n.t('{0} of {1} characters', l10n.formatNumber(status.length), l10n.formatNumber(status.limit)), kind: 'rule', span, selection, children: clauses(text, parsed.expr) });
  }
  return out;
}

function directiveSymbol(text: string, d: Directive): DocumentSymbol {
  const body = nameOf(text, d.span.start, d.span.end).replace(/^#\s*/, '');
  const selection = d.kind === 'group' || d.kind === 'administrativeUnit' ? d.valueSpan : d.kind === 'unknown' ? d.nameSpan : d.licenses[0]?.skuSpan ?? d.span;
  return { name: body, kind: 'directive', span: d.span, selection, children: [] };
}

/** A one-line name from the start of a span; only the start is read, as names are short. */
function nameOf(text: string, start: number, end: number): string {
  return oneLine(text.slice(start, Math.min(end, start + 400)) + (end - start > 400 ? ' …' : ''));
}

/** The clauses of an expression: the operands of a chain, or the expression itself. */
function clauses(text: string, e: Expr): DocumentSymbol[] {
  if (e.kind === 'or' || e.kind === 'and') return e.operands.flatMap((o) => symbolOf(text, o, `-${e.kind}`));
  return symbolOf(text, e, undefined);
}

function symbolOf(text: string, e: Expr, detail: string | undefined): DocumentSymbol[] {
  const name = nameOf(text, e.span.start, e.span.end);
  const base = { name, span: e.span, ...(detail ? { detail } : {}) };
  switch (e.kind) {
    case 'paren':
      return [{ ...base, kind: 'group', selection: { start: e.span.start, end: e.span.start + 1 }, children: clauses(text, unparen(e)) }];
    case 'quantifier':
      return [{ ...base, kind: 'condition', selection: e.collection.span, children: clauses(text, unparen(e.predicate)) }];
    case 'not':
      return [{ ...base, kind: 'condition', selection: e.op.span, children: e.operand.kind === 'compare' ? [] : clauses(text, unparen(e.operand)) }];
    case 'compare':
      return [{ ...base, kind: 'condition', selection: e.left.span, children: [] }];
    case 'directReports':
      return [{ ...base, kind: 'condition', selection: e.keywordSpan, children: [] }];
    case 'or':
    case 'and':
      return clauses(text, e);
    case 'error':
      return [];
  }
}
