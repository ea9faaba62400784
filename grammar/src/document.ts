/**
 * A `.dynrule` document as a value: its text and what the services read from it — tokens,
 * comment lines, directives, the parse that the checks take — each computed on first use and
 * kept with the document. Every service takes a document, so two features asked about one
 * version lex and parse it once, and two documents never share anything. Most services need
 * only the tokens, which cost a tenth of a parse; the parse reuses them.
 */
import type { IToken } from 'chevrotain';
import type { CommentLine, Directive } from './ast';
import { lexRule, parseLexed, readDirectives, type DirectivesRead, type Lexed, type ParsedRule } from './parse';

export interface RuleDocument {
  /** The whole document text. */
  readonly text: string;
  /** The rule's tokens: comments, spaces and characters the lexer rejected left out. */
  readonly tokens: readonly IToken[];
  /** The `#` comment lines. */
  readonly comments: readonly CommentLine[];
  /** The `@group` / `@licenses` directives, read from the comment lines without parsing the rule. */
  readonly directives: readonly Directive[];
  /** The parse (tree, syntax issues): what `checkRule` and the evaluators take. */
  readonly parsed: ParsedRule;
}

class Document implements RuleDocument {
  private lexedOnce: Lexed | undefined;
  private directivesOnce: DirectivesRead | undefined;
  private parsedOnce: ParsedRule | undefined;

  constructor(readonly text: string) {}

  private get lexed(): Lexed {
    return (this.lexedOnce ??= lexRule(this.text));
  }

  private get read(): DirectivesRead {
    return (this.directivesOnce ??= readDirectives(this.comments));
  }

  get tokens(): readonly IToken[] {
    return this.lexed.tokens;
  }

  get comments(): readonly CommentLine[] {
    return this.lexed.comments;
  }

  get directives(): readonly Directive[] {
    return this.read.directives;
  }

  get parsed(): ParsedRule {
    return (this.parsedOnce ??= parseLexed(this.lexed, this.read));
  }
}

/** A document for `text`. Nothing is lexed or parsed until a service asks. */
export function createRuleDocument(text: string): RuleDocument {
  return new Document(text);
}
