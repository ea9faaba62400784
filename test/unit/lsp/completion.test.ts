/**
 * Completion of service plans against the sample tenant, over a real protocol connection: the
 * tenant's plans first (the most held first), also while the user types a name, and no
 * government-cloud plans for a commercial tenant.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { CompletionItem, CompletionList } from 'vscode-languageserver-protocol';
import { complete as completeCore } from '../../../grammar/src/index';
import { startHarnessWithFolder, type Harness } from '../../support/lsp';

const CONTOSO = path.resolve('samples/tenant/contoso');
const PREFIX = 'user.assignedPlans -any (assignedPlan.servicePlanId -eq "';

describe('language server: service plan completion ranks the tenant\'s plans first', () => {
  let h: Harness;
  before(async () => {
    h = await startHarnessWithFolder(CONTOSO);
  });
  after(() => h.close());

  /** The items as the editor orders them before any typing: by sortText. */
  const complete = async (typed: string): Promise<CompletionItem[]> => {
    const text = `${PREFIX}${typed}`;
    const uri = await h.open('plans.dynrule', text);
    const r = await h.client.sendRequest<CompletionList>('textDocument/completion', {
      textDocument: { uri }, position: { line: 0, character: text.length }, context: { triggerKind: 1 },
    });
    return [...r.items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
  };
  const tenantPlan = (i: CompletionItem): boolean => /in your /.test(i.detail ?? '');
  const users = (i: CompletionItem): number => Number(/(\d+) users? ·/.exec(i.detail ?? '')?.[1] ?? 0);

  it('unfiltered: the tenant\'s plans before the catalogue\'s, the most held first', async () => {
    const items = await complete('');
    const firstCatalogue = items.findIndex((i) => !tenantPlan(i));
    assert.ok(firstCatalogue > 10, `only ${firstCatalogue} tenant plans first`);
    assert.ok(items.slice(firstCatalogue).every((i) => !tenantPlan(i)), 'a tenant plan after the catalogue\'s');
    const held = items.slice(0, firstCatalogue).map(users);
    assert.deepEqual(held, [...held].sort((a, b) => b - a), 'not the most held first');
    assert.ok(held[0]! > 200, `the first plan is held by ${held[0]} users`);
    assert.doesNotMatch(items[0]!.label, /^MESH_AVATARS/);
  });

  it('typing "exchange": the tenant\'s EXCHANGE_S_ENTERPRISE first among the plans whose name starts with it', async () => {
    const items = await complete('exchange');
    // The editor scores a filter text that starts with the typed word best; among equals the
    // sortText decides. So every filter text starts with the plan name, GUID last.
    for (const i of items) assert.ok((i.filterText ?? i.label).startsWith(i.label), `${i.label}: filter text "${i.filterText}"`);
    const prefixed = items.filter((i) => (i.filterText ?? i.label).toLowerCase().startsWith('exchange'));
    assert.equal(prefixed[0]!.label, 'EXCHANGE_S_ENTERPRISE', prefixed.map((i) => i.label).join(', '));
    assert.ok(tenantPlan(prefixed[0]!));
  });

  it('no government-cloud plans for a tenant that has none', async () => {
    for (const typed of ['', 'exchange', 'exchange_s_enterprise']) {
      const gov = (await complete(typed)).filter((i) => /_GOV(_|$)|_GCC|USGOV|_DOD/.test(i.label)).map((i) => i.label);
      assert.deepEqual(gov, [], typed);
    }
  });

  it('a tenant in a government cloud gets government-cloud plans', () => {
    const text = `${PREFIX}exchange_s_enterprise`;
    const gcc = { tenantServicePlans: () => [{ id: '8c3069c0-ccdb-44be-ab77-986203a67df2', name: 'EXCHANGE_S_ENTERPRISE_GOV', sku: 'SPE_E3_GOV', users: 10 }] };
    const labels = (data?: object): string[] => completeCore(text, text.length, data).items.map((i) => i.label);
    assert.ok(labels(gcc).includes('EXCHANGE_S_ENTERPRISE_GOV'));
    assert.ok(!labels().includes('EXCHANGE_S_ENTERPRISE_GOV'));
  });
});
