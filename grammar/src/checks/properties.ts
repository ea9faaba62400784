/**
 * Property references: unknown objects and properties (with "did you mean"), properties of the
 * other object, unsupported properties, user and device mixed, non-canonical casing.
 */
import type { PropertyRef } from '../ast';
import { DOCS_URL, propertiesOf, type PathObject, type RuleObject } from '../catalogue';
import { issue, type Issue } from '../issues';
import * as l10n from '../l10n';
import { closest } from '../suggest';
import type { Check, CheckContext } from './context';

const CANONICAL_OBJECT: Record<string, PathObject> = { user: 'user', device: 'device', assignedplan: 'assignedPlan', group: 'group' };

function rename(ref: PropertyRef, name: string): Issue['fixes'] {
  return [{ title: l10n.t('Change to {0}', `${ref.object}.${name}`), edits: [{ span: ref.nameSpan, newText: name }], preferred: true }];
}

function checkRef(ctx: CheckContext, ref: PropertyRef, out: Issue[], expectedObject: RuleObject | undefined): void {
  if (ref.object === '_' && ref.name === '') return;
  const res = ctx.resolve(ref);
  const lowerObject = ref.object.toLowerCase();
  if (res.kind === 'unknownObject') {
    const guess = closest(ref.object, ['user', 'device'], 1)[0] ?? (ctx.ruleObject ?? 'user');
    out.push(issue('type/unknown-object', 'error', l10n.t("Unknown object '{0}': properties start with user. or device.", ref.object), ref.objectSpan, {
      fixes: [{ title: l10n.t('Change to {0}', `${guess}.`), edits: [{ span: ref.objectSpan, newText: guess }], preferred: true }],
      docs: DOCS_URL,
    }));
    return;
  }
  const object = CANONICAL_OBJECT[lowerObject]!;
  if (ref.object !== object) {
    out.push(issue('style/property-casing', 'info', l10n.t('Write the object as {0}.', object), ref.objectSpan, {
      fixes: [{ title: l10n.t('Change to {0}', object), edits: [{ span: ref.objectSpan, newText: object }], preferred: true }],
    }));
  }
  if (ref.name === '') {
    out.push(issue('type/missing-property', 'error', l10n.t('Expected a property name after {0}', ref.raw), ref.span, { docs: DOCS_URL }));
    return;
  }
  if (res.kind === 'unsupported') {
    const deadOnly = ref.name.toLowerCase() === 'organizationalunit';
    out.push(issue('type/unsupported-property', deadOnly ? 'warning' : 'error', l10n.t('Attribute not supported: {0}. {1}', `${ref.object}.${ref.name}`, l10n.t(res.advice)), ref.span, { docs: DOCS_URL }));
    return;
  }
  if (res.kind === 'unknown') {
    const other: PathObject | undefined = object === 'user' ? 'device' : object === 'device' ? 'user' : undefined;
    const onOther = other && propertiesOf(other).find((p) => p.name.toLowerCase() === ref.name.toLowerCase());
    const candidates = propertiesOf(object).map((p) => p.name);
    const guesses = closest(ref.name, candidates, 3);
    if (onOther && other) {
      out.push(issue('type/wrong-object', 'error', l10n.t('{0} is a {1} property, not a {2} property.', onOther.name, other, object), ref.span, {
        fixes: guesses.length ? guesses.map((g) => ({ title: l10n.t('Change to {0}', `${ref.object}.${g}`), edits: [{ span: ref.nameSpan, newText: g }] })) : [],
        docs: DOCS_URL,
      }));
      return;
    }
    let hint = guesses.length ? ` ${l10n.t('Did you mean {0}?', guesses.join(', '))}` : '';
    if (/^extension_/i.test(ref.name)) hint = ` ${l10n.t('Directory extension properties are written extension_<application id without hyphens (32 hex digits)>_<attribute name>.')}`;
    out.push(issue('type/unknown-property', 'error', l10n.t('Attribute not supported: {0} is not a {1} property.{2}', `${ref.object}.${ref.name}`, object, hint), ref.span, {
      fixes: guesses.map((g, i) => ({ title: l10n.t('Change to {0}', `${ref.object}.${g}`), edits: [{ span: ref.nameSpan, newText: g }], preferred: i === 0 && guesses.length === 1 })),
      docs: DOCS_URL,
    }));
    return;
  }
  if (res.kind === 'property') {
    const def = res.def;
    if (def.name !== ref.name && !/^extension_/i.test(def.name)) {
      out.push(issue('style/property-casing', 'info', l10n.t('Write the property as {0}.', def.name), ref.nameSpan, { fixes: rename(ref, def.name) }));
    }
    if (object === 'user' || object === 'device') {
      if (ctx.ruleObject && object !== ctx.ruleObject) {
        out.push(issue('rule/mixed-objects', 'error', l10n.t('A rule is about users or devices, not both: this is a {0} rule, and {1} is a {2} property.', ctx.ruleObject, `${ref.object}.${ref.name}`, object), ref.objectSpan, { docs: DOCS_URL }));
      } else if (expectedObject && object !== expectedObject) {
        out.push(issue('rule/wrong-object-type', 'error', expectedObject === 'user'
          ? l10n.t('Invalid object type: the group holds users, but {0} is a device property.', ref.raw)
          : l10n.t('Invalid object type: the group holds devices, but {0} is a user property.', ref.raw), ref.objectSpan, { docs: DOCS_URL }));
      }
    }
  }
}

export const propertyChecks: Check = (ctx, options) => {
  const out: Issue[] = [];
  for (const site of ctx.comparisons) checkRef(ctx, site.node.left, out, options.expectedObject);
  for (const q of ctx.quantifiers) checkRef(ctx, q.collection, out, options.expectedObject);
  return out;
};
