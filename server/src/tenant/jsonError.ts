/**
 * Node's JSON.parse says what is wrong but not where. When it fails, this scanner walks the text
 * to find the offset of the first error and describes it, so a broken export is reported as
 * `users.json:1203:17: expected ',' or '}'`.
 */
import { printable } from '../printable';

export interface JsonErrorLocation {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lastBreak = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) { line++; lastBreak = i; }
  }
  return { line, column: offset - lastBreak };
}

export { printable } from '../printable';

class Fail extends Error {
  constructor(readonly offset: number, message: string) { super(message); }
}

/**
 * Finds the first syntax error in `text`, or undefined if it is valid JSON. `unit` is what the
 * text is: a whole file, or one line of a JSON Lines file (whose end is not the file's).
 */
export function locateJsonError(text: string, unit: 'file' | 'line' = 'file'): JsonErrorLocation | undefined {
  let i = 0;
  const n = text.length;
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const describe = (): string => (i >= n ? (unit === 'file' ? 'the end of the file (is it truncated?)' : 'the end of the line (is the object cut short?)') : `'${printable(String.fromCodePoint(text.codePointAt(i)!))}'`);
  const expect = (what: string): never => { throw new Fail(i, `expected ${what} but found ${describe()}`); };

  const value = (depth: number): void => {
    if (depth > 10_000) throw new Fail(i, 'nesting is too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++; ws();
      if (text[i] === '}') { i++; return; }
      for (;;) {
        ws();
        if (text[i] !== '"') expect('a property name in double quotes');
        string();
        ws();
        if (text[i] !== ':') expect("':'");
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return; }
        expect("',' or '}'");
      }
    }
    if (c === '[') {
      i++; ws();
      if (text[i] === ']') { i++; return; }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return; }
        expect("',' or ']'");
      }
    }
    if (c === '"') { string(); return; }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) { number(); return; }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) { i += word.length; return; }
    }
    expect('a value');
  };

  const string = (): void => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) { i++; return; }
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Fail(i, 'invalid \\u escape');
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) throw new Fail(i, 'invalid escape in a string');
        i += 2;
        continue;
      }
      if (c < 32) throw new Fail(i, 'a control character (such as a line break) inside a string');
      i++;
    }
    throw new Fail(i, unit === 'file' ? 'a string is not closed: the file ends inside it (is it truncated?)' : 'a string is not closed: the line ends inside it');
  };

  const number = (): void => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) expect('a number');
    i += m![0].length;
  };

  try {
    ws();
    if (i < n && text.charCodeAt(i) === 0xfeff) { i++; ws(); }
    value(0);
    ws();
    if (i < n) throw new Fail(i, `unexpected ${describe()} after the end of the JSON value`);
    return undefined;
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    const { line, column } = lineColumn(text, e.offset);
    return { offset: e.offset, line, column, message: e.message };
  }
}
