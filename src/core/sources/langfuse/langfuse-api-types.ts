// Response shapes of the Langfuse public API endpoints we read (test/fixtures/specs/langfuse/openapi.yml),
// with the documented differences of the running server: v2 observations carry the model in
// `model` (the OpenAPI names it `providedModelName`), and input/output are raw strings.

export type ObservationType =
  'GENERATION' | 'SPAN' | 'EVENT' | 'AGENT' | 'TOOL' | 'CHAIN' | 'RETRIEVER' | 'EVALUATOR' | 'EMBEDDING' | 'GUARDRAIL';

export type ObservationFieldGroup =
  'core' | 'basic' | 'time' | 'io' | 'metadata' | 'model' | 'usage' | 'prompt' | 'metrics' | 'trace_context';

export interface ObservationV2 {
  id: string;
  traceId: string | null;
  startTime: string;
  endTime: string | null;
  projectId: string;
  parentObservationId: string | null;
  type: string;
  isRootObservation?: boolean | null;
  name?: string | null;
  level?: 'DEBUG' | 'DEFAULT' | 'WARNING' | 'ERROR' | null;
  statusMessage?: string | null;
  version?: string | null;
  environment?: string | null;
  userId?: string | null;
  sessionId?: string | null;
  completionStartTime?: string | null;
  createdAt?: string | null;
  updatedAt?: string | null;
  input?: unknown;
  output?: unknown;
  metadata?: unknown;
  /** What the server sends. */
  model?: string | null;
  /** What the OpenAPI file documents. */
  providedModelName?: string | null;
  internalModelId?: string | null;
  modelParameters?: unknown;
  usageDetails?: Record<string, number> | null;
  costDetails?: Record<string, number> | null;
  totalCost?: number | null;
  promptId?: string | null;
  promptName?: string | null;
  promptVersion?: number | null;
  latency?: number | null;
  timeToFirstToken?: number | null;
  traceName?: string | null;
  tags?: string[] | null;
  release?: string | null;
}

export interface ObservationsV2Response {
  data: ObservationV2[];
  meta: { cursor?: string | null };
}

export interface ObservationQuery {
  fields?: ObservationFieldGroup[];
  limit?: number;
  cursor?: string;
  traceId?: string;
  name?: string;
  type?: string;
  userId?: string;
  sessionId?: string;
  level?: string;
  environment?: string[];
  isRootObservation?: boolean;
  parentObservationId?: string;
  /** ISO 8601. */
  fromStartTime?: string;
  toStartTime?: string;
  version?: string;
  expandMetadata?: string[];
}

export type ScoreDataType = 'NUMERIC' | 'BOOLEAN' | 'CATEGORICAL' | 'TEXT' | 'CORRECTION';

export interface ScoreV3 {
  id: string;
  projectId: string;
  name: string;
  source: 'ANNOTATION' | 'API' | 'EVAL';
  dataType: ScoreDataType;
  value: number | boolean | string;
  timestamp: string;
  environment: string;
  createdAt: string;
  updatedAt: string;
  comment?: string | null;
  configId?: string | null;
  metadata?: Record<string, unknown> | null;
  subject?: { kind: 'trace' | 'observation' | 'session' | 'experiment'; id: string; traceId?: string | null } | null;
}

export interface GetScoresV3Response {
  data: ScoreV3[];
  meta: { limit: number; cursor?: string | null };
}

export interface LangfuseChatMessage {
  role?: string;
  content?: string;
  type?: 'chatmessage' | 'placeholder' | null;
  name?: string;
}

export interface LangfusePrompt {
  type: 'text' | 'chat';
  name: string;
  version: number;
  prompt: string | LangfuseChatMessage[];
  config: unknown;
  labels: string[];
  tags: string[];
  commitMessage?: string | null;
}

export interface PromptMeta {
  name: string;
  type: 'text' | 'chat';
  versions: number[];
  labels: string[];
  tags: string[];
  lastUpdatedAt: string;
  lastConfig: unknown;
}

export interface PromptMetaListResponse {
  data: PromptMeta[];
  meta: { page: number; limit: number; totalItems: number; totalPages: number };
}
