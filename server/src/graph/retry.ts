/** Retry timing: Graph's `Retry-After`, bounded exponential backoff with jitter, abortable waits. */
import { cancelled } from './errors';

export interface RetryPolicy {
  /** Attempts per request, the first included (throttling, 503/504 and network errors share it). */
  readonly maxAttempts: number;
  /** First backoff step when Graph gives no Retry-After. */
  readonly baseDelayMs: number;
  /** Largest backoff step when Graph gives no Retry-After. */
  readonly maxDelayMs: number;
  /** A Retry-After longer than this fails the fetch instead of stalling it. */
  readonly maxRetryAfterMs: number;
}

/**
 * 8 attempts with steps of 0.5, 1, 2, 4, 8, 16, 30 s (each jittered to 50–100 %) is about a minute
 * of patience without a Retry-After; Graph's own Retry-After values are honoured up to 5 minutes.
 */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 300_000 };

/**
 * Milliseconds to wait from a `Retry-After` header: delta-seconds (Graph sends fractions such as
 * `2.128`) or an HTTP-date. Undefined when absent or unreadable, so the caller backs off itself.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** The n-th backoff (n from 1): exponential, capped, with "equal jitter" (50–100 % of the step). */
export function backoffMs(attempt: number, policy: RetryPolicy, random = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** Waits, or rejects with a `cancelled` GraphError as soon as the signal fires. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(cancelled());
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
