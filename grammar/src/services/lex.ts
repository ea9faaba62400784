/**
 * What the services read a document through. Most of them need only its tokens and comment lines,
 * which the lexer gives in a tenth of the time a full parse takes (a 3,072-character rule lexes in
 * well under a tenth of a millisecond); the outline needs the tree. The editor asks several
 * services about the same text after each edit, so the last document is kept.
 */
import type { IToken } from 'chevrotain';
import type { CommentLine, Directive } from '../ast';
import { parseRule, type ParsedRule } from '../parse';
import * as T from '../tokens';
import { tokenSpan } from '../build';

export interface Lexed {
  readonly text: string;
  /** The rule's tokens: comments, spaces and characters the lexer rejected left out. */
  readonly tokens: readonly IToken[];
  readonly comments: readonly CommentLine[];
}

let lastLexed: Lexed | undefined;
let lastParsed: ParsedRule | undefined;
let lastDirectives: { text: string; directives: readonly Directive[] } | undefined;

export function lex(text: string): Lexed {
  if (lastLexed?.text === text) return lastLexed;
  const r = T.ruleLexer.tokenize(text);
  const comments = (r.groups['comments'] ?? []).map((t) => ({ text: t.image, span: tokenSpan(t) }));
  return (lastLexed = { text, tokens: r.tokens, comments });
}

export function parsed(text: string): ParsedRule {
  if (lastParsed?.text === text) return lastParsed;
  return (lastParsed = parseRule(text));
}

/**
 * The `@group` / `@licenses` directives, read by the core's own parser from the comment lines
 * alone: everything else is blanked (line breaks kept), so offsets stay those of the document
 * and no rule is parsed.
 */
export function directives(doc: Lexed): readonly Directive[] {
  if (doc.comments.length === 0) return [];
  if (lastParsed?.text === doc.text) return lastParsed.directives;
  if (lastDirectives?.text === doc.text) return lastDirectives.directives;
  let masked = '';
  let pos = 0;
  for (const c of doc.comments) {
    masked += doc.text.slice(pos, c.span.start).replace(/[^\r\n]/g, ' ') + c.text;
    pos = c.span.end;
  }
  masked += doc.text.slice(pos).replace(/[^\r\n]/g, ' ');
  const found = parseRule(masked).directives;
  lastDirectives = { text: doc.text, directives: found };
  return found;
}
