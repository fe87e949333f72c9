// The official @opentelemetry/instrumentation-openai records messages as OTLP log events, not span
// attributes. These tests pin what those logs carry, so the logs ingest can join them to the spans:
// a live run of test/apps/otel-openai.cjs against the fake LLM server (every event compared with the
// exact request the server received and the reply it sent), and the committed fixtures
// (test/fixtures/otlp/otel-openai-<scenario>.json + .logs.json) checked for the same join.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { APP_SCENARIOS, runApp, scriptFor, type Scenario } from '../../apps/app-matrix';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import type { FakeReply, RecordedRequest } from '../../support/fake-llm/fake-llm-types';
import { startOtlpCaptureServer } from '../../support/fake-llm/otlp-capture-server';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- OTLP and wire JSON

const APP = 'otel-openai';
const SCOPE = '@opentelemetry/instrumentation-openai';
const DETAILS = 'gen_ai.client.inference.operation.details';

/** OTLP JSON AnyValue -> plain JSON (int64 may arrive as a number or a decimal string). */
function anyValue(v: Json | undefined): unknown {
  if (v === undefined) return undefined;
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return v.doubleValue;
  if ('arrayValue' in v) return ((v.arrayValue.values ?? []) as Json[]).map(anyValue);
  if ('kvlistValue' in v)
    return Object.fromEntries(((v.kvlistValue.values ?? []) as Json[]).map((e) => [e.key, anyValue(e.value)]));
  return undefined; // {} : an empty body
}

function attributes(list: Json[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((a) => [a.key, anyValue(a.value)]));
}

interface LogEvent {
  /** eventName, or the older `event.name` attribute. */
  event: string;
  /** The message: the record body for gen_ai.*.message / gen_ai.choice, the gen_ai.input.messages or
   *  gen_ai.output.messages attribute for the operation-details event. */
  payload: unknown;
  traceId: string;
  spanId: string;
  scope: string;
  attributes: Record<string, unknown>;
}

function logEvents(bodies: unknown[]): LogEvent[] {
  return (bodies as Json[]).flatMap((b) =>
    (b.resourceLogs as Json[]).flatMap((r) =>
      (r.scopeLogs as Json[]).flatMap((s) =>
        (s.logRecords as Json[]).map((l): LogEvent => {
          const attrs = attributes(l.attributes);
          const event = (l.eventName ?? attrs['event.name']) as string;
          const payload =
            event === DETAILS ? (attrs['gen_ai.input.messages'] ?? attrs['gen_ai.output.messages']) : anyValue(l.body);
          return { event, payload, traceId: l.traceId, spanId: l.spanId, scope: s.scope.name, attributes: attrs };
        }),
      ),
    ),
  );
}

interface LlmSpan {
  traceId: string;
  spanId: string;
  start: bigint;
  attributes: Record<string, unknown>;
}

/** The instrumentation's chat spans, in call order. */
function llmSpans(bodies: unknown[]): LlmSpan[] {
  const spans = (bodies as Json[]).flatMap((b) =>
    (b.resourceSpans as Json[]).flatMap((r) =>
      (r.scopeSpans as Json[])
        .filter((s) => s.scope.name === SCOPE)
        .flatMap((s) =>
          (s.spans as Json[]).map((sp) => ({
            traceId: sp.traceId,
            spanId: sp.spanId,
            start: BigInt(sp.startTimeUnixNano),
            attributes: attributes(sp.attributes),
          })),
        ),
    ),
  );
  return spans.sort((a, b) => (a.start < b.start ? -1 : 1));
}

function toolCalls(calls: Json[], content: boolean): Json[] {
  return calls.map((c) => ({
    id: c.id,
    type: 'function',
    function: content ? { name: c.function.name, arguments: c.function.arguments } : { name: c.function.name },
  }));
}

function withContent(content: boolean, value: unknown): Json {
  return content && value !== null && value !== undefined ? { content: value } : {};
}

/** What the events must say for a chat.completions call: one event per request message, then the choice. */
function expectedChatEvents(body: Json, reply: FakeReply, content: boolean): { event: string; payload: unknown }[] {
  const inputs = (body.messages as Json[]).map((m) => {
    const event = `gen_ai.${m.role}.message`;
    if (m.role === 'tool') return { event, payload: { id: m.tool_call_id, ...withContent(content, m.content) } };
    if (m.role === 'assistant')
      return {
        event,
        payload: {
          ...withContent(content, m.content),
          ...(m.tool_calls ? { tool_calls: toolCalls(m.tool_calls, content) } : {}),
        },
      };
    return { event, payload: withContent(content, m.content) };
  });
  const replyCalls = (reply.toolCalls ?? []).map((c) => ({
    id: c.id,
    function: { name: c.name, arguments: JSON.stringify(c.arguments) },
  }));
  const message =
    replyCalls.length > 0 ? { tool_calls: toolCalls(replyCalls, content) } : withContent(content, reply.text);
  return [
    ...inputs,
    {
      event: 'gen_ai.choice',
      payload: { finish_reason: replyCalls.length > 0 ? 'tool_calls' : 'stop', index: 0, message },
    },
  ];
}

/** The Responses API: one operation-details event with the input messages, one with the output. */
function expectedResponsesEvents(body: Json, reply: FakeReply): { event: string; payload: unknown }[] {
  const text = (t: string): Json => ({ type: 'text', content: t });
  return [
    {
      event: DETAILS,
      payload: [
        { role: 'system', parts: [text(body.instructions)] },
        { role: 'user', parts: [text(body.input)] },
      ],
    },
    { event: DETAILS, payload: [{ role: 'assistant', parts: [text(reply.text ?? '')], finish_reason: 'stop' }] },
  ];
}

function bySpan(events: LogEvent[], span: LlmSpan): LogEvent[] {
  return events.filter((e) => e.spanId === span.spanId);
}

function checkJoin(events: LogEvent[], spans: LlmSpan[]): void {
  assert.ok(events.length > 0, 'log events were exported');
  for (const e of events) {
    assert.equal(e.scope, SCOPE, `${e.event}: scope`);
    assert.ok(
      spans.some((s) => s.traceId === e.traceId && s.spanId === e.spanId),
      `${e.event}: trace/span ids ${e.traceId}/${e.spanId} are those of an LLM span`,
    );
  }
  for (const s of spans) assert.ok(bySpan(events, s).length >= 2, `span ${s.spanId} has input and output events`);
}

const SCENARIOS = APP_SCENARIOS[APP];

describe('otel-openai: message content in OTLP logs (live run)', function () {
  this.timeout(30000);
  let llm: FakeLlmServer;
  before(async () => {
    llm = await startFakeLlmServer();
  });
  after(async () => {
    await llm.close();
  });

  for (const scenario of SCENARIOS) {
    it(`${scenario}: every LLM span has log events carrying exactly its request and reply`, async () => {
      const sink = await startOtlpCaptureServer();
      const replies = scriptFor(APP, scenario);
      let requests: RecordedRequest[];
      try {
        llm.reset();
        llm.enqueue(replies);
        const run = await runApp(APP, scenario, {
          otlpEndpoint: sink.endpoint,
          otlpLogsEndpoint: sink.logsEndpoint,
          openaiBaseUrl: llm.openaiBaseUrl,
          anthropicBaseUrl: llm.anthropicBaseUrl,
        });
        assert.equal(run.code, 0, `app exited ${run.code}: ${run.stderr}`);
        requests = [...llm.requests];
      } finally {
        await sink.close();
      }
      const spans = llmSpans(sink.bodies);
      const events = logEvents(sink.logBodies);
      assert.equal(requests.length, replies.length, 'the app made the scripted calls');
      assert.equal(spans.length, requests.length, 'one LLM span per model call');
      checkJoin(events, spans);
      const content = scenario !== 'single-nocontent';
      spans.forEach((span, i) => {
        const req = requests[i];
        const expected =
          req.api === 'responses'
            ? expectedResponsesEvents(req.body as Json, replies[i])
            : expectedChatEvents(req.body as Json, replies[i], content);
        assert.deepEqual(
          bySpan(events, span).map(({ event, payload }) => ({ event, payload })),
          expected,
          `call ${i}: events match the request and reply`,
        );
        // The span itself carries no message content: it only arrives through the logs.
        for (const key of Object.keys(span.attributes))
          assert.ok(!/messages|prompt|completion/.test(key), `call ${i}: no content attribute ${key} on the span`);
      });
    });
  }
});

describe('otel-openai: captured fixtures (traces + logs)', () => {
  const dir = path.join(__dirname, '../../fixtures/otlp');
  const read = (file: string): unknown[] => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as unknown[];

  for (const scenario of SCENARIOS as Scenario[]) {
    it(`${APP}-${scenario}.logs.json joins its trace file and carries the scripted replies`, () => {
      const spans = llmSpans(read(`${APP}-${scenario}.json`));
      const events = logEvents(read(`${APP}-${scenario}.logs.json`));
      const replies = scriptFor(APP, scenario);
      assert.equal(spans.length, replies.length, 'one LLM span per model call');
      checkJoin(events, spans);
      spans.forEach((span, i) => {
        const own = bySpan(events, span);
        const out = own[own.length - 1];
        const reply = replies[i];
        if (scenario === 'responses') {
          assert.deepEqual(
            out.payload,
            expectedResponsesEvents({ instructions: '', input: '' }, reply)[1].payload,
            `call ${i}: output messages`,
          );
          assert.equal(out.attributes['gen_ai.provider.name'], 'openai');
          return;
        }
        assert.equal(out.event, 'gen_ai.choice', `call ${i}: the last event is the choice`);
        assert.equal(out.attributes['gen_ai.system'], 'openai');
        const message = (out.payload as Json).message as Json;
        if (scenario === 'single-nocontent') {
          for (const e of own)
            assert.ok(!JSON.stringify(e.payload).includes('"content"'), `call ${i}: ${e.event} carries no content`);
        } else if (reply.toolCalls) {
          assert.deepEqual(
            message.tool_calls.map((c: Json) => c.function.name),
            reply.toolCalls.map((c) => c.name),
            `call ${i}: tool calls`,
          );
        } else {
          assert.equal(message.content, reply.text, `call ${i}: reply text`);
          assert.ok(
            own.some((e) => e.event === 'gen_ai.user.message' && typeof (e.payload as Json).content === 'string'),
            `call ${i}: the user message`,
          );
        }
      });
    });
  }
});
