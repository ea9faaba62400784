/**
 * Everything the language server sends the editor passes through here, so that no feature can
 * forget it: the answer of every request handler (hover, code lens, inlay hints, completion, the
 * preview view's data, explain, rule test results, tenant info…), every notification and
 * request it sends (diagnostics, tenant changes), progress messages and log lines. Tenant data in
 * them — a display name, a department, a group name, a Graph error — reaches the editor with its
 * unprintable characters escaped ({@link editorText}: controls, bidirectional overrides,
 * invisible characters; line feeds and tabs are kept, hovers are Markdown).
 *
 * Left as they are: text that goes into the document (`newText`, `insertText`, `filterText`),
 * and what the client hands back to the server unread (`data`, a command's `arguments`).
 */
import type { Connection } from 'vscode-languageserver';
import { editorText } from '../printable';

const AS_IS = new Set(['newText', 'insertText', 'filterText', 'data', 'arguments']);

/** `value` with every string in it (keys included) made printable; the same object when nothing changes. */
export function displaySafe<T>(value: T): T {
  return clean(value, 0) as T;
}

function clean(v: unknown, depth: number): unknown {
  if (typeof v === 'string') return editorText(v);
  if (v === null || typeof v !== 'object' || depth > 64) return v;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const c = clean(v[i], depth + 1);
      if (c !== v[i]) (out ??= v.slice())[i] = c;
    }
    return out ?? v;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return v;
  let out: Record<string, unknown> | undefined;
  const src = v as Record<string, unknown>;
  for (const key of Object.keys(src)) {
    const k = editorText(key);
    const c = AS_IS.has(key) ? src[key] : clean(src[key], depth + 1);
    if (k !== key || c !== src[key]) {
      if (!out) {
        out = {};
        for (const before of Object.keys(src)) {
          if (before === key) break;
          out[editorText(before)] = src[before];
        }
      }
    }
    if (out) out[k] = c;
  }
  return out ?? v;
}

const isThenable = (r: unknown): r is PromiseLike<unknown> => r !== null && typeof r === 'object' && typeof (r as { then?: unknown }).then === 'function';

/** A handler whose answer (or the answer it resolves to) is made printable. */
function guardHandler(h: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  return (...args) => {
    const r = h(...args);
    return isThenable(r) ? Promise.resolve(r).then(displaySafe) : displaySafe(r);
  };
}

/**
 * The connection as the server's features see it: `on…` registrations get handlers whose
 * answers are made printable; `send…`, the console's lines and progress reports send printable
 * text. Nested parts (`languages.inlayHint`, `console`, `window`…) are guarded the same way.
 */
export function displaySafeConnection(connection: Connection): Connection {
  return guard(connection);
}

function guard<T extends object>(target: T): T {
  return new Proxy(target, {
    get(t, prop) {
      const v: unknown = Reflect.get(t, prop, t);
      const name = typeof prop === 'string' ? prop : '';
      if (typeof v === 'function') {
        const f = v as (...args: unknown[]) => unknown;
        if (name.startsWith('on')) return (...args: unknown[]) => f.apply(t, args.map((a) => (typeof a === 'function' ? guardHandler(a as (...x: unknown[]) => unknown) : a)));
        // The progress reporter that createWorkDoneProgress resolves to shows its messages too.
        if (name === 'createWorkDoneProgress') return (...args: unknown[]) => Promise.resolve(f.apply(t, args)).then((r) => (r && typeof r === 'object' ? guard(r) : r));
        if (name === 'then' || name === 'listen' || name === 'dispose') return f.bind(t);
        return (...args: unknown[]) => f.apply(t, args.map((a) => (typeof a === 'function' ? a : displaySafe(a))));
      }
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) return guard(v);
      return v;
    },
  });
}
