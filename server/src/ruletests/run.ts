/**
 * Runs rule test files: each case evaluates the rule for one user or device (from the tenant, or
 * written inline) and compares with the expectation; a failing case carries the trace that shows
 * why. Used by `dynrule test` and by the editor's Test Explorer.
 */
import * as path from 'node:path';
import { blocksEvaluation } from '../../../grammar/src/index';
import {
  compileRule, evaluateColumnar, interpret, T, U, type EvalOptions, type GraphObject, type TraceNode, type Tri3,
} from '../../../grammar/engine/src/index';
import { FileReadError, readTextFile } from '../files';
import { checkDocument, MAX_RULE_FILE_BYTES } from '../limits';
import { LineIndex } from '../text';
import { findDeviceIn, tableOf } from '../tenant/queries';
import { findUser, loadSnapshot, SnapshotError, type Snapshot } from '../tenant/snapshot';
import { lineColumn, printable } from '../tenant/jsonError';
import { readRuleTestFile, RuleTestFileError, type Expectation, type RuleTestFile, type Span } from './file';

export interface CaseResult {
  readonly name: string;
  readonly kind: 'user' | 'device';
  readonly expect: Expectation;
  /** The result, or `error` when the case could not run (its subject is not in the tenant...). */
  readonly actual: Expectation | 'error';
  readonly passed: boolean;
  /** Why it failed, in one sentence. */
  readonly message?: string;
  /** The evaluation trace (failing cases). */
  readonly trace?: TraceNode;
  /** Who was evaluated: display name and UPN, or "inline user". */
  readonly subject: string;
  readonly span: Span;
  /** 1-based line of the case in the test file. */
  readonly line: number;
  readonly durationMs: number;
}

export interface CountResult {
  readonly min?: number;
  readonly max?: number;
  readonly actual: number;
  readonly unknown: number;
  readonly passed: boolean;
  readonly line: number;
}

export interface FileResult {
  readonly file: string;
  readonly rule?: string;
  readonly tenant?: string;
  /** The file could not run at all (bad JSON, missing rule, rule with errors...). */
  readonly error?: { readonly message: string; readonly line: number; readonly column: number };
  readonly cases: CaseResult[];
  readonly count?: CountResult;
  readonly durationMs: number;
}

export interface RunResult {
  readonly files: FileResult[];
  readonly passed: number;
  readonly failed: number;
  /** Files that could not run. */
  readonly errors: number;
}

export interface RunOptions {
  /** The tenant folder for files that do not name one. */
  readonly tenant?: string;
  readonly now?: number;
  /** Loads (and caches) a tenant; tests and the editor pass their own. */
  readonly loadTenant?: (dir: string) => Promise<Snapshot>;
  /** Only these case names (the editor runs one case). */
  readonly only?: (file: string, caseName: string) => boolean;
  /**
   * Asked between cases (the run yields to the event loop every {@link YIELD_EVERY} cases, so a
   * cancellation can arrive): true stops the run, which returns the cases run so far.
   */
  readonly isCancelled?: () => boolean;
}

/** Cases run between two looks at the event loop (a few milliseconds of work). */
const YIELD_EVERY = 500;

const asExpectation = (r: Tri3): Expectation => (r === T ? 'member' : r === U ? 'unknown' : 'notMember');

function label(o: GraphObject, inline: boolean, kind: 'user' | 'device'): string {
  if (inline) return `inline ${kind}${typeof o['displayName'] === 'string' ? ` "${o['displayName']}"` : ''}`;
  const name = typeof o['displayName'] === 'string' ? o['displayName'] : String(o['id']);
  const upn = o['userPrincipalName'];
  return typeof upn === 'string' ? `${name} <${upn}>` : name;
}

function findDevice(s: Snapshot, key: string): GraphObject | undefined {
  return findDeviceIn(s, key);
}

/** A tenant loader that reads each folder once. */
export function cachingLoader(): (dir: string) => Promise<Snapshot> {
  const cache = new Map<string, Promise<Snapshot>>();
  return (dir) => {
    const key = path.resolve(dir);
    let p = cache.get(key);
    if (!p) cache.set(key, (p = loadSnapshot(key)));
    return p;
  };
}

/** Runs one already-read test file. */
export async function runRuleTestFile(tf: RuleTestFile, options: RunOptions = {}): Promise<FileResult> {
  const t0 = Date.now();
  const fileError = (message: string, offset: number, extra: Partial<FileResult> = {}): FileResult => {
    const { line, column } = lineColumn(tf.text, offset);
    return { file: tf.file, ...extra, error: { message, line, column }, cases: [], durationMs: Date.now() - t0 };
  };
  // The rule file as the test file names it ("." would be an empty relative path).
  const ruleRel = printable(tf.ruleAsWritten, 200);
  let ruleText: string;
  try {
    ruleText = await readTextFile(tf.rule, MAX_RULE_FILE_BYTES);
  } catch (e) {
    if (!(e instanceof FileReadError)) throw e;
    const where = e.line !== undefined ? `${ruleRel}:${e.line}:${e.column ?? 1}: ` : '';
    return fileError(`the rule file ${where ? `${ruleRel} cannot be read (${where}${e.reason})` : `${ruleRel} ${e.reason}`}`, tf.ruleSpan.start);
  }
  const { parsed, issues } = checkDocument(ruleText, options.now !== undefined ? { now: options.now } : {});
  // A retired memberOf rule is tested all the same: its cases say whom it selects.
  const ruleErrors = issues.filter(blocksEvaluation);
  if (ruleErrors.length) {
    const { line, column } = lineColumn(ruleText, ruleErrors[0]!.span.start);
    return fileError(`the rule ${ruleRel} has errors (${ruleRel}:${line}:${column} ${ruleErrors[0]!.code}: ${ruleErrors[0]!.message})`, tf.ruleSpan.start, { rule: tf.rule });
  }
  const evalOptions: EvalOptions = options.now !== undefined ? { now: options.now } : {};
  const compiled = compileRule(parsed, evalOptions);
  const inlineCompiled = compileRule(parsed, { ...evalOptions, missingAsNull: true });
  if (!compiled.ok || !inlineCompiled.ok || !parsed.expr) return fileError(`the rule ${ruleRel} cannot be evaluated`, tf.ruleSpan.start, { rule: tf.rule });
  const rule = compiled.rule;

  const tenantDir = tf.tenant ?? options.tenant;
  const needsTenant = tf.count !== undefined || tf.cases.some((c) => typeof c.subject === 'string');
  let tenant: Snapshot | undefined;
  if (needsTenant) {
    if (!tenantDir) return fileError('cases name tenant users or devices, but there is no "tenant" folder (add "tenant" to the file or pass --tenant)', 0, { rule: tf.rule });
    try {
      tenant = await (options.loadTenant ?? cachingLoader())(tenantDir);
    } catch (e) {
      return fileError(e instanceof SnapshotError ? `tenant ${e.message}` : `tenant ${tenantDir}: ${String(e)}`, 0, { rule: tf.rule, tenant: tenantDir });
    }
  }

  const cases: CaseResult[] = [];
  // Lines are found from one index of the file: scanning the text from its start for every case
  // made a file of n cases cost n² (10,000 cases: 16 s).
  const lines = new LineIndex(tf.text);
  const lineOf = (offset: number): number => lines.position(offset).line + 1;
  let sinceYield = 0;
  for (const c of tf.cases) {
    if (options.only && !options.only(tf.file, c.name)) continue;
    if (++sinceYield === YIELD_EVERY) {
      sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (options.isCancelled?.()) break;
    const c0 = Date.now();
    const line = lineOf(c.span.start);
    const base = { name: c.name, kind: c.kind, expect: c.expect, span: c.span, line };
    if (c.kind !== rule.object) {
      cases.push({ ...base, actual: 'error', passed: false, subject: String(typeof c.subject === 'string' ? c.subject : 'inline'), message: `the rule is a ${rule.object} rule; this case tests a ${c.kind}`, durationMs: Date.now() - c0 });
      continue;
    }
    const inline = typeof c.subject !== 'string';
    const obj = inline ? (c.subject as GraphObject) : c.kind === 'user' ? findUser(tenant!, c.subject as string) : findDevice(tenant!, c.subject as string);
    if (!obj) {
      cases.push({ ...base, actual: 'error', passed: false, subject: String(c.subject), message: `no ${c.kind} "${printable(String(c.subject), 100)}" in ${tenant!.name}`, durationMs: Date.now() - c0 });
      continue;
    }
    const r = (inline ? inlineCompiled.rule : rule).test(obj);
    const actual = asExpectation(r);
    const passed = actual === c.expect;
    const result: CaseResult = {
      ...base, actual, passed, subject: label(obj, inline, c.kind), durationMs: Date.now() - c0,
      ...(passed ? {} : {
        message: `expected ${c.expect}, got ${actual}`,
        trace: interpret(parsed.text, parsed.expr, obj, inline ? { ...evalOptions, missingAsNull: true } : evalOptions),
      }),
    };
    cases.push(result);
  }

  let count: CountResult | undefined;
  if (tf.count && tenant && !options.only && !options.isCancelled?.()) {
    // Over the snapshot's columns: every user or device at once.
    const table = tableOf(tenant, rule.object);
    const bits = table && evaluateColumnar(parsed.expr, table, evalOptions);
    const actual = bits ? bits.count('t') : 0;
    const unknown = bits ? bits.count('u') : 0;
    const passed = (tf.count.min === undefined || actual >= tf.count.min) && (tf.count.max === undefined || actual <= tf.count.max);
    count = { ...(tf.count.min !== undefined ? { min: tf.count.min } : {}), ...(tf.count.max !== undefined ? { max: tf.count.max } : {}), actual, unknown, passed, line: lineOf(tf.count.span.start) };
  }
  return { file: tf.file, rule: tf.rule, ...(tenantDir ? { tenant: tenantDir } : {}), cases, ...(count ? { count } : {}), durationMs: Date.now() - t0 };
}

/** Reads and runs test files. A file that cannot be read or parsed becomes a file error. */
export async function runRuleTests(files: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const loadTenant = options.loadTenant ?? cachingLoader();
  const results: FileResult[] = [];
  for (const file of files) {
    try {
      const tf = await readRuleTestFile(file);
      results.push(await runRuleTestFile(tf, { ...options, loadTenant }));
    } catch (e) {
      if (!(e instanceof RuleTestFileError)) throw e;
      results.push({ file, error: { message: e.reason, line: e.line, column: e.column }, cases: [], durationMs: 0 });
    }
  }
  let passed = 0;
  let failed = 0;
  for (const f of results) {
    for (const c of f.cases) c.passed ? passed++ : failed++;
    if (f.count) f.count.passed ? passed++ : failed++;
  }
  return { files: results, passed, failed, errors: results.filter((f) => f.error).length };
}
