/**
 * What the client offers when a live tenant failed to load, by the kind of Microsoft Graph failure
 * the server reports (tenantInfo.errorKind). No vscode here: the unit tests hold every kind to it.
 */
import type { GraphErrorKind } from '../../protocol/src/protocol';

/**
 * `sign-in`: a new session (another account, or consent to the permission Graph asked for), then
 * read again; `retry`: read again as it was asked; `read-all`: read again without the delta
 * state Graph dropped; `undefined`: nothing the user can do from here but choose another tenant.
 */
export type NextStep = 'sign-in' | 'retry' | 'read-all' | undefined;

export function nextStep(kind: GraphErrorKind | undefined): NextStep {
  switch (kind) {
    case 'auth':
    case 'forbidden':
      return 'sign-in';
    case 'throttled':
    case 'network':
    case 'server':
    case 'invalid-response':
      return 'retry';
    case 'delta-expired':
      return 'read-all';
    case 'cancelled':
    case 'not-found':
    case 'bad-request':
    case 'io':
    case undefined:
      return undefined;
  }
}
