// Progress of running replay jobs on stderr (one bar per job, counting LLM spans), only on a TTY:
// piped or --json runs stay clean.
import type * as CliProgress from 'cli-progress';
import type { ReplayEvent } from '../core/replay/replay-types';

export class ReplayProgress {
  // Loaded only when bars are shown (a TTY), not when the CLI starts.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the lazy load described above
  private readonly progress = require('cli-progress') as typeof CliProgress;
  private readonly multibar = new this.progress.MultiBar(
    {
      stream: process.stderr,
      format: ' {trace} |{bar}| {value}/{total} LLM spans  {status}',
      hideCursor: true,
      clearOnComplete: false,
    },
    this.progress.Presets.shades_classic,
  );
  private readonly bars = new Map<string, CliProgress.SingleBar>();

  static enabled(json: boolean | undefined): boolean {
    return !json && process.stderr.isTTY === true;
  }

  /** `llmSpans` per job id: the bar totals, known from the trace summaries. */
  constructor(private readonly llmSpans: Map<string, number>) {}

  handle(event: ReplayEvent): void {
    const { job } = event;
    let bar = this.bars.get(job.id);
    if (!bar) {
      bar = this.multibar.create(this.llmSpans.get(job.id) ?? 0, 0, {
        trace: job.traceId.slice(0, 12),
        status: job.status,
      });
      this.bars.set(job.id, bar);
    }
    const done = job.spans.filter((s) => s.kind === 'llm').length;
    bar.update(done, { status: job.status });
  }

  stop(): void {
    this.multibar.stop();
  }
}
