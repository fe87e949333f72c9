// "Replay with This Prompt Version": on a prompt-template file, replays the recorded traces whose
// LLM spans used that template, with the file's CURRENT content (unsaved edits included: they are
// written to a snapshot file in the store folder, since the engine reads templates from disk).
// It asks which traces, then the model (default: each call's recorded one); nothing is queued
// unless every provider the replays call has its key (replay-start.ts).
// Options skip the questions: { uri, traceIds?, model?, confirm: false }. traceReplay.replay.repeat
// applies as in "Replay Trace": N samples with the new version and N A/A (recorded prompt) per trace.
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ProviderConfigs } from '../../core/llm/llm-types';
import type { Trace } from '../../core/model/trace';
import { parsePromptTemplate, type PromptTemplate } from '../../core/prompts/prompt-template';
import { CACHE_BYPASS_NOTICE, isRepeated, planSamples } from '../../core/replay/replay-samples';
import type { ReplayJob } from '../../core/replay/replay-types';
import { CommandId } from '../common/command-ids';
import { importTracesFix, startReceiverFix, type Notifications } from '../common/notifications';
import { relativeTime } from '../common/format';
import type { Log } from '../common/log';
import { BACK, type QuickInputs } from '../common/multi-step-input';
import type { ReplayHost } from './replay-host';
import { repeatSetting } from './replay-repeat-setting';
import { SAMPLES_CACHE_NOTICE } from './replay-sample-texts';
import { startReplays } from './replay-start';
import { askModel } from './replay-wizard';
import type { StoreHost } from '../store/store-host';
import { findTemplateUses, type TemplateUses } from '../templates/template-traces';

export interface ReplayWithTemplateOptions {
  uri: vscode.Uri;
  /** Only these of the traces that used the template. */
  traceIds?: string[];
  model?: string;
  confirm?: boolean;
}

export const SNAPSHOT_FOLDER = 'template-snapshots';

/** The template as the editor has it now (unsaved edits included), parsed. */
export async function currentTemplate(
  uri: vscode.Uri,
): Promise<{ template: PromptTemplate; text: string; saved: boolean }> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const text = doc.getText();
  return {
    template: parsePromptTemplate(text, { fileName: uri.fsPath }),
    text,
    saved: !doc.isDirty && uri.scheme === 'file',
  };
}

/** The path the engine reads the version from: the file itself when saved, else a snapshot of
 *  the editor's text in the store folder (kept, so a re-run or a resume reads the same version). */
async function templatePathFor(uri: vscode.Uri, text: string, saved: boolean, storeDir: string): Promise<string> {
  if (saved) return uri.fsPath;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
  const dir = path.join(storeDir, SNAPSHOT_FOLDER);
  const file = path.join(dir, `${hash}-${path.basename(uri.fsPath)}`);
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(file, text, 'utf8');
  return file;
}

export async function templateUses(
  stores: StoreHost,
  uri: vscode.Uri,
  template: PromptTemplate,
): Promise<TemplateUses> {
  return findTemplateUses(await stores.get(), template, uri.fsPath);
}

function uriFrom(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'object' && arg !== null && (arg as ReplayWithTemplateOptions).uri instanceof vscode.Uri)
    return (arg as ReplayWithTemplateOptions).uri;
  return vscode.window.activeTextEditor?.document.uri;
}

export interface ReplayWithTemplateDeps {
  stores: StoreHost;
  replays: ReplayHost;
  log: Log;
  notifications: Notifications;
  /** The provider configuration as it is now (a key stored a moment ago counts). */
  configs(): Promise<ProviderConfigs>;
  /** The model question's quick input (tests script it); undefined: VS Code's. */
  inputs?(): QuickInputs | undefined;
  /** Called with the jobs of repeated samples: their batch toast ("Open Batch Summary"). */
  onBatchQueued?(jobs: ReplayJob[]): void;
}

export function registerReplayWithTemplateCommand(deps: ReplayWithTemplateDeps): vscode.Disposable {
  const { stores, replays, log, notifications } = deps;
  return vscode.commands.registerCommand(
    CommandId.ReplayWithTemplate,
    async (arg?: unknown): Promise<ReplayJob[] | undefined> => {
      const options =
        typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri)
          ? (arg as ReplayWithTemplateOptions)
          : undefined;
      const uri = uriFrom(arg);
      if (!uri) {
        void notifications.info(
          'Open a prompt-template file first, then run "Replay with This Prompt Version" on it.',
          { title: 'Open File...', run: () => vscode.commands.executeCommand('workbench.action.quickOpen') },
        );
        return undefined;
      }
      const file = path.basename(uri.fsPath);
      try {
        const { template, text, saved } = await currentTemplate(uri);
        const found = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Window, title: `Finding traces that used ${file}` },
          () => templateUses(stores, uri, template),
        );
        let uses = found.uses.filter((u) => !options?.traceIds || options.traceIds.includes(u.summary.id));
        const scope = found.capped ? ` (looked at the newest ${found.scanned} traces)` : '';
        if (!uses.length) {
          void notifications.info(
            `No recorded trace used ${file}${scope}; record the app using it (start the receiver and run it) or import such a trace.`,
            startReceiverFix(),
            importTracesFix(),
          );
          return [];
        }
        if (options?.confirm !== false) {
          const picked = await vscode.window.showQuickPick(
            uses.map((u) => ({
              label: u.summary.name || u.summary.id,
              description: `${relativeTime(u.summary.startTime)} · ${u.spanIds.length} span(s) use it`,
              picked: true,
              use: u,
            })),
            {
              title: `Replay with ${file}`,
              placeHolder: `Traces that used this prompt${scope}; the current editor content is the new version`,
              canPickMany: true,
              ignoreFocusOut: true,
            },
          );
          if (!picked?.length) return undefined;
          uses = picked.map((p) => p.use);
        }
        const store = await stores.get();
        const traces = (await Promise.all(uses.map((u) => store.getTrace(u.summary.id)))).filter(
          (t): t is Trace => !!t,
        );
        let model = options?.model;
        if (options?.confirm !== false) {
          const answer = await askModel(
            traces,
            await deps.configs(),
            { title: `Replay with ${file}: model`, current: model },
            deps.inputs?.(),
          );
          if (answer === undefined || answer === BACK) return undefined;
          model = answer ?? undefined;
        }
        const templatePath = await templatePathFor(uri, text, saved, stores.storeDir());
        const chosen = uses;
        return await startReplays(
          { notifications, configs: () => deps.configs(), log, runsOnWorkers: () => replays.runsOnWorkers },
          {
            traces,
            model,
            queue: async () => {
              // traceReplay.replay.repeat > 1: the samples of every trace share one run.
              const counts = repeatSetting();
              if (isRepeated(counts)) {
                log.info(`replays: ${CACHE_BYPASS_NOTICE}`);
                void notifications.info(SAMPLES_CACHE_NOTICE);
              }
              const run = randomUUID();
              const jobs: ReplayJob[] = [];
              for (const u of chosen) {
                const overrides = {
                  template: { kind: 'file' as const, path: templatePath },
                  templateSpanIds: u.spanIds,
                  ...(model ? { model } : {}),
                };
                for (const p of planSamples([u.summary.id], overrides, counts, run))
                  jobs.push(await replays.enqueue(p.traceId, p.overrides, p.sample));
              }
              // Samples get no toast each (replay-progress.ts): the batch's toast sums them up.
              if (isRepeated(counts)) deps.onBatchQueued?.(jobs);
              return jobs;
            },
            chooseModel: () =>
              vscode.commands.executeCommand(CommandId.ReplayWithTemplate, {
                uri,
                traceIds: chosen.map((u) => u.summary.id),
              }),
          },
        );
      } catch (err) {
        void notifications.reportError(err, `replay with ${file}`);
        return undefined;
      }
    },
  );
}
