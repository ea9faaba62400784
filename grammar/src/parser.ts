/**
 * The Chevrotain grammar (docs/semantics.md, Grammar and precedence: precedence and quantifier scope):
 *
 *   rule          ::= orExpr { ")" [ [AND | OR] orExpr ] }   (* a stray ')' is reported; parsing goes on *)
 *   directReports ::= "Direct" "Reports" "for" STRING   (* must be the whole rule: a check says so *)
 *   orExpr        ::= andExpr { OR andExpr }
 *   andExpr       ::= notExpr { AND notExpr }   (* a missing AND is parsed and reported *)
 *   notExpr       ::= NOT notExpr | atom
 *   atom          ::= "(" orExpr ")" | directReports | operandExpr
 *   operandExpr   ::= OPERAND ( (ANY | ALL) predicate | CMP value )
 *   predicate     ::= "(" orExpr ")" | operandExpr      (* a single comparison when unparenthesised *)
 *   value         ::= STRING | NUMBER | true | false | null | DATETIME | array | now | "(" now ")"
 *   now           ::= system.now { (PLUS | MINUS) DURATION }
 *
 * One parser instance is reused; error recovery is on, so every input gives a (partial) CST.
 * The CST is turned into the AST by `build.ts`.
 */
import { CstParser, EOF, type IParserErrorMessageProvider, type IRecognitionException, type TokenType } from 'chevrotain';
import type { IssueCode } from './codes';
import * as l10n from './l10n';
import * as T from './tokens';

const label = (t: TokenType): string => t.LABEL ?? t.name;

/**
 * A parser error as the message provider below records it: its stable code, and what was
 * expected (a token's label or a phrase marked for translation) — none for an unexpected token.
 * Chevrotain keeps only an error's message text, so the provider writes this record there and
 * `build.ts` reads it back with {@link parserError}, then words the message in the installed
 * language from it and the token found.
 */
export interface ParserError {
  readonly code: IssueCode;
  readonly expected?: string;
}

/** The code of a closing token the parser expected and did not find. */
const UNCLOSED: ReadonlyMap<TokenType, IssueCode> = new Map([[T.RParen, 'syntax/unclosed-paren'], [T.RBracket, 'syntax/unclosed-bracket']]);

const A_CONDITION = l10n.mark('a condition such as user.department -eq "Sales"');
const CONDITION: ParserError = { code: 'syntax/expected-condition', expected: A_CONDITION };

/** What a rule expected when none of its alternatives fits, by rule; any other rule expects a condition. */
const NO_VIABLE: Readonly<Record<string, ParserError>> = {
  value: { code: 'syntax/missing-value', expected: l10n.mark('a value (a quoted string, true, false, null, a number, a date, an array or system.now)') },
  arrayItem: { code: 'syntax/missing-value', expected: A_CONDITION },
  operandExpr: { code: 'syntax/missing-operator', expected: l10n.mark('an operator such as -eq, -any or -all') },
};

const UNEXPECTED: ParserError = { code: 'syntax/unexpected-token' };
const record = (e: ParserError): string => JSON.stringify(e);

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected }) {
    // Recovery inside the top-level repetition can "expect" the end of the rule: that is input
    // left over, reported like any other.
    if (expected === EOF) return record(UNEXPECTED);
    return record({ code: UNCLOSED.get(expected) ?? 'syntax/expected-token', expected: label(expected) });
  },
  buildNotAllInputParsedMessage() {
    return record(UNEXPECTED);
  },
  buildNoViableAltMessage({ ruleName }) {
    return record(NO_VIABLE[ruleName] ?? CONDITION);
  },
  buildEarlyExitMessage() {
    return record(UNEXPECTED);
  },
};

/** The record of a parser error (see {@link ParserError}). */
export function parserError(e: IRecognitionException): ParserError {
  return JSON.parse(e.message) as ParserError;
}

export class RuleParser extends CstParser {
  constructor() {
    super(T.ALL_TOKENS, { recoveryEnabled: true, maxLookahead: 2, errorMessageProvider: messages, skipValidations: true });
    this.performSelfAnalysis();
  }

  public rule = this.RULE('rule', () => {
    this.SUBRULE(this.orExpr);
    // A stray ')' most likely closes a group whose '(' is missing. Parse on after it, so that the
    // rest of the rule is still checked instead of being dropped as unparsed input.
    this.MANY(() => {
      this.CONSUME(T.RParen);
      this.OPTION(() => {
        this.OPTION2(() => this.OR([
          { ALT: () => this.CONSUME(T.And) },
          { ALT: () => this.CONSUME(T.Or) },
        ]));
        this.SUBRULE2(this.orExpr);
      });
    });
  });

  private directReports = this.RULE('directReports', () => {
    this.CONSUME(T.Direct);
    this.CONSUME(T.Reports);
    this.CONSUME(T.For);
    this.SUBRULE(this.value);
  });

  private orExpr = this.RULE('orExpr', () => {
    this.SUBRULE(this.andExpr);
    this.MANY(() => {
      this.CONSUME(T.Or);
      this.SUBRULE2(this.andExpr);
    });
  });

  private andExpr = this.RULE('andExpr', () => {
    this.SUBRULE(this.notExpr);
    // The connective is optional here so that `(a) (b)` parses on and is reported as a missing
    // -and/-or, with every condition after it still checked.
    this.MANY(() => {
      this.OPTION(() => this.CONSUME(T.And));
      this.SUBRULE2(this.notExpr);
    });
  });

  private notExpr = this.RULE('notExpr', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Not);
          this.SUBRULE(this.notExpr);
        },
      },
      { ALT: () => this.SUBRULE(this.atom) },
    ]);
  });

  private atom = this.RULE('atom', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.parenExpr) },
      { ALT: () => this.SUBRULE(this.directReports) },
      { ALT: () => this.SUBRULE(this.operandExpr) },
    ]);
  });

  private parenExpr = this.RULE('parenExpr', () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.orExpr);
    this.CONSUME(T.RParen);
  });

  private operandExpr = this.RULE('operandExpr', () => {
    this.CONSUME(T.Operand);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.QuantifierOp);
          this.SUBRULE(this.predicate);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.ComparisonOp);
          this.SUBRULE(this.value);
        },
      },
    ]);
  });

  private predicate = this.RULE('predicate', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.parenExpr) },
      { ALT: () => this.SUBRULE(this.operandExpr) },
    ]);
  });

  private value = this.RULE('value', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.CONSUME(T.Null) },
      { ALT: () => this.CONSUME(T.DateTimeLiteral) },
      { ALT: () => this.SUBRULE(this.array) },
      { ALT: () => this.SUBRULE(this.now) },
      { ALT: () => this.SUBRULE(this.parenNow) },
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.CONSUME(T.Duration) },
      { ALT: () => this.CONSUME(T.Path) },
    ]);
  });

  private parenNow = this.RULE('parenNow', () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.now);
    this.CONSUME(T.RParen);
  });

  private now = this.RULE('now', () => {
    this.CONSUME(T.Now);
    this.MANY(() => {
      this.CONSUME(T.DateOp);
      this.OPTION(() => this.CONSUME(T.Duration));
    });
  });

  private array = this.RULE('array', () => {
    this.CONSUME(T.LBracket);
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => this.SUBRULE(this.arrayItem),
    });
    this.CONSUME(T.RBracket);
  });

  private arrayItem = this.RULE('arrayItem', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.CONSUME(T.Null) },
      { ALT: () => this.CONSUME(T.DateTimeLiteral) },
      { ALT: () => this.CONSUME(T.Identifier) },
    ]);
  });
}

/** The one parser instance; Chevrotain parsers are meant to be reused. */
export const ruleParser = new RuleParser();
