/**
 * `pullRules`: one rule file per dynamic group and dynamic administrative unit, in one folder
 * (README, "The whole tenant"). A record in the folder, `.dynrule-pull.json`, remembers for each
 * object the file it went to, the hash of the text written and the hash of the tenant's rule, so
 * that a later pull
 *
 * - rewrites a file nobody edited when the tenant's rule (or its header: name, state, licenses)
 *   changed;
 * - leaves a file edited here alone while the tenant's rule stays as it was;
 * - when both changed, writes the tenant's version beside it as `<file>.tenant` and reports a
 *   conflict, until that copy is deleted (merged) or the file matches the tenant's rule again;
 * - reports objects gone from the tenant, keeping their files.
 *
 * Files are written to a temporary name and renamed, so a link planted at a file's name is
 * replaced, never followed. Nothing is written outside the folder (fileNames.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findServicePlan, findSku } from '../../../grammar/src/licensing';
import { terminalText } from '../printable';
import { LineIndex, type Position } from '../text';
import type { GraphGroup, Snapshot } from '../tenant/snapshot';
import { dynamicObjects, type DynamicObject } from './dynamic';
import { chooseFileName, inside, isSafeFileName, nameKey, OBJECT_ID, TENANT_COPY_EXTENSION } from './fileNames';
import type { AuditKind, PullConflict, PulledFile, PullOptions, PullResult } from './types';

export const PULL_RECORD = '.dynrule-pull.json';

/** An error in the pull's input (the folder, its record) that stops it; the message names the file and position. */
export class PullError extends Error {}

interface RecordEntry {
  /** The object id as the tenant writes it (the record is keyed by it; lookups ignore case). */
  id: string;
  file: string;
  kind: AuditKind;
  /** sha256 of the text last written to the file. */
  fileHash: string;
  /** sha256 of the tenant's rule when last written or reconciled. */
  ruleHash: string;
}

interface PullRecord {
  version: 1;
  files: Record<string, RecordEntry>;
}

const sha = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** Reads the folder's record; an empty one when there is none. */
export function readRecord(outDir: string): PullRecord {
  const file = path.join(outDir, PULL_RECORD);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, files: {} };
    throw new PullError(`${file}: cannot be read (${(e as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const at = /position (\d+)/.exec((e as Error).message);
    const where = at ? new LineIndex(text).position(Number(at[1])) : undefined;
    throw new PullError(`${file}${where ? `:${where.line + 1}:${where.character + 1}` : ''}: not valid JSON (${(e as Error).message}); delete it to pull afresh`);
  }
  const files = (data as { files?: unknown } | null)?.files;
  if (typeof data !== 'object' || data === null || (data as { version?: unknown }).version !== 1 || typeof files !== 'object' || files === null || Array.isArray(files)) {
    throw new PullError(`${file}: not a pull record (expected {"version": 1, "files": {...}}); delete it to pull afresh`);
  }
  const out: Record<string, RecordEntry> = {};
  for (const [id, e] of Object.entries(files as Record<string, unknown>)) {
    const entry = e as Partial<Omit<RecordEntry, 'id'>> | null;
    const ok = entry && typeof entry.file === 'string' && isSafeFileName(entry.file) && OBJECT_ID.test(id)
      && (entry.kind === 'group' || entry.kind === 'administrativeUnit') && typeof entry.fileHash === 'string' && typeof entry.ruleHash === 'string';
    if (!ok) throw new PullError(`${file}: the entry for ${JSON.stringify(terminalText(id.slice(0, 80)))} is not valid (a plain .dynrule file name, its kind and two hashes); delete the record to pull afresh`);
    out[id.toLowerCase()] = { ...(entry as Omit<RecordEntry, 'id'>), id };
  }
  return { version: 1, files: out };
}

/** Writes `text` to `full` through a temporary file in the same folder. */
function writeFile(full: string, text: string): void {
  const tmp = path.join(path.dirname(full), `.dynrule-pull-${randomBytes(6).toString('hex')}.tmp`);
  fs.writeFileSync(tmp, text, { flag: 'wx' });
  try {
    fs.renameSync(tmp, full);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

type OnDisk = { kind: 'none' } | { kind: 'file'; text: string } | { kind: 'other' };

function onDisk(full: string): OnDisk {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(full);
  } catch {
    return { kind: 'none' };
  }
  if (!st.isFile()) return { kind: 'other' };
  return { kind: 'file', text: fs.readFileSync(full, 'utf8') };
}

/** The skuPartNumbers a group assigns, with the plans it disables. */
function licenseNames(s: Snapshot, g: GraphGroup): string[] {
  if (!Array.isArray(g.assignedLicenses)) return [];
  return g.assignedLicenses.filter((l) => typeof l?.skuId === 'string').map((l) => {
    const sku = s.skus?.find((k) => k.skuId.toLowerCase() === l.skuId.toLowerCase())?.skuPartNumber ?? findSku(l.skuId)?.skuPartNumber ?? l.skuId;
    const off = (Array.isArray(l.disabledPlans) ? l.disabledPlans : [] as readonly unknown[]).map((p: unknown) => findServicePlan(String(p))?.servicePlanName ?? String(p));
    return terminalText(`${sku}${off.length ? ` (without ${off.join(', ')})` : ''}`);
  });
}

const directiveFor: Record<AuditKind, string> = { group: 'group', administrativeUnit: 'administrativeUnit' };
const labelFor: Record<AuditKind, string> = { group: 'Dynamic group', administrativeUnit: 'Dynamic administrative unit' };

/** The file's text: a comment header, the directive naming the object, the rule as the tenant holds it. */
export function renderRuleFile(s: Snapshot, o: DynamicObject, rule: string): string {
  const g = o.source;
  const name = terminalText(String(g.displayName ?? g.id)).slice(0, 256);
  const state = typeof g['membershipRuleProcessingState'] === 'string' ? terminalText(g['membershipRuleProcessingState'] as string).slice(0, 40) : 'unknown';
  const lines = [
    `# ${labelFor[o.kind]}: ${name}`,
    `# Object id ${g.id}; rule processing: ${state}`,
  ];
  if (o.kind === 'group') {
    const licenses = licenseNames(s, g);
    lines.push(`# Licenses it assigns: ${licenses.length ? licenses.join(', ') : 'none'}`);
  }
  lines.push('# Pulled with dynrule pull: a later pull updates this file while it is not edited here.');
  lines.push(`# @${directiveFor[o.kind]} "${g.id}"`);
  return `${lines.join('\n')}\n${rule}${rule.endsWith('\n') ? '' : '\n'}`;
}

/** The rule of a rule file's text: every line but the `#` comment lines, trimmed. */
const ruleOf = (text: string): string => text.split(/\r?\n|\r/).filter((l) => !l.trimStart().startsWith('#')).join('\n').trim();

/** Where the rule starts in a pulled file: after the leading comment and blank lines. */
function ruleStart(fileText: string): number {
  let offset = 0;
  for (const m of fileText.matchAll(/[^\r\n]*(\r\n|\r|\n|$)/g)) {
    if (m[0] === '') break;
    const line = m[0].trim();
    if (line !== '' && !line.startsWith('#')) return offset;
    offset += m[0].length;
  }
  return offset;
}

/** Where an offset into the rule (as the tenant holds it) is in the pulled file's text. */
export function filePosition(fileText: string, ruleOffset: number): Position {
  return new LineIndex(fileText).position(ruleStart(fileText) + Math.max(0, ruleOffset));
}

/** The pulled file of a group or administrative unit, from the folder's record; undefined when it was not pulled there. */
export function pulledFileOf(outDir: string, id: string): string | undefined {
  let record: PullRecord;
  try {
    record = readRecord(outDir);
  } catch {
    return undefined;
  }
  const entry = record.files[id.toLowerCase()];
  return entry ? inside(outDir, entry.file) : undefined;
}

export function pullRules(snapshot: Snapshot, outDir: string, options: PullOptions = {}): PullResult {
  const st = fs.statSync(outDir, { throwIfNoEntry: false });
  if (st && !st.isDirectory()) throw new PullError(`${outDir} is not a folder`);
  const dry = options.dryRun === true;
  if (!dry) fs.mkdirSync(outDir, { recursive: true });
  const writeAtomically = dry ? (): void => {} : writeFile;
  const record = readRecord(outDir);
  const written: PulledFile[] = [];
  const unchanged: PulledFile[] = [];
  const conflicts: PullConflict[] = [];
  const noRule: PullResult['noRule'][number][] = [];
  const skipped: { id: string; displayName: string; kind: AuditKind; reason: string }[] = [];

  // Names in use: every file in the folder and every name the record holds.
  const taken = new Set<string>(st ? fs.readdirSync(outDir).map(nameKey) : []);
  for (const e of Object.values(record.files)) taken.add(nameKey(e.file));

  const objects = dynamicObjects(snapshot).sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'group' ? -1 : 1) || a.source.id.localeCompare(b.source.id));
  const present = new Set<string>();
  for (const o of objects) {
    const g = o.source;
    const id = g.id;
    const displayName = typeof g.displayName === 'string' ? g.displayName : id;
    if (!OBJECT_ID.test(id)) {
      skipped.push({ id, displayName, kind: o.kind, reason: 'its id is not a Graph object id' });
      continue;
    }
    const key = id.toLowerCase();
    present.add(key);
    const rule = typeof g.membershipRule === 'string' && g.membershipRule.trim() !== '' ? g.membershipRule : null;
    if (rule === null) {
      noRule.push({ id, displayName, kind: o.kind });
      continue;
    }
    if (rule.split(/\r?\n|\r/).some((l) => l.trimStart().startsWith('#'))) {
      skipped.push({ id, displayName, kind: o.kind, reason: 'a line of its rule starts with #, which a rule file reads as a comment' });
      continue;
    }
    const content = renderRuleFile(snapshot, o, rule);
    const ruleHash = sha(rule.trim());
    let entry = record.files[key];
    if (!entry) {
      const file = chooseFileName(displayName, id, taken);
      taken.add(nameKey(file));
      writeAtomically(inside(outDir, file), content);
      record.files[key] = { id, file, kind: o.kind, fileHash: sha(content), ruleHash };
      written.push({ file, id });
      continue;
    }
    const file = entry.file;
    const full = inside(outDir, file);
    const disk = onDisk(full);
    const record1 = (e: Partial<RecordEntry>): void => { entry = record.files[key] = { ...entry!, ...e }; };
    if (disk.kind === 'other') {
      conflicts.push({ file, id, reason: `${file} is not a regular file; move it away to pull this rule again` });
      continue;
    }
    if (disk.kind === 'none') {
      writeAtomically(full, content);
      record1({ fileHash: sha(content), ruleHash });
      written.push({ file, id });
      continue;
    }
    const tenantCopy = `${file}${TENANT_COPY_EXTENSION}`;
    if (disk.text === content) {
      record1({ fileHash: sha(content), ruleHash });
      unchanged.push({ file, id });
      continue;
    }
    if (sha(disk.text) === entry.fileHash) {
      // Not edited here: the tenant's side changed (the rule or the header).
      writeAtomically(full, content);
      record1({ fileHash: sha(content), ruleHash });
      written.push({ file, id });
      continue;
    }
    // Edited here.
    if (ruleOf(disk.text) === rule.trim()) {
      // The edit is the tenant's rule now (or only touched comments): in step.
      record1({ ruleHash });
      unchanged.push({ file, id });
      continue;
    }
    if (ruleHash === entry.ruleHash) {
      if (onDisk(inside(outDir, tenantCopy)).kind === 'file') {
        conflicts.push({ file, id, tenantFile: tenantCopy, reason: `edited here and changed in the tenant: merge ${tenantCopy} into ${file}, then delete ${tenantCopy}` });
      } else unchanged.push({ file, id });
      continue;
    }
    writeAtomically(inside(outDir, tenantCopy), content);
    record1({ ruleHash });
    conflicts.push({ file, id, tenantFile: tenantCopy, reason: `edited here and changed in the tenant: the tenant's version is in ${tenantCopy}; merge it into ${file}, then delete ${tenantCopy}` });
  }

  const gone: PulledFile[] = [];
  for (const [key, e] of Object.entries(record.files)) if (!present.has(key)) gone.push({ file: e.file, id: e.id });

  const files = Object.fromEntries(Object.values(record.files).sort((a, b) => a.id.localeCompare(b.id))
    .map(({ id, file, kind, fileHash, ruleHash }) => [id, { file, kind, fileHash, ruleHash }]));
  writeAtomically(path.join(outDir, PULL_RECORD), `${JSON.stringify({ version: 1, files }, null, 2)}\n`);
  // Objects were taken in id order (so that namesakes are named the same way every time); the lists read by file.
  const byFile = <T extends PulledFile>(list: T[]): T[] => list.sort((a, b) => a.file.localeCompare(b.file, 'en'));
  return { written: byFile(written), unchanged: byFile(unchanged), conflicts: byFile(conflicts), gone: byFile(gone), noRule, skipped };
}
