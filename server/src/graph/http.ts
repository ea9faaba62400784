/**
 * The HTTP layer under everything we ask Microsoft Graph: read-only by construction (the client
 * has a `get` and nothing else, and the method is a constant), with a bearer token from the
 * caller's `getToken`, Graph's throttling rules, bounded retries and cancellation.
 *
 * Tokens never reach the logger: log lines carry the method, the path and the status only, and
 * every line passes through `redact` (which also removes anything that looks like a JWT).
 */
import { randomUUID } from 'node:crypto';
import { cancelled, GraphError, permissionFor } from './errors';
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
  /** A request that sends no response for this long is abandoned and retried. */
  readonly requestTimeoutMs?: number;
  readonly userAgent?: string;
}

export type JsonObject = Record<string, unknown>;

export interface GraphClient {
  /** The normalised base URL (an origin, no trailing slash). */
  readonly endpoint: string;
  /**
   * GETs a JSON object: a path (`/v1.0/users?...`) resolved against the endpoint, or an absolute
   * URL from Graph (`@odata.nextLink`), which must be on the endpoint's origin.
   */
  get(pathOrUrl: string): Promise<JsonObject>;
  /** Requests sent and retries made so far (for summaries). */
  readonly stats: { readonly requests: number; readonly retries: number };
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

const JWT = /eyJ[\w-]{6,}\.[\w-]{6,}\.[\w-]*/g;

/** Removes the given secrets, bearer values and anything shaped like a JWT from a log line. */
export function redact(line: string, secrets: Iterable<string> = []): string {
  let out = line;
  for (const s of secrets) if (s.length >= 8) out = out.split(s).join('[redacted]');
  return out.replace(/(bearer\s+)\S+/gi, '$1[redacted]').replace(JWT, '[redacted]');
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

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const endpoint = normalizeEndpoint(options.endpoint);
  const origin = new URL(endpoint).origin;
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const timeoutMs = options.requestTimeoutMs ?? 100_000;
  const signal = options.signal;
  const seenTokens = new Set<string>();
  const stats = { requests: 0, retries: 0 };
  const log = (level: 'debug' | 'info' | 'warn', message: string): void => {
    options.log?.(level, redact(message, seenTokens));
  };

  const resolve = (pathOrUrl: string): URL => {
    const u = /^https?:\/\//i.test(pathOrUrl) ? new URL(pathOrUrl) : new URL(endpoint + (pathOrUrl.startsWith('/') ? '' : '/') + pathOrUrl);
    // A nextLink elsewhere would carry our token to another host: refuse it.
    if (u.origin !== origin) throw new GraphError('invalid-response', `Graph returned a link to another host (${u.origin}); not following it with the token`);
    return u;
  };

  const token = async (forceRefresh: boolean): Promise<string> => {
    if (signal?.aborted) throw cancelled();
    let t: string;
    try {
      t = await options.getToken({ forceRefresh, ...(signal ? { signal } : {}) });
    } catch (e) {
      if (signal?.aborted) throw cancelled();
      if (e instanceof GraphError) throw e;
      throw new GraphError('auth', `could not get a Graph access token: ${redact(e instanceof Error ? e.message : String(e), seenTokens)}`, { cause: e });
    }
    if (typeof t !== 'string' || t.trim() === '') throw new GraphError('auth', 'could not get a Graph access token: the token provider returned nothing');
    t = t.trim().replace(/^bearer\s+/i, '');
    seenTokens.add(t);
    return t;
  };

  async function get(pathOrUrl: string): Promise<JsonObject> {
    const url = resolve(pathOrUrl);
    const label = url.pathname + url.search;
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

      // The one request this module sends: a GET with no body, no redirects followed.
      const perRequest = AbortSignal.timeout(timeoutMs);
      const requestSignal = signal ? AbortSignal.any([signal, perRequest]) : perRequest;
      let res: Response;
      stats.requests++;
      try {
        res = await fetch(url, {
          method: 'GET',
          redirect: 'error',
          signal: requestSignal,
          headers: {
            Authorization: `Bearer ${bearer}`,
            Accept: 'application/json',
            'client-request-id': randomUUID(),
            'User-Agent': options.userAgent ?? 'dynrule',
          },
        });
      } catch (e) {
        if (signal?.aborted) throw cancelled();
        await retry({ reason: 'network' }, backoffMs(attempt, policy), `connection failed (${describeNetworkError(e)})`);
        continue;
      }

      if (res.status === 200) {
        let text: string;
        try {
          text = await res.text();
        } catch (e) {
          if (signal?.aborted) throw cancelled();
          await retry({ reason: 'network', status: 200 }, backoffMs(attempt, policy), `connection dropped while reading the response (${describeNetworkError(e)})`);
          continue;
        }
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          await retry({ reason: 'truncated', status: 200 }, backoffMs(attempt, policy), `the response was cut short (${text.length} bytes of invalid JSON)`);
          continue;
        }
        if (body === null || typeof body !== 'object' || Array.isArray(body)) {
          throw new GraphError('invalid-response', `GET ${label}: expected a JSON object from Graph`, { url: label, status: 200 });
        }
        log('debug', `GET ${label} → 200 in ${Date.now() - started} ms`);
        return body as JsonObject;
      }

      let text = '';
      try {
        text = await res.text();
      } catch {
        if (signal?.aborted) throw cancelled();
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

  return Object.freeze({ endpoint, get, stats });
}

function describeNetworkError(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError') return 'no response in time';
  const cause = err?.cause;
  return cause?.code ?? cause?.message ?? err?.message ?? String(e);
}
