/**
 * Characters that word processors and web pages put into pasted rules: typographic dashes and
 * quotes, non-breaking spaces; and the backslash escape the newest docs describe but the portal
 * rejects (docs/semantics.md, Lexical structure).
 */
import type { IToken } from 'chevrotain';
import { tokenSpan } from '../build';
import { DOCS_URL } from '../catalogue';
import { issue, type Issue } from '../issues';
import * as l10n from '../l10n';
import type { ParsedRule } from '../parse';
import * as T from '../tokens';

const DASH_NAMES: Record<string, string> = { '\u2013': l10n.mark('an en dash (–)'), '\u2014': l10n.mark('an em dash (—)'), '\u2212': l10n.mark('a minus sign (−)') };

export function typographyIssues(parsed: ParsedRule): Issue[] {
  const out: Issue[] = [];
  const { text, tokens } = parsed;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    const first = t.image[0]!;
    if (DASH_NAMES[first]) {
      const span = { start: t.startOffset, end: t.startOffset + 1 };
      out.push(issue('syntax/typographic-dash', 'error', l10n.t("'{0}' starts with {1}; operators take a plain hyphen (-).", t.image, l10n.t(DASH_NAMES[first])), span, {
        fixes: [{ title: l10n.t('Replace with a hyphen'), edits: [{ span, newText: '-' }], preferred: true }],
        docs: DOCS_URL,
      }));
    }
    if (t.tokenType === T.DoubleQuoted || t.tokenType === T.SingleQuoted || t.tokenType === T.UnterminatedString) {
      out.push(...quoteIssues(t));
      if (t.tokenType === T.DoubleQuoted) {
        const bs = backslashIssue(t, text);
        if (bs) out.push(bs);
      }
    }
    if (t.tokenType === T.BacktickQuoted) out.push(backtickQuotedIssue(t));
    // `user.department-eq`: accepted, but the docs always put a space before an operator.
    const prev = tokens[k - 1];
    if (prev && prev.tokenType === T.Path && t.startOffset === prev.startOffset + prev.image.length && /^[-\u2013\u2014\u2212]/.test(t.image)) {
      const at = { start: t.startOffset, end: t.startOffset };
      out.push(issue('style/missing-space', 'info', l10n.t('Put a space between {0} and {1}.', prev.image, t.image), tokenSpan(t), {
        fixes: [{ title: l10n.t('Insert a space'), edits: [{ span: at, newText: ' ' }], preferred: true }],
      }));
    }
  }
  for (const found of parsed.unicodeSpaces) {
    // A byte-order mark at the very start says how the file is encoded; it is not part of the rule.
    const start = found.start === 0 && text.charCodeAt(0) === 0xfeff ? 1 : found.start;
    if (start >= found.end) continue;
    const span = { start, end: found.end };
    if (/^\uFEFF+$/.test(text.slice(start, found.end))) {
      out.push(issue('syntax/unicode-space', 'warning', l10n.t('A byte-order mark (U+FEFF, an invisible character) inside the rule: remove it.'), span, {
        fixes: [{ title: l10n.t('Remove the byte-order mark'), edits: [{ span, newText: '' }], preferred: true }],
      }));
      continue;
    }
    out.push(issue('syntax/unicode-space', 'warning', l10n.t('A non-breaking or other Unicode space: use a plain space.'), span, {
      fixes: [{ title: l10n.t('Replace with a plain space'), edits: [{ span, newText: ' ' }], preferred: true }],
    }));
  }
  return out;
}

function quoteIssues(t: IToken): Issue[] {
  const out: Issue[] = [];
  const img = t.image;
  const double = T.DOUBLE_QUOTES.includes(img[0]!);
  const straight = double ? '"' : "'";
  const edits = [];
  const open = img[0]!;
  if (open !== straight) edits.push({ span: { start: t.startOffset, end: t.startOffset + 1 }, newText: straight });
  const terminated = t.tokenType !== T.UnterminatedString && img.length >= 2;
  const close = img[img.length - 1]!;
  if (terminated && close !== straight) edits.push({ span: { start: t.startOffset + img.length - 1, end: t.startOffset + img.length }, newText: straight });
  if (edits.length > 0) {
    out.push(issue('syntax/typographic-quote', 'error', l10n.t('Curly quotes ({0}) do not delimit strings; use straight quotes ({1}).', `${open}…${terminated ? close : ''}`, straight), tokenSpan(t), {
      fixes: [{ title: l10n.t('Use straight quotes'), edits, preferred: true }],
      docs: DOCS_URL,
    }));
  }
  return out;
}

/**
 * A double-quoted string that ends in a backslash: the author most likely meant `\"` as an
 * escaped quote. The escape character is the backtick. The fix rewrites the intended string.
 */
function backslashIssue(t: IToken, text: string): Issue | undefined {
  if (!t.image.endsWith('\\"')) return undefined;
  // Re-scan from the opening quote treating \" as an escape, to find the intended end.
  let i = t.startOffset + 1;
  let content = '';
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') {
    if (text[i] === '\\' && text[i + 1] === '"') { content += '`"'; i += 2; continue; }
    if (text[i] === '"') break;
    content += text[i];
    i++;
  }
  const closed = text[i] === '"';
  const span = { start: t.startOffset, end: closed ? i + 1 : t.startOffset + t.image.length };
  return issue('syntax/backslash-escape', 'warning', l10n.t('A backslash does not escape a quote in a rule (the portal rejects \\"): escape a double quote with a backtick, `".'), span, {
    fixes: closed ? [{ title: l10n.t('Escape with a backtick'), edits: [{ span, newText: `"${content}"` }], preferred: true }] : [],
    docs: DOCS_URL,
  });
}

/**
 * `` `"Sales`" `` without enclosing quotes: one version of the docs calls it the way to write the
 * value "Sales" with its quotes, the newest says the value is Sales. Ask the author to say which.
 */
function backtickQuotedIssue(t: IToken): Issue {
  const span = tokenSpan(t);
  const inner = t.image.slice(2, -2);
  return issue('syntax/backtick-quoted', 'warning', l10n.t('The docs disagree on whether {0} is the text "{1}" with or without its quotes (the preview reads it with them): write "{0}" or "{1}" to say which.', t.image, inner), span, {
    fixes: [
      { title: l10n.t('Compare with the quotes: "{0}"', t.image), edits: [{ span, newText: `"${t.image}"` }], preferred: true },
      { title: l10n.t('Compare without the quotes: "{0}"', inner), edits: [{ span, newText: `"${inner}"` }] },
    ],
    docs: DOCS_URL,
  });
}
