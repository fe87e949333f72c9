// The Python opentelemetry-instrumentation-openai-v2 recordings (test/fixtures/python): the exact
// OTLP/HTTP protobuf requests of each run, sent again to the receiver wired to a store, in their
// order and with every logs request first. Both event generations (one record per message, and the
// latest gen_ai.client.inference.operation.details record with structured attributes) and content
// capture off must end as the same LLM calls as the span-only recording.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LlmCall } from '../../../src/core/model/trace';
import { startOtlpReceiver, type OtlpReceiver } from '../../../src/core/otlp/receiver';
import { TraceStore } from '../../../src/core/store/trace-store';
import { httpRequest } from '../otlp/otlp-test-helpers';
import { makeTempDir, removeDir } from './store-fixtures';

interface PythonFixture {
  exports: { path: '/v1/traces' | '/v1/logs'; contentType: string; bodyBase64: string }[];
}

const DIR = path.join(__dirname, '../../fixtures/python');
const load = (name: string): PythonFixture =>
  JSON.parse(readFileSync(path.join(DIR, `${name}.json`), 'utf8')) as PythonFixture;

/** Roles, text and tool calls of every LLM call of the store, in start order. */
async function calls(
  store: TraceStore,
): Promise<{ messages: string[]; output: string; toolCalls: string[]; warnings: string[] }[]> {
  const out = [];
  for (const summary of await store.listTraces()) {
    const trace = await store.getTrace(summary.id);
    for (const span of trace?.spans ?? []) {
      if (!span.llm) continue;
      const llm: LlmCall = span.llm;
      out.push({
        messages: llm.messages.map(
          (m) => `${m.role}:${m.parts.map((p) => (p.type === 'text' ? p.text : p.type)).join('+')}`,
        ),
        output: llm.output.text,
        toolCalls: llm.output.toolCalls.map((c) => `${c.name}(${JSON.stringify(c.arguments)})`),
        warnings: span.warnings ?? [],
      });
    }
  }
  return out;
}

describe('store: Python OTel openai-v2 recordings joined through the receiver', () => {
  let dir: string;
  let store: TraceStore;
  let receiver: OtlpReceiver;

  beforeEach(async () => {
    dir = await makeTempDir();
    store = await TraceStore.open(dir);
    receiver = await startOtlpReceiver({
      port: 0,
      onSpans: async (spans) => {
        await store.ingest(spans);
      },
      onLogRecords: (records) => store.ingestLogs(records),
    });
  });

  afterEach(async () => {
    await receiver.close();
    await store.close();
    await removeDir(dir);
  });

  async function send(fixture: PythonFixture, logsFirst: boolean): Promise<void> {
    const order = logsFirst
      ? [...fixture.exports].sort((a, b) => (a.path === b.path ? 0 : a.path === '/v1/logs' ? -1 : 1))
      : fixture.exports;
    for (const e of order) {
      const res = await httpRequest(receiver.url + e.path, {
        headers: { 'Content-Type': e.contentType },
        body: Buffer.from(e.bodyBase64, 'base64'),
      });
      assert.equal(res.status, 200, `${e.path}: ${res.body.toString()}`);
    }
  }

  for (const scenario of ['single', 'agent']) {
    for (const logsFirst of [false, true]) {
      it(`${scenario}: events and latest-event recordings give the span-only recording's calls (${logsFirst ? 'logs first' : 'as recorded'})`, async () => {
        await send(load(`otel-openai-${scenario}-latest-span`), logsFirst);
        const expected = await calls(store);
        assert.ok(
          expected.length > 0 && expected.every((c) => c.messages.length > 0 && (c.output || c.toolCalls.length)),
          JSON.stringify(expected),
        );
        for (const mode of ['events', 'latest-event']) {
          await store.close();
          await removeDir(dir);
          dir = await makeTempDir();
          store = await TraceStore.open(dir);
          await send(load(`otel-openai-${scenario}-${mode}`), logsFirst);
          assert.equal(store.pendingLogRecordCount, 0, `${mode}: every record joined`);
          assert.deepEqual(await calls(store), expected, mode);
        }
      });
    }
  }

  it('content capture off: the calls say why they have no content', async () => {
    await send(load('otel-openai-single-off'), true);
    const [call] = await calls(store);
    assert.equal(call.output, '');
    assert.match(call.warnings.join(), /OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true/);
    assert.equal(store.pendingLogRecordCount, 0);
  });
});
