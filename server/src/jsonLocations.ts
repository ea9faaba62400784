/**
 * Parses JSON and remembers where each value is, so that a rule test failure can point at its
 * case in the `.ruletests.json` file and a schema error can name its line.
 */
import { locateJsonError, type JsonErrorLocation } from './tenant/jsonError';

export type JsonPath = readonly (string | number)[];

export interface LocatedJson {
  readonly value: unknown;
  /** The offsets of the value at `path` (start inclusive, end exclusive), if it exists. */
  locate(path: JsonPath): { start: number; end: number } | undefined;
}

export type ParseJsonResult = { ok: true; json: LocatedJson } | { ok: false; error: JsonErrorLocation };

/** Parses `text`; on a syntax error returns its location instead of throwing. */
export function parseJsonWithLocations(text: string): ParseJsonResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: locateJsonError(text) ?? { offset: 0, line: 1, column: 1, message: 'invalid JSON' } };
  }
  const spans = new Map<string, { start: number; end: number }>();
  let i = 0;
  const ws = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const skipString = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const walk = (path: string): void => {
    ws();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      while (text[i] !== '}') {
        ws();
        const key = skipString();
        ws();
        i++; // ':'
        walk(`${path}/${encode(key)}`);
        ws();
        if (text[i] === ',') i++;
        ws();
      }
      i++;
    } else if (c === '[') {
      i++;
      ws();
      let k = 0;
      while (text[i] !== ']') {
        walk(`${path}/${k++}`);
        ws();
        if (text[i] === ',') i++;
        ws();
      }
      i++;
    } else if (c === '"') skipString();
    else {
      while (i < text.length && !/[\s,}\]]/.test(text[i]!)) i++;
    }
    spans.set(path, { start, end: i });
  };
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  walk('');
  return { ok: true, json: { value, locate: (p) => spans.get(p.map((x) => `/${encode(String(x))}`).join('')) } };
}

const encode = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');
