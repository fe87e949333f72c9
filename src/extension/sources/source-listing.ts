// The trace list of a remote source (a platform) as read so far: the pages in order, the cursor of
// the next one, and the error of the last read. It reads only when asked — the first display, "Load
// more", Refresh — never on its own and never again after an error until the user acts: Langfuse
// Cloud allows as little as 30 requests a minute.
import type { TraceSummary } from '../../core/model/trace';
import type { PlatformTraceSource } from '../../core/sources/platform';
import type { SourceListOptions } from '../../core/sources/trace-source';
import { matchesTraceFilter, type TraceFilter } from '../../core/store/trace-filter';

export interface ListingState {
  traces: TraceSummary[];
  /** Another page can be read. */
  hasMore: boolean;
  /** The last read failed (the pages read before it stay). */
  error?: unknown;
  /** Nothing was read yet. */
  pending: boolean;
}

export class SourceListing {
  private traces: TraceSummary[] = [];
  private cursor: string | undefined;
  private done = false;
  private error: unknown;
  private reading: Promise<void> | undefined;
  private started = false;

  constructor(
    readonly sourceId: string,
    private readonly open: () => Promise<PlatformTraceSource>,
    /** The view's filter: text, model, since and until go to the source; prompt is matched here. */
    private readonly filter: TraceFilter | undefined,
    /** Ask the source again instead of serving its cached pages (Refresh, a switch of source). */
    private readonly fresh = false,
  ) {}

  state(): ListingState {
    return {
      traces: this.traces,
      hasMore: !this.done && this.cursor !== undefined,
      error: this.error,
      pending: !this.started,
    };
  }

  /** Reads the first page unless it was read (or tried) already. */
  first(): Promise<void> {
    if (this.started) return this.reading ?? Promise.resolve();
    return this.read();
  }

  /** Reads the next page, or retries the read that failed (a second click while a page is being
   *  read waits for the same read). */
  more(): Promise<void> {
    if (this.reading) return this.reading;
    if (this.started && this.done && this.error === undefined) return Promise.resolve();
    return this.read();
  }

  private read(): Promise<void> {
    const first = !this.started;
    this.started = true;
    const reading = (async () => {
      try {
        const source = await this.open();
        if (first && this.fresh) await source.refreshList();
        const page = await source.listTraces({ cursor: this.cursor, filter: sourceFilter(this.filter) });
        const seen = new Set(this.traces.map((t) => t.id));
        const prompt = this.filter?.prompt;
        this.traces = [
          ...this.traces,
          ...page.traces.filter((t) => !seen.has(t.id) && (prompt === undefined || matchesTraceFilter(t, { prompt }))),
        ];
        this.cursor = page.nextCursor;
        this.done = page.nextCursor === undefined;
        this.error = undefined;
      } catch (err) {
        this.error = err;
      } finally {
        this.reading = undefined;
      }
    })();
    this.reading = reading;
    return reading;
  }
}

function sourceFilter(filter: TraceFilter | undefined): SourceListOptions['filter'] {
  if (!filter) return undefined;
  const { text, model, since, until } = filter;
  return { text, model, since, until };
}
