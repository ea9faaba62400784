/** Shared pieces of the CLI: errors that map to exit codes, argument parsing, reading rules. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Issue, ParsedRule } from '../../../grammar/src/index';
import { checkDocument } from '../limits';
import { LineIndex } from '../text';
import { readFailure } from '../tenant/snapshotError';

/** Exit codes of the CLI contract (DESIGN.md). */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** A usage or input error: printed as one line on stderr, exit code 2. */
export class UsageError extends Error {}

export interface Output {
  out(s: string): void;
  err(s: string): void;
}

export type Options = ParseArgsConfig['options'];

export interface ParsedArgs {
  /** Option values: strings for string options, booleans for flags. */
  readonly values: { readonly [name: string]: string | boolean | (string | boolean)[] | undefined };
  readonly positionals: string[];
}

/** util.parseArgs with messages that name the command. */
export function parse(command: string, argv: string[], options: NonNullable<Options>): ParsedArgs {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${command}: ${(e as Error).message.replace(/\. To specify a positional argument.*$/s, '')}`);
  }
}

/** A string option's value. */
export const str = (v: ParsedArgs['values'][string]): string | undefined => (typeof v === 'string' ? v : undefined);

export function formatOption(value: string | undefined, allowed: readonly string[], fallback: string): string {
  const v = value ?? fallback;
  if (!allowed.includes(v)) throw new UsageError(`--format must be one of ${allowed.join(', ')} (got "${v}")`);
  return v;
}

/** A rule from `--rule "<text>"` or a rule file. */
export interface RuleSource {
  readonly label: string;
  readonly text: string;
  readonly parsed: ParsedRule;
  readonly issues: Issue[];
}

export async function readRule(file: string | undefined, ruleText: string | undefined): Promise<RuleSource> {
  if (file && ruleText !== undefined) throw new UsageError('give either a rule file or --rule, not both');
  if (!file && ruleText === undefined) throw new UsageError('give a rule file or --rule "<rule text>"');
  let text: string;
  let label: string;
  if (ruleText !== undefined) {
    text = ruleText;
    label = '--rule';
  } else {
    label = file!;
    text = await readText(file!);
  }
  const { parsed, issues } = checkDocument(text);
  return { label, text, parsed, issues };
}

export async function readText(file: string): Promise<string> {
  try {
    const st = await fs.stat(file);
    if (st.isDirectory()) throw new UsageError(`${file} is a folder; give a rule file`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${file}: no such file`);
  }
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: ${readFailure(e)}`);
  }
}

/** `file:line:col` for an issue (1-based, as compilers print). */
export function where(label: string, text: string, issue: Issue): string {
  const p = new LineIndex(text).position(issue.span.start);
  return `${label}:${p.line + 1}:${p.character + 1}`;
}

/** Refuses to evaluate a rule with errors: its meaning is undefined. */
export function requireNoErrors(src: RuleSource): void {
  const errors = src.issues.filter((i) => i.severity === 'error');
  if (errors.length === 0) return;
  const first = errors[0]!;
  throw new UsageError(`${where(src.label, src.text, first)}: ${first.code}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''}; run dynrule check)` : ''}`);
}

/**
 * Every `.dynrule` file under the given files and folders, in a stable order; files given by name
 * are taken whatever their extension. `extensions` widens the walk (e.g. to `.tf` files).
 */
export async function ruleFiles(inputs: readonly string[], extensions: readonly string[] = ['.dynrule']): Promise<string[]> {
  const out: string[] = [];
  const walk = async (p: string): Promise<void> => {
    const entries = await fs.readdir(p, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const full = path.join(p, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && !e.name.startsWith('.')) await walk(full);
      } else if (extensions.some((x) => e.name.toLowerCase().endsWith(x))) out.push(full);
    }
  };
  for (const input of inputs) {
    let st;
    try {
      st = await fs.stat(input);
    } catch {
      throw new UsageError(`${input}: no such file or folder`);
    }
    if (st.isDirectory()) await walk(input);
    else out.push(input);
  }
  return out;
}

/** Parses `--now` (an ISO date-time) for reproducible `system.now`. */
export function parseNow(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new UsageError(`--now must be an ISO 8601 date-time (got "${value}")`);
  return ms;
}
