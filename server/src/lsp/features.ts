/**
 * The core's editor services as LSP results: completion, hover, inlay hints, formatting,
 * semantic tokens, folding, outline and code actions. Conversions only; the logic is in grammar/.
 * Each takes the editor's document (for positions) and its rule document from the server's one
 * cache (server/src/lsp/documentCache.ts).
 */
import {
  CodeActionKind, CompletionItemKind, FoldingRangeKind, InlayHintKind, InsertTextFormat, MarkupKind, SymbolKind,
  type CodeAction, type CompletionItem, type CompletionList, type Diagnostic, type DocumentSymbol, type FoldingRange, type FormattingOptions,
  type Hover, type InlayHint, type Range, type SemanticTokens, type TextEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  complete, documentSymbols, foldingRanges, formatRule, hover, inlayHints, l10n, semanticTokens,
  type CompletionItem as CoreItem, type DocumentSymbol as CoreSymbol, type Fix, type RuleDocument, type SemanticTokenType, type Span, type TenantData,
} from '../../../grammar/src/index';
import type { DiagnosticData } from './diagnostics';
import { Commands } from '../../../protocol/src/protocol';

/** A core span as an LSP range of `doc`. */
export const range = (doc: TextDocument, s: Span): Range => ({ start: doc.positionAt(s.start), end: doc.positionAt(s.end) });

/** The LSP completion kind of each kind of core completion item. */
export const KIND: Record<CoreItem['kind'], CompletionItemKind> = {
  object: CompletionItemKind.Module,
  property: CompletionItemKind.Field,
  operator: CompletionItemKind.Operator,
  keyword: CompletionItemKind.Keyword,
  value: CompletionItemKind.Value,
  enumValue: CompletionItemKind.EnumMember,
  guid: CompletionItemKind.Constant,
  snippet: CompletionItemKind.Snippet,
};

export function completion(doc: TextDocument, ruleDoc: RuleDocument, offset: number, data: TenantData): CompletionList {
  const r = complete(ruleDoc, offset, data);
  return {
    isIncomplete: r.incomplete,
    items: r.items.map((i): CompletionItem => ({
      label: i.label,
      kind: KIND[i.kind],
      ...(i.detail ? { detail: i.detail } : {}),
      ...(i.documentation ? { documentation: { kind: MarkupKind.Markdown, value: i.documentation } } : {}),
      textEdit: { range: range(doc, i.replace), newText: i.insertText },
      insertTextFormat: i.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      ...(i.sortText ? { sortText: i.sortText } : {}),
      ...(i.filterText ? { filterText: i.filterText } : {}),
      ...(i.preselect ? { preselect: true } : {}),
      ...(i.retrigger ? { command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } } : {}),
    })),
  };
}

export function hoverAt(doc: TextDocument, ruleDoc: RuleDocument, offset: number, data: TenantData): Hover | null {
  const h = hover(ruleDoc, offset, data);
  return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: range(doc, h.span) } : null;
}

export function inlay(doc: TextDocument, ruleDoc: RuleDocument, data: TenantData, within: Range): InlayHint[] {
  const start = doc.offsetAt(within.start);
  const end = doc.offsetAt(within.end);
  return inlayHints(ruleDoc, data)
    .filter((h) => h.offset >= start && h.offset <= end)
    .map((h) => ({
      position: doc.positionAt(h.offset),
      label: h.label,
      kind: InlayHintKind.Type,
      paddingLeft: true,
      ...(h.tooltip ? { tooltip: { kind: MarkupKind.Markdown, value: h.tooltip } } : {}),
    }));
}

/** Format Document with the editor's indentation: `tabSize` spaces, or a tab when it inserts tabs. */
export function format(doc: TextDocument, ruleDoc: RuleDocument, options: Pick<FormattingOptions, 'tabSize' | 'insertSpaces'>): TextEdit[] {
  const size = Number.isInteger(options.tabSize) && options.tabSize > 0 && options.tabSize <= 16 ? options.tabSize : 2;
  const r = formatRule(ruleDoc, { indent: options.insertSpaces === false ? '\t' : ' '.repeat(size) });
  if (!r.ok) return [];
  return r.edits.map((e) => ({ range: range(doc, e.span), newText: e.newText }));
}

export const TOKEN_TYPES: readonly SemanticTokenType[] = ['keyword', 'operator', 'property', 'variable', 'string', 'number', 'comment', 'macro', 'enumMember', 'type'];
export const TOKEN_MODIFIERS = ['deprecated', 'readonly', 'declaration'] as const;

export function semantic(doc: TextDocument, ruleDoc: RuleDocument): SemanticTokens {
  const data: number[] = [];
  let prevLine = 0;
  let prevChar = 0;
  const tokens = [...semanticTokens(ruleDoc)].sort((a, b) => a.span.start - b.span.start);
  for (const t of tokens) {
    // LSP tokens may not span lines: split multi-line tokens per line.
    let start = t.span.start;
    while (start < t.span.end) {
      const p = doc.positionAt(start);
      const lineEnd = doc.offsetAt({ line: p.line + 1, character: 0 });
      const end = Math.min(t.span.end, lineEnd > start ? lineEnd : t.span.end);
      const text = doc.getText().slice(start, end).replace(/[\r\n]+$/, '');
      if (text.length > 0) {
        const mods = (t.modifiers ?? []).reduce((m, x) => m | (1 << TOKEN_MODIFIERS.indexOf(x)), 0);
        data.push(p.line - prevLine, p.line === prevLine ? p.character - prevChar : p.character, text.length, TOKEN_TYPES.indexOf(t.type), mods);
        prevLine = p.line;
        prevChar = p.character;
      }
      start = end;
    }
  }
  return { data };
}

export function folding(doc: TextDocument, ruleDoc: RuleDocument): FoldingRange[] {
  const text = ruleDoc.text;
  return foldingRanges(ruleDoc).map((f) => {
    const start = doc.positionAt(f.start).line;
    const close = doc.positionAt(f.end);
    // A closing bracket that opens its line stays visible below the folded group, as in JSON.
    const opensLine = f.kind === 'region' && /^[ \t]*$/.test(text.slice(f.end - close.character, f.end));
    const end = opensLine ? close.line - 1 : close.line;
    return { startLine: start, endLine: end, ...(f.kind === 'comment' ? { kind: FoldingRangeKind.Comment } : f.kind === 'region' ? { kind: FoldingRangeKind.Region } : {}) };
  }).filter((f) => f.endLine > f.startLine);
}

const SYMBOL_KIND: Record<CoreSymbol['kind'], SymbolKind> = {
  rule: SymbolKind.Namespace,
  condition: SymbolKind.Boolean,
  group: SymbolKind.Array,
  directive: SymbolKind.Property,
};

export function symbols(doc: TextDocument, ruleDoc: RuleDocument): DocumentSymbol[] {
  const convert = (s: CoreSymbol): DocumentSymbol => ({
    name: s.name || l10n.t('(empty)'),
    ...(s.detail ? { detail: s.detail } : {}),
    kind: SYMBOL_KIND[s.kind],
    range: range(doc, s.span),
    selectionRange: range(doc, s.selection),
    children: s.children.map(convert),
  });
  return documentSymbols(ruleDoc).map(convert);
}

function fixToAction(doc: TextDocument, fix: Fix, diagnostics: Diagnostic[]): CodeAction {
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics,
    ...(fix.preferred ? { isPreferred: true } : {}),
    edit: { changes: { [doc.uri]: fix.edits.map((e) => ({ range: range(doc, e.span), newText: e.newText })) } },
  };
}

/** Quick fixes for the diagnostics in range, a "fix all" and "Explain rule for user…". */
export function codeActions(doc: TextDocument, diagnostics: Diagnostic[], only: string[] | undefined, allDiagnostics: Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  // An action of `kind` is wanted when no kind is asked for, or it is one asked for or a sub-kind
  // of one: "source.fixAll" and "source.fixAll.dynrule" (codeActionsOnSave) both want ours.
  const wants = (kind: string): boolean => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
  if (wants(CodeActionKind.QuickFix)) {
    for (const d of diagnostics) {
      const data = d.data as DiagnosticData | undefined;
      for (const fix of data?.fixes ?? []) out.push(fixToAction(doc, fix, [d]));
    }
  }
  if (wants(`${CodeActionKind.SourceFixAll}.dynrule`)) {
    // Apply each diagnostic's preferred fix, skipping fixes that overlap an earlier one.
    const edits: { start: number; end: number; newText: string }[] = [];
    for (const d of allDiagnostics) {
      const fix = (d.data as DiagnosticData | undefined)?.fixes.find((f) => f.preferred);
      if (!fix) continue;
      const spans = fix.edits.map((e) => ({ start: e.span.start, end: e.span.end, newText: e.newText }));
      if (spans.some((s) => edits.some((e) => s.start < e.end && e.start < s.end || (s.start === s.end && s.start === e.start)))) continue;
      edits.push(...spans);
    }
    if (edits.length) {
      out.push({
        title: l10n.t('Fix all auto-fixable rule problems'),
        kind: `${CodeActionKind.SourceFixAll}.dynrule`,
        edit: { changes: { [doc.uri]: edits.map((e) => ({ range: range(doc, e), newText: e.newText })) } },
      });
    }
  }
  if (wants(`${CodeActionKind.Source}.explain`)) {
    out.push({ title: l10n.t('Explain rule for user…'), kind: `${CodeActionKind.Source}.explain`, command: { title: l10n.t('Explain rule for user…'), command: Commands.explainForUser, arguments: [doc.uri] } });
  }
  return out;
}
