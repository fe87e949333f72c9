// End to end: real instrumented apps (test/apps) export OTLP to our receiver, which feeds the trace
// store; the normalized trace must say exactly what the fake LLM server saw and answered.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startOtlpReceiver, type OtlpReceiver } from '../../../src/core/otlp/receiver';
import { TraceStore } from '../../../src/core/store/trace-store';
import type { LlmCall, Span, Trace } from '../../../src/core/model/trace';
import { APP_SCENARIOS, runApp, scriptFor, AGENT_TOOL_CALL, type AppName, type Scenario } from '../../apps/app-matrix';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import type { FakeReply } from '../../support/fake-llm/fake-llm-types';
import { expectedFromRequest, jsonValue, viewMessages } from './expected-from-request';

/** What a library does not record at all for a scenario (asserted absent, so a library change shows up).
 *  These are instrumentation omissions, visible in test/fixtures/otlp, not normalizer gaps. */
interface LibraryGaps {
  noCacheRead?: boolean;
  noUsage?: boolean;
  /** temperature 0 is not recorded (a falsy check in the library). */
  dropsZeroTemperature?: boolean;
  /** Responses API `instructions` are not recorded as a system message. */
  noInstructions?: boolean;
  noTools?: boolean;
  noFinishReason?: boolean;
  /** llm.model_name holds the request model (the response model is not recorded). */
  noResponseModel?: boolean;
  /** The model's tool calls carry no id; the SDK makes one up (compared with what it sent back). */
  generatedToolCallIds?: boolean;
  /** The SDK rewrites tool schemas for the wire (drops additionalProperties); the recording keeps the app's. */
  toolSchemaRewritten?: boolean;
  /** Content capture is off: the message events carry roles only, so no messages or output text are
   *  read, and the span warns naming the switch. */
  noContent?: boolean;
  /** The instrumentation traces model calls only; the app's own tool span carries no convention's
   *  attributes, so nothing marks it as a tool. */
  plainToolSpan?: boolean;
}

function gapsFor(app: AppName, scenario: Scenario): LibraryGaps {
  switch (app) {
    case 'traceloop-openai':
      return {
        noCacheRead: true,
        dropsZeroTemperature: true,
        noUsage: scenario === 'stream',
        noInstructions: scenario === 'responses',
      };
    case 'traceloop-anthropic':
      return { noTools: true, noFinishReason: scenario === 'stream' };
    case 'openinference-openai':
      return {
        noUsage: scenario === 'stream',
        noResponseModel: scenario === 'stream',
        noFinishReason: scenario === 'responses',
      };
    case 'otel-openai':
      // Content arrives in log records (joined by the store); the spans carry settings and usage only.
      return { noTools: true, noCacheRead: true, plainToolSpan: true, noContent: scenario === 'single-nocontent' };
    case 'vercel-ai-google':
      // @ai-sdk/google reports the request model id as the response model (it ignores modelVersion).
      return { noResponseModel: true, generatedToolCallIds: true, toolSchemaRewritten: true };
    default:
      return {};
  }
}

interface World {
  llm: FakeLlmServer;
  receiver: OtlpReceiver;
  store: TraceStore;
  dir: string;
}

async function runScenario(world: World, app: AppName, scenario: Scenario): Promise<Trace> {
  world.llm.reset();
  world.llm.enqueue(scriptFor(app, scenario));
  const run = await runApp(app, scenario, {
    otlpEndpoint: world.receiver.endpoint,
    openaiBaseUrl: world.llm.openaiBaseUrl,
    anthropicBaseUrl: world.llm.anthropicBaseUrl,
    geminiBaseUrl: world.llm.geminiBaseUrl,
  });
  assert.equal(run.code, 0, `app exited ${run.code}: ${run.stderr}`);
  const traces = await world.store.listTraces();
  assert.equal(traces.length, 1, 'one trace per app run');
  const trace = await world.store.getTrace(traces[0].id);
  assert.ok(trace);
  return trace;
}

function byStart(spans: Span[]): Span[] {
  return [...spans].sort((a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1));
}

function checkTree(trace: Trace): Span {
  const roots = trace.spans.filter((s) => s.parentId === undefined);
  assert.deepEqual(
    roots.map((s) => s.name),
    ['workflow'],
    'the scenario span is the only root',
  );
  const ids = new Set(trace.spans.map((s) => s.id));
  for (const s of trace.spans)
    if (s.parentId !== undefined) assert.ok(ids.has(s.parentId), `parent of ${s.name} is in the trace`);
  return roots[0];
}

function descendsFrom(trace: Trace, span: Span, ancestor: Span): boolean {
  const byId = new Map(trace.spans.map((s) => [s.id, s]));
  for (let p = span.parentId; p !== undefined; p = byId.get(p)?.parentId) if (p === ancestor.id) return true;
  return false;
}

function checkUsage(app: AppName, scenario: Scenario, llm: LlmCall, reply: FakeReply, where: string): void {
  const gaps = gapsFor(app, scenario);
  if (gaps.noUsage) {
    assert.equal(llm.usage?.inputTokens, undefined, `${where}: library records no usage here`);
    return;
  }
  const u = reply.usage ?? {};
  const usage = llm.usage;
  assert.ok(usage, `${where}: usage`);
  assert.equal(usage.outputTokens, u.output, `${where}: outputTokens`);
  const cache = (u.cacheRead ?? 0) + (u.cacheWrite ?? 0);
  if (app.endsWith('anthropic')) {
    // Anthropic reports input without the cache; a reading may add it (inputIncludesCache) but must say so.
    assert.equal(
      usage.inputTokens,
      usage.inputIncludesCache ? (u.input ?? 0) + cache : u.input,
      `${where}: inputTokens (includesCache=${usage.inputIncludesCache})`,
    );
  } else {
    assert.equal(usage.inputIncludesCache, true, `${where}: OpenAI input includes cached tokens`);
    assert.equal(usage.inputTokens, u.input, `${where}: inputTokens`);
  }
  if (gaps.noCacheRead) assert.equal(usage.cacheReadTokens ?? 0, 0, `${where}: library records no cache reads`);
  else assert.equal(usage.cacheReadTokens ?? 0, u.cacheRead ?? 0, `${where}: cacheReadTokens`);
}

function checkLlmCall(
  app: AppName,
  scenario: Scenario,
  llm: LlmCall,
  world: World,
  index: number,
  replies: FakeReply[],
): void {
  const where = `llm call ${index}`;
  const expected = expectedFromRequest(world.llm.requests[index]);
  const reply = replies[index];
  const gaps = gapsFor(app, scenario);
  if (gaps.noInstructions) expected.messages = expected.messages.filter((m) => m.role !== 'system');
  if (gaps.noTools) {
    expected.toolNames = [];
    expected.toolSchemas = {};
  }
  assert.equal(llm.provider, expected.provider, `${where}: provider`);
  assert.equal(llm.api, expected.api, `${where}: api`);
  assert.equal(llm.requestModel, expected.requestModel, `${where}: requestModel`);
  // OpenInference has one model attribute; when it holds the request model a reading may echo it.
  if (gaps.noResponseModel)
    assert.ok([undefined, expected.requestModel].includes(llm.responseModel), `${where}: responseModel`);
  else assert.equal(llm.responseModel, reply.model, `${where}: responseModel`);
  if (gaps.noContent) {
    // Whether role-only messages are kept is the reader's choice; none may carry content.
    const views = viewMessages(llm.messages);
    assert.ok(
      views.every((m) => m.text === '' && m.toolCalls.length === 0 && m.toolResults.length === 0),
      `${where}: no message content read`,
    );
  } else {
    assert.deepEqual(
      viewMessages(llm.messages),
      expected.messages,
      `${where}: messages match the request the server received`,
    );
  }
  assert.deepEqual(
    (llm.tools ?? []).map((t) => t.name),
    expected.toolNames,
    `${where}: tools`,
  );
  for (const t of llm.tools ?? []) {
    let recorded = t.parameters;
    if (gaps.toolSchemaRewritten && recorded !== null && typeof recorded === 'object') {
      const { additionalProperties, ...rest } = recorded as Record<string, unknown>; // eslint-disable-line @typescript-eslint/no-unused-vars
      recorded = rest;
    }
    assert.deepEqual(recorded, expected.toolSchemas[t.name], `${where}: schema of ${t.name}`);
  }
  if (expected.temperature === 0 && gaps.dropsZeroTemperature)
    assert.equal(llm.parameters.temperature, undefined, `${where}: temperature 0 dropped`);
  else assert.equal(llm.parameters.temperature, expected.temperature, `${where}: temperature`);
  assert.equal(llm.parameters.maxTokens, expected.maxTokens, `${where}: maxTokens`);
  assert.equal(llm.output.text, gaps.noContent ? '' : (reply.text ?? ''), `${where}: output text`);
  assert.deepEqual(
    llm.output.toolCalls.map((c) => ({
      id: gaps.generatedToolCallIds ? undefined : c.id,
      name: c.name,
      arguments: jsonValue(c.arguments),
    })),
    (reply.toolCalls ?? []).map((c) => ({ id: c.id, name: c.name, arguments: c.arguments })),
    `${where}: output tool calls`,
  );
  if (gaps.generatedToolCallIds && index + 1 < world.llm.requests.length) {
    // The made-up id is the one the SDK sent back with the call in the next request.
    const sentBack = expectedFromRequest(world.llm.requests[index + 1]).messages.flatMap((m) =>
      m.toolCalls.map((c) => c.id),
    );
    for (const c of llm.output.toolCalls)
      assert.ok(c.id && sentBack.includes(c.id), `${where}: tool call id ${c.id} is the one sent back`);
  }
  if (gaps.noFinishReason) assert.ok(!llm.output.finishReason, `${where}: library records no finish reason`);
  else assert.ok(llm.output.finishReason, `${where}: finishReason`);
  if ((reply.toolCalls ?? []).length > 0)
    assert.match(llm.output.finishReason ?? '', /tool/, `${where}: finishReason names the tool call`);
  checkUsage(app, scenario, llm, reply, where);
  if (scenario === 'stream') {
    assert.notEqual(llm.streamed, false, `${where}: not marked unstreamed`);
    if (llm.timeToFirstTokenMs !== undefined) assert.ok(llm.timeToFirstTokenMs >= 0, `${where}: ttft`);
  }
}

function checkAgentTool(trace: Trace, root: Span, llmSpans: Span[]): void {
  const tools = trace.spans.filter((s) => s.kind === 'tool');
  assert.equal(tools.length, 1, 'one tool span');
  const tool = tools[0];
  assert.equal(tool.toolName, AGENT_TOOL_CALL.name);
  assert.ok(descendsFrom(trace, tool, root), 'tool span under the workflow');
  assert.deepEqual(jsonValue(tool.io?.input), AGENT_TOOL_CALL.arguments, 'tool input');
  assert.deepEqual(jsonValue(tool.io?.output), { city: 'Paris', forecast: 'sunny', temperatureC: 21 }, 'tool output');
  assert.ok(
    tool.startTime >= llmSpans[0].endTime - 1 && tool.endTime <= llmSpans[1].startTime + 1,
    'tool runs between the two model calls',
  );
}

/** The app's tool span, marked by no convention: a plain span between the two model calls. */
function checkPlainToolSpan(trace: Trace, root: Span, llmSpans: Span[]): void {
  assert.equal(trace.spans.filter((s) => s.kind === 'tool').length, 0, 'nothing marks a tool span');
  const spans = trace.spans.filter((s) => s.name === AGENT_TOOL_CALL.name);
  assert.equal(spans.length, 1, "the app's tool span is recorded");
  assert.ok(spans[0].kind !== 'llm' && descendsFrom(trace, spans[0], root), 'a non-llm span under the workflow');
  assert.ok(
    spans[0].startTime >= llmSpans[0].endTime - 1 && spans[0].endTime <= llmSpans[1].startTime + 1,
    'it runs between the two model calls',
  );
}

for (const app of Object.keys(APP_SCENARIOS) as AppName[]) {
  describe(`instrumented app: ${app}`, function () {
    this.timeout(30000);
    const world = {} as World;

    before(async () => {
      world.llm = await startFakeLlmServer();
    });
    beforeEach(async () => {
      world.dir = await mkdtemp(path.join(tmpdir(), 'trace-replay-e2e-'));
      world.store = await TraceStore.open(world.dir);
      world.receiver = await startOtlpReceiver({
        port: 0,
        onSpans: (spans) => world.store.ingest(spans).then(() => undefined),
        // otel-openai's message content arrives as log records, joined to their spans by the store.
        onLogRecords: (records) => world.store.ingestLogs(records).then(() => undefined),
      });
    });
    afterEach(async () => {
      await world.receiver.close();
      await world.store.close();
      await rm(world.dir, { recursive: true, force: true });
    });
    after(async () => {
      await world.llm.close();
    });

    for (const scenario of APP_SCENARIOS[app]) {
      it(`${scenario}: the normalized trace matches the calls the fake server received`, async () => {
        const trace = await runScenario(world, app, scenario);
        const replies = scriptFor(app, scenario);
        const root = checkTree(trace);
        const llmSpans = byStart(trace.spans.filter((s) => s.kind === 'llm'));
        assert.equal(
          llmSpans.length,
          world.llm.requests.length,
          `one llm span per model call; got ${llmSpans.map((s) => s.name).join(', ')}`,
        );
        assert.equal(world.llm.requests.length, replies.length, 'the app made the scripted calls');
        llmSpans.forEach((span, i) => {
          assert.ok(descendsFrom(trace, span, root), `${span.name} under the workflow`);
          checkLlmCall(app, scenario, span.llm!, world, i, replies);
          if (gapsFor(app, scenario).noContent) {
            assert.ok(
              span.warnings?.some((w) => w.includes('OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true')),
              `${span.name}: warns naming the content-capture switch`,
            );
          }
        });
        if (app.startsWith('vercel-ai')) {
          const wrappers = trace.spans.filter((s) => s.name === 'ai.generateText' || s.name === 'ai.streamText');
          assert.ok(
            wrappers.length > 0 && wrappers.every((s) => s.kind !== 'llm'),
            'Vercel wrapper spans are not llm spans',
          );
        }
        if (scenario === 'agent' && gapsFor(app, scenario).plainToolSpan) checkPlainToolSpan(trace, root, llmSpans);
        else if (scenario === 'agent') checkAgentTool(trace, root, llmSpans);
        else assert.equal(trace.spans.filter((s) => s.kind === 'tool').length, 0, 'no tool spans');
      });
    }
  });
}
