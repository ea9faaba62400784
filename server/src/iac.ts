/**
 * Checking rules inside Terraform, Bicep and Microsoft365DSC files: the rule is checked as the
 * host language decodes it, and every finding and fix is carried back to the host file — spans
 * through the string's offset map, replacement text through the host's own escaping.
 */
import { escapeFor, extractRules, extractRulesFor, type CheckOptions, type EmbeddedRule, type HostLanguage, type Issue, type ParsedRule } from '../../grammar/src/index';
import { checkDocument } from './limits';

export interface CheckedEmbeddedRule {
  readonly rule: EmbeddedRule;
  /** The rule parsed in its own offsets; undefined when the string cannot be checked (see `EmbeddedRule.problems`). */
  readonly parsed: ParsedRule | undefined;
  /** Findings in host-file offsets, fixes escaped for the host string. */
  readonly issues: readonly Issue[];
}

/** An issue of the rule text moved into the host file. */
export function toHostIssue(rule: EmbeddedRule, i: Issue): Issue {
  const fixes = i.fixes?.map((f) => ({
    ...f,
    edits: f.edits.map((e) => ({ span: rule.mapSpan(e.span), newText: escapeFor(rule.quoting, e.newText) })),
  }));
  return { ...i, span: rule.mapSpan(i.span), ...(fixes ? { fixes } : {}) };
}

export function checkEmbeddedRule(rule: EmbeddedRule, options: CheckOptions = {}): CheckedEmbeddedRule {
  if (rule.problems.length) return { rule, parsed: undefined, issues: rule.problems };
  const { parsed, issues } = checkDocument(rule.document, options);
  return { rule, parsed, issues: issues.map((i) => toHostIssue(rule, i)) };
}

/** Every rule in a host file, checked; none for a file that holds no group resource with a rule. */
export function checkHostFile(fileName: string, text: string, options: CheckOptions = {}): CheckedEmbeddedRule[] {
  return extractRules(fileName, text).map((r) => checkEmbeddedRule(r, options));
}

export function checkHostDocument(language: HostLanguage, text: string, options: CheckOptions = {}): CheckedEmbeddedRule[] {
  return extractRulesFor(language, text).map((r) => checkEmbeddedRule(r, options));
}
