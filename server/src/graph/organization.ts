/** Which tenant a token is for: the token's `tid` claim, and `/organization` for the details. */
import * as path from 'node:path';
import { GraphError } from './errors';
import type { GraphClient } from './http';
import { GUID } from './select';

/**
 * The folder of a tenant's snapshot under `root`. The tenant id comes from a token or from Graph,
 * so it is checked to be a GUID here, where it becomes a path: nothing else can name a folder.
 */
export function tenantFolder(root: string, tenantId: string): string {
  if (!GUID.test(tenantId)) throw new GraphError('invalid-response', `the tenant id ${JSON.stringify(tenantId.slice(0, 80))} is not a GUID; not using it as a folder name`);
  return path.join(root, tenantId.toLowerCase());
}

/**
 * The `tid` claim of a JWT access token, read without verifying it (we only name a cache folder
 * with it; Graph verifies the token). Undefined for opaque tokens.
 */
export function tenantIdFromToken(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { tid?: unknown };
    return typeof claims.tid === 'string' && GUID.test(claims.tid) ? claims.tid.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

export interface Organization {
  readonly tenantId: string;
  readonly displayName?: string;
  /** The tenant's country: Entra's default usageLocation for group-licensed users without one. */
  readonly countryLetterCode?: string;
}

/**
 * Reads `/v1.0/organization`. When the token may not read it (403), falls back to the token's
 * `tid` and says so; the country is then unknown.
 */
export async function readOrganization(client: GraphClient, token: () => string | undefined, note: (s: string) => void): Promise<Organization> {
  try {
    const body = await client.get('/v1.0/organization?$select=id,displayName,countryLetterCode');
    const org = Array.isArray(body['value']) ? (body['value'][0] as Record<string, unknown> | undefined) : undefined;
    if (!org || typeof org['id'] !== 'string') throw new GraphError('invalid-response', 'GET /v1.0/organization returned no organization');
    // The tenant id names the snapshot's cache folder: only a GUID may.
    if (!GUID.test(org['id'])) throw new GraphError('invalid-response', `GET /v1.0/organization returned an id that is not a tenant id (a GUID): ${JSON.stringify(org['id'].slice(0, 80))}`);
    return {
      tenantId: org['id'].toLowerCase(),
      ...(typeof org['displayName'] === 'string' ? { displayName: org['displayName'] } : {}),
      ...(typeof org['countryLetterCode'] === 'string' && org['countryLetterCode'] ? { countryLetterCode: org['countryLetterCode'] } : {}),
    };
  } catch (e) {
    const t = token();
    const tid = t ? tenantIdFromToken(t) : undefined;
    if (e instanceof GraphError && e.kind === 'forbidden' && tid) {
      note('the token may not read /organization (Organization.Read.All): the tenant id comes from the token and the default usage location (countryLetterCode) is unknown');
      return { tenantId: tid };
    }
    throw e;
  }
}
