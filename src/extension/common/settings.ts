// Every setting of the extension: its key, its type and its default, read through one getter.
// The same keys and defaults are declared in package.json (an integration test checks they agree).
import * as vscode from 'vscode';
import type { ProviderSetting } from '../../core/llm/provider-adapter';
import { pickerProviders, providerSettings } from '../../core/llm/provider-registry';
import { DEFAULT_QUEUE_NAME } from '../../core/queue/redis-connection';
import { DEFAULT_LIST_TTL_SECONDS } from '../../core/sources/platform';
import { PLATFORMS } from '../../core/sources/platform-registry';

export const SECTION = 'traceReplay';

/** `providers.<adapter id>.<key>`: what each adapter of the provider registry reads (its base URL,
 *  region, endpoint, API version), a string where empty means "not set". */
export type ProviderSettingKey = `providers.${string}.${ProviderSetting['key']}`;

interface FixedSettingTypes {
  storePath: string;
  'receiver.port': number;
  'receiver.autoStart': boolean;
  'receiver.maxBodyMB': number;
  'replay.maxConcurrent': number;
  /** Cost budget of the replays started together, in US dollars; 0: none (see replay-host.ts). */
  'replay.maxCostUsd': number;
  /** Samples per trace (issue 18): N with the overrides and, when N > 1, N without them (A/A). */
  'replay.repeat': number;
  'replay.toolDefinitionsPath': string;
  /** The default tool policy of the Replay Trace wizard (recorded | strict | live). */
  'replay.tools': string;
  'queue.redisUrl': string;
  'queue.name': string;
  'providers.endpoints': EndpointProfile[];
  models: string[];
  'prompts.fileGlob': string;
  'evaluators.configPath': string;
  'platforms.listCacheSeconds': number;
}

/** `<platform id>.connections` and `<platform id>.writeBack` for every platform of the registry
 *  (traceReplay.langfuse.connections, traceReplay.phoenix.writeBack, ...). */
export type PlatformSettingKey = `${string}.connections` | `${string}.writeBack`;

/** One entry of `traceReplay.<platform>.connections`: its name (shown in the source switcher;
 *  `default` uses the unnamed keys) and the platform's connection settings (baseUrl, project...);
 *  its keys are in SecretStorage (see api-keys.ts). */
export type PlatformConnectionSetting = { name: string } & Record<string, string>;

/** One OpenAI-compatible endpoint of `traceReplay.providers.endpoints` (Ollama, vLLM, OpenRouter...). */
export interface EndpointProfile {
  /** Provider name used in model specs (`<name>:<model>`) and for its key in SecretStorage. */
  name: string;
  baseUrl: string;
  /** Default false: local servers need no key. */
  apiKeyRequired?: boolean;
  /** Models offered for this endpoint in the Replay Trace model picker. */
  models?: string[];
}
type SettingTypes = FixedSettingTypes & { [K in ProviderSettingKey]: string } & {
  [K in `${string}.connections`]: PlatformConnectionSetting[];
} & { [K in `${string}.writeBack`]: boolean };
export type SettingKey = keyof FixedSettingTypes | ProviderSettingKey | PlatformSettingKey;

/** Every platform's connections (none) and write-back (on, as the CLI's replay does unless given
 *  --no-write-back). */
function platformSettingDefaults(): Record<PlatformSettingKey, PlatformConnectionSetting[] | boolean> {
  const out: Record<string, PlatformConnectionSetting[] | boolean> = {};
  for (const p of PLATFORMS) {
    out[`${p.id}.connections`] = [];
    if (p.capabilities.includes('writeBack')) out[`${p.id}.writeBack`] = true;
  }
  return out;
}

/** The provider settings of every registered adapter, each defaulting to '' (not set). */
function providerSettingDefaults(): Record<ProviderSettingKey, string> {
  const out: Record<ProviderSettingKey, string> = {};
  for (const adapter of pickerProviders()) {
    for (const s of providerSettings(adapter)) out[`providers.${adapter.id}.${s.key}`] = '';
  }
  return out;
}

/** The setting of one adapter's field, e.g. `providers.azure.endpoint`. */
export function providerSettingKey(adapterId: string, setting: ProviderSetting): ProviderSettingKey {
  return `providers.${adapterId}.${setting.key}`;
}

const FIXED_DEFAULTS: { readonly [K in keyof FixedSettingTypes]: FixedSettingTypes[K] } = {
  storePath: '.trace-replay',
  'receiver.port': 4318,
  'receiver.autoStart': false,
  'receiver.maxBodyMB': 16,
  'replay.maxConcurrent': 3,
  'replay.maxCostUsd': 0,
  'replay.repeat': 1,
  'replay.toolDefinitionsPath': '',
  'replay.tools': 'recorded',
  'queue.redisUrl': '',
  'queue.name': DEFAULT_QUEUE_NAME,
  'providers.endpoints': [],
  models: [
    'openai:gpt-4o-mini',
    'openai:gpt-4.1-mini',
    'openai:gpt-4o',
    'anthropic:claude-haiku-4-5',
    'anthropic:claude-sonnet-4-5',
  ],
  // One brace level only: VS Code globs do not nest braces.
  'prompts.fileGlob':
    '**/{*.prompt,*.prompt.txt,*.prompt.md,*.prompt.json,*.mustache,*.hbs,*.jinja,*.j2,prompts/**/*.txt,prompts/**/*.md,prompts/**/*.json}',
  'evaluators.configPath': '.trace-replay/evaluators.json',
  'platforms.listCacheSeconds': DEFAULT_LIST_TTL_SECONDS,
};

export const SETTING_DEFAULTS: { readonly [K in SettingKey]: SettingTypes[K] } = {
  ...providerSettingDefaults(),
  ...platformSettingDefaults(),
  ...FIXED_DEFAULTS,
} as { readonly [K in SettingKey]: SettingTypes[K] };

export function getSetting<K extends SettingKey>(key: K): SettingTypes[K] {
  const value = vscode.workspace.getConfiguration(SECTION).get<SettingTypes[K]>(key);
  const fallback = (SETTING_DEFAULTS[key] ?? '') as SettingTypes[K];
  // A hand-edited settings.json can hold the wrong type; fall back rather than pass it on.
  if (Array.isArray(fallback)) return (Array.isArray(value) ? value : fallback) as SettingTypes[K];
  return typeof value === typeof fallback ? (value as SettingTypes[K]) : fallback;
}

/** Full setting id, e.g. `traceReplay.receiver.port`, for messages and "Open Settings". */
export function settingId(key: SettingKey): string {
  return `${SECTION}.${key}`;
}

export function affectsSetting(event: vscode.ConfigurationChangeEvent, key: SettingKey): boolean {
  return event.affectsConfiguration(settingId(key));
}
