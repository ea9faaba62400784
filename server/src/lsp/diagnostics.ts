/** The core's issues as LSP diagnostics. */
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { codeInfo, type Issue } from '../../../grammar/src/index';
import { DIAGNOSTIC_SOURCE } from '../../../protocol/src/protocol';
import type { ServerSettings } from '../../../protocol/src/settings';

const SEVERITY: Record<Issue['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Kept in `Diagnostic.data` so code actions can apply the core's fixes. */
export interface DiagnosticData {
  readonly fixes: NonNullable<Issue['fixes']>;
}

export function toDiagnostic(doc: TextDocument, i: Issue): Diagnostic {
  const d: Diagnostic = {
    range: { start: doc.positionAt(i.span.start), end: doc.positionAt(i.span.end) },
    severity: SEVERITY[i.severity],
    code: i.code,
    source: DIAGNOSTIC_SOURCE,
    message: i.message,
    data: { fixes: i.fixes ?? [] } satisfies DiagnosticData,
  };
  if (i.docs) d.codeDescription = { href: i.docs };
  if (i.tags?.includes('unnecessary')) d.tags = [DiagnosticTag.Unnecessary];
  return d;
}

/** Advice of severity info or hint (the catalogue's category advice) can be switched off in the settings. */
export function keep(i: Issue, settings: ServerSettings): boolean {
  if (settings.adviceEnabled) return true;
  return !(i.severity === 'info' || i.severity === 'hint') || codeInfo(i.code).category !== 'advice';
}
