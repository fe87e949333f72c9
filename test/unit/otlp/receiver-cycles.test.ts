// Span cycles through the receiver into a real store (#13): two spans that are each other's parent,
// sent in two requests, and a span that is its own parent next to good spans are all answered 200
// and stored (before, assembly overflowed the stack and the receiver answered 503 forever, so
// exporters retried forever and the good spans of the request were lost).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startOtlpReceiver, type OtlpReceiver } from '../../../src/core/otlp/receiver';
import { TraceStore } from '../../../src/core/store/trace-store';
import { httpRequest } from './otlp-test-helpers';

const TRACE = '6b8efff798038103d269b633813fc60c';
const OTHER = '7b8efff798038103d269b633813fc60c';
const CHAT = [
  { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
  { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
];

function span(traceId: string, id: string, parent: string | undefined, start: number): Record<string, unknown> {
  return {
    traceId,
    spanId: id.repeat(16),
    ...(parent ? { parentSpanId: parent.repeat(16) } : {}),
    name: `span-${id}`,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + 100),
    attributes: CHAT,
  };
}

function post(receiver: OtlpReceiver, spans: unknown[]): Promise<number> {
  return httpRequest(receiver.endpoint, {
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] }),
  }).then((r) => r.status);
}

describe('OTLP receiver with span cycles into a store', () => {
  let dir: string;
  let store: TraceStore;
  let receiver: OtlpReceiver;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tr-cycles-'));
    store = await TraceStore.open(dir);
    receiver = await startOtlpReceiver({ port: 0, onSpans: async (spans) => void (await store.ingest(spans)) });
  });

  afterEach(async () => {
    await receiver.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores cycles (also across requests) and the good spans beside them, answering 200', async () => {
    assert.equal(
      await post(receiver, [span(TRACE, 'a', 'b', 1000), span(OTHER, '1', undefined, 10), span(OTHER, '2', '1', 20)]),
      200,
    );
    assert.equal(
      await post(receiver, [span(TRACE, 'b', 'a', 1050), span(TRACE, 'c', 'c', 1060), span(OTHER, '3', '3', 30)]),
      200,
    );
    const trace = await store.getTrace(TRACE);
    const parents = new Map(trace?.spans.map((s) => [s.name, s.parentId ?? null]));
    assert.deepEqual(Object.fromEntries(parents), { 'span-a': null, 'span-b': 'a'.repeat(16), 'span-c': null });
    const other = await store.getTrace(OTHER);
    assert.equal(other?.spans.length, 3);
    assert.equal(other?.spans.filter((s) => s.warnings?.some((w) => w.includes('parent cycle'))).length, 1);
  });
});
