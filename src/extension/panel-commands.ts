// PLACEHOLDER until the comparison webview exists: "Open Comparison" (args: a replay job id) and
// "Compare Two Replays" show the text comparison from src/core/compare in an untitled Markdown
// document. The webview helper replaces this file; the command ids and arguments stay.
import * as vscode from 'vscode';
import { buildComparison } from '../core/compare/build-comparison';
import { renderComparisonMarkdown } from '../core/compare/render-markdown';
import type { ReplayJob } from '../core/replay/replay-types';
import { CommandId } from './command-ids';
import type { Log } from './log';
import type { ReplayHost } from './replay-host';
import { jobIdsFromArgs } from './replay-args';
import { pickReplayJob } from './replay-pick';
import type { StoreHost } from './store-host';

async function comparisonText(stores: StoreHost, job: ReplayJob): Promise<string> {
  const store = await stores.get();
  const original = await store.getTrace(job.traceId);
  const replay = job.replayTraceId ? await store.getTrace(job.replayTraceId) : undefined;
  if (job.status !== 'COMPLETED' || !original || !replay) {
    const why = job.status !== 'COMPLETED' ? `The replay is ${job.status.toLowerCase()}.` : 'A trace of this replay is no longer in the store.';
    return `# Replay ${job.id}\n\n${why}${job.error ? ` ${job.error}` : ''}\n\n\`\`\`json\n${JSON.stringify(job, null, 2)}\n\`\`\`\n`;
  }
  return renderComparisonMarkdown(buildComparison({ original, replay, job }));
}

async function show(content: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
  await vscode.window.showTextDocument(doc, { preview: true });
}

export function registerOpenComparisonCommands(stores: StoreHost, replays: ReplayHost, log: Log): vscode.Disposable[] {
  const open = async (ids: string[]): Promise<string | undefined> => {
    const texts: string[] = [];
    for (const id of ids) {
      const job = await replays.getJob(id);
      if (!job) {
        void vscode.window.showWarningMessage(`Trace Replay: there is no replay ${id}; it may have been deleted.`);
        return undefined;
      }
      texts.push(await comparisonText(stores, job));
    }
    const content = texts.join('\n\n---\n\n');
    await show(content);
    return content;
  };
  const run = (fn: () => Promise<string | undefined>) => async () => {
    try {
      return await fn();
    } catch (err) {
      log.error('opening the comparison failed', err);
      void vscode.window
        .showErrorMessage('Trace Replay could not open the comparison. See the Trace Replay output for details.', 'Open Output')
        .then(choice => choice && log.show());
      return undefined;
    }
  };
  return [
    vscode.commands.registerCommand(CommandId.OpenComparison, (arg?: unknown, all?: unknown) =>
      run(async () => {
        const ids = jobIdsFromArgs(arg, all).slice(0, 1);
        const id = ids[0] ?? (await pickReplayJob(replays, stores, ['COMPLETED', 'FAILED', 'CANCELLED', 'RUNNING', 'PENDING'], 'Trace Replay: Open Comparison'));
        return id ? open([id]) : undefined;
      })(),
    ),
    vscode.commands.registerCommand(CommandId.CompareReplays, (arg?: unknown, all?: unknown) =>
      run(async () => {
        const ids = jobIdsFromArgs(arg, all);
        if (ids.length !== 2) {
          void vscode.window.showInformationMessage('Trace Replay: select exactly two replays (Ctrl/Cmd-click) to compare them.');
          return undefined;
        }
        return open(ids);
      })(),
    ),
  ];
}
