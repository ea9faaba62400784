/**
 * The lexer, table-driven: each row is a text and the tokens it must give (type and image).
 * Whitespace is skipped; comments and Unicode spaces go to their own groups.
 */
import assert from 'node:assert/strict';
import { ruleLexer } from '../../../grammar/src/tokens';

const lex = (text: string): string[] => ruleLexer.tokenize(text).tokens.map((t) => `${t.tokenType.name} ${t.image}`);

const ROWS: [string, string, string[]][] = [
  // Prefix clashes: the longer operator wins over -not and -in.
  ['-not vs -notIn', '-not -notIn', ['Op_not -not', 'Op_notIn -notIn']],
  ['-notContains', '-notContains', ['Op_notContains -notContains']],
  ['-notStartsWith', '-notStartsWith', ['Op_notStartsWith -notStartsWith']],
  ['-notEndsWith', '-notEndsWith', ['Op_notEndsWith -notEndsWith']],
  ['-notMatch', '-notMatch', ['Op_notMatch -notMatch']],
  ['-not followed by a group', '-not(', ['Op_not -not', 'LParen (']],
  ['-in vs -index-like words', '-in -inx', ['Op_in -in', 'DashWord -inx']],
  ['-notx is not -not', '-notx', ['DashWord -notx']],
  // Any case.
  ['upper case', '-EQ -NE -AND -OR -NOT', ['Op_eq -EQ', 'Op_ne -NE', 'Op_and -AND', 'Op_or -OR', 'Op_not -NOT']],
  ['mixed case', '-StartsWith -NotIn -endswith -CONTAINS -Match', ['Op_startsWith -StartsWith', 'Op_notIn -NotIn', 'Op_endsWith -endswith', 'Op_contains -CONTAINS', 'Op_match -Match']],
  // Without the hyphen.
  ['hyphen-less comparisons', 'eq ne in notin ge le', ['Op_eq eq', 'Op_ne ne', 'Op_in in', 'Op_notIn notin', 'Op_ge ge', 'Op_le le']],
  ['hyphen-less logic', 'and or not any all', ['Op_and and', 'Op_or or', 'Op_not not', 'Op_any any', 'Op_all all']],
  ['hyphen-less date arithmetic', 'plus minus', ['Op_plus plus', 'Op_minus minus']],
  // Keywords as prefixes of identifiers stay identifiers.
  ['android, index, order', 'android index order', ['Identifier android', 'Identifier index', 'Identifier order']],
  ['anyone, allow, notable, nullable', 'anyone allow notable nullable', ['Identifier anyone', 'Identifier allow', 'Identifier notable', 'Identifier nullable']],
  ['truest, falsehood, direction, fortune', 'truest falsehood direction fortune', ['Identifier truest', 'Identifier falsehood', 'Identifier direction', 'Identifier fortune']],
  ['equals is not -eq', 'equals', ['Identifier equals']],
  // _ vs identifiers.
  ['_ alone', '_', ['Underscore _']],
  ['_ inside identifiers', '_abc _1 a_b', ['Identifier _abc', 'Identifier _1', 'Identifier a_b']],
  ['_ before an operator', '_ -startsWith', ['Underscore _', 'Op_startsWith -startsWith']],
  ['_ directly before a parenthesis', '(_)', ['LParen (', 'Underscore _', 'RParen )']],
  // Durations.
  ['days', 'P30D p1d', ['Duration P30D', 'Duration p1d']],
  ['days and hours', 'P7DT12H', ['Duration P7DT12H']],
  ['time only', 'PT1H PT30M', ['Duration PT1H', 'Duration PT30M']],
  ['calendar units', 'P1Y2M P2W', ['Duration P1Y2M', 'Duration P2W']],
  ['P alone and Pxyz are words', 'P Pxyz', ['Identifier P', 'Identifier Pxyz']],
  // Dates.
  ['UTC date-time', '2020-06-10T18:13:20Z', ['DateTimeLiteral 2020-06-10T18:13:20Z']],
  ['date only', '2024-01-31', ['DateTimeLiteral 2024-01-31']],
  ['fraction and offset', '2020-06-10T18:13:20.123+02:00', ['DateTimeLiteral 2020-06-10T18:13:20.123+02:00']],
  ['date after an operator without space', '-ge2024-01-01', ['Op_ge -ge', 'DateTimeLiteral 2024-01-01']],
  ['numbers', '12 -5 3.14', ['NumberLiteral 12', 'NumberLiteral -5', 'NumberLiteral 3.14']],
  // Null.
  ['null and $null, any case', 'null $null NULL $Null', ['Null null', 'Null $null', 'Null NULL', 'Null $Null']],
  ['booleans, any case', 'true FALSE True', ['True true', 'False FALSE', 'True True']],
  // system.now vs paths.
  ['system.now', 'system.now SYSTEM.NOW', ['Now system.now', 'Now SYSTEM.NOW']],
  ['system.nowhere is a path', 'system.nowhere', ['Path system.nowhere']],
  ['system.now.x is a path', 'system.now.x', ['Path system.now.x']],
  ['system.now next to a parenthesis', '(system.now)', ['LParen (', 'Now system.now', 'RParen )']],
  ['paths', 'user.department device.deviceOSType assignedPlan.servicePlanId group.objectId', ['Path user.department', 'Path device.deviceOSType', 'Path assignedPlan.servicePlanId', 'Path group.objectId']],
  ['directory extension path', 'user.extension_9f8e7d6c5b4a39281706f5e4d3c2b1a0_costCenter', ['Path user.extension_9f8e7d6c5b4a39281706f5e4d3c2b1a0_costCenter']],
  ['a path directly before an operator', 'user.department-eq"Sales"', ['Path user.department', 'Op_eq -eq', 'DoubleQuoted "Sales"']],
  // Strings.
  ['backtick escape', '"a`"b"', ['DoubleQuoted "a`"b"']],
  ['doubled single quote', "'O''Brien'", ["SingleQuoted 'O''Brien'"]],
  ["the docs' `\"Sales`\" form", '`"Sales`"', ['BacktickQuoted `"Sales`"']],
  ['unterminated string stops at the line end', '"Sales\nuser.city', ['UnterminatedString "Sales', 'Path user.city']],
  ['backslash is a plain character', '"C:\\temp"', ['DoubleQuoted "C:\\temp"']],
  ['arrays', "['a', \"b\"]", ['LBracket [', "SingleQuoted 'a'", 'Comma ,', 'DoubleQuoted "b"', 'RBracket ]']],
  // Typographic characters are lexed (and reported by the checks).
  ['en dash, em dash, minus sign', '–eq —and −or', ['Op_eq –eq', 'Op_and —and', 'Op_or −or']],
  ['curly quotes', '“Sales” ‘x’', ['DoubleQuoted “Sales”', 'SingleQuoted ‘x’']],
  ['curly quotes inside straight quotes are text', '"The “Best” Team" \'Women’s Health\'', ['DoubleQuoted "The “Best” Team"', "SingleQuoted 'Women’s Health'"]],
  ['a curly quote where a closing quote belongs closes', '"Sales” -and "Oslo"', ['DoubleQuoted "Sales”', 'Op_and -and', 'DoubleQuoted "Oslo"']],
  ['a curly quote before a comma or bracket closes', '["Sales”, \'a’]', ['LBracket [', 'DoubleQuoted "Sales”', 'Comma ,', "SingleQuoted 'a’", 'RBracket ]']],
  ['operators that do not exist', '-gt -lt -like', ['DashWord -gt', 'DashWord -lt', 'DashWord -like']],
  ['Direct Reports for', 'Direct Reports for', ['Direct Direct', 'Reports Reports', 'For for']],
];

describe('lexer', () => {
  for (const [name, text, expected] of ROWS) {
    it(name, () => {
      const r = ruleLexer.tokenize(text);
      assert.deepEqual(r.errors, []);
      assert.deepEqual(lex(text), expected);
    });
  }

  it('puts # comments in their own group, only at the start of a line', () => {
    const r = ruleLexer.tokenize('# about\n  # indented\nuser.city -eq "#1"');
    assert.deepEqual(r.groups['comments']!.map((t) => t.image), ['# about', '# indented']);
    assert.deepEqual(r.tokens.map((t) => t.image), ['user.city', '-eq', '"#1"']);
  });

  it('reports characters it cannot read, with their offsets, and lexes on', () => {
    const r = ruleLexer.tokenize('user.city -eq "x" & user.state');
    assert.deepEqual(r.errors.map((e) => [e.offset, e.length]), [[18, 1]]);
    assert.deepEqual(r.tokens.map((t) => t.image), ['user.city', '-eq', '"x"', 'user.state']);
  });

  it('sets Unicode spaces aside so that the checks can report them', () => {
    const r = ruleLexer.tokenize('user.city\u00a0-eq "x"');
    assert.deepEqual(r.groups['unicodeSpace']!.map((t) => t.startOffset), [9]);
    assert.deepEqual(r.tokens.map((t) => t.image), ['user.city', '-eq', '"x"']);
  });

  it('gives every token its exact offset', () => {
    const text = 'user.department -eq "Sales" -and user.accountEnabled -eq true';
    for (const t of ruleLexer.tokenize(text).tokens) assert.equal(text.slice(t.startOffset, t.startOffset + t.image.length), t.image);
    assert.deepEqual(ruleLexer.tokenize(text).tokens.map((t) => t.startOffset), [0, 16, 20, 28, 33, 53, 57]);
  });
});
