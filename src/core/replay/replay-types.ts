// The replay domain as the queue persists it (store collection `replays`) and as the CLI and the
// extension read it. A ReplayJob document is the trace's replay history entry.
import type { EvaluationResult } from '../eval/evaluation-types';
import type { LlmOutput, SpanKind, ToolCallPart, Usage } from '../model/trace';
import type { TemplateRef } from '../prompts/template-ref';
import type { ReplaySample } from './replay-samples';

export type ReplayMode = 'independent' | 'chained';

/** Where a replayed tool call gets its result: `recorded` (default) the recorded result, a
 *  divergence is flagged and the replay goes on; `strict` a divergence stops the job there (FAILED,
 *  TOOL_CALLS_DIVERGED); `live` the call runs on an MCP server (ReplayServices.toolHost, see
 *  live-replay.ts) and the agent goes on from the live result. */
export type ToolPolicy = 'recorded' | 'strict' | 'live';

export interface ReplayOverrides {
  /** `provider:model` (e.g. `anthropic:claude-sonnet-4-5`, `ollama:llama3.2`) or a bare model name
   *  resolved by its known prefix. Absent: each span keeps its recorded provider and model. */
  model?: string;
  /** Merged over the recorded parameters. Keys: temperature, max_tokens|maxTokens, top_p|topP,
   *  top_k|topK, stop, seed, frequency_penalty, presence_penalty, reasoning_effort, n; any other key
   *  goes to parameters.extra; a null value removes the recorded parameter. */
  parameters?: Record<string, unknown>;
  /** A new version of the prompt: a template file, or a prompt version kept on a platform. It
   *  replaces the messages that came from the recorded version. (Jobs stored before 0.2 had
   *  `templatePath`; replay-history upgrades them on read.) */
  template?: TemplateRef;
  /** Spans the template applies to; absent: the spans linked to the template (see
   *  core/prompts/template-link.ts). */
  templateSpanIds?: string[];
  /** Tool definitions (OpenAI, Anthropic or JSON-Schema form) for spans that called tools but
   *  recorded no definitions; used after the definitions recorded elsewhere in the trace or store. */
  toolsPath?: string;
  /** Default `independent`; `chained` whenever fromSpanId is set (independent with it is refused). */
  mode?: ReplayMode;
  /** Replay from this LLM span (`--from-span`): spans that ended before it started keep their
   *  recorded output (nothing sent), it and every later LLM span are replayed, chained. */
  fromSpanId?: string;
  /** How replayed tool calls get their results (CLI `--tools recorded|strict|live`); absent: recorded. */
  toolPolicy?: ToolPolicy;
  /** Live tools: the most extra LLM calls the agent may make (`--max-steps`, default 20). */
  maxSteps?: number;
  /** Response cache; default on (it only ever serves temperature-0 or seeded requests). */
  cache?: boolean;
}

export type ReplayJobStatus = 'PENDING' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED';
/** `missing`: live tools only, a recorded step the live run did not take (it is not in the replayed trace). */
export type ReplaySpanStatus = 'replayed' | 'reused' | 'failed' | 'cancelled' | 'missing';

/** The replayed model asked for other tools (or other arguments) than the recording; the replay
 *  went on with the recorded tool results. */
export interface ToolCallDivergence {
  recorded: Pick<ToolCallPart, 'name' | 'arguments'>[];
  replayed: Pick<ToolCallPart, 'name' | 'arguments'>[];
  message: string;
  /** True on the first span of the job where the run diverged. */
  first: boolean;
}

/** Where the result of one replayed tool call came from: the recording, a live tool call, or none
 *  (a call the recording never made, answered by nothing). */
export type ToolResultSource = 'recorded' | 'live' | 'none';

/** What one sent (or cached) LLM call produced. */
export interface ReplayExecutionSummary {
  provider: string;
  api: string;
  model: string;
  responseModel?: string;
  responseId?: string;
  output: LlmOutput;
  usage?: Usage;
  /** Null when the model has no price data; see costReason. */
  costUsd: number | null;
  costReason?: string;
  /** Cost of the recorded call, for the comparison (null with a reason when unknown). */
  originalCostUsd: number | null;
  originalCostReason?: string;
  /** Provider time (request sent to last byte); for a cache hit, the time of the cached call. */
  durationMs: number;
  timeToFirstTokenMs?: number;
  streamed: boolean;
}

export interface ReplaySpanResult {
  originalSpanId: string;
  replaySpanId: string;
  kind: SpanKind;
  status: ReplaySpanStatus;
  warnings: string[];
  error?: string;
  /** Served from the response cache. */
  cached?: boolean;
  divergence?: ToolCallDivergence;
  /** Per tool call of the replayed answer (same index as execution.output.toolCalls): where the result
   *  the replay went on with came from. Written by a replay that runs tools (live); absent, the
   *  comparison applies the recorded policy (a call paired with a recorded one got its recorded result). */
  toolResults?: ToolResultSource[];
  /** The span the replay forked at (overrides.fromSpanId). */
  forkPoint?: boolean;
  execution?: ReplayExecutionSummary;
  startedAt?: string;
  finishedAt?: string;
}

export interface ReplayJob {
  id: string;
  traceId: string;
  /** Set once the replayed trace is written. */
  replayTraceId?: string;
  status: ReplayJobStatus;
  /** The queue (process) running it, see queue-owner.ts; absent in jobs written before leases. */
  owner?: string;
  /** Set when the job runs on the workers of a Redis queue (`redis://host:port#queue`, password
   *  redacted, see core/queue): a local queue never resumes it. */
  queue?: string;
  overrides: ReplayOverrides;
  /** One of several samples of the trace (`--repeat`, `--baseline-repeat`; see replay-samples.ts). */
  sample?: ReplaySample;
  /** ISO timestamps. */
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Time between being queued (or resumed) and starting. */
  queueWaitMs?: number;
  /** Sum of provider time of the calls actually sent (cache hits and reused results count 0). */
  providerMs: number;
  /** One entry per span of the original trace, in start order, filled in as the job runs. */
  spans: ReplaySpanResult[];
  error?: string;
  /** Typed error code when the job failed as a whole (TRACE_NOT_FOUND, MISSING_API_KEY, ...). */
  errorCode?: string;
  /** Live tools: why the agent stopped before its final answer (max steps, a tool with no result);
   *  the job ends FAILED with it (LIVE_TOOLS_STOPPED) once the replayed trace is written. */
  liveStopped?: string;
  /** How many times the job was resumed after an interruption. */
  resumed?: number;
  /** Scores of the original and the replayed trace by the same evaluators, computed in the job
   *  once the replayed trace exists (absent when evaluation was off or the job did not get there). */
  evaluation?: EvaluationResult;
}

export type ReplayEvent =
  | { type: 'job-queued'; job: ReplayJob }
  | { type: 'job-started'; job: ReplayJob }
  | { type: 'span-started'; job: ReplayJob; originalSpanId: string }
  | { type: 'span-finished'; job: ReplayJob; result: ReplaySpanResult }
  | { type: 'job-finished'; job: ReplayJob };

export const TERMINAL_STATUSES: ReadonlySet<ReplayJobStatus> = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);
