// Turns queue events into what a person sees while replays run: a cancellable progress
// notification per job (span counts), and a notification when it ends ("Open Comparison" on
// success; the reason, its fix when it has one, and "Open Output" on failure, details in the log).
// The repeated samples of one run (traceReplay.replay.repeat, the wizard's Samples row) share ONE
// progress notification ("3 of 6 replays finished", its Cancel stops them all) and no toast each
// when they complete: the batch's own toast sums them up with "Open Batch Summary" (batch-summary.ts);
// a failed sample still says why. Events only, no polling.
import * as vscode from 'vscode';
import type { ReplayEvent, ReplayJob } from '../../core/replay/replay-types';
import { CommandId } from '../common/command-ids';
import { failedJobFix, openOutputFix, type Notifications } from '../common/notifications';
import { Disposable, toDisposable } from '../common/lifecycle';
import type { Log } from '../common/log';
import { jobFacts, spanSummary } from './replay-format';
import type { ReplayHost } from './replay-host';
import type { StoreHost } from '../store/store-host';

interface Shown {
  progress?: vscode.Progress<{ message?: string; increment?: number }>;
  total: number;
  finished: number;
  end: () => void;
}

/** The samples of one run, shown together. */
interface RunShown {
  jobs: Set<string>;
  /** The samples one trace gets (the run's counts): the least the run will have. */
  perTrace: number;
  finished: number;
  progress?: vscode.Progress<{ message?: string; increment?: number }>;
  end: () => void;
}

export class ReplayProgress extends Disposable {
  private readonly shown = new Map<string, Shown>();
  /** By sample run id. */
  private readonly runs = new Map<string, RunShown>();

  constructor(
    private readonly replays: ReplayHost,
    private readonly stores: StoreHost,
    private readonly log: Log,
    private readonly notifications: Notifications,
  ) {
    super();
    this.register(replays.onDidEvent((e) => this.onEvent(e)));
    this.register(toDisposable(() => [...this.shown.values(), ...this.runs.values()].forEach((s) => s.end())));
  }

  private traceName(job: ReplayJob): string {
    return this.stores.current()?.getSummary(job.traceId)?.name || job.traceId.slice(0, 8);
  }

  private onEvent(e: ReplayEvent): void {
    switch (e.type) {
      case 'job-queued':
        this.start(e.job);
        break;
      case 'job-started':
        this.shown.get(e.job.id)?.progress?.report({ message: 'running…' });
        break;
      case 'span-finished': {
        const s = this.shown.get(e.job.id);
        if (!s) break;
        if (e.result.kind !== 'llm') break;
        s.finished++;
        s.progress?.report({
          message: `${s.finished}/${s.total} LLM call${s.total === 1 ? '' : 's'}`,
          increment: s.total ? 100 / s.total : undefined,
        });
        break;
      }
      case 'job-finished': {
        this.shown.get(e.job.id)?.end();
        this.shown.delete(e.job.id);
        const run = e.job.sample?.run !== undefined ? this.runs.get(e.job.sample.run) : undefined;
        if (run?.jobs.has(e.job.id)) this.finishInRun(e.job.sample!.run!, run, e.job);
        else this.announce(e.job);
        break;
      }
    }
  }

  private start(job: ReplayJob): void {
    if (this.shown.has(job.id)) return;
    if (job.sample?.run !== undefined) return this.startInRun(job.sample.run, job);
    // Only LLM spans are sent (and reported by span events); the others are reused as recorded.
    const total = this.stores.current()?.getSummary(job.traceId)?.llmSpanCount ?? 0;
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    const shown: Shown = { total, finished: job.spans.filter((s) => s.kind === 'llm').length, end };
    this.shown.set(job.id, shown);
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Replay of ${this.traceName(job)}`, cancellable: true },
      (progress, token) => {
        shown.progress = progress;
        progress.report({ message: 'queued' });
        token.onCancellationRequested(() => void this.replays.cancel(job.id));
        return ended;
      },
    );
  }

  /** A sample joins its run's one progress notification (opened by the run's first sample). */
  private startInRun(runId: string, job: ReplayJob): void {
    const existing = this.runs.get(runId);
    if (existing) {
      existing.jobs.add(job.id);
      existing.progress?.report({ message: runMessage(existing) });
      return;
    }
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    const of = job.sample?.of;
    const run: RunShown = {
      jobs: new Set([job.id]),
      perTrace: of ? of.repeat + of.baselineRepeat : 1,
      finished: 0,
      end,
    };
    this.runs.set(runId, run);
    void vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Repeated samples of ${this.traceName(job)}`,
        cancellable: true,
      },
      (progress, token) => {
        run.progress = progress;
        progress.report({ message: runMessage(run) });
        token.onCancellationRequested(() => {
          for (const id of run.jobs) void this.replays.cancel(id);
        });
        return ended;
      },
    );
  }

  /** A sample ended: counted in its run's notification; only a failure gets a toast of its own. */
  private finishInRun(runId: string, run: RunShown, job: ReplayJob): void {
    run.finished++;
    run.progress?.report({ message: runMessage(run), increment: 100 / runTotal(run) });
    if (job.status === 'COMPLETED')
      this.log.info(`replay ${job.id} of ${job.traceId} completed: ${[spanSummary(job), ...jobFacts(job)].join(', ')}`);
    else this.announce(job);
    if (run.finished >= run.jobs.size) {
      run.end();
      this.runs.delete(runId);
    }
  }

  private announce(job: ReplayJob): void {
    const name = this.traceName(job);
    if (job.status === 'COMPLETED') {
      const text = [spanSummary(job), ...jobFacts(job)].join(', ');
      this.log.info(`replay ${job.id} of ${job.traceId} completed: ${text}`);
      void this.notifications.info(`Replay of ${name} completed: ${text}.`, {
        title: 'Open Comparison',
        run: () => vscode.commands.executeCommand(CommandId.OpenComparison, job.id),
      });
    } else if (job.status === 'FAILED') {
      this.log.error(
        `replay ${job.id} of ${job.traceId} failed (${job.errorCode ?? 'no code'}): ${job.error ?? 'no reason given'}`,
      );
      for (const s of job.spans) if (s.error) this.log.error(`  span ${s.originalSpanId}: ${s.error}`);
      const reason = job.error ?? job.spans.find((s) => s.error)?.error ?? 'see the output for details.';
      // The fix first when the failure has one (a missing key, an unknown model); the log second.
      const fix = failedJobFix(job);
      void this.notifications.error(
        `Replay of ${name} failed: ${reason}`,
        ...(fix ? [fix] : []),
        openOutputFix(this.log),
      );
    } else {
      this.log.info(`replay ${job.id} of ${job.traceId} ${job.status.toLowerCase()}`);
    }
  }
}

/** The run's replays so far: its queued samples, at least the counts of one trace (they are queued one by one). */
function runTotal(run: RunShown): number {
  return Math.max(run.jobs.size, run.perTrace);
}

function runMessage(run: RunShown): string {
  return `${run.finished} of ${runTotal(run)} replays finished`;
}
