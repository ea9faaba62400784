/**
 * Reads the changes files `whatif` is given, in order (server/src/files.ts: regular UTF-8 files,
 * size checked). A `.csv` is either CSV form, a `.json` the JSON form. Every problem of every file
 * is collected: the caller applies nothing when there is one.
 */
import * as path from 'node:path';
import { FileReadError, readTextFile } from '../files';
import type { ParsedChanges } from './changes';
import { parseChangesCsv } from './csv';
import { parseChangesJson } from './json';

/** The largest changes file read (a million rows of HR changes fit well within it). */
export const MAX_CHANGES_FILE_BYTES = 256 << 20;

/** Parses one changes text; `file` names it in messages and chooses the form by its extension. */
export function parseChanges(file: string, text: string): ParsedChanges {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return parseChangesCsv(file, text);
  if (ext === '.json') return parseChangesJson(file, text);
  return { changes: [], issues: [{ file, line: 1, column: 1, code: 'changes/unknown-format', message: 'give a .csv file (the bulk-create template or an attribute-change CSV) or a .json file of changes' }] };
}

/** Reads and parses the files in order; changes of all files, and the problems of all files. */
export async function readChanges(files: readonly string[]): Promise<ParsedChanges> {
  const out: ParsedChanges = { changes: [], issues: [] };
  for (const file of files) {
    let text: string;
    try {
      text = await readTextFile(file, MAX_CHANGES_FILE_BYTES);
    } catch (e) {
      if (!(e instanceof FileReadError)) throw e;
      out.issues.push({ file, line: e.line ?? 1, column: e.column ?? 1, code: 'changes/unreadable', message: e.reason });
      continue;
    }
    const parsed = parseChanges(file, text);
    out.changes.push(...parsed.changes);
    out.issues.push(...parsed.issues);
  }
  return out;
}
