/**
 * `dynrule review --base <git ref> [<path>...] --tenant <dir|live> [--format text|json|markdown]
 * [--max-removed-percent N] [--now <iso>]`
 */
import * as path from 'node:path';
import { FileReadError, readTextFile } from '../files';
import { MAX_RULE_FILE_BYTES } from '../limits';
import { changedFiles, GitError, textAt } from '../review/git';
import { fails, reviewMarkdown, reviewText } from '../review/report';
import { reviewFile, type ReviewedRule } from '../review/review';
import { EXIT_FINDINGS, EXIT_OK, formatOption, outLines, parseNow, str, UsageError, type Output, type ParsedArgs } from './io';
import { labelOf, openTenant } from './tenant';

const RULE_FILE = /\.(dynrule|tf|bicep|ps1)$/i;

export async function reviewCommand({ values, positionals }: ParsedArgs, io: Output): Promise<number> {
  const format = formatOption(str(values.format), ['text', 'json', 'markdown'], 'text');
  const base = str(values.base);
  if (!base) throw new UsageError('review: give --base <git ref> (e.g. origin/main)');
  const limitText = str(values['max-removed-percent']);
  const maxRemovedPercent = limitText === undefined ? undefined : Number(limitText);
  if (maxRemovedPercent !== undefined && (!/^\d+(\.\d+)?$/.test(limitText!) || maxRemovedPercent > 100)) {
    throw new UsageError(`--max-removed-percent must be a number from 0 to 100 (got "${limitText}")`);
  }
  const now = parseNow(str(values.now));
  const tenant = await openTenant(str(values.tenant));

  let changes;
  try {
    changes = await changedFiles(process.cwd(), base, positionals, (f) => RULE_FILE.test(f));
  } catch (e) {
    if (e instanceof GitError) throw new UsageError(`review: ${e.message}`);
    throw e;
  }
  const rules: ReviewedRule[] = [];
  for (const file of changes.files) {
    let oldText: string | undefined;
    let newText: string | undefined;
    try {
      if (file.status !== 'added') oldText = await textAt(changes.root, changes.commit, file.oldPath ?? file.path);
      if (file.status !== 'deleted') newText = await readTextFile(path.join(changes.root, file.path), MAX_RULE_FILE_BYTES);
    } catch (e) {
      throw new UsageError(`review: ${file.path}: ${e instanceof GitError ? e.message : e instanceof FileReadError ? e.reason : String(e)}`);
    }
    // Paths as the user sees them: relative to where the command runs, `/`-separated.
    const shown = (p: string): string => path.relative(process.cwd(), path.join(changes.root, p)).split(path.sep).join('/');
    for (const r of reviewFile(tenant, file, oldText, newText, now !== undefined ? { now } : {})) {
      rules.push({ ...r, file: shown(r.file), ...(r.previousFile ? { previousFile: shown(r.previousFile) } : {}) });
    }
  }

  const name = (id: string): string => {
    const o = tenant.userById.get(id.toLowerCase()) ?? tenant.deviceById.get(id.toLowerCase());
    return o ? labelOf(o) : id;
  };
  const report = { base, tenant: tenant.name, rules, ...(maxRemovedPercent !== undefined ? { maxRemovedPercent } : {}) };
  if (format === 'json') outLines(io, JSON.stringify({ base: changes.commit, rules }, null, 2));
  else if (format === 'markdown') outLines(io, reviewMarkdown(report, name));
  else for (const line of reviewText(report, name)) io.out(line);
  return rules.some((r) => fails(r, maxRemovedPercent)) ? EXIT_FINDINGS : EXIT_OK;
}
