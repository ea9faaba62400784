/**
 * A Microsoft Graph–compatible HTTP server on 127.0.0.1 for tests and demos: the v1.0 endpoints
 * the live-tenant client reads, Graph's paging (opaque `$skiptoken` nextLinks, `$top` 1–999,
 * 100 a page with `$expand`), delta rounds (`$deltatoken=latest`, changes, `@removed`), bearer
 * tokens (401 with Graph's error JSON), 405 for any method but GET, and injected faults.
 *
 *     const server = await startGraphServer({ tenantDir: 'samples/tenant/contoso', faults: [{ kind: 'throttle', match: '/v1.0/users', retryAfter: '0.2' }] });
 *     … fetchSnapshot({ endpoint: server.url, getToken: async () => server.token, … })
 *     server.requests  // every request: method, url, headers (the Authorization value removed)
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EXTENSION, GraphStore, readTenantDir, V1_DEVICE_PROPERTIES, V1_GROUP_PROPERTIES, V1_UNIT_PROPERTIES, V1_USER_PROPERTIES, type GraphServerData, type Json, type Mutation, type MutationResult } from './graphStore';

export type { GraphServerData, Mutation, MutationResult } from './graphStore';

export type FaultKind =
  | 'throttle' // 429 TooManyRequests, with `retryAfter` when given
  | 'unavailable' // 503
  | 'gateway-timeout' // 504
  | 'drop' // headers and half the body, then the connection is destroyed
  | 'truncate' // a 200 whose body ends halfway through the JSON (the response itself ends cleanly)
  | 'reset' // the connection is closed before any response
  | 'expire-token' // the current token stops working (401); a new one is issued
  | 'slow' // answer after `delayMs`
  | 'delta-expired' // 410: Graph no longer knows the delta token
  | 'forbidden' // 403 Authorization_RequestDenied
  // Hostile servers: what a compromised proxy or a look-alike endpoint could answer.
  | 'echo-token' // a Graph error (`status`, default 400) whose message quotes the Authorization header and the token
  | 'token-in-link' // the real page, with the token appended to its @odata.nextLink / @odata.deltaLink
  | 'userinfo-link' // the real page, with `user:password@` in its @odata.nextLink
  | 'foreign-link' // the real page, with its @odata.nextLink on another host (localhost instead of 127.0.0.1)
  | 'trickle' // the real page's headers, then its body one byte every `delayMs` (default 1000)
  | 'endless' // a page of `objects` (default 0) new objects and a new, distinct @odata.nextLink, every time
  | 'loop' // an empty page whose @odata.nextLink is the request's own URL
  | 'redirect' // 302 to `location` (default another port on 127.0.0.1)
  | 'html' // a 200 text/html sign-in page
  | 'oversize'; // a 200 that announces a 200 MB body, then sends it slowly

export interface Fault {
  readonly kind: FaultKind;
  /** Requests it applies to: a substring of, or a pattern for, the path and query. All when absent. */
  readonly match?: string | RegExp;
  /** The first matching request it hits, from 1 (default 1). */
  readonly nth?: number;
  /** How many matching requests in a row it hits (default 1; Infinity for all). */
  readonly times?: number;
  /** Retry-After for throttle / unavailable / gateway-timeout ('2.128', '1', an HTTP date). */
  readonly retryAfter?: string;
  readonly delayMs?: number;
  /** echo-token: the status to answer with. */
  readonly status?: number;
  /** endless: objects on each page. */
  readonly objects?: number;
  /** redirect: the Location header. */
  readonly location?: string;
}

export interface GraphServerOptions {
  readonly tenantDir?: string;
  readonly data?: GraphServerData;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** The bearer token to accept; by default a fake JWT whose `tid` is the tenant's id. */
  readonly token?: string;
  readonly faults?: readonly Fault[];
  /** Throttle this fraction of list-page requests (users, devices, members), deterministically. */
  readonly throttle?: { readonly fraction: number; readonly retryAfter?: string; readonly seed?: number };
  /** Objects per delta page (Graph decides; no $top on delta). Default 200. */
  readonly deltaPageSize?: number;
  /**
   * Initial `/groups/delta` rounds: member references one group entry carries (Graph decides);
   * a group with more appears again, with the next ones. Default 100.
   */
  readonly deltaMembersPerEntry?: number;
}

export interface LoggedRequest {
  readonly method: string;
  /** Path and query as sent. */
  readonly url: string;
  /** Request headers; `authorization` reduced to its scheme. */
  readonly headers: Record<string, string>;
  /** When it arrived (ms since the epoch). */
  readonly at: number;
  status: number;
  fault?: FaultKind;
}

export interface GraphServer {
  readonly url: string;
  /** The token currently accepted (changes after an `expire-token` fault). */
  readonly token: string;
  readonly requests: LoggedRequest[];
  readonly store: GraphStore;
  /** Changes users/devices so the delta endpoints report them. */
  mutate(m: Mutation): MutationResult;
  addFault(f: Fault): void;
  /** Issues a new token and stops accepting the old one. */
  rotateToken(): string;
  close(): Promise<void>;
}

/** A token shaped like Entra's: an unsigned JWT with `tid`, `aud`, `exp`. Good only for this server. */
export function fakeJwt(tenantId: string): string {
  const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ typ: 'JWT', alg: 'none' })}.${b64({ aud: 'https://graph.microsoft.com', tid: tenantId, exp: Math.floor(Date.now() / 1000) + 3600, jti: randomBytes(8).toString('hex') })}.${randomBytes(16).toString('base64url')}`;
}

interface Cursor {
  readonly kind: 'list' | 'delta';
  /** The query of the first request: Graph's skiptoken carries it, so later pages keep the same shape. */
  readonly shape?: (o: Json) => Json;
  readonly query?: string;
  readonly items: () => Json[];
  offset: number;
  readonly pageSize: number;
  /** For delta rounds: the version the round's deltaLink will carry. */
  readonly version?: number;
  readonly collection?: 'users' | 'devices' | 'groups';
  readonly select?: readonly string[];
  /** Groups delta: the group ids the round tracks ($filter=id eq …). */
  readonly ids?: ReadonlySet<string>;
}

class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

const bad = (message: string): HttpError => new HttpError(400, 'Request_BadRequest', message);

export async function startGraphServer(options: GraphServerOptions): Promise<GraphServer> {
  const data = options.data ?? (options.tenantDir ? await readTenantDir(options.tenantDir) : undefined);
  if (!data) throw new Error('startGraphServer needs tenantDir or data');
  const store = new GraphStore(data, options.data === undefined);
  let token = options.token ?? fakeJwt(store.organization.id);
  const requests: LoggedRequest[] = [];
  const faults: { fault: Fault; seen: number }[] = (options.faults ?? []).map((fault) => ({ fault, seen: 0 }));
  const cursors = new Map<string, Cursor>();
  const deltaTokens = new Map<string, { collection: 'users' | 'devices' | 'groups'; select: readonly string[]; version: number; ids?: ReadonlySet<string> }>();
  const deltaPageSize = options.deltaPageSize ?? 200;
  const deltaMembersPerEntry = options.deltaMembersPerEntry ?? 100;
  let throttleState = (options.throttle?.seed ?? 1) >>> 0 || 1;
  let base = '';

  const opaque = (): string => randomBytes(12).toString('base64url');

  /** xorshift32: the same pages are throttled on every run. */
  const nextRandom = (): number => {
    throttleState ^= throttleState << 13;
    throttleState ^= throttleState >>> 17;
    throttleState ^= throttleState << 5;
    return (throttleState >>> 0) / 0x100000000;
  };

  function matches(f: Fault, url: string): boolean {
    if (f.match === undefined) return true;
    return typeof f.match === 'string' ? url.includes(f.match) : f.match.test(url);
  }

  function pickFault(url: string): Fault | undefined {
    for (const entry of faults) {
      if (!matches(entry.fault, url)) continue;
      entry.seen++;
      const nth = entry.fault.nth ?? 1;
      const times = entry.fault.times ?? 1;
      if (entry.seen >= nth && entry.seen < nth + times) return entry.fault;
    }
    return undefined;
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8', 'request-id': randomBytes(8).toString('hex'), 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  function graphError(res: ServerResponse, e: HttpError): void {
    send(res, e.status, { error: { code: e.code, message: e.message, innerError: { date: new Date().toISOString(), 'request-id': randomBytes(8).toString('hex'), 'client-request-id': randomBytes(8).toString('hex') } } }, e.headers);
  }

  function parseSelect(q: URLSearchParams, known: Set<string>, type: string, allowExtensions: boolean): string[] | undefined {
    const raw = q.get('$select');
    if (raw === null) return undefined;
    const fields = raw.split(',').map((s) => s.trim()).filter(Boolean);
    for (const f of fields) {
      if (known.has(f) || (allowExtensions && EXTENSION.test(f))) continue;
      throw bad(`Could not find a property named '${f}' on type 'microsoft.graph.${type}'.`);
    }
    return fields;
  }

  function parseTop(q: URLSearchParams): number {
    const raw = q.get('$top');
    if (raw === null) return 100;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < 1 || n > 999) throw bad(`Invalid page size specified: '${raw}'. Must be between 1 and 999 inclusive.`);
    return n;
  }

  /** One page of a cursor; a nextLink (opaque skiptoken on the same path) while more remain. */
  function page(pathname: string, cursor: Cursor, firstShape: (o: Json) => Json, context: string, firstQuery?: URLSearchParams): Json {
    const shape = cursor.shape ?? firstShape;
    const all = cursor.items();
    const slice = all.slice(cursor.offset, cursor.offset + cursor.pageSize).map(shape);
    const body: Json = { '@odata.context': `${base}/v1.0/$metadata#${context}` };
    const nextOffset = cursor.offset + cursor.pageSize;
    if (nextOffset < all.length) {
      const t = opaque();
      let q = cursor.query;
      if (q === undefined && firstQuery && cursor.kind === 'list') {
        const kept = [...firstQuery].filter(([k]) => k !== '$skiptoken').map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%2C/g, ',').replace(/%24/g, '$')}`);
        q = kept.length ? `${kept.join('&')}&` : '';
      }
      cursors.set(t, { ...cursor, offset: nextOffset, shape, query: q ?? '' });
      // Like Graph's: the original query options, then an opaque $skiptoken.
      body['@odata.nextLink'] = `${base}${pathname}?${q ?? ''}$skiptoken=${t}`;
    } else if (cursor.kind === 'delta') {
      const t = opaque();
      deltaTokens.set(t, { collection: cursor.collection!, select: cursor.select!, version: cursor.version!, ...(cursor.ids ? { ids: cursor.ids } : {}) });
      body['@odata.deltaLink'] = `${base}${pathname}?$deltatoken=${t}`;
    }
    body['value'] = slice;
    return body;
  }

  function cursorFrom(q: URLSearchParams): Cursor | undefined {
    const t = q.get('$skiptoken');
    if (t === null) return undefined;
    const c = cursors.get(t);
    if (!c) throw bad('The specified page token value has expired and can no longer be included in your request.');
    return c;
  }

  function userShape(select: string[] | undefined, expandManager: boolean): (u: Json) => Json {
    const fields = select ?? ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'];
    return (u) => {
      const out = GraphStore.project(u, fields);
      const m = u['manager'] as Json | null | undefined;
      if (expandManager && m && typeof m['id'] === 'string' && store.users.has(m['id'].toLowerCase())) {
        out['manager'] = { '@odata.type': '#microsoft.graph.user', id: m['id'] };
      }
      return out;
    };
  }

  function listUsers(pathname: string, q: URLSearchParams): Json {
    const cursor = cursorFrom(q);
    const expand = q.get('$expand');
    if (expand !== null && !/^manager(\(\$select=id\))?$/.test(expand)) throw bad(`Expanding '${expand}' is not supported in this server.`);
    const select = parseSelect(q, V1_USER_PROPERTIES, 'user', true);
    const filter = q.get('$filter');
    let items = (): Json[] => [...store.users.values()];
    if (filter !== null) {
      const m = /^id in \((.*)\)$/.exec(filter);
      if (!m) throw bad(`Unsupported or invalid query filter clause specified for property '${filter.split(' ')[0]}' of resource 'User'.`);
      const ids = m[1]!.split(',').map((s) => s.trim().replace(/^'|'$/g, '').toLowerCase());
      if (ids.length > 15) throw bad('Too many child clauses specified in search filter expression containing \'OR\' operators: 16. Max allowed: 15.');
      items = () => ids.map((id) => store.users.get(id)).filter((u): u is Json => u !== undefined);
    }
    const shape = userShape(select, expand !== null);
    if (cursor) return page(pathname, cursor, shape, 'users');
    // Graph's known issue: with $expand on directory objects a page holds at most 100 objects.
    const top = Math.min(parseTop(q), expand !== null ? 100 : 999);
    return page(pathname, { kind: 'list', items, offset: 0, pageSize: top }, shape, 'users', q);
  }

  function listDevices(pathname: string, q: URLSearchParams): Json {
    const cursor = cursorFrom(q);
    const select = parseSelect(q, V1_DEVICE_PROPERTIES, 'device', true) ?? [...V1_DEVICE_PROPERTIES];
    const shape = (d: Json): Json => GraphStore.project(d, select);
    if (cursor) return page(pathname, cursor, shape, 'devices');
    return page(pathname, { kind: 'list', items: () => [...store.devices.values()], offset: 0, pageSize: parseTop(q) }, shape, 'devices', q);
  }

  function groupShape(q: URLSearchParams): (g: Json) => Json {
    const select = parseSelect(q, V1_GROUP_PROPERTIES, 'group', false) ?? [...V1_GROUP_PROPERTIES];
    return (g) => GraphStore.project(g, select);
  }

  /**
   * Graph's advanced queries on directory objects: without `ConsistencyLevel: eventual` and
   * `$count=true` the request fails as Graph's does.
   */
  function advancedOnly(q: URLSearchParams, headers: IncomingHttpHeaders): void {
    const level = headers['consistencylevel'];
    if (String(level ?? '').toLowerCase() !== 'eventual' || q.get('$count') !== 'true') {
      throw new HttpError(400, 'Request_UnsupportedQuery', 'Unsupported Query.');
    }
  }

  function listGroups(pathname: string, q: URLSearchParams, headers: IncomingHttpHeaders): Json {
    const cursor = cursorFrom(q);
    const shape = groupShape(q);
    if (cursor) return page(pathname, cursor, shape, 'groups');
    const filter = q.get('$filter');
    let items = (): Json[] => [...store.groups.values()];
    if (filter !== null) {
      const m = /^displayName eq '((?:[^']|'')*)'$/.exec(filter);
      // groupTypes/any(c:c eq '…') is a standard filter; its negation is an advanced query.
      const any = /^(not\s*\(?\s*)?groupTypes\/any\((\w+):\2 eq '([^']*)'\)\)?$/i.exec(filter);
      if (m) {
        const name = m[1]!.replace(/''/g, "'");
        items = () => [...store.groups.values()].filter((g) => String(g['displayName']).toLowerCase() === name.toLowerCase());
      } else if (any) {
        if (any[1]) advancedOnly(q, headers);
        const type = any[3]!.toLowerCase();
        const has = (g: Json): boolean => Array.isArray(g['groupTypes']) && (g['groupTypes'] as string[]).some((t) => t.toLowerCase() === type);
        items = () => [...store.groups.values()].filter((g) => has(g) !== Boolean(any[1]));
      } else throw bad(`Unsupported query filter: ${filter}`);
    }
    return page(pathname, { kind: 'list', items, offset: 0, pageSize: parseTop(q) }, shape, 'groups', q);
  }

  function groupMembers(pathname: string, id: string, q: URLSearchParams): Json {
    const g = store.groups.get(id.toLowerCase());
    if (!g) throw notFound(id);
    const cursor = cursorFrom(q);
    const select = q.get('$select');
    const shape = (o: Json): Json => {
      const mid = String(o['id']);
      const full = store.users.get(mid.toLowerCase()) ?? store.devices.get(mid.toLowerCase()) ?? store.groups.get(mid.toLowerCase()) ?? { id: mid };
      const fields = select ? select.split(',') : ['id', 'displayName'];
      return { '@odata.type': store.typeOf(mid), ...GraphStore.project(full, fields) };
    };
    if (cursor) return page(pathname, cursor, shape, 'directoryObjects');
    const items = (): Json[] => ((g['members'] as string[] | undefined) ?? []).map((m) => ({ id: m }));
    return page(pathname, { kind: 'list', items, offset: 0, pageSize: parseTop(q) }, shape, 'directoryObjects', q);
  }

  /**
   * `/directory/administrativeUnits`: `$filter=membershipType eq '…'` is an advanced query
   * (ConsistencyLevel: eventual and $count=true), as on Graph; `@odata.count` with `$count`.
   */
  function listUnits(pathname: string, q: URLSearchParams, headers: IncomingHttpHeaders): Json {
    const cursor = cursorFrom(q);
    const select = parseSelect(q, V1_UNIT_PROPERTIES, 'administrativeUnit', false) ?? ['id', 'displayName', 'description', 'visibility'];
    const shape = (u: Json): Json => GraphStore.project(u, select);
    if (cursor) return page(pathname, cursor, shape, 'directory/administrativeUnits');
    const filter = q.get('$filter');
    let items = (): Json[] => [...store.units.values()];
    if (filter !== null) {
      const m = /^membershipType eq '([^']*)'$/i.exec(filter);
      if (!m) throw bad(`Unsupported query filter: ${filter}`);
      advancedOnly(q, headers);
      items = () => [...store.units.values()].filter((u) => String(u['membershipType'] ?? '').toLowerCase() === m[1]!.toLowerCase());
    }
    const body = page(pathname, { kind: 'list', items, offset: 0, pageSize: parseTop(q) }, shape, 'directory/administrativeUnits', q);
    return q.get('$count') === 'true' ? { '@odata.count': items().length, ...body } : body;
  }

  function unitMemberList(pathname: string, id: string, q: URLSearchParams): Json {
    const u = store.units.get(id.toLowerCase());
    if (!u) throw notFound(id);
    const cursor = cursorFrom(q);
    const select = q.get('$select');
    const shape = (o: Json): Json => {
      const mid = String(o['id']);
      const full = store.users.get(mid.toLowerCase()) ?? store.devices.get(mid.toLowerCase()) ?? store.groups.get(mid.toLowerCase()) ?? { id: mid };
      return { '@odata.type': store.typeOf(mid), ...GraphStore.project(full, select ? select.split(',') : ['id', 'displayName']) };
    };
    if (cursor) return page(pathname, cursor, shape, 'directoryObjects');
    return page(pathname, { kind: 'list', items: () => (u['members'] as string[]).map((m) => ({ id: m })), offset: 0, pageSize: parseTop(q) }, shape, 'directoryObjects', q);
  }

  const notFound = (id: string): HttpError => new HttpError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);

  /** `/users/delta`, `/devices/delta`: `$deltatoken=latest`, initial rounds, and change rounds. */
  function delta(pathname: string, collection: 'users' | 'devices', q: URLSearchParams): Json {
    for (const o of ['$top', '$expand', '$orderby']) if (q.has(o)) throw bad(`The query parameter '${o}' is not supported with change tracking over the '${collection === 'users' ? 'Users' : 'Devices'}' resource.`);
    const cursor = cursorFrom(q);
    const map = collection === 'users' ? store.users : store.devices;
    const deltaShape = (select: readonly string[]) => (entry: Json): Json => {
      if (entry['@removed']) return { id: entry['id'], '@removed': { reason: 'changed' } };
      const o = map.get(String(entry['id']).toLowerCase());
      if (!o) return { id: entry['id'], '@removed': { reason: 'deleted' } };
      // Graph does not track licenseAssignmentStates in delta: it is never in a delta response.
      const fields = select.filter((f) => f !== 'manager' && f !== 'licenseAssignmentStates');
      const out = GraphStore.project(o, fields);
      if (select.includes('manager')) {
        const m = o['manager'] as Json | null | undefined;
        out['manager@delta'] = m && typeof m['id'] === 'string' ? [{ '@odata.type': '#microsoft.graph.user', id: m['id'] }] : [];
      }
      return out;
    };
    if (cursor) return page(pathname, cursor, deltaShape(cursor.select!), collection);
    const tokenValue = q.get('$deltatoken');
    if (tokenValue === 'latest' || tokenValue === null) {
      const known = collection === 'users' ? new Set([...V1_USER_PROPERTIES, 'manager']) : V1_DEVICE_PROPERTIES;
      const select = parseSelect(q, known, collection === 'users' ? 'user' : 'device', true) ?? [...known];
      if (tokenValue === 'latest') {
        const t = opaque();
        deltaTokens.set(t, { collection, select, version: store.version });
        return { '@odata.context': `${base}/v1.0/$metadata#${collection}`, '@odata.deltaLink': `${base}${pathname}?$deltatoken=${t}`, value: [] };
      }
      const version = store.version;
      return page(pathname, { kind: 'delta', items: () => [...map.values()].map((o) => ({ id: o['id'] })), offset: 0, pageSize: deltaPageSize, version, collection, select }, deltaShape(select), collection);
    }
    const state = deltaTokens.get(tokenValue);
    if (!state || state.collection !== collection) throw bad('Invalid delta token.');
    const version = store.version;
    const changes = store.changesSince(collection, state.version).map((c) => (c.removed ? { id: c.id, '@removed': true } : { id: c.id }));
    return page(pathname, { kind: 'delta', items: () => changes, offset: 0, pageSize: deltaPageSize, version, collection, select: state.select }, deltaShape(state.select), collection);
  }

  /** The groups a `/groups/delta` filter names (`id eq '…' or …`, at most 50), or all. */
  function filteredIds(filter: string | null): Set<string> {
    const ids = new Set<string>();
    if (filter !== null) {
      for (const clause of filter.split(/\s+or\s+/)) {
        const m = /^id eq '([^']+)'$/.exec(clause.trim());
        if (!m) throw bad(`Unsupported query filter for change tracking: ${clause}`);
        ids.add(m[1]!.toLowerCase());
      }
      if (ids.size > 50) throw bad('The number of filtered objects exceeds the limit of 50.');
    } else for (const k of store.groups.keys()) ids.add(k);
    return ids;
  }

  /**
   * `/groups/delta` for the groups a snapshot holds: `$filter=id eq '…' or …` (at most 50),
   * `$select` with `members` for `members@delta`; rounds start with `$deltatoken=latest`.
   */
  function groupsDelta(pathname: string, q: URLSearchParams): Json {
    for (const o of ['$top', '$expand', '$orderby']) if (q.has(o)) throw bad(`The query parameter '${o}' is not supported with change tracking over the 'Groups' resource.`);
    const shape = (select: readonly string[]) => (entry: Json): Json => {
      if (entry['@removed']) return { id: entry['id'], '@removed': { reason: 'deleted' } };
      const g = store.groups.get(String(entry['id']).toLowerCase());
      if (!g) return { id: entry['id'], '@removed': { reason: 'deleted' } };
      const out = GraphStore.project(g, select.filter((f) => f !== 'members'));
      if (select.includes('members')) {
        out['members@delta'] = [
          ...(entry['added'] as string[]).map((id) => ({ '@odata.type': store.typeOf(id), id })),
          ...(entry['gone'] as string[]).map((id) => ({ '@odata.type': store.typeOf(id), id, '@removed': { reason: 'deleted' } })),
        ];
      }
      return out;
    };
    const cursor = cursorFrom(q);
    if (cursor) return page(pathname, cursor, shape(cursor.select!), 'groups');
    const tokenValue = q.get('$deltatoken');
    if (tokenValue === 'latest') {
      const select = parseSelect(q, new Set([...V1_GROUP_PROPERTIES, 'members']), 'group', false) ?? [...V1_GROUP_PROPERTIES];
      const ids = filteredIds(q.get('$filter'));
      const t = opaque();
      deltaTokens.set(t, { collection: 'groups', select, version: store.version, ids });
      return { '@odata.context': `${base}/v1.0/$metadata#groups`, '@odata.deltaLink': `${base}${pathname}?$deltatoken=${t}`, value: [] };
    }
    if (tokenValue === null) {
      // An initial round: every tracked group with its properties and all its members, a group
      // with many members over several entries, then a delta link for the changes after it.
      const select = parseSelect(q, new Set([...V1_GROUP_PROPERTIES, 'members']), 'group', false) ?? [...V1_GROUP_PROPERTIES];
      const ids = filteredIds(q.get('$filter'));
      const entries: Json[] = [];
      for (const id of ids) {
        const g = store.groups.get(id);
        if (!g) continue;
        const members = select.includes('members') ? (g['members'] as string[]) : [];
        for (let at = 0; at === 0 || at < members.length; at += deltaMembersPerEntry) {
          entries.push({ id: g['id'], added: members.slice(at, at + deltaMembersPerEntry), gone: [] });
        }
      }
      return page(pathname, { kind: 'delta', items: () => entries, offset: 0, pageSize: deltaPageSize, version: store.version, collection: 'groups', select, ids }, shape(select), 'groups');
    }
    const state = deltaTokens.get(tokenValue);
    if (!state || state.collection !== 'groups' || !state.ids) throw bad('Invalid delta token.');
    const changes = store.groupChangesSince(state.version, state.ids).map((c) => (c.removed ? { id: c.id, '@removed': true } : { id: c.id, added: c.membersAdded, gone: c.membersRemoved }));
    return page(pathname, { kind: 'delta', items: () => changes, offset: 0, pageSize: deltaPageSize, version: store.version, collection: 'groups', select: state.select, ids: state.ids }, shape(state.select), 'groups');
  }

  function route(pathname: string, q: URLSearchParams, headers: IncomingHttpHeaders = {}): Json {
    if (pathname === '/v1.0/organization') {
      const select = q.get('$select')?.split(',') ?? ['id', 'displayName', 'countryLetterCode'];
      return { '@odata.context': `${base}/v1.0/$metadata#organization`, value: [GraphStore.project(store.organization as Json, select)] };
    }
    if (pathname === '/v1.0/users') return listUsers(pathname, q);
    if (pathname === '/v1.0/users/delta') return delta(pathname, 'users', q);
    if (pathname === '/v1.0/devices') return listDevices(pathname, q);
    if (pathname === '/v1.0/devices/delta') return delta(pathname, 'devices', q);
    if (pathname === '/v1.0/groups') return listGroups(pathname, q, headers);
    if (pathname === '/v1.0/directory/administrativeUnits') return listUnits(pathname, q, headers);
    const unitMembers = /^\/v1\.0\/directory\/administrativeUnits\/([^/]+)\/members$/.exec(pathname);
    if (unitMembers) return unitMemberList(pathname, decodeURIComponent(unitMembers[1]!), q);
    if (pathname === '/v1.0/groups/delta') return groupsDelta(pathname, q);
    if (pathname === '/v1.0/subscribedSkus') {
      if (q.has('$top') || q.has('$filter')) throw bad(`Query option '${q.has('$top') ? '$top' : '$filter'}' is not allowed for subscribedSkus.`);
      return { '@odata.context': `${base}/v1.0/$metadata#subscribedSkus`, value: structuredClone(store.skus) };
    }
    let m = /^\/v1\.0\/groups\/([^/]+)\/members$/.exec(pathname);
    if (m) return groupMembers(pathname, decodeURIComponent(m[1]!), q);
    m = /^\/v1\.0\/groups\/([^/]+)$/.exec(pathname);
    if (m) {
      const g = store.groups.get(decodeURIComponent(m[1]!).toLowerCase());
      if (!g) throw notFound(decodeURIComponent(m[1]!));
      return { '@odata.context': `${base}/v1.0/$metadata#groups/$entity`, ...groupShape(q)(g) };
    }
    throw new HttpError(400, 'BadRequest', `Resource not found for the segment '${pathname.split('/').pop()}'.`);
  }

  function applyFault(f: Fault, res: ServerResponse, req: IncomingMessage, respond: () => void, entry: LoggedRequest): void {
    entry.fault = f.kind;
    const url = new URL(req.url ?? '/', base);
    const retryAfter: Record<string, string> = f.retryAfter !== undefined ? { 'retry-after': f.retryAfter } : {};
    switch (f.kind) {
      case 'throttle':
        entry.status = 429;
        graphError(res, new HttpError(429, 'TooManyRequests', 'Please retry again later.', retryAfter));
        return;
      case 'unavailable':
        entry.status = 503;
        graphError(res, new HttpError(503, 'ServiceUnavailable', 'The service is temporarily unavailable. Please retry later.', retryAfter));
        return;
      case 'gateway-timeout':
        entry.status = 504;
        graphError(res, new HttpError(504, 'GatewayTimeout', 'The gateway did not receive a timely response.', retryAfter));
        return;
      case 'forbidden':
        entry.status = 403;
        graphError(res, new HttpError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'));
        return;
      case 'delta-expired':
        entry.status = 410;
        graphError(res, new HttpError(410, 'SyncStateNotFound', 'The sync state generation is not found. Restart the sync from an initial request.'));
        return;
      case 'expire-token':
        token = fakeJwt(store.organization.id);
        entry.status = 401;
        graphError(res, new HttpError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.'));
        return;
      case 'reset':
        entry.status = 0;
        req.socket.destroy();
        return;
      case 'slow': {
        const timer = setTimeout(respond, f.delayMs ?? 5000);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      case 'echo-token':
        entry.status = f.status ?? 400;
        graphError(res, new HttpError(entry.status, 'InvalidRequest', `The header 'Authorization: ${String(req.headers.authorization)}' was not accepted for token ${token}.`));
        return;
      case 'token-in-link':
      case 'userinfo-link':
      case 'foreign-link': {
        const rewrite = (link: string): string => {
          const u = new URL(link);
          if (f.kind === 'token-in-link') u.searchParams.set('access_token', token);
          else if (f.kind === 'userinfo-link') {
            u.username = 'admin';
            u.password = 'hunter2';
          } else u.hostname = 'localhost';
          return u.toString();
        };
        try {
          const body = route(url.pathname, url.searchParams, req.headers);
          for (const k of ['@odata.nextLink', '@odata.deltaLink']) if (typeof body[k] === 'string') body[k] = rewrite(body[k] as string);
          entry.status = 200;
          send(res, 200, body);
        } catch (e) {
          graphError(res, e instanceof HttpError ? e : new HttpError(500, 'UnknownError', String(e)));
        }
        return;
      }
      case 'trickle': {
        entry.status = 200;
        let body: Buffer;
        try {
          body = Buffer.from(JSON.stringify(route(url.pathname, url.searchParams, req.headers)));
        } catch {
          body = Buffer.from('{"value":[]}');
        }
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
        let at = 0;
        const timer = setInterval(() => {
          if (at >= body.length) {
            clearInterval(timer);
            res.end();
            return;
          }
          res.write(body.subarray(at, ++at));
        }, f.delayMs ?? 1000);
        res.on('close', () => clearInterval(timer));
        return;
      }
      case 'endless': {
        entry.status = 200;
        const value = Array.from({ length: f.objects ?? 0 }, () => ({ id: randomUUID() }));
        send(res, 200, { '@odata.context': `${base}/v1.0/$metadata#directoryObjects`, value, '@odata.nextLink': `${base}${url.pathname}?$skiptoken=${opaque()}` });
        return;
      }
      case 'loop':
        entry.status = 200;
        send(res, 200, { '@odata.context': `${base}/v1.0/$metadata#directoryObjects`, value: [], '@odata.nextLink': `${base}${req.url ?? '/'}` });
        return;
      case 'redirect':
        entry.status = 302;
        res.writeHead(302, { location: f.location ?? 'http://127.0.0.1:9/signin', 'content-length': 0 });
        res.end();
        return;
      case 'html': {
        entry.status = 200;
        const page = '<!DOCTYPE html><html><head><title>Sign in to your account</title></head><body>Sign in</body></html>';
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(page) });
        res.end(page);
        return;
      }
      case 'oversize': {
        entry.status = 200;
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': 200 * 1024 * 1024 });
        res.write('{"value":[');
        const timer = setInterval(() => res.write(' '), 1000);
        res.on('close', () => clearInterval(timer));
        return;
      }
      case 'drop':
      case 'truncate': {
        entry.status = 200;
        let body: string;
        try {
          body = JSON.stringify(route(url.pathname, url.searchParams, req.headers));
        } catch {
          body = '{"value":[]}';
        }
        const half = body.slice(0, Math.max(1, Math.floor(body.length / 2)));
        if (f.kind === 'drop') {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
          res.write(half, () => res.socket?.destroy());
        } else {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(half);
        }
        return;
      }
    }
  }

  const server = createServer((req, res) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined) continue;
      headers[k] = k === 'authorization' ? String(v).split(' ')[0] ?? '' : Array.isArray(v) ? v.join(', ') : v;
    }
    const entry: LoggedRequest = { method: req.method ?? '', url: req.url ?? '', headers, at: Date.now(), status: 0 };
    requests.push(entry);
    req.resume();
    const url = new URL(req.url ?? '/', base);
    const respond = (): void => {
      try {
        const body = route(url.pathname, url.searchParams, req.headers);
        entry.status = 200;
        send(res, 200, body);
      } catch (e) {
        const err = e instanceof HttpError ? e : new HttpError(500, 'UnknownError', String(e));
        entry.status = err.status;
        graphError(res, err);
      }
    };
    if (req.method !== 'GET') {
      entry.status = 405;
      graphError(res, new HttpError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.', { allow: 'GET' }));
      return;
    }
    const auth = req.headers.authorization ?? '';
    if (auth !== `Bearer ${token}`) {
      entry.status = 401;
      graphError(res, new HttpError(401, 'InvalidAuthenticationToken', auth ? 'Access token validation failure. Invalid audience.' : 'Access token is empty.'));
      return;
    }
    const fault = pickFault(entry.url);
    if (fault) {
      applyFault(fault, res, req, respond, entry);
      return;
    }
    if (options.throttle && /^\/v1\.0\/(users|devices|groups\/[^/]+\/members|groups\/delta|directory\/administrativeUnits(\/[^/]+\/members)?)(\?|$)/.test(entry.url) && nextRandom() < options.throttle.fraction) {
      applyFault({ kind: 'throttle', retryAfter: options.throttle.retryAfter ?? '0.1' }, res, req, respond, entry);
      return;
    }
    respond();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    get token() {
      return token;
    },
    requests,
    store,
    mutate: (m) => store.mutate(m),
    addFault: (f) => faults.push({ fault: f, seen: 0 }),
    rotateToken: () => (token = fakeJwt(store.organization.id)),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
