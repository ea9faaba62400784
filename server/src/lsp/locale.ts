/**
 * The server's messages in the client's language. `initialize` carries the client's locale (VS
 * Code sends its display language); l10n/bundle.l10n.<locale>.json holds the translation, the
 * same files VS Code loads for the extension's own `vscode.l10n.t` strings. No bundle for the
 * locale, or a bundle that cannot be read, means English.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { l10n } from '../../../grammar/src/index';
import type { Log } from './safe';

/**
 * The translation for a locale from `dir`: `nl-BE` reads bundle.l10n.nl-be.json if there is one,
 * else bundle.l10n.nl.json. Undefined for English and for locales without a bundle.
 */
export function readMessageBundle(dir: string, locale: string | undefined): Record<string, string> | undefined {
  const lower = locale?.toLowerCase() ?? '';
  if (!/^[a-z]{2,3}(?:-[a-z0-9]+)*$/.test(lower) || lower === 'en' || lower.startsWith('en-')) return undefined;
  for (const candidate of new Set([lower, lower.split('-')[0]!])) {
    let text: string;
    try {
      text = readFileSync(path.join(dir, `bundle.l10n.${candidate}.json`), 'utf8');
    } catch {
      continue;
    }
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, string>;
  }
  return undefined;
}

/** Installs the messages for the client's locale (English when `dir` is unknown or has none). */
export function useClientLocale(dir: string | undefined, locale: string | undefined, log: Log): void {
  let messages: Record<string, string> | undefined;
  try {
    messages = dir ? readMessageBundle(dir, locale) : undefined;
  } catch (e) {
    log(`[error] the ${locale} messages could not be read, using English: ${e instanceof Error ? e.message : String(e)}`);
  }
  l10n.setMessageBundle(messages, locale);
  if (messages) log(`messages: ${locale}`);
}
