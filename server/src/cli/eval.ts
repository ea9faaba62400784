/** `dynrule eval (<rule-file> | --rule "<text>") --tenant <dir|live> [--format text|json]` */
import { referenceIssues } from '../../../grammar/src/index';
import { compileRule, evaluateColumnar, refusedPattern, refusedPatterns } from '../../../grammar/engine/src/index';
import { summaryObject, tableOf } from '../tenant/queries';
import { formatOption, outLines, parseNow, readRule, requireNoErrors, UsageError, EXIT_OK, type Output, type ParsedArgs, str, where } from './io';
import { snapshotFacts } from '../tenant/facts';
import { labelOf, objectsFor, openTenant } from './tenant';

export interface EvalResult {
  readonly type: 'user' | 'device';
  readonly count: number;
  readonly members: string[];
  readonly unknown: string[];
}

export async function evalCommand({ values, positionals }: ParsedArgs, io: Output): Promise<number> {
  const format = formatOption(str(values.format), ['text', 'json'], 'text');
  if (positionals.length > 1) throw new UsageError('eval: give one rule file');
  const now = parseNow(str(values.now));
  const src = await readRule(positionals[0], str(values.rule), now);
  requireNoErrors(src, io);
  const compiled = compileRule(src.parsed, now !== undefined ? { now } : {});
  if (!compiled.ok) throw new UsageError(`${src.label}: the rule cannot be evaluated`);
  const rule = compiled.rule;
  const tenant = await openTenant(str(values.tenant), [rule.object === 'user' ? 'users' : 'devices', 'groups']);
  const objects = objectsFor(tenant, rule.object);

  // Every user or device at once, over the snapshot's columns.
  const table = tableOf(tenant, rule.object)!;
  const bits = evaluateColumnar(src.parsed.expr!, table, now !== undefined ? { now } : {});
  const memberRows: number[] = [];
  const unknownRows: number[] = [];
  bits.forEach('t', (r) => memberRows.push(r));
  bits.forEach('u', (r) => unknownRows.push(r));
  const members = memberRows.map((r) => table.id(r));
  const unknown = unknownRows.map((r) => table.id(r));
  const result: EvalResult = { type: rule.object, count: members.length, members, unknown };
  // What the snapshot lacks or skipped (missing files, duplicate ids), as preview reports it;
  // on stderr, so that the output stays the contract's.
  for (const n of tenant.notes) io.err(`dynrule: note: ${n}`);
  // A -match pattern the engine does not run makes results unknown whatever the data: say which and why.
  const refused = refusedPatterns(src.parsed.expr!);
  for (const r of refused) io.err(`dynrule: note: ${refusedPattern(r.pattern, r.reason)}`);
  for (const i of referenceIssues(src.parsed, snapshotFacts(tenant))) io.err(`dynrule: warning: ${where(src.label, src.text, i)}: ${i.code}: ${i.message}`);
  if (format === 'json') {
    outLines(io, JSON.stringify(result, null, 2));
    return EXIT_OK;
  }
  const noun = rule.object === 'user' ? 'users' : 'devices';
  const cause = refused.length ? 'a -match pattern is not run, see the note' : 'the snapshot lacks data the rule needs';
  io.out(`${src.label}: ${members.length} of ${objects.length} ${noun} match${unknown.length ? `, ${unknown.length} unknown (${cause})` : ''}.`);
  const list = (rows: number[]): void => {
    const labels = rows.map((r) => labelOf(summaryObject(table, r))).sort((a, b) => a.localeCompare(b));
    for (const l of labels) io.out(`  ${l}`);
  };
  if (members.length) { io.out('members:'); list(memberRows); }
  if (unknown.length) { io.out('unknown:'); list(unknownRows); }
  return EXIT_OK;
}
