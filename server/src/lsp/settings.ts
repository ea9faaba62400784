/**
 * The extension's settings, defined once: the `dynrule` section as VS Code holds it (nested, as
 * package.json contributes it: `{diagnostics: {delay, advice}, inlayHints: {enabled}, …}`), its
 * defaults, and {@link toServerSettings}, the one reading of it the server uses — for
 * `initializationOptions.settings` and `workspace/didChangeConfiguration` alike.
 *
 * Plain data and functions only: the client imports this file too (for the defaults), so it must
 * not import the core, Node or vscode. A test holds package.json's defaults to {@link SETTING_DEFAULTS}.
 */

/** The settings section, as `workspace.getConfiguration(SETTINGS_SECTION)` reads it. */
export const SETTINGS_SECTION = 'dynrule';

/** Every setting of the section by its key below `dynrule.`, with its default. */
export const SETTING_DEFAULTS = {
  'tenant.folder': '',
  'diagnostics.delay': 200,
  'diagnostics.advice': true,
  'inlayHints.enabled': true,
  'codeLens.enabled': true,
  'preview.removalWarningPercent': 10,
  'trace.server': 'off',
  'graph.endpoint': 'https://graph.microsoft.com',
  'graph.authenticationProvider': '',
  'pull.folder': 'dynamic-groups',
};

export type SettingKey = keyof typeof SETTING_DEFAULTS;

/** The bounds package.json gives the number settings; a value outside them is brought inside. */
const RANGES: Partial<Record<SettingKey, readonly [number, number]>> = {
  'diagnostics.delay': [0, 5000],
  'preview.removalWarningPercent': [0, 100],
};

/**
 * The `dynrule` section as an editor sends it: nested objects by the dots of the keys. Values are
 * `unknown` because a hand-edited settings.json (or another editor) may hold anything.
 */
export interface RawSettings {
  readonly tenant?: { readonly folder?: unknown };
  readonly diagnostics?: { readonly delay?: unknown; readonly advice?: unknown };
  readonly inlayHints?: { readonly enabled?: unknown };
  readonly codeLens?: { readonly enabled?: unknown };
  readonly preview?: { readonly removalWarningPercent?: unknown };
  readonly trace?: { readonly server?: unknown };
  readonly graph?: { readonly endpoint?: unknown; readonly authenticationProvider?: unknown };
  readonly pull?: { readonly folder?: unknown };
}

/** What the server reads of the settings. */
export interface ServerSettings {
  /** Delay between the last keystroke and diagnostics, in ms. */
  readonly diagnosticsDelay: number;
  /** Show efficiency and style advice (info severity). */
  readonly adviceEnabled: boolean;
  /** Show inlay hints with the names behind GUIDs. */
  readonly inlayHints: boolean;
  /** Show the preview code lens over rules. */
  readonly codeLens: boolean;
  /** Warn when a change removes more than this share of current members. */
  readonly removalWarningPercent: number;
}

/** The value of `key` in a raw section: the default where it is missing or of the wrong type. */
export function settingOf<K extends SettingKey>(raw: unknown, key: K): (typeof SETTING_DEFAULTS)[K] {
  const fallback = SETTING_DEFAULTS[key];
  let value: unknown = raw;
  for (const part of key.split('.')) {
    value = value !== null && typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, part) ? (value as Record<string, unknown>)[part] : undefined;
  }
  if (typeof value !== typeof fallback) return fallback;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return fallback;
    const range = RANGES[key];
    return (range ? Math.min(range[1], Math.max(range[0], value)) : value) as (typeof SETTING_DEFAULTS)[K];
  }
  return value as (typeof SETTING_DEFAULTS)[K];
}

/** The server's settings from the raw `dynrule` section (anything else gives the defaults). */
export function toServerSettings(raw: unknown): ServerSettings {
  return {
    diagnosticsDelay: settingOf(raw, 'diagnostics.delay'),
    adviceEnabled: settingOf(raw, 'diagnostics.advice'),
    inlayHints: settingOf(raw, 'inlayHints.enabled'),
    codeLens: settingOf(raw, 'codeLens.enabled'),
    removalWarningPercent: settingOf(raw, 'preview.removalWarningPercent'),
  };
}

export const DEFAULT_SETTINGS: ServerSettings = toServerSettings(undefined);
