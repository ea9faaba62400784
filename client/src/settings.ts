/**
 * The extension's settings as the client reads them: the raw `dynrule` section, and one setting
 * of it with the shared defaults (protocol/src/settings.ts defines both, once).
 */
import * as vscode from 'vscode';
import {
  settingOf, SETTINGS_SECTION, type RawSettings, type SETTING_DEFAULTS, type SettingKey,
} from '../../protocol/src/settings';

/**
 * The `dynrule` section as VS Code holds it, nested: the same shape vscode-languageclient sends in
 * `workspace/didChangeConfiguration`, so the server reads both with one `toServerSettings`.
 */
export function rawSettings(): RawSettings {
  return vscode.workspace.getConfiguration().get<RawSettings>(SETTINGS_SECTION) ?? {};
}

/** One setting of the section, its default where it is unset or of the wrong type. */
export function setting<K extends SettingKey>(key: K): (typeof SETTING_DEFAULTS)[K] {
  return settingOf(rawSettings(), key);
}

