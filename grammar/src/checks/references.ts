/**
 * The checks that need the tenant's directory: the manager a Direct Reports rule names, and the
 * groups a memberOf rule names, must exist there — otherwise the rule selects nobody through
 * them, and a preview only shows 0 → 0. The directory comes through {@link CheckOptions.directory},
 * so the editor, the preview and the command line ask the same question of whatever tenant they
 * hold; without it (or without users or groups in it) nothing is reported.
 */
import { unparen, walkExpr } from '../ast';
import { DOCS_URL, MEMBEROF_DOCS_URL } from '../catalogue';
import { issue, type Issue } from '../issues';
import * as l10n from '../l10n';
import type { Check } from './context';
import { GUID } from './values';

/** What the reference checks ask of a tenant. */
export interface DirectoryPort {
  /** The tenant's name, for messages. */
  readonly name: string;
  /** Whether a user with this object id exists; absent when the tenant's users are not known. */
  readonly hasUser?: (id: string) => boolean;
  /** Whether a group with this object id exists; absent when the tenant's groups are not known. */
  readonly hasGroup?: (id: string) => boolean;
}

export const referenceChecks: Check = (ctx, options) => {
  const directory = options.directory;
  if (!directory) return [];
  const out: Issue[] = [];
  walkExpr(ctx.expr, (e) => {
    if (e.kind === 'directReports' && directory.hasUser) {
      const m = e.manager;
      if (m.kind === 'string' && GUID.test(m.value) && !directory.hasUser(m.value)) {
        out.push(issue('rule/unknown-manager', 'warning', l10n.t('The tenant {0} has no user {1}: this Direct Reports rule selects nobody.', directory.name, m.value), m.span, { docs: DOCS_URL }));
      }
    }
    if (e.kind === 'quantifier' && directory.hasGroup) {
      const r = ctx.resolve(e.collection);
      const p = unparen(e.predicate);
      if (r.kind !== 'property' || r.def.type !== 'memberOf' || p.kind !== 'compare' || p.value.kind !== 'array') return;
      for (const item of p.value.items) {
        if (item.kind === 'string' && GUID.test(item.value) && !directory.hasGroup(item.value)) {
          out.push(issue('rule/unknown-group', 'warning', l10n.t('The tenant {0} has no group {1}: nobody joins through it.', directory.name, item.value), item.span, { docs: MEMBEROF_DOCS_URL }));
        }
      }
    }
  });
  return out;
};
