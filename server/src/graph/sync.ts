/** `syncSnapshot`: refresh a live snapshot by delta when it has change tracking, else read it in full. */
import { refreshSnapshot } from './delta';
import { dedupe, fetchSnapshot } from './fetch';
import { askToken, createGraphClient, normalizeEndpoint, type GetToken, type Logger } from './http';
import { carriedGroups, tryReadLiveMeta } from './meta';
import { readOrganization, tenantIdFromToken } from './organization';
import { DEFAULT_ENDPOINT, type FetchSnapshotOptions, type SnapshotResult } from './types';

export interface SyncOptions extends FetchSnapshotOptions {
  /** Read everything even when a delta refresh is possible. */
  readonly full?: boolean;
  /**
   * A refresh older than this since the last full read becomes a full read, because Graph does
   * not track changes to licenseAssignmentStates (a license error that clears shows only then).
   * Default 7 days.
   */
  readonly maxFullAgeMs?: number;
}

export async function syncSnapshot(options: SyncOptions): Promise<SnapshotResult> {
  const meta = await tryReadLiveMeta(options.out);
  const endpoint = normalizeEndpoint(options.endpoint ?? meta?.endpoint ?? DEFAULT_ENDPOINT);
  const sameSource = meta !== undefined && meta.endpoint === endpoint;
  const fullAge = meta ? Date.now() - Date.parse(meta.fullFetchAt) : Infinity;
  if (sameSource && !options.full && fullAge < (options.maxFullAgeMs ?? 7 * 86_400_000)) {
    return refreshSnapshot(options.out, { ...options, endpoint });
  }
  // A full read keeps what the earlier snapshot was asked for (but did find), so a cache grows.
  return fetchSnapshot({
    ...options,
    endpoint,
    groups: dedupe([...(sameSource ? carriedGroups(meta) : []), ...(options.groups ?? [])]),
    extensionProperties: [...new Set([...(sameSource ? meta.extensionProperties : []), ...(options.extensionProperties ?? [])])],
    allDynamicGroups: options.allDynamicGroups === true || (sameSource && meta.allDynamicGroups === true),
  });
}

/**
 * The tenant a token is for: its `tid` claim when it is a JWT, else `/v1.0/organization` (one
 * request). Used to name the cache folder before anything is fetched.
 */
export async function tenantIdFor(options: { endpoint?: string; getToken: GetToken; signal?: AbortSignal; log?: Logger }): Promise<string> {
  const token = await askToken(options.getToken, { forceRefresh: false, ...(options.signal ? { signal: options.signal } : {}) });
  const tid = tenantIdFromToken(token);
  if (tid) return tid;
  const client = createGraphClient({ endpoint: options.endpoint ?? DEFAULT_ENDPOINT, getToken: options.getToken, ...(options.signal ? { signal: options.signal } : {}), ...(options.log ? { log: options.log } : {}) });
  return (await readOrganization(client, () => undefined, () => undefined)).tenantId;
}

