/**
 * The custom requests and notifications between the VS Code client and the language server.
 * Plain types and method names only: the client imports this file, so it must not import the
 * core, Node or vscode.
 */

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

/** Server → client: an access token for Graph (never stored or logged by either side). */
export const GetTokenRequest = 'dynrule/getToken';
export interface GetTokenParams { readonly endpoint: string; readonly tenant?: string; readonly forceRefresh: boolean }
export interface GetTokenResult { readonly token: string }

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
  /** What the snapshot lacks (no devices.json...). */
  readonly notes?: readonly string[];
  /** For a live tenant: the tenant id and how the last fetch went. */
  readonly live?: { readonly tenantId?: string; readonly endpoint: string; readonly mode?: 'full' | 'delta'; readonly dir?: string };
}

/** Client → server: use this tenant. Answers when loading finished (or failed). */
export const SelectTenantRequest = 'dynrule/selectTenant';
export interface SelectTenantParams { readonly selection: TenantSelection }

/** Client → server: the tenant in use. */
export const TenantInfoRequest = 'dynrule/tenantInfo';

/** Server → client: the tenant changed or its loading progressed. */
export const TenantChangedNotification = 'dynrule/tenantChanged';

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
export const SearchObjectsRequest = 'dynrule/searchObjects';
export interface SearchObjectsParams { readonly uri: string; readonly query: string; readonly limit?: number }

/** Client → server: the preview of the rule in a document. */
export const PreviewRequest = 'dynrule/preview';
export interface PreviewParams { readonly uri: string }

export interface PreviewLicense {
  readonly skuId: string;
  readonly skuPartNumber: string | null;
  readonly displayName: string | null;
  readonly disabledPlans: readonly { readonly id: string; readonly name: string | null }[];
  readonly gained: readonly string[];
  readonly lost: readonly string[];
  readonly available: number | null;
  readonly needed: number;
  readonly shortfall: number | null;
}

export interface PreviewExplanation {
  /** The sub-expression that decided the result, with the value seen. */
  readonly decidedBy: string;
  readonly property?: string;
  readonly value?: string;
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
  readonly errors?: readonly { readonly user: string; readonly skuId: string; readonly reason: string }[];
  readonly warnings?: readonly { readonly code: string; readonly message: string; readonly objects?: readonly string[] }[];
  readonly notes?: readonly string[];
  /** Every object the lists mention. */
  readonly objects?: Readonly<Record<string, ObjectSummary>>;
  /** Why each added, removed or unknown object is so. */
  readonly explanations?: Readonly<Record<string, PreviewExplanation>>;
  /** The document version the preview is for. */
  readonly version?: number;
}

/** Client → server: explain the rule for one user or device. */
export const ExplainRequest = 'dynrule/explain';
export interface ExplainParams { readonly uri: string; readonly objectId: string }
export interface TraceNodeDto {
  readonly expression: string;
  readonly result: boolean | 'unknown';
  readonly property?: string;
  readonly value?: string;
  readonly children: readonly TraceNodeDto[];
}
export interface ExplainResponse {
  readonly ok: boolean;
  readonly reason?: string;
  readonly object?: ObjectSummary;
  readonly result?: boolean | 'unknown';
  readonly trace?: TraceNodeDto;
}

/** Client → server: run rule test files (all cases, or the named ones). */
export const RunRuleTestsRequest = 'dynrule/runRuleTests';
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

/** Client → server: list the cases of a rule test file (for the Test Explorer). */
export const ListRuleTestsRequest = 'dynrule/listRuleTests';
export interface ListRuleTestsParams { readonly file: string; readonly text?: string }
export interface ListRuleTestsResponse {
  readonly file: string;
  readonly rule?: string;
  readonly error?: { readonly message: string; readonly line: number; readonly column: number };
  readonly cases: readonly { readonly name: string; readonly start: number; readonly end: number }[];
}

/** Client → server: the rule's status (length against the limit, user or device rule). */
export const RuleStatusRequest = 'dynrule/ruleStatus';
export interface RuleStatusParams { readonly uri: string }
export interface RuleStatusResponse {
  readonly length: number;
  readonly limit: number;
  readonly object: 'user' | 'device' | undefined;
}

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
} as const;

/** Settings the server reads (section `dynrule`). */
export interface ServerSettings {
  /** Delay between the last keystroke and diagnostics, in ms. */
  readonly diagnosticsDelay: number;
  /** Show efficiency and style advice (info severity). */
  readonly adviceEnabled: boolean;
  /** Show inlay hints with the names behind GUIDs. */
  readonly inlayHints: boolean;
  /** Show the preview code lens over rules. */
  readonly codeLens: boolean;
  /** Warn when a change removes more than this share of current members. */
  readonly removalWarningPercent: number;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  diagnosticsDelay: 200,
  adviceEnabled: true,
  inlayHints: true,
  codeLens: true,
  removalWarningPercent: 10,
};
