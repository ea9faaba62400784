/**
 * Runs a webview's script (client/media/preview.js, client/media/audit.js), after the shared
 * client/media/table.js as the page loads them, against a DOM just large enough for them,
 * recording what they build: the view, without an editor. Labels are their own keys.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vm from 'node:vm';
import type { PreviewResponse } from '../../server/src/lsp/protocol';

const TABLE = readFileSync('client/media/table.js', 'utf8');


export class FakeText {
  constructor(readonly data: string) {}
}

export class FakeElement {
  readonly attributes = new Map<string, string>();
  children: (FakeElement | FakeText)[] = [];
  readonly listeners = new Map<string, unknown>();
  value = '';
  constructor(readonly tagName: string) {}
  set className(v: string) { this.attributes.set('class', v); }
  get id(): string { return this.attributes.get('id') ?? ''; }
  setAttribute(name: string, value: unknown): void { this.attributes.set(name.toLowerCase(), String(value)); }
  addEventListener(type: string, f: unknown): void { this.listeners.set(type, f); }
  append(...nodes: (FakeElement | FakeText | string)[]): void {
    for (const n of nodes) this.children.push(typeof n === 'string' ? new FakeText(n) : n);
  }
  replaceChildren(...nodes: (FakeElement | FakeText | string)[]): void {
    this.children = [];
    this.append(...nodes);
  }
  focus(): void {}
  setSelectionRange(): void {}
  // What would turn strings into markup is not there: using it fails the test.
  set innerHTML(_: string) { throw new Error('innerHTML used'); }
}

export interface WebviewDom {
  elements(): FakeElement[];
  text(): string;
  textOf(e: FakeElement): string;
  /** The messages the script posted to the extension. */
  readonly posted: unknown[];
}

export function runPreviewScript(data: PreviewResponse, rule = 'rule.dynrule'): WebviewDom {
  return runWebviewScript('preview.js', { type: 'preview', data, rule });
}

/** Runs client/media/<script> and sends it `message` (with labels that are their own keys). */
export function runWebviewScript(script: string, message: Record<string, unknown>): WebviewDom {
  const code = readFileSync(`client/media/${script}`, 'utf8');
  const posted: unknown[] = [];
  const app = new FakeElement('MAIN');
  app.setAttribute('id', 'app');
  const all = (root: FakeElement): FakeElement[] => [root, ...root.children.flatMap((c) => (c instanceof FakeElement ? all(c) : []))];
  const text = (root: FakeElement): string => root.children.map((c) => (c instanceof FakeText ? c.data : text(c))).join('\n');
  let onMessage: ((e: { data: unknown }) => void) | undefined;
  const document = {
    createElement: (tag: string) => new FakeElement(tag.toUpperCase()),
    createTextNode: (s: string) => new FakeText(s),
    getElementById: (id: string) => all(app).find((e) => e.id === id) ?? null,
    activeElement: null,
  };
  const window: Record<string, unknown> = { addEventListener: (type: string, f: (e: { data: unknown }) => void) => { if (type === 'message') onMessage = f; } };
  const sandbox = {
    document,
    window,
    acquireVsCodeApi: () => ({ postMessage: (m: unknown) => posted.push(m), getState: () => undefined, setState: () => undefined }),
  };
  const context = vm.createContext(sandbox);
  vm.runInContext(TABLE, context, { filename: 'table.js' });
  vm.runInContext(code, context, { filename: script });
  assert.ok(onMessage, 'the script listens for messages');
  const labels = new Proxy({}, { get: (_t, k) => String(k) });
  onMessage({ data: { ...message, labels } });
  return { elements: () => all(app), text: () => text(app), textOf: text, posted };
}
