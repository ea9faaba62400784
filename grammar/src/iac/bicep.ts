/**
 * Bicep: `resource <name> 'Microsoft.Graph/groups@<version>' = { displayName: '…' membershipRule:
 * '…' }`. Single-quoted strings take `\' \\ \n \r \t \$ \u{hex}`; `${…}` interpolates (the rule is
 * then not a constant). Multi-line strings `'''…'''` take no escapes and no interpolation; a line
 * break right after the opening quotes is not part of the value.
 */
import { issue, type Issue } from '../issues';
import * as l10n from '../l10n';
import { blockEnd, decodedString, DecodedText, embedded, plain, quotedToken, valueOf, wordOrPunct, type EmbeddedRule, type HostToken } from './types';

const isWordChar = (c: string): boolean => /[A-Za-z0-9_]/.test(c);

function skipInterpolation(text: string, i: number): number {
  let depth = 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'") {
      i = scanString(text, i).end;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
    else if (c === '\n') return i;
    i++;
  }
  return i;
}

function scanMultiline(text: string, open: number): { token: HostToken; end: number } {
  let i = open + 3;
  if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
  else if (text[i] === '\n') i += 1;
  const contentStart = i;
  const close = text.indexOf("'''", i);
  const contentEnd = close < 0 ? text.length : close;
  const d = new DecodedText();
  for (let k = contentStart; k < contentEnd; k++) d.push(text[k]!, k, k + 1);
  const problems: Issue[] = close < 0 ? [issue('iac/unterminated-string', 'error', l10n.t("This multi-line string has no closing '''."), { start: open, end: open + 3 })] : [];
  const end = close < 0 ? text.length : close + 3;
  return { token: { kind: 'string', start: open, end, value: decodedString('bicep-multiline', d, contentStart, contentEnd, problems) }, end };
}

function scanString(text: string, open: number): { token: HostToken; end: number } {
  if (text.startsWith("'''", open)) return scanMultiline(text, open);
  const d = new DecodedText();
  const problems: Issue[] = [];
  let i = open + 1;
  const contentStart = i;
  let closed = false;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'") {
      closed = true;
      break;
    }
    if (c === '\n' || c === '\r') break;
    if (c === '\\') {
      const e = text[i + 1];
      const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', "'": "'", '\\': '\\', $: '$' };
      if (e !== undefined && simple[e] !== undefined) {
        d.push(simple[e]!, i, i + 2);
        i += 2;
        continue;
      }
      const u = e === 'u' ? /^\\u\{([0-9A-Fa-f]{1,6})\}/.exec(text.slice(i, i + 10)) : null;
      if (u && parseInt(u[1]!, 16) <= 0x10ffff) {
        d.push(String.fromCodePoint(parseInt(u[1]!, 16)), i, i + u[0].length);
        i += u[0].length;
        continue;
      }
      problems.push(issue('iac/invalid-escape', 'error', l10n.t('Bicep does not accept the escape {0}; it knows \\\' \\\\ \\n \\r \\t \\$ and \\u{…}.', text.slice(i, i + 2)), { start: i, end: Math.min(text.length, i + 2) }));
      d.push(e ?? '\\', i, Math.min(text.length, i + 2));
      i += 2;
      continue;
    }
    if (c === '$' && text[i + 1] === '{') {
      const end = skipInterpolation(text, i + 2);
      problems.push(issue('iac/template-in-rule', 'warning', l10n.t('This rule interpolates ${…}, so its text is known only when Bicep runs; it is not checked. Write \\${ for a literal ${.'), { start: i, end }));
      for (let k = i; k < end; k++) d.push(text[k]!, k, k + 1);
      i = end;
      continue;
    }
    d.push(c, i, i + 1);
    i++;
  }
  return quotedToken('bicep-quoted', text, open, i, closed, d, contentStart, problems);
}

export function bicepTokens(text: string): HostToken[] {
  const out: HostToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c) || c === '\uFEFF') {
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
    } else if (c === "'") {
      const s = scanString(text, i);
      out.push(s.token);
      i = Math.max(s.end, i + 1);
    } else {
      i = wordOrPunct(text, i, isWordChar, out);
    }
  }
  return out;
}

export function extractBicep(text: string): EmbeddedRule[] {
  const tokens = bicepTokens(text);
  const out: EmbeddedRule[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    const type = tokens[k + 2];
    if (t.kind !== 'word' || t.text !== 'resource' || tokens[k + 1]?.kind !== 'word' || type?.kind !== 'string') continue;
    if (!/^microsoft\.graph\/groups@/i.test(type.value.text)) continue;
    // The body: the first `{` after the type (past `existing`, `= if (…)`, `= [for …:`).
    let open = k + 3;
    const at = (n: number): string | undefined => { const o = tokens[n]; return o && o.kind !== 'string' ? o.text : undefined; };
    while (open < tokens.length && at(open) !== '{' && at(open) !== 'resource') open++;
    if (at(open) !== '{') continue;
    const end = blockEnd(tokens, open);
    const rule = valueOf(tokens, open + 1, end - 1, 'membershipRule', ':');
    if (rule?.kind === 'string') out.push(embedded('bicep', rule.value, plain(valueOf(tokens, open + 1, end - 1, 'displayName', ':'))));
    k = end - 1;
  }
  return out;
}
