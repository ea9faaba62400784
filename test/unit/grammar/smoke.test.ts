import assert from 'node:assert/strict';
import { parseRule, printFullyParenthesized } from '../../../grammar/src/index';

describe('smoke', () => {
  it('parses with precedence', () => {
    const r = parseRule('user.a -eq "1" -or user.b -eq "2" -and user.c -eq "3"');
    assert.ok(r.expr);
    assert.equal(printFullyParenthesized(r.expr), '((user.a -eq "1") -or ((user.b -eq "2") -and (user.c -eq "3")))');
  });
});
