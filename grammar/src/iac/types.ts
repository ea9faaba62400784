/**
 * Rules written inside infrastructure-as-code files: a Terraform `azuread_group`'s
 * `dynamic_membership.rule`, a Bicep `Microsoft.Graph/groups` resource's `membershipRule`, a
 * Microsoft365DSC `AADGroup`'s `MembershipRule`. Each host language has its own scanner; all of
 * them give the rule as the host language decodes it, with a map from every character of that
 * text back to the host file, so that findings land where the user wrote them.
 */
import type { Span } from '../ast';
import { createRuleDocument, type RuleDocument } from '../document';
import { issue, type Issue } from '../issues';
import * as l10n from '../l10n';

export type HostLanguage = 'terraform' | 'bicep' | 'powershell';

/** How the rule's string is written in its host, which decides how text is escaped into it. */
export type HostString =
  | 'hcl-quoted' | 'hcl-heredoc'
  | 'bicep-quoted' | 'bicep-multiline'
  | 'powershell-double' | 'powershell-single' | 'powershell-here-double' | 'powershell-here-single';

/** One rule found in a host file. */
export interface EmbeddedRule {
  readonly language: HostLanguage;
  readonly quoting: HostString;
  /** The rule as the host language decodes the string (escapes resolved). */
  readonly rule: string;
  /** That rule as a document, for the checks and the editor services (in the rule's own offsets). */
  readonly document: RuleDocument;
  /** The host offset of the rule's character at `ruleOffset`; `rule.length` maps to the end of the string's content. */
  mapOffset(ruleOffset: number): number;
  /** A span of the rule as a span of the host file (escapes included whole). */
  mapSpan(span: Span): Span;
  /** The rule's offset at a host offset inside the string's content, or undefined outside it. */
  unmapOffset(hostOffset: number): number | undefined;
  /** The resource's display name: what `# @group` says in a rule file. */
  readonly groupName: string | undefined;
  /** The string's content in the host file (inside the quotes or heredoc markers). */
  readonly hostRange: Span;
  /**
   * Problems with the string itself, in host offsets: a template or variable the host expands,
   * an escape the host rejects, a missing closing quote. When there are any, the rule text is not
   * what Entra would receive, so it is not checked.
   */
  readonly problems: readonly Issue[];
}

/** Accumulates decoded text with, for each character, the host span it came from. */
export class DecodedText {
  private readonly parts: string[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  /** Appends `text` (one or two UTF-16 units: one decoded character) produced by host[start, end). */
  push(text: string, start: number, end: number): void {
    for (let i = 0; i < text.length; i++) {
      this.parts.push(text[i]!);
      this.starts.push(start);
      this.ends.push(end);
    }
  }

  get length(): number {
    return this.parts.length;
  }

  /** The decoded string and its offset maps; `contentEnd` is where the string's content ends in the host. */
  finish(contentEnd: number): { text: string; mapOffset(n: number): number; mapSpan(s: Span): Span; unmapOffset(h: number): number | undefined } {
    const text = this.parts.join('');
    const starts = this.starts;
    const ends = this.ends;
    const contentStart = starts.length ? starts[0]! : contentEnd;
    const mapOffset = (n: number): number => (n >= starts.length ? contentEnd : starts[Math.max(0, n)]!);
    return {
      text,
      mapOffset,
      mapSpan: (s: Span): Span => {
        const start = mapOffset(s.start);
        if (s.end <= s.start) return { start, end: start };
        const last = Math.min(s.end, starts.length) - 1;
        return { start, end: last < 0 ? start : Math.max(start, ends[last]!) };
      },
      unmapOffset: (h: number): number | undefined => {
        if (h < contentStart || h > contentEnd) return undefined;
        // The first character whose source ends after h (binary search: ends are non-decreasing).
        let lo = 0;
        let hi = ends.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (ends[mid]! <= h) lo = mid + 1;
          else hi = mid;
        }
        return lo;
      },
    };
  }
}

/** A token of a host file, as far as finding resources needs. */
export type HostToken =
  | { readonly kind: 'word'; readonly text: string; readonly start: number; readonly end: number }
  | { readonly kind: 'punct'; readonly text: string; readonly start: number; readonly end: number }
  | { readonly kind: 'string'; readonly start: number; readonly end: number; readonly value: DecodedString };

/** A string literal of a host file, decoded. */
export interface DecodedString {
  readonly quoting: HostString;
  readonly text: string;
  readonly contentStart: number;
  readonly contentEnd: number;
  readonly problems: readonly Issue[];
  mapOffset(n: number): number;
  mapSpan(s: Span): Span;
  unmapOffset(h: number): number | undefined;
}

export function decodedString(quoting: HostString, d: DecodedText, contentStart: number, contentEnd: number, problems: readonly Issue[]): DecodedString {
  const f = d.finish(contentEnd);
  return { quoting, text: f.text, contentStart, contentEnd, problems, mapOffset: f.mapOffset, mapSpan: f.mapSpan, unmapOffset: f.unmapOffset };
}

/**
 * The token of a quoted string whose scan stopped at `i`: on its closing quote when `closed`, else
 * at the end of the text, which makes it an unclosed quote running to the end.
 */
export function quotedToken(quoting: HostString, text: string, open: number, i: number, closed: boolean, d: DecodedText, contentStart: number, problems: Issue[]): { token: HostToken; end: number } {
  const contentEnd = Math.min(i, text.length);
  if (!closed) problems.push(unclosedQuote(open, contentEnd));
  const end = closed ? i + 1 : contentEnd;
  return { token: { kind: 'string', start: open, end, value: decodedString(quoting, d, contentStart, contentEnd, problems) }, end };
}

/**
 * The word (a run of characters `isWord` accepts) or the single punctuation character at `i`,
 * pushed to `out`; returns where the next token starts.
 */
export function wordOrPunct(text: string, i: number, isWord: (c: string) => boolean, out: HostToken[]): number {
  if (!isWord(text[i]!)) {
    out.push({ kind: 'punct', text: text[i]!, start: i, end: i + 1 });
    return i + 1;
  }
  let j = i + 1;
  while (j < text.length && isWord(text[j]!)) j++;
  out.push({ kind: 'word', text: text.slice(i, j), start: i, end: j });
  return j;
}

/** Control characters that an escape put into the rule (`\u001b`, `` `e ``): no rule holds them, and they must not reach a terminal. */
function escapedControls(s: DecodedString): Issue[] {
  const out: Issue[] = [];
  for (let n = 0; n < s.text.length; n++) {
    const c = s.text.charCodeAt(n);
    if (!((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || (c >= 0x7f && c <= 0x9f))) continue;
    const span = s.mapSpan({ start: n, end: n + 1 });
    if (span.end - span.start > 1) {
      out.push(issue('iac/control-character', 'error', l10n.t('This escape puts the control character U+{0} into the rule; a membership rule holds none. It is not checked.', c.toString(16).toUpperCase().padStart(4, '0')), span));
    }
  }
  return out;
}

export function embedded(language: HostLanguage, s: DecodedString, groupName: string | undefined): EmbeddedRule {
  const problems = s.problems.length ? s.problems : escapedControls(s);
  return {
    language,
    quoting: s.quoting,
    rule: s.text,
    document: createRuleDocument(s.text),
    mapOffset: s.mapOffset,
    mapSpan: s.mapSpan,
    unmapOffset: s.unmapOffset,
    groupName,
    hostRange: { start: s.contentStart, end: s.contentEnd },
    problems,
  };
}

/** A plain string value (no problems, no control characters) — for display names. */
export const plain = (t: HostToken | undefined): string | undefined =>
  t?.kind === 'string' && t.value.problems.length === 0 && !/[\u0000-\u001f\u007f-\u009f]/.test(t.value.text) ? t.value.text : undefined;

/** The index just past the block whose `{` is at `open`. */
export function blockEnd(tokens: readonly HostToken[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== 'punct') continue;
    if (t.text === '{') depth++;
    else if (t.text === '}' && --depth === 0) return k + 1;
  }
  return tokens.length;
}

/**
 * The string value of `name <separator> <string>` at bracket depth 0 of tokens[from, to): an HCL
 * attribute (`=`), a Bicep property (`:`), a PowerShell DSC setting (`=`, any case). Undefined
 * when there is none, or when its value is not a string literal.
 */
export function valueOf(tokens: readonly HostToken[], from: number, to: number, name: string, separator: '=' | ':', ignoreCase = false): HostToken | undefined {
  const same = ignoreCase ? (a: string) => a.toLowerCase() === name.toLowerCase() : (a: string) => a === name;
  let depth = 0;
  for (let k = from; k < to; k++) {
    const t = tokens[k]!;
    if (t.kind === 'punct' && (t.text === '{' || t.text === '[' || t.text === '(')) depth++;
    else if (t.kind === 'punct' && (t.text === '}' || t.text === ']' || t.text === ')')) depth--;
    else if (depth === 0 && t.kind === 'word' && same(t.text)) {
      const sep = tokens[k + 1];
      const v = tokens[k + 2];
      if (sep?.kind === 'punct' && sep.text === separator && v?.kind === 'string') return v;
    }
  }
  return undefined;
}

/** The problem of a quoted string that reaches the end of its line or file without its closing quote. */
export const unclosedQuote = (start: number, end: number): Issue =>
  issue('iac/unterminated-string', 'error', l10n.t('This string has no closing quote.'), { start, end });
