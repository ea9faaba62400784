/**
 * The checks that need the tenant's directory: the manager a Direct Reports rule names, and the
 * groups a memberOf rule names, must exist there — otherwise the rule selects nobody through
 * them, and a preview only shows 0 → 0. The tenant comes through {@link CheckOptions.tenant} (the
 * port of tenant.ts), so the editor, the preview and the command line ask the same question of
 * whatever tenant they hold; without it (or without users or groups in it) nothing is reported.
 */
import { unparen, walkExpr } from '../ast';
import { DOCS_URL, MEMBEROF_DOCS_URL } from '../catalogue';
import { issue, type Issue } from '../issues';
import * as l10n from '../l10n';
import type { Check } from './context';
import { GUID } from './values';

export const referenceChecks: Check = (ctx, options) => {
  const directory = options.tenant;
  if (!directory) return [];
  const out: Issue[] = [];
  const groups = directory.groups?.();
  let groupIds: Set<string> | undefined;
  const hasGroup = (id: string): boolean => (groupIds ??= new Set(groups!.map((g) => g.id.toLowerCase()))).has(id.toLowerCase());
  walkExpr(ctx.expr, (e) => {
    if (e.kind === 'directReports') {
      const m = e.manager;
      if (m.kind === 'string' && GUID.test(m.value) && directory.hasUser?.(m.value) === false) {
        out.push(issue('rule/unknown-manager', 'warning', l10n.t('The tenant {0} has no user {1}: this Direct Reports rule selects nobody.', directory.name, m.value), m.span, { docs: DOCS_URL }));
      }
    }
    if (e.kind === 'quantifier' && groups) {
      const r = ctx.resolve(e.collection);
      const p = unparen(e.predicate);
      if (r.kind !== 'property' || r.def.type !== 'memberOf' || p.kind !== 'compare' || p.value.kind !== 'array') return;
      for (const item of p.value.items) {
        if (item.kind === 'string' && GUID.test(item.value) && !hasGroup(item.value)) {
          out.push(issue('rule/unknown-group', 'warning', l10n.t('The tenant {0} has no group {1}: nobody joins through it.', directory.name, item.value), item.span, { docs: MEMBEROF_DOCS_URL }));
        }
      }
    }
  });
  return out;
};
