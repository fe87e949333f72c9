// Shapes shared by the fake LLM server and the three wire-protocol renderers.

export type FakeApi =
  | 'chat.completions'
  | 'responses'
  | 'anthropic.messages'
  | 'count_tokens'
  | 'gemini.generate_content'
  | 'bedrock.converse';

export interface FakeUsage {
  /** Put verbatim in the provider's input field (prompt_tokens / input_tokens). For OpenAI this
   *  number already includes cacheRead, as on the real wire; for Anthropic cacheRead comes on top. */
  input: number;
  output: number;
  cacheRead: number;
  /** Anthropic only (cache_creation_input_tokens). */
  cacheWrite: number;
  reasoning: number;
}

export interface FakeToolCall {
  id?: string;
  name: string;
  /** Serialized with JSON.stringify unless already a string. */
  arguments: unknown;
}

/** What the next model call answers. Everything is optional; missing parts get deterministic defaults. */
export interface FakeReply {
  text?: string;
  toolCalls?: FakeToolCall[];
  /** Provider-native value (OpenAI `stop`/`tool_calls`/`length`, Anthropic `end_turn`/`tool_use`/`max_tokens`). */
  finishReason?: string;
  usage?: Partial<FakeUsage>;
  /** Response model; defaults to the requested model. */
  model?: string;
  /** HTTP error status to inject (401, 429, 500, 503, 529...), answered with the provider's error JSON. */
  status?: number;
  /** Seconds; sets the retry-after header on the reply. */
  retryAfter?: number;
  /** Latency before the response headers are sent. */
  delayMs?: number;
  /** The reply waits for this promise to settle (after delayMs), so tests can hold calls open
   *  deterministically, e.g. to observe concurrency. */
  hold?: Promise<unknown>;
  /** Pause between streamed events. */
  chunkDelayMs?: number;
  /** Bedrock ConverseStream only: after the content, an exception event of this HTTP status's kind
   *  (429 -> throttlingException, 400 -> validationException, 500 -> internalServerException, 503 ->
   *  serviceUnavailableException, else modelStreamErrorException) instead of messageStop/metadata. */
  streamException?: number;
}

export interface RecordedRequest {
  api: FakeApi;
  method: string;
  path: string;
  /** Lowercased header names; authorization / x-api-key / api-key values replaced by REDACTED. */
  headers: Record<string, string>;
  /** Parsed JSON body (undefined when the body was empty or not JSON). */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests index into recorded bodies freely
}

export type FakeResponder = (request: RecordedRequest) => FakeReply | undefined;

/** A reply with every default filled in, handed to a wire renderer. */
export interface ResolvedReply {
  text: string;
  toolCalls: { id: string; name: string; arguments: string }[];
  finishReason?: string;
  usage: FakeUsage;
  model: string;
  chunkDelayMs: number;
}

/** One server-sent event: `event:` line (omitted for OpenAI chat) and the JSON (or raw) data. */
export interface SseFrame {
  event?: string;
  data: string;
}
