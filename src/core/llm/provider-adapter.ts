// The one seam between the provider layer and each provider: everything that differs from one
// provider to the next (its APIs, how a neutral LlmCall becomes its request, how its answer and
// stream are read, how its SDK errors map, where its key and base URL come from, its price-table
// id) lives in one adapter module in its own folder. The registry (provider-registry.ts) lists the
// adapters; the gateway, the CLI and the extension only ever go through it, so a new provider is
// its folder + one registry line + its tests.
import type { LlmApi, Message, ModelParameters } from '../model/trace';
import type { BuiltRequest, ProviderConfig, ProviderConfigs } from './llm-types';
import type { BuildContext, Json } from './request-common';
import type { Clock, ReadResult } from './response-common';

/** How a provider authenticates. */
export type CredentialKind =
  /** One secret key (SecretStorage in VS Code, an env var in the CLI). */
  | 'api-key'
  /** The standard AWS credential chain (env, shared config/SSO, instance role) and a region. */
  | 'aws'
  /** Nothing (the offline stand-in, local OpenAI-compatible servers). */
  | 'none';

/** A VS Code setting `traceReplay.providers.<id>.<key>` and the ProviderConfig field it fills
 *  (declared in package.json's contributes.configuration with the same key). */
export interface ProviderSetting {
  key: 'baseUrl' | 'endpoint' | 'region' | 'apiVersion' | 'deployment';
  field: 'baseURL' | 'region' | 'apiVersion' | 'deployment';
}

/** What a send needs besides the request. */
export interface SendContext {
  signal?: AbortSignal;
  /** Monotonic clock for time-to-first-token. */
  now: Clock;
}

/** One provider behind the registry. `C` is its SDK client type. */
export interface ProviderAdapter<C = unknown> {
  /** Registry id, also the provider name in model specs (`gemini:gemini-2.5-flash`) and ProviderConfig.kind. */
  readonly id: string;
  /** Shown in pickers and messages ("Google Gemini"). */
  readonly displayName: string;
  /** The APIs it serves; the first is its native one (sent when the recorded API is not served). */
  readonly apis: readonly LlmApi[];
  /** Normalized recorded provider names (gen_ai.provider.name after normalizeProvider) it replays,
   *  e.g. ['gcp.gemini', 'gcp.vertex_ai'] for Gemini. */
  readonly recordedProviders: readonly string[];
  /** Bare model names that belong to it (`gemini-2.5-flash` -> gemini). */
  readonly modelPrefixes: readonly RegExp[];
  readonly credentials: CredentialKind;
  /** Env vars holding the key, preferred first (the CLI's source; the extension's fallback). */
  readonly keyEnvVars: readonly string[];
  /** Env var for the base URL / endpoint (CLI), e.g. GEMINI_BASE_URL. */
  readonly baseUrlEnvVar?: string;
  readonly defaultBaseURL?: string;
  /** Id under which VS Code keeps its key in SecretStorage. */
  readonly secretId: string;
  /** Provider id in @pydantic/genai-prices' table. */
  readonly priceProviderId?: string;
  /** Model parameters the API accepts; others are dropped with a per-span warning. */
  readonly parameters: ReadonlySet<keyof ModelParameters>;
  /** Models offered in the VS Code model picker. */
  readonly suggestedModels?: readonly string[];

  /** Optional: the APIs a recorded call keeps when the target asks for none (default: `apis`); an
   *  OpenAI-compatible server is sent chat.completions unless the responses API is asked for. */
  readonly replayApis?: readonly LlmApi[];
  /** Optional: the VS Code settings it reads (default: `baseUrl` when it has a baseUrlEnvVar or a
   *  defaultBaseURL, and `region` for 'aws' credentials). */
  readonly settings?: readonly ProviderSetting[];

  /** The connection from the environment (the CLI), or undefined when the provider is not set up
   *  and should not be listed. Keys stay in the config only, never in the store or logs. */
  configFromEnv(env: NodeJS.ProcessEnv): ProviderConfig | undefined;
  /** Optional, for an adapter with several named connections (the OpenAI-compatible endpoint
   *  profiles): all of them from the environment, by name; configFromEnv is then not used. */
  configsFromEnv?(env: NodeJS.ProcessEnv): ProviderConfigs;
  /** Optional: the model name under which this provider serves a model recorded on another one
   *  (Claude on Bedrock or Vertex -> its Anthropic API name), or undefined. Used, with a warning,
   *  only when the recorded provider is not configured. */
  fallbackModel?(recordedProvider: string, model: string): string | undefined;
  /** The request body for `ctx.api` (one of `apis`) from the paired messages. Pure. */
  buildBody(ctx: BuildContext, messages: Message[]): Json;
  /** The official SDK client for a config; `fetch` counts retries (pass it to the SDK where it takes one). */
  createClient(config: ProviderConfig, fetch: typeof globalThis.fetch): C;
  /** Sends the built request through the SDK and reads the answer (JSON or stream). */
  send(client: C, request: BuiltRequest, ctx: SendContext): Promise<ReadResult>;
  /** SDK errors -> ProviderRequestError / RequestAbortedError; anything else returned unchanged. */
  mapError(
    err: unknown,
    provider: string,
    retries: number,
    signal: AbortSignal | undefined,
    config: ProviderConfig,
  ): unknown;
}
