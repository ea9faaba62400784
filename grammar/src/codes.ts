/**
 * The issue codes: every code the core and the server report, with the severity it is reported
 * at, its category and what it means. Codes are stable kebab-case strings namespaced by phase
 * (`syntax/…`, `type/…`, `rule/…`): scripts, SARIF output and quick fixes depend on them.
 *
 * `IssueCode` is this table's key type and `issue()` takes only a code with the severity listed
 * here, so a misspelt code or another severity does not compile. The user's list of codes,
 * docs/codes.md, is generated from this table (`npm run docs:codes`).
 */
import type { Severity } from './issues';

/**
 * `problem`: the rule is wrong, or will not do what it says. `advice`: the rule works and could be
 * written better; the `dynrule.diagnostics.advice` setting hides advice of severity info.
 */
export type CodeCategory = 'problem' | 'advice';

export interface CodeInfo {
  /** The severity the code is reported at. */
  readonly severity: Severity;
  /** The severity it is reported at instead, in the case the summary names. */
  readonly otherwise?: Severity;
  readonly category: CodeCategory;
  /** What the code means, in a sentence (docs/codes.md, and each SARIF rule's description). */
  readonly summary: string;
}

export const ISSUE_CODES = {
  // --- syntax/: the text does not parse ----------------------------------------------------------
  'syntax/backslash-escape': { severity: 'warning', category: 'problem', summary: 'A backslash before a quote: a rule escapes a double quote with a backtick.' },
  'syntax/backtick-quoted': { severity: 'warning', category: 'problem', summary: 'A string in backtick-escaped quotes, which Microsoft\'s pages read in two ways: write the quotes or leave them out.' },
  'syntax/expected-condition': { severity: 'error', category: 'problem', summary: 'A condition is missing, as after a trailing -and.' },
  'syntax/expected-token': { severity: 'error', category: 'problem', summary: 'A keyword or symbol the grammar requires is missing.' },
  'syntax/missing-comma': { severity: 'error', category: 'problem', summary: 'Two items of an array with no comma between them.' },
  'syntax/missing-connective': { severity: 'error', category: 'problem', summary: 'Two conditions with no -and or -or between them.' },
  'syntax/missing-duration': { severity: 'error', category: 'problem', summary: 'system.now -plus or -minus without an ISO 8601 duration after it.' },
  'syntax/missing-operator': { severity: 'error', category: 'problem', summary: 'A property with no operator after it.' },
  'syntax/missing-value': { severity: 'error', category: 'problem', summary: 'An operator with no value after it.' },
  'syntax/too-deep': { severity: 'error', category: 'problem', summary: 'The rule nests parentheses, -not and quantifiers deeper than any rule needs.' },
  'syntax/typographic-dash': { severity: 'error', category: 'problem', summary: 'An operator that starts with an en or em dash instead of a hyphen.' },
  'syntax/typographic-quote': { severity: 'error', category: 'problem', summary: 'Curly quotes, which do not delimit strings.' },
  'syntax/unclosed-bracket': { severity: 'error', category: 'problem', summary: 'An array whose [ is not closed.' },
  'syntax/unclosed-paren': { severity: 'error', category: 'problem', summary: 'A ( that is not closed.' },
  'syntax/unexpected-character': { severity: 'error', category: 'problem', summary: 'A character no part of a rule starts with.' },
  'syntax/unexpected-token': { severity: 'error', category: 'problem', summary: 'A word or symbol where the rule cannot go on.' },
  'syntax/unicode-space': { severity: 'warning', category: 'problem', summary: 'A non-breaking or other Unicode space, or a byte-order mark, inside the rule.' },
  'syntax/unknown-operator': { severity: 'error', category: 'problem', summary: 'An operator Entra does not have, such as -gt or -lt.' },
  'syntax/unmatched-paren': { severity: 'error', category: 'problem', summary: 'A ) with no ( to close.' },
  'syntax/unquoted-string': { severity: 'error', category: 'problem', summary: 'A text value without quotes.' },
  'syntax/unterminated-string': { severity: 'error', category: 'problem', summary: 'A string with no closing quote.' },
  // --- type/: a property, operator and value that do not go together -----------------------------
  'type/array-not-allowed': { severity: 'error', category: 'problem', summary: 'An array after an operator that compares with one value.' },
  'type/array-required': { severity: 'error', category: 'problem', summary: '-in or -notIn with a single value instead of an array.' },
  'type/date-operator': { severity: 'error', category: 'problem', summary: 'A date operator (-ge, -le) on a property that is not a date.' },
  'type/duration-calendar': { severity: 'warning', category: 'problem', summary: 'A duration in years or months, which have no fixed length.' },
  'type/empty-array': { severity: 'warning', category: 'problem', summary: 'An empty array: the condition is always the same.' },
  'type/invalid-date': { severity: 'error', category: 'problem', summary: 'A date-time that is not a valid date.' },
  'type/invalid-guid': { severity: 'error', category: 'problem', summary: 'A value that must be an object id (a GUID) and is not one.' },
  'type/missing-property': { severity: 'error', category: 'problem', summary: 'user. or device. with no property name after it.' },
  'type/not-with-null': { severity: 'error', category: 'problem', summary: '-not around a comparison with null: use -ne null.' },
  'type/now-chained': { severity: 'error', category: 'problem', summary: 'More than one -plus or -minus after system.now.' },
  'type/now-with-eq': { severity: 'error', category: 'problem', summary: 'system.now with an operator other than -ge or -le.' },
  'type/null-operator': { severity: 'error', category: 'problem', summary: 'null with an operator other than -eq or -ne.' },
  'type/number-for-string': { severity: 'warning', category: 'problem', summary: 'An unquoted number compared with a string property.' },
  'type/operator-not-allowed': { severity: 'error', category: 'problem', summary: 'An operator the property\'s type does not support.' },
  'type/operator-undocumented': { severity: 'warning', category: 'problem', summary: 'An operator on a date that Microsoft does not document.' },
  'type/property-value': { severity: 'error', category: 'problem', summary: 'A property where a constant value belongs.' },
  'type/quoted-boolean': { severity: 'warning', category: 'problem', summary: 'true or false in quotes, compared with a boolean property.' },
  'type/quoted-null': { severity: 'warning', category: 'problem', summary: '"null" in quotes: the text null, not the null value.' },
  'type/unknown-object': { severity: 'error', category: 'problem', summary: 'An object other than user or device.' },
  'type/unknown-property': { severity: 'error', category: 'problem', summary: 'A property that neither users nor devices have.' },
  'type/unknown-value': { severity: 'warning', category: 'problem', summary: 'A value the property never takes.' },
  'type/unsupported-property': { severity: 'error', otherwise: 'warning', category: 'problem', summary: 'A property Entra does not support in rules; a warning for one it accepts but no longer fills.' },
  'type/value-type': { severity: 'error', category: 'problem', summary: 'A value of another type than the property\'s.' },
  'type/wrong-object': { severity: 'error', category: 'problem', summary: 'A property of the other object: a device property on user, or the reverse.' },
  // --- rule/: the rule as a whole ----------------------------------------------------------------
  'rule/ambiguous-quantifier': { severity: 'warning', category: 'problem', summary: 'A quantifier whose condition is not in parentheses, followed by -and or -or.' },
  'rule/direct-reports-combined': { severity: 'error', category: 'problem', summary: 'A Direct Reports rule combined with other conditions.' },
  'rule/document-too-large': { severity: 'error', category: 'problem', summary: 'A file too large to be a rule, which is not checked.' },
  'rule/element-outside-quantifier': { severity: 'error', category: 'problem', summary: 'An element of a collection (_ or assignedPlan.…) outside -any or -all.' },
  'rule/empty': { severity: 'error', otherwise: 'hint', category: 'problem', summary: 'A document with no rule in it; a hint while the document is blank.' },
  'rule/member-of-combined': { severity: 'error', category: 'problem', summary: 'A memberOf rule combined with -and, -or or -not.' },
  'rule/member-of-form': { severity: 'error', category: 'problem', summary: 'A memberOf rule in another form than memberOf -any (group.objectId -in […]).' },
  'rule/member-of-preview': { severity: 'info', category: 'problem', summary: 'A memberOf rule, a preview feature with limits.' },
  'rule/member-of-retired': { severity: 'error', category: 'problem', summary: 'A memberOf rule after memberOf\'s retirement on 3 November 2026.' },
  'rule/member-of-too-many': { severity: 'error', category: 'problem', summary: 'A memberOf rule that names more groups than Entra allows.' },
  'rule/mixed-objects': { severity: 'error', category: 'problem', summary: 'A rule that tests both user and device properties.' },
  'rule/nested-quantifier': { severity: 'error', category: 'problem', summary: '-any or -all inside another -any or -all.' },
  'rule/quantifier-on-scalar': { severity: 'error', category: 'problem', summary: '-any or -all on a property that holds a single value.' },
  'rule/quantifier-required': { severity: 'error', category: 'problem', summary: 'A collection of objects compared without -any or -all.' },
  'rule/too-long': { severity: 'error', category: 'problem', summary: 'A rule longer than Entra accepts.' },
  'rule/unknown-group': { severity: 'warning', category: 'problem', summary: 'A memberOf rule names a group the tenant does not have.' },
  'rule/unknown-manager': { severity: 'warning', category: 'problem', summary: 'A Direct Reports rule names a user the tenant does not have.' },
  'rule/wrong-element': { severity: 'error', category: 'problem', summary: 'A quantifier\'s condition that reads another collection\'s elements.' },
  'rule/wrong-object-type': { severity: 'error', category: 'problem', summary: 'A rule about users for a group of devices, or the reverse.' },
  // --- regex/: -match and -notMatch patterns -----------------------------------------------------
  'regex/catastrophic': { severity: 'warning', category: 'problem', summary: 'A pattern with nested repetition, which can take exponential time in .NET.' },
  'regex/dotnet-difference': { severity: 'warning', category: 'problem', summary: 'A pattern construct that .NET reads differently from JavaScript.' },
  'regex/dotnet-only': { severity: 'warning', category: 'problem', summary: 'A .NET-only pattern construct: the preview cannot evaluate it.' },
  'regex/invalid': { severity: 'error', category: 'problem', summary: 'A pattern that is not a valid regular expression.' },
  'regex/refused': { severity: 'warning', category: 'problem', summary: 'A pattern the linear-time engine does not run: its results are unknown.' },
  // --- directive/: # @group, # @administrativeUnit and # @licenses ----------------------------------
  'directive/group-and-administrative-unit': { severity: 'error', category: 'problem', summary: 'A file that names both a @group and an @administrativeUnit: a rule is for one of them.' },
  'directive/licenses-on-administrative-unit': { severity: 'warning', category: 'problem', summary: '@licenses in a file for an administrative unit, which assigns no licenses.' },
  'directive/missing-value': { severity: 'error', category: 'problem', summary: 'A directive with no value.' },
  'directive/sku-not-in-tenant': { severity: 'info', category: 'problem', summary: 'A @licenses SKU the tenant has no subscription for.' },
  'directive/unknown': { severity: 'warning', category: 'problem', summary: 'A directive other than @group, @administrativeUnit and @licenses.' },
  'directive/unknown-administrative-unit': { severity: 'warning', category: 'problem', summary: 'An @administrativeUnit the tenant does not have.' },
  'directive/unknown-group': { severity: 'warning', category: 'problem', summary: 'A @group the tenant does not have.' },
  'directive/unknown-plan': { severity: 'warning', category: 'problem', summary: 'A @licenses service plan Microsoft\'s catalogue does not have.' },
  'directive/unknown-sku': { severity: 'warning', category: 'problem', summary: 'A @licenses SKU Microsoft\'s catalogue does not have.' },
  // --- licensing/ --------------------------------------------------------------------------------
  'licensing/group-not-security-enabled': { severity: 'error', category: 'problem', summary: 'A group that is to assign licenses but is not security-enabled.' },
  // --- iac/: rules inside Terraform, Bicep and Microsoft365DSC files -----------------------------
  'iac/control-character': { severity: 'error', category: 'problem', summary: 'An escape that puts a control character into the rule.' },
  'iac/invalid-escape': { severity: 'error', category: 'problem', summary: 'An escape the host language does not accept.' },
  'iac/template-in-rule': { severity: 'warning', category: 'problem', summary: 'A rule with interpolation, known only when the tool runs: it is not checked.' },
  'iac/unterminated-string': { severity: 'error', category: 'problem', summary: 'A host-language string with no end.' },
  // --- advice: style/, perf/ and logic/ ----------------------------------------------------------
  'style/collection-without-any': { severity: 'info', category: 'advice', summary: 'A string operator on a collection without -any or -all.' },
  'style/keyword-casing': { severity: 'info', category: 'advice', summary: 'Direct Reports for written in other casing.' },
  'style/missing-hyphen': { severity: 'info', category: 'advice', summary: 'An operator without its hyphen.' },
  'style/missing-space': { severity: 'info', category: 'advice', summary: 'An operator with no space before it.' },
  'style/property-casing': { severity: 'info', category: 'advice', summary: 'An object or property in other casing than its name.' },
  'perf/cheaper-operator': { severity: 'info', category: 'advice', summary: 'An operator that a cheaper one can replace with the same result.' },
  'perf/match-literal': { severity: 'info', category: 'advice', summary: 'A -match pattern that is plain text: -startsWith, -endsWith or -contains is faster.' },
  'perf/or-chain': { severity: 'info', category: 'advice', summary: 'A chain of -eq joined by -or (or -ne by -and) that -in (or -notIn) says at once.' },
  'perf/redundant-condition': { severity: 'warning', category: 'advice', summary: 'A condition that repeats an earlier one in the same chain.' },
  'logic/plan-status': { severity: 'info', category: 'advice', summary: 'An assignedPlans condition that also matches suspended and deleted plans.' },
  // --- internal/ ---------------------------------------------------------------------------------
  'internal/check-failed': { severity: 'warning', category: 'problem', summary: 'A check failed on the rule; the other checks still ran.' },
} as const satisfies Record<`${string}/${string}`, CodeInfo>;

export type IssueCode = keyof typeof ISSUE_CODES;

/** The severities `code` may be reported at: the catalogue's, and the one it gives otherwise. */
export type SeverityOf<C extends IssueCode> =
  | (typeof ISSUE_CODES)[C]['severity']
  | ((typeof ISSUE_CODES)[C] extends { readonly otherwise: infer O extends Severity } ? O : never);

/**
 * The codes of `dynrule audit`'s findings about a group, a unit or the whole tenant rather than a
 * rule's text (the audit also reports every code above for each group's rule). The severity is the
 * usual one; where it varies with the group's state, `otherwise` is the other and the summary says
 * when.
 */
export const TENANT_CODES = {
  'group/processing-paused': { severity: 'warning', category: 'problem', summary: 'Rule processing is paused: the members stay as they are whatever the rule or the people change.' },
  'group/membership-drift': { severity: 'warning', otherwise: 'info', category: 'problem', summary: 'The members differ from what the rule selects: a warning where processing is stuck (paused, a retired memberOf rule, failed), information where it runs and is catching up.' },
  'group/no-rule': { severity: 'warning', category: 'problem', summary: 'A dynamic group or administrative unit without a membershipRule.' },
  'group/rule-not-evaluated': { severity: 'info', category: 'problem', summary: 'The rule could not be evaluated (it has errors, or the snapshot lacks the users or devices it selects from): no drift is computed.' },
  'licensing/guests-in-licensing-group': { severity: 'warning', category: 'problem', summary: 'The group assigns licenses and its rule selects guests.' },
  'licensing/sku-from-several-groups': { severity: 'info', category: 'advice', summary: 'Users receive the same SKU from more than one group: one seat each, but removing them from one group does not take the license away.' },
  'security/guest-controllable-rule': { severity: 'warning', category: 'problem', summary: 'The rule matches mail, otherMails or userPrincipalName by substring or pattern without requiring userType Member: a guest chooses those addresses.' },
  'tenant/dynamic-group-limit': { severity: 'error', otherwise: 'warning', category: 'problem', summary: 'Dynamic groups and dynamic administrative units against the tenant limit of 15,000, memberOf groups against 500: a warning from 80%, an error at the limit.' },
  'tenant/p1-seats': { severity: 'error', otherwise: 'info', category: 'problem', summary: 'Unique users in dynamic groups and dynamic administrative units against the Entra ID P1 (or P2) seats the tenant owns: an error when short, information otherwise.' },
  'tenant/costly-rules': { severity: 'info', category: 'advice', summary: 'The rules that cost Entra the most to process, by Microsoft\'s efficiency guidance.' },
} as const satisfies Record<`${string}/${string}`, CodeInfo>;

export type TenantCode = keyof typeof TENANT_CODES;
/**
 * The codes of the problems `dynrule whatif` finds in a changes file (a bulk-create CSV, an
 * attribute-change CSV or JSON): each is an error, and any of them stops the what-if before it
 * evaluates anything.
 */
export const CHANGE_CODES = {
  'changes/unreadable': { severity: 'error', category: 'problem', summary: 'The file cannot be read: not a regular file, too large, or not UTF-8.' },
  'changes/unknown-format': { severity: 'error', category: 'problem', summary: 'The file is neither a CSV (.csv) nor JSON (.json) file of changes.' },
  'changes/csv-syntax': { severity: 'error', category: 'problem', summary: 'The CSV cannot be parsed: a quote that is not closed, or text after a closing quote.' },
  'changes/not-bulk-create': { severity: 'error', category: 'problem', summary: 'A bulk-operation template of the Entra admin center, but not the bulk-create one (bulk invite or bulk delete), or a CSV that is neither that template nor an attribute-change CSV.' },
  'changes/unknown-heading': { severity: 'error', category: 'problem', summary: 'A column heading that names no user property a rule can read or that whatif can set.' },
  'changes/duplicate-heading': { severity: 'error', category: 'problem', summary: 'Two columns set the same property.' },
  'changes/read-only-property': { severity: 'error', category: 'problem', summary: 'A column or field for a property no change can set (object id, assigned plans, memberOf, licenses).' },
  'changes/missing-column': { severity: 'error', category: 'problem', summary: 'A column the template requires is missing.' },
  'changes/missing-value': { severity: 'error', category: 'problem', summary: 'A cell the template requires is empty.' },
  'changes/extra-cells': { severity: 'error', category: 'problem', summary: 'A row with more cells than there are headings.' },
  'changes/duplicate-user': { severity: 'error', category: 'problem', summary: 'The same user twice in one file.' },
  'changes/bad-value': { severity: 'error', category: 'problem', summary: 'A value of the wrong type: not true/false (Yes/No), not a date, not a two-letter country code, not Member/Guest.' },
  'changes/invalid-json': { severity: 'error', category: 'problem', summary: 'The JSON does not parse.' },
  'changes/bad-entry': { severity: 'error', category: 'problem', summary: 'A JSON entry that is not {"user", "set"}, {"user", "delete": true} or {"create"}.' },
  'changes/user-exists': { severity: 'error', category: 'problem', summary: 'A new user whose userPrincipalName the tenant already has.' },
  'changes/unknown-user': { severity: 'error', category: 'problem', summary: 'A user to delete that the tenant does not have.' },
  'changes/user-deleted': { severity: 'error', category: 'problem', summary: 'A change to a user an earlier change deletes.' },
  'changes/unknown-manager': { severity: 'error', category: 'problem', summary: 'A manager that is neither in the tenant nor a new user of the changes.' },
} as const satisfies Record<`${string}/${string}`, CodeInfo>;

export type ChangeCode = keyof typeof CHANGE_CODES;
/** Every code a finding can carry: a rule's issue, the audit's finding about a group or the tenant, or a changes file's problem. */
export type FindingCode = IssueCode | TenantCode | ChangeCode;

/** The catalogue entry of a code. */
export function codeInfo(code: FindingCode): CodeInfo {
  return (ISSUE_CODES as Record<string, CodeInfo>)[code] ?? (TENANT_CODES as Record<string, CodeInfo>)[code] ?? CHANGE_CODES[code as ChangeCode];
}

