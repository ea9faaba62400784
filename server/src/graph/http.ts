/**
 * The HTTP layer under everything we ask Microsoft Graph: read-only by construction (the client
 * has a `get` and nothing else, and the method is a constant), with a bearer token from the
 * caller's `getToken`, Graph's throttling rules, bounded retries and cancellation.
 *
 * Tokens never reach the logger: log lines carry the method, the path and the status only, and
 * every line, like every GraphError, passes through `redact` (secrets.ts), which removes every token
 * this process sent and anything that looks like one.
 */
import { randomUUID } from 'node:crypto';
import { cancelled, GraphError, permissionFor } from './errors';
import { carriesSecret, redact, rememberSecret } from './secrets';
import { backoffMs, DEFAULT_RETRY, parseRetryAfter, sleep, type RetryPolicy } from './retry';

export interface TokenRequest {
  /** True after Graph rejected the last token (401): return a new one, not a cached one. */
  readonly forceRefresh: boolean;
  readonly signal?: AbortSignal;
}

/**
 * Returns an access token for Graph. Called before every request, so it should return a cached
 * token cheaply; called with `forceRefresh` once after a 401.
 */
export type GetToken = (request: TokenRequest) => Promise<string>;

export type LogLevel = 'debug' | 'info' | 'warn';
export type Logger = (level: LogLevel, message: string) => void;

/** Told before each wait: the VS Code client shows it ("throttled by Graph, retrying in 2 s"). */
export interface RetryNotice {
  readonly reason: 'throttled' | 'unavailable' | 'network' | 'truncated' | 'token';
  readonly status?: number;
  readonly waitMs: number;
  /** The attempt that failed, from 1. */
  readonly attempt: number;
  /** Path and query of the request. */
  readonly url: string;
}

export interface GraphClientOptions {
  /** Graph's base URL, e.g. https://graph.microsoft.com (or a national cloud, or a test server). */
  readonly endpoint: string;
  readonly getToken: GetToken;
  readonly signal?: AbortSignal;
  readonly log?: Logger;
  readonly retry?: Partial<RetryPolicy>;
  readonly onRetry?: (notice: RetryNotice) => void;
  /** A request whose response (headers and whole body) has not arrived in this long is abandoned and retried. */
  readonly requestTimeoutMs?: number;
  /** Bounds on one collection's pages and objects (`pages` enforces them). */
  readonly limits?: Partial<CollectionLimits>;
  readonly userAgent?: string;
}

export type JsonObject = Record<string, unknown>;

export interface GetOptions {
  /**
   * An advanced query on directory objects: sends `ConsistencyLevel: eventual` (the caller adds
   * `$count=true`), as Graph requires for some `$filter`s (docs/live-tenant.md, What is read).
   */
  readonly eventual?: boolean;
}

export interface GraphClient {
  /** The normalised base URL (an origin, no trailing slash). */
  readonly endpoint: string;
  /**
   * GETs a JSON object: a path (`/v1.0/users?...`) resolved against the endpoint, or an absolute
   * URL from Graph (`@odata.nextLink`), which must be on the endpoint's origin.
   */
  get(pathOrUrl: string, options?: GetOptions): Promise<JsonObject>;
  /** Requests sent and retries made so far (for summaries). */
  readonly stats: { readonly requests: number; readonly retries: number };
  readonly limits: CollectionLimits;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** `https://graph.microsoft.com/v1.0/` → `https://graph.microsoft.com`; http only for loopback test servers. */
export function normalizeEndpoint(endpoint: string): string {
  let u: URL;
  try {
    u = new URL(endpoint);
  } catch {
    throw new GraphError('bad-request', `the Graph endpoint "${endpoint}" is not a URL (e.g. https://graph.microsoft.com)`);
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOOPBACK.has(u.hostname))) {
    throw new GraphError('bad-request', `the Graph endpoint must use https (plain http only for a local test server): ${u.origin}`);
  }
  if (u.username || u.password) throw new GraphError('bad-request', 'the Graph endpoint must not contain credentials');
  const path = u.pathname.replace(/\/+$/, '').replace(/\/(v1\.0|beta)$/, '');
  return u.origin + path;
}

function graphErrorBody(text: string): { code?: string; message?: string; requestId?: string } {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> } };
    const e = body.error;
    if (!e || typeof e !== 'object') return {};
    const inner = e.innerError ?? {};
    return {
      ...(typeof e.code === 'string' ? { code: e.code } : {}),
      ...(typeof e.message === 'string' ? { message: e.message } : {}),
      ...(typeof inner['request-id'] === 'string' ? { requestId: inner['request-id'] } : {}),
    };
  } catch {
    return {};
  }
}

const RETRIABLE_STATUS = new Set([429, 500, 502, 503, 504]);

/** A page of 999 users with every field we select is tens of MB; no Graph answer we ask for is near this. */
export const MAX_RESPONSE_BYTES = 128 * 1024 * 1024;
/** Of an error answer we read Graph's code and message only. */
const MAX_ERROR_BYTES = 64 * 1024;

/**
 * How much a single collection may hold before we stop following its links: more than a tenant
 * holds. Entra's directory quota is 50,000 objects by default (300,000 with a verified domain) and
 * is raised on request; the largest tenants hold a few million. A server that sends distinct
 * `@odata.nextLink`s without end is stopped by these, not by the same-link check.
 */
export interface CollectionLimits {
  /** Objects in one collection (users, devices, a group's members, one delta round). */
  readonly maxObjects: number;
  /** Pages of one collection, empty ones included (10,000,000 objects at Graph's smallest full page, 100). */
  readonly maxPages: number;
}

export const DEFAULT_LIMITS: CollectionLimits = { maxObjects: 10_000_000, maxPages: 100_000 };

/** Why a response cannot be used, where another attempt would not help. */
class Unusable extends Error {}

/** The media type of a Content-Type header, if it reads as one (it is shown to the user). */
function mediaType(header: string | null): string | undefined {
  const t = header?.split(';')[0]?.trim().toLowerCase();
  return t && /^[\w.+-]+\/[\w.+-]+$/.test(t) ? t : undefined;
}

/**
 * A body read whole, within the request's deadline (the caller's signal) and a byte bound: a server
 * that trickles a byte every few seconds, or sends without end, cannot hold the client.
 */
async function readBody(res: Response, limit: number): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (declared > limit) {
    await res.body?.cancel().catch(() => undefined);
    throw new Unusable(`the response is ${declared.toLocaleString('en-US')} bytes, more than ${limit.toLocaleString('en-US')}`);
  }
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) throw new Unusable(`the response is more than ${limit.toLocaleString('en-US')} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * What a token provider returns, checked and remembered (so that no message or file can carry it).
 * Every token the live-tenant code asks for comes through here.
 */
export async function askToken(getToken: GetToken, request: TokenRequest): Promise<string> {
  let t: string;
  try {
    t = await getToken(request);
  } catch (e) {
    if (request.signal?.aborted) throw cancelled();
    if (e instanceof GraphError) throw e;
    throw new GraphError('auth', `could not get a Graph access token: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  if (typeof t !== 'string' || t.trim() === '') throw new GraphError('auth', 'could not get a Graph access token: the token provider returned nothing');
  t = t.trim().replace(/^bearer\s+/i, '');
  rememberSecret(t);
  return t;
}

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const endpoint = normalizeEndpoint(options.endpoint);
  const origin = new URL(endpoint).origin;
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const limits: CollectionLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const timeoutMs = options.requestTimeoutMs ?? 100_000;
  const signal = options.signal;
  const stats = { requests: 0, retries: 0 };
  const log = (level: 'debug' | 'info' | 'warn', message: string): void => {
    options.log?.(level, redact(message));
  };

  const resolve = (pathOrUrl: string): URL => {
    let u: URL;
    try {
      u = /^https?:\/\//i.test(pathOrUrl) ? new URL(pathOrUrl) : new URL(endpoint + (pathOrUrl.startsWith('/') ? '' : '/') + pathOrUrl);
    } catch {
      throw new GraphError('invalid-response', 'Graph returned a link that is not a URL');
    }
    // A link elsewhere would carry our token to another host, one with credentials would send them: refuse both.
    if (u.origin !== origin) throw new GraphError('invalid-response', `Graph returned a link to another host (${u.origin}); not following it with the token`);
    if (u.username || u.password) throw new GraphError('invalid-response', 'Graph returned a link with credentials in it (user:password@); not following it');
    if (carriesSecret(u.href)) throw new GraphError('invalid-response', 'Graph returned a link that carries the access token; not following it');
    return u;
  };

  const token = async (forceRefresh: boolean): Promise<string> => {
    if (signal?.aborted) throw cancelled();
    return askToken(options.getToken, { forceRefresh, ...(signal ? { signal } : {}) });
  };

  async function get(pathOrUrl: string, getOptions: GetOptions = {}): Promise<JsonObject> {
    const url = resolve(pathOrUrl);
    const label = redact(url.pathname + url.search);
    let forceRefresh = false;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw cancelled();
      const bearer = await token(forceRefresh);
      forceRefresh = false;
      const started = Date.now();
      const retry = async (notice: Omit<RetryNotice, 'attempt' | 'url' | 'waitMs'>, waitMs: number, why: string): Promise<void> => {
        if (attempt >= policy.maxAttempts) {
          const kind = notice.reason === 'throttled' || notice.reason === 'unavailable' ? 'throttled' : 'network';
          throw new GraphError(kind, `GET ${label} failed ${attempt} times; last: ${why}`, { url: label, ...(notice.status ? { status: notice.status } : {}) });
        }
        stats.retries++;
        log('warn', `GET ${label}: ${why}; retry ${attempt}/${policy.maxAttempts - 1} in ${(waitMs / 1000).toFixed(1)} s`);
        options.onRetry?.({ ...notice, attempt, url: label, waitMs });
        await sleep(waitMs, signal);
      };

      // One deadline for the whole attempt, headers and body: a server that answers slowly or
      // trickles its body is abandoned (and retried) after `timeoutMs`, and the caller's
      // cancellation stops it at once, whichever part it is in.
      const attemptControl = new AbortController();
      let timedOut = false;
      const deadline = setTimeout(() => {
        timedOut = true;
        attemptControl.abort();
      }, timeoutMs);
      const onCancel = (): void => attemptControl.abort();
      signal?.addEventListener('abort', onCancel, { once: true });
      const interrupted = (e: unknown): string => {
        if (signal?.aborted) throw cancelled();
        return timedOut ? `no complete response in ${timeoutMs / 1000} s` : describeNetworkError(e);
      };
      let res: Response;
      let text: string;
      stats.requests++;
      try {
        try {
          // The one request this module sends: a GET with no body; a redirect is returned, never followed.
          res = await fetch(url, {
            method: 'GET',
            redirect: 'manual',
            signal: attemptControl.signal,
            headers: {
              Authorization: `Bearer ${bearer}`,
              Accept: 'application/json',
              'client-request-id': randomUUID(),
              'User-Agent': options.userAgent ?? 'dynrule',
              ...(getOptions.eventual ? { ConsistencyLevel: 'eventual' } : {}),
            },
          });
        } catch (e) {
          await retry({ reason: 'network' }, backoffMs(attempt, policy), timedOut ? interrupted(e) : `connection failed (${interrupted(e)})`);
          continue;
        }
        try {
          text = await answer(res, label);
        } catch (e) {
          if (e instanceof GraphError) throw e;
          if (e instanceof Unusable) throw new GraphError('invalid-response', `GET ${label}: ${e.message}`, { url: label, status: res.status });
          const why = interrupted(e);
          await retry({ reason: 'network', status: res.status }, backoffMs(attempt, policy), timedOut ? why : `connection dropped while reading the response (${why})`);
          continue;
        }
      } finally {
        clearTimeout(deadline);
        signal?.removeEventListener('abort', onCancel);
      }

      if (res.status === 200) {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          // JSON cut short is worth another attempt; anything else is not Graph's answer.
          if (!text.trimStart().startsWith('{')) throw new GraphError('invalid-response', `GET ${label}: Graph answered 200 with ${text.length.toLocaleString('en-US')} bytes that are not JSON`, { url: label, status: 200 });
          await retry({ reason: 'truncated', status: 200 }, backoffMs(attempt, policy), `the response was cut short (${text.length} bytes of invalid JSON)`);
          continue;
        }
        if (body === null || typeof body !== 'object' || Array.isArray(body)) {
          throw new GraphError('invalid-response', `GET ${label}: expected a JSON object from Graph`, { url: label, status: 200 });
        }
        log('debug', `GET ${label} → 200 in ${Date.now() - started} ms`);
        return body as JsonObject;
      }

      const g = graphErrorBody(text);
      const requestId = g.requestId ?? res.headers.get('request-id') ?? undefined;
      const what = `${res.status}${g.code ? ` ${g.code}` : ''}${g.message ? `: ${g.message}` : ''}`;
      const details = { status: res.status, url: label, ...(g.code ? { code: g.code } : {}), ...(requestId ? { requestId } : {}) };
      log('debug', `GET ${label} → ${res.status} in ${Date.now() - started} ms`);

      if (res.status === 401) {
        if (!refreshed) {
          refreshed = true;
          forceRefresh = true;
          stats.retries++;
          log('info', `GET ${label}: the token was rejected (${what}); getting a new one`);
          options.onRetry?.({ reason: 'token', status: 401, attempt, url: label, waitMs: 0 });
          continue;
        }
        throw new GraphError('auth', `Graph rejected the access token even after getting a new one (${what})`, details);
      }
      if (RETRIABLE_STATUS.has(res.status)) {
        const given = parseRetryAfter(res.headers.get('retry-after'));
        if (given !== undefined && given > policy.maxRetryAfterMs) {
          throw new GraphError('throttled', `GET ${label}: Graph asked to wait ${Math.round(given / 1000)} s (${what}); try again later`, details);
        }
        const reason = res.status === 429 ? 'throttled' : 'unavailable';
        await retry({ reason, status: res.status }, given ?? backoffMs(attempt, policy), `${what}${given !== undefined ? ` (Retry-After ${res.headers.get('retry-after')})` : ''}`);
        continue;
      }
      if (res.status === 403) {
        const perm = permissionFor(url.pathname);
        throw new GraphError('forbidden', `Graph refused GET ${url.pathname} (${what})${perm ? `; it needs ${perm}` : ''}`, details);
      }
      if (res.status === 404) throw new GraphError('not-found', `GET ${url.pathname}: ${what}`, details);
      if (res.status === 410) throw new GraphError('delta-expired', `GET ${url.pathname}: the change-tracking state expired (${what}); a full fetch is needed`, details);
      if (res.status >= 500) throw new GraphError('server', `GET ${label}: Graph failed (${what})`, details);
      throw new GraphError('bad-request', `GET ${label}: ${what}`, details);
    }
  }

  return Object.freeze({ endpoint, get, stats, limits });
}

/**
 * The body of a response worth reading, or why it is not: a redirect (never followed: Graph does
 * not redirect its API, a sign-in page or a proxy does) and a 200 that is not JSON fail at once —
 * another attempt would get the same — and say what came back.
 */
async function answer(res: Response, label: string): Promise<string> {
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel().catch(() => undefined);
    const location = res.headers.get('location');
    let where = 'no location';
    if (location) {
      try {
        where = new URL(location, 'http://invalid.invalid').origin;
        where = where === 'http://invalid.invalid' ? 'the same host' : where;
      } catch {
        where = 'an unreadable location';
      }
    }
    throw new GraphError('invalid-response', `GET ${label}: Graph answered ${res.status}, a redirect to ${where}; redirects are never followed`, { url: label, status: res.status });
  }
  if (res.status === 200) {
    const type = mediaType(res.headers.get('content-type'));
    if (res.headers.has('content-type') && !(type && /[/+]json$/.test(type))) {
      const size = Number(res.headers.get('content-length'));
      await res.body?.cancel().catch(() => undefined);
      throw new GraphError('invalid-response', `GET ${label}: Graph answered 200 with ${type ?? 'an unreadable content type'}${size > 0 ? ` (${size.toLocaleString('en-US')} bytes)` : ''}, not JSON`, { url: label, status: 200 });
    }
    return readBody(res, MAX_RESPONSE_BYTES);
  }
  return readBody(res, MAX_ERROR_BYTES).catch((e: unknown) => {
    // An error answer too long to quote is still an error answer: its status says enough.
    if (e instanceof Unusable) return '';
    throw e;
  });
}

function describeNetworkError(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError') return 'no response in time';
  const cause = err?.cause;
  return cause?.code ?? cause?.message ?? err?.message ?? String(e);
}
