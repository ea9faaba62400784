/**
 * Turns the Chevrotain CST into the AST, and the parser's recognition errors into issues with
 * stable codes. Tokens that error recovery inserted have no offsets (NaN); every span is computed
 * from real tokens, falling back to the position where the missing piece belongs.
 */
import { EOF, tokenMatcher, type CstElement, type CstNode, type IRecognitionException, type IToken } from 'chevrotain';
import type {
  ArrayValue, DurationValue, Expr, NowValue, OperatorToken, PropertyRef, Span, StringValue, Value,
} from './ast';
import { OPERATOR_BY_NAME, type OperatorDef } from './catalogue';
import { issue, type Issue } from './issues';
import * as l10n from './l10n';
import { localizeParserMessage } from './parser';
import * as T from './tokens';

const isToken = (e: CstElement): e is IToken => (e as IToken).image !== undefined;
const real = (t: IToken | undefined): t is IToken => t !== undefined && !t.isInsertedInRecovery && Number.isFinite(t.startOffset);

export const tokenSpan = (t: IToken): Span => ({ start: t.startOffset, end: t.startOffset + t.image.length });

/** The span covered by the real tokens of a CST node, or undefined if it has none. */
function nodeSpan(n: CstNode): Span | undefined {
  let start = Infinity;
  let end = -Infinity;
  const visit = (node: CstNode): void => {
    for (const list of Object.values(node.children)) {
      for (const el of list) {
        if (isToken(el)) {
          if (real(el)) {
            start = Math.min(start, el.startOffset);
            end = Math.max(end, el.startOffset + el.image.length);
          }
        } else visit(el);
      }
    }
  };
  visit(n);
  return start === Infinity ? undefined : { start, end };
}

const first = <K extends string>(n: CstNode, key: K): CstElement | undefined => n.children[key]?.[0];
const tok = (n: CstNode, key: string): IToken | undefined => {
  const t = n.children[key]?.[0];
  return t && isToken(t) && real(t) ? t : undefined;
};
const sub = (n: CstNode, key: string, i = 0): CstNode | undefined => {
  const t = n.children[key]?.[i];
  return t && !isToken(t) ? t : undefined;
};

/** The canonical operator a token spells (`EQ`, `–eq` and `eq` are all `eq`), or undefined (`-gt`, `-like`...). */
export function operatorOf(image: string): OperatorDef | undefined {
  return OPERATOR_BY_NAME.get(image.replace(new RegExp(`^[${T.DASHES}]`), '').toLowerCase());
}

export function operatorToken(t: IToken): OperatorToken {
  return { name: operatorOf(t.image)?.name, raw: t.image, span: tokenSpan(t) };
}

export function propertyRef(t: IToken): PropertyRef {
  const span = tokenSpan(t);
  const dot = t.image.indexOf('.');
  if (dot < 0) {
    return { kind: 'property', raw: t.image, object: t.image, name: '', span, objectSpan: span, nameSpan: { start: span.end, end: span.end } };
  }
  return {
    kind: 'property',
    raw: t.image,
    object: t.image.slice(0, dot),
    name: t.image.slice(dot + 1),
    span,
    objectSpan: { start: span.start, end: span.start + dot },
    nameSpan: { start: span.start + dot + 1, end: span.end },
  };
}

/** Unescapes a string token: backtick escapes in double quotes, doubled quotes in single quotes. */
export function stringValue(t: IToken): StringValue {
  const raw = t.image;
  if (t.tokenType === T.BacktickQuoted) {
    const value = `"${raw.slice(2, -2).replace(/`([\s\S])/g, '$1')}"`;
    return { kind: 'string', value, raw, quote: 'double', curly: false, terminated: true, span: tokenSpan(t) };
  }
  const open = raw[0]!;
  const double = T.DOUBLE_QUOTES.includes(open);
  const terminated = t.tokenType !== T.UnterminatedString && raw.length >= 2;
  const body = terminated ? raw.slice(1, -1) : raw.slice(1);
  const value = double ? body.replace(/`([\s\S])/g, '$1') : body.replace(/''/g, "'");
  const curly = open !== '"' && open !== "'" || (terminated && raw[raw.length - 1] !== '"' && raw[raw.length - 1] !== "'");
  return { kind: 'string', value, raw, quote: double ? 'double' : 'single', curly, terminated, span: tokenSpan(t) };
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?([Zz]|[+-]\d{2}:?\d{2})?$/;

/** Parses an ISO 8601 date or date-time; no offset means UTC. NaN when it is not a real date. */
export function parseDateTime(raw: string): number {
  const m = ISO_DATE.exec(raw);
  if (!m) return NaN;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone] = m;
  const year = Number(y), month = Number(mo), day = Number(d), hour = Number(h), min = Number(mi), sec = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || min > 59 || sec > 59) return NaN;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return NaN;
  let ms = Date.UTC(year, month - 1, day, hour, min, sec) + Math.round(Number(frac || '0') * 1000);
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return ms;
}

function literal(t: IToken): Value {
  const span = tokenSpan(t);
  if (t.tokenType === T.DoubleQuoted || t.tokenType === T.SingleQuoted || t.tokenType === T.BacktickQuoted || t.tokenType === T.UnterminatedString) return stringValue(t);
  switch (t.tokenType) {
    case T.NumberLiteral: return { kind: 'number', value: Number(t.image), raw: t.image, span };
    case T.True: return { kind: 'bool', value: true, raw: t.image, span };
    case T.False: return { kind: 'bool', value: false, raw: t.image, span };
    case T.Null: return { kind: 'null', raw: t.image, span };
    case T.DateTimeLiteral: return { kind: 'datetime', value: parseDateTime(t.image), raw: t.image, span };
    case T.Path: return { kind: 'propertyValue', raw: t.image, span };
    default: return { kind: 'word', raw: t.image, span };
  }
}

/** Builds the AST; `fallback` is where a node with no real tokens is placed. */
export class AstBuilder {
  /** Issues found while building (missing connectives). */
  readonly issues: Issue[] = [];

  constructor(private readonly textLength: number) {}

  private missingAt(pos: number): Span {
    const p = Math.min(Math.max(0, pos), this.textLength);
    return { start: p, end: p };
  }

  rule(n: CstNode): Expr | undefined {
    const parts = (n.children['orExpr'] ?? []).filter((c): c is CstNode => !isToken(c));
    if (parts.length === 0) return undefined;
    let expr = this.orExpr(parts[0]!, 0);
    const strays = (n.children['RParen'] ?? []).filter(isToken).filter(real);
    for (const p of strays) {
      const span = tokenSpan(p);
      this.issues.push(issue('syntax/unmatched-paren', 'error', l10n.t("Unmatched ')': there is no '(' to close."), span, {
        fixes: [{ title: l10n.t("Remove the ')'"), edits: [{ span, newText: '' }] }],
      }));
    }
    // What follows a stray ')' joins the rule as if the part before it were a group: that is
    // what the author most likely meant, and it keeps every later condition checked.
    const connectives = [...(n.children['Op_and'] ?? []), ...(n.children['Op_or'] ?? [])].filter(isToken).filter(real).map(operatorToken);
    for (const part of parts.slice(1)) {
      const written = nodeSpan(part);
      let op = connectives.find((o) => o.span.start >= expr.span.end && (!written || o.span.end <= written.start));
      const right = this.orExpr(part, op?.span.end ?? expr.span.end);
      if (!op) {
        const at = this.missingAt(right.span.start);
        this.issues.push(missingConnective(at));
        op = { name: 'and', raw: '', span: at };
      }
      const kind = op.name === 'or' ? 'or' : 'and';
      expr = { kind, operands: [expr, right], ops: [op], span: cover([expr.span, op.span, right.span]) };
    }
    return expr;
  }

  private directReports(n: CstNode): Expr {
    const words = [tok(n, 'Direct'), tok(n, 'Reports'), tok(n, 'For')].filter(real);
    const span = nodeSpan(n) ?? this.missingAt(0);
    const keywordSpan = words.length ? { start: words[0]!.startOffset, end: tokenSpan(words[words.length - 1]!).end } : span;
    const v = sub(n, 'value');
    const manager = v ? this.value(v, keywordSpan.end) : { kind: 'missing' as const, span: this.missingAt(keywordSpan.end) };
    return { kind: 'directReports', keywordSpan, keywords: words.map((w) => w.image).join(' '), manager, span };
  }

  private orExpr(n: CstNode, fallback: number): Expr {
    return this.chain(n, 'or', 'andExpr', 'Op_or', fallback, (c, f) => this.andExpr(c, f));
  }

  private andExpr(n: CstNode, fallback: number): Expr {
    return this.chain(n, 'and', 'notExpr', 'Op_and', fallback, (c, f) => this.notExpr(c, f));
  }

  private chain(n: CstNode, kind: 'or' | 'and', childKey: string, opKey: string, fallback: number, build: (c: CstNode, f: number) => Expr): Expr {
    const children = (n.children[childKey] ?? []).filter((c): c is CstNode => !isToken(c));
    const written = (n.children[opKey] ?? []).filter(isToken).filter(real).map(operatorToken);
    // The first operator written at or after an offset. `written` is in text order: a binary
    // search keeps long chains (a 1 MB file of -and) linear instead of quadratic.
    const firstFrom = (offset: number): OperatorToken | undefined => {
      let lo = 0;
      let hi = written.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (written[mid]!.span.start >= offset) hi = mid;
        else lo = mid + 1;
      }
      return written[lo];
    };
    const operands: Expr[] = [];
    const ops: OperatorToken[] = [];
    let pos = fallback;
    for (const c of children) {
      const e = build(c, pos);
      if (operands.length > 0) {
        const prevEnd = operands[operands.length - 1]!.span.end;
        const next = firstFrom(prevEnd);
        const op = next && next.span.end <= e.span.start ? next : undefined;
        if (op) ops.push(op);
        else {
          const at = this.missingAt(e.span.start);
          this.issues.push(missingConnective(at));
          ops.push({ name: kind, raw: '', span: at });
        }
      }
      operands.push(e);
      pos = e.span.end;
      const nextOp = firstFrom(pos);
      if (nextOp) pos = nextOp.span.end;
    }
    const used = new Set(ops);
    for (const o of written) if (!used.has(o)) ops.push(o);
    ops.sort((a, b) => a.span.start - b.span.start);
    // A trailing operator with nothing after it (`a -and`) still needs an operand.
    while (operands.length < ops.length + 1) {
      const after = ops[operands.length - 1]?.span.end ?? pos;
      operands.push({ kind: 'error', span: this.missingAt(after) });
    }
    if (operands.length === 1) return operands[0]!;
    return { kind, operands, ops, span: cover(operands.map((o) => o.span), ops.map((o) => o.span)) };
  }

  private notExpr(n: CstNode, fallback: number): Expr {
    const notTok = tok(n, 'Op_not');
    if (notTok) {
      const op = operatorToken(notTok);
      const inner = sub(n, 'notExpr');
      const operand: Expr = inner ? this.notExpr(inner, op.span.end) : { kind: 'error', span: this.missingAt(op.span.end) };
      return { kind: 'not', op, operand, span: cover([op.span, operand.span]) };
    }
    const atom = sub(n, 'atom');
    return atom ? this.atom(atom, fallback) : { kind: 'error', span: nodeSpan(n) ?? this.missingAt(fallback) };
  }

  private atom(n: CstNode, fallback: number): Expr {
    const p = sub(n, 'parenExpr');
    if (p) return this.parenExpr(p, fallback);
    const d = sub(n, 'directReports');
    if (d) return this.directReports(d);
    const o = sub(n, 'operandExpr');
    if (o) return this.operandExpr(o, fallback);
    return { kind: 'error', span: nodeSpan(n) ?? this.missingAt(fallback) };
  }

  private parenExpr(n: CstNode, fallback: number): Expr {
    const open = tok(n, 'LParen');
    const close = tok(n, 'RParen');
    const start = open ? open.startOffset : fallback;
    const or = sub(n, 'orExpr');
    const expr: Expr = or ? this.orExpr(or, open ? open.startOffset + 1 : fallback) : { kind: 'error', span: this.missingAt(start + 1) };
    const end = close ? close.startOffset + 1 : Math.max(expr.span.end, start + 1);
    return { kind: 'paren', expr, closed: close !== undefined, span: { start, end } };
  }

  private operandExpr(n: CstNode, fallback: number): Expr {
    const operandTok = tok(n, 'Operand');
    const left = operandTok ? propertyRef(operandTok) : undefined;
    const start = left?.span.start ?? fallback;
    const quantTok = tok(n, 'QuantifierOp');
    if (left && quantTok) {
      const op = operatorToken(quantTok);
      const pn = sub(n, 'predicate');
      const predicate = pn ? this.predicate(pn, op.span.end) : { kind: 'error' as const, span: this.missingAt(op.span.end) };
      return { kind: 'quantifier', collection: left, op, predicate, span: cover([left.span, op.span, predicate.span]) };
    }
    const cmpTok = tok(n, 'ComparisonOp');
    if (left && cmpTok) {
      const op = operatorToken(cmpTok);
      const vn = sub(n, 'value');
      const value: Value = vn ? this.value(vn, op.span.end) : { kind: 'missing', span: this.missingAt(op.span.end) };
      const span = value.kind === 'missing' ? cover([left.span, op.span]) : cover([left.span, op.span, value.span]);
      return { kind: 'compare', left, op, value, span };
    }
    if (left) {
      // Property with no operator: keep it as a comparison with a missing operator and value.
      const at = this.missingAt(left.span.end);
      return { kind: 'compare', left, op: { name: undefined, raw: '', span: at }, value: { kind: 'missing', span: at }, span: left.span };
    }
    return { kind: 'error', span: nodeSpan(n) ?? this.missingAt(start) };
  }

  private predicate(n: CstNode, fallback: number): Expr {
    const p = sub(n, 'parenExpr');
    if (p) return this.parenExpr(p, fallback);
    const o = sub(n, 'operandExpr');
    if (o) return this.operandExpr(o, fallback);
    return { kind: 'error', span: nodeSpan(n) ?? this.missingAt(fallback) };
  }

  private value(n: CstNode, fallback: number): Value {
    const el = first(n, Object.keys(n.children)[0] ?? '');
    if (el === undefined) return { kind: 'missing', span: this.missingAt(fallback) };
    if (isToken(el)) return real(el) ? literal(el) : { kind: 'missing', span: this.missingAt(fallback) };
    switch (el.name) {
      case 'array': return this.array(el, fallback);
      case 'now': return this.now(el, false, fallback);
      case 'parenNow': {
        const inner = sub(el, 'now');
        const span = nodeSpan(el) ?? this.missingAt(fallback);
        if (!inner) return { kind: 'missing', span };
        const now = this.now(inner, true, fallback);
        return { ...now, span };
      }
      default: return { kind: 'missing', span: this.missingAt(fallback) };
    }
  }

  private array(n: CstNode, fallback: number): ArrayValue {
    const items: Value[] = [];
    for (const c of n.children['arrayItem'] ?? []) {
      if (isToken(c)) continue;
      const t = Object.values(c.children)[0]?.[0];
      if (t && isToken(t) && real(t)) items.push(literal(t));
    }
    const close = tok(n, 'RBracket');
    return { kind: 'array', items, closed: close !== undefined, span: nodeSpan(n) ?? this.missingAt(fallback) };
  }

  private now(n: CstNode, parenthesized: boolean, fallback: number): NowValue {
    const nowTok = tok(n, 'Now');
    const ops = (n.children['DateOp'] ?? []).filter(isToken).filter(real);
    const durations = (n.children['Duration'] ?? []).filter(isToken).filter(real);
    const steps = ops.map((o, i) => {
      const next = ops[i + 1]?.startOffset ?? Infinity;
      const d = durations.find((x) => x.startOffset > o.startOffset && x.startOffset < next);
      const duration: DurationValue | undefined = d ? { raw: d.image, span: tokenSpan(d) } : undefined;
      return { op: operatorToken(o), duration };
    });
    const span = nodeSpan(n) ?? this.missingAt(fallback);
    return { kind: 'now', raw: nowTok?.image ?? 'system.now', steps, parenthesized, span };
  }
}

/** Two conditions with nothing joining them: `(a) (b)`. */
function missingConnective(at: Span): Issue {
  return issue('syntax/missing-connective', 'error', l10n.t('Missing -and or -or between two conditions.'), at, {
    fixes: [
      { title: l10n.t('Insert {0}', '-and'), edits: [{ span: at, newText: '-and ' }] },
      { title: l10n.t('Insert {0}', '-or'), edits: [{ span: at, newText: '-or ' }] },
    ],
  });
}

function cover(...groups: Span[][]): Span {
  let start = Infinity;
  let end = -Infinity;
  for (const g of groups) for (const s of g) {
    start = Math.min(start, s.start);
    end = Math.max(end, s.end);
  }
  return { start, end };
}

/** Turns a recognition exception into an issue with a stable code. */
/**
 * `closers`: the brackets the whole rule leaves open, innermost first; when the parser stops at
 * the end of the rule for want of one, the fix inserts them after the last token.
 */
export function parseErrorIssue(e: IRecognitionException, textLength: number, lastTokenEnd: number, closers = ''): Issue {
  const t = e.token;
  const atEof = t.tokenType === EOF || !Number.isFinite(t.startOffset);
  // At the end of the rule, point at the last token: a zero-width mark there is easy to miss.
  // Chevrotain sets previousToken on its exceptions but does not declare it.
  const previous = (e as IRecognitionException & { previousToken?: IToken }).previousToken;
  const span: Span = atEof ? (real(previous) ? tokenSpan(previous) : { start: lastTokenEnd, end: lastTokenEnd }) : tokenSpan(t);
  const ruleName = e.context.ruleStack[e.context.ruleStack.length - 1] ?? '';
  const clamp = (s: Span): Span => ({ start: Math.min(s.start, textLength), end: Math.min(s.end, textLength) });
  let code = 'syntax/unexpected-token';
  let message = localizeParserMessage(e.message, t);
  switch (e.name) {
    case 'MismatchedTokenException': {
      if (/Expected '\)'/.test(e.message)) code = 'syntax/unclosed-paren';
      else if (/Expected '\]'/.test(e.message)) {
        // `["a" "b"]`: a value where ',' or ']' was expected is a missing comma, not an open bracket.
        if (!atEof && (tokenMatcher(t, T.StringLiteral) || tokenMatcher(t, T.NumberLiteral))) {
          const after = real(previous) ? tokenSpan(previous).end : undefined;
          const edit = after !== undefined ? { span: { start: after, end: after }, newText: ',' } : { span: { start: tokenSpan(t).start, end: tokenSpan(t).start }, newText: ', ' };
          return issue('syntax/missing-comma', 'error', l10n.t('Missing \',\' between the items of the array.'), clamp(tokenSpan(t)), {
            fixes: [{ title: l10n.t('Insert {0}', "','"), edits: [edit] }],
          });
        }
        code = 'syntax/unclosed-bracket';
      }
      else if (/^Unexpected /.test(e.message)) code = 'syntax/unexpected-token';
      else code = 'syntax/expected-token';
      break;
    }
    case 'NoViableAltException':
      if (ruleName === 'value' || ruleName === 'arrayItem') code = 'syntax/missing-value';
      else if (ruleName === 'operandExpr') code = 'syntax/missing-operator';
      else code = 'syntax/expected-condition';
      break;
    case 'NotAllInputParsedException':
      // A stray ')' never gets here: the grammar parses on after it (see `rule`).
      if (t.tokenType === T.LParen || t.tokenType === T.Path || t.tokenType === T.Underscore || t.tokenType === T.Not) {
        code = 'syntax/missing-connective';
        message = l10n.t('Missing -and or -or before {0}.', describeImage(t));
      }
      break;
    default:
      break;
  }
  if ((code === 'syntax/unclosed-paren' || code === 'syntax/unclosed-bracket') && atEof && closers) {
    return issue(code, 'error', message, clamp(span), {
      fixes: [{ title: l10n.t('Insert {0}', `'${closers}'`), edits: [{ span: { start: lastTokenEnd, end: lastTokenEnd }, newText: closers }], preferred: true }],
    });
  }
  return issue(code, 'error', message, clamp(span));
}

function describeImage(t: IToken): string {
  return t.tokenType === EOF ? l10n.t('the end of the rule') : `'${t.image}'`;
}

const DURATION = /^P(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/i;

/** Milliseconds of an ISO 8601 duration; a year counts 365 days and a month 30. NaN if invalid. */
export function durationMs(raw: string): number {
  const m = DURATION.exec(raw);
  if (!m || raw.length < 3) return NaN;
  const n = (i: number): number => Number((m[i] ?? '0').replace(',', '.'));
  const day = 86_400_000;
  return n(1) * 365 * day + n(2) * 30 * day + n(3) * 7 * day + n(4) * day + n(5) * 3_600_000 + n(6) * 60_000 + n(7) * 1000;
}
