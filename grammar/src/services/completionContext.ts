/**
 * Where the cursor is, for completion: read from the tokens before it (Chevrotain 11 has no
 * content assist, and the tree of a half-typed rule says little about what may come next).
 *
 * The word being typed is the token under the cursor when it is word-like (`user.dep`, `-e`,
 * `Sal`), or the string whose content the cursor is in; everything a completion inserts replaces
 * that word, so a hyphen or quote the author already typed is never doubled.
 */
import type { IToken } from 'chevrotain';
import type { Span } from '../ast';
import { elementObjectOf, type OperatorName, type PathObject, type PropertyDef, type RuleObject } from '../catalogue';
import * as l10n from '../l10n';
import * as T from '../tokens';
import {
  isComparisonOp, isOperand, isQuantifierOp, isString, operatorOf, pathObject, resolvePath, ruleObjectOf, tokenEnd,
} from './common';
import { lex } from './lex';

/** The property a value or operator is for. `_` gets a string definition of its collection's items. */
export interface Target {
  readonly raw: string;
  readonly def: PropertyDef | undefined;
  /** For `_` and element properties: the collection the quantifier ranges over. */
  readonly collection: PropertyDef | undefined;
}

/** The cursor is inside a quoted string: what closes it, if the author has not yet. */
export interface StringSite {
  readonly quote: '"' | "'";
  /** The closing quote to add after the inserted text ('' when it is already there). */
  readonly close: string;
}

export type ElementKind = 'underscore' | 'assignedPlan' | 'group';

interface Base {
  readonly text: string;
  /** The text a completion replaces. */
  readonly replace: Span;
  /** What is typed of it, from its start to the cursor. */
  readonly prefix: string;
  readonly ruleObject: RuleObject | undefined;
}

export type Cursor = Base & (
  | { readonly kind: 'conditionStart'; readonly atRuleStart: boolean; readonly element: ElementKind | undefined; readonly collection: PropertyDef | undefined }
  | { readonly kind: 'property'; readonly object: PathObject }
  | { readonly kind: 'operator'; readonly target: Target }
  | { readonly kind: 'value'; readonly target: Target; readonly op: OperatorName | undefined; readonly site: 'bare' | 'arrayItem' | 'nowParen'; readonly string: StringSite | undefined; readonly arrayQuote: '"' | "'" | undefined }
  | { readonly kind: 'quantifier'; readonly target: Target; readonly op: 'any' | 'all' }
  | { readonly kind: 'afterNow'; readonly inParen: boolean }
  | { readonly kind: 'duration' }
  | { readonly kind: 'afterCondition' }
  | { readonly kind: 'directReports'; readonly next: 'reports' | 'for' }
  | { readonly kind: 'manager'; readonly string: StringSite | undefined }
  | { readonly kind: 'directiveName' }
  | { readonly kind: 'groupDirective' }
  | { readonly kind: 'administrativeUnitDirective' }
  | { readonly kind: 'licensesDirective'; readonly disablePlansOf: string | undefined }
  | { readonly kind: 'none' }
);

type Frame =
  | { readonly kind: 'group' }
  | { readonly kind: 'predicate'; readonly collection: IToken | undefined }
  | { readonly kind: 'nowParen'; readonly index: number }
  | { readonly kind: 'array'; readonly index: number };

const WORD_START = new RegExp(`^(?:[A-Za-z_$]|[${T.DASHES}][A-Za-z])`);

export function cursorContext(text: string, offset: number): Cursor {
  const doc = lex(text);
  const comment = doc.comments.find((c) => c.span.start < offset && offset <= c.span.end);
  if (comment) return directiveContext(text, offset, comment.span);

  const tokens = doc.tokens;
  const i = tokens.findIndex((t) => t.startOffset < offset && offset <= tokenEnd(t));
  const at = i >= 0 ? tokens[i] : undefined;
  const ruleObject = ruleObjectOf(tokens, at);
  const none = (): Cursor => ({ kind: 'none', text, replace: { start: offset, end: offset }, prefix: '', ruleObject });

  if (at && isString(at) && (offset < tokenEnd(at) || at.tokenType === T.UnterminatedString)) {
    if (at.tokenType === T.BacktickQuoted) return none();
    return stringContext(text, offset, at, tokens.slice(0, i), ruleObject) ?? none();
  }
  let replace: Span;
  let prev: readonly IToken[];
  if (at && WORD_START.test(at.image)) {
    replace = { start: at.startOffset, end: tokenEnd(at) };
    prev = tokens.slice(0, i);
    const dot = at.image.indexOf('.');
    if (at.tokenType === T.Path && dot >= 0) {
      const object = pathObject(at.image.slice(0, dot));
      const inName = offset > at.startOffset + dot;
      if (inName && object && !startsValue(prev)) {
        const nameSpan = { start: at.startOffset + dot + 1, end: tokenEnd(at) };
        return { kind: 'property', object, text, replace: nameSpan, prefix: text.slice(nameSpan.start, offset), ruleObject };
      }
      if (!inName) replace = { start: at.startOffset, end: at.startOffset + dot + 1 };
    }
  } else if (at && offset < tokenEnd(at)) {
    return none();
  } else {
    // A lone hyphen does not lex: it is the start of an operator being typed.
    const start = offset > 0 && T.DASHES.includes(text[offset - 1]!) && !at ? offset - 1 : offset;
    replace = { start, end: offset };
    prev = tokens.filter((t) => tokenEnd(t) <= start);
  }
  const base: Base = { text, replace, prefix: text.slice(replace.start, offset), ruleObject };
  return tokenContext(base, prev);
}

/** Whether the next token is a value (after an operator, in an array), not a condition. */
function startsValue(prev: readonly IToken[]): boolean {
  const last = prev[prev.length - 1];
  return isComparisonOp(last) || last?.tokenType === T.LBracket || last?.tokenType === T.Comma;
}

function frames(prev: readonly IToken[]): Frame[] {
  const stack: Frame[] = [];
  prev.forEach((t, k) => {
    switch (t.tokenType) {
      case T.LParen: {
        const before = prev[k - 1];
        if (isQuantifierOp(before)) stack.push({ kind: 'predicate', collection: isOperand(prev[k - 2]) ? prev[k - 2] : undefined });
        else if (isComparisonOp(before)) stack.push({ kind: 'nowParen', index: k });
        else stack.push({ kind: 'group' });
        break;
      }
      case T.RParen:
        stack.pop();
        break;
      case T.LBracket:
        stack.push({ kind: 'array', index: k });
        break;
      case T.RBracket:
        if (stack[stack.length - 1]?.kind === 'array') stack.pop();
        break;
      default:
        break;
    }
  });
  return stack;
}

/** The collection of the innermost quantifier the cursor is in (parenthesised or not). */
function enclosingCollection(prev: readonly IToken[], stack: readonly Frame[]): PropertyDef | undefined {
  for (let k = stack.length - 1; k >= 0; k--) {
    const f = stack[k]!;
    if (f.kind === 'predicate') return f.collection ? resolvePath(f.collection.image).def : undefined;
  }
  // An unparenthesised predicate: `x -any _ -startsWith ...`.
  for (let k = prev.length - 1; k >= 1 && k >= prev.length - 4; k--) {
    if (isQuantifierOp(prev[k])) return isOperand(prev[k - 1]) ? resolvePath(prev[k - 1]!.image).def : undefined;
  }
  return undefined;
}

/** The property the operand token at `index` stands for (`_` included). */
export function targetAt(tokens: readonly IToken[], index: number): Target {
  const prev = tokens.slice(0, index);
  return target(tokens[index], enclosingCollection(prev, frames(prev)));
}

function target(tok: IToken | undefined, collection: PropertyDef | undefined): Target {
  if (!tok || !isOperand(tok)) return { raw: tok?.image ?? '', def: undefined, collection };
  if (tok.tokenType === T.Underscore) {
    const def: PropertyDef | undefined = collection?.type === 'stringCollection'
      ? { name: '_', object: collection.object, type: 'string', nullable: false, graph: '', values: collection.values, description: l10n.t('One item of {0}.', `${collection.object}.${collection.name}`) }
      : undefined;
    return { raw: '_', def, collection };
  }
  return { raw: tok.image, def: resolvePath(tok.image).def, collection };
}

function tokenContext(base: Base, prev: readonly IToken[]): Cursor {
  const last = prev[prev.length - 1];
  const stack = frames(prev);
  const top = stack[stack.length - 1];
  const collection = enclosingCollection(prev, stack);
  const element = collection ? elementObjectOf(collection.type) : undefined;
  const start = (atRuleStart: boolean): Cursor => ({ ...base, kind: 'conditionStart', atRuleStart, element, collection });
  if (!last) return start(true);
  switch (last.tokenType) {
    case T.LParen:
      if (top?.kind === 'nowParen') return valueAt(base, prev, top.index - 1, 'nowParen', undefined, collection);
      return start(false);
    case T.And:
    case T.Or:
    case T.Not:
      return start(false);
    case T.Path:
    case T.Underscore:
      return { ...base, kind: 'operator', target: target(last, collection) };
    case T.Any:
    case T.All:
      return { ...base, kind: 'quantifier', target: target(prev[prev.length - 2], collection), op: last.tokenType === T.Any ? 'any' : 'all' };
    case T.LBracket:
    case T.Comma:
      if (top?.kind !== 'array') return { ...base, kind: 'none' };
      return valueAt(base, prev, top.index - 1, 'arrayItem', undefined, collection);
    case T.Now:
      return { ...base, kind: 'afterNow', inParen: top?.kind === 'nowParen' };
    case T.Plus:
    case T.Minus:
      return { ...base, kind: 'duration' };
    case T.Direct:
      return { ...base, kind: 'directReports', next: 'reports' };
    case T.Reports:
      return { ...base, kind: 'directReports', next: 'for' };
    case T.For:
      return { ...base, kind: 'manager', string: undefined };
    default:
      if (isComparisonOp(last)) return valueAt(base, prev, prev.length - 1, 'bare', undefined, collection);
      if (top?.kind === 'nowParen' || standsAlone(prev)) return { ...base, kind: 'none' };
      return { ...base, kind: 'afterCondition' };
  }
}

/** A value after the operator at `opIndex`: bare, in an array, or in `(system.now ...)`. */
function valueAt(base: Base, prev: readonly IToken[], opIndex: number, site: 'bare' | 'arrayItem' | 'nowParen', string: StringSite | undefined, collection: PropertyDef | undefined): Cursor {
  const opTok = prev[opIndex];
  if (!isComparisonOp(opTok)) return { ...base, kind: 'none' };
  const op = operatorOf(opTok!.image)?.name;
  let arrayQuote: '"' | "'" | undefined;
  if (site === 'arrayItem') {
    const item = prev.slice(opIndex + 1).find((t) => t.tokenType === T.DoubleQuoted || t.tokenType === T.SingleQuoted);
    arrayQuote = item ? (item.image[0] === "'" ? "'" : '"') : undefined;
  }
  return { ...base, kind: 'value', target: target(prev[opIndex - 1], collection), op, site, string, arrayQuote };
}

/** Direct Reports and memberOf rules take nothing else: no -and/-or after them. */
function standsAlone(prev: readonly IToken[]): boolean {
  const first = prev[0];
  if (first?.tokenType === T.Direct) return true;
  return first?.tokenType === T.Path && isQuantifierOp(prev[1]) && resolvePath(first.image).def?.type === 'memberOf';
}

function stringContext(text: string, offset: number, tok: IToken, prev: readonly IToken[], ruleObject: RuleObject | undefined): Cursor | undefined {
  const quote: '"' | "'" = T.SINGLE_QUOTES.includes(tok.image[0]!) ? "'" : '"';
  const contentStart = tok.startOffset + 1;
  let end = offset;
  while (end < text.length && !/[\s"'`,)\]\u201C\u201D\u2018\u2019]/.test(text[end]!)) end++;
  const closed = text[end] === quote && (tok.tokenType !== T.UnterminatedString || end < tokenEnd(tok));
  const string: StringSite = { quote, close: closed ? '' : quote };
  const base: Base = { text, replace: { start: contentStart, end }, prefix: text.slice(contentStart, offset), ruleObject };
  const last = prev[prev.length - 1];
  if (last?.tokenType === T.For) return { ...base, kind: 'manager', string };
  const stack = frames(prev);
  const top = stack[stack.length - 1];
  const collection = enclosingCollection(prev, stack);
  if (isComparisonOp(last)) return valueAt(base, prev, prev.length - 1, 'bare', string, collection);
  if ((last?.tokenType === T.LBracket || last?.tokenType === T.Comma) && top?.kind === 'array') {
    return valueAt(base, prev, top.index - 1, 'arrayItem', string, collection);
  }
  return undefined;
}

function directiveContext(text: string, offset: number, comment: Span): Cursor {
  const before = text.slice(comment.start, offset);
  const base = (replace: Span): Base => ({ text, replace, prefix: text.slice(replace.start, offset), ruleObject: undefined });
  const name = /^#\s*@([\w-]*)$/.exec(before);
  if (name) {
    let end = offset;
    while (end < comment.end && /[\w-]/.test(text[end]!)) end++;
    return { ...base({ start: offset - name[1]!.length, end }), kind: 'directiveName' };
  }
  const group = /^#\s*@group\s+/i.exec(before);
  if (group) {
    const start = comment.start + group[0].length;
    const end = start + text.slice(start, comment.end).trimEnd().length;
    return { ...base({ start, end: Math.max(end, offset) }), kind: 'groupDirective' };
  }
  const unit = /^#\s*@administrativeUnit\s+/i.exec(before);
  if (unit) {
    const start = comment.start + unit[0].length;
    const end = start + text.slice(start, comment.end).trimEnd().length;
    return { ...base({ start, end: Math.max(end, offset) }), kind: 'administrativeUnitDirective' };
  }
  const licenses = /^#\s*@licenses?\s+/i.exec(before);
  if (licenses) {
    const rest = before.slice(licenses[0].length);
    const word = /[-A-Za-z0-9_.+]*$/.exec(rest)![0];
    let end = offset;
    while (end < comment.end && /[-A-Za-z0-9_.+]/.test(text[end]!)) end++;
    const open = rest.lastIndexOf('(');
    const disablePlansOf = open > rest.lastIndexOf(')') ? /[A-Za-z0-9_.+-]+$/.exec(rest.slice(0, open).trimEnd())?.[0] : undefined;
    return { ...base({ start: offset - word.length, end }), kind: 'licensesDirective', disablePlansOf };
  }
  return { ...base({ start: offset, end: offset }), kind: 'none' };
}
