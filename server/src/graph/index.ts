/**
 * The live tenant, read-only: Microsoft Graph v1.0 → snapshot folder. Used by the CLI
 * (`dynrule snapshot`, `--tenant live`) and by the VS Code client (with a token from VS Code's
 * Microsoft authentication provider). No `vscode` imports here.
 */
export { fetchSnapshot } from './fetch';
export { refreshSnapshot } from './delta';
export { syncSnapshot, tenantIdFor, type SyncOptions } from './sync';
export { tryReadLiveMeta } from './meta';
export { GraphError, isCancelled, type GraphErrorKind } from './errors';
export { redact } from './secrets';
export { createGraphClient, DEFAULT_LIMITS, normalizeEndpoint, type CollectionLimits, type GetToken, type TokenRequest, type Logger, type LogLevel, type RetryNotice, type GraphClient } from './http';
export { DEFAULT_RETRY, type RetryPolicy } from './retry';
export { tenantFolder, tenantIdFromToken } from './organization';
export { USER_FIELDS, DEVICE_FIELDS, BETA_ONLY_DEVICE_FIELDS, GROUP_FIELDS } from './select';
export {
  DEFAULT_ENDPOINT,
  type SnapshotOptions, type FetchSnapshotOptions, type SnapshotProgress, type SnapshotPhase, type SnapshotCollection,
  type SnapshotResult, type LiveSnapshotMeta, type ChangeCounts, type SnapshotCounts,
} from './types';
