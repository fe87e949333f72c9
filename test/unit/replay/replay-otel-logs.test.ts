// Replaying traces whose message content arrived in OTLP log records (the official
// @opentelemetry/instrumentation-openai): the captured trace and its .logs.json sibling are imported
// (logs first, as an app's logs may reach the store before its spans), then replayed through the real
// provider layer and OpenAI SDK against the loopback fake LLM server. With content capture off the
// engine refuses before any request, naming the switch; with it on, the conversation the logs
// recorded is sent again, and the tool definitions the instrumentation never records are filled in
// with a warning.
import assert from 'node:assert/strict';
import path from 'node:path';
import { importOtlpFiles } from '../../../src/core/ingest/import-files';
import type { ProviderConfigs } from '../../../src/core/llm/llm-types';
import type { Trace } from '../../../src/core/model/trace';
import { createReplayServices } from '../../../src/core/replay/default-replay-services';
import { ReplayQueue } from '../../../src/core/replay/replay-queue';
import type { ReplayJob } from '../../../src/core/replay/replay-types';
import { AGENT_FINAL_TEXT, AGENT_TOOL_CALL } from '../../apps/app-matrix';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { FIXTURES, tempStore, type TempStore } from './replay-test-helpers';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- request bodies are indexed freely

/** What test/apps/openai-scenarios.cjs sends in its agent scenario (the recording's source). */
const SYSTEM = 'You are a concise assistant.';
const QUESTION = 'What is the weather in Paris?';
const TOOL_OUTPUT = JSON.stringify({ city: 'Paris', forecast: 'sunny', temperatureC: 21 });

describe('replay: otel-openai traces with their content in OTLP logs (real SDK, fake LLM server)', function () {
  this.timeout(30000);
  let server: FakeLlmServer;
  let t: TempStore;
  let queue: ReplayQueue;

  before(async () => {
    server = await startFakeLlmServer();
  });
  after(async () => server.close());
  beforeEach(async () => {
    server.reset();
    t = await tempStore();
    const configs: ProviderConfigs = {
      openai: {
        kind: 'openai',
        baseURL: server.openaiBaseUrl,
        apiKey: 'sk-test',
        keySource: 'OPENAI_API_KEY',
        maxRetries: 0,
      },
    };
    queue = await ReplayQueue.open(createReplayServices(t.store, configs));
  });
  afterEach(async () => {
    await queue.close();
    await t.dispose();
  });

  /** Imports `<name>.logs.json` then `<name>.json`; every log record must find its span. */
  async function importWithLogs(name: string): Promise<Trace> {
    const report = await importOtlpFiles(t.store, [
      path.join(FIXTURES, `${name}.logs.json`),
      path.join(FIXTURES, `${name}.json`),
    ]);
    for (const f of report.files) assert.deepEqual(f.errors, [], `${f.path} imports cleanly`);
    const [logs, traces] = report.files;
    assert.ok(logs.logRecords > 0, 'the logs file has records');
    assert.equal(logs.joinedLogRecords, 0, 'logs first: no span to join yet');
    assert.equal(traces.joinedLogRecords, logs.logRecords, 'every waiting record joins when its span arrives');
    assert.equal(report.pendingLogRecords, 0);
    assert.equal(traces.traceIds.length, 1);
    const trace = await t.store.getTrace(traces.traceIds[0]);
    assert.ok(trace);
    return trace;
  }

  async function replay(traceId: string): Promise<ReplayJob> {
    return queue.wait((await queue.enqueue(traceId, {})).id);
  }

  it('content capture off: refused before any request, naming OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT', async () => {
    const trace = await importWithLogs('otel-openai-single-nocontent');
    const [llm] = trace.spans.filter((s) => s.kind === 'llm');
    assert.ok(
      llm.llm?.messages.every((m) => m.parts.length === 0),
      'role-only events give no message content',
    );
    const job = await replay(trace.id);
    assert.equal(job.status, 'FAILED');
    assert.equal(job.errorCode, 'NOTHING_REPLAYABLE');
    assert.match(job.error!, /OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true/);
    assert.equal(server.requests.length, 0, 'nothing was sent');
  });

  it('agent: re-sends the recorded messages with the tool call and its result paired; the unrecorded tool definition is filled in with a warning', async () => {
    const trace = await importWithLogs('otel-openai-agent');
    assert.ok(
      trace.spans.every((s) => !s.llm?.tools?.length),
      'the instrumentation recorded no tool definitions',
    );
    server.enqueue([{ toolCalls: [AGENT_TOOL_CALL] }, { text: AGENT_FINAL_TEXT }]);
    const job = await replay(trace.id);
    assert.equal(job.status, 'COMPLETED', job.error);
    assert.deepEqual(
      server.requests.map((r) => r.api),
      ['chat.completions', 'chat.completions'],
    );
    const [first, second] = server.requests.map((r) => r.body as Body);

    assert.deepEqual(first.messages, [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: QUESTION },
    ]);
    assert.deepEqual(second.messages, [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: QUESTION },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: AGENT_TOOL_CALL.id,
            type: 'function',
            function: { name: AGENT_TOOL_CALL.name, arguments: JSON.stringify(AGENT_TOOL_CALL.arguments) },
          },
        ],
      },
      { role: 'tool', tool_call_id: AGENT_TOOL_CALL.id, content: TOOL_OUTPUT },
    ]);
    for (const body of [first, second]) {
      assert.equal(body.model, 'gpt-4o-mini');
      assert.equal(body.temperature, 0);
      assert.deepEqual(body.tools, [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          },
        },
      ]);
    }
    const warnings = job.spans.filter((s) => s.kind === 'llm').map((s) => s.warnings.join('\n'));
    for (const w of warnings)
      assert.match(
        w,
        /tool get_weather but no tool definitions; its definition was inferred from the recorded arguments.*--tools FILE/,
        w,
      );
  });
});
