/**
 * CSV export for the webviews' tables (the preview and the audit report): the text, and the two
 * ways out of the editor — the clipboard, or a file the user picks.
 */
import * as vscode from 'vscode';

function csvCell(s: string): string {
  // Quote every cell, double inner quotes, and defuse spreadsheet formulas (=, +, -, @).
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** Rows (the first one the headings) as CSV, CRLF line ends as RFC 4180 has them. */
export function toCsvText(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Copies `csv` (of `count` rows) to the clipboard, or saves it where the user says, `name` offered. */
export async function exportCsv(how: 'copy' | 'save', csv: string, count: number, name: string): Promise<void> {
  if (how === 'copy') {
    await vscode.env.clipboard.writeText(csv);
    void vscode.window.showInformationMessage(vscode.l10n.t('Copied {0} rows as CSV.', count));
    return;
  }
  const base = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    ...(base ? { defaultUri: vscode.Uri.joinPath(base, name) } : {}),
    filters: { CSV: ['csv'] },
  });
  if (target) await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(csv));
}
