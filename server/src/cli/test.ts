/** `dynrule test [<path>...] [--reporter spec|json|junit] [--tenant <dir>] [--now <iso>]` */
import { findRuleTestFiles, RuleTestFileError } from '../ruletests/file';
import { jsonReport, junitReport, specReport } from '../ruletests/report';
import { runRuleTests } from '../ruletests/run';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, outLines, parseNow, str, UsageError, type Output, type ParsedArgs } from './io';

export async function testCommand({ values, positionals }: ParsedArgs, io: Output): Promise<number> {
  const reporter = str(values.reporter) ?? 'spec';
  if (!['spec', 'json', 'junit'].includes(reporter)) throw new UsageError(`--reporter must be one of spec, json, junit (got "${reporter}")`);
  let files: string[];
  try {
    files = await findRuleTestFiles(positionals.length ? positionals : ['.']);
  } catch (e) {
    if (e instanceof RuleTestFileError) throw new UsageError(e.message);
    throw e;
  }
  if (files.length === 0) throw new UsageError(`test: no .ruletests.json files in ${positionals.length ? positionals.join(', ') : 'the current folder'}`);
  const now = parseNow(str(values.now));
  const tenant = str(values.tenant);
  const result = await runRuleTests(files, { ...(tenant ? { tenant } : {}), ...(now !== undefined ? { now } : {}) });
  if (reporter === 'json') outLines(io, jsonReport(result));
  else if (reporter === 'junit') outLines(io, junitReport(result));
  else for (const line of specReport(result)) io.out(line);
  if (result.errors > 0) {
    const first = result.files.find((f) => f.error)!;
    io.err(`dynrule: ${first.file}:${first.error!.line}:${first.error!.column}: ${first.error!.message}${result.errors > 1 ? ` (and ${result.errors - 1} more file${result.errors > 2 ? 's' : ''} could not run)` : ''}`);
    return EXIT_USAGE;
  }
  return result.failed > 0 ? EXIT_FINDINGS : EXIT_OK;
}
