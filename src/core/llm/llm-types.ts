// The contract between the replay engine (src/core/replay) and the provider layer (src/core/llm).
// The engine decides WHAT to send (a neutral LlmCall with overrides applied, and a target model);
// the provider layer decides HOW: it builds the exact provider request, sends it through the
// official SDK, and reads the answer back into the neutral model.
import type { LlmApi, LlmCall, LlmOutput, Usage } from '../model/trace';

/** Where a call goes. `provider` is the name of a configured connection: an adapter id of the
 *  provider registry (openai, anthropic, azure, offline, ...) or an OpenAI-compatible endpoint
 *  profile (ollama, vllm, openrouter, ...). */
export interface ModelTarget {
  provider: string;
  model: string;
  /** Which API to use; defaults to the recorded API when the provider serves it, else the provider's native one. */
  api?: LlmApi;
  /** How the target was chosen when that was a guess or a fallback (a recorded Bedrock Claude call
   *  sent to Anthropic because Bedrock is not configured); build() adds them to the request's warnings. */
  warnings?: string[];
}

/** An adapter id of the provider registry. The names listed are the ones shipped; the type stays
 *  open so that a new provider is its folder and one registry line. */
export type ProviderKind =
  'openai' | 'anthropic' | 'gemini' | 'bedrock' | 'azure' | 'openai-compatible' | 'offline' | (string & {});

/** Connection settings of one provider or endpoint profile. Keys never go into the store or logs. */
export interface ProviderConfig {
  /** The id of its adapter in the provider registry (provider-registry.ts): openai | anthropic |
   *  gemini | bedrock | azure | openai-compatible | offline (the built-in deterministic stand-in, no
   *  network) | any adapter added later. */
  kind: ProviderKind;
  /** The API base URL; for Azure OpenAI the resource endpoint (https://<resource>.openai.azure.com). */
  baseURL?: string;
  apiKey?: string;
  /** For openai-compatible profiles that need no key (local Ollama, vLLM). */
  keyOptional?: boolean;
  /** Where the key comes from, named in the missing-key error: a setting or an env var. */
  keySource?: string;
  /** AWS region (Bedrock). */
  region?: string;
  /** Azure OpenAI api-version (e.g. 2024-10-21). */
  apiVersion?: string;
  /** Azure OpenAI deployment name, when it is not the model name. */
  deployment?: string;
  /** Extra headers. */
  headers?: Record<string, string>;
  /** Per-request timeout in ms. */
  timeoutMs?: number;
  /** SDK retries on 429/5xx/timeouts (the SDKs honour retry-after with backoff). */
  maxRetries?: number;
}

export type ProviderConfigs = Record<string, ProviderConfig>;

/** The exact request the provider layer built for a call, before it is sent. */
export interface BuiltRequest {
  provider: string;
  api: LlmApi;
  /** The body as the SDK will send it (JSON-serializable). */
  body: Record<string, unknown>;
  /** Whether the call streams (recorded streamed calls are replayed streamed, to measure TTFT). */
  stream: boolean;
  /** Everything that could not be carried over exactly (lossy cross-provider translation,
   *  parameters the target does not accept, ...). Never silently dropped. */
  warnings: string[];
}

export interface LlmExecution {
  output: LlmOutput;
  usage?: Usage;
  responseModel?: string;
  responseId?: string;
  /** Provider time: from sending the request to the last byte. */
  durationMs: number;
  timeToFirstTokenMs?: number;
  streamed: boolean;
  /** How many times the SDK retried (429/5xx/timeouts) before this answer; 0 when the first try
   *  answered. (Added by the provider layer; optional so older producers stay valid.) */
  retries?: number;
  /** What the reader noticed about the answer (extra choices ignored, no usage in a stream, ...). */
  warnings?: string[];
}

export interface ExecuteOptions {
  signal?: AbortSignal;
}

/** The provider layer as the engine sees it. */
export interface LlmGateway {
  /** Builds the provider request for `call` sent to `target`. Pure; throws typed errors
   *  (MissingApiKeyError, UnknownProviderError) only from execute(). */
  build(call: LlmCall, target: ModelTarget): BuiltRequest;
  /** Sends a built request through the official SDK and reads the answer. */
  execute(request: BuiltRequest, target: ModelTarget, options?: ExecuteOptions): Promise<LlmExecution>;
}
