/**
 * `dynrule pull --tenant <dir|live> --out <dir> [--format text|json]`: one rule file per dynamic
 * group and dynamic administrative unit (README, "The whole tenant"). Exit 1 on a conflict (a
 * file edited here whose rule also changed in the tenant).
 */
import * as path from 'node:path';
import { pullRules, PullError } from '../audit/index';
import { printable } from '../printable';
import { EXIT_FINDINGS, EXIT_OK, formatOption, outLines, str, UsageError, type Output, type ParsedArgs } from './io';
import { openWholeTenant } from './tenant';

export async function pullCommand({ values, positionals }: ParsedArgs, io: Output): Promise<number> {
  const format = formatOption(str(values.format), ['text', 'json'], 'text');
  if (positionals.length > 0) throw new UsageError(`pull: takes no arguments (got "${positionals[0]}"); give the folder with --out`);
  const out = str(values.out);
  if (!out) throw new UsageError('pull: give --out <folder> for the rule files');
  const tenant = await openWholeTenant('pull', str(values.tenant), ['groups', 'subscribedSkus', 'administrativeUnits']);
  let result;
  try {
    result = pullRules(tenant, out);
  } catch (e) {
    if (e instanceof PullError) throw new UsageError(`pull: ${e.message}`);
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) throw new UsageError(`pull: ${(e as Error).message}`);
    throw e;
  }
  for (const note of tenant.notes) io.err(`dynrule: note: ${note}`);
  // Paths as the user gave --out, so that scripts can open them.
  const at = (file: string): string => path.join(out, file);
  const files = <T extends { file: string }>(list: readonly T[]): T[] => list.map((x) => ({ ...x, file: at(x.file) }));
  if (format === 'json') {
    const conflicts = result.conflicts.map((c) => ({ ...c, file: at(c.file), ...(c.tenantFile ? { tenantFile: at(c.tenantFile) } : {}) }));
    outLines(io, JSON.stringify({ written: files(result.written), unchanged: files(result.unchanged), conflicts, gone: files(result.gone), noRule: result.noRule, skipped: result.skipped }, null, 2));
  } else {
    for (const w of result.written) io.out(`written   ${at(w.file)}`);
    for (const c of result.conflicts) io.out(`conflict  ${at(c.file)}: ${c.reason}`);
    for (const g of result.gone) io.out(`gone      ${at(g.file)}: ${g.id} is no longer a dynamic group or unit of the tenant (the file is kept)`);
    for (const x of result.noRule) io.out(`no rule   ${printable(x.displayName, 120)} (${x.id}): dynamic, but without a membershipRule; no file written`);
    for (const x of result.skipped) io.out(`skipped   ${printable(x.displayName, 120)} (${printable(x.id, 80)}): ${x.reason}`);
    const c = (n: number, w: string): string => `${n} ${w}`;
    io.out(`${c(result.written.length, 'written')}, ${c(result.unchanged.length, 'unchanged')}, ${c(result.conflicts.length, result.conflicts.length === 1 ? 'conflict' : 'conflicts')}, ${c(result.gone.length, 'gone')}${result.noRule.length ? `, ${c(result.noRule.length, 'without a rule')}` : ''}${result.skipped.length ? `, ${c(result.skipped.length, 'skipped')}` : ''}.`);
  }
  return result.conflicts.length > 0 ? EXIT_FINDINGS : EXIT_OK;
}
