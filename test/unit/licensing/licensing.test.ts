import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import {
  allServicePlans, allSkus, findServicePlan, findSku, searchLicensing, servicePlansOf, skusWithServicePlan,
} from '../../../grammar/src/licensing';

// GUIDs from licensing-service-plan-reference (Microsoft's reference table, cross-checked with its CSV).
const SPE_E3 = '05e9a617-0261-4cee-bb44-138d3ef5d965';
const SPE_E5 = '06ebc4ee-1bb5-47dd-8120-11324bc54e06';
const STANDARDPACK = '18181a46-0d4e-45cd-891e-60aabd171b4e';
const AAD_PREMIUM_SKU = '078d2b04-f1bd-4111-bbd4-b4b1b354cef4';
const EXCHANGE_S_ENTERPRISE = 'efb87545-963c-4e0d-99df-69c6916d9eb0';
const YAMMER_ENTERPRISE = '7547a3fe-08ee-4ccb-b430-5077c5041653';
const AAD_PREMIUM_PLAN = '41781fb2-bc02-4b7c-bd55-b576c07bb09d';
const RMS_S_ENTERPRISE = 'bea4c11e-220a-4e6d-8eb8-8ea15d019f90';

describe('licensing catalogue', () => {
  describe('findSku', () => {
    const cases: [string, string | undefined][] = [
      [SPE_E3, 'SPE_E3'],
      [SPE_E3.toUpperCase(), 'SPE_E3'],
      [SPE_E5, 'SPE_E5'],
      ['SPE_E3', 'SPE_E3'],
      ['spe_e3', 'SPE_E3'],
      ['  SPE_E5 ', 'SPE_E5'],
      [STANDARDPACK, 'STANDARDPACK'],
      ['AAD_PREMIUM', 'AAD_PREMIUM'],
      ['Microsoft_365_Copilot', 'Microsoft_365_Copilot'],
      ['NOT_A_SKU', undefined],
      ['00000000-0000-0000-0000-000000000000', undefined],
      ['', undefined],
    ];
    for (const [key, part] of cases) {
      it(`${JSON.stringify(key)} → ${part ?? 'nothing'}`, () => assert.equal(findSku(key)?.skuPartNumber, part));
    }

    it('carries the id, part number and display name', () => {
      const e3 = findSku('spe_e3');
      assert.deepEqual({ skuId: e3?.skuId, skuPartNumber: e3?.skuPartNumber, displayName: e3?.displayName },
        { skuId: SPE_E3, skuPartNumber: 'SPE_E3', displayName: 'Microsoft 365 E3' });
      assert.equal(findSku(AAD_PREMIUM_SKU)?.displayName, 'Microsoft Entra ID P1');
    });

    it('trims the stray spaces the CSV has around some values', () => {
      assert.equal(findSku('AAD_PREMIUM_USGOV_GCCHIGH')?.skuPartNumber, 'AAD_PREMIUM_USGOV_GCCHIGH');
      // MCOCAP_FACULTY and its GUID are followed by a no-break space in the CSV.
      assert.equal(findSku('MCOCAP_FACULTY')?.skuId, '420c7602-7f70-4895-9394-d3d679ea36fb');
      assert.equal(findSku('420c7602-7f70-4895-9394-d3d679ea36fb')?.skuPartNumber, 'MCOCAP_FACULTY');
    });
  });

  describe('findServicePlan', () => {
    it('by id and by name, ignoring case', () => {
      for (const key of [EXCHANGE_S_ENTERPRISE, EXCHANGE_S_ENTERPRISE.toUpperCase(), 'EXCHANGE_S_ENTERPRISE', 'exchange_s_enterprise']) {
        assert.deepEqual(findServicePlan(key), {
          servicePlanId: EXCHANGE_S_ENTERPRISE, servicePlanName: 'EXCHANGE_S_ENTERPRISE', friendlyName: 'Exchange Online (Plan 2)',
        });
      }
    });

    it('picks the most common spelling of a name and resolves the others', () => {
      assert.equal(findServicePlan(RMS_S_ENTERPRISE)?.servicePlanName, 'RMS_S_ENTERPRISE');
      assert.equal(findServicePlan('RMS_S_ENTERPRISE)')?.servicePlanId, RMS_S_ENTERPRISE);
      assert.equal(findServicePlan(AAD_PREMIUM_PLAN)?.friendlyName, 'Microsoft Entra ID P1');
    });

    it('prefers a friendly name that is not just the plan name', () => {
      assert.equal(findServicePlan('BI_AZURE_P0')?.friendlyName, 'Power BI (free)');
    });

    it('unknown → undefined', () => {
      assert.equal(findServicePlan('NO_SUCH_PLAN'), undefined);
    });
  });

  describe('servicePlansOf / skusWithServicePlan', () => {
    it('SPE_E3 includes EXCHANGE_S_ENTERPRISE and YAMMER_ENTERPRISE, 50 plans in all', () => {
      const plans = servicePlansOf(SPE_E3);
      assert.equal(plans.length, 50);
      const ids = plans.map((p) => p.servicePlanId);
      assert.ok(ids.includes(EXCHANGE_S_ENTERPRISE));
      assert.ok(ids.includes(YAMMER_ENTERPRISE));
      assert.ok(ids.includes(AAD_PREMIUM_PLAN));
      assert.equal(new Set(ids).size, ids.length, 'no duplicate plans');
      assert.deepEqual(servicePlansOf('spe_e3'), plans);
      assert.deepEqual(servicePlansOf(findSku('SPE_E3')!), plans);
    });

    it('STANDARDPACK has the 34 plans Microsoft lists', () => {
      assert.equal(servicePlansOf('STANDARDPACK').length, 34);
      assert.ok(servicePlansOf('STANDARDPACK').some((p) => p.servicePlanName === 'EXCHANGE_S_STANDARD'));
    });

    it('single-plan products', () => {
      assert.deepEqual(servicePlansOf('EXCHANGEENTERPRISE').map((p) => p.servicePlanName), ['EXCHANGE_S_ENTERPRISE']);
      assert.deepEqual(servicePlansOf('INTUNE_A').map((p) => p.servicePlanId), ['c1ec4a95-1f05-45b3-a911-aa3fa01094f5']);
    });

    it('unknown SKU → no plans', () => {
      assert.deepEqual(servicePlansOf('NOPE'), []);
    });

    it('which products include a plan', () => {
      const parts = skusWithServicePlan(EXCHANGE_S_ENTERPRISE).map((s) => s.skuPartNumber);
      for (const p of ['SPE_E3', 'SPE_E5', 'ENTERPRISEPACK', 'ENTERPRISEPREMIUM', 'EXCHANGEENTERPRISE']) assert.ok(parts.includes(p), p);
      assert.ok(!parts.includes('STANDARDPACK'));
      assert.deepEqual(skusWithServicePlan('EXCHANGE_S_ENTERPRISE'), skusWithServicePlan(EXCHANGE_S_ENTERPRISE));
      assert.deepEqual(skusWithServicePlan('NO_SUCH_PLAN'), []);
    });
  });

  describe('searchLicensing', () => {
    it('an exact part number comes first', () => {
      const hits = searchLicensing('SPE_E3');
      assert.deepEqual(hits[0], { kind: 'sku', id: SPE_E3, name: 'SPE_E3', displayName: 'Microsoft 365 E3' });
    });

    it('name prefixes before substrings, ignoring case', () => {
      const names = searchLicensing('exchange_s', { kind: 'servicePlan', limit: 100 }).map((h) => h.name);
      assert.ok(names.includes('EXCHANGE_S_ENTERPRISE'));
      assert.ok(names.every((n) => n.toLowerCase().includes('exchange_s')));
      const firstNonPrefix = names.findIndex((n) => !n.toLowerCase().startsWith('exchange_s'));
      if (firstNonPrefix >= 0) assert.ok(names.slice(firstNonPrefix).every((n) => !n.toLowerCase().startsWith('exchange_s')));
    });

    it('matches display names by word', () => {
      const hits = searchLicensing('copilot', { kind: 'sku' });
      assert.ok(hits.some((h) => h.name === 'Microsoft_365_Copilot'));
      assert.ok(hits.every((h) => h.kind === 'sku'));
    });

    it('matches GUID prefixes', () => {
      assert.ok(searchLicensing('efb87545').some((h) => h.id === EXCHANGE_S_ENTERPRISE));
    });

    it('limit and empty query', () => {
      assert.equal(searchLicensing('', { limit: 7 }).length, 7);
      assert.equal(searchLicensing('e', { limit: 0 }).length, 0);
      assert.deepEqual(searchLicensing('zzzz-no-such-thing'), []);
    });
  });

  describe('data', () => {
    it('covers the whole CSV: every SKU and plan GUID in it is known', function () {
      // Microsoft's CSV sits beside the repository (../shared/data) where the catalogue is
      // generated; a clone elsewhere cannot compare against it.
      const source = new URL('../../../../shared/data/licensing-service-plans.csv', import.meta.url);
      if (!existsSync(source)) this.skip();
      const csv = readFileSync(source, 'utf8');
      const skuIds = new Set<string>();
      const planIds = new Set<string>();
      for (const m of csv.matchAll(/,([0-9a-f-]{36})\s*,[^,\n]*,([0-9a-f-]{36})\s*,/g)) {
        skuIds.add(m[1]!);
        planIds.add(m[2]!);
      }
      assert.ok(skuIds.size > 500 && planIds.size > 700, `${skuIds.size} SKUs, ${planIds.size} plans read from the CSV`);
      for (const id of skuIds) assert.ok(findSku(id), `SKU ${id}`);
      for (const id of planIds) assert.ok(findServicePlan(id), `plan ${id}`);
      assert.equal(allSkus().length, skuIds.size);
      assert.equal(allServicePlans().length, planIds.size);
    });

    it('GUIDs are lower case and unique', () => {
      const ids = [...allSkus().map((s) => s.skuId), ...allServicePlans().map((p) => p.servicePlanId)];
      assert.ok(ids.every((id) => /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/.test(id)));
      assert.equal(new Set(allSkus().map((s) => s.skuId)).size, allSkus().length);
      assert.equal(new Set(allServicePlans().map((p) => p.servicePlanId)).size, allServicePlans().length);
    });
  });
});
