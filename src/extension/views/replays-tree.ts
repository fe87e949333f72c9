// How the replay history shows in the "Replays" view: one group per original trace (newest
// replay first), each job with a status icon, what it changed, which sample it is (repeated samples),
// its duration and cost delta.
import * as vscode from 'vscode';
import type { ReplayJob, ReplayJobStatus } from '../../core/replay/replay-types';
import { CommandId } from '../common/command-ids';
import { formatTokens, relativeTime } from '../common/format';
import { Disposable } from '../common/lifecycle';
import {
  A_A_SAMPLE_TEXT,
  describeOverrides,
  jobFacts,
  sampleLabel,
  spanSummary,
  STATUS_TEXT,
} from '../replay/replay-format';
import type { ReplaysModel } from './replays-model';
import type { StoreHost } from '../store/store-host';

/** Every contextValue of the view (package.json menus match `viewItem =~ /^replay:/` etc.). */
export enum ReplayContextValue {
  TraceGroup = 'replayTrace',
  Pending = 'replay:pending',
  Running = 'replay:running',
  Completed = 'replay:completed',
  Failed = 'replay:failed',
  Cancelled = 'replay:cancelled',
}

const STATUS_CONTEXT: Record<ReplayJobStatus, ReplayContextValue> = {
  PENDING: ReplayContextValue.Pending,
  RUNNING: ReplayContextValue.Running,
  COMPLETED: ReplayContextValue.Completed,
  FAILED: ReplayContextValue.Failed,
  CANCELLED: ReplayContextValue.Cancelled,
};

export const STATUS_ICONS: Record<ReplayJobStatus, vscode.ThemeIcon> = {
  PENDING: new vscode.ThemeIcon('clock'),
  RUNNING: new vscode.ThemeIcon('loading~spin'),
  COMPLETED: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  FAILED: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
  CANCELLED: new vscode.ThemeIcon('circle-slash'),
};

export interface ReplayGroupNode {
  type: 'group';
  traceId: string;
  jobs: ReplayJob[];
}
export interface ReplayJobNode {
  type: 'replay';
  job: ReplayJob;
}
export type ReplaysTreeNode = ReplayGroupNode | ReplayJobNode;

export class ReplaysTreeProvider extends Disposable implements vscode.TreeDataProvider<ReplaysTreeNode> {
  private readonly changed = this.register(new vscode.EventEmitter<ReplaysTreeNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  // Nodes are reused across refreshes: TreeView.reveal finds elements by identity.
  private readonly groups = new Map<string, ReplayGroupNode>();
  private readonly jobNodes = new Map<string, ReplayJobNode>();

  constructor(
    private readonly model: ReplaysModel,
    private readonly stores: StoreHost,
  ) {
    super();
    this.register(model.onDidChange(() => this.changed.fire(undefined)));
    this.register(stores.onDidChangeTraces(() => this.changed.fire(undefined)));
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  /** The group node of a trace (for reveal), once the history is read. */
  async groupOf(traceId: string): Promise<ReplayGroupNode | undefined> {
    await this.getChildren();
    return this.groups.get(traceId);
  }

  async getChildren(node?: ReplaysTreeNode): Promise<ReplaysTreeNode[]> {
    if (node?.type === 'group') return node.jobs.map((j) => this.jobNode(j));
    if (node) return [];
    const byTrace = new Map<string, ReplayJob[]>();
    for (const job of await this.model.list()) {
      const list = byTrace.get(job.traceId) ?? [];
      list.push(job);
      byTrace.set(job.traceId, list);
    }
    // Map order is insertion order: the newest job's trace comes first.
    const roots: ReplayGroupNode[] = [];
    for (const [traceId, jobs] of byTrace) {
      const group = this.groups.get(traceId) ?? { type: 'group', traceId, jobs };
      group.jobs = jobs;
      this.groups.set(traceId, group);
      roots.push(group);
    }
    for (const id of [...this.groups.keys()]) if (!byTrace.has(id)) this.groups.delete(id);
    return roots;
  }

  getParent(node: ReplaysTreeNode): ReplaysTreeNode | undefined {
    return node.type === 'replay' ? this.groups.get(node.job.traceId) : undefined;
  }

  getTreeItem(node: ReplaysTreeNode): vscode.TreeItem {
    return node.type === 'group' ? this.groupItem(node) : jobItem(node.job);
  }

  private jobNode(job: ReplayJob): ReplayJobNode {
    const node = this.jobNodes.get(job.id) ?? { type: 'replay', job };
    node.job = job;
    this.jobNodes.set(job.id, node);
    return node;
  }

  private groupItem(node: ReplayGroupNode): vscode.TreeItem {
    const summary = this.traceSummary(node.traceId);
    const item = new vscode.TreeItem(summary?.name || node.traceId, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `replays-trace/${node.traceId}`;
    const n = node.jobs.length;
    item.description = `${n} replay${n === 1 ? '' : 's'}${summary ? '' : ' · trace not in the store'}`;
    item.tooltip = `Trace ${node.traceId}`;
    item.iconPath = new vscode.ThemeIcon('pulse');
    item.contextValue = ReplayContextValue.TraceGroup;
    return item;
  }

  private traceSummary(traceId: string): { name: string } | undefined {
    return this.stores.current()?.getSummary(traceId);
  }
}

/** Tokens the replayed calls used ("1.2k tok"), undefined when no call reported usage. */
function replayTokens(job: ReplayJob): string | undefined {
  let total = 0;
  let known = false;
  for (const s of job.spans) {
    const u = s.execution?.usage;
    if (!u) continue;
    known = true;
    total += (u.inputTokens ?? 0) + (u.outputTokens ?? 0);
  }
  return known ? `${formatTokens(total)} tok` : undefined;
}

/** A replay row: what it changed (model first), then which sample it is, its state, tokens, duration
 *  and cost delta; when it was queued and its id are in the tooltip (an A/A sample says what it is for). */
export function jobItem(job: ReplayJob): vscode.TreeItem {
  const item = new vscode.TreeItem(describeOverrides(job), vscode.TreeItemCollapsibleState.None);
  item.id = `replay/${job.id}`;
  const status = job.status === 'COMPLETED' ? undefined : STATUS_TEXT[job.status];
  const sample = sampleLabel(job);
  item.description = [sample, status, replayTokens(job), ...jobFacts(job)].filter(Boolean).join(' · ');
  item.iconPath = STATUS_ICONS[job.status];
  item.contextValue = STATUS_CONTEXT[job.status];
  item.command = { command: CommandId.OpenComparison, title: 'Open Comparison', arguments: [job.id] };
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**Replay ${STATUS_TEXT[job.status]}**\n\n`);
  if (job.sample?.baseline) md.appendText(A_A_SAMPLE_TEXT).appendMarkdown('\n\n');
  const rows: [string, string | undefined][] = [
    ['Changes', describeOverrides(job)],
    ['Sample', sample],
    ['Spans', job.spans.length ? spanSummary(job) : undefined],
    ['Facts', jobFacts(job).join(' · ') || undefined],
    ['Error', job.error],
    ['Queued', `${new Date(job.createdAt).toLocaleString()} (${relativeTime(Date.parse(job.createdAt))})`],
    ['Replay ID', job.id],
  ];
  for (const [name, value] of rows) if (value) md.appendMarkdown(`${name}: `).appendText(value).appendMarkdown('  \n');
  item.tooltip = md;
  return item;
}
