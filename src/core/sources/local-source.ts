// The embedded local store as a TraceSource. Paging is by offset over the store's in-memory index
// (the cursor is the offset as text), so listing never reads trace documents.
import path from 'node:path';
import type { Trace } from '../model/trace';
import type { TraceStore } from '../store/trace-store';
import type { SourceListOptions, SourcePage, TraceSource } from './trace-source';

export const LOCAL_SOURCE_ID = 'local';

export class LocalTraceSource implements TraceSource {
  readonly id = LOCAL_SOURCE_ID;
  readonly label: string;
  private readonly defaultPageSize: number;

  constructor(
    private readonly store: TraceStore,
    options: { label?: string; defaultPageSize?: number } = {},
  ) {
    this.label = options.label ?? `Local store (${path.basename(store.dir)})`;
    this.defaultPageSize = options.defaultPageSize ?? 50;
  }

  async listTraces(options: SourceListOptions = {}): Promise<SourcePage> {
    const offset = parseCursor(options.cursor);
    const limit = Math.max(1, Math.floor(options.limit ?? this.defaultPageSize));
    const { name, ...rest } = options.filter ?? {};
    const filter = Object.values(rest).some((v) => v !== undefined) ? rest : undefined;
    let traces;
    let more: boolean;
    if (name === undefined) {
      // One extra summary tells whether there is a next page without counting.
      const got = await this.store.listTraces({ offset, limit: limit + 1, filter });
      more = got.length > limit;
      traces = got.slice(0, limit);
    } else {
      const wanted = name.toLowerCase();
      const all = (await this.store.listTraces({ filter })).filter((s) => s.name.toLowerCase().includes(wanted));
      traces = all.slice(offset, offset + limit);
      more = all.length > offset + limit;
    }
    const page: SourcePage = { traces };
    if (more) page.nextCursor = String(offset + limit);
    return page;
  }

  getTrace(id: string): Promise<Trace | undefined> {
    return this.store.getTrace(id);
  }
}

function parseCursor(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  const n = Number(cursor);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}
