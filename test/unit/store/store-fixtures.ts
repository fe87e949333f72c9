// Small local builders for the store tests (kept here so these tests do not depend on the shared
// test/support builders being written in parallel).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RawSpan, Span, Trace } from '../../../src/core/model/trace';
import { millisToNanos } from '../../../src/core/model/time';

let counter = 0;

export function traceId(n: number): string {
  return n.toString(16).padStart(32, '0');
}

export function spanId(n: number): string {
  return n.toString(16).padStart(16, '0');
}

export interface RawSpanInput {
  traceId: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  startMs?: number;
  /** Undefined end = still running (end time 0, as some exporters send unfinished spans). */
  endMs?: number | null;
  attributes?: RawSpan['attributes'];
  status?: RawSpan['status'];
  serviceName?: string;
}

export function rawSpan(input: RawSpanInput): RawSpan {
  const start = input.startMs ?? 1_700_000_000_000;
  const end = input.endMs === null ? undefined : (input.endMs ?? start + 10);
  return {
    traceId: input.traceId,
    spanId: input.spanId ?? spanId(++counter),
    parentSpanId: input.parentSpanId,
    name: input.name ?? 'span',
    otelKind: 1,
    startTimeUnixNano: millisToNanos(start),
    endTimeUnixNano: end === undefined ? '0' : millisToNanos(end),
    attributes: input.attributes ?? {},
    events: [],
    links: [],
    status: input.status ?? { code: 'unset' },
    resource: { 'service.name': input.serviceName ?? 'test-service' },
    scope: { name: 'store-test' },
  };
}

/** A normalized trace with one LLM span, for putTrace and filter tests. */
export function llmTrace(input: {
  id: string;
  name: string;
  startMs: number;
  model?: string;
  serviceName?: string;
  spans?: number;
}): Trace {
  const spans: Span[] = [];
  const count = input.spans ?? 1;
  for (let i = 0; i < count; i++) {
    const start = input.startMs + i;
    spans.push({
      id: spanId(i + 1),
      traceId: input.id,
      parentId: i === 0 ? undefined : spanId(1),
      name: i === 0 ? input.name : `child ${i}`,
      kind: i === 0 && input.model ? 'llm' : 'other',
      startTime: start,
      endTime: start + 100,
      startTimeUnixNano: millisToNanos(start),
      endTimeUnixNano: millisToNanos(start + 100),
      status: { code: 'ok' },
      attributes: { index: i },
      events: [],
      conventions: [],
      llm:
        i === 0 && input.model
          ? {
              api: 'chat.completions',
              requestModel: input.model,
              responseModel: input.model,
              messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
              parameters: {},
              output: { text: 'hello', toolCalls: [] },
              usage: { inputTokens: 3, outputTokens: 1, inputIncludesCache: true },
            }
          : undefined,
    });
  }
  return {
    id: input.id,
    name: input.name,
    startTime: input.startMs,
    endTime: input.startMs + count + 100,
    serviceName: input.serviceName,
    spans,
  };
}

export async function makeTempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'trace-store-test-'));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** The summaries index.json + index.log hold on disk (the log's lines applied over the snapshot),
 *  read the way another program would, without the store. */
export async function readIndexFiles(dir: string): Promise<Map<string, { id: string; spanCount: number }>> {
  const { readFile } = await import('node:fs/promises');
  const snapshot = JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf-8')) as {
    traces: { id: string; spanCount: number }[];
  };
  const byId = new Map(snapshot.traces.map((t) => [t.id, t]));
  const log = await readFile(path.join(dir, 'index.log'), 'utf-8').catch(() => '');
  for (const line of log.split('\n').filter(Boolean)) {
    const entry = JSON.parse(line) as { u?: { id: string; spanCount: number }; d?: string };
    if (entry.u) byId.set(entry.u.id, entry.u);
    if (entry.d) byId.delete(entry.d);
  }
  return byId;
}
