/** The public shapes of the live-tenant API: options, progress events, results, snapshot.json. */
import type { CollectionLimits, GetToken, Logger, RetryNotice } from './http';
import type { RetryPolicy } from './retry';

export const DEFAULT_ENDPOINT = 'https://graph.microsoft.com';

export interface SnapshotOptions {
  /** Graph's base URL; https://graph.microsoft.com by default (national clouds: see docs/live-tenant.md). */
  readonly endpoint?: string;
  readonly getToken: GetToken;
  /** Groups the rules are for (`# @group`) or test membership in (`memberOf`): object ids or display names. */
  readonly groups?: readonly string[];
  /** Directory extension properties the rules use: `extension_<appId without hyphens>_<name>`. */
  readonly extensionProperties?: readonly string[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: SnapshotProgress) => void;
  readonly log?: Logger;
  readonly retry?: Partial<RetryPolicy>;
  /** A request whose whole response has not arrived in this long is abandoned and retried (default 100 s). */
  readonly requestTimeoutMs?: number;
  /** Bounds on each collection's pages and objects (default DEFAULT_LIMITS: more than a tenant holds). */
  readonly limits?: Partial<CollectionLimits>;
  /** Users and devices as JSON Lines (default; streamed, for large tenants) or as Graph pages. */
  readonly format?: 'jsonl' | 'json';
  /**
   * Also every dynamic group and dynamic administrative unit of the tenant, with their members
   * (`dynrule snapshot --all`; graph/dynamic.ts). A snapshot taken so keeps it on refresh.
   */
  readonly allDynamicGroups?: boolean;
}

export interface FetchSnapshotOptions extends SnapshotOptions {
  /** The snapshot folder: absent, empty, or an earlier snapshot (replaced only on success). */
  readonly out: string;
}

export type SnapshotCollection = 'users' | 'devices' | 'groups' | 'members' | 'subscribedSkus' | 'administrativeUnits';

export type SnapshotPhase = 'organization' | 'deltaLinks' | 'fetching' | 'delta' | 'licenseStates' | 'writing' | 'done';

/** Progress, for a status line or VS Code's withProgress. */
export type SnapshotProgress =
  | { readonly kind: 'phase'; readonly phase: SnapshotPhase; readonly message: string }
  /** Objects read so far in one collection (for `members`: member ids over all groups). */
  | { readonly kind: 'count'; readonly collection: SnapshotCollection; readonly count: number; readonly pages: number; readonly done: boolean }
  /** About to wait and retry (throttled, unavailable, network, truncated page, new token). */
  | { readonly kind: 'retry'; readonly notice: RetryNotice }
  /** Something the user should know that does not stop the fetch (a group not found, …). */
  | { readonly kind: 'warning'; readonly message: string };

export interface ChangeCounts {
  readonly added: number;
  readonly updated: number;
  readonly removed: number;
}

export interface SnapshotCounts {
  readonly users: number;
  readonly devices: number;
  readonly groups: number;
  readonly subscribedSkus: number;
  /** Dynamic administrative units (snapshots with every dynamic group). */
  readonly administrativeUnits?: number;
}

/** snapshot.json of a live snapshot (the loader reads it as SnapshotMeta). */
export interface LiveSnapshotMeta {
  readonly tenantId: string;
  readonly tenantName?: string;
  /** The organization's country: Entra's default usage location for group licensing. */
  readonly countryLetterCode?: string;
  /** When the data was read (the last refresh). */
  readonly takenAt: string;
  readonly source: 'graph';
  readonly endpoint: string;
  /** Written last: a folder without it (or with false) is not a finished snapshot. */
  readonly complete: true;
  /** Opaque `@odata.deltaLink`s for the next refresh (groups: one per 50 groups). */
  readonly deltaLinks: {
    readonly users: string; readonly devices: string; readonly groups?: readonly string[];
    /** Every dynamic group's links (one per 50 groups), when `allDynamicGroups`. */
    readonly dynamicGroups?: readonly string[];
  };
  /** Holds every dynamic group and dynamic administrative unit (`snapshot --all`). */
  readonly allDynamicGroups?: boolean;
  /** When everything was last read in full (license states drift between full fetches). */
  readonly fullFetchAt: string;
  readonly refreshedAt?: string;
  readonly select: { readonly users: readonly string[]; readonly devices: readonly string[]; readonly groups: readonly string[]; readonly administrativeUnits?: readonly string[] };
  readonly extensionProperties: readonly string[];
  /** The groups asked for (ids or names), kept so that refreshes fetch them again. */
  readonly groupsRequested: readonly string[];
  /** Of those, the ones Graph did not find. */
  readonly missingGroups: readonly string[];
  /** Fields rules can use that this snapshot cannot have (v1.0 lacks them). */
  readonly unavailable: { readonly devices: readonly string[] };
  readonly counts: SnapshotCounts;
  readonly notes: readonly string[];
}

export interface SnapshotResult {
  readonly dir: string;
  /** `full`: everything was read; `delta`: only the changes since the last snapshot. */
  readonly mode: 'full' | 'delta';
  /** Why a refresh became a full fetch, if it did. */
  readonly fullReason?: string;
  readonly meta: LiveSnapshotMeta;
  readonly changes?: { readonly users: ChangeCounts; readonly devices: ChangeCounts; readonly groups: ChangeCounts };
  readonly warnings: readonly string[];
  readonly requests: number;
  readonly retries: number;
  readonly durationMs: number;
}
