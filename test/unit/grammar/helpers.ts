/**
 * Small helpers shared by the language-core tests: run the checks on a rule, apply a quick fix
 * the way an editor would, and read the sample folders.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkRule, parseRule, type CheckOptions, type Fix, type Issue, type TextEdit } from '../../../grammar/src/index';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Parses and checks a document. */
export function check(text: string, options?: CheckOptions): Issue[] {
  return checkRule(parseRule(text), options);
}

/** Issues of error or warning severity: the ones a valid rule must not have. */
export function problems(issues: readonly Issue[]): Issue[] {
  return issues.filter((i) => i.severity === 'error' || i.severity === 'warning');
}

/**
 * Applies a fix's edits to the text as an editor does: every span refers to the original text, so
 * the edits are applied from the last to the first. Overlapping edits are a bug in the fix.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.span.end > limit) throw new Error(`overlapping edits at ${e.span.start}-${e.span.end}`);
    if (e.span.start < 0 || e.span.end > text.length || e.span.start > e.span.end) throw new Error(`edit outside the text: ${e.span.start}-${e.span.end}`);
    out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
    limit = e.span.start;
  }
  return out;
}

export function applyFix(text: string, fix: Fix): string {
  return applyEdits(text, fix.edits);
}

/** The text an issue covers. */
export function covered(text: string, i: Issue): string {
  return text.slice(i.span.start, i.span.end);
}

/** A sample file: its name and text. */
export interface Sample {
  readonly name: string;
  readonly text: string;
}

export function samples(folder: 'rules' | 'invalid'): Sample[] {
  const dir = join(ROOT, 'samples', folder);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.dynrule'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
}

/** The codes a broken sample's first line names: `# expect: a/b, c/d`. */
export function expectedCodes(text: string): string[] | undefined {
  const m = /^#\s*expect:\s*(.+)$/m.exec(text.split(/\r?\n/, 1)[0] ?? '');
  return m ? m[1]!.split(',').map((c) => c.trim()).filter(Boolean) : undefined;
}
