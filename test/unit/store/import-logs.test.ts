// File import of OTLP logs exports, alone or mixed with trace exports, on the real captured
// fixtures of @opentelemetry/instrumentation-openai (content in log records, spans without it).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { importOtlpFiles } from '../../../src/core/ingest/import-files';
import type { Trace } from '../../../src/core/model/trace';
import { TraceStore } from '../../../src/core/store/trace-store';
import { makeTempDir, removeDir } from './store-fixtures';

const FIXTURES = path.join(__dirname, '../../fixtures/otlp');
const TRACES = path.join(FIXTURES, 'otel-openai-agent.json');
const LOGS = path.join(FIXTURES, 'otel-openai-agent.logs.json');
const bodies = (file: string): unknown[] => JSON.parse(readFileSync(file, 'utf8')) as unknown[];
const TRACE_ID = (bodies(TRACES)[0] as { resourceSpans: { scopeSpans: { spans: { traceId: string }[] }[] }[] })
  .resourceSpans[0].scopeSpans[0].spans[0].traceId;

/** The agent run: two model calls with their whole conversation, read from the joined log events. */
function assertAgentConversation(trace: Trace | undefined): void {
  const calls = trace?.spans.filter((s) => s.kind === 'llm').map((s) => s.llm!) ?? [];
  assert.equal(calls.length, 2);
  const [first, second] = calls;
  assert.deepEqual(
    first.messages.map((m) => m.role),
    ['system', 'user'],
  );
  assert.deepEqual(
    first.output.toolCalls.map((c) => [c.name, c.arguments]),
    [['get_weather', { city: 'Paris' }]],
  );
  assert.deepEqual(
    second.messages.map((m) => m.role),
    ['system', 'user', 'assistant', 'tool'],
  );
  assert.match(second.output.text, /sunny/i);
}

describe('import: OTLP logs exports', () => {
  let dir: string;
  let work: string;
  let store: TraceStore;

  beforeEach(async () => {
    dir = await makeTempDir();
    work = await makeTempDir();
    store = await TraceStore.open(dir);
  });

  afterEach(async () => {
    await store.close();
    await removeDir(dir);
    await removeDir(work);
  });

  it('joins a logs file imported before its traces file', async () => {
    const report = await importOtlpFiles(store, [LOGS, TRACES]);
    const [logs, traces] = report.files;
    assert.deepEqual(
      [logs.ok, logs.logRecords, logs.joinedLogRecords, logs.ignoredLogRecords, logs.spans, logs.errors],
      [true, 8, 0, 0, 0, []],
    );
    assert.deepEqual([traces.ok, traces.spans, traces.joinedLogRecords, traces.traceIds], [true, 4, 8, [TRACE_ID]]);
    assert.equal(report.pendingLogRecords, 0);
    assertAgentConversation(await store.getTrace(TRACE_ID));
  });

  it('joins a logs file imported after its traces file', async () => {
    const report = await importOtlpFiles(store, [TRACES, LOGS]);
    assert.deepEqual(
      [report.files[1].joinedLogRecords, report.files[1].traceIds, report.pendingLogRecords],
      [8, [TRACE_ID], 0],
    );
    assertAgentConversation(await store.getTrace(TRACE_ID));
  });

  it('joins across two imports in two store opens, reporting what waits in between', async () => {
    const first = await importOtlpFiles(store, [LOGS]);
    assert.equal(first.pendingLogRecords, 8);
    await store.close();
    store = await TraceStore.open(dir);
    const second = await importOtlpFiles(store, [TRACES]);
    assert.deepEqual([second.files[0].joinedLogRecords, second.pendingLogRecords], [8, 0]);
    assertAgentConversation(await store.getTrace(TRACE_ID));
  });

  it('reads logs and trace bodies mixed in one JSON array, and in JSONL lines, in any order', async () => {
    const mixed = path.join(work, 'mixed.json');
    await writeFile(mixed, JSON.stringify([...bodies(LOGS), ...bodies(TRACES)]));
    const report = await importOtlpFiles(store, [mixed]);
    assert.deepEqual(
      [report.files[0].ok, report.files[0].spans, report.files[0].logRecords, report.files[0].joinedLogRecords],
      [true, 4, 8, 8],
    );
    assertAgentConversation(await store.getTrace(TRACE_ID));

    const otherDir = await makeTempDir();
    const other = await TraceStore.open(otherDir);
    try {
      const lines = path.join(work, 'mixed.jsonl');
      await writeFile(lines, [...bodies(TRACES), ...bodies(LOGS)].map((b) => JSON.stringify(b)).join('\n'));
      const jsonl = await importOtlpFiles(other, [lines]);
      assert.deepEqual([jsonl.files[0].ok, jsonl.files[0].joinedLogRecords, jsonl.pendingLogRecords], [true, 8, 0]);
      assertAgentConversation(await other.getTrace(TRACE_ID));
    } finally {
      await other.close();
      await removeDir(otherDir);
    }
  });

  it('reports rejected and ignored log records while importing the rest', async () => {
    const [logsBody] = bodies(LOGS) as { resourceLogs: { scopeLogs: { logRecords: Record<string, unknown>[] }[] }[] }[];
    const records = logsBody.resourceLogs[0].scopeLogs[0].logRecords;
    records.push(
      { ...records[0], spanId: 'not-an-id' },
      { timeUnixNano: '1', body: { stringValue: 'an application log line' } },
    );
    const file = path.join(work, 'logs.json');
    await writeFile(file, JSON.stringify([logsBody, 'not an export', ...bodies(TRACES)]));
    const report = await importOtlpFiles(store, [file]);
    const f = report.files[0];
    assert.deepEqual(
      [f.ok, f.logRecords, f.rejectedLogRecords, f.ignoredLogRecords, f.joinedLogRecords, f.spans],
      [false, 9, 1, 1, 8, 4],
    );
    assert.ok(
      f.errors.includes('body 1: log record rejected: invalid spanId: expected 16 hex characters'),
      f.errors.join('\n'),
    );
    assert.ok(
      f.errors.some((e) => e.startsWith('body 2: not an OTLP trace or logs export')),
      f.errors.join('\n'),
    );
    assertAgentConversation(await store.getTrace(TRACE_ID));
  });
});
