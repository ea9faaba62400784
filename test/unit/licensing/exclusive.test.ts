import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import {
  findServicePlan, mutuallyExclusiveSet, planConflicts, servicePlansOf, unmetPrerequisites,
} from '../../../grammar/src/licensing';
import generated from '../../../grammar/src/data/mutually-exclusive.json' with { type: 'json' };
import { buildMutuallyExclusive } from '../../../scripts/generate-licensing-catalogue';

const CSV = new URL('../../../data/mutually-exclusive-service-plans.csv', import.meta.url);
const id = (name: string): string => findServicePlan(name)!.servicePlanId;

describe('mutually exclusive service plans', () => {
  it('the generated module says what data/mutually-exclusive-service-plans.csv says, row for row', () => {
    const text = readFileSync(CSV, 'utf8');
    const rows = parse(text, { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[];
    assert.ok(rows.length > 30, `only ${rows.length} rows`);
    assert.deepEqual(
      (generated as { plans: string[][] }).plans,
      rows.map((r) => [r['set']!.trim(), r['service']!.trim(), r['servicePlanName']!.trim(), r['servicePlanId']!.trim().toLowerCase()]),
    );
    // And the generator, run again, writes the same file.
    const onDisk = readFileSync(new URL('../../../grammar/src/data/mutually-exclusive.json', import.meta.url), 'utf8');
    assert.equal(buildMutuallyExclusive(text, 'mutually-exclusive-service-plans.csv'), onDisk);
  });

  it('the generator refuses a row without a GUID or a plan listed twice', () => {
    assert.throws(() => buildMutuallyExclusive('set,service,servicePlanName,servicePlanId\nsharepoint,SharePoint,X,not-a-guid\n', 'x.csv'), /line 2: servicePlanId "not-a-guid" is not a GUID/);
    const row = 'sharepoint,SharePoint,SHAREPOINTSTANDARD,c7699d2e-19aa-44de-8edf-1736da088ca1';
    assert.throws(() => buildMutuallyExclusive(`set,service,servicePlanName,servicePlanId\n${row}\n${row}\n`, 'x.csv'), /line 3: SHAREPOINTSTANDARD .* listed twice/);
    assert.throws(() => buildMutuallyExclusive('set,service,name,id\n', 'x.csv'), /no "servicePlanName" column/);
  });

  it('knows which set a plan is in, by id in any case', () => {
    assert.equal(mutuallyExclusiveSet(id('SHAREPOINTSTANDARD')), 'sharepoint');
    assert.equal(mutuallyExclusiveSet(id('SHAREPOINTENTERPRISE').toUpperCase()), 'sharepoint');
    assert.equal(mutuallyExclusiveSet(id('EXCHANGE_S_STANDARD')), 'exchange');
    // Exchange Online (Plan 2) no longer conflicts with Plan 1: the table does not list it.
    assert.equal(mutuallyExclusiveSet(id('EXCHANGE_S_ENTERPRISE')), undefined);
  });

  it('Office 365 E3 conflicts with Office 365 E1 on SharePoint only; the same plan twice is no conflict', () => {
    const e1 = servicePlansOf('STANDARDPACK').map((p) => p.servicePlanId);
    const e3 = servicePlansOf('ENTERPRISEPACK').map((p) => p.servicePlanId);
    assert.deepEqual(planConflicts(e3, e1, e3), [{ plan: id('SHAREPOINTENTERPRISE'), with: id('SHAREPOINTSTANDARD'), set: 'sharepoint' }]);
    // E1 with SharePoint (Plan 1) disabled: nothing left to conflict with.
    assert.deepEqual(planConflicts(e3, e1.filter((p) => p !== id('SHAREPOINTSTANDARD')), e3), []);
    assert.deepEqual(planConflicts(e3, e3, e3), []);
    // EMS shares RMS_S_ENTERPRISE and INTUNE_A with Microsoft 365 E3: the same plans.
    const ems = servicePlansOf('EMS').map((p) => p.servicePlanId);
    assert.deepEqual(planConflicts(ems, servicePlansOf('SPE_E3').map((p) => p.servicePlanId), ems), []);
  });

  it('checks the add-on prerequisite Microsoft documents (Workplace Analytics needs Exchange Online in the same group), and only that', () => {
    const wpa = servicePlansOf('WORKPLACE_ANALYTICS').map((p) => p.servicePlanId);
    assert.deepEqual(unmetPrerequisites(wpa).map((r) => r.plan), [id('WORKPLACE_ANALYTICS')]);
    assert.deepEqual(unmetPrerequisites([...wpa, id('EXCHANGE_S_STANDARD')]), []);
    assert.deepEqual(unmetPrerequisites([...wpa, id('EXCHANGE_S_ENTERPRISE')]), []);
    assert.deepEqual(unmetPrerequisites(servicePlansOf('SPE_E3').map((p) => p.servicePlanId)), []);
  });
});
