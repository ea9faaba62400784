/**
 * The server's one cache of what its documents are to the language, keyed by uri, version and
 * language id: a rule file's rule document, or the checked rules inside a Terraform, Bicep or
 * PowerShell file. Every feature reads through it — diagnostics, completion, hover, semantic
 * tokens, inlay hints, formatting, folding, outline, code lens, preview, explain — so all of them
 * share one lex and one parse of a document version. A new version replaces the entry; a closed
 * document's entry is forgotten. An entry also belongs to the one document object and text it was
 * made for: an untitled document closed and another opened under its uri start again at version
 * 1. (The text is the document's own string until it changes, so comparing it costs nothing.)
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { createRuleDocument, type HostLanguage, type RuleDocument } from '../../../grammar/src/index';
import { checkHostDocument, type CheckedEmbeddedRule } from '../iac';

type Model =
  | { readonly kind: 'rule'; readonly document: RuleDocument }
  | { readonly kind: 'host'; readonly language: HostLanguage; readonly rules: readonly CheckedEmbeddedRule[] };

export class DocumentCache {
  private readonly entries = new Map<string, { readonly doc: TextDocument; readonly text: string; readonly version: number; readonly languageId: string; readonly model: Model }>();

  /** The rule document of a rule file's current version. */
  rule(doc: TextDocument): RuleDocument {
    const hit = this.hit(doc);
    if (hit?.kind === 'rule') return hit.document;
    const document = createRuleDocument(doc.getText());
    this.put(doc, { kind: 'rule', document });
    return document;
  }

  /** The rules inside a host document's current version, each checked, with its rule document. */
  hostRules(doc: TextDocument, language: HostLanguage): readonly CheckedEmbeddedRule[] {
    const hit = this.hit(doc);
    if (hit?.kind === 'host' && hit.language === language) return hit.rules;
    const rules = checkHostDocument(language, doc.getText());
    this.put(doc, { kind: 'host', language, rules });
    return rules;
  }

  forget(uri: string): void {
    this.entries.delete(uri);
  }

  private hit(doc: TextDocument): Model | undefined {
    const e = this.entries.get(doc.uri);
    return e && e.doc === doc && e.version === doc.version && e.text === doc.getText() && e.languageId === doc.languageId ? e.model : undefined;
  }

  private put(doc: TextDocument, model: Model): void {
    this.entries.set(doc.uri, { doc, text: doc.getText(), version: doc.version, languageId: doc.languageId, model });
  }
}
