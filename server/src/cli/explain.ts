/** `dynrule explain (<rule-file> | --rule "<text>") --tenant <dir|live> --user <upn|id> [--format json]` */
import { compileRule, interpret, renderTrace, type GraphObject } from '../../../grammar/engine/src/index';
import { snapshotNames } from '../tenant/facts';
import { findDeviceIn } from '../tenant/queries';
import { findUser } from '../tenant/snapshot';
import { EXIT_OK, formatOption, outLines, parseNow, readRule, requireNoErrors, UsageError, type Output, type ParsedArgs, str } from './io';
import { labelOf, objectsFor, openTenant } from './tenant';

export async function explainCommand({ values, positionals }: ParsedArgs, io: Output): Promise<number> {
  const format = formatOption(str(values.format), ['text', 'json'], 'text');
  if (positionals.length > 1) throw new UsageError('explain: give one rule file');
  const now = parseNow(str(values.now));
  const src = await readRule(positionals[0], str(values.rule), now);
  requireNoErrors(src, io);
  const compiled = compileRule(src.parsed, now !== undefined ? { now } : {});
  if (!compiled.ok || !src.parsed.expr) throw new UsageError(`${src.label}: the rule cannot be evaluated`);
  const object = compiled.rule.object;
  const key = object === 'user' ? str(values.user) : str(values.device) ?? str(values.user);
  if (!key) throw new UsageError(object === 'user' ? 'explain: give --user <userPrincipalName or object id>' : 'explain: give --device <object id, device id or display name>');
  const tenant = await openTenant(str(values.tenant), [object === 'user' ? 'users' : 'devices', 'groups']);
  let target: GraphObject | undefined;
  if (object === 'user') {
    objectsFor(tenant, 'user');
    target = findUser(tenant, key);
  } else {
    objectsFor(tenant, 'device');
    target = findDeviceIn(tenant, key);
  }
  if (!target) throw new UsageError(`explain: no ${object} "${key}" in ${tenant.dir}`);

  const trace = interpret(src.text, src.parsed.expr, target, now !== undefined ? { now } : {});
  if (format === 'json') {
    outLines(io, JSON.stringify({ result: trace.result, trace }, null, 2));
    return EXIT_OK;
  }
  io.out(`${labelOf(target)}: ${trace.result === 'unknown' ? 'unknown' : trace.result ? 'member' : 'not a member'}`);
  for (const line of renderTrace(trace, snapshotNames(tenant))) io.out(line);
  return EXIT_OK;
}
