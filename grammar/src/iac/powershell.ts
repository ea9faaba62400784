/**
 * Microsoft365DSC (PowerShell DSC): `AADGroup '<name>' { DisplayName = "…" MembershipRule = "…" }`.
 * Double-quoted strings take backtick escapes (`` `" `` `` `` `` `` `$ `` `` `n ``…) and a doubled
 * quote, and expand `$name`, `${name}` and `$(…)` (the rule is then not what Entra receives);
 * single-quoted strings take only a doubled `'`. Here-strings `@"…"@` (escapes and expansion, no
 * doubling) and `@'…'@` (nothing) run from the line after the opener to the line before the closer.
 * PowerShell also closes strings on typographic quotes, so they count as quotes here too.
 */
import { issue, type Issue } from '../issues';
import * as l10n from '../l10n';
import { blockEnd, decodedString, DecodedText, embedded, plain, unclosedQuote, valueOf, wordOrPunct, type EmbeddedRule, type HostToken } from './types';

const DOUBLE = '"\u201C\u201D\u201E';
const SINGLE = "'\u2018\u2019\u201A\u201B";
/** Whether `c` is one of `set` (a single character: `''.includes` would say yes to the end of the text). */
const oneOf = (set: string, c: string | undefined): boolean => c !== undefined && c.length === 1 && set.includes(c);
/** A character of a bare word: a cmdlet, parameter, variable or resource name (`AADGroup`, `$Credential`, `-Ensure`). */
const isBareWordChar = (c: string): boolean => /[A-Za-z0-9_\-.$:]/.test(c);
const BACKTICK: Record<string, string> = { '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** The end of a `$…` expansion starting at `i`, or undefined when `$` there is a plain character. */
function expansionEnd(text: string, i: number): number | undefined {
  const next = text[i + 1];
  if (next === undefined) return undefined;
  if (next === '(') {
    let depth = 0;
    for (let k = i + 1; k < text.length; k++) {
      if (text[k] === '(') depth++;
      else if (text[k] === ')' && --depth === 0) return k + 1;
    }
    return text.length;
  }
  if (next === '{') {
    const close = text.indexOf('}', i + 2);
    return close < 0 ? text.length : close + 1;
  }
  if (/[A-Za-z0-9_?^$:]/.test(next)) {
    let k = i + 2;
    while (k < text.length && /[A-Za-z0-9_:]/.test(text[k]!)) k++;
    return k;
  }
  return undefined;
}

function expansionProblem(text: string, start: number, end: number): Issue {
  return issue('iac/template-in-rule', 'warning', l10n.t('PowerShell expands {0} in a double-quoted string, so Entra would not receive this text; it is not checked. Write `$ for a literal $, or use single quotes.', text.slice(start, Math.min(end, start + 40))), { start, end });
}

/** Decodes double-quoted content from `i` until `stop(i)` says the string ends; returns where it stopped. */
function decodeExpandable(text: string, i: number, d: DecodedText, problems: Issue[], stop: (i: number) => boolean, doubling: boolean): number {
  while (i < text.length && !stop(i)) {
    const c = text[i]!;
    if (c === '`') {
      const e = text[i + 1];
      if (e === undefined) {
        d.push('`', i, i + 1);
        i++;
        continue;
      }
      const u = e === 'u' ? /^`u\{([0-9A-Fa-f]{1,6})\}/.exec(text.slice(i, i + 10)) : null;
      if (u && parseInt(u[1]!, 16) <= 0x10ffff) {
        d.push(String.fromCodePoint(parseInt(u[1]!, 16)), i, i + u[0].length);
        i += u[0].length;
        continue;
      }
      d.push(BACKTICK[e] ?? e, i, i + 2);
      i += 2;
      continue;
    }
    if (doubling && oneOf(DOUBLE, c) && oneOf(DOUBLE, text[i + 1])) {
      d.push(text[i + 1]!, i, i + 2);
      i += 2;
      continue;
    }
    if (c === '$') {
      const end = expansionEnd(text, i);
      if (end !== undefined) {
        problems.push(expansionProblem(text, i, end));
        for (let k = i; k < end; k++) d.push(text[k]!, k, k + 1);
        i = end;
        continue;
      }
    }
    d.push(c, i, i + 1);
    i++;
  }
  return i;
}

function scanDouble(text: string, open: number): { token: HostToken; end: number } {
  const d = new DecodedText();
  const problems: Issue[] = [];
  const contentStart = open + 1;
  const i = decodeExpandable(text, contentStart, d, problems, (k) => oneOf(DOUBLE, text[k]) && !oneOf(DOUBLE, text[k + 1]), true);
  const closed = i < text.length;
  if (!closed) problems.push(unclosedQuote(open, i));
  return { token: { kind: 'string', start: open, end: closed ? i + 1 : i, value: decodedString('powershell-double', d, contentStart, i, problems) }, end: closed ? i + 1 : i };
}

function scanSingle(text: string, open: number): { token: HostToken; end: number } {
  const d = new DecodedText();
  let i = open + 1;
  const contentStart = i;
  while (i < text.length) {
    const c = text[i]!;
    if (oneOf(SINGLE, c)) {
      if (oneOf(SINGLE, text[i + 1])) {
        d.push(text[i + 1]!, i, i + 2);
        i += 2;
        continue;
      }
      break;
    }
    d.push(c, i, i + 1);
    i++;
  }
  const closed = i < text.length;
  const problems = closed ? [] : [unclosedQuote(open, i)];
  return { token: { kind: 'string', start: open, end: closed ? i + 1 : i, value: decodedString('powershell-single', d, contentStart, i, problems) }, end: closed ? i + 1 : i };
}

/** `@"` or `@'` at `open` followed by a line break, or undefined. */
function scanHere(text: string, open: number): { token: HostToken; end: number } | undefined {
  const m = /^@(["'\u201C\u201D\u201E\u2018\u2019\u201A\u201B])[ \t]*\r?\n/.exec(text.slice(open, open + 200));
  if (!m) return undefined;
  const expandable = oneOf(DOUBLE, m[1]);
  const quotes = expandable ? DOUBLE : SINGLE;
  const contentStart = open + m[0].length;
  // The closer: a line that starts with the quote and @.
  let close = -1;
  for (let p = contentStart; p <= text.length;) {
    if (oneOf(quotes, text[p]) && text[p + 1] === '@') {
      close = p;
      break;
    }
    const nl = text.indexOf('\n', p);
    if (nl < 0) break;
    p = nl + 1;
  }
  const problems: Issue[] = [];
  let contentEnd: number;
  if (close < 0) {
    problems.push(issue('iac/unterminated-string', 'error', l10n.t('This here-string has no closing line that starts with {0}@.', m[1]!), { start: open, end: open + 2 }));
    contentEnd = text.length;
  } else {
    // The line break before the closer is not part of the value.
    contentEnd = close === contentStart ? close : close - (text[close - 2] === '\r' ? 2 : 1);
  }
  const d = new DecodedText();
  if (expandable) decodeExpandable(text, contentStart, d, problems, (k) => k >= contentEnd, false);
  else for (let k = contentStart; k < contentEnd; k++) d.push(text[k]!, k, k + 1);
  const end = close < 0 ? text.length : close + 2;
  return { token: { kind: 'string', start: open, end, value: decodedString(expandable ? 'powershell-here-double' : 'powershell-here-single', d, contentStart, Math.max(contentStart, contentEnd), problems) }, end };
}

export function powershellTokens(text: string): HostToken[] {
  const out: HostToken[] = [];
  let here: ReturnType<typeof scanHere>;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c) || c === '\uFEFF') {
      i++;
    } else if (c === '<' && text[i + 1] === '#') {
      const close = text.indexOf('#>', i + 2);
      i = close < 0 ? text.length : close + 2;
    } else if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (c === '@' && oneOf(DOUBLE + SINGLE, text[i + 1]) && (here = scanHere(text, i))) {
      out.push(here.token);
      i = Math.max(here.end, i + 1);
    } else if (oneOf(DOUBLE + SINGLE, c)) {
      const s = oneOf(DOUBLE, c) ? scanDouble(text, i) : scanSingle(text, i);
      out.push(s.token);
      i = Math.max(s.end, i + 1);
    } else {
      i = wordOrPunct(text, i, isBareWordChar, out);
    }
  }
  return out;
}

export function extractPowerShell(text: string): EmbeddedRule[] {
  const tokens = powershellTokens(text);
  const out: EmbeddedRule[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== 'word' || t.text.toLowerCase() !== 'aadgroup') continue;
    const name = tokens[k + 1];
    const open = tokens[k + 2];
    if (!name || name.kind === 'punct' || open?.kind !== 'punct' || open.text !== '{') continue;
    const end = blockEnd(tokens, k + 2);
    const rule = valueOf(tokens, k + 3, end - 1, 'MembershipRule', '=', true);
    if (rule?.kind === 'string') out.push(embedded('powershell', rule.value, plain(valueOf(tokens, k + 3, end - 1, 'DisplayName', '=', true))));
    k = end - 1;
  }
  return out;
}
