/** Graph collections page by page: follow `@odata.nextLink` verbatim until there is none (spec §7.3). */
import { GraphError } from './errors';
import type { GraphClient, JsonObject } from './http';

export interface Page {
  readonly value: JsonObject[];
  /** Present on the last page of a delta round. */
  readonly deltaLink?: string;
}

/** Yields each page of a collection; a page may be empty. */
export async function* pages(client: GraphClient, first: string): AsyncGenerator<Page> {
  let url: string | undefined = first;
  const seen = new Set<string>();
  while (url !== undefined) {
    if (seen.has(url)) throw new GraphError('invalid-response', `Graph sent the same @odata.nextLink twice (${new URL(url, client.endpoint).pathname}); stopping instead of looping`);
    seen.add(url);
    const body = await client.get(url);
    const value = body['value'];
    if (!Array.isArray(value)) throw new GraphError('invalid-response', `expected a Graph collection ({"value": [...]}) from ${new URL(url, client.endpoint).pathname}`);
    const next = body['@odata.nextLink'];
    const delta = body['@odata.deltaLink'];
    yield { value: value.filter((o): o is JsonObject => o !== null && typeof o === 'object' && !Array.isArray(o)), ...(typeof delta === 'string' ? { deltaLink: delta } : {}) };
    url = typeof next === 'string' && next !== '' ? next : undefined;
  }
}

/** Drops OData annotations (`@odata.type`, `@odata.id`, …) that are not data. */
export function stripAnnotations(o: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(o)) if (!k.startsWith('@odata.')) out[k] = v;
  return out;
}

/**
 * A user as the snapshot stores it: annotations dropped, `manager` as `{"id": …}` or null (Graph
 * omits an expanded manager that is not set), fields in the order asked for.
 */
export function snapshotUser(u: JsonObject, fields: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const f of fields) if (f in u) out[f] = u[f];
  for (const [k, v] of Object.entries(u)) if (!(k in out) && !k.startsWith('@') && k !== 'manager') out[k] = v;
  out['manager'] = managerRef(u['manager']);
  return out;
}

export function managerRef(m: unknown): { id: string } | null {
  if (m && typeof m === 'object' && typeof (m as JsonObject)['id'] === 'string') return { id: (m as { id: string }).id };
  return null;
}

/** A device or group in the field order asked for, annotations dropped. */
export function snapshotObject(o: JsonObject, fields: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const f of fields) if (f in o) out[f] = o[f];
  for (const [k, v] of Object.entries(o)) if (!(k in out) && !k.startsWith('@')) out[k] = v;
  return out;
}
