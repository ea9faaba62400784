/**
 * Rule tests in the editor: the cases of a file for the Test Explorer, and runs of files or of
 * named cases against the tenant in use (or the one a file names).
 */
import { renderTrace } from '../../../grammar/engine/src/index';
import { readRuleTestFile, parseRuleTestFile, RuleTestFileError } from '../ruletests/file';
import { runRuleTestFile, type FileResult } from '../ruletests/run';
import type { ListRuleTestsResponse, RunRuleTestsParams, RunRuleTestsResponse } from '../../../protocol/src/protocol';
import type { TenantState } from './tenantState';

/** The cases of a rule test file, for the Test Explorer (ListRuleTestsRequest). */
export async function listRuleTests(file: string, text: string | undefined): Promise<ListRuleTestsResponse> {
  try {
    const tf = text !== undefined ? parseRuleTestFile(file, text) : await readRuleTestFile(file);
    return { file, rule: tf.rule, cases: tf.cases.map((c) => ({ name: c.name, start: c.span.start, end: c.span.end })) };
  } catch (e) {
    if (!(e instanceof RuleTestFileError)) throw e;
    return { file, error: { message: e.reason, line: e.line, column: e.column }, cases: [] };
  }
}

/** Runs rule test files, all their cases or the named ones (RunRuleTestsRequest). */
export async function runRuleTests(params: RunRuleTestsParams, tenant: TenantState, isCancelled: () => boolean): Promise<RunRuleTestsResponse> {
  const files = [];
  let passed = 0;
  let failed = 0;
  // Test files without a "tenant" run against the tenant in use (a folder or a live snapshot).
  const info = tenant.info();
  const defaultTenant = info.selection.kind === 'folder' ? info.selection.path : info.live?.dir;
  for (const file of params.files) {
    if (isCancelled()) break;
    let result: FileResult;
    try {
      const tf = await readRuleTestFile(file);
      const only = params.only?.[file];
      result = await runRuleTestFile(tf, {
        ...(defaultTenant ? { tenant: defaultTenant } : {}),
        loadTenant: (dir) => tenant.loadOther(dir),
        isCancelled,
        ...(only ? { only: (_f: string, name: string) => only.includes(name) } : {}),
      });
    } catch (e) {
      if (!(e instanceof RuleTestFileError)) throw e;
      result = { file, error: { message: e.reason, line: e.line, column: e.column }, cases: [], durationMs: 0 };
    }
    for (const c of result.cases) c.passed ? passed++ : failed++;
    if (result.count) result.count.passed ? passed++ : failed++;
    files.push({
      file,
      ...(result.error ? { error: result.error } : {}),
      cases: result.cases.map((c) => ({
        name: c.name, passed: c.passed, expect: c.expect, actual: c.actual, subject: c.subject,
        start: c.span.start, end: c.span.end, durationMs: c.durationMs,
        ...(c.message ? { message: c.message } : {}),
        ...(c.trace ? { trace: c.trace, lines: renderTrace(c.trace, tenant.data()) } : {}),
      })),
      ...(result.count ? { count: { ...(result.count.min !== undefined ? { min: result.count.min } : {}), ...(result.count.max !== undefined ? { max: result.count.max } : {}), actual: result.count.actual, passed: result.count.passed } } : {}),
    });
  }
  return { files, passed, failed };
}
