/** `dynrule eval (<rule-file> | --rule "<text>") --tenant <dir|live> [--format text|json]` */
import { compileRule, T, U } from '../../../grammar/src/index';
import { formatOption, parse, parseNow, readRule, requireNoErrors, UsageError, EXIT_OK, type Output, str } from './io';
import { idOf, labelOf, objectsFor, openTenant } from './tenant';

export interface EvalResult {
  readonly type: 'user' | 'device';
  readonly count: number;
  readonly members: string[];
  readonly unknown: string[];
}

export async function evalCommand(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parse('eval', argv, {
    rule: { type: 'string' },
    tenant: { type: 'string' },
    format: { type: 'string' },
    now: { type: 'string' },
  });
  const format = formatOption(str(values.format), ['text', 'json'], 'text');
  if (positionals.length > 1) throw new UsageError('eval: give one rule file');
  const src = await readRule(positionals[0], str(values.rule));
  requireNoErrors(src);
  const now = parseNow(str(values.now));
  const compiled = compileRule(src.parsed, now !== undefined ? { now } : {});
  if (!compiled.ok) throw new UsageError(`${src.label}: the rule cannot be evaluated`);
  const rule = compiled.rule;
  const tenant = await openTenant(str(values.tenant), [rule.object === 'user' ? 'users' : 'devices', 'groups']);
  const objects = objectsFor(tenant, rule.object);

  const members: string[] = [];
  const unknown: string[] = [];
  for (const o of objects) {
    const r = rule.test(o);
    if (r === T) members.push(idOf(o));
    else if (r === U) unknown.push(idOf(o));
  }
  const result: EvalResult = { type: rule.object, count: members.length, members, unknown };
  if (format === 'json') {
    io.out(JSON.stringify(result, null, 2));
    return EXIT_OK;
  }
  const byId = rule.object === 'user' ? tenant.userById : tenant.deviceById;
  const noun = rule.object === 'user' ? 'users' : 'devices';
  io.out(`${src.label}: ${members.length} of ${objects.length} ${noun} match${unknown.length ? `, ${unknown.length} unknown (the snapshot lacks data the rule needs)` : ''}.`);
  const list = (ids: string[]): void => {
    const labels = ids.map((id) => labelOf(byId.get(id.toLowerCase()) ?? { id })).sort((a, b) => a.localeCompare(b));
    for (const l of labels) io.out(`  ${l}`);
  };
  if (members.length) { io.out('members:'); list(members); }
  if (unknown.length) { io.out('unknown:'); list(unknown); }
  return EXIT_OK;
}
