/**
 * Terraform, Bicep and PowerShell documents: the server answers only inside the rule strings of
 * their group resources (diagnostics, hover, completion, quick fixes) and nothing anywhere else,
 * so the languages' own extensions keep the file. Results computed on the decoded rule are moved
 * into the host document: ranges through the string's offset map, inserted text through the
 * host's escaping. The checked rules come from the server's one cache (documentCache.ts); each
 * carries its rule document, which completion and hover read.
 */
import { InsertTextFormat, MarkupKind, type CompletionList, type Diagnostic, type Hover } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'node:url';
import {
  complete, escapeFor, hostLanguageOf, hostLanguageOfLanguageId, hover,
  type HostLanguage, type TenantData,
} from '../../../grammar/src/index';
import type { CheckedEmbeddedRule } from '../iac';
import { keep, toDiagnostic } from './diagnostics';
import { KIND, range } from './features';
import { LANGUAGE_ID } from '../../../protocol/src/protocol';
import type { ServerSettings } from '../../../protocol/src/settings';

/** The document selector of everything that is not a host document: rule files only. */
export const RULE_DOCUMENTS = [{ language: LANGUAGE_ID }, { pattern: '**/*.dynrule' }];

/** The host language of a document, by its language id or, failing that, its file name. */
export function hostLanguageOfDocument(doc: TextDocument): HostLanguage | undefined {
  const byId = hostLanguageOfLanguageId(doc.languageId);
  if (byId) return byId;
  if (doc.languageId === LANGUAGE_ID) return undefined;
  let name = doc.uri;
  try {
    if (doc.uri.startsWith('file:')) name = fileURLToPath(doc.uri);
  } catch {
    // Not a file path: the uri's own text decides.
  }
  return hostLanguageOf(name.replace(/[?#].*$/, ''));
}

/** The host document's rules as diagnostics. */
export function hostDiagnostics(doc: TextDocument, rules: readonly CheckedEmbeddedRule[], settings: ServerSettings): Diagnostic[] {
  return rules.flatMap((r) => r.issues).filter((i) => keep(i, settings)).map((i) => toDiagnostic(doc, i));
}

/** The checkable rule whose string holds `offset`, and the offset in the rule. */
function at(rules: readonly CheckedEmbeddedRule[], offset: number): { rule: CheckedEmbeddedRule; ruleOffset: number } | undefined {
  for (const r of rules) {
    if (!r.parsed || offset < r.rule.hostRange.start || offset > r.rule.hostRange.end) continue;
    const ruleOffset = r.rule.unmapOffset(offset);
    if (ruleOffset !== undefined) return { rule: r, ruleOffset };
  }
  return undefined;
}

export function hostCompletion(doc: TextDocument, rules: readonly CheckedEmbeddedRule[], offset: number, data: TenantData): CompletionList {
  const hit = at(rules, offset);
  if (!hit) return { isIncomplete: false, items: [] };
  const { rule } = hit.rule;
  const r = complete(rule.document, hit.ruleOffset, data);
  return {
    isIncomplete: r.incomplete,
    // Snippets' placeholders would not survive the host's escaping: plain items only.
    items: r.items.filter((i) => !i.snippet).map((i) => ({
      label: i.label,
      kind: KIND[i.kind],
      ...(i.detail ? { detail: i.detail } : {}),
      ...(i.documentation ? { documentation: { kind: MarkupKind.Markdown, value: i.documentation } } : {}),
      textEdit: { range: range(doc, rule.mapSpan(i.replace)), newText: escapeFor(rule.quoting, i.insertText) },
      insertTextFormat: InsertTextFormat.PlainText,
      // The editor filters on the host text, escapes included.
      filterText: escapeFor(rule.quoting, i.filterText ?? i.insertText),
      ...(i.sortText ? { sortText: i.sortText } : {}),
      ...(i.preselect ? { preselect: true } : {}),
      ...(i.retrigger ? { command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } } : {}),
    })),
  };
}

export function hostHover(doc: TextDocument, rules: readonly CheckedEmbeddedRule[], offset: number, data: TenantData): Hover | null {
  const hit = at(rules, offset);
  if (!hit) return null;
  const h = hover(hit.rule.rule.document, hit.ruleOffset, data);
  return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: range(doc, hit.rule.rule.mapSpan(h.span)) } : null;
}
