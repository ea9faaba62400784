/**
 * What the VS Code client offers when a live tenant fails, by the Graph failure kind the server
 * reports in tenantInfo.errorKind (client/src/graphFailure.ts; client/src/tenant.ts shows it).
 */
import assert from 'node:assert/strict';
import { nextStep, type NextStep } from '../../../client/src/graphFailure';
import type { GraphErrorKind } from '../../../protocol/src/protocol';

describe('client: the next step offered for each kind of Graph failure', () => {
  // Every kind of the protocol: a kind added there fails to compile here until it is given a step.
  const steps: Record<GraphErrorKind, NextStep> = {
    auth: 'sign-in', forbidden: 'sign-in',
    throttled: 'retry', network: 'retry', server: 'retry', 'invalid-response': 'retry',
    'delta-expired': 'read-all',
    cancelled: undefined, 'not-found': undefined, 'bad-request': undefined, io: undefined,
  };
  for (const [kind, step] of Object.entries(steps) as [GraphErrorKind, NextStep][]) {
    it(`${kind}: ${step ?? 'nothing but choosing another tenant'}`, () => assert.equal(nextStep(kind), step));
  }
  it('a failure that is not Graph\'s: nothing but choosing another tenant', () => assert.equal(nextStep(undefined), undefined));
});
