/**
 * What can go wrong talking to Microsoft Graph, as one error type with a discriminating `kind`,
 * so the CLI can print one line and the VS Code client can offer the right next step (sign in
 * again, ask for a permission, try later).
 *
 * Its message and details are often built from what a server sent back (an error body, a link, a
 * status line): the constructor passes all of them through `redact`, so no message of this type
 * can carry a token, whoever built it.
 */
import type { GraphErrorKind } from '../../../protocol/src/protocol';
import { redact } from './secrets';

// The kinds are part of the client/server contract (tenantInfo carries one): defined there.
export type { GraphErrorKind };

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
