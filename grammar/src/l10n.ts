/**
 * The message table of the core and the server: every user-facing string goes through {@link t},
 * the way the client's strings go through `vscode.l10n.t`. The English text is the key and
 * `{0}`, `{1}`… are its placeholders, so English needs no bundle and a missing translation reads
 * as English. scripts/l10n-export.ts collects the keys into l10n/bundle.l10n.json; a
 * translation is l10n/bundle.l10n.<locale>.json, which the server installs for its client.
 *
 * The table is one per process: a language server serves one client, and the CLI installs none
 * (its output stays English for the scripts that read it).
 */

let bundle: Readonly<Record<string, string>> | undefined;
let numberLocale = 'en-US';

/**
 * Installs the translations to use from now on (`undefined` for English). `locale` formats the
 * numbers in messages ({@link formatNumber}); it defaults to English.
 */
export function setMessageBundle(messages: Record<string, string> | undefined, locale = 'en-US'): void {
  bundle = messages;
  numberLocale = messages ? locale : 'en-US';
}

/** The message in the installed language, with `{n}` replaced by the n-th argument. */
export function t(message: string, ...args: readonly (string | number | boolean)[]): string {
  const template = bundle?.[message] ?? message;
  if (args.length === 0) return template;
  return template.replace(/\{(\d+)\}/g, (match, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : match));
}

/**
 * Marks a string in a data table as a message without translating it: the table is built once,
 * in English, and the string is translated where it is shown, with `t(entry)`. The export script
 * collects marked strings like `t` literals.
 */
export function mark(message: string): string {
  return message;
}

/** A whole number with the grouping of the installed language (3,072 in English, 3.072 in Dutch). */
export function formatNumber(n: number): string {
  return n.toLocaleString(numberLocale);
}
