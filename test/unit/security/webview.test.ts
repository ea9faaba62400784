/**
 * The preview webview shows tenant values — names, departments, job titles, group names, notes —
 * which anyone who can edit a user in the tenant controls. Its HTML has a strict
 * Content-Security-Policy, its script never turns a string into HTML or code, and a user named
 * `<img src=x onerror=alert(1)>` is rendered as that text: tested here by running
 * client/media/preview.js against a small DOM that records what the script builds.
 * (A check in the real editor's webview belongs to the e2e suite.)
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { contentSecurityPolicy, newNonce, webviewHtml } from '../../../client/src/webviewHtml';
import type { PreviewResponse } from '../../../server/src/lsp/protocol';
import { runPreviewScript } from '../../support/webview';

// The page's scripts as they run: the shared tables, then the preview's own.
const SCRIPT = ['table.js', 'preview.js'].map((f) => readFileSync(`client/media/${f}`, 'utf8')).join('\n');
const HOSTILE = '<img src=x onerror=alert(1)>';
const HOSTILE_VALUES = [HOSTILE, '<script>alert(2)</script>', '"><svg onload=alert(3)>', 'javascript:alert(4)', '{{constructor.constructor("alert(5)")()}}', '\u202Egnp.exe'];

describe('security: the preview webview', () => {
  describe('its HTML', () => {
    const nonce = newNonce();
    const html = webviewHtml({
      cspSource: 'https://file+.vscode-resource.vscode-cdn.net', scriptUris: ['table.js', 'preview.js'].map((f) => `https://file+.vscode-resource.vscode-cdn.net/ext/client/media/${f}`),
      styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/client/media/preview.css', nonce, lang: 'en', title: `Preview ${HOSTILE}`,
    });
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    const directives = new Map(csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => [d.split(/\s+/)[0]!, d.split(/\s+/).slice(1)] as const));

    it('has a Content-Security-Policy that allows nothing by default', () => {
      assert.equal(csp, contentSecurityPolicy('https://file+.vscode-resource.vscode-cdn.net', nonce));
      assert.deepEqual(directives.get('default-src'), ["'none'"]);
    });

    it('runs only the script with its nonce: no inline script, no eval, no other origin', () => {
      assert.deepEqual(directives.get('script-src'), [`'nonce-${nonce}'`]);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|unsafe-hashes|wasm-unsafe-eval|strict-dynamic|data:|blob:|\*|http:/);
      // Styles, images and fonts come from the extension's own resources only; nothing else is allowed
      // (connect-src, frame-src, object-src... fall back to 'none').
      for (const d of ['style-src', 'img-src', 'font-src']) assert.deepEqual(directives.get(d), ['https://file+.vscode-resource.vscode-cdn.net'], d);
      assert.deepEqual([...directives.keys()].sort(), ['default-src', 'font-src', 'img-src', 'script-src', 'style-src']);
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      assert.equal(scripts.length, 2);
      for (const s of scripts) {
        assert.match(s[1]!, new RegExp(`nonce="${nonce}" src="https://file\\+\\.vscode-resource`));
        assert.equal(s[2], '', 'no inline script');
      }
      assert.doesNotMatch(html, /<[a-z][^>]*\son[a-z]+\s*=/i, 'no inline event handlers');
    });

    it('a fresh, unguessable nonce each time (128 bits from crypto.getRandomValues)', () => {
      const nonces = new Set(Array.from({ length: 1000 }, () => newNonce()));
      assert.equal(nonces.size, 1000);
      for (const n of nonces) assert.match(n, /^[0-9a-f]{32}$/);
    });

    it('escapes what it writes into the page', () => {
      assert.ok(!html.includes(HOSTILE));
      assert.ok(html.includes('<title>Preview &#60;img src=x onerror=alert(1)&#62;</title>'));
    });
  });

  describe('its script, client/media/preview.js', () => {
    it('never turns a string into HTML or code', () => {
      const code = SCRIPT.split('\n').filter((l) => !/^\s*\/\//.test(l)).join('\n');
      for (const sink of [/\binnerHTML\b/, /\bouterHTML\b/, /\binsertAdjacentHTML\b/, /\bdocument\.write(ln)?\b/, /(?<![.\w$])eval\s*\(/, /\bnew\s+Function\b/, /(?<![.\w$])Function\s*\(/,
        /\bsetTimeout\s*\(\s*['"`]/, /\bsetInterval\s*\(\s*['"`]/, /\bcreateContextualFragment\b/, /\bsrcdoc\b/, /\bDOMParser\b/, /\.setHTML\b/]) {
        assert.doesNotMatch(code, sink, `preview.js uses ${sink}`);
      }
    });

    it(`renders a user named ${HOSTILE} (and other markup in every tenant value) as text`, () => {
      const dom = runPreviewScript(hostilePreview(), `${HOSTILE}.dynrule`);
      // Every hostile value appears, as text.
      for (const v of HOSTILE_VALUES) assert.ok(dom.text().includes(v), `${v} is shown`);
      // The script built no element from the data: only the tags it names itself, el('tag', …).
      assert.equal(SCRIPT.match(/\bcreateElement\(/g)?.length, 1, 'one createElement, in el()');
      assert.doesNotMatch(SCRIPT.replace(/function el\(tag/, ''), /\bel\(\s*[^'\s]/, 'every el() names its tag literally');
      const written = new Set(['MAIN', ...[...SCRIPT.matchAll(/\bel\('([a-z0-9]+)'/g)].map((m) => m[1]!.toUpperCase())]);
      for (const e of dom.elements()) assert.ok(written.has(e.tagName), `an element <${e.tagName}>`);
      for (const e of dom.elements()) {
        for (const [name, value] of e.attributes) {
          assert.doesNotMatch(name, /^on/i, `an ${name} attribute on <${e.tagName}>`);
          if (name === 'href') assert.equal(value, '#');
          if (name === 'src' || name === 'style' || name === 'srcdoc') assert.fail(`a ${name} attribute on <${e.tagName}>`);
        }
      }
      assert.ok(dom.elements().filter((e) => e.tagName === 'TR').length >= 3, 'the lists were rendered');
    });
  });
});

/** A preview whose every tenant-controlled string is hostile markup. */
function hostilePreview(): PreviewResponse {
  const [a, b, c, d, e, f] = HOSTILE_VALUES as [string, string, string, string, string, string];
  return {
    ok: true, tenant: b, type: 'user', version: 1,
    group: { id: 'g1', displayName: c }, before: 1, after: 2,
    added: ['u1', 'u2'], removed: ['u3'], unknown: [],
    licenses: [{ skuId: 's1', skuPartNumber: d, displayName: e, disabledPlans: [{ id: 'p1', name: f }], gained: ['u1'], lost: [], available: 0, needed: 1, freed: 0, left: 0, shortfall: 1, plansLost: [{ user: 'u3', plans: [{ id: 'p2', name: a }] }] }],
    errors: [{ user: 'u1', skuId: 's1', reason: a, detail: c }],
    warnings: [{ code: 'x', message: b }, { code: 'y', severity: 'error', message: d }],
    errorKinds: { [a]: e },
    notes: [c],
    objects: {
      u1: { id: 'u1', displayName: a, userPrincipalName: b, department: c, jobTitle: d },
      u2: { id: 'u2', displayName: e, userPrincipalName: f, userType: 'Guest' },
      u3: { id: 'u3', displayName: a },
    },
    explanations: { u1: { decidedBy: a, property: 'department', value: b }, u2: { decidedBy: c, value: d }, u3: { decidedBy: e, value: f } },
  } as PreviewResponse;
}
