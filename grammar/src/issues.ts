/**
 * The core's own diagnostic type. The server turns these into LSP diagnostics and code actions;
 * the CLI prints them. Codes, with their severities, are the catalogue's (`codes.ts`).
 */
import type { Span } from './ast';
import type { IssueCode, SeverityOf } from './codes';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface TextEdit {
  readonly span: Span;
  readonly newText: string;
}

/** A quick fix: a title and the edits that apply it. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** The fix an editor may apply automatically ("fix all"). */
  readonly preferred?: boolean;
}

export interface Issue {
  readonly code: IssueCode;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly fixes?: readonly Fix[];
  /** A documentation page that explains the rule behind the issue. */
  readonly docs?: string;
  /** Editor hints: `unnecessary` fades the text. */
  readonly tags?: readonly 'unnecessary'[];
}

/** An issue of `code`, at a severity the catalogue gives the code. */
export function issue<C extends IssueCode>(code: C, severity: SeverityOf<C>, message: string, span: Span, extra: Partial<Pick<Issue, 'fixes' | 'docs' | 'tags'>> = {}): Issue {
  return { code, severity, message, span, ...extra };
}

export function replace(span: Span, newText: string): TextEdit {
  return { span, newText };
}

/** Sorts issues by position, then by severity (errors first). */
export function sortIssues(list: Issue[]): Issue[] {
  const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };
  return list.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || rank[a.severity] - rank[b.severity]);
}
