// How each row of the Traces view looks: trace, span, "Load more", and notices (a store or source
// error, an empty platform list). Trace content comes from arbitrary apps, so tooltips escape it.
import * as vscode from 'vscode';
import type { SpanKind, TraceSummary } from '../../core/model/trace';
import { countOf, spanLabel } from '../../core/compare/format-values';
import { CommandId } from '../common/command-ids';
import { formatCost, formatCostPrecise, formatDuration, formatTokens, relativeTime } from '../common/format';
import type { EndpointNode, LoadMoreNode, NoticeNode, SpanNode, StoreErrorNode, TraceNode } from './traces-tree';
import { OPEN_OUTPUT_BUTTON } from '../common/next-actions';

/** Every contextValue the view uses (package.json menus match them, e.g. `viewItem =~ /^span:/`). */
export enum ContextValue {
  Trace = 'trace',
  /** A trace with no LLM call: it can be opened, not replayed (menus match `viewItem == trace` for Replay). */
  TraceWithoutLlm = 'trace:no-llm',
  SpanLlm = 'span:llm',
  SpanTool = 'span:tool',
  SpanRetrieval = 'span:retrieval',
  SpanEmbedding = 'span:embedding',
  SpanAgent = 'span:agent',
  SpanChain = 'span:chain',
  SpanOther = 'span:other',
  LoadMore = 'loadMore',
  StoreError = 'storeError',
  SourceError = 'sourceError',
  Notice = 'notice',
  /** A receiver address (the copy button matches `viewItem == endpoint`). */
  Endpoint = 'endpoint',
}

const SPAN_CONTEXT: Record<SpanKind, ContextValue> = {
  llm: ContextValue.SpanLlm,
  tool: ContextValue.SpanTool,
  retrieval: ContextValue.SpanRetrieval,
  embedding: ContextValue.SpanEmbedding,
  agent: ContextValue.SpanAgent,
  chain: ContextValue.SpanChain,
  other: ContextValue.SpanOther,
};

/** The second argument of a row's click: open the trace in the preview panel (see TraceDetailPanel). */
const PREVIEW = { preview: true };

export const SPAN_ICONS: Record<SpanKind, string> = {
  llm: 'sparkle',
  tool: 'tools',
  retrieval: 'search',
  embedding: 'symbol-array',
  agent: 'robot',
  chain: 'link',
  other: 'circle-outline',
};

/** "gpt-4o-mini · 1.2k tok · $0.0042": what the trace used first; no cost part when unknown. When
 *  it started goes in the tooltip (the list is newest first). */
export function traceDescription(s: TraceSummary): string {
  const tokens = s.inputTokens + s.outputTokens;
  return [
    s.models.join(', '),
    tokens ? `${formatTokens(tokens)} tok` : '',
    s.costUsd !== undefined ? formatCostPrecise(s.costUsd) : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

export function traceItem(node: TraceNode): vscode.TreeItem {
  const s = node.summary;
  const item = new vscode.TreeItem(s.name || s.id, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = node.sourceId ? `trace/${node.sourceId}/${s.id}` : `trace/${s.id}`;
  const errors = s.errorSpanCount ?? 0;
  const noLlm = s.llmSpanCount === 0;
  item.description = [errors ? `${countOf(errors, 'error')}` : '', noLlm ? 'no LLM call' : '', traceDescription(s)]
    .filter(Boolean)
    .join(' · ');
  // A failed trace must not look healthy: the error icon replaces the kind icon.
  item.iconPath = errors
    ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'))
    : new vscode.ThemeIcon(node.sourceId ? 'cloud' : 'pulse');
  item.contextValue = noLlm ? ContextValue.TraceWithoutLlm : ContextValue.Trace;
  // A click opens the detail panel; the twistie (or arrow keys) expands the span tree.
  const target = node.sourceId ? { traceId: s.id, sourceId: node.sourceId } : s.id;
  item.command = { command: CommandId.OpenTraceDetail, title: 'Open Trace Details', arguments: [target, PREVIEW] };
  const md = new vscode.MarkdownString();
  md.appendMarkdown('**')
    .appendText(s.name || s.id)
    .appendMarkdown('**\n\n');
  appendRows(md, [
    ['Source', node.sourceLabel],
    ['Started', `${new Date(s.startTime).toLocaleString()} (${relativeTime(s.startTime)})`],
    ['Duration', formatDuration(s.durationMs)],
    ['Spans', `${countOf(s.spanCount, 'span')} (${s.llmSpanCount} LLM)`],
    ['Errors', errors ? `${countOf(errors, 'span')} with status error` : undefined],
    ['Replay', noLlm ? 'No LLM call in this trace: nothing to replay.' : undefined],
    ['Models', s.models.join(', ') || undefined],
    ['Tokens', `${s.inputTokens} in / ${s.outputTokens} out`],
    ['Cost', s.costUsd !== undefined ? formatCostPrecise(s.costUsd) : undefined],
    ['Prompts', s.promptNames.join(', ') || undefined],
    ['Service', s.serviceName],
    ['Trace ID', s.id],
  ]);
  item.tooltip = md;
  return item;
}

/** An LLM span is named by its step and model ("#2 gpt-4o-mini", as in every comparison), so two
 *  calls named alike ("OpenAI Chat Completions") stay apart; its tokens and time follow. */
export function spanItem(node: SpanNode): vscode.TreeItem {
  const { span } = node;
  const llm = span.llm;
  const model = llm ? (llm.responseModel ?? llm.requestModel) : undefined;
  const item = new vscode.TreeItem(
    spanLabel({ name: span.name, step: node.step, model }),
    node.hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
  );
  item.id = `span/${node.traceId}/${span.id}`;
  const failed = span.status.code === 'error';
  item.iconPath = new vscode.ThemeIcon(
    SPAN_ICONS[span.kind],
    failed ? new vscode.ThemeColor('errorForeground') : undefined,
  );
  item.contextValue = SPAN_CONTEXT[span.kind];
  item.command = {
    command: CommandId.OpenTraceDetail,
    title: 'Open Trace Details',
    arguments: [{ traceId: node.traceId, spanId: span.id }, PREVIEW],
  };
  const duration = formatDuration(span.endTime - span.startTime);
  const usage = llm?.usage;
  const tokens = usage ? `${usage.inputTokens ?? 0}→${usage.outputTokens ?? 0} tok` : undefined;
  // The span's own name, last, when the label does not already say it (an LLM span's label is its model).
  const nameSaysModel = [llm?.requestModel, llm?.responseModel].some((m) => m && span.name.includes(m));
  const name = node.step !== undefined && !nameSaysModel ? span.name : undefined;
  item.description = [failed ? 'error' : undefined, tokens, duration, name].filter(Boolean).join(' · ');
  const md = new vscode.MarkdownString();
  md.appendMarkdown('**').appendText(span.name).appendMarkdown(`** — ${span.kind}\n\n`);
  appendRows(md, [
    ['Step', node.step !== undefined ? `LLM call #${node.step} of the trace` : undefined],
    ['Duration', duration],
    ['Status', failed ? `error${span.status.message ? ': ' + span.status.message : ''}` : span.status.code],
    ['Provider', llm?.provider],
    ['Model', model],
    ['Tokens', usage ? `${usage.inputTokens ?? 0} in / ${usage.outputTokens ?? 0} out` : undefined],
    ['Cost', llm?.costUsd !== undefined ? formatCost(llm.costUsd) : undefined],
    ['Tool', span.toolName],
    ['Warnings', span.warnings?.join('; ')],
    ['Span ID', span.id],
  ]);
  item.tooltip = md;
  return item;
}

export function loadMoreItem(node: LoadMoreNode): vscode.TreeItem {
  const item = new vscode.TreeItem(
    node.total !== undefined ? `Load more… (${node.shown} of ${node.total})` : `Load more… (${node.shown} shown)`,
  );
  item.id = 'loadMore';
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.contextValue = ContextValue.LoadMore;
  item.command = { command: CommandId.LoadMoreTraces, title: 'Load More Traces' };
  return item;
}

export function storeErrorItem(node: StoreErrorNode): vscode.TreeItem {
  const item = new vscode.TreeItem('Could not open the trace store');
  item.id = 'storeError';
  item.description = node.message;
  item.tooltip = `${node.message}\nCheck the traceReplay.storePath setting; details are in the Trace Replay output.`;
  item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
  item.contextValue = ContextValue.StoreError;
  item.command = { command: CommandId.ShowOutput, title: OPEN_OUTPUT_BUTTON };
  return item;
}

/** One sentence in the tree: what went wrong and what to check, or why the list is empty. */
export function noticeItem(node: NoticeNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.message);
  item.id = `notice/${node.key}`;
  item.tooltip = node.action ? `${node.message}\nClick: ${node.action.title}.` : node.message;
  item.iconPath =
    node.severity === 'error'
      ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'))
      : new vscode.ThemeIcon('info');
  item.contextValue = node.severity === 'error' ? ContextValue.SourceError : ContextValue.Notice;
  if (node.action) item.command = node.action;
  return item;
}

/** A receiver address; a click or its inline copy button puts it on the clipboard. */
export function endpointItem(node: EndpointNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.copy);
  item.id = `endpoint/${node.key}`;
  item.description = node.description;
  item.iconPath = new vscode.ThemeIcon(node.key === 'env' ? 'symbol-variable' : 'link');
  item.contextValue = ContextValue.Endpoint;
  item.tooltip =
    node.key === 'env'
      ? `${node.copy}\nSet this in your app's environment: its OTLP HTTP exporter then sends traces and GenAI log events here. Click to copy.`
      : `${node.copy}\nWhere the receiver takes ${node.description} (OTLP/HTTP, JSON or protobuf). Click to copy.`;
  item.command = { command: CommandId.CopyReceiverEndpoint, title: 'Copy', arguments: [node.copy] };
  return item;
}

function appendRows(md: vscode.MarkdownString, rows: [string, string | undefined][]): void {
  for (const [name, value] of rows) {
    if (value === undefined || value === '') continue;
    md.appendMarkdown(`${name}: `).appendText(value).appendMarkdown('  \n');
  }
}
