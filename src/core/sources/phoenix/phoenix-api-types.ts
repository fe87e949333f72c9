// The parts of Arize Phoenix's REST API (OpenAPI "Arize-Phoenix REST API 1.0",
// test/fixtures/specs/phoenix/openapi.json) this platform reads and writes. Field names are the
// API's (snake_case). Only what is used is typed; the rest of each object is ignored.

/** Every list endpoint: a page and the cursor of the next one (null on the last page). */
export interface PhoenixPage<T> {
  data: T[];
  next_cursor: string | null;
}

export interface PhoenixProject {
  /** A GlobalID ("UHJvamVjdDox"), used in the UI's URLs. */
  id: string;
  name: string;
  description?: string | null;
}

/** GET /v1/projects/{id}/traces (TraceData). */
export interface PhoenixTraceData {
  id: string;
  trace_id: string;
  project_id: string;
  start_time: string;
  end_time: string;
  token_count_prompt?: number;
  token_count_completion?: number;
  token_count_total?: number;
  /** With include_spans=true (TraceSpanData: no attributes). */
  spans?: PhoenixTraceSpanData[] | null;
}

export interface PhoenixTraceSpanData {
  id: string;
  span_id: string;
  parent_id: string | null;
  name: string;
  span_kind: string;
  status_code: string;
  start_time: string;
  end_time: string;
}

/** GET /v1/projects/{id}/spans (Span). `attributes` are flattened to dotted keys by Phoenix
 *  (list indices as segments), without `openinference.span.kind`, which is `span_kind`. */
export interface PhoenixSpan {
  id?: string;
  name: string;
  context: { trace_id: string; span_id: string };
  span_kind: string;
  parent_id?: string | null;
  start_time: string;
  end_time: string;
  status_code: string;
  status_message?: string;
  attributes?: Record<string, unknown>;
  events?: { name: string; timestamp: string; attributes?: Record<string, unknown> }[];
}

export interface PhoenixSpanQuery {
  trace_id?: string[];
  span_id?: string[];
  parent_id?: string;
  name?: string[];
  /** OpenInference kinds: LLM, CHAIN, TOOL, AGENT, RETRIEVER, ... */
  span_kind?: string[];
  start_time?: string;
  end_time?: string;
  limit?: number;
  cursor?: string;
}

export interface PhoenixTraceQuery {
  start_time?: string;
  end_time?: string;
  sort?: 'start_time' | 'latency_ms';
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
  include_spans?: boolean;
}

export interface PhoenixPrompt {
  id: string;
  name: string;
  description?: string | null;
}

export type PhoenixPromptContentPart =
  | { type: 'text'; text: string }
  | { type: 'tool_call'; tool_call_id: string; tool_call: unknown }
  | { type: 'tool_result'; tool_call_id: string; tool_result: unknown };

export interface PhoenixPromptMessage {
  role: 'user' | 'assistant' | 'model' | 'ai' | 'tool' | 'system' | 'developer';
  content: string | PhoenixPromptContentPart[];
}

export type PhoenixPromptTemplate =
  { type: 'chat'; messages: PhoenixPromptMessage[] } | { type: 'string'; template: string };

export type PhoenixTemplateFormat = 'MUSTACHE' | 'F_STRING' | 'NONE';

export interface PhoenixPromptVersion {
  /** A GlobalID ("UHJvbXB0VmVyc2lvbjox"). */
  id: string;
  description?: string | null;
  model_provider: string;
  model_name: string;
  template: PhoenixPromptTemplate;
  template_type: 'STR' | 'CHAT';
  template_format: PhoenixTemplateFormat;
  invocation_parameters?: unknown;
  tools?: unknown;
  response_format?: unknown;
}

export interface PhoenixPromptVersionTag {
  id: string;
  name: string;
  description?: string | null;
}

export type PhoenixAnnotatorKind = 'LLM' | 'CODE' | 'HUMAN';

export interface PhoenixAnnotationResult {
  label?: string | null;
  score?: number | null;
  explanation?: string | null;
}

interface PhoenixAnnotationBase {
  name: string;
  annotator_kind: PhoenixAnnotatorKind;
  result?: PhoenixAnnotationResult | null;
  metadata?: Record<string, unknown> | null;
  /** Annotations with the same name, target and identifier are updated, not duplicated. */
  identifier?: string;
}

export interface PhoenixSpanAnnotationData extends PhoenixAnnotationBase {
  span_id: string;
}

export interface PhoenixTraceAnnotationData extends PhoenixAnnotationBase {
  trace_id: string;
}

export interface PhoenixSpanAnnotation extends PhoenixSpanAnnotationData {
  id: string;
  source?: 'API' | 'APP';
}

export interface PhoenixTraceAnnotation extends PhoenixTraceAnnotationData {
  id: string;
  source?: 'API' | 'APP';
}
