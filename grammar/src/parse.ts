/**
 * Parses a whole `.dynrule` document: `#` comment lines (with `@group` / `@licenses` directives)
 * and the rule. Never throws: every input gives a (partial) tree and a list of syntax issues.
 */
import type { IToken } from 'chevrotain';
import type { CommentLine, Directive, Expr, LicenseSpec, Span } from './ast';
import { AstBuilder, parseErrorIssue, tokenSpan } from './build';
import { issue, type Issue } from './issues';
import * as l10n from './l10n';
import { ruleParser } from './parser';
import * as T from './tokens';

export interface ParsedRule {
  /** The whole document text. */
  readonly text: string;
  /** The rule's expression, or undefined when the document holds no rule. */
  readonly expr: Expr | undefined;
  readonly comments: readonly CommentLine[];
  readonly directives: readonly Directive[];
  /** Lexer and parser issues. */
  readonly issues: readonly Issue[];
  /** The tokens of the rule (comments and spaces excluded), for completion and highlighting. */
  readonly tokens: readonly IToken[];
  /** Non-breaking and other Unicode spaces found between tokens. */
  readonly unicodeSpaces: readonly Span[];
}

/** Parses a document. */
export function parseRule(text: string): ParsedRule {
  const lexed = T.ruleLexer.tokenize(text);
  const issues: Issue[] = [];
  for (const e of lexed.errors) {
    const ch = text.slice(e.offset, e.offset + Math.max(1, e.length));
    const span = { start: e.offset, end: e.offset + Math.max(1, e.length) };
    issues.push(issue('syntax/unexpected-character', 'error', ch.length > 1 ? l10n.t("Unexpected characters '{0}'.", truncate(ch)) : l10n.t("Unexpected character '{0}'.", truncate(ch)), span));
  }
  for (const t of lexed.tokens) {
    if (t.tokenType === T.UnterminatedString) {
      issues.push(issue('syntax/unterminated-string', 'error', l10n.t('This string has no closing quote.'), tokenSpan(t), {
        fixes: [{ title: l10n.t('Add the closing quote'), edits: [{ span: { start: tokenSpan(t).end, end: tokenSpan(t).end }, newText: t.image[0] === "'" || T.SINGLE_QUOTES.includes(t.image[0]!) ? "'" : '"' }], preferred: true }],
      }));
    }
  }

  const tokens = lexed.tokens;
  let expr: Expr | undefined;
  const deep = tooDeep(tokens);
  if (deep) {
    issues.push(issue('syntax/too-deep', 'error', l10n.t('The rule nests more than {0} levels deep (parentheses, -not, -any/-all); no rule needs that many: simplify it.', MAX_NESTING), tokenSpan(deep)));
  } else if (tokens.length > 0) {
    ruleParser.input = tokens;
    const cst = ruleParser.rule();
    const lastEnd = tokenSpan(tokens[tokens.length - 1]!).end;
    const closers = unclosed(tokens);
    for (const e of ruleParser.errors) issues.push(parseErrorIssue(e, text.length, lastEnd, closers));
    const builder = new AstBuilder(text.length);
    expr = builder.rule(cst);
    issues.push(...builder.issues);
    ruleParser.input = [];
  }

  const commentTokens = lexed.groups['comments'] ?? [];
  const comments = commentTokens.map((t) => ({ text: t.image, span: tokenSpan(t) }));
  const directives: Directive[] = [];
  for (const c of comments) {
    const d = parseDirective(c, issues);
    if (d) directives.push(d);
  }
  const unicodeSpaces = (lexed.groups['unicodeSpace'] ?? []).map(tokenSpan);
  return { text, expr, comments, directives, issues: dedupe(issues), tokens, unicodeSpaces };
}

/**
 * The deepest nesting the parser accepts. The parser and every walk over the tree recurse once a
 * level, and Chevrotain spends several stack frames a level: about 290 nested parentheses
 * overflow Node's default stack. A third of that keeps every caller far from the limit, and is
 * still far beyond any real rule.
 */
export const MAX_NESTING = 100;

/**
 * The token at which the nesting first exceeds {@link MAX_NESTING}, or undefined. Counts what the
 * parser recurses on: each open parenthesis, and each `-not` and `-any`/`-all` until the
 * condition it governs ends (conservatively: at the next `-and`/`-or` at the same level, or at the
 * closing parenthesis).
 */
function tooDeep(tokens: readonly IToken[]): IToken | undefined {
  const outer: number[] = [];
  let pending = 0;
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const type = t.tokenType;
    if (type === T.LParen) {
      outer.push(pending);
      pending = 0;
      depth++;
    } else if (type === T.RParen) {
      if (outer.length === 0) {
        // A stray ')' followed by more rule makes what came before a group (see AstBuilder.rule):
        // one more level that never closes.
        const next = tokens[i + 1];
        if (next && next.tokenType !== T.RParen) depth++;
      } else {
        depth -= 1 + pending;
        pending = outer.pop()!;
      }
    } else if (type === T.Not || type === T.Any || type === T.All) {
      pending++;
      depth++;
    } else if (type === T.And || type === T.Or) {
      depth -= pending;
      pending = 0;
    }
    if (depth > MAX_NESTING) return t;
  }
  return undefined;
}

function truncate(s: string): string {
  return s.length > 20 ? `${s.slice(0, 20)}…` : s;
}

/** Chevrotain may report the same recovery twice; keep one issue per code and position. */
function dedupe(list: Issue[]): Issue[] {
  const seen = new Set<string>();
  return list.filter((i) => {
    const key = `${i.code}@${i.span.start}:${i.span.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const DIRECTIVE = /^(#\s*)@([A-Za-z][\w-]*)/;

function parseDirective(c: CommentLine, issues: Issue[]): Directive | undefined {
  const m = DIRECTIVE.exec(c.text);
  if (!m) return undefined;
  const name = m[2]!;
  const nameStart = c.span.start + m[1]!.length;
  const nameSpan = { start: nameStart, end: nameStart + 1 + name.length };
  const restStart = nameSpan.end;
  const rest = c.text.slice(restStart - c.span.start);
  switch (name.toLowerCase()) {
    case 'group':
    case 'administrativeunit': {
      const kind = name.toLowerCase() === 'group' ? 'group' : 'administrativeUnit';
      const lead = rest.length - rest.trimStart().length;
      let value = rest.trim();
      let valueStart = restStart + lead;
      let valueEnd = valueStart + value.length;
      const q = value[0];
      if ((q === '"' || q === "'") && value.length >= 2 && value.endsWith(q)) {
        value = value.slice(1, -1);
        valueStart += 1;
        valueEnd -= 1;
      }
      if (!value) {
        issues.push(issue('directive/missing-value', 'error', kind === 'group'
          ? l10n.t('@group needs a group object id or "display name".')
          : l10n.t('@administrativeUnit needs an administrative unit object id or "display name".'), nameSpan));
      }
      return { kind, value, valueSpan: { start: valueStart, end: valueEnd }, span: c.span };
    }
    case 'licenses':
    case 'license': {
      const licenses = parseLicenses(rest, restStart);
      if (licenses.length === 0) {
        issues.push(issue('directive/missing-value', 'error', l10n.t('@licenses needs one or more SKUs, e.g. SPE_E3 or SPE_E3(-YAMMER_ENTERPRISE).'), nameSpan));
      }
      return { kind: 'licenses', licenses, span: c.span };
    }
    default:
      issues.push(issue('directive/unknown', 'warning', l10n.t('Unknown directive @{0}: the known directives are @group, @administrativeUnit and @licenses.', name), nameSpan));
      return { kind: 'unknown', name, nameSpan, span: c.span };
  }
}

/** `SPE_E3, ENTERPRISEPACK(-YAMMER_ENTERPRISE, -SWAY)` → license specs with offsets. */
export function parseLicenses(text: string, offset: number): LicenseSpec[] {
  const out: LicenseSpec[] = [];
  const re = /([A-Za-z0-9_().+-]+?)\s*(?:\(([^)]*)\))?\s*(?:,|$)/gy;
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m || m[0].length === 0) break;
    const sku = m[1]!;
    const skuStart = offset + i;
    const disabledPlans: { plan: string; span: Span }[] = [];
    if (m[2] !== undefined) {
      const inner = m[2];
      const innerStart = offset + i + m[0].indexOf('(') + 1;
      let j = 0;
      for (const part of inner.split(',')) {
        const lead = part.length - part.trimStart().length;
        let plan = part.trim();
        let start = innerStart + j + lead;
        if (plan.startsWith('-')) {
          plan = plan.slice(1).trim();
          start += 1;
        }
        if (plan) disabledPlans.push({ plan, span: { start, end: start + plan.length } });
        j += part.length + 1;
      }
    }
    out.push({ sku, skuSpan: { start: skuStart, end: skuStart + sku.length }, disabledPlans });
    i = re.lastIndex;
  }
  return out;
}

/** The text sent to Entra: the document without its comment lines, trimmed. */
export function ruleBody(parsed: Pick<ParsedRule, 'text' | 'comments'>): string {
  if (parsed.comments.length === 0) return parsed.text.trim();
  let out = '';
  let pos = 0;
  for (const c of parsed.comments) {
    out += parsed.text.slice(pos, c.span.start);
    pos = c.span.end;
    // Drop the comment's line break too.
    if (parsed.text[pos] === '\r') pos++;
    if (parsed.text[pos] === '\n') pos++;
  }
  out += parsed.text.slice(pos);
  return out.trim();
}

/** The closing brackets the rule lacks, innermost first: `(a -in ["x"` lacks `])`. */
function unclosed(tokens: readonly IToken[]): string {
  const open: string[] = [];
  for (const t of tokens) {
    if (t.tokenType === T.LParen) open.push(')');
    else if (t.tokenType === T.LBracket) open.push(']');
    else if ((t.tokenType === T.RParen || t.tokenType === T.RBracket) && open.length) {
      // A stray closer of the other kind closes nothing here.
      if (open[open.length - 1] === (t.tokenType === T.RParen ? ')' : ']')) open.pop();
    }
  }
  return open.reverse().join('');
}
