/**
 * What can go wrong talking to Microsoft Graph, as one error type with a discriminating `kind`,
 * so the CLI can print one line and the VS Code client can offer the right next step (sign in
 * again, ask for a permission, try later).
 *
 * Its message and details are often built from what a server sent back (an error body, a link, a
 * status line): the constructor passes all of them through `redact`, so no message of this type
 * can carry a token, whoever built it.
 */
import { redact } from './secrets';

export type GraphErrorKind =
  /** The caller's AbortSignal fired. */
  | 'cancelled'
  /** No token could be obtained, or Graph rejected it even after a fresh one (401). */
  | 'auth'
  /** 403: the token lacks a permission (the message names the one needed). */
  | 'forbidden'
  /** 404: a group named by id or display name does not exist. */
  | 'not-found'
  /** 400 and other 4xx: Graph refused the request as written. */
  | 'bad-request'
  /** Still throttled (429) or unavailable (503/504) after every retry, or asked to wait too long. */
  | 'throttled'
  /** The connection kept failing, or the response kept arriving cut short. */
  | 'network'
  /** A 200 response that is not the JSON page we asked for. */
  | 'invalid-response'
  /** 410 on a delta link: Graph no longer has the change-tracking state; fetch everything again. */
  | 'delta-expired'
  /** 5xx that persisted, or one that is not worth retrying. */
  | 'server'
  /** The snapshot folder could not be read or written. */
  | 'io';

export class GraphError extends Error {
  override readonly name = 'GraphError';
  readonly details: GraphErrorDetails;
  constructor(readonly kind: GraphErrorKind, message: string, details: GraphErrorDetails = {}) {
    super(redact(message));
    this.details = {
      ...details,
      ...(details.code !== undefined ? { code: redact(details.code) } : {}),
      ...(details.requestId !== undefined ? { requestId: redact(details.requestId) } : {}),
      ...(details.url !== undefined ? { url: redact(details.url) } : {}),
    };
  }
}

export interface GraphErrorDetails {
  /** HTTP status, when a response arrived. */
  readonly status?: number;
  /** Graph's `error.code` (`Authorization_RequestDenied`, `TooManyRequests`, …). */
  readonly code?: string;
  /** Graph's `request-id`, to quote to Microsoft support. */
  readonly requestId?: string;
  /** The request path and query (never headers). */
  readonly url?: string;
  readonly cause?: unknown;
}

export const isCancelled = (e: unknown): boolean => e instanceof GraphError && e.kind === 'cancelled';

export function cancelled(): GraphError {
  return new GraphError('cancelled', 'the Graph fetch was cancelled');
}

/** The least-privileged read permission behind each endpoint we call (docs/semantics.md, Microsoft Graph). */
export function permissionFor(pathname: string): string | undefined {
  if (/\/users\b/.test(pathname)) return 'User.Read.All';
  if (/\/devices\b/.test(pathname)) return 'Device.Read.All';
  if (/\/administrativeUnits\b/.test(pathname)) return 'AdministrativeUnit.Read.All';
  if (/\/groups\b/.test(pathname)) return 'Group.Read.All (or GroupMember.Read.All)';
  if (/\/subscribedSkus\b/.test(pathname)) return 'LicenseAssignment.Read.All (or Organization.Read.All)';
  if (/\/organization\b/.test(pathname)) return 'Organization.Read.All (delegated: User.Read)';
  return undefined;
}
