// Shared by the replay specs: the fake LLM server wired into the settings, trace fixtures, and
// waits on events (queue events, tree changes), never on timers.
import * as vscode from 'vscode';
import type { ReplayEvent, ReplayJob } from '../../src/core/replay/replay-types';
import type { TraceReplayApi } from '../../src/extension/extension';
import type { ReplaysTreeNode, ReplaysTreeProvider } from '../../src/extension/views/replays-tree';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm/fake-llm-server';
import { fixturePath } from './helpers';

export const WEATHER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
export const NEWS_TRACE = '5a0c0a3e2b7d4f1e9c8b7a6f5e4d3c2b';
export const EMAIL_TRACE = '6b1d1b4f3c8e5a2f0d9c8b7a6f5e4d3c';
export const CHAT_TRACE = '7c2e2c5a4d9f6b3a1e0d9c8b7a6f5e4d';

/** Starts the fake server and points the extension at it: OpenAI base URL, a stored OpenAI key,
 *  and an endpoint profile "keyed" that requires a key nobody stored. */
export async function setUpProviders(api: TraceReplayApi): Promise<FakeLlmServer> {
  const fake = await startFakeLlmServer();
  const config = vscode.workspace.getConfiguration('traceReplay');
  await config.update('providers.openai.baseUrl', fake.openaiBaseUrl, vscode.ConfigurationTarget.Workspace);
  await config.update(
    'providers.endpoints',
    [{ name: 'keyed', baseUrl: fake.openaiBaseUrl, apiKeyRequired: true }],
    vscode.ConfigurationTarget.Workspace,
  );
  await api.setApiKey('openai', 'sk-test-in-secret-storage');
  return fake;
}

export async function tearDownProviders(api: TraceReplayApi, fake: FakeLlmServer | undefined): Promise<void> {
  const config = vscode.workspace.getConfiguration('traceReplay');
  await config.update('providers.openai.baseUrl', undefined, vscode.ConfigurationTarget.Workspace);
  await config.update('providers.endpoints', undefined, vscode.ConfigurationTarget.Workspace);
  await api.setApiKey('openai', undefined);
  await fake?.close();
}

export async function importFixtures(...names: string[]): Promise<void> {
  await vscode.commands.executeCommand(
    'traceReplay.importTraces',
    names.map((n) => vscode.Uri.file(fixturePath(n))),
  );
}

/** The next queue event matching `predicate`. */
export function nextEvent(api: TraceReplayApi, predicate: (e: ReplayEvent) => boolean): Promise<ReplayEvent> {
  return new Promise((resolve) => {
    const sub = api.replays.onDidEvent((e) => {
      if (!predicate(e)) return;
      sub.dispose();
      resolve(e);
    });
  });
}

export interface ReplayRow {
  node: ReplaysTreeNode;
  item: vscode.TreeItem;
}

/** Every row of the Replays view: [group, its jobs...] in display order. */
export async function replayRows(tree: ReplaysTreeProvider): Promise<{ group: ReplayRow; jobs: ReplayRow[] }[]> {
  const out = [];
  for (const g of await tree.getChildren()) {
    const jobs = (await tree.getChildren(g)).map((node) => ({ node, item: tree.getTreeItem(node) }));
    out.push({ group: { node: g, item: tree.getTreeItem(g) }, jobs });
  }
  return out;
}

/** Resolves with the tree item of `jobId` once its contextValue is `contextValue`. */
export function whenReplayItem(
  tree: ReplaysTreeProvider,
  jobId: string,
  contextValue: string,
): Promise<ReplayRow & { group: ReplayRow }> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const check = async (): Promise<void> => {
      try {
        for (const { group, jobs } of await replayRows(tree)) {
          const row = jobs.find((r) => r.item.id === `replay/${jobId}`);
          if (!settled && row && row.item.contextValue === contextValue) {
            settled = true;
            sub.dispose();
            resolve({ ...row, group });
          }
        }
      } catch (err) {
        settled = true;
        sub.dispose();
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    };
    const sub = tree.onDidChangeTreeData(() => void check());
    void check();
  });
}

export async function replayTrace(options: Record<string, unknown>): Promise<ReplayJob> {
  const job = await vscode.commands.executeCommand<ReplayJob | undefined>('traceReplay.replayTrace', {
    confirm: false,
    ...options,
  });
  if (!job) throw new Error('the Replay Trace command queued no job (see the Trace Replay output)');
  return job;
}
