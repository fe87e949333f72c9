// Every setting of the extension: its key, its type and its default, read through one getter.
// The same keys and defaults are declared in package.json (an integration test checks they agree).
import * as vscode from 'vscode';

export const SECTION = 'traceReplay';

interface SettingTypes {
  storePath: string;
  'receiver.port': number;
  'receiver.autoStart': boolean;
  'receiver.maxBodyMB': number;
}
export type SettingKey = keyof SettingTypes;

export const SETTING_DEFAULTS: { readonly [K in SettingKey]: SettingTypes[K] } = {
  storePath: '.trace-replay',
  'receiver.port': 4318,
  'receiver.autoStart': false,
  'receiver.maxBodyMB': 16,
};

export function getSetting<K extends SettingKey>(key: K): SettingTypes[K] {
  const value = vscode.workspace.getConfiguration(SECTION).get<SettingTypes[K]>(key);
  // A hand-edited settings.json can hold the wrong type; fall back rather than pass it on.
  return typeof value === typeof SETTING_DEFAULTS[key] ? (value as SettingTypes[K]) : SETTING_DEFAULTS[key];
}

/** Full setting id, e.g. `traceReplay.receiver.port`, for messages and "Open Settings". */
export function settingId(key: SettingKey): string {
  return `${SECTION}.${key}`;
}

export function affectsSetting(event: vscode.ConfigurationChangeEvent, key: SettingKey): boolean {
  return event.affectsConfiguration(settingId(key));
}
