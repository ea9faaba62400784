/**
 * Semantic highlighting from the lexer's tokens: objects, properties (unsupported ones marked
 * `deprecated`), operators, keywords, strings, numbers, dates and durations, comments and the
 * parts of directive lines. Tokens never overlap and come sorted by offset.
 */
import type { IToken } from 'chevrotain';
import type { Directive, Span } from '../ast';
import * as T from '../tokens';
import { isOperator, pathObject, resolvePath, spanOf, tokenEnd } from './common';
import { directives, lex } from './lex';
import type { SemanticToken, SemanticTokenType } from './types';

/** The semantic tokens of a document, sorted by offset. Never throws. */
export function semanticTokens(text: string): SemanticToken[] {
  const doc = lex(text);
  const out: SemanticToken[] = [];
  for (const t of doc.tokens) out.push(...ruleToken(t));
  const found = directives(doc);
  for (const c of doc.comments) {
    const d = found.find((x) => x.span.start === c.span.start);
    out.push(...(d ? directiveTokens(text, c.span, d) : [{ span: c.span, type: 'comment' as const }]));
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

const SIMPLE: ReadonlyMap<unknown, SemanticTokenType> = new Map<unknown, SemanticTokenType>([
  [T.DoubleQuoted, 'string'], [T.SingleQuoted, 'string'], [T.UnterminatedString, 'string'], [T.BacktickQuoted, 'string'],
  [T.NumberLiteral, 'number'], [T.DateTimeLiteral, 'number'], [T.Duration, 'number'],
  [T.True, 'keyword'], [T.False, 'keyword'], [T.Null, 'keyword'], [T.Now, 'keyword'],
  [T.Direct, 'keyword'], [T.Reports, 'keyword'], [T.For, 'keyword'],
]);

function ruleToken(t: IToken): SemanticToken[] {
  if (isOperator(t)) return [{ span: spanOf(t), type: 'operator' }];
  if (t.tokenType === T.Underscore) return [{ span: spanOf(t), type: 'variable', modifiers: ['readonly'] }];
  if (t.tokenType === T.Path) return pathTokens(t);
  const type = SIMPLE.get(t.tokenType);
  return type ? [{ span: spanOf(t), type }] : [];
}

/** `user.department`: the object as a type (element objects as read-only variables), then the property. */
function pathTokens(t: IToken): SemanticToken[] {
  const dot = t.image.indexOf('.');
  const object = pathObject(t.image.slice(0, dot));
  if (!object) return [];
  const objectSpan = { start: t.startOffset, end: t.startOffset + dot };
  const out: SemanticToken[] = [object === 'user' || object === 'device'
    ? { span: objectSpan, type: 'type' }
    : { span: objectSpan, type: 'variable', modifiers: ['readonly'] }];
  if (dot + 1 < t.image.length) {
    const r = resolvePath(t.image);
    out.push({ span: { start: t.startOffset + dot + 1, end: tokenEnd(t) }, type: 'property', ...(r.unsupported ? { modifiers: ['deprecated'] as const } : {}) });
  }
  return out;
}

/** `# @licenses SPE_E3(-YAMMER_ENTERPRISE)`: comment, directive name, values; nothing overlaps. */
function directiveTokens(text: string, line: Span, d: Directive): SemanticToken[] {
  const values: SemanticToken[] = [];
  if ((d.kind === 'group' || d.kind === 'administrativeUnit') && d.value) values.push({ span: d.valueSpan, type: 'string' });
  if (d.kind === 'licenses') {
    for (const l of d.licenses) {
      values.push({ span: l.skuSpan, type: 'enumMember' });
      for (const p of l.disabledPlans) values.push({ span: p.span, type: 'enumMember' });
    }
  }
  const at = text.indexOf('@', line.start);
  let nameEnd = at + 1;
  while (nameEnd < line.end && /[\w-]/.test(text[nameEnd]!)) nameEnd++;
  const out: SemanticToken[] = [];
  if (at > line.start) out.push({ span: { start: line.start, end: at }, type: 'comment' });
  out.push({ span: { start: at, end: nameEnd }, type: 'macro' });
  out.push(...values.filter((v) => v.span.start >= nameEnd && v.span.end <= line.end && v.span.end > v.span.start));
  return out;
}
