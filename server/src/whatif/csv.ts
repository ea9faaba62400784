/**
 * The two CSV forms of changes to people (README, "What if people change"):
 *
 * - the Entra admin center's bulk-create template, as downloaded: an optional `version:v1.0`
 *   first row, headings `Label [graphProperty]` optionally followed by `Required`, an optional
 *   examples row whose cells start with `Example:`, then one new user a row. In
 *   `Block sign in (Yes/No) [accountEnabled]`, Yes means the account is disabled;
 * - an attribute-change CSV: the first heading `userPrincipalName` or `id`, the others user
 *   properties (rule or Graph names); an empty cell leaves the value alone, `null` clears it.
 *
 * csv-parse reads the values (quotes, quoted line breaks, CRLF); the places of records and cells
 * are worked out here from the text, so that every problem names its line, column and heading.
 */
import { parse, CsvError } from 'csv-parse/sync';
import type { Change, ChangeIssue, FieldChange, Place } from './changes';
import type { ChangeCode } from './codes';
import { convert, findSettable, isGuid, isUpn, type Settable } from './properties';

interface Row {
  readonly cells: readonly string[];
  /** 1-based line and column of each cell's first character. */
  readonly places: readonly { readonly line: number; readonly column: number }[];
  readonly line: number;
}

/** The start of each cell of a record that begins at `start` (a UTF-16 offset into `text`). */
function cellStarts(text: string, start: number, count: number): number[] {
  const out = [start];
  let i = start;
  let quoted = false;
  while (i < text.length && out.length < count) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') i++;
        else quoted = false;
      }
    } else if (c === '"') quoted = true;
    else if (c === ',') out.push(i + 1);
    else if (c === '\n' || c === '\r') break;
    i++;
  }
  return out;
}

/** Line starts of a text (a line ends at LF, CRLF or a lone CR, as csv-parse reads them). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

function placeOf(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

/** Reads the records of a CSV text with the place of every cell, or the syntax error. */
function readRows(file: string, text: string): { rows: Row[] } | { issue: ChangeIssue } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let records: { record: string[]; info: { bytes: number } }[];
  try {
    records = parse(body, { info: true, relax_column_count: true, skip_empty_lines: true, record_delimiter: ['\r\n', '\n', '\r'] }) as typeof records;
  } catch (e) {
    if (e instanceof CsvError) {
      const line = typeof (e as { lines?: unknown }).lines === 'number' ? (e as unknown as { lines: number }).lines : 1;
      return { issue: { file, line, column: 1, code: 'changes/csv-syntax', message: e.message.replace(/ at line \d+.*$/, '').replace(/\s+/g, ' ') } };
    }
    throw e;
  }
  const bytes = Buffer.from(body, 'utf8');
  const starts = lineStarts(body);
  const rows: Row[] = [];
  let prevBytes = 0;
  let prevChars = 0;
  for (const { record, info } of records) {
    let start = prevChars;
    // Blank lines csv-parse skipped, and the line break that ended the last record.
    while (start < body.length && (body[start] === '\r' || body[start] === '\n')) start++;
    const cells = cellStarts(body, start, record.length).map((o) => placeOf(starts, o));
    while (cells.length < record.length) cells.push(cells[cells.length - 1]!);
    rows.push({ cells: record, places: cells, line: placeOf(starts, start).line });
    prevChars += bytes.toString('utf8', prevBytes, info.bytes).length;
    prevBytes = info.bytes;
  }
  return { rows };
}

const BRACKETED = /^(.*?)\s*\[([^\]]*)\]\s*(Required)?\s*$/i;
const REQUIRED_FOR_CREATE = ['displayName', 'userPrincipalName', 'passwordProfile', 'accountEnabled'];

interface Column {
  readonly index: number;
  readonly heading: string;
  readonly property: Settable;
  /** `Block sign in (Yes/No)`: Yes means accountEnabled false. */
  readonly blockSignIn?: boolean;
  readonly required?: boolean;
}

/** Parses a CSV of changes (either form). */
export function parseChangesCsv(file: string, text: string): { changes: Change[]; issues: ChangeIssue[] } {
  const read = readRows(file, text);
  if ('issue' in read) return { changes: [], issues: [read.issue] };
  const rows = [...read.rows];
  const issues: ChangeIssue[] = [];
  const issue = (code: ChangeCode, at: { line: number; column: number }, message: string, heading?: string): void => {
    issues.push({ file, line: at.line, column: at.column, code, message, ...(heading !== undefined ? { heading } : {}) });
  };
  let versionRow = false;
  if (rows[0] && /^version:/i.test(rows[0].cells[0]?.trim() ?? '') && rows[0].cells.slice(1).every((c) => c.trim() === '')) {
    rows.shift();
    versionRow = true;
  }
  const head = rows.shift();
  if (!head) {
    issue('changes/not-bulk-create', { line: 1, column: 1 }, 'the file has no headings: give the bulk-create template or a CSV whose first heading is userPrincipalName or id');
    return { changes: [], issues };
  }
  const template = versionRow || head.cells.some((h) => BRACKETED.test(h));
  return template ? bulkCreate(file, head, rows, issues, issue) : attributeChanges(file, head, rows, issues, issue);
}

type Report = (code: ChangeCode, at: { line: number; column: number }, message: string, heading?: string) => void;

const placeIn = (file: string, row: Row, i: number, heading?: string): Place =>
  ({ file, line: row.places[i]!.line, column: row.places[i]!.column, ...(heading !== undefined ? { heading } : {}) });

function extraCells(row: Row, width: number, report: Report): void {
  for (let i = width; i < row.cells.length; i++) {
    if (row.cells[i]!.trim() !== '') {
      report('changes/extra-cells', row.places[i]!, `the row has ${row.cells.length} cells but there are ${width} headings`);
      return;
    }
  }
}

function bulkCreate(file: string, head: Row, rows: Row[], issues: ChangeIssue[], report: Report): { changes: Change[]; issues: ChangeIssue[] } {
  const columns: Column[] = [];
  const seen = new Map<string, string>();
  const brackets = head.cells.map((h) => BRACKETED.exec(h)?.[2]?.trim().toLowerCase() ?? '');
  // Entra's other bulk templates: invite (inviteeEmail) and delete (userPrincipalName only).
  if (brackets.includes('inviteeemail')) {
    report('changes/not-bulk-create', head.places[0]!, 'this is the bulk-invite template (guests to invite), not the bulk-create one: download "Bulk create" in Users > Bulk operations');
    return { changes: [], issues };
  }
  if (brackets.filter(Boolean).length === 1 && brackets[0] === 'userprincipalname') {
    report('changes/not-bulk-create', head.places[0]!, 'this is the bulk-delete template, not the bulk-create one: to delete users, give a JSON file of {"user": …, "delete": true}');
    return { changes: [], issues };
  }
  head.cells.forEach((h, index) => {
    const m = BRACKETED.exec(h);
    if (!m) {
      if (h.trim() !== '') report('changes/unknown-heading', head.places[index]!, 'a heading of the bulk-create template has the form "Label [property]", optionally followed by Required', h);
      return;
    }
    const found = findSettable(m[2]!, { passwords: true });
    if (!found.ok) {
      report(found.readOnly ? 'changes/read-only-property' : 'changes/unknown-heading', head.places[index]!, found.message, h);
      return;
    }
    const first = seen.get(found.property.graph);
    if (first !== undefined) {
      report('changes/duplicate-heading', head.places[index]!, `sets ${found.property.name}, as "${first}" does`, h);
      return;
    }
    seen.set(found.property.graph, h);
    columns.push({
      index, heading: h, property: found.property, required: m[3] !== undefined || REQUIRED_FOR_CREATE.includes(found.property.name),
      ...(found.property.name === 'accountEnabled' ? { blockSignIn: true } : {}),
    });
  });
  for (const name of REQUIRED_FOR_CREATE) {
    if (!columns.some((c) => c.property.name === name) && !issues.some((i) => i.code === 'changes/unknown-heading' && i.heading !== undefined && BRACKETED.exec(i.heading)?.[2]?.toLowerCase() === name.toLowerCase())) {
      report('changes/missing-column', head.places[0]!, `the bulk-create template needs a column [${name}] (${REQUIRED_HEADINGS[name]})`);
    }
  }
  // The examples row, as downloaded: every filled cell starts with "Example:".
  const firstRow = rows[0];
  if (firstRow && firstRow.cells.some((c) => c.trim() !== '') && firstRow.cells.every((c) => c.trim() === '' || /^example:/i.test(c.trim()))) rows.shift();

  const changes: Change[] = [];
  const upns = new Map<string, number>();
  for (const row of rows) {
    extraCells(row, head.cells.length, report);
    const fields: FieldChange[] = [];
    for (const col of columns) {
      const raw = (row.cells[col.index] ?? '').trim();
      const at = placeIn(file, row, Math.min(col.index, row.places.length - 1), col.heading);
      if (raw === '') {
        if (col.required) report('changes/missing-value', at, `${col.property.name} is required for a new user`, col.heading);
        continue;
      }
      if (col.blockSignIn) {
        const yn = raw.toLowerCase();
        if (yn !== 'yes' && yn !== 'no') {
          report('changes/bad-value', at, `Block sign in must be Yes or No (got "${raw}")`, col.heading);
          continue;
        }
        // Yes blocks sign-in: the account is disabled.
        fields.push({ property: col.property, value: yn === 'no', at });
        continue;
      }
      const v = convert(col.property, raw, 'csv');
      if (!v.ok) {
        report('changes/bad-value', at, v.message, col.heading);
        continue;
      }
      if (col.property.name === 'userPrincipalName') {
        const key = String(v.value).toLowerCase();
        const first = upns.get(key);
        if (first !== undefined) report('changes/duplicate-user', at, `${String(v.value)} is already on line ${first}`, col.heading);
        else upns.set(key, at.line);
      }
      fields.push({ property: col.property, value: v.value, at });
    }
    changes.push({ kind: 'create', fields, at: { file, line: row.line, column: 1 } });
  }
  return { changes, issues };
}

const REQUIRED_HEADINGS: Readonly<Record<string, string>> = {
  displayName: 'Name [displayName] Required',
  userPrincipalName: 'User name [userPrincipalName] Required',
  passwordProfile: 'Initial password [passwordProfile] Required',
  accountEnabled: 'Block sign in (Yes/No) [accountEnabled] Required',
};

function attributeChanges(file: string, head: Row, rows: Row[], issues: ChangeIssue[], report: Report): { changes: Change[]; issues: ChangeIssue[] } {
  const keyHeading = head.cells[0]!.trim();
  const keyKind = /^(userPrincipalName|id|objectId)$/i.test(keyHeading) ? keyHeading.toLowerCase() : undefined;
  if (!keyKind) {
    report('changes/not-bulk-create', head.places[0]!, `the first heading must be userPrincipalName or id (an attribute-change CSV), or the file must be the Entra admin center's bulk-create template (got "${keyHeading}")`, head.cells[0]);
    return { changes: [], issues };
  }
  const columns: Column[] = [];
  const seen = new Map<string, string>();
  head.cells.forEach((h, index) => {
    if (index === 0) return;
    if (h.trim() === '') {
      report('changes/unknown-heading', head.places[index]!, 'a column without a heading', h);
      return;
    }
    const found = findSettable(h);
    if (!found.ok) {
      report(found.readOnly ? 'changes/read-only-property' : 'changes/unknown-heading', head.places[index]!, found.message, h);
      return;
    }
    const first = seen.get(found.property.graph);
    if (first !== undefined) {
      report('changes/duplicate-heading', head.places[index]!, `sets ${found.property.name}, as "${first}" does`, h);
      return;
    }
    seen.set(found.property.graph, h);
    columns.push({ index, heading: h, property: found.property });
  });
  const changes: Change[] = [];
  const keys = new Map<string, number>();
  for (const row of rows) {
    extraCells(row, head.cells.length, report);
    const key = (row.cells[0] ?? '').trim();
    const keyAt = placeIn(file, row, 0, head.cells[0]);
    if (key === '') {
      report('changes/missing-value', keyAt, `each row needs the user's ${keyHeading}`, head.cells[0]);
      continue;
    }
    if (keyKind === 'userprincipalname' ? !isUpn(key) : !isGuid(key)) {
      report('changes/bad-value', keyAt, keyKind === 'userprincipalname' ? `"${key}" is not a userPrincipalName (alias@domain)` : `"${key}" is not an object id (a GUID)`, head.cells[0]);
      continue;
    }
    const first = keys.get(key.toLowerCase());
    if (first !== undefined) report('changes/duplicate-user', keyAt, `${key} is already on line ${first}`, head.cells[0]);
    else keys.set(key.toLowerCase(), keyAt.line);
    const fields: FieldChange[] = [];
    for (const col of columns) {
      const raw = row.cells[col.index] ?? '';
      if (raw.trim() === '') continue;
      const at = placeIn(file, row, Math.min(col.index, row.places.length - 1), col.heading);
      const v = convert(col.property, raw, 'csv');
      if (!v.ok) report('changes/bad-value', at, v.message, col.heading);
      else fields.push({ property: col.property, value: v.value, at });
    }
    changes.push({ kind: 'set', key, fields, at: keyAt });
  }
  return { changes, issues };
}
