/**
 * Tables built in parts (as the parallel loader's worker threads build them) and joined must
 * hold what one builder fed every object holds: dictionaries that deduplicate and dictionaries
 * that stopped deduplicating (nearly unique columns), joined in both orders.
 */
import assert from 'node:assert/strict';
import { USER_PROPERTIES } from '../../../grammar/src/index';
import { propertyReader, TableBuilder, type GraphObject } from '../../../grammar/engine/src/index';

function users(from: number, n: number, uniqueDepartments: boolean): GraphObject[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return {
      id: `u${i}`,
      department: uniqueDepartments ? `dept ${i}` : ['Sales', 'Legal', null][i % 3],
      employeeId: i % 7 === 0 ? i : String(i),
      proxyAddresses: [`smtp:u${i}@contoso.com`, i % 2 ? 'SMTP:shared@contoso.com' : null],
      assignedPlans: [{ servicePlanId: `p${i % 5}`, capabilityStatus: 'Enabled' }],
      ...(i % 1000 === 0 ? { extension_0123456789abcdef0123456789abcdef_x: `x${i}` } : {}),
    };
  });
}

describe('columnar tables built in parts', () => {
  for (const [title, a, b] of [
    ['deduplicating, then not', false, true],
    ['not deduplicating, then deduplicating', true, false],
    ['neither', true, true],
  ] as const) {
    it(`join into the table one builder makes (${title})`, () => {
      const first = users(0, 6000, a);
      const second = users(6000, 5000, b);
      const whole = new TableBuilder('user');
      for (const o of [...first, ...second]) whole.addObject(o);
      const parts = [first, second].map((list) => {
        const p = new TableBuilder('user');
        for (const o of list) p.addObject(o);
        return p.exportState();
      });
      const joined = new TableBuilder('user');
      for (const p of parts) joined.absorb(p);
      const x = whole.finish().table;
      const y = joined.finish().table;
      assert.equal(y.rows, x.rows);
      for (let r = 0; r < x.rows; r += 7) {
        const o = x.materialise(r);
        const m = y.materialise(r);
        for (const def of USER_PROPERTIES) assert.deepEqual(propertyReader(def)(m), propertyReader(def)(o), `${def.name} of row ${r}`);
        assert.deepEqual(m['extension_0123456789abcdef0123456789abcdef_x'], o['extension_0123456789abcdef0123456789abcdef_x']);
      }
    });
  }
});
