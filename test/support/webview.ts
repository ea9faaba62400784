/**
 * Runs client/media/preview.js against a DOM just large enough for it, recording what it builds:
 * the preview view, without an editor. Labels are their own keys.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vm from 'node:vm';
import type { PreviewResponse } from '../../protocol/src/protocol';

const SCRIPT = readFileSync('client/media/preview.js', 'utf8');


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

export function runPreviewScript(data: PreviewResponse, rule = 'rule.dynrule'): { elements(): FakeElement[]; text(): string; textOf(e: FakeElement): string } {
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
  const sandbox = {
    document,
    window: { addEventListener: (type: string, f: (e: { data: unknown }) => void) => { if (type === 'message') onMessage = f; } },
    acquireVsCodeApi: () => ({ postMessage: () => undefined, getState: () => undefined, setState: () => undefined }),
  };
  vm.runInNewContext(SCRIPT, sandbox, { filename: 'preview.js' });
  assert.ok(onMessage, 'the script listens for messages');
  const labels = new Proxy({}, { get: (_t, k) => String(k) });
  onMessage({ data: { type: 'preview', data, labels, rule } });
  return { elements: () => all(app), text: () => text(app), textOf: text };
}
