/**
 * Terraform (HCL): `resource "azuread_group" "<name>" { display_name = "…" dynamic_membership {
 * enabled = true  rule = "…" } }`. Quoted strings take `\n \r \t \" \\ \uNNNN \UNNNNNNNN`;
 * `${…}` and `%{…}` are template sequences (the rule is then not a constant) and `$${`, `%%{`
 * stand for `${`, `%{`. Heredocs (`<<EOT`, `<<-EOT` with its indentation removed) take no
 * backslash escapes but the same template sequences.
 */
import { issue, type Issue } from '../issues';
import * as l10n from '../l10n';
import { blockEnd, decodedString, DecodedText, embedded, plain, quotedToken, valueOf, wordOrPunct, type EmbeddedRule, type HostToken } from './types';

const isWordChar = (c: string): boolean => /[A-Za-z0-9_\-.]/.test(c);
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\uFEFF';

function templateProblem(start: number, end: number): Issue {
  return issue('iac/template-in-rule', 'warning', l10n.t('This rule contains a template sequence, so its text is known only when Terraform runs; it is not checked. Write $${ or %%{ for a literal ${ or %{.'), { start, end });
}

/** The end of a `${…}` / `%{…}` sequence that starts at `i` (after the two opening characters), nested strings included. */
function skipTemplate(text: string, i: number): number {
  let depth = 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      i = scanQuoted(text, i).end;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
    else if (c === '\n') return i; // an unclosed sequence ends with its line
    i++;
  }
  return i;
}

function scanQuoted(text: string, open: number): { token: HostToken; end: number } {
  const d = new DecodedText();
  const problems: Issue[] = [];
  let i = open + 1;
  const contentStart = i;
  let closed = false;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      closed = true;
      break;
    }
    if (c === '\n') break;
    if (c === '\\') {
      const e = text[i + 1];
      const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
      if (e !== undefined && simple[e] !== undefined) {
        d.push(simple[e]!, i, i + 2);
        i += 2;
        continue;
      }
      const hex = e === 'u' ? 4 : e === 'U' ? 8 : 0;
      const digits = hex ? text.slice(i + 2, i + 2 + hex) : '';
      if (hex && /^[0-9A-Fa-f]+$/.test(digits) && digits.length === hex && parseInt(digits, 16) <= 0x10ffff) {
        d.push(String.fromCodePoint(parseInt(digits, 16)), i, i + 2 + hex);
        i += 2 + hex;
        continue;
      }
      problems.push(issue('iac/invalid-escape', 'error', l10n.t('Terraform does not accept the escape {0} in a quoted string.', text.slice(i, i + 2)), { start: i, end: Math.min(text.length, i + 2) }));
      d.push(e ?? '\\', i, Math.min(text.length, i + 2));
      i += 2;
      continue;
    }
    if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') {
      d.push(c, i, i + 2);
      d.push('{', i + 2, i + 3);
      i += 3;
      continue;
    }
    if ((c === '$' || c === '%') && text[i + 1] === '{') {
      const end = skipTemplate(text, i + 2);
      problems.push(templateProblem(i, end));
      for (let k = i; k < end; k++) d.push(text[k]!, k, k + 1);
      i = end;
      continue;
    }
    d.push(c, i, i + 1);
    i++;
  }
  return quotedToken('hcl-quoted', text, open, i, closed, d, contentStart, problems);
}

/** `<<EOT` / `<<-EOT` at `open`, or undefined when the text there is not a heredoc opener. */
function scanHeredoc(text: string, open: number): { token: HostToken; end: number } | undefined {
  const m = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)\r?\n/.exec(text.slice(open, open + 200));
  if (!m) return undefined;
  const indented = m[1] === '-';
  const marker = m[2]!;
  const contentStart = open + m[0].length;
  // The lines up to the closing marker.
  const lines: { start: number; end: number }[] = [];
  let p = contentStart;
  let closeEnd = -1;
  while (p < text.length) {
    let nl = text.indexOf('\n', p);
    if (nl < 0) nl = text.length;
    const line = text.slice(p, nl).replace(/\r$/, '');
    if (line.trim() === marker) {
      closeEnd = p + line.length;
      break;
    }
    lines.push({ start: p, end: Math.min(nl + 1, text.length) });
    p = nl + 1;
  }
  const problems: Issue[] = [];
  const contentEnd = lines.length ? lines[lines.length - 1]!.end : contentStart;
  if (closeEnd < 0) problems.push(issue('iac/unterminated-string', 'error', l10n.t('This heredoc has no closing {0} line.', marker), { start: open, end: open + m[0].length - 1 }));
  let strip = 0;
  if (indented) {
    const widths = lines
      .map((l) => text.slice(l.start, l.end).replace(/\r?\n$/, ''))
      .filter((s) => s.trim() !== '')
      .map((s) => /^[ \t]*/.exec(s)![0].length);
    strip = widths.length ? Math.min(...widths) : 0;
  }
  const d = new DecodedText();
  for (const l of lines) {
    let i = l.start;
    let skipped = 0;
    while (skipped < strip && i < l.end && (text[i] === ' ' || text[i] === '\t')) {
      i++;
      skipped++;
    }
    while (i < l.end) {
      const c = text[i]!;
      if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') {
        d.push(c, i, i + 2);
        d.push('{', i + 2, i + 3);
        i += 3;
        continue;
      }
      if ((c === '$' || c === '%') && text[i + 1] === '{') {
        const end = Math.min(skipTemplate(text, i + 2), l.end);
        problems.push(templateProblem(i, end));
        for (let k = i; k < end; k++) d.push(text[k]!, k, k + 1);
        i = end;
        continue;
      }
      d.push(c, i, i + 1);
      i++;
    }
  }
  const end = closeEnd < 0 ? text.length : closeEnd;
  return { token: { kind: 'string', start: open, end, value: decodedString('hcl-heredoc', d, contentStart, contentEnd, problems) }, end };
}

/** The tokens of an HCL file: words, punctuation and decoded strings; comments are dropped. */
export function hclTokens(text: string): HostToken[] {
  const out: HostToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (isSpace(c)) {
      i++;
    } else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
    } else if (c === '"') {
      const s = scanQuoted(text, i);
      out.push(s.token);
      i = Math.max(s.end, i + 1);
    } else if (c === '<' && text[i + 1] === '<') {
      const h = scanHeredoc(text, i);
      if (h) {
        out.push(h.token);
        i = Math.max(h.end, i + 1);
      } else {
        out.push({ kind: 'punct', text: '<<', start: i, end: i + 2 });
        i += 2;
      }
    } else {
      i = wordOrPunct(text, i, isWordChar, out);
    }
  }
  return out;
}

const isWord = (t: HostToken | undefined, w: string): boolean => t?.kind === 'word' && t.text === w;
const isPunct = (t: HostToken | undefined, p: string): boolean => t?.kind === 'punct' && t.text === p;

/** The index of `name {` at depth 0 of tokens[from, to), pointing at the `{`. */
function nestedBlock(tokens: readonly HostToken[], from: number, to: number, name: string): number | undefined {
  let depth = 0;
  for (let k = from; k < to; k++) {
    const t = tokens[k]!;
    if (t.kind === 'punct' && (t.text === '{' || t.text === '[' || t.text === '(')) depth++;
    else if (t.kind === 'punct' && (t.text === '}' || t.text === ']' || t.text === ')')) depth--;
    else if (depth === 0 && isWord(t, name) && isPunct(tokens[k + 1], '{')) return k + 1;
  }
  return undefined;
}

export function extractHcl(text: string): EmbeddedRule[] {
  const tokens = hclTokens(text);
  const out: EmbeddedRule[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const type = tokens[k + 1];
    if (!isWord(tokens[k], 'resource') || type?.kind !== 'string' || type.value.text !== 'azuread_group') continue;
    if (tokens[k + 2]?.kind !== 'string' || !isPunct(tokens[k + 3], '{')) continue;
    const open = k + 3;
    const end = blockEnd(tokens, open);
    const groupName = plain(valueOf(tokens, open + 1, end - 1, 'display_name', '='));
    const dm = nestedBlock(tokens, open + 1, end - 1, 'dynamic_membership');
    if (dm !== undefined) {
      const rule = valueOf(tokens, dm + 1, blockEnd(tokens, dm) - 1, 'rule', '=');
      if (rule?.kind === 'string') out.push(embedded('terraform', rule.value, groupName));
    }
    k = end - 1;
  }
  return out;
}
