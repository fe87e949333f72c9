// Replay's key property on recordings from the real Python instrumentation libraries
// (test/fixtures/python): every run's exact OTLP bytes are POSTed to our receiver, the trace it
// stores normalizes into one LLM span per model call the app made, and each call rebuilt by the
// gateway with no override and sent through the official SDK reaches the fake LLM server as the
// body the app sent — exactly, or except what that library does not record (KNOWN_DIFFERENCES,
// each removing only what the recording cannot determine). Runs recorded with content capture
// off are refused by the replay engine before any request.
import assert from 'node:assert/strict';
import { createLlmGateway } from '../../../src/core/llm/llm-gateway';
import type { LlmGateway, ProviderConfigs } from '../../../src/core/llm/llm-types';
import { targetForRecorded } from '../../../src/core/llm/model-target';
import type { LlmCall } from '../../../src/core/model/trace';
import { createReplayServices } from '../../../src/core/replay/default-replay-services';
import { ReplayQueue } from '../../../src/core/replay/replay-queue';
import { needsToolDefinitions } from '../../../src/core/replay/tool-definitions';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import {
  llmSpans,
  loadPythonFixtures,
  pythonConfigs,
  pythonReplies,
  receiveFixture,
  type Body,
  type LlmRequestRecord,
  type PythonFixture,
} from './python-fixture-world';

interface KnownDifference {
  /** One sentence: what the library (or the Python SDK) does not record or writes differently. */
  reason: string;
  applies?: (fx: PythonFixture) => boolean;
  /** The recorded request reduced to what the recording determines. */
  recorded?: (r: LlmRequestRecord) => LlmRequestRecord;
  /** The replayed request without what the library made up. */
  sent?: (r: LlmRequestRecord) => LlmRequestRecord;
  /** Build warnings this difference explains (any other warning fails the test). */
  warnings?: RegExp[];
}

const withBody = (r: LlmRequestRecord, body: Body): LlmRequestRecord => ({ ...r, body });
const omit = (body: Body, ...keys: string[]): Body =>
  Object.fromEntries(Object.entries(body).filter(([k]) => !keys.includes(k)));
const gemini = (fx: PythonFixture): boolean => fx.llmRequests[0].api === 'gemini.generate_content';
const agentIn =
  (...m: string[]) =>
  (fx: PythonFixture): boolean =>
    fx.scenario === 'agent' && (m.length === 0 || m.includes(fx.mode));

/** Each function declaration of a Gemini body, changed by `f`. */
function mapDeclarations(body: Body, f: (d: Body) => Body): Body {
  if (!Array.isArray(body.tools)) return body;
  return {
    ...body,
    tools: body.tools.map((t: Body) => ({ ...t, functionDeclarations: t.functionDeclarations.map(f) })),
  };
}

/** Each part of a Gemini body's contents, changed by `f`. */
function mapParts(body: Body, f: (p: Body) => Body): Body {
  return { ...body, contents: body.contents.map((c: Body) => ({ ...c, parts: c.parts.map(f) })) };
}

const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
function snakeKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(snakeKeys);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [snake(k), snakeKeys(x)]));
}

/** What the Python SDKs and the app write differently from the JS SDKs our providers use, whatever
 *  the instrumentation: not a recording's loss, the same request to the API. */
const SDK_SHAPES: KnownDifference[] = [
  {
    reason:
      "the app sends the assistant turn back as model_dump(exclude_none=True): `annotations: []` is response-only and the absent `content` is the SDK message's null",
    applies: (fx) => fx.llmRequests[0].api === 'chat.completions',
    recorded: (r) =>
      !Array.isArray(r.body.messages)
        ? r
        : withBody(r, {
            ...r.body,
            messages: r.body.messages.map((m: Body) => {
              if (m.role !== 'assistant') return m;
              const rest = omit(m, 'annotations', 'refusal');
              return Array.isArray(m.tool_calls) && !('content' in m) ? { ...rest, content: null } : rest;
            }),
          }),
  },
  {
    reason:
      'google-genai (Python) writes the tool schema under the snake-case key it was given (parameters_json_schema), @google/genai always as parametersJsonSchema: the same field to the API',
    applies: gemini,
    recorded: (r) =>
      withBody(
        r,
        mapDeclarations(r.body, (d) => {
          if (!('parameters_json_schema' in d)) return d;
          return { ...omit(d, 'parameters_json_schema'), parametersJsonSchema: d.parameters_json_schema };
        }),
      ),
  },
  {
    reason: 'Gemini 2.x sends no tool call ids, so the builder pairs call and result by name and says so',
    applies: (fx) => gemini(fx) && fx.scenario === 'agent',
    warnings: [
      /^message \d+: tool call get_weather had no recorded id; sent without one \(Gemini pairs results by function name\)\.$/,
      /^message \d+: a tool result had no recorded call id; paired in order with the call of get_weather\.$/,
    ],
  },
];

const STREAMED_AS_UNARY = (r: LlmRequestRecord): LlmRequestRecord => ({
  ...r,
  path: r.path.replace(':streamGenerateContent', ':generateContent'),
});

/** Per library: what its recordings cannot give back. A library with no entry replays exactly. */
const KNOWN_DIFFERENCES: Record<string, KnownDifference[]> = {
  'otel-openai': [
    {
      reason: 'opentelemetry-instrumentation-openai-v2 never records tool definitions',
      applies: agentIn(),
      recorded: (r) => withBody(r, omit(r.body, 'tools')),
    },
    {
      reason:
        'opentelemetry-instrumentation-openai-v2 does not record that the call was streamed (stream, stream_options)',
      applies: (fx) => fx.scenario === 'stream',
      recorded: (r) => withBody(r, omit(r.body, 'stream', 'stream_options')),
    },
  ],
  'otel-google-genai': [
    {
      reason: 'opentelemetry-instrumentation-google-genai records no tool definitions in the events mode',
      applies: agentIn('events'),
      recorded: (r) => withBody(r, omit(r.body, 'tools')),
    },
    {
      reason:
        'opentelemetry-instrumentation-google-genai records the tool declarations with `parameters: null` (it does not read parameters_json_schema)',
      applies: agentIn('latest-span', 'latest-event'),
      recorded: (r) =>
        withBody(
          r,
          mapDeclarations(r.body, (d) => omit(d, 'parametersJsonSchema')),
        ),
    },
    {
      reason: 'opentelemetry-instrumentation-google-genai makes up tool call ids (get_weather_0) the app never sent',
      applies: agentIn('latest-span', 'latest-event'),
      sent: (r) =>
        withBody(
          r,
          mapParts(r.body, (p) => {
            const key =
              p.functionCall !== undefined
                ? 'functionCall'
                : p.functionResponse !== undefined
                  ? 'functionResponse'
                  : undefined;
            if (key === undefined || !/^get_weather_\d+$/.test(p[key].id ?? '')) return p;
            return { ...p, [key]: omit(p[key], 'id') };
          }),
        ),
    },
  ],
  'openinference-google-genai': [
    {
      reason:
        'openinference-instrumentation-google-genai records the tool schema with snake-cased keys (additional_properties)',
      applies: agentIn(),
      recorded: (r) =>
        withBody(
          r,
          mapDeclarations(r.body, (d) =>
            d.parametersJsonSchema !== undefined
              ? { ...d, parametersJsonSchema: snakeKeys(d.parametersJsonSchema) }
              : d,
          ),
        ),
      warnings: [
        /^tool get_weather: Gemini does not enforce the JSON Schema keyword additional_properties; sent as recorded/,
      ],
    },
  ],
  'traceloop-anthropic': [
    {
      reason:
        'opentelemetry-instrumentation-anthropic (OpenLLMetry) records no temperature: the Python anthropic SDK takes it in extra_body, which it does not read',
      recorded: (r) => withBody(r, omit(r.body, 'temperature')),
    },
  ],
  'traceloop-google-genai': [
    {
      reason:
        'opentelemetry-instrumentation-google-generativeai (OpenLLMetry) records no temperature and no max output tokens (it does not read GenerateContentConfig)',
      recorded: (r) =>
        withBody(r, {
          ...r.body,
          generationConfig: omit(r.body.generationConfig ?? {}, 'temperature', 'maxOutputTokens'),
        }),
    },
    {
      reason:
        'opentelemetry-instrumentation-google-generativeai (OpenLLMetry) does not record that the call was streamed',
      applies: (fx) => fx.scenario === 'stream',
      recorded: STREAMED_AS_UNARY,
    },
  ],
};

function differencesFor(fx: PythonFixture): { sdk: KnownDifference[]; library: KnownDifference[] } {
  const on = (d: KnownDifference): boolean => d.applies?.(fx) ?? true;
  return { sdk: SDK_SHAPES.filter(on), library: (KNOWN_DIFFERENCES[fx.library] ?? []).filter(on) };
}

/** The built body as it goes on the wire (Gemini carries the model in the URL). */
function wireBody(api: string, body: Record<string, unknown>): Record<string, unknown> {
  return api === 'gemini.generate_content' ? omit(body, 'model') : body;
}

/** Tool calls and results of a request body pair up by id (by name for Gemini, which sends none). */
function assertPaired(body: Body, api: string, label: string): void {
  const calls: string[] = [];
  const results: string[] = [];
  if (api === 'chat.completions') {
    for (const m of body.messages) {
      for (const tc of m.tool_calls ?? []) calls.push(tc.id);
      if (m.role === 'tool') results.push(m.tool_call_id);
    }
  } else if (api === 'anthropic.messages') {
    for (const m of body.messages) {
      for (const b of Array.isArray(m.content) ? m.content : []) {
        if (b.type === 'tool_use') calls.push(b.id);
        if (b.type === 'tool_result') results.push(b.tool_use_id);
      }
    }
  } else {
    for (const c of body.contents) {
      for (const p of c.parts) {
        if (p.functionCall !== undefined) calls.push(p.functionCall.id ?? p.functionCall.name);
        if (p.functionResponse !== undefined) results.push(p.functionResponse.id ?? p.functionResponse.name);
      }
    }
  }
  assert.ok(calls.length > 0, `${label}: the conversation has a tool call`);
  for (const id of calls) assert.ok(typeof id === 'string' && id !== '', `${label}: tool call with id ${id}`);
  assert.deepEqual(results, calls, `${label}: each tool call answered by its result, same id`);
}

/** The normalized call's tool results name the tool calls before them (when the library recorded ids). */
function assertCallPaired(call: LlmCall, label: string): void {
  const ids: string[] = [];
  let results = 0;
  for (const m of call.messages) {
    for (const p of m.parts) {
      if (p.type === 'tool_call' && p.id !== undefined) ids.push(p.id);
      if (p.type === 'tool_result') {
        results++;
        assert.ok(
          p.toolCallId !== undefined && ids.includes(p.toolCallId),
          `${label}: tool result ${p.toolCallId} follows its call (${ids.join(', ')})`,
        );
      }
    }
  }
  assert.ok(results > 0, `${label}: the conversation has a tool result`);
}

const FIXTURES = loadPythonFixtures();
/** Libraries whose agent recordings keep the tool call ids the app sent (Gemini sends none). */
const RECORDS_IDS = /^(otel-openai|openinference-openai|openinference-anthropic|traceloop-openai|traceloop-anthropic)$/;

describe('python fixtures: the replayed request equals the recorded one', function () {
  this.timeout(60000);
  let llm: FakeLlmServer;
  let configs: ProviderConfigs;
  let gateway: LlmGateway;

  before(async () => {
    llm = await startFakeLlmServer();
    configs = pythonConfigs(llm);
    gateway = createLlmGateway(configs);
  });
  after(async () => {
    await llm?.close();
  });
  beforeEach(() => llm.reset());

  it('covers every library and mode', () => {
    assert.equal(FIXTURES.length, 58);
    assert.deepEqual([...new Set(FIXTURES.map((fx) => fx.library))].sort(), [
      'openinference-anthropic',
      'openinference-google-genai',
      'openinference-openai',
      'otel-google-genai',
      'otel-openai',
      'traceloop-anthropic',
      'traceloop-google-genai',
      'traceloop-openai',
    ]);
  });

  for (const fx of FIXTURES) {
    if (fx.mode === 'off') {
      it(`${fx.file}: content capture off is refused before any request, naming the switch`, async () => {
        const received = await receiveFixture(fx);
        const queue = await ReplayQueue.open(createReplayServices(received.store, configs));
        try {
          const spans = llmSpans(received.trace);
          assert.equal(spans.length, fx.llmRequests.length, 'one LLM span per model call');
          for (const s of spans) {
            assert.deepEqual(s.llm!.messages, [], `${s.name}: no input read from content-less events`);
            assert.ok(
              s.warnings?.some((w) => w.includes('OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true')),
              (s.warnings ?? []).join('\n'),
            );
          }
          const job = await queue.wait((await queue.enqueue(received.trace.id)).id);
          assert.equal(job.status, 'FAILED');
          assert.equal(job.errorCode, 'NOTHING_REPLAYABLE');
          assert.match(job.error ?? '', /OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT/);
          assert.equal(llm.requests.length, 0, 'the fake LLM received nothing');
        } finally {
          await queue.close();
          await received.dispose();
        }
      });
      continue;
    }

    const { sdk, library } = differencesFor(fx);
    const label = library.length === 0 ? 'exactly' : `except: ${library.map((d) => d.reason).join('; ')}`;
    it(`${fx.file}: ${label}`, async () => {
      const received = await receiveFixture(fx);
      try {
        const spans = llmSpans(received.trace);
        assert.equal(spans.length, fx.llmRequests.length, 'one LLM span per model call');
        const differences = [...sdk, ...library];
        const allowed = differences.flatMap((d) => d.warnings ?? []);
        llm.enqueue(pythonReplies(fx));
        const replies = pythonReplies(fx);
        for (const [i, span] of spans.entries()) {
          const call = span.llm!;
          const where = `call ${i} (${span.name})`;
          const target = targetForRecorded(call, configs);
          const built = gateway.build(call, target);
          for (const w of built.warnings)
            assert.ok(
              allowed.some((re) => re.test(w)),
              `${where}: unexplained build warning: ${w}`,
            );
          const execution = await gateway.execute(built, target);
          const wire = llm.requests[i];
          assert.deepEqual(
            wire.body,
            wireBody(built.api, built.body),
            `${where}: the SDK sent the built body unchanged`,
          );
          let sent: LlmRequestRecord = { api: wire.api, path: wire.path, body: wire.body as Body };
          let expected = fx.llmRequests[i];
          for (const d of differences) {
            if (d.recorded) expected = d.recorded(expected);
            if (d.sent) sent = d.sent(sent);
          }
          assert.equal(sent.path, expected.path, `${where}: same endpoint`);
          assert.deepEqual(sent.body, expected.body, `${where}: replayed request equals the recorded one`);
          assert.equal(execution.output.text, replies[i].text ?? '', `${where}: the scripted answer read back`);

          if (fx.scenario === 'agent') {
            const recordedTools = call.tools !== undefined && call.tools.length > 0;
            if (recordedTools)
              assert.ok(
                Array.isArray(sent.body.tools) && sent.body.tools.length > 0,
                `${where}: the recorded tool definitions are sent`,
              );
            else
              assert.ok(
                needsToolDefinitions(call) && library.some((d) => /tool (definitions|declarations)/.test(d.reason)),
                `${where}: no tools recorded, as a known difference says; the replay engine fills them in`,
              );
            if (i === spans.length - 1) {
              assertPaired(wire.body as Body, wire.api, where);
              if (RECORDS_IDS.test(fx.library)) assertCallPaired(call, where);
            }
          }
        }
        assert.equal(llm.requests.length, fx.llmRequests.length);
      } finally {
        await received.dispose();
      }
    });
  }

  it('gives the same LLM calls when the logs arrive before the spans (otel-openai and otel-google-genai events)', async () => {
    for (const name of ['otel-openai-agent-events.json', 'otel-google-genai-agent-events.json']) {
      const fx = FIXTURES.find((f) => f.file === name)!;
      const logsFirst = [
        ...fx.exports.filter((e) => e.path === '/v1/logs'),
        ...fx.exports.filter((e) => e.path === '/v1/traces'),
      ];
      assert.notDeepEqual(
        logsFirst.map((e) => e.path),
        fx.exports.map((e) => e.path),
        `${name}: the order really changes`,
      );
      const inOrder = await receiveFixture(fx);
      const reversed = await receiveFixture(fx, logsFirst);
      try {
        const calls = llmSpans(inOrder.trace).map((s) => s.llm);
        assert.equal(calls.length, 2);
        assert.ok(
          calls.every((c) => c !== undefined && c.messages.length > 0),
          `${name}: the joined logs gave the calls their messages`,
        );
        assert.deepEqual(
          llmSpans(reversed.trace).map((s) => s.llm),
          calls,
          name,
        );
      } finally {
        await inOrder.dispose();
        await reversed.dispose();
      }
    }
  });

  it('fills in the tool definitions a library did not record through the replay engine, with a warning (otel-openai agent, latest-span)', async () => {
    const fx = FIXTURES.find((f) => f.file === 'otel-openai-agent-latest-span.json')!;
    const received = await receiveFixture(fx);
    const queue = await ReplayQueue.open(createReplayServices(received.store, configs));
    try {
      assert.ok(
        llmSpans(received.trace).every((s) => (s.llm!.tools ?? []).length === 0),
        'the library recorded no tool definitions',
      );
      llm.enqueue(pythonReplies(fx));
      const job = await queue.wait((await queue.enqueue(received.trace.id)).id);
      assert.equal(job.status, 'COMPLETED', job.error);
      assert.equal(llm.requests.length, 2);
      for (const r of llm.requests) {
        assert.deepEqual(r.body.tools, [
          {
            type: 'function',
            function: {
              name: 'get_weather',
              parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
            },
          },
        ]);
      }
      const warnings = job.spans.flatMap((s) => s.warnings);
      assert.ok(
        warnings.some((w) =>
          /tool get_weather but no tool definitions; its definition was inferred from the recorded arguments.*--tools FILE/.test(
            w,
          ),
        ),
        warnings.join('\n'),
      );
      // The rest of the conversation is the recorded one: ids still pair.
      assertPaired(llm.requests[1].body as Body, 'chat.completions', 'replayed agent call');
    } finally {
      await queue.close();
      await received.dispose();
    }
  });
});
