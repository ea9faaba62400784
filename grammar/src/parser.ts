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
import { CstParser, EOF, type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';
import * as l10n from './l10n';
import * as T from './tokens';

const describe = (t: IToken): string => (t.tokenType === EOF ? 'the end of the rule' : `'${t.image}'`);
const label = (t: TokenType): string => t.LABEL ?? t.name;

/**
 * Messages for the parser's errors, in English: `build.ts` assigns the stable codes from them,
 * then shows them through {@link localizeParserMessage}.
 */
const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    // Recovery inside the top-level repetition can "expect" the end of the rule: that is input
    // left over, reported like any other.
    if (expected === EOF) return `Unexpected ${describe(actual)}.`;
    return `Expected ${label(expected)} but found ${describe(actual)}.`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `Unexpected ${describe(firstRedundant)}.`;
  },
  buildNoViableAltMessage({ actual, ruleName }) {
    const found = describe(actual[0]!);
    switch (ruleName) {
      case 'value':
        return `Expected ${l10n.mark('a value (a quoted string, true, false, null, a number, a date, an array or system.now)')} but found ${found}.`;
      case 'operandExpr':
        return `Expected ${l10n.mark('an operator such as -eq, -any or -all')} but found ${found}.`;
      default:
        return `Expected ${l10n.mark('a condition such as user.department -eq "Sales"')} but found ${found}.`;
    }
  },
  buildEarlyExitMessage({ actual }) {
    return `Unexpected ${describe(actual[0]!)}.`;
  },
};

/**
 * A parser message in the installed language. Chevrotain keeps only the message text, and the
 * English text decides the issue code, so the provider above stays English and this renders the
 * same message again from its parts: the token found and what was expected (a token label or one
 * of the phrases above, marked for translation). A message it does not recognise stays English.
 */
export function localizeParserMessage(message: string, actual: IToken): string {
  const found = describe(actual);
  const shown = actual.tokenType === EOF ? l10n.t('the end of the rule') : found;
  if (message === `Unexpected ${found}.`) return l10n.t('Unexpected {0}.', shown);
  const head = 'Expected ';
  const tail = ` but found ${found}.`;
  if (!message.startsWith(head) || !message.endsWith(tail) || message.length < head.length + tail.length) return message;
  return l10n.t('Expected {0} but found {1}.', l10n.t(message.slice(head.length, message.length - tail.length)), shown);
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
