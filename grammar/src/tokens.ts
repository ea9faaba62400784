/**
 * Tokens of the rule language (docs/semantics.md, Lexical structure).
 *
 * Keywords and operators are case-insensitive and may be written with or without the leading
 * hyphen. The lexer also accepts typographic dashes (– — −) and curly quotes so that rules pasted
 * from documents still parse; the checks report those characters as errors with a fix.
 */
import { createToken, Lexer, type TokenType, type CustomPatternMatcherFunc } from 'chevrotain';
import type { OperatorName } from './catalogue';
import * as l10n from './l10n';

/** Characters accepted where a hyphen belongs; only `-` is valid. */
export const DASHES = '-\u2013\u2014\u2212';
/** Opening/closing characters accepted for double-quoted strings; only `"` is valid. */
export const DOUBLE_QUOTES = '"\u201C\u201D\u201E\u201F';
/** Opening/closing characters accepted for single-quoted strings; only `'` is valid. */
export const SINGLE_QUOTES = "'\u2018\u2019\u201A\u201B";

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED, line_breaks: true });

/** Non-breaking and other Unicode spaces: accepted, reported by a check. */
export const UnicodeSpace = createToken({
  name: 'UnicodeSpace',
  pattern: /[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000\uFEFF]+/,
  group: 'unicodeSpace',
});

/** `#` comment: only when `#` is the first non-blank character of its line (docs/semantics.md, Lexical structure: comments). */
const matchComment: CustomPatternMatcherFunc = (text, offset) => {
  if (text.charCodeAt(offset) !== 35 /* # */) return null;
  for (let i = offset - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) break;
    if (c !== 32 && c !== 9) return null;
  }
  let end = offset;
  while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
  const m = [text.slice(offset, end)] as unknown as RegExpExecArray;
  return m;
};
export const Comment = createToken({ name: 'Comment', pattern: { exec: matchComment }, start_chars_hint: ['#'], group: 'comments', line_breaks: false });

// Punctuation
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: "')'" });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: "'['" });
export const RBracket = createToken({ name: 'RBracket', pattern: /]/, label: "']'" });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });

// Categories
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: Lexer.NA, label: l10n.mark('a string') });
export const ComparisonOp = createToken({ name: 'ComparisonOp', pattern: Lexer.NA, label: l10n.mark('an operator such as -eq') });
export const QuantifierOp = createToken({ name: 'QuantifierOp', pattern: Lexer.NA, label: l10n.mark('-any or -all') });
export const DateOp = createToken({ name: 'DateOp', pattern: Lexer.NA, label: l10n.mark('-plus or -minus') });
export const Operand = createToken({ name: 'Operand', pattern: Lexer.NA, label: l10n.mark('a property such as user.department') });
export const Keyword = createToken({ name: 'Keyword', pattern: Lexer.NA });

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: l10n.mark('a word') });
/** A dash followed by letters that is not a known operator (`-gt`, `-like`, `–eq`...). */
export const DashWord = createToken({ name: 'DashWord', pattern: new RegExp(`[${DASHES}][A-Za-z]+`), categories: [ComparisonOp], label: l10n.mark('an operator') });

/**
 * Strings. Double quotes escape with a backtick; single quotes escape by doubling. A string ends
 * at the end of its line, so a missing quote does not swallow the lines after it.
 *
 * A string opened with a straight quote runs to the next straight quote, and curly quotes inside
 * it are text ('Women’s Health', "The “Best” Team") — unless one stands where a closing quote
 * would (before a bracket, a comma, an operator or the line end): then it is taken as the
 * delimiter, so that "Sales” -and ... is reported as a curly quote, not as a string running on.
 */
const curlyInside = (curly: string): string => `[${curly}](?![ \\t]*(?:[)\\],\\r\\n]|[${DASHES}]|$))`;
export const DoubleQuoted = createToken({
  name: 'DoubleQuoted',
  pattern: new RegExp(
    `"(?:[^${DOUBLE_QUOTES}\`\\r\\n]|\`[^\\r\\n]|${curlyInside(DOUBLE_QUOTES.slice(1))})*"` +
    `|[${DOUBLE_QUOTES}](?:[^${DOUBLE_QUOTES}\`\\r\\n]|\`[^\\r\\n])*[${DOUBLE_QUOTES}]`,
  ),
  categories: [StringLiteral],
  label: l10n.mark('a string'),
});
export const SingleQuoted = createToken({
  name: 'SingleQuoted',
  pattern: new RegExp(
    `'(?:[^${SINGLE_QUOTES}\\r\\n]|''|${curlyInside(SINGLE_QUOTES.slice(1))})*'` +
    `|[${SINGLE_QUOTES}](?:[^${SINGLE_QUOTES}\\r\\n]|'')*[${SINGLE_QUOTES}]`,
  ),
  categories: [StringLiteral],
  label: l10n.mark('a string'),
});
/** A string whose closing quote is missing: runs to the end of the line. */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: new RegExp(`(?:[${DOUBLE_QUOTES}](?:[^${DOUBLE_QUOTES}\`\\r\\n]|\`.)*|[${SINGLE_QUOTES}](?:[^${SINGLE_QUOTES}\\r\\n]|'')*)`),
  categories: [StringLiteral],
  label: l10n.mark('a string'),
});

/**
 * The docs' example of an escaped value, written without enclosing quotes:
 * user.department -eq `"Sales`" (docs/semantics.md, Lexical structure). Read as the text "Sales" with its quotes, as the page
 * does; the docs' own versions disagree on that, so a check warns and offers both explicit forms.
 */
export const BacktickQuoted = createToken({
  name: 'BacktickQuoted',
  pattern: /`"(?:[^`"\r\n]|`[^"\r\n])*`"/,
  categories: [StringLiteral],
  label: l10n.mark('a string'),
});

export const DateTimeLiteral = createToken({
  name: 'DateTimeLiteral',
  pattern: /\d{4}-\d{2}-\d{2}(?:[Tt]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?(?![\w.])/,
  label: l10n.mark('a date'),
});
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /-?\d+(?:\.\d+)?(?![A-Za-z_])/, label: l10n.mark('a number') });
export const Duration = createToken({
  name: 'Duration',
  pattern: /[Pp](?=\d|[Tt]\d)(?:\d+(?:[.,]\d+)?[YyMmWwDd])*(?:[Tt](?:\d+(?:[.,]\d+)?[HhMmSs])+)?/,
  longer_alt: Identifier,
  label: l10n.mark('a duration such as P30D'),
});

/** `system.now`; `system.nowhere` is a path. */
export const Path = createToken({
  name: 'Path',
  pattern: /[A-Za-z_$][\w$]*(?:\.[\w$]*)+/,
  categories: [Operand],
  label: l10n.mark('a property such as user.department'),
});
export const Now = createToken({ name: 'Now', pattern: /system\.now/i, longer_alt: Path, label: 'system.now' });
export const Underscore = createToken({ name: 'Underscore', pattern: /_/, longer_alt: Identifier, categories: [Operand], label: "'_'" });

export const True = createToken({ name: 'True', pattern: /true/i, longer_alt: Identifier, categories: [Keyword], label: 'true' });
export const False = createToken({ name: 'False', pattern: /false/i, longer_alt: Identifier, categories: [Keyword], label: 'false' });
export const Null = createToken({ name: 'Null', pattern: /\$?null/i, longer_alt: Identifier, categories: [Keyword], label: 'null' });
export const Direct = createToken({ name: 'Direct', pattern: /direct/i, longer_alt: Identifier, categories: [Keyword], label: 'Direct' });
export const Reports = createToken({ name: 'Reports', pattern: /reports/i, longer_alt: Identifier, categories: [Keyword], label: 'Reports' });
export const For = createToken({ name: 'For', pattern: /for/i, longer_alt: Identifier, categories: [Keyword], label: 'for' });

function operator(name: OperatorName, categories: TokenType[]): TokenType {
  return createToken({
    name: `Op_${name}`,
    pattern: new RegExp(`[${DASHES}]?${name}`, 'i'),
    longer_alt: [DashWord, Identifier],
    categories: [...categories, Keyword],
    label: `-${name}`,
  });
}

// Longer spellings first: the lexer takes the first pattern that matches, so `-notIn` must be
// tried before `-not` and `-in`.
export const NotStartsWith = operator('notStartsWith', [ComparisonOp]);
export const NotEndsWith = operator('notEndsWith', [ComparisonOp]);
export const NotContains = operator('notContains', [ComparisonOp]);
export const NotMatch = operator('notMatch', [ComparisonOp]);
export const NotIn = operator('notIn', [ComparisonOp]);
export const Not = operator('not', []);
export const StartsWith = operator('startsWith', [ComparisonOp]);
export const EndsWith = operator('endsWith', [ComparisonOp]);
export const Contains = operator('contains', [ComparisonOp]);
export const Match = operator('match', [ComparisonOp]);
export const Minus = operator('minus', [DateOp]);
export const In = operator('in', [ComparisonOp]);
export const Eq = operator('eq', [ComparisonOp]);
export const Ne = operator('ne', [ComparisonOp]);
export const Le = operator('le', [ComparisonOp]);
export const Ge = operator('ge', [ComparisonOp]);
export const And = operator('and', []);
export const Any = operator('any', [QuantifierOp]);
export const All = operator('all', [QuantifierOp]);
export const Or = operator('or', []);
export const Plus = operator('plus', [DateOp]);

/** Every token type, in lexing order. */
export const ALL_TOKENS: TokenType[] = [
  WhiteSpace, UnicodeSpace, Comment,
  LParen, RParen, LBracket, RBracket, Comma,
  DoubleQuoted, SingleQuoted, BacktickQuoted, UnterminatedString,
  DateTimeLiteral, NumberLiteral,
  Now, Path,
  NotStartsWith, NotEndsWith, NotContains, NotMatch, NotIn, Not,
  StartsWith, EndsWith, Contains, Match, Minus, In, Eq, Ne, Le, Ge, And, Any, All, Or, Plus,
  True, False, Null, Direct, Reports, For,
  Duration, Underscore,
  DashWord, Identifier,
  // categories
  StringLiteral, ComparisonOp, QuantifierOp, DateOp, Operand, Keyword,
];

export const ruleLexer = new Lexer(ALL_TOKENS, {
  positionTracking: 'onlyOffset',
  ensureOptimizations: false,
  skipValidations: true,
});
