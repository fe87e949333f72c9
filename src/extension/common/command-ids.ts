// Every command and context key of the extension, declared once. package.json declares the same
// ids (an integration test checks that each contributed command is registered).
export enum CommandId {
  ImportTraces = 'traceReplay.importTraces',
  StartReceiver = 'traceReplay.startReceiver',
  StopReceiver = 'traceReplay.stopReceiver',
  RefreshTraces = 'traceReplay.refreshTraces',
  /** Args: a query string ('' clears), e.g. 'model:gpt-4o-mini weather'; none: ask in a quick input. */
  FilterTraces = 'traceReplay.filterTraces',
  ClearTracesFilter = 'traceReplay.clearTracesFilter',
  /** Args: a source id ('local', '<platform>', '<platform>:<name>'); none: pick one. */
  SwitchTraceSource = 'traceReplay.switchTraceSource',
  /** Args: { platform?, name?, settings?, secrets? } (settings and secrets may be given flat, e.g.
   *  { platform: 'langfuse', name, baseUrl, publicKey, secretKey }: no questions); none: ask. Each
   *  platform also has its own palette entry, connectCommandId(platform): traceReplay.connectLangfuse,
   *  traceReplay.connectPhoenix. */
  ConnectPlatform = 'traceReplay.connectPlatform',
  ShowOutput = 'traceReplay.showOutput',
  SetApiKey = 'traceReplay.setApiKey',
  /** Args: a trace node, a trace id, or ReplayTraceOptions; none: pick a trace. */
  ReplayTrace = 'traceReplay.replayTrace',
  /** Args: an LLM span node of the Traces view, { traceId, spanId } (trace detail panel), or
   *  ReplayTraceOptions with traceId and fromSpanId: the Replay Trace wizard, forking at that span. */
  ReplayFromSpan = 'traceReplay.replayFromSpan',
  /** Args: (clicked trace node, selected nodes) from the Traces view, or ReplayTraceOptions with traceIds. */
  ReplaySelectedTraces = 'traceReplay.replaySelectedTraces',
  /** Args: the template file's Uri (explorer/editor menus, CodeLens), or ReplayWithTemplateOptions. */
  ReplayWithTemplate = 'traceReplay.replayWithTemplate',
  /** Args: a replay job id (or a Replays view node + selection); none: pick a replay. */
  OpenComparison = 'traceReplay.openComparison',
  /** Args: (clicked replay node, selected nodes): exactly two replays, opened side by side. */
  CompareReplays = 'traceReplay.compareReplays',
  /** Args: a trace id, a Traces view node, or { traceId, spanId }; none: pick a trace. */
  OpenTraceDetail = 'traceReplay.openTraceDetail',
  /** Args: replay job ids (the jobs of a "Replay Selected Traces" batch). */
  OpenBatchSummary = 'traceReplay.openBatchSummary',
  CancelReplay = 'traceReplay.cancelReplay',
  RerunReplay = 'traceReplay.rerunReplay',
  DeleteReplay = 'traceReplay.deleteReplay',
  RefreshReplays = 'traceReplay.refreshReplays',
  /** Traces view context menu: reveal the trace's group in the Replays view. */
  ShowReplaysOfTrace = 'traceReplay.showReplaysOfTrace',
  /** Internal (hidden from the palette): the tree's "Load more" row. */
  LoadMoreTraces = 'traceReplay.loadMoreTraces',
  /** Internal (hidden from the palette): the receiver's status-bar item. */
  CopyReceiverEndpoint = 'traceReplay.copyReceiverEndpoint',
}

export enum ContextKey {
  ReceiverRunning = 'traceReplay.receiverRunning',
  /** The Traces view shows a filtered subset (shows "Clear Filter", a "no match" welcome). */
  TracesFiltered = 'traceReplay.tracesFiltered',
  /** Paths (fsPath and URI path) of the workspace's prompt-template files, for `resourcePath in ...`. */
  TemplateFiles = 'traceReplay.templateFiles',
}

export const TRACES_VIEW_ID = 'traceReplay.traces';
export const REPLAYS_VIEW_ID = 'traceReplay.replays';

/** `traceReplay.connect<Id>` of a platform: traceReplay.connectLangfuse, traceReplay.connectPhoenix. */
export function connectCommandId(platform: { id: string }): string {
  return `traceReplay.connect${platform.id[0].toUpperCase()}${platform.id.slice(1)}`;
}
