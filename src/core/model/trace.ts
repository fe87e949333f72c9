// The normalized trace model. Every source (OTLP receiver, file import, Langfuse) produces these
// shapes; the replay engine, evaluators, comparison, CLI and extension only ever read these.
// Raw attributes are kept on every span so nothing a normalizer did not understand is lost.

/** An OTLP attribute value after decoding (AnyValue flattened to JSON). int64 becomes a number
 *  when it is a safe integer, otherwise a decimal string. */
export type AttrValue = string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue };
export type Attributes = Record<string, AttrValue>;

export type SpanKind = 'llm' | 'tool' | 'retrieval' | 'embedding' | 'agent' | 'chain' | 'other';

export interface SpanStatus {
  code: 'unset' | 'ok' | 'error';
  message?: string;
}

export interface SpanEvent {
  name: string;
  timeUnixNano: string;
  attributes: Attributes;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  attributes?: Attributes;
}

/** A span as decoded from OTLP, before any semantic interpretation. */
export interface RawSpan {
  traceId: string; // 32 lowercase hex chars
  spanId: string; // 16 lowercase hex chars
  parentSpanId?: string;
  name: string;
  /** OTel SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  otelKind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Attributes;
  events: SpanEvent[];
  links: SpanLink[];
  status: SpanStatus;
  resource: Attributes;
  scope: { name: string; version?: string };
}

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export interface TextPart {
  type: 'text';
  text: string;
}
export interface ImagePart {
  type: 'image';
  /** http(s) or data: URL when recorded as a URL. */
  url?: string;
  /** base64 payload when recorded inline. */
  data?: string;
  mediaType?: string;
}
export interface ToolCallPart {
  type: 'tool_call';
  id?: string;
  name: string;
  /** Parsed JSON arguments when they parse, else the raw string as recorded. */
  arguments: unknown;
}
export interface ToolResultPart {
  type: 'tool_result';
  toolCallId?: string;
  /** The tool's result as text (JSON results are kept as their JSON text). */
  content: string;
  isError?: boolean;
}
export interface ReasoningPart {
  type: 'reasoning';
  text: string;
}
/** Anything a normalizer saw but has no typed shape for; kept so nothing is silently dropped. */
export interface OtherPart {
  type: 'other';
  value: unknown;
}
export type MessagePart = TextPart | ImagePart | ToolCallPart | ToolResultPart | ReasoningPart | OtherPart;

export interface Message {
  role: Role;
  parts: MessagePart[];
  /** Optional participant / function name. */
  name?: string;
}

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments. */
  parameters?: Record<string, unknown>;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'tool'; name: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name?: string; schema?: Record<string, unknown>; strict?: boolean };

export interface ModelParameters {
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  seed?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  n?: number;
  reasoningEffort?: string;
  /** Recorded parameters with no typed field here (e.g. OpenInference invocation parameters). */
  extra?: Record<string, unknown>;
}

export interface LlmOutput {
  text: string;
  toolCalls: ToolCallPart[];
  finishReason?: string;
  reasoning?: string;
}

export interface Usage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
  /** True when inputTokens already counts the cache read/write tokens (OpenAI, OTel semconv);
   *  false when they come on top (Anthropic's native usage). */
  inputIncludesCache: boolean;
}

export interface PromptLink {
  name?: string;
  version?: string;
  label?: string;
  /** Template text, or chat-template messages as recorded. */
  template?: string | { role: string; content: string }[];
  variables?: Record<string, unknown>;
  /** Which convention the link was read from. */
  source?: 'semconv' | 'openinference' | 'traceloop' | 'langfuse' | 'vercel';
}

/** The API a call was recorded with / is sent through: OpenAI Chat Completions and Responses (also
 *  Azure OpenAI and OpenAI-compatible servers), Anthropic Messages, Gemini generateContent (Google AI
 *  and Vertex AI) and Bedrock Converse. */
export type LlmApi =
  'chat.completions' | 'responses' | 'anthropic.messages' | 'gemini.generate_content' | 'bedrock.converse' | 'unknown';

export interface LlmCall {
  /** Normalized lowercase provider name: openai, anthropic, azure.ai.openai, aws.bedrock, ... */
  provider?: string;
  api: LlmApi;
  requestModel?: string;
  responseModel?: string;
  /** Conversation sent to the model, system instructions first, in recorded order. */
  messages: Message[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  responseFormat?: ResponseFormat;
  parameters: ModelParameters;
  output: LlmOutput;
  usage?: Usage;
  costUsd?: number;
  timeToFirstTokenMs?: number;
  streamed?: boolean;
  responseId?: string;
  prompt?: PromptLink;
}

/** Recorded input/output of a non-LLM span (tool, retrieval, ...), reused verbatim on replay. */
export interface SpanIo {
  input?: unknown;
  output?: unknown;
}

export interface Span {
  id: string;
  traceId: string;
  parentId?: string;
  name: string;
  kind: SpanKind;
  /** Epoch milliseconds (fractional); the exact nanosecond values are kept below. */
  startTime: number;
  endTime: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status: SpanStatus;
  attributes: Attributes;
  events: SpanEvent[];
  links?: SpanLink[];
  otelKind?: number;
  scope?: { name: string; version?: string };
  /** OTLP resource attributes of the span's producer (added by the normalizer so assembleTrace can
   *  name the service; spans from one resource share the same object in memory). */
  resource?: Attributes;
  /** Conventions recognized on this span, e.g. ['gen_ai', 'openinference']. */
  conventions: string[];
  llm?: LlmCall;
  /** When a span looked like an LLM call but wraps another LLM span (an instrumentation around a
   *  real call), it is demoted to `chain` and its reading is kept here: replaying it would pay twice. */
  wrappedLlm?: LlmCall;
  /** Tool name for tool spans. */
  toolName?: string;
  io?: SpanIo;
  /** What a normalizer could not read (bad JSON in an attribute, ...). Never fatal. */
  warnings?: string[];
  /** Only on spans of a trace produced by a replay (see Trace.replayOf): what the replay did here. */
  replay?: SpanReplayInfo;
}

/** Per-span replay outcome, copied from the replay job's span result into the replayed trace. */
export interface SpanReplayInfo {
  /** The span of the original trace this one replays. */
  originalSpanId: string;
  /** replayed: the LLM call was sent again (or the tool ran live); reused: recorded result copied
   *  (tool, retrieval, structure); failed / cancelled: the LLM call did not produce a new answer (the
   *  span carries no output). */
  status: 'replayed' | 'reused' | 'failed' | 'cancelled' | 'missing';
  /** A span the replay added: live tools let the agent take a step the recording does not have
   *  (originalSpanId is then empty: it has no recorded counterpart). Recorded steps the live run did
   *  not take (job status `missing`) are left out of the replayed trace. */
  new?: true;
  warnings: string[];
  error?: string;
  /** Served from the replay response cache. */
  cached?: boolean;
  /** The replayed model asked for other tools/arguments than recorded (the replay continued with the
   *  recorded tool results). `first` marks the first span of the run where this happened. */
  divergence?: { message: string; first: boolean };
}

export interface ReplayLink {
  originalTraceId: string;
  replayId: string;
}

export interface Trace {
  id: string;
  name: string;
  startTime: number;
  endTime: number;
  serviceName?: string;
  resource?: Attributes;
  /** Spans in start order (parents before children when they start together). */
  spans: Span[];
  /** Set on traces produced by a replay. */
  replayOf?: ReplayLink;
  /** Set on a local copy of a trace read from a remote platform (absent for traces recorded or
   *  imported here), so replays of it can be written back and its platform scores found. */
  source?: TraceOrigin;
}

/** Where a local copy of a remote trace came from. */
export interface TraceOrigin {
  /** The platform's id ('langfuse', 'phoenix'; see src/core/sources/platform-registry.ts). */
  kind: string;
  /** Connection name ('default' for the platform's unnamed <PREFIX>_* environment variables). */
  connection: string;
  baseUrl: string;
  /** The platform's own trace id (the local copy's id may differ when that id is not file-safe). */
  traceId: string;
  /** The trace's page in the platform's UI, when known. */
  url?: string;
}

/** What the trace list shows; kept in the store index so listing never reads trace documents. */
export interface TraceSummary {
  id: string;
  name: string;
  startTime: number;
  durationMs: number;
  spanCount: number;
  llmSpanCount: number;
  /** Spans whose status is error (absent: none, or an index written before it was counted). */
  errorSpanCount?: number;
  models: string[];
  inputTokens: number;
  outputTokens: number;
  costUsd?: number;
  promptNames: string[];
  serviceName?: string;
  replayOf?: ReplayLink;
  updatedAt: number;
}
