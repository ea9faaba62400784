/**
 * Rule test files (`*.ruletests.json`, README, Files):
 *
 *   {"rule": "sales.dynrule", "tenant": "../tenant/contoso",
 *    "count": {"min": 10, "max": 60},
 *    "cases": [{"name": "...", "user": "alice@contoso.com" | {inline user}, "expect": "member" | "notMember"}]}
 *
 * `device` instead of `user` for device rules; `expect` may also be `unknown`. Paths are relative
 * to the test file. Reading validates the shape and keeps each case's position in the file.
 */
import * as path from 'node:path';
import type { GraphObject } from '../../../grammar/engine/src/index';
import { parseJsonWithLocations } from '../jsonLocations';
import { lineColumn, printable } from '../tenant/jsonError';
import { FileReadError, filesUnder, readTextFile } from '../files';

export type Expectation = 'member' | 'notMember' | 'unknown';

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface TestCase {
  readonly name: string;
  readonly kind: 'user' | 'device';
  /** A UPN or object id in the tenant, or an inline Graph object. */
  readonly subject: string | GraphObject;
  readonly expect: Expectation;
  /** The case's offsets in the test file. */
  readonly span: Span;
}

export interface RuleTestFile {
  readonly file: string;
  readonly text: string;
  /** The rule file, resolved against the test file's folder. */
  readonly rule: string;
  /** The rule file as the test file names it, for messages. */
  readonly ruleAsWritten: string;
  readonly ruleSpan: Span;
  /** The tenant folder, resolved, if the file names one. */
  readonly tenant: string | undefined;
  readonly count: { readonly min?: number; readonly max?: number; readonly span: Span } | undefined;
  readonly cases: readonly TestCase[];
}

/** A test file that cannot be used, with the position of the problem. */
export class RuleTestFileError extends Error {
  constructor(readonly file: string, readonly reason: string, readonly offset: number, readonly line: number, readonly column: number) {
    super(`${file}:${line}:${column}: ${reason}`);
  }
}

const EXPECT: readonly Expectation[] = ['member', 'notMember', 'unknown'];

/** The largest rule test file read (20,000 cases are about 2 MB); checked before reading. */
export const MAX_RULE_TEST_FILE_BYTES = 64 << 20;

export async function readRuleTestFile(file: string): Promise<RuleTestFile> {
  let text: string;
  try {
    text = await readTextFile(file, MAX_RULE_TEST_FILE_BYTES);
  } catch (e) {
    if (!(e instanceof FileReadError)) throw e;
    throw new RuleTestFileError(file, e.reason, 0, e.line ?? 1, e.column ?? 1);
  }
  return parseRuleTestFile(file, text);
}

/** Validates a test file's text. Throws RuleTestFileError with the position of the first problem. */
export function parseRuleTestFile(file: string, text: string): RuleTestFile {
  const parsed = parseJsonWithLocations(text);
  if (!parsed.ok) throw new RuleTestFileError(file, `invalid JSON: ${parsed.error.message}`, parsed.error.offset, parsed.error.line, parsed.error.column);
  const { value, locate } = parsed.json;
  const fail = (where: (string | number)[], reason: string): never => {
    const at = locate(where)?.start ?? 0;
    const { line, column } = lineColumn(text, at);
    throw new RuleTestFileError(file, reason, at, line, column);
  };
  const spanOf = (where: (string | number)[]): Span => locate(where) ?? { start: 0, end: 0 };

  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail([], 'a rule test file is a JSON object with "rule" and "cases"');
  const root = value as Record<string, unknown>;
  for (const key of Object.keys(root)) {
    if (!['$schema', 'rule', 'tenant', 'count', 'cases', 'description'].includes(key)) fail([key], `unknown property "${printable(key)}" (expected rule, tenant, count, cases)`);
  }
  if (typeof root['rule'] !== 'string' || root['rule'] === '') fail(root['rule'] === undefined ? [] : ['rule'], '"rule" must name the rule file, relative to this file');
  if (root['tenant'] !== undefined && typeof root['tenant'] !== 'string') fail(['tenant'], '"tenant" must be a folder path');
  const dir = path.dirname(file);

  let count: RuleTestFile['count'];
  if (root['count'] !== undefined) {
    const c = root['count'];
    if (c === null || typeof c !== 'object' || Array.isArray(c)) fail(['count'], '"count" is an object {"min": N, "max": N}');
    const { min, max, ...rest } = c as Record<string, unknown>;
    if (Object.keys(rest).length) fail(['count', Object.keys(rest)[0]!], '"count" takes only "min" and "max"');
    for (const [k, v] of [['min', min], ['max', max]] as const) {
      if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) fail(['count', k], `"count.${k}" must be a whole number ≥ 0`);
    }
    count = { ...(min !== undefined ? { min: min as number } : {}), ...(max !== undefined ? { max: max as number } : {}), span: spanOf(['count']) };
  }

  const rawCases = root['cases'];
  if (!Array.isArray(rawCases)) fail(rawCases === undefined ? [] : ['cases'], '"cases" must be an array of test cases');
  const cases: TestCase[] = [];
  const names = new Set<string>();
  (rawCases as unknown[]).forEach((c, i) => {
    const at = ['cases', i];
    if (c === null || typeof c !== 'object' || Array.isArray(c)) fail(at, `cases[${i}] must be an object with "name", "user" or "device", and "expect"`);
    const o = c as Record<string, unknown>;
    for (const key of Object.keys(o)) {
      if (!['name', 'user', 'device', 'expect', 'description'].includes(key)) fail([...at, key], `unknown property "${printable(key)}" in cases[${i}]`);
    }
    if (typeof o['name'] !== 'string' || o['name'] === '') fail(o['name'] === undefined ? at : [...at, 'name'], `cases[${i}] needs a "name"`);
    const name = o['name'] as string;
    if (names.has(name)) fail([...at, 'name'], `two cases are named "${printable(name, 100)}"`);
    names.add(name);
    const hasUser = o['user'] !== undefined;
    const hasDevice = o['device'] !== undefined;
    if (hasUser === hasDevice) fail(at, `cases[${i}] needs exactly one of "user" or "device"`);
    const kind = hasUser ? 'user' : 'device';
    const subject = o[kind];
    const validSubject = typeof subject === 'string' ? subject !== '' : subject !== null && typeof subject === 'object' && !Array.isArray(subject);
    if (!validSubject) fail([...at, kind], `"${kind}" is a UPN or object id, or an inline object`);
    if (!EXPECT.includes(o['expect'] as Expectation)) fail(o['expect'] === undefined ? at : [...at, 'expect'], `"expect" must be "member" or "notMember" (or "unknown")`);
    cases.push({ name, kind, subject: subject as string | GraphObject, expect: o['expect'] as Expectation, span: spanOf(at) });
  });

  return {
    file, text,
    rule: path.resolve(dir, root['rule'] as string),
    ruleAsWritten: root['rule'] as string,
    ruleSpan: spanOf(['rule']),
    tenant: typeof root['tenant'] === 'string' ? path.resolve(dir, root['tenant']) : undefined,
    count,
    cases,
  };
}

/** Every `*.ruletests.json` under the given files and folders, in a stable order. */
export function findRuleTestFiles(inputs: readonly string[]): Promise<string[]> {
  return filesUnder(inputs, (name) => name.endsWith('.ruletests.json'), (input) => new RuleTestFileError(input, 'no such file or folder', 0, 1, 1));
}
