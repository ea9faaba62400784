/**
 * Writes l10n/bundle.l10n.json: every message the core, the server and the client show, English
 * text as key and value, sorted. Translations (bundle.l10n.<locale>.json) use the same keys.
 *
 *   node --import tsx scripts/l10n-export.ts          write the bundle
 *   node --import tsx scripts/l10n-export.ts --check  exit 1 when the bundle is stale
 *
 * Messages are found in the sources with the TypeScript parser: the literal first argument of
 * `l10n.t(...)`, `vscode.l10n.t(...)`, `t(...)` (the client's alias) and `l10n.mark(...)`
 * (table entries translated where they are shown). The catalogue is data translated at the
 * point of use (`l10n.t(def.description)`), so its texts are read from the catalogue itself.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import {
  ASSIGNED_PLAN_PROPERTIES, DEVICE_PROPERTIES, GROUP_PROPERTIES, OPERATORS, UNSUPPORTED_OPERATORS, UNSUPPORTED_PROPERTIES,
  USER_PROPERTIES, directoryExtensionProperty,
} from '../grammar/src/catalogue';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SOURCE_DIRS = ['grammar', 'server/src', 'client/src'];
export const BUNDLE = 'l10n/bundle.l10n.json';

/** A message call whose text is not a literal: fine for data translated at the point of use. */
export interface DynamicCall {
  readonly file: string;
  readonly line: number;
  readonly argument: string;
}

/** The TypeScript files under a folder, sorted, as paths relative to the repository. */
export function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(root, rel));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out.sort();
}

/** Whether a call is a message call: `t(...)`, `l10n.t(...)`, `vscode.l10n.t(...)`, `l10n.mark(...)`. */
export function isMessageCall(call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text === 't';
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const name = callee.name.text;
  const target = callee.expression;
  const isL10n = (ts.isIdentifier(target) && target.text === 'l10n') || (ts.isPropertyAccessExpression(target) && target.name.text === 'l10n');
  return isL10n && (name === 't' || name === 'mark');
}

/** The literal text of a string or template without substitutions, else undefined. */
export function literalText(node: ts.Node | undefined): string | undefined {
  return node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
}

/** Message literals of one source text, and the calls whose text is computed. */
export function messagesIn(file: string, text: string): { messages: string[]; dynamic: DynamicCall[] } {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const messages: string[] = [];
  const dynamic: DynamicCall[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isMessageCall(node) && node.arguments.length > 0) {
      const first = node.arguments[0]!;
      const literal = literalText(first);
      if (literal !== undefined) messages.push(literal);
      else dynamic.push({ file, line: source.getLineAndCharacterOfPosition(first.getStart()).line + 1, argument: first.getText() });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { messages, dynamic };
}

/** The catalogue's texts: property descriptions, operator descriptions and null notes, advice. */
export function catalogueMessages(): string[] {
  const properties = [...USER_PROPERTIES, ...DEVICE_PROPERTIES, ...ASSIGNED_PLAN_PROPERTIES, ...GROUP_PROPERTIES, directoryExtensionProperty('user', 'extension_x')];
  return [
    ...properties.map((p) => p.description),
    ...OPERATORS.flatMap((o) => [o.description, ...(o.onNull ? [o.onNull] : [])]),
    ...Object.values(UNSUPPORTED_PROPERTIES).map((u) => u.advice),
    ...Object.values(UNSUPPORTED_OPERATORS).map((u) => u.advice),
  ];
}

/** Every message, sorted, with the computed calls found on the way. */
export function collectMessages(root = REPO): { messages: string[]; dynamic: DynamicCall[] } {
  const all = new Set<string>(catalogueMessages());
  const dynamic: DynamicCall[] = [];
  for (const dir of SOURCE_DIRS) {
    for (const file of sourceFiles(root, dir)) {
      const found = messagesIn(file, readFileSync(path.join(root, file), 'utf8'));
      for (const m of found.messages) all.add(m);
      dynamic.push(...found.dynamic);
    }
  }
  return { messages: [...all].sort(compareKeys), dynamic };
}

/** Code-unit order, so the file is the same on every machine and locale. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The bundle file's text for a list of messages. */
export function bundleText(messages: readonly string[]): string {
  return `${JSON.stringify(Object.fromEntries(messages.map((m) => [m, m])), null, 2)}\n`;
}

/** The placeholders of a message, sorted (`{0}` twice counts once). */
export function placeholders(message: string): string[] {
  return [...new Set(message.match(/\{\d+\}/g) ?? [])].sort();
}

function main(args: string[]): void {
  const { messages } = collectMessages();
  const file = path.join(REPO, BUNDLE);
  const text = bundleText(messages);
  if (args.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      // A missing bundle is stale.
    }
    if (current !== text) {
      process.stderr.write(`${BUNDLE} is stale: run node --import tsx scripts/l10n-export.ts\n`);
      process.exit(1);
    }
    process.stdout.write(`${BUNDLE}: ${messages.length} messages, up to date\n`);
    return;
  }
  writeFileSync(file, text);
  process.stdout.write(`${BUNDLE}: ${messages.length} messages\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
