// Joining OTLP log records (GenAI events) to their spans in the store, whichever arrives first.
import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Attributes, RawSpan } from '../../../src/core/model/trace';
import type { RawLogRecord } from '../../../src/core/otlp/otlp-logs-converter';
import { LOG_RECORD_MARKER } from '../../../src/core/store/log-events';
import { PENDING_LOGS_COLLECTION } from '../../../src/core/store/pending-logs';
import { TraceStore } from '../../../src/core/store/trace-store';
import { makeTempDir, rawSpan, removeDir, spanId, traceId } from './store-fixtures';

const T = traceId(0xabc);
const LLM = spanId(0x11);

/** A chat span as @opentelemetry/instrumentation-openai records it: model and usage, no content. */
function chatSpan(overrides: Partial<RawSpan> = {}): RawSpan {
  return {
    ...rawSpan({
      traceId: T,
      spanId: LLM,
      name: 'chat gpt-4o-mini',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': 12,
      },
    }),
    ...overrides,
  };
}

let clock = 1_700_000_000_000_000_000n;

function record(
  eventName: string,
  body: RawLogRecord['body'],
  ids: { traceId?: string; spanId?: string } = { traceId: T, spanId: LLM },
  attributes: Attributes = {},
): RawLogRecord {
  clock += 1000n;
  const r: RawLogRecord = {
    ...ids,
    timeUnixNano: String(clock),
    observedTimeUnixNano: String(clock),
    eventName,
    attributes: { 'event.name': eventName, 'gen_ai.system': 'openai', ...attributes },
    resource: { 'service.name': 'app' },
    scope: { name: '@opentelemetry/instrumentation-openai' },
  };
  if (body !== undefined) r.body = body;
  return r;
}

function conversation(ids?: { traceId?: string; spanId?: string }): RawLogRecord[] {
  return [
    record('gen_ai.system.message', { content: 'Be brief.' }, ids),
    record('gen_ai.user.message', { content: 'Hi there' }, ids),
    record('gen_ai.choice', { index: 0, finish_reason: 'stop', message: { content: 'Hello!' } }, ids),
  ];
}

describe('TraceStore: OTLP log records join their spans', () => {
  let dir: string;
  let store: TraceStore;

  beforeEach(async () => {
    dir = await makeTempDir();
    store = await TraceStore.open(dir);
  });

  afterEach(async () => {
    await store.close();
    await removeDir(dir);
  });

  async function llmOf(
    id = LLM,
  ): Promise<NonNullable<Awaited<ReturnType<TraceStore['getTrace']>>>['spans'][number]['llm']> {
    return (await store.getTrace(T))?.spans.find((s) => s.id === id)?.llm;
  }

  function assertConversation(llm: Awaited<ReturnType<typeof llmOf>>): void {
    assert.deepEqual(llm?.messages, [
      { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Hi there' }] },
    ]);
    assert.equal(llm?.output.text, 'Hello!');
    assert.equal(llm?.output.finishReason, 'stop');
    assert.equal(llm?.requestModel, 'gpt-4o-mini');
    assert.equal(llm?.usage?.inputTokens, 12);
  }

  it('joins records that arrive after their span, as marked events, and re-indexes the trace', async () => {
    await store.ingest([chatSpan()]);
    assert.deepEqual((await llmOf())?.messages, []);
    const seen: string[][] = [];
    store.onDidChange((e) => seen.push(e.traceIds));
    const result = await store.ingestLogs(conversation());
    assert.deepEqual(
      [
        result.joinedLogRecords,
        result.pendingLogRecords,
        result.ignoredWithoutSpan,
        result.ignoredNotGenAi,
        result.droppedLogRecords,
        result.traceIds,
      ],
      [3, 0, 0, 0, 0, [T]],
    );
    assertConversation(await llmOf());
    const span = (await store.getTrace(T))?.spans[0];
    assert.deepEqual(
      span?.events.map((e) => [e.name, e.attributes[LOG_RECORD_MARKER]]),
      [
        ['gen_ai.system.message', true],
        ['gen_ai.user.message', true],
        ['gen_ai.choice', true],
      ],
    );
    assert.deepEqual(span?.events[1].attributes['event.body'], { content: 'Hi there' });
    assert.deepEqual(seen, [[T]]);
    assert.equal(store.getSummary(T)?.llmSpanCount, 1);
  });

  it('keeps records that arrive before their span pending (on disk) and joins them when the span comes', async () => {
    const logs = await store.ingestLogs(conversation());
    assert.deepEqual([logs.joinedLogRecords, logs.pendingLogRecords, logs.pendingTotal, logs.traceIds], [0, 3, 3, []]);
    assert.equal(store.pendingLogRecordCount, 3);
    assert.equal(
      (await readdir(path.join(dir, PENDING_LOGS_COLLECTION))).length,
      1,
      'one document per ingestLogs call',
    );
    assert.equal(await store.getTrace(T), undefined, 'no trace is made from logs alone');

    const spans = await store.ingest([chatSpan()]);
    assert.equal(spans.joinedLogRecords, 3);
    assertConversation(await llmOf());
    assert.equal(store.pendingLogRecordCount, 0);
    assert.deepEqual(await readdir(path.join(dir, PENDING_LOGS_COLLECTION)), []);
  });

  it('joins records of one call split over two requests, one before and one after the span', async () => {
    const [system, user, choice] = conversation();
    await store.ingestLogs([system, user]);
    await store.ingest([chatSpan()]);
    const after = await store.ingestLogs([choice]);
    assert.equal(after.joinedLogRecords, 1);
    assertConversation(await llmOf());
  });

  it('keeps pending records across store opens (another process run)', async () => {
    await store.ingestLogs(conversation());
    await store.close();
    store = await TraceStore.open(dir);
    assert.equal(store.pendingLogRecordCount, 0, 'the buffer is read on first use');
    const result = await store.ingest([chatSpan()]);
    assert.equal(result.joinedLogRecords, 3);
    assertConversation(await llmOf());
    await store.close();
    store = await TraceStore.open(dir);
    assertConversation(await llmOf());
  });

  it('rewrites a batch without the records that joined; the others still wait after a reopen', async () => {
    const other = traceId(0x777);
    await store.ingestLogs([
      ...conversation(),
      record('gen_ai.user.message', { content: 'later' }, { traceId: other, spanId: spanId(7) }),
    ]);
    assert.equal((await store.ingest([chatSpan()])).joinedLogRecords, 3);
    assert.equal(store.pendingLogRecordCount, 1);
    await store.close();
    store = await TraceStore.open(dir);
    const joined = await store.ingest([
      rawSpan({ traceId: other, spanId: spanId(7), attributes: { 'gen_ai.operation.name': 'chat' } }),
    ]);
    assert.equal(joined.joinedLogRecords, 1, 'only the record that had not joined yet');
    assert.deepEqual((await store.getTrace(other))?.spans[0].llm?.messages, [
      { role: 'user', parts: [{ type: 'text', text: 'later' }] },
    ]);
    assert.deepEqual(await readdir(path.join(dir, PENDING_LOGS_COLLECTION)), []);
  });

  it('keeps log-derived events when a more complete copy of the span replaces the stored one', async () => {
    await store.ingest([chatSpan({ endTimeUnixNano: '0' })]);
    await store.ingestLogs(conversation());
    const finished = chatSpan({
      status: { code: 'ok' },
      attributes: { ...chatSpan().attributes, 'gen_ai.usage.output_tokens': 3 },
    });
    const result = await store.ingest([finished]);
    assert.equal(result.duplicateSpans, 1);
    const llm = await llmOf();
    assertConversation(llm);
    assert.equal(llm?.usage?.outputTokens, 3, 'the newer copy won');
    assert.equal((await store.getTrace(T))?.spans[0].status.code, 'ok');
  });

  it('does not add a re-sent record twice (exporter retry), pending or joined', async () => {
    const logs = conversation();
    await store.ingestLogs(logs);
    await store.ingestLogs(logs);
    assert.equal(store.pendingLogRecordCount, 3);
    await store.ingest([chatSpan()]);
    const again = await store.ingestLogs(logs);
    assert.equal(again.joinedLogRecords, 3);
    assert.deepEqual(again.traceIds, [], 'nothing changed, nothing written');
    assert.equal((await store.getTrace(T))?.spans[0].events.length, 3);
    assertConversation(await llmOf());
  });

  it('ignores and counts records without span context or that are not GenAI events', async () => {
    const result = await store.ingestLogs([
      record('gen_ai.user.message', { content: 'x' }, {}),
      record('gen_ai.user.message', { content: 'x' }, { traceId: T }),
      record('app.request', 'GET /', { traceId: T, spanId: LLM }),
      record('', 'plain log line'),
      record('', 'plain log line without span context', {}),
    ]);
    assert.deepEqual(
      [result.joinedLogRecords, result.pendingLogRecords, result.ignoredWithoutSpan, result.ignoredNotGenAi],
      [0, 0, 2, 3],
    );
    assert.equal(store.pendingLogRecordCount, 0);
  });

  it('a record for a span that never comes never breaks ingest of the others', async () => {
    const other = traceId(0xdef);
    await store.ingest([chatSpan()]);
    const result = await store.ingestLogs([
      ...conversation(),
      record('gen_ai.user.message', { content: 'lost' }, { traceId: T, spanId: spanId(0x99) }),
      record('gen_ai.user.message', { content: 'lost too' }, { traceId: other, spanId: spanId(0x98) }),
    ]);
    assert.deepEqual([result.joinedLogRecords, result.pendingLogRecords], [3, 2]);
    assertConversation(await llmOf());
    const more = await store.ingest([rawSpan({ traceId: other, spanId: spanId(0x01) })]);
    assert.equal(more.acceptedSpans, 1);
    assert.equal(more.joinedLogRecords, undefined);
    assert.equal(store.pendingLogRecordCount, 2);
  });

  it('moves a corrupt pending document aside and keeps ingesting', async () => {
    await store.ingestLogs(conversation());
    await store.close();
    const [doc] = await readdir(path.join(dir, PENDING_LOGS_COLLECTION));
    await writeFile(path.join(dir, PENDING_LOGS_COLLECTION, doc), '{"version":1,"records":');
    store = await TraceStore.open(dir);
    const result = await store.ingest([chatSpan()]);
    assert.equal(result.acceptedSpans, 1);
    assert.equal(result.joinedLogRecords, undefined);
    const names = await readdir(path.join(dir, PENDING_LOGS_COLLECTION));
    assert.ok(
      names.some((n) => n.startsWith(`${doc}.corrupt-`)),
      names.join(', '),
    );
    const later = await store.ingestLogs(conversation());
    assert.equal(later.joinedLogRecords, 3);
  });
});

describe('TraceStore: the pending log buffer is bounded', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await makeTempDir();
  });

  afterEach(async () => {
    await removeDir(dir);
  });

  it('drops the oldest records past the limit, counts them, and joins the rest', async () => {
    const store = await TraceStore.open(dir, { pendingLogRecordLimit: 3 });
    try {
      const oldT = traceId(0x1);
      const oldest = record('gen_ai.user.message', { content: 'oldest' }, { traceId: oldT, spanId: spanId(1) });
      const first = await store.ingestLogs([oldest, ...conversation()]);
      assert.deepEqual(
        [first.pendingLogRecords, first.droppedLogRecords, first.pendingTotal, first.pendingLimit],
        [4, 1, 3, 3],
      );
      const second = await store.ingestLogs([
        record('gen_ai.user.message', { content: 'new' }, { traceId: oldT, spanId: spanId(1) }),
      ]);
      assert.equal(second.droppedLogRecords, 1, 'the system message of T, now the oldest');
      assert.equal(store.pendingLogRecordCount, 3);

      const joinedT = await store.ingest([chatSpan()]);
      assert.equal(joinedT.joinedLogRecords, 2);
      const llm = (await store.getTrace(T))?.spans[0].llm;
      assert.deepEqual(
        llm?.messages.map((m) => m.role),
        ['user'],
      );
      assert.equal(llm?.output.text, 'Hello!');

      const joinedOld = await store.ingest([
        rawSpan({ traceId: oldT, spanId: spanId(1), attributes: { 'gen_ai.operation.name': 'chat' } }),
      ]);
      assert.equal(joinedOld.joinedLogRecords, 1);
      const oldLlm = (await store.getTrace(oldT))?.spans[0].llm;
      assert.deepEqual(oldLlm?.messages, [{ role: 'user', parts: [{ type: 'text', text: 'new' }] }]);
      assert.equal(store.pendingLogRecordCount, 0);
    } finally {
      await store.close();
    }
  });

  it('keeps the arrival order across opens (new records after old ones)', async () => {
    let store = await TraceStore.open(dir, { pendingLogRecordLimit: 2 });
    await store.ingestLogs([
      record('gen_ai.user.message', { content: 'a' }, { traceId: traceId(1), spanId: spanId(1) }),
    ]);
    await store.close();
    store = await TraceStore.open(dir, { pendingLogRecordLimit: 2 });
    try {
      const r = await store.ingestLogs([
        record('gen_ai.user.message', { content: 'b' }, { traceId: traceId(2), spanId: spanId(2) }),
        record('gen_ai.user.message', { content: 'c' }, { traceId: traceId(2), spanId: spanId(2) }),
      ]);
      assert.equal(r.droppedLogRecords, 1);
      const joined = await store.ingest([
        rawSpan({ traceId: traceId(2), spanId: spanId(2), attributes: { 'gen_ai.operation.name': 'chat' } }),
      ]);
      assert.equal(joined.joinedLogRecords, 2, 'the record of the earlier run was the one dropped');
    } finally {
      await store.close();
    }
  });
});
