/**
 * The language core of Entra Dynamic Rules: pure, editor-free and Node-free. Everything here
 * works on text and offsets and reports its own {@link Issue} type; the server adapts it to LSP
 * and the CLI prints it.
 *
 * @packageDocumentation
 */

/** AST node types, spans and tree helpers. */
export * from './ast';
/** The property and operator catalogue. */
export * from './catalogue';
/** Issues (diagnostics) and quick-fix edits. */
export * from './issues';
/** The issue codes: the severity, category and meaning of each. */
export {
  CHANGE_CODES, codeInfo, ISSUE_CODES, TENANT_CODES, type ChangeCode, type CodeCategory, type CodeInfo, type FindingCode, type IssueCode, type SeverityOf, type TenantCode,
} from './codes';
/** The message table: `l10n.t` for every user-facing string, `l10n.setMessageBundle` to translate them. */
export * as l10n from './l10n';
/** A `.dynrule` document as a value: tokens, comments, directives and the parse, each computed once. */
export { createRuleDocument, type RuleDocument } from './document';
/** Parse a `.dynrule` document: comments, directives, the rule. */
export { parseRule, ruleBody, parseLicenses, MAX_NESTING, type ParsedRule } from './parse';
/** Run every check on a parsed rule. */
export { blocksEvaluation, checkRule, isMemberOfRule, NOT_SECURITY_ENABLED, notSecurityEnabledIssue, referenceIssues, type CheckOptions, type TenantFacts, type TenantGroup } from './checks/index';
/** Fully parenthesised printing, to show precedence. */
export { printFullyParenthesized, printValue } from './print';
/** `-match` pattern analysis (.NET vs JavaScript, catastrophic backtracking). */
export { analyzeRegex, type RegexAnalysis, type RegexFinding } from './regex';
/** How a property reference resolves against the catalogue, and the context every check shares. */
export { buildContext, resolveRef, type Resolution } from './checks/context';
/** Durations in rules (`system.now -minus P30D`) as milliseconds. */
export { durationMs } from './build';
/** The `-match` engine a process registers; the core runs no pattern itself. */
export { noRegexEngine, defaultRegexEngine, setDefaultRegexEngine, type RegexEngine } from './regex';
/** "Did you mean" by edit distance. */
export { closest, editDistance } from './suggest';
/** Microsoft's SKU and service plan catalogue: names for licensing GUIDs. */
export {
  findSku, findServicePlan, servicePlansOf, skusWithServicePlan, searchLicensing, allSkus, allServicePlans,
  mutuallyExclusiveSet, planConflicts, unmetPrerequisites, PLAN_PREREQUISITES,
  type SkuInfo, type ServicePlanInfo, type LicensingMatch, type PlanConflict, type PlanPrerequisite,
} from './licensing';

// ---------------------------------------------------------------------------------------------
// Editor services: pure functions over a document and offsets; the server adapts them to LSP.
// ---------------------------------------------------------------------------------------------

/** Types shared by the editor services and the tenant data they may consult. */
export type {
  TenantData, CompletionKind, CompletionItem, CompletionResult, HoverResult, InlayHint, FormatOptions, FormatResult,
  SemanticTokenType, SemanticToken, FoldingRange, DocumentSymbol, RuleStatus,
} from './services/types';
/** Completion at an offset: objects, properties, operators for the type, values, GUIDs with names, directives. */
export { complete } from './services/complete';
/** Hover: property and operator docs, names behind GUIDs, dates, durations, directives. */
export { hover } from './services/hover';
/** Inlay hints: the name after each GUID. */
export { inlayHints } from './services/inlayHints';
/** The name a GUID stands for (service plan, SKU, group, user). */
export { nameGuid, type GuidName, type GuidHint } from './services/guidNames';
/** Formatting that never changes the meaning; refuses rules with syntax errors. */
export { formatRule } from './services/format';
/** Semantic highlighting. */
export { semanticTokens } from './services/semanticTokens';
/** Folding ranges and the outline. */
export { foldingRanges, documentSymbols } from './services/outline';
/** Length against the 3,072-character limit, and the rule's object. */
export { ruleStatus } from './services/ruleStatus';

/** Rules inside Terraform, Bicep and Microsoft365DSC files, mapped back to the host file. */
export { extractRules, extractRulesFor, escapeFor, hostLanguageOf, hostLanguageOfLanguageId, type EmbeddedRule, type HostLanguage, type HostString } from './iac/index';
