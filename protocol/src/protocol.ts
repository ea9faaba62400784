/**
 * The custom requests and notifications between the VS Code client and the language server, each
 * declared once as a typed message (`RequestType<Params, Result, void>`, `NotificationType<Params>`)
 * that both ends pass to `onRequest`/`sendRequest`: the compiler holds the method name, the
 * parameters and the result together on both sides. The lists at the end say which end answers
 * each one; a test starts the server and holds its handlers to them.
 *
 * Both the client and the server import this project, so it imports neither the core, Node nor
 * vscode: only the JSON-RPC message types (already in both bundles through vscode-languageclient
 * and vscode-languageserver).
 */
import { NotificationType, RequestType, RequestType0, type WorkDoneProgressParams } from 'vscode-languageserver-protocol';


/** The language id and the server's diagnostic source name. */
export const LANGUAGE_ID = 'dynrule';

/**
 * Infrastructure-as-code documents the client also sends: the server answers only inside the
 * group rules written in them (Terraform `azuread_group`, Bicep `Microsoft.Graph/groups`,
 * Microsoft365DSC `AADGroup`), whether or not an extension for their language is installed.
 */
export const HOST_DOCUMENTS: ({ language: string } | { scheme: string; pattern: string })[] = [
  { language: 'terraform' }, { language: 'bicep' }, { language: 'powershell' },
  { scheme: 'file', pattern: '**/*.tf' }, { scheme: 'file', pattern: '**/*.bicep' }, { scheme: 'file', pattern: '**/*.ps1' },
];
export const DIAGNOSTIC_SOURCE = 'dynrule';

/** Which tenant the server evaluates rules against. */
export type TenantSelection =
  | { readonly kind: 'folder'; readonly path: string; readonly label?: string }
  | LiveSelection
  | { readonly kind: 'none' };

/**
 * A live tenant through Microsoft Graph (read-only). The server keeps a snapshot in the
 * extension's storage and refreshes it with delta queries; tokens come from the client.
 */
export interface LiveSelection {
  readonly kind: 'live';
  /** Graph base URL, e.g. https://graph.microsoft.com. */
  readonly endpoint: string;
  /** A tenant id or domain to sign in to; the account's home tenant when absent. */
  readonly tenant?: string;
  readonly label?: string;
  /** Read everything again instead of a delta refresh. */
  readonly full?: boolean;
}

/**
 * The delegated Microsoft Graph permissions a live tenant is read with, the least that reads what
 * rules and licensing need (docs/live-tenant.md): the client asks VS Code for a token with them,
 * the CLI signs in with them.
 */
export const GRAPH_READ_SCOPES = ['User.Read.All', 'Group.Read.All', 'Device.Read.All', 'Organization.Read.All'] as const;

/** Server → client: an access token for Graph (never stored or logged by either side). */
export interface GetTokenParams { readonly endpoint: string; readonly tenant?: string; readonly forceRefresh: boolean }
export interface GetTokenResult { readonly token: string }
export const GetTokenRequest = new RequestType<GetTokenParams, GetTokenResult, void>('dynrule/getToken');

/**
 * What went wrong talking to Microsoft Graph (the server's `GraphError` kinds): the client offers
 * the next step by it — sign in again, try again later.
 */
export type GraphErrorKind =
  /** The caller's AbortSignal fired. */
  | 'cancelled'
  /** No token could be obtained, or Graph rejected it even after a fresh one (401). */
  | 'auth'
  /** 403: the token lacks a permission (the message names the one needed). */
  | 'forbidden'
  /** 404: a group named by id or display name does not exist. */
  | 'not-found'
  /** 400 and other 4xx: Graph refused the request as written. */
  | 'bad-request'
  /** Still throttled (429) or unavailable (503/504) after every retry, or asked to wait too long. */
  | 'throttled'
  /** The connection kept failing, or the response kept arriving cut short. */
  | 'network'
  /** A 200 response that is not the JSON page we asked for. */
  | 'invalid-response'
  /** 410 on a delta link: Graph no longer has the change-tracking state; fetch everything again. */
  | 'delta-expired'
  /** 5xx that persisted, or one that is not worth retrying. */
  | 'server'
  /** The snapshot folder could not be read or written. */
  | 'io';

export interface TenantInfo {
  /** The selection in use. */
  readonly selection: TenantSelection;
  /** Short name for the status bar: folder name or tenant name. */
  readonly label: string;
  readonly state: 'none' | 'loading' | 'ready' | 'failed';
  readonly users?: number;
  readonly devices?: number;
  readonly groups?: number;
  /** When the snapshot was taken (ISO), if known. */
  readonly takenAt?: string;
  /** Why loading failed. */
  readonly error?: string;
  /** When Microsoft Graph is why a live tenant failed to load: what kind of failure. */
  readonly errorKind?: GraphErrorKind;
  /** What the snapshot lacks (no devices.json...). */
  readonly notes?: readonly string[];
  /** For a live tenant: the tenant id and how the last fetch went. */
  readonly live?: { readonly tenantId?: string; readonly endpoint: string; readonly mode?: 'full' | 'delta'; readonly dir?: string };
}

/** Client → server: use this tenant. Answers when loading finished (or failed). */
export interface SelectTenantParams { readonly selection: TenantSelection }
export const SelectTenantRequest = new RequestType<SelectTenantParams, TenantInfo, void>('dynrule/selectTenant');

/** Client → server: the tenant in use. */
export const TenantInfoRequest = new RequestType0<TenantInfo, void>('dynrule/tenantInfo');

/** Server → client: the tenant changed or its loading progressed. */
export const TenantChangedNotification = new NotificationType<TenantInfo>('dynrule/tenantChanged');

/** A user or device, as lists and pickers show it. */
export interface ObjectSummary {
  readonly id: string;
  readonly displayName: string;
  readonly userPrincipalName?: string;
  readonly department?: string;
  readonly jobTitle?: string;
  readonly userType?: string;
  readonly operatingSystem?: string;
}

/** Client → server: search the tenant's users or devices (for the Explain quick pick). */
export interface SearchObjectsParams { readonly uri: string; readonly query: string; readonly limit?: number }
export const SearchObjectsRequest = new RequestType<SearchObjectsParams, ObjectSummary[], void>('dynrule/searchObjects');

/** Client → server: the preview of the rule in a document. */
export interface PreviewParams { readonly uri: string }

export interface PreviewLicense {
  readonly skuId: string;
  readonly skuPartNumber: string | null;
  readonly displayName: string | null;
  readonly disabledPlans: readonly { readonly id: string; readonly name: string | null }[];
  readonly gained: readonly string[];
  readonly lost: readonly string[];
  /** Seats free now. The seat figures are the preview's own (server/src/preview/licenses.ts seatFigures); none is negative. */
  readonly available: number | null;
  readonly needed: number;
  readonly freed: number;
  /** Seats free after the change. */
  readonly left: number | null;
  /** Members gaining it who find no seat (CountViolation): Entra picks which, so none is named. */
  readonly shortfall: number | null;
  /** Removed members who keep the license through another source that disables some of its plans. */
  readonly plansLost: readonly { readonly user: string; readonly plans: readonly { readonly id: string; readonly name: string | null }[] }[];
}

export interface PreviewExplanation {
  /**
   * The condition that decided, with the value seen: when the group has a current rule, the
   * condition that differs between it and the edited rule for this member.
   */
  readonly decidedBy: string;
  readonly property?: string;
  readonly value?: string;
  /** Why the deciding sub-expression is unknown when the data is not the cause (a pattern that is not run). */
  readonly reason?: string;
  /** Which rule the condition is in, when it is in only one: the group's current rule or the edited one. */
  readonly rule?: 'current' | 'edited';
}

export interface PreviewResponse {
  readonly ok: boolean;
  /** Why there is no preview (rule with errors, no tenant...). */
  readonly reason?: string;
  readonly tenant: string;
  readonly type?: 'user' | 'device';
  readonly group?: { readonly id: string; readonly displayName: string | null } | null;
  readonly before?: number;
  readonly after?: number;
  readonly added?: readonly string[];
  readonly removed?: readonly string[];
  readonly unknown?: readonly string[];
  readonly licenses?: readonly PreviewLicense[];
  /** Failures whose user is certain; `dueTo` names the product of the same group whose failure caused an `Other`. */
  readonly errors?: readonly {
    readonly user: string; readonly skuId: string; readonly reason: string; readonly dueTo?: string;
    readonly conflict?: { readonly plan: string; readonly with: string; readonly set: string };
    /** The conflicting plans by name, or the product that failed first. */
    readonly detail?: string;
  }[];
  /** `severity: 'error'` for what Entra refuses outright; `count` where Entra does not say who. */
  readonly warnings?: readonly { readonly code: string; readonly severity?: 'error'; readonly message: string; readonly count?: number; readonly objects?: readonly string[] }[];
  /** Error kind → its one-line explanation, for the kinds this preview shows. */
  readonly errorKinds?: Readonly<Record<string, string>>;
  readonly notes?: readonly string[];
  /** Every object the lists mention. */
  readonly objects?: Readonly<Record<string, ObjectSummary>>;
  /** Why each added, removed or unknown object is so. */
  readonly explanations?: Readonly<Record<string, PreviewExplanation>>;
  /** The document version the preview is for. */
  readonly version?: number;
}
export const PreviewRequest = new RequestType<PreviewParams, PreviewResponse, void>('dynrule/preview');

/** Client → server: explain the rule for one user or device. */
export interface ExplainParams { readonly uri: string; readonly objectId: string }
/**
 * The core's trace node (grammar/engine/src/evaluate/interpret.ts) as it travels: the protocol cannot
 * import the core, so the server passes its traces here without a cast and the compiler holds the
 * two shapes together.
 */
export interface TraceNodeDto {
  readonly expression: string;
  readonly result: boolean | 'unknown';
  readonly property?: string;
  readonly value?: string;
  /** Why the result is unknown when the data is not the cause (a pattern that is not run). */
  readonly reason?: string;
  readonly quantifier?: 'any' | 'all';
  readonly children: readonly TraceNodeDto[];
}
export interface ExplainResponse {
  readonly ok: boolean;
  readonly reason?: string;
  readonly object?: ObjectSummary;
  readonly result?: boolean | 'unknown';
  readonly trace?: TraceNodeDto;
  /** The trace as the lines to show (the core's renderTrace: what decided, GUIDs named). */
  readonly lines?: readonly string[];
}
export const ExplainRequest = new RequestType<ExplainParams, ExplainResponse, void>('dynrule/explain');

/**
 * Client → server: the current rule of the group a document names (`# @group`), to compare with
 * the edited rule. `text` is a rule document: the edited document's comment lines, then the
 * current rule formatted as the formatter would, so that a diff shows only what the edit changed.
 */
export interface CurrentRuleParams { readonly uri: string }
export interface CurrentRuleResponse {
  readonly ok: boolean;
  readonly reason?: string;
  readonly group?: { readonly id: string; readonly displayName: string | null };
  readonly text?: string;
}
export const CurrentRuleRequest = new RequestType<CurrentRuleParams, CurrentRuleResponse, void>('dynrule/currentRule');

/** Client → server: run rule test files (all cases, or the named ones). */
export interface RunRuleTestsParams {
  readonly files: readonly string[];
  /** Limit to these cases: file path → case names. */
  readonly only?: Readonly<Record<string, readonly string[]>>;
}
export interface RuleTestCaseDto {
  readonly name: string;
  readonly passed: boolean;
  readonly expect: string;
  readonly actual: string;
  readonly message?: string;
  readonly subject: string;
  /** Offsets of the case in its file. */
  readonly start: number;
  readonly end: number;
  readonly trace?: TraceNodeDto;
  /** The trace as the lines to show (as in ExplainResponse). */
  readonly lines?: readonly string[];
  readonly durationMs: number;
}
export interface RuleTestFileDto {
  readonly file: string;
  readonly error?: { readonly message: string; readonly line: number; readonly column: number };
  readonly cases: readonly RuleTestCaseDto[];
  readonly count?: { readonly min?: number; readonly max?: number; readonly actual: number; readonly passed: boolean };
}
export interface RunRuleTestsResponse {
  readonly files: readonly RuleTestFileDto[];
  readonly passed: number;
  readonly failed: number;
}
export const RunRuleTestsRequest = new RequestType<RunRuleTestsParams, RunRuleTestsResponse, void>('dynrule/runRuleTests');

/** Client → server: list the cases of a rule test file (for the Test Explorer). */
export interface ListRuleTestsParams { readonly file: string; readonly text?: string }
export interface ListRuleTestsResponse {
  readonly file: string;
  readonly rule?: string;
  readonly error?: { readonly message: string; readonly line: number; readonly column: number };
  readonly cases: readonly { readonly name: string; readonly start: number; readonly end: number }[];
}
export const ListRuleTestsRequest = new RequestType<ListRuleTestsParams, ListRuleTestsResponse, void>('dynrule/listRuleTests');

/** Client → server: the rule's status (length against the limit, user or device rule). */
export interface RuleStatusParams { readonly uri: string }
export interface RuleStatusResponse {
  readonly length: number;
  readonly limit: number;
  readonly object: 'user' | 'device' | undefined;
}
/** `null` for a document that is not open (or is no rule document). */
export const RuleStatusRequest = new RequestType<RuleStatusParams, RuleStatusResponse | null, void>('dynrule/ruleStatus');

/**
 * Client → server: the rule of a document as text to paste where rules are saved — the admin
 * center's rule box (`portal`), a Microsoft Graph request (`graph`) or a Microsoft Graph PowerShell
 * command (`powershell`) for the group in `# @group`. The product never sends them itself.
 */
export type HandOffFormat = 'portal' | 'graph' | 'powershell';
export interface HandOffParams {
  readonly uri: string;
  readonly format: HandOffFormat;
  /** The Graph base URL the request goes to (the `dynrule.graph.endpoint` setting). */
  readonly endpoint?: string;
}
export interface HandOffResponse {
  readonly ok: boolean;
  /** The text to copy. */
  readonly text?: string;
  /** Why there is none (no rule, no `# @group`, a name the tenant does not resolve…). */
  readonly reason?: string;
  /** The group the request or command is for. */
  readonly group?: { readonly id: string; readonly displayName: string | null };
  /** Errors in the rule: Entra would refuse it as it is. */
  readonly errors?: number;
}
export const HandOffRequest = new RequestType<HandOffParams, HandOffResponse, void>('dynrule/handOff');

/** A position in a file, as LSP counts it (zero-based line, UTF-16 character). */
export interface FilePosition { readonly line: number; readonly character: number }

/** One finding of the audit: on the tenant, or on one group (then `range` is in its pulled file, when there is one). */
export interface AuditFindingDto {
  readonly code: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  /** Where in the group's pulled file: the rule finding's range, or the `# @group` line for a finding on the group. */
  readonly range?: { readonly start: FilePosition; readonly end: FilePosition };
}

/** A dynamic group or dynamic administrative unit of the tenant, as `dynrule audit` reports it. */
export interface AuditGroupDto {
  readonly id: string;
  readonly displayName: string;
  readonly kind: 'group' | 'administrativeUnit';
  readonly type: 'user' | 'device';
  /** `membershipRuleProcessingState`: `On`, `Paused`, or null when the snapshot does not say. */
  readonly processingState: string | null;
  /** Current members; null when the snapshot does not hold them. */
  readonly members: number | null;
  /** Members the rule selects. */
  readonly ruleMembers: number;
  /** How many the rule selects that are not members, and members it does not select. */
  readonly missing: number;
  readonly extra: number;
  /** How many the rule's answer is unknown for (the snapshot lacks data it reads). */
  readonly unknown: number;
  /** skuIds the group assigns. */
  readonly licenses: readonly string[];
  readonly findings: readonly AuditFindingDto[];
  /** The uri of its pulled rule file in the pull folder, when it has been pulled. */
  readonly file?: string;
}

/**
 * Client → server: audit the tenant in use (`dynrule audit`). The server keeps the last report for
 * the loaded tenant and answers with it unless `refresh` is set; the findings of each group with a
 * pulled file are published on that file. `folder` is the pull folder (absolute), where the
 * groups' rule files are looked for. With a `workDoneToken` (LSP work-done progress, begun by the
 * server), an audit that runs reports how many dynamic groups and units are done on it.
 */
export interface AuditParams extends WorkDoneProgressParams { readonly folder?: string; readonly refresh?: boolean }
export interface AuditResponse {
  readonly ok: boolean;
  /** Why there is no report (no tenant, still loading…). */
  readonly reason?: string;
  readonly tenant: string;
  readonly summary?: {
    readonly groups: number; readonly administrativeUnits: number;
    readonly dynamicObjects: number; readonly dynamicLimit: number;
    readonly errors: number; readonly warnings: number; readonly infos: number;
  };
  /** The pull folder the groups' files were looked for in, when there is one. */
  readonly folder?: string;
  /** Findings on the tenant as a whole (seats, limits). */
  readonly findings: readonly AuditFindingDto[];
  readonly groups: readonly AuditGroupDto[];
}

/**
 * Client → server: write the rule of every dynamic group and dynamic administrative unit of the
 * tenant in use into `folder` (`dynrule pull`). A file edited there is never overwritten.
 */
export interface PullParams { readonly folder: string }
export interface PullResponse {
  readonly ok: boolean;
  readonly reason?: string;
  /** Files as uris. */
  readonly written: readonly { readonly file: string; readonly id: string }[];
  readonly unchanged: readonly { readonly file: string; readonly id: string }[];
  /** Files edited here and changed in the tenant: `tenantFile` is the tenant's version, written beside `file`. */
  readonly conflicts: readonly { readonly file: string; readonly id: string; readonly reason: string; readonly tenantFile?: string }[];
  readonly gone: readonly { readonly file: string; readonly id: string }[];
}
export const AuditRequest = new RequestType<AuditParams, AuditResponse, void>('dynrule/audit');
export const PullRequest = new RequestType<PullParams, PullResponse, void>('dynrule/pull');

/**
 * Changes files the client also sends (README, "What if people change"): CSV and JSON files in a
 * folder named `changes`, or named `*.changes.csv` / `*.changes.json`. The server checks them
 * (diagnostics at row and column) and puts a what-if code lens on them; other CSV and JSON files
 * are not ours.
 */
export const CHANGES_DOCUMENTS: { scheme: string; pattern: string }[] = [
  { scheme: 'file', pattern: '**/changes/*.{csv,json}' },
  { scheme: 'file', pattern: '**/*.changes.{csv,json}' },
];

/** A problem in a changes file, at its place (`dynrule whatif` prints the same, file:line:column). */
export interface ChangeIssueDto {
  /** The changes file's uri. */
  readonly file: string;
  readonly range: { readonly start: FilePosition; readonly end: FilePosition };
  readonly code: string;
  readonly message: string;
  readonly heading?: string;
}

/** A rule file of the workspace left out of a what-if, and why (an error in the rule, an unknown group…). */
export interface SkippedRuleDto { readonly file: string; readonly reason: string }

/** The what-if report (`dynrule whatif --format json`), with the names the view shows. */
export interface WhatIfReportDto {
  readonly users: readonly {
    readonly user: string; readonly change: 'new' | 'changed' | 'deleted' | 'unchanged';
    readonly userPrincipalName: string | null; readonly displayName: string | null;
    readonly properties: readonly string[]; readonly implied?: string;
    readonly joined: readonly string[]; readonly left: readonly string[];
    readonly gained: readonly string[]; readonly lost: readonly string[];
  }[];
  readonly groups: readonly {
    readonly id: string; readonly displayName: string | null; readonly kind: 'group' | 'administrativeUnit';
    readonly before: number | null; readonly after: number | null; readonly added: number; readonly removed: number;
    readonly frozen?: string; readonly ruleFile?: string; readonly licenses: readonly string[];
  }[];
  readonly licenses: readonly {
    readonly skuId: string; readonly skuPartNumber: string | null; readonly gained: number; readonly lost: number;
    readonly available: number | null; readonly shortfall: number | null;
  }[];
  /** `detail`: what the error is about, in a few words (the conflicting plans, the product that failed first). */
  readonly errors: readonly { readonly user: string; readonly skuId: string; readonly reason: string; readonly group: string; readonly dueTo?: string; readonly detail?: string }[];
  readonly summary: {
    readonly newUsers: number; readonly changedUsers: number; readonly deletedUsers: number; readonly unchangedUsers: number;
    readonly groupsChanged: number; readonly joins: number; readonly leaves: number; readonly seatsShort: number | null; readonly errors: number;
  };
  /** Entra ID P1: users in dynamic groups and units before and after, against the seats owned (null: unknown). */
  readonly p1: { readonly owned: number | null; readonly before: number; readonly after: number; readonly shortfall: number | null };
  readonly notes: readonly string[];
}

/**
 * Client → server: what if (`dynrule whatif`) against the tenant in use. `changes`: the uri of a
 * changes file (its text in the editor when open); `rules`: uris of rule files, those whose
 * `# @group` names a group of the tenant and whose rule differs from the group's replace that
 * group's rule (`--rules`). With problems in the changes file, `issues` lists them and there is
 * no report: nothing is half-applied.
 */
export interface WhatIfParams { readonly changes?: string; readonly rules?: readonly string[] }
export interface WhatIfResponse {
  readonly ok: boolean;
  readonly reason?: string;
  readonly tenant: string;
  readonly changes?: string;
  /** The rule files used as edits: file uri and the group whose rule each replaces. */
  readonly edits: readonly { readonly file: string; readonly group: string }[];
  readonly skipped: readonly SkippedRuleDto[];
  readonly issues: readonly ChangeIssueDto[];
  readonly report?: WhatIfReportDto;
}
export const WhatIfRequest = new RequestType<WhatIfParams, WhatIfResponse, void>('dynrule/whatIf');

/**
 * Client → server: which of these files (uris) are changes files — their headings parse as the
 * bulk-create template or an attribute-change CSV, or their JSON as changes — with how many
 * changes each holds and how many problems.
 */
export interface ChangesFilesParams { readonly files: readonly string[] }
export interface ChangesFilesResponse { readonly files: readonly { readonly file: string; readonly changes: number; readonly issues: number }[] }
export const ChangesFilesRequest = new RequestType<ChangesFilesParams, ChangesFilesResponse, void>('dynrule/changesFiles');

/** Commands the server's code lenses and code actions invoke (implemented by the client). */
export const Commands = {
  showPreview: 'dynrule.showPreview',
  explainForUser: 'dynrule.explainForUser',
  selectTenant: 'dynrule.selectTenant',
  runAllRuleTests: 'dynrule.runAllRuleTests',
  runRuleTestsForRule: 'dynrule.runRuleTestsForRule',
  restartServer: 'dynrule.restartServer',
  refreshLiveTenant: 'dynrule.refreshLiveTenant',
  signOut: 'dynrule.signOut',
  showOutput: 'dynrule.showOutput',
  copyForPortal: 'dynrule.copyForPortal',
  copyAsGraphRequest: 'dynrule.copyAsGraphRequest',
  copyAsPowerShell: 'dynrule.copyAsPowerShell',
  compareWithCurrentRule: 'dynrule.compareWithCurrentRule',
  pullRules: 'dynrule.pullRules',
  auditTenant: 'dynrule.auditTenant',
  openGroup: 'dynrule.openGroup',
  filterGroups: 'dynrule.filterGroups',
  refreshGroups: 'dynrule.refreshGroups',
  previewWorkspaceChanges: 'dynrule.previewWorkspaceChanges',
  whatIfPeopleChange: 'dynrule.whatIfPeopleChange',
} as const;

/**
 * Which end answers each message: the server registers a handler for every request of
 * {@link SERVER_REQUESTS} and no other; the client answers {@link CLIENT_REQUESTS} and listens to
 * {@link CLIENT_NOTIFICATIONS}. Every message declared above is in one of them (a test holds both).
 */
export const SERVER_REQUESTS = [
  SelectTenantRequest, TenantInfoRequest, SearchObjectsRequest, PreviewRequest, ExplainRequest, CurrentRuleRequest,
  RunRuleTestsRequest, ListRuleTestsRequest, RuleStatusRequest, HandOffRequest, AuditRequest, PullRequest, WhatIfRequest, ChangesFilesRequest,
] as const;
export const CLIENT_REQUESTS = [GetTokenRequest] as const;
export const CLIENT_NOTIFICATIONS = [TenantChangedNotification] as const;
