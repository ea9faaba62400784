/**
 * Graph collections page by page: follow `@odata.nextLink` verbatim until there is none (docs/semantics.md, Microsoft Graph),
 * within the client's bounds on pages and objects, and only along links fit to follow or store.
 */
import { createHash } from 'node:crypto';
import { GraphError } from './errors';
import type { GetOptions, GraphClient, JsonObject } from './http';
import { carriesSecret } from './secrets';

export interface Page {
  readonly value: JsonObject[];
  /** Present on the last page of a delta round. */
  readonly deltaLink?: string;
}

/** Graph's links are a few KB at most (an opaque token on the request's own query). */
const MAX_LINK = 64 * 1024;

/**
 * A link from a page, checked before it is followed (`@odata.nextLink`) or stored in snapshot.json
 * (`@odata.deltaLink`): a URL on the endpoint's origin, without credentials and without the token.
 */
function checkedLink(client: GraphClient, kind: '@odata.nextLink' | '@odata.deltaLink', link: string): string {
  if (link.length > MAX_LINK) throw new GraphError('invalid-response', `Graph returned an ${kind} of ${link.length.toLocaleString('en-US')} characters; not following it`);
  let u: URL;
  try {
    u = new URL(link, client.endpoint);
  } catch {
    throw new GraphError('invalid-response', `Graph returned an ${kind} that is not a URL`);
  }
  if (u.origin !== new URL(client.endpoint).origin) throw new GraphError('invalid-response', `Graph returned an ${kind} to another host (${u.origin}); not following it with the token`);
  if (u.username || u.password) throw new GraphError('invalid-response', `Graph returned an ${kind} with credentials in it (user:password@); not following it`);
  if (carriesSecret(link) || carriesSecret(u.href)) throw new GraphError('invalid-response', `Graph returned an ${kind} that carries the access token; not following or storing it`);
  return link;
}

/** Yields each page of a collection; a page may be empty. */
export async function* pages(client: GraphClient, first: string, options: GetOptions = {}): AsyncGenerator<Page> {
  const { maxPages, maxObjects } = client.limits;
  const name = `GET ${new URL(first, client.endpoint).pathname}`;
  let url: string | undefined = first;
  // Digests, not the links: a hostile server's links can be long, and there can be many.
  const seen = new Set<string>();
  let objects = 0;
  while (url !== undefined) {
    const digest = createHash('sha256').update(new URL(url, client.endpoint).href).digest('base64');
    if (seen.has(digest)) throw new GraphError('invalid-response', `Graph sent the same @odata.nextLink twice (${new URL(url, client.endpoint).pathname}); stopping instead of looping`);
    if (seen.size >= maxPages) throw new GraphError('invalid-response', `${name}: Graph sent more than ${maxPages.toLocaleString('en-US')} pages for one collection, more than a tenant holds; stopping`);
    seen.add(digest);
    const body = await client.get(url, options);
    const value = body['value'];
    if (!Array.isArray(value)) throw new GraphError('invalid-response', `expected a Graph collection ({"value": [...]}) from ${new URL(url, client.endpoint).pathname}`);
    objects += value.length;
    if (objects > maxObjects) throw new GraphError('invalid-response', `${name}: Graph sent more than ${maxObjects.toLocaleString('en-US')} objects for one collection, more than a tenant holds; stopping`);
    const next = body['@odata.nextLink'];
    const delta = body['@odata.deltaLink'];
    const nextLink = typeof next === 'string' && next !== '' ? checkedLink(client, '@odata.nextLink', next) : undefined;
    const deltaLink = typeof delta === 'string' ? checkedLink(client, '@odata.deltaLink', delta) : undefined;
    yield { value: value.filter((o): o is JsonObject => o !== null && typeof o === 'object' && !Array.isArray(o)), ...(deltaLink !== undefined ? { deltaLink } : {}) };
    url = nextLink;
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
