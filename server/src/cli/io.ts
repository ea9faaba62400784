/** Shared pieces of the CLI: errors that map to exit codes, argument parsing, reading rules. */
import { promises as fs } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { blocksEvaluation, type Issue, type ParsedRule } from '../../../grammar/src/index';
import { FileReadError, filesUnder, readTextFile } from '../files';
import { checkDocument, MAX_RULE_FILE_BYTES } from '../limits';
import { terminalText } from '../printable';
import { LineIndex } from '../text';

/** Exit codes of the CLI contract (README, The command line): 3 is a fault of ours. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
/** An internal error: a bug in dynrule, not in the input. Distinct from 2 so scripts need not read stderr to tell. */
export const EXIT_INTERNAL = 3;

export const EXIT_CODES_HELP = 'Exit codes: 0 ok, 1 findings or failures, 2 usage or input error, 3 internal error (a bug: please report it).';

/** A usage or input error: printed as one line on stderr, exit code 2. */
export class UsageError extends Error {}

/**
 * Where a command prints: one line a call. Every line passes through {@link terminalOutput} on
 * its way (main.ts), so tenant data cannot move the cursor, erase lines or forge a line break in
 * a terminal or a CI log. A document of several lines (JSON, JUnit XML, the help) goes through
 * {@link outLines}.
 */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

/** The one way out of the CLI: every character a terminal would act on is written as an escape. */
export function terminalOutput(io: Output): Output {
  return { out: (line) => io.out(terminalText(line)), err: (line) => io.err(terminalText(line)) };
}

/** A document of several lines, a line a call (the JSON printed is one value; its line breaks are layout). */
export function outLines(io: Output, text: string): void {
  for (const line of text.split('\n')) io.out(line);
}

export type Options = ParseArgsConfig['options'];

export interface ParsedArgs {
  /** Option values: strings for string options, booleans for flags. */
  readonly values: { readonly [name: string]: string | boolean | (string | boolean)[] | undefined };
  readonly positionals: string[];
}

/**
 * util.parseArgs with messages that name the command, on one line. The argument after a string
 * option is its value even when it starts with a dash: a rule may begin with `-not`, and
 * `--rule "-not (…)"` means that rule, not the flags -n, -o, -t (parseArgs alone refuses it as
 * ambiguous). Only an argument starting with `--` is taken as the next option.
 */
export function parse(command: string, argv: string[], options: NonNullable<Options>): ParsedArgs {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if (a.startsWith('--') && !a.includes('=') && options[a.slice(2)]?.type === 'string' && next !== undefined && next.startsWith('-') && !next.startsWith('--')) {
      args.push(`${a}=${next}`);
      i++;
    } else args.push(a);
  }
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${command}: ${(e as Error).message.replace(/\. To specify a positional argument.*$/s, '').replace(/\s*\n\s*/g, ' ')}`);
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

/** Reads and checks a rule; `now` is the time the checks stand at (`--now`; default: the clock). */
export async function readRule(file: string | undefined, ruleText: string | undefined, now?: number): Promise<RuleSource> {
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
  const { parsed, issues } = checkDocument(text, now !== undefined ? { now } : {});
  return { label, text, parsed, issues };
}

/** A rule file's text (server/src/files.ts: a regular UTF-8 file, size checked before reading). */
export async function readText(file: string): Promise<string> {
  try {
    const st = await fs.stat(file);
    if (st.isDirectory()) throw new UsageError(`${file} is a folder; give a rule file`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${file}: no such file`);
  }
  try {
    return await readTextFile(file, MAX_RULE_FILE_BYTES);
  } catch (e) {
    if (e instanceof FileReadError) throw new UsageError(e.message);
    throw e;
  }
}

/** `file:line:col` for an issue (1-based, as compilers print). */
export function where(label: string, text: string, issue: Issue): string {
  const p = new LineIndex(text).position(issue.span.start);
  return `${label}:${p.line + 1}:${p.character + 1}`;
}

/**
 * Refuses to evaluate a rule with errors: its meaning is undefined. A retired memberOf rule is
 * evaluated all the same, to show whom it selects (its error is on stderr as a note).
 */
export function requireNoErrors(src: RuleSource, io: Output): void {
  for (const i of src.issues) if (i.severity === 'error' && !blocksEvaluation(i)) io.err(`dynrule: note: ${where(src.label, src.text, i)}: ${i.code}: ${i.message}`);
  const errors = src.issues.filter(blocksEvaluation);
  if (errors.length === 0) return;
  const first = errors[0]!;
  throw new UsageError(`${where(src.label, src.text, first)}: ${first.code}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''}; run dynrule check)` : ''}`);
}

/**
 * Every `.dynrule` file under the given files and folders, in a stable order; files given by name
 * are taken whatever their extension. `extensions` widens the walk (e.g. to `.tf` files).
 */
export function ruleFiles(inputs: readonly string[], extensions: readonly string[] = ['.dynrule']): Promise<string[]> {
  return filesUnder(inputs, (name) => extensions.some((x) => name.toLowerCase().endsWith(x)), (input) => new UsageError(`${input}: no such file or folder`));
}

/** Parses `--now` (an ISO date-time) for reproducible `system.now`. */
export function parseNow(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  // Date.parse rolls 2026-02-30 over into March: the date part must name a day of the calendar.
  const date = /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})(?:$|T)/.exec(value);
  const real = date !== null && !Number.isNaN(ms) && (() => {
    const d = new Date(Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3])));
    return d.getUTCFullYear() === Number(date[1]) && d.getUTCMonth() === Number(date[2]) - 1 && d.getUTCDate() === Number(date[3]);
  })();
  if (!real) throw new UsageError(`--now must be an ISO 8601 date-time (got "${value}")`);
  return ms;
}
