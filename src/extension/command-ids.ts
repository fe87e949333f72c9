// Every command and context key of the extension, declared once. package.json declares the same
// ids (an integration test checks that each contributed command is registered).
export enum CommandId {
  ImportTraces = 'traceReplay.importTraces',
  StartReceiver = 'traceReplay.startReceiver',
  StopReceiver = 'traceReplay.stopReceiver',
  RefreshTraces = 'traceReplay.refreshTraces',
  ShowOutput = 'traceReplay.showOutput',
  /** Internal (hidden from the palette): the tree's "Load more" row. */
  LoadMoreTraces = 'traceReplay.loadMoreTraces',
  /** Internal (hidden from the palette): the receiver's status-bar item. */
  CopyReceiverEndpoint = 'traceReplay.copyReceiverEndpoint',
}

export enum ContextKey {
  ReceiverRunning = 'traceReplay.receiverRunning',
}

export const TRACES_VIEW_ID = 'traceReplay.traces';
