/**
 * Completion: what may come next at the cursor, from the catalogue and the tenant. The cursor's
 * context comes from `completionContext.ts`; values, GUIDs and directives from
 * `completeValues.ts`. Items come back in the order to show them (their sortText keeps it).
 */
import {
  ASSIGNED_PLAN_PROPERTIES, GROUP_PROPERTIES, OPERATOR_BY_NAME, OPERATORS, canonicalOperator, propertiesOf,
  type OperatorName, type PathObject, type PropertyDef,
} from '../catalogue';
import * as l10n from '../l10n';
import { clampOffset, operatorMarkdown, operatorsFor, propertyDetail, propertyMarkdown } from './common';
import { cursorContext, type Cursor, type Target } from './completionContext';
import { directiveItems, durationItems, managerItems, valueItems, type Items } from './completeValues';
import { RULE_SNIPPETS } from './snippets';
import type { CompletionItem, CompletionResult, TenantData } from './types';

/**
 * Completion items at `offset` in a `.dynrule` document. Never throws; an offset outside the text
 * is clamped. `data` adds what the loaded tenant knows (values, groups, managers, plans).
 */
export function complete(text: string, offset: number, data?: TenantData): CompletionResult {
  const cur = cursorContext(text, clampOffset(text, offset));
  const { items, incomplete } = itemsFor(cur, data);
  return { items: items.map((it, i) => ({ ...it, sortText: String(i).padStart(4, '0') })), incomplete };
}

function itemsFor(cur: Cursor, data: TenantData | undefined): Items {
  const all = (items: CompletionItem[]): Items => ({ items, incomplete: false });
  switch (cur.kind) {
    case 'conditionStart': return all(conditionStart(cur));
    case 'property': return all(propertyItems(cur, cur.object));
    case 'operator': return all(operatorItems(cur, cur.target));
    case 'quantifier': return all(quantifierItems(cur, cur.target, cur.op));
    case 'value': return valueItems(cur, data);
    case 'afterNow': return all(operatorList(cur, cur.inParen ? ['plus', 'minus'] : ['plus', 'minus', 'and', 'or']));
    case 'duration': return all(durationItems(cur));
    case 'afterCondition': return all(operatorList(cur, ['and', 'or']));
    case 'directReports': {
      const insertText = cur.next === 'reports' ? 'Reports for "$1"' : 'for "$1"';
      return all([{ label: cur.next === 'reports' ? 'Reports for "…"' : 'for "…"', kind: 'keyword', insertText, snippet: true, replace: cur.replace, retrigger: true, detail: l10n.t("the manager's object id") }]);
    }
    case 'manager': return managerItems(cur, data);
    case 'directiveName':
    case 'groupDirective':
    case 'administrativeUnitDirective':
    case 'licensesDirective':
      return directiveItems(cur, data);
    case 'none': return all([]);
  }
}

type At = Pick<Cursor, 'replace' | 'text'>;

function conditionStart(cur: Extract<Cursor, { kind: 'conditionStart' }>): CompletionItem[] {
  const out: CompletionItem[] = [];
  const { replace } = cur;
  if (cur.element) {
    out.push(...elementItems(cur, cur.element, cur.collection));
    if (cur.element === 'group') return out;
  } else {
    const objects = cur.ruleObject ? [cur.ruleObject] : (['user', 'device'] as const);
    for (const o of objects) {
      out.push({ label: `${o}.`, kind: 'object', insertText: `${o}.`, replace, retrigger: true, detail: o === 'user' ? l10n.t('a user property') : l10n.t('a device property'),
        documentation: o === 'user' ? l10n.t('Properties of the user: a rule is about users or devices, never both.') : l10n.t('Properties of the device: a rule is about users or devices, never both.') });
    }
  }
  const not = OPERATOR_BY_NAME.get('not')!;
  out.push({ label: '-not', kind: 'keyword', insertText: withSpace(cur, '-not'), replace, detail: l10n.t(not.description), documentation: operatorMarkdown(not), retrigger: true });
  out.push({ label: '(', kind: 'keyword', insertText: '($1)', snippet: true, replace, detail: l10n.t('a parenthesised group of conditions'), retrigger: true });
  if (cur.atRuleStart && !cur.element) {
    for (const s of RULE_SNIPPETS) {
      if (cur.ruleObject && s.object !== cur.ruleObject) continue;
      out.push({ label: l10n.t(s.label), kind: 'snippet', insertText: s.body, snippet: true, replace, detail: l10n.t(s.detail), documentation: `\`\`\`dynrule\n${s.preview}\n\`\`\``, ...(s.retrigger ? { retrigger: true } : {}) });
    }
  }
  return out;
}

/** What stands at the start of a condition inside `-any (...)`: `_`, `assignedPlan.…`, `group.objectId`. */
function elementItems(at: At, element: 'underscore' | 'assignedPlan' | 'group', collection: PropertyDef | undefined): CompletionItem[] {
  const of = collection ? `${collection.object}.${collection.name}` : l10n.t('the collection');
  switch (element) {
    case 'underscore':
      return [{ label: '_', kind: 'property', insertText: '_', replace: at.replace, detail: l10n.t('one item of {0}', of), documentation: l10n.t('`_` stands for each item of {0} in turn.', of) }];
    case 'assignedPlan':
      return ASSIGNED_PLAN_PROPERTIES.map((p) => propertyItem(at, p, `assignedPlan.${p.name}`));
    case 'group':
      return GROUP_PROPERTIES.map((p) => propertyItem(at, p, `group.${p.name}`));
  }
}

function propertyItem(at: At, def: PropertyDef, insertText = def.name): CompletionItem {
  return { label: insertText, kind: 'property', insertText, replace: at.replace, detail: propertyDetail(def), documentation: propertyMarkdown(def) };
}

const EXTENSION = /^extensionAttribute(\d+)$/;

function propertyItems(at: At, object: PathObject): CompletionItem[] {
  const props = object === 'assignedPlan' ? ASSIGNED_PLAN_PROPERTIES : object === 'group' ? GROUP_PROPERTIES : propertiesOf(object);
  const plain = props.filter((p) => !EXTENSION.test(p.name)).sort((a, b) => a.name.localeCompare(b.name));
  const attributes = props.filter((p) => EXTENSION.test(p.name));
  const out = [...plain, ...attributes].map((p) => propertyItem(at, p));
  if (object === 'user' || object === 'device') {
    out.push({
      label: 'extension_<appId>_<name>', kind: 'snippet', snippet: true, replace: at.replace,
      insertText: 'extension_${1:appIdWithoutHyphens}_${2:attributeName}',
      detail: l10n.t('directory extension property (string)'),
      documentation: l10n.t('A directory extension registered by an application in your tenant or synced by Entra Connect: `extension_` + the application id without hyphens (32 hex digits) + `_` + the attribute name. Single-valued strings only.'),
    });
  }
  return out;
}

/** Operators insert with a space before (unless one is there) and after, then ask for what follows. */
function withSpace(at: At, op: string): string {
  const before = at.replace.start > 0 && !/[\s(]/.test(at.text[at.replace.start - 1]!) ? ' ' : '';
  const after = /\s/.test(at.text[at.replace.end] ?? '') ? '' : ' ';
  return `${before}${op}${after}`;
}

function operatorList(at: At, names: readonly OperatorName[]): CompletionItem[] {
  return names.map((n) => {
    const def = OPERATOR_BY_NAME.get(n.toLowerCase())!;
    const label = canonicalOperator(n);
    const onNull = def.onNull ? ` ${l10n.t('On null: {0}.', l10n.t(def.onNull).split(/[;(]/)[0]!.trim())}` : '';
    return { label, kind: 'operator', insertText: withSpace(at, label), replace: at.replace, detail: firstSentence(l10n.t(def.description)) + onNull, documentation: operatorMarkdown(def), retrigger: true };
  });
}

function operatorItems(at: At, t: Target): CompletionItem[] {
  if (t.def) return operatorList(at, operatorsFor(t.def.type));
  return operatorList(at, OPERATORS.filter((o) => o.kind === 'comparison' || o.kind === 'quantifier').map((o) => o.name));
}

function quantifierItems(at: At, t: Target, op: 'any' | 'all'): CompletionItem[] {
  const snippet = (label: string, insertText: string, detail: string, preselect = false): CompletionItem =>
    ({ label, kind: 'snippet', insertText, snippet: true, replace: at.replace, detail, retrigger: true, ...(preselect ? { preselect } : {}) });
  switch (t.def?.type) {
    case 'stringCollection': {
      const out = [
        snippet('(_ -eq "…")', '(_ -eq "$1")', l10n.t('an item equals'), true),
        snippet('(_ -startsWith "…")', '(_ -startsWith "$1")', l10n.t('an item starts with')),
        snippet('(_ -endsWith "…")', '(_ -endsWith "$1")', l10n.t('an item ends with')),
        snippet('(_ -contains "…")', '(_ -contains "$1")', l10n.t('an item contains')),
      ];
      for (const v of t.def.values ?? []) {
        const prefix = /[:\]]$/.test(v);
        out.push(snippet(`(_ ${prefix ? '-startsWith' : '-eq'} "${v}")`, `(_ ${prefix ? '-startsWith' : '-eq'} "${v.replace(/[$}\\]/g, '\\$&')}$1")`, l10n.t('documented value of {0}', t.def.name)));
      }
      return out;
    }
    case 'assignedPlans': {
      const enabled = ' -and assignedPlan.capabilityStatus -eq "Enabled")';
      const any = [
        snippet('(assignedPlan.servicePlanId -eq "…" -and …Enabled)', `(assignedPlan.servicePlanId -eq "$1"${enabled}`, l10n.t('has this service plan, enabled'), op === 'any'),
        snippet('(assignedPlan.servicePlanId -in […] -and …Enabled)', `(assignedPlan.servicePlanId -in ["$1"]${enabled}`, l10n.t('has one of these service plans, enabled')),
        snippet('(assignedPlan.service -eq "…" -and …Enabled)', `(assignedPlan.service -eq "$1"${enabled}`, l10n.t('has an enabled plan of this workload (SCO is Intune)')),
      ];
      if (op === 'any') return any;
      return [
        snippet('(assignedPlan.capabilityStatus -ne "Enabled")', '(assignedPlan.capabilityStatus -ne "Enabled")', l10n.t('no plan is enabled (also true with no plans)'), true),
        snippet('(assignedPlan.servicePlanId -eq null)', '(assignedPlan.servicePlanId -eq null)', l10n.t("has no assigned service plan (Microsoft's example)")),
        ...any,
      ];
    }
    case 'memberOf':
      return [snippet("(group.objectId -in ['…'])", "(group.objectId -in ['$1'])", l10n.t('a direct member of one of these groups (at most 50)'), true)];
    default:
      return [snippet('(…)', '($1)', l10n.t('the condition each item must meet'))];
  }
}

function firstSentence(s: string): string {
  const m = /^.*?[.!?](?=\s|$)/.exec(s);
  return m ? m[0] : s;
}
