/**
 * How large a rule document the server and the CLI read.
 *
 * A rule is at most 3,072 characters (comments excluded), so a `.dynrule` file of 64 KiB — 21
 * times that — is not a rule anyone writes; at that size every editor feature still answers in
 * about 0.1 s, so checking on every keystroke stays cheap. Parsing grows with the text (about
 * 1.5 s a megabyte for the parse, as much again for the checks, more for formatting and inlay
 * hints), and a 50 MB file would take minutes. Above the limit a document gets one diagnostic
 * that says so, with its size, and no other feature runs on it: no completion, hover, inlay
 * hints, highlighting, folding, outline, formatting, code lens or preview, and the CLI reports
 * the same issue instead of checking or evaluating the file.
 */
import { checkRule, createRuleDocument, issue, l10n, type CheckOptions, type Issue, type ParsedRule, type RuleDocument } from '../../grammar/src/index';

export const MAX_DOCUMENT_LENGTH = 64 * 1024;

/**
 * The largest rule file read at all (checked before reading, server/src/files.ts). Between
 * {@link MAX_DOCUMENT_LENGTH} and this, a file is read and gets the one issue above, with its
 * size; a larger one is refused with its size before a byte is read.
 */
export const MAX_RULE_FILE_BYTES = 64 << 20;

/** The one issue of a document over the limit (at its start), or undefined. */
export function tooLargeIssue(length: number): Issue | undefined {
  if (length <= MAX_DOCUMENT_LENGTH) return undefined;
  return issue('rule/document-too-large', 'error', l10n.t(
    'This file has {0} characters; a rule has at most 3,072. Files over {1} characters are not checked, and the editor offers no completion, highlighting or preview for them.',
    l10n.formatNumber(length), l10n.formatNumber(MAX_DOCUMENT_LENGTH),
  ), { start: 0, end: 0 });
}

/** A document parsed and checked — or, when it is too large, not parsed and that one issue. */
export function checkDocument(document: RuleDocument, options: CheckOptions = {}): { readonly parsed: ParsedRule; readonly issues: Issue[] } {
  const tooLarge = tooLargeIssue(document.text.length);
  if (tooLarge) return { parsed: createRuleDocument('').parsed, issues: [tooLarge] };
  const { parsed } = document;
  return { parsed, issues: checkRule(parsed, options) };
}
