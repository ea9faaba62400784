/**
 * Nothing is ever written to the tenant. The dynamic proof is in the Graph tests (every request
 * the test server logs is a GET: test/unit/graph/, test/unit/lsp/live.test.ts); this is the
 * static half: the product has exactly one place that sends an HTTP request, and it is a GET.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('security: Graph is read-only', () => {
  it('one network call in the product — graph/http.ts, a GET with no body that follows no redirect', () => {
    const NETWORK = /\bfetch\s*\(|\bhttps?\.(request|get)\s*\(|\bnew\s+XMLHttpRequest\b|\bnet\.connect\b|\bWebSocket\b|\bundici\b|\baxios\b/;
    const callers = [...filesUnder('server/src'), ...filesUnder('client/src'), ...filesUnder('grammar')]
      .filter((f) => NETWORK.test(readFileSync(f, 'utf8').split('\n').filter((l) => !/^\s*(\*|\/\/|\/\*)/.test(l)).join('\n')));
    assert.deepEqual(callers, ['server/src/graph/http.ts']);
    const http = readFileSync('server/src/graph/http.ts', 'utf8');
    assert.equal(http.match(/\bfetch\s*\(/g)?.length, 1);
    const call = /res = await fetch\(url, \{([\s\S]*?)\n {8,}\}\);/.exec(http)?.[1] ?? '';
    assert.match(call, /method: 'GET',/);
    // A redirect comes back as the response, never followed; every 3xx fails the request at once
    // (the dynamic proof: test/unit/graph/hostile.test.ts › *a 302*).
    assert.match(call, /redirect: 'manual',/);
    assert.match(http, /if \(res\.status >= 300 && res\.status < 400\) \{[\s\S]*?throw new GraphError\('invalid-response', `[^`]*redirects are never followed`/);
    assert.doesNotMatch(call, /\bbody\b/);
    // The client object offers `get` and nothing else (also tested at run time in graph/snapshot.test.ts).
    assert.doesNotMatch(http, /\b(post|patch|put|delete)\s*\(/i);
  });
});
