// The one typed message protocol between the extension host and the webview panels. Both sides
// import this file (the webview bundle and the static HTML report too). Each message is a typed
// constant; dispatch goes through `isMessage`, never a `switch` over `any`. The host posts nothing
// before the webview's `ready` (the handshake). Only type imports from src/core: this file must
// stay free of runtime dependencies so the browser bundle stays small.
import type { BatchJson, ComparisonJson } from './core/compare/render-json';
import type { Message, PromptLink, SpanKind, ToolDefinition, Usage } from './core/model/trace';
import type { TemplateRef } from './core/prompts/template-ref';

export interface MessageType<Name extends string, Params> {
  readonly method: Name;
  /** Phantom field that carries the params type; never set at runtime. */
  readonly _params?: Params;
}

function messageType<Params>() {
  return <Name extends string>(method: Name): MessageType<Name, Params> => ({ method });
}

export interface Envelope<Params = unknown> {
  method: string;
  params: Params;
}

export type ParamsOf<T> = T extends MessageType<string, infer P> ? P : never;

export function isMessage<T extends MessageType<string, unknown>>(
  type: T,
  message: unknown,
): message is Envelope<ParamsOf<T>> {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as Envelope).method === type.method &&
    typeof (message as Envelope).params === 'object' &&
    (message as Envelope).params !== null
  );
}

export function envelope<T extends MessageType<string, unknown>>(type: T, params: ParamsOf<T>): Envelope<ParamsOf<T>> {
  return { method: type.method, params };
}

// ---- data shapes carried by the messages

/** Panel kinds: the value of `webview/ready`'s `panel`, and of `<body data-panel>`. */
export type PanelKind = 'comparison' | 'batch' | 'trace';

/** One replay of a trace, as the history lists show it. */
export interface ReplayHistoryEntry {
  jobId: string;
  /** ISO time. */
  createdAt: string;
  status: 'PENDING' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED';
  /** The model override (`provider:model`), when there was one. */
  model?: string;
  /** The template override (a file, or a platform's prompt version). */
  template?: TemplateRef;
  error?: string;
}

/** Where the scores a trace platform attached (comparison.platformScores) stand: read when the
 *  panel opens and on its Refresh only, since the platform scores asynchronously and rate-limits. */
export interface PlatformScoresStatus {
  /** Who scored, as people know it: "Langfuse prod (cloud.langfuse.com)". */
  platform: string;
  /** reading: a read is in flight; read: `readAt` says when; failed: `error` (one sentence) says
   *  why, and the scores of an earlier read, if any, are still shown. */
  state: 'unread' | 'reading' | 'read' | 'failed';
  /** ISO time of the last successful read. */
  readAt?: string;
  error?: string;
}

export interface ComparisonShowParams {
  comparison: ComparisonJson;
  /** The original trace's replays, newest first (includes this one). */
  history: ReplayHistoryEntry[];
  /** The prompt template the replay used: a file opens from the header, a prompt version is a label. */
  template?: TemplateRef;
  /** Set when the original trace came from a platform (Langfuse, Phoenix) whose scores the panel reads. */
  platform?: PlatformScoresStatus;
}

export interface BatchShowParams {
  batch: BatchJson;
  title?: string;
}

/** One span of the trace detail panel; LLM details only on LLM spans. */
export interface TraceDetailSpan {
  spanId: string;
  parentId?: string;
  depth: number;
  name: string;
  kind: SpanKind;
  startOffsetMs: number;
  durationMs: number;
  statusCode: 'unset' | 'ok' | 'error';
  statusMessage?: string;
  model?: string;
  provider?: string;
  usage?: Usage;
  /** Null with a reason when the call has no price data; absent on non-LLM spans. */
  costUsd?: number | null;
  costReason?: string;
  messages?: Message[];
  tools?: ToolDefinition[];
  /** As the user writes them (max_tokens, top_p; extras as extra.<name>). */
  parameters?: Record<string, unknown>;
  output?: { text: string; toolCalls: { name: string; arguments: unknown }[]; finishReason?: string };
  prompt?: PromptLink;
  /** A workspace file the prompt link resolved to (set by the host when it knows one). */
  templatePath?: string;
  toolName?: string;
  /** Recorded input/output of a tool / retrieval span. */
  io?: { input?: unknown; output?: unknown };
  warnings: string[];
}

export interface TraceShowParams {
  traceId: string;
  name: string;
  serviceName?: string;
  /** Epoch ms. */
  startTime: number;
  durationMs: number;
  totals: {
    spans: number;
    llmSpans: number;
    inputTokens: number;
    outputTokens: number;
    costUsd: number | null;
    costReason?: string;
  };
  /** Depth first, children in start order. */
  spans: TraceDetailSpan[];
  history: ReplayHistoryEntry[];
  /** The span to select first (e.g. opened from a comparison row). */
  selectSpanId?: string;
  /** Why (some of) the trace's LLM spans cannot be replayed, said before the user starts one. */
  replayNotice?: string;
}

export type SpanSide = 'input' | 'output';

// ---- webview -> host
/** The webview's script is running and listening; the host may now post state. */
export const ReadyMessage = messageType<{ panel: string }>()('webview/ready');
/** Open VS Code's diff editor on the original vs replayed text of one LLM span's input or output.
 *  `spanId` is the original span's id (the replay's id for a span only the replay has). */
export const OpenDiffMessage = messageType<{ replayId: string; spanId: string; side: SpanSide }>()(
  'comparison/openDiff',
);
/** Show another replay of the same trace in this panel. */
export const SelectReplayMessage = messageType<{ jobId: string }>()('comparison/selectReplay');
/** Open a span of a trace (the trace detail panel, revealing the span). */
export const OpenSpanMessage = messageType<{ traceId: string; spanId: string }>()('comparison/openSpan');
/** Start the Replay Trace flow for this trace. */
export const ReplayTraceMessage = messageType<{ traceId: string }>()('trace/replay');
/** "Replay from Here" on an LLM span: the Replay Trace flow, forking at that span. */
export const ReplayFromSpanMessage = messageType<{ traceId: string; spanId: string }>()('trace/replayFromSpan');
/** Open the comparison of one replay job. */
export const OpenComparisonMessage = messageType<{ jobId: string }>()('trace/openComparison');
/** Read the platform's scores of this replay again (the panel's Refresh; never sent on its own). */
export const RefreshPlatformScoresMessage = messageType<{ replayId: string }>()('comparison/refreshPlatformScores');
/** Open a prompt template file of the workspace. */
export const OpenTemplateMessage = messageType<{ path: string }>()('template/open');

// ---- host -> webview
/** A message to show in the panel; trace content is always rendered as text. */
export const NoticeMessage = messageType<{ title: string; text: string }>()('host/notice');
export const ShowComparisonMessage = messageType<ComparisonShowParams>()('comparison/show');
export const ShowBatchMessage = messageType<BatchShowParams>()('batch/show');
export const ShowTraceMessage = messageType<TraceShowParams>()('trace/show');

/** Id of the `<script type="application/json">` holding the message a static HTML report renders. */
export const EMBEDDED_DATA_ID = 'trace-replay-data';

/** What a panel saves with `vscode.setState` so a WebviewPanelSerializer can restore it from ids. */
export interface PanelState {
  panel: PanelKind;
  /** comparison: the replay job id; trace: the trace id; batch: the replay job ids. */
  jobId?: string;
  traceId?: string;
  jobIds?: string[];
}

export function isPanelState(value: unknown): value is PanelState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as PanelState;
  if (v.panel !== 'comparison' && v.panel !== 'batch' && v.panel !== 'trace') return false;
  if (v.jobId !== undefined && typeof v.jobId !== 'string') return false;
  if (v.traceId !== undefined && typeof v.traceId !== 'string') return false;
  if (v.jobIds !== undefined && !(Array.isArray(v.jobIds) && v.jobIds.every((id) => typeof id === 'string')))
    return false;
  return true;
}
