/**
 * Types of the editor services (completion, hover, inlay hints, formatting, semantic tokens,
 * folding, outline). They work on text and offsets; the server converts to LSP.
 */
import type { Span } from '../ast';
import type { RuleObject } from '../catalogue';
import type { TextEdit } from '../issues';

/** What the loaded tenant tells the editor services. Every member is optional. */
export interface TenantData {
  /** Values of a rule property that occur in the tenant, most frequent first. */
  valuesOf?(object: RuleObject, property: string): readonly { readonly value: string; readonly count: number }[];
  /** Groups, for memberOf ids and hover. */
  groups?(): readonly {
    readonly id: string; readonly displayName: string; readonly description?: string; readonly memberCount?: number;
    /** A dynamic group's current rule. */
    readonly membershipRule?: string;
  }[];
  /** Administrative units, for `# @administrativeUnit` completion and hover. */
  administrativeUnits?(): readonly {
    readonly id: string; readonly displayName: string;
    /** A dynamic unit's current rule. */
    readonly membershipRule?: string;
  }[];
  /** Users who manage someone, for `Direct Reports for "…"`, most reports first. */
  managers?(): readonly { readonly id: string; readonly displayName: string; readonly userPrincipalName?: string; readonly reports: number }[];
  /** Looks up a user by object id (hover, inlay hints). */
  user?(id: string): { readonly id: string; readonly displayName: string; readonly userPrincipalName?: string } | undefined;
  /** Looks up a group by object id (hover, inlay hints). */
  group?(id: string): { readonly id: string; readonly displayName: string } | undefined;
  /**
   * Service plans the tenant's subscriptions include (id → name), to rank them first; `sku` is the
   * skuPartNumber (or skuId) of the subscription that brings the plan, `users` how many users hold
   * it enabled (the most held rank first). Also lists the tenant's SKUs for `# @licenses`.
   */
  tenantServicePlans?(): readonly { readonly id: string; readonly name: string; readonly sku: string; readonly users?: number }[];
}

export type CompletionKind =
  | 'object' | 'property' | 'operator' | 'keyword' | 'value' | 'enumValue' | 'guid' | 'snippet';

export interface CompletionItem {
  readonly label: string;
  readonly kind: CompletionKind;
  /** One line shown next to the label (type, name behind a GUID...). */
  readonly detail?: string;
  /** Markdown documentation. */
  readonly documentation?: string;
  /** Text to insert; a snippet with $1/${1:x} placeholders when `snippet` is true. */
  readonly insertText: string;
  readonly snippet?: boolean;
  /** The text the item replaces (the word being typed). */
  readonly replace: Span;
  /** Sorting key: lower sorts first. */
  readonly sortText?: string;
  readonly filterText?: string;
  /** Preselect this item. */
  readonly preselect?: boolean;
  /** Re-trigger completion after inserting (e.g. after `user.`). */
  readonly retrigger?: boolean;
}

export interface CompletionResult {
  readonly items: readonly CompletionItem[];
  /** More items would appear with more typing (tenant value lists are capped). */
  readonly incomplete: boolean;
}

export interface HoverResult {
  readonly markdown: string;
  readonly span: Span;
}

export interface InlayHint {
  /** Where the hint is shown (after the GUID literal). */
  readonly offset: number;
  readonly label: string;
  /** Markdown shown when hovering the hint. */
  readonly tooltip?: string;
}

export interface FormatOptions {
  /** Break lines longer than this at -or/-and (default 100). */
  readonly maxLineLength?: number;
  /** Indentation for continuation lines (default two spaces). */
  readonly indent?: string;
}

export type SemanticTokenType =
  | 'keyword' | 'operator' | 'property' | 'variable' | 'string' | 'number' | 'comment' | 'macro' | 'enumMember' | 'type';

export interface SemanticToken {
  readonly span: Span;
  readonly type: SemanticTokenType;
  /** e.g. `deprecated` for unsupported properties, `readonly` for element references. */
  readonly modifiers?: readonly ('deprecated' | 'readonly' | 'declaration')[];
}

export interface FoldingRange {
  /** The first character of the range: the `#` of the first comment, or the opening bracket. */
  readonly start: number;
  /** The end of the last comment line, or the offset of the closing bracket (whose line stays visible). */
  readonly end: number;
  readonly kind?: 'comment' | 'region';
}

export interface DocumentSymbol {
  readonly name: string;
  readonly detail?: string;
  readonly kind: 'rule' | 'condition' | 'group' | 'directive';
  readonly span: Span;
  readonly selection: Span;
  readonly children: readonly DocumentSymbol[];
}

/** The result of formatting: the whole new text, or nothing when the rule cannot be formatted. */
export type FormatResult = { readonly ok: true; readonly text: string; readonly edits: readonly TextEdit[] } | { readonly ok: false; readonly reason: string };

/** The rule at a glance, for a status bar item. */
export interface RuleStatus {
  /** Characters Entra counts: the rule text without comment lines, trimmed. */
  readonly length: number;
  /** Entra's limit (3,072). */
  readonly limit: number;
  readonly over: boolean;
  /** Whether it is a user or a device rule; undefined until it names a property. */
  readonly object: RuleObject | undefined;
  readonly kind: 'empty' | 'expression' | 'directReports' | 'memberOf';
}
