import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { LiveSelection, TenantInfo } from '../../../protocol/src/protocol';
import { LoadCancelled, TenantState, type LiveFetcher } from '../../../server/src/lsp/tenantState';

const CONTOSO = path.resolve('samples/tenant/contoso');
const live = (label: string): LiveSelection => ({ kind: 'live', endpoint: 'https://graph.microsoft.com', label });

describe('tenant state: a cancelled load keeps the tenant in use', () => {
  it('puts back the tenant before, loaded as it was, and tells the editor', async () => {
    const seen: TenantInfo[] = [];
    const fetchLive: LiveFetcher = async () => { throw new LoadCancelled('signing in was cancelled'); };
    const t = new TenantState((i) => seen.push(i), fetchLive);
    const before = await t.select({ kind: 'folder', path: CONTOSO, label: 'Contoso' });
    assert.equal(before.state, 'ready');
    const snapshot = t.current;
    await assert.rejects(t.select(live('Live tenant')), LoadCancelled);
    assert.deepEqual(t.info(), before);
    assert.equal(t.current, snapshot, 'the same snapshot, not loaded again');
    assert.deepEqual(seen.at(-1), before, 'the last change the editor heard of is the tenant before');
  });

  it('a tenant whose own load the cancelled one stopped is loaded again, not left loading', async () => {
    let calls = 0;
    const fetchLive: LiveFetcher = (sel, progress) => {
      calls++;
      if (sel.label === 'second') return Promise.reject(new LoadCancelled('signing in was cancelled'));
      // The first read of "first" waits until it is stopped; the second completes.
      if (calls === 1) return new Promise((_, reject) => progress.signal.addEventListener('abort', () => reject(new Error('aborted'))));
      return Promise.resolve({ dir: CONTOSO, tenantId: 't', mode: 'full' });
    };
    const seen: TenantInfo[] = [];
    const t = new TenantState((i) => seen.push(i), fetchLive);
    const first = t.select(live('first'));
    await assert.rejects(t.select(live('second')), LoadCancelled);
    await first;
    while (t.info().state === 'loading') await new Promise((r) => setImmediate(r));
    assert.equal(t.info().state, 'ready');
    assert.equal((t.info().selection as LiveSelection).label, 'first');
    assert.equal(calls, 3);
  });
});
