/**
 * `dynrule review --base <git ref> [<path>...] --tenant <dir|live> [--format text|json|markdown]
 * [--max-removed-percent N] [--now <iso>]`
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { changedFiles, GitError, textAt } from '../review/git';
import { fails, reviewMarkdown, reviewText } from '../review/report';
import { reviewFile, type ReviewedRule } from '../review/review';
import { readFailure } from '../tenant/snapshotError';
import { EXIT_FINDINGS, EXIT_OK, formatOption, parse, parseNow, str, UsageError, type Output } from './io';
import { labelOf, openTenant } from './tenant';

const RULE_FILE = /\.(dynrule|tf|bicep|ps1)$/i;

export async function reviewCommand(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parse('review', argv, {
    base: { type: 'string' },
    tenant: { type: 'string' },
    format: { type: 'string' },
    now: { type: 'string' },
    'max-removed-percent': { type: 'string' },
  });
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
      if (file.status !== 'deleted') newText = await fs.readFile(path.join(changes.root, file.path), 'utf8');
    } catch (e) {
      throw new UsageError(`review: ${file.path}: ${e instanceof GitError ? e.message : readFailure(e)}`);
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
  if (format === 'json') io.out(JSON.stringify({ base: changes.commit, rules }, null, 2));
  else if (format === 'markdown') io.out(reviewMarkdown(report, name));
  else for (const line of reviewText(report, name)) io.out(line);
  return rules.some((r) => fails(r, maxRemovedPercent)) ? EXIT_FINDINGS : EXIT_OK;
}
