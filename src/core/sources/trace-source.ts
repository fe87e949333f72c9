// A platform that holds traces: the embedded local store, or a remote one (Langfuse). The CLI's
// `--source` and the extension's Traces view switch between sources; the replay engine reads the
// original trace through one, and may write the replayed trace back to it.
import type { Trace, TraceSummary } from '../model/trace';

export interface SourceListOptions {
  /** Opaque paging cursor from the previous page. */
  cursor?: string;
  limit?: number;
  filter?: { text?: string; name?: string; model?: string; since?: number; until?: number };
}

export interface SourcePage {
  traces: TraceSummary[];
  /** Absent on the last page. */
  nextCursor?: string;
}

export interface TraceSource {
  /** 'local', or 'langfuse' / 'langfuse:<connection name>'. */
  readonly id: string;
  /** Shown to people: "Local store (.trace-replay)", "Langfuse (cloud.langfuse.com)". */
  readonly label: string;
  listTraces(options?: SourceListOptions): Promise<SourcePage>;
  /** Undefined when the source does not have it (deleted, outside its retention window). */
  getTrace(id: string): Promise<Trace | undefined>;
}
