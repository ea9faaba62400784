/**
 * The hand-off request: the rule of an open document as the admin center, Microsoft Graph or
 * PowerShell takes it, for the group its `# @group` names (resolved through the tenant in use
 * when it is a display name).
 */
import { checkRule, l10n, ruleBody, type ParsedRule } from '../../../grammar/src/index';
import { graphRequest, powerShellCommand, resolveGroup, type GroupRef } from '../handOff';
import type { Snapshot } from '../tenant/snapshot';
import type { HandOffParams, HandOffResponse } from '../../../protocol/src/protocol';

export function handOff(parsed: ParsedRule, params: HandOffParams, tenant: Snapshot | undefined): HandOffResponse {
  const rule = ruleBody(parsed);
  if (!rule) return { ok: false, reason: l10n.t('The file holds no rule, only comments.') };
  const errors = checkRule(parsed).filter((i) => i.severity === 'error').length;
  const withErrors = errors ? { errors } : {};
  if (params.format === 'portal') return { ok: true, text: rule, ...withErrors };

  const directive = parsed.directives.find((d) => d.kind === 'group');
  const value = directive?.kind === 'group' ? directive.value : undefined;
  const groups: GroupRef[] | undefined = tenant?.groups?.map((g) => ({ id: g.id, displayName: typeof g.displayName === 'string' ? g.displayName : null }));
  const resolved = resolveGroup(value, groups);
  if (!resolved.ok) {
    const name = value ?? '';
    const reason = {
      'no-directive': l10n.t('Name the group in a "# @group <id or display name>" line above the rule: the request sets the rule of that group.'),
      'no-tenant': l10n.t('"{0}" is a display name and no tenant is loaded to find its id: choose a tenant, or write the group\'s id in "# @group".', name),
      'not-found': l10n.t('The tenant {0} has no group named "{1}": write the group\'s id in "# @group".', tenant?.name ?? '', name),
      ambiguous: l10n.t('The tenant {0} has {1} groups named "{2}": write the id of the one you mean in "# @group".', tenant?.name ?? '', resolved.matches?.length ?? 0, name),
      'not-an-id': l10n.t('The group "{0}" has no valid id in the tenant {1}: write the group\'s id in "# @group".', name, tenant?.name ?? ''),
    }[resolved.reason];
    return { ok: false, reason };
  }
  const { group } = resolved;
  const text = params.format === 'graph' ? graphRequest(group.id, rule, params.endpoint ?? '') : powerShellCommand(group.id, rule);
  return { ok: true, text, group, ...withErrors };
}
