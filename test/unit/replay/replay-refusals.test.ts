// What the engine refuses or fills in rather than send something emptier than the app sent or do
// nothing silently: spans with no recorded input, template overrides that link to no span, and
// tool-calling conversations whose definitions were not recorded. Scripted gateway, real store.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Attributes, Trace } from '../../../src/core/model/trace';
import { replayTemplateLoader } from '../../../src/core/replay/default-replay-services';
import { ReplayQueue } from '../../../src/core/replay/replay-queue';
import type { ReplayJob, ReplayOverrides } from '../../../src/core/replay/replay-types';
import { rawSpan } from '../../support/raw-span-builder';
import { importFixture, ScriptedGateway, scriptedServices, tempStore, type TempStore } from './replay-test-helpers';

const TRACE = 'b'.repeat(32);

function oiLlm(spanId: string, attrs: Attributes, startMs: number) {
  return rawSpan({
    traceId: TRACE,
    spanId,
    parentSpanId: 'f'.repeat(16),
    name: 'ChatCompletion',
    startMs,
    scopeName: '@arizeai/openinference-instrumentation-openai',
    attributes: {
      'openinference.span.kind': 'LLM',
      'llm.provider': 'openai',
      'llm.model_name': 'gpt-4o-mini',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'ok',
      ...attrs,
    },
  });
}

function root() {
  return rawSpan({
    traceId: TRACE,
    spanId: 'f'.repeat(16),
    name: 'workflow',
    startMs: 1_700_000_000_000,
    durationMs: 100,
  });
}

describe('replay refusals: no input, unlinked templates, missing tool definitions', () => {
  let t: TempStore;
  let gateway: ScriptedGateway;
  let queue: ReplayQueue;
  let dir: string;

  beforeEach(async () => {
    t = await tempStore();
    gateway = new ScriptedGateway();
    queue = await ReplayQueue.open({ ...scriptedServices(t.store, gateway), loadTemplate: replayTemplateLoader() });
    dir = await mkdtemp(path.join(os.tmpdir(), 'tr-refusals-'));
  });
  afterEach(async () => {
    await queue.close();
    await t.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  async function replay(traceId: string, overrides: ReplayOverrides = {}): Promise<ReplayJob> {
    const job = await queue.enqueue(traceId, overrides);
    return queue.wait(job.id);
  }

  async function ingest(...spans: ReturnType<typeof rawSpan>[]): Promise<Trace> {
    await t.store.ingest(spans);
    return (await t.store.getTrace(TRACE))!;
  }

  async function file(name: string, text: string): Promise<string> {
    const p = path.join(dir, name);
    await writeFile(p, text);
    return p;
  }

  describe('a span that recorded no input messages', () => {
    it('is not sent: the job fails before any request, naming the content-capture switch', async () => {
      await ingest(
        root(),
        rawSpan({
          traceId: TRACE,
          spanId: '1'.repeat(16),
          parentSpanId: 'f'.repeat(16),
          name: 'chat gpt-4o-mini',
          scopeName: 'opentelemetry.instrumentation.openai_v2',
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.system': 'openai',
            'gen_ai.request.model': 'gpt-4o-mini',
            'gen_ai.usage.input_tokens': 12,
          },
        }),
      );
      const job = await replay(TRACE);
      assert.equal(job.status, 'FAILED');
      assert.equal(job.errorCode, 'NOTHING_REPLAYABLE');
      assert.match(job.error!, /recorded no input messages/);
      assert.match(job.error!, /OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true/);
      assert.match(job.error!, /OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental/);
      assert.equal(gateway.executed.length, 0, 'nothing was sent');
    });

    it('fails only its own span when others can be replayed; the job ends FAILED, never COMPLETED', async () => {
      await ingest(
        root(),
        oiLlm(
          '1'.repeat(16),
          { 'llm.input_messages.0.message.role': 'user', 'llm.input_messages.0.message.content': 'Hi there' },
          1_700_000_000_010,
        ),
        oiLlm('2'.repeat(16), {}, 1_700_000_000_020),
      );
      const job = await replay(TRACE);
      assert.equal(job.status, 'FAILED');
      const refused = job.spans.find((s) => s.originalSpanId === '2'.repeat(16))!;
      assert.equal(refused.status, 'failed');
      assert.match(refused.error!, /OPENINFERENCE_HIDE_INPUTS/);
      assert.equal(gateway.executed.length, 1, 'only the span with input was sent');
      assert.equal(job.spans.find((s) => s.originalSpanId === '1'.repeat(16))!.status, 'replayed');
    });
  });

  describe('a template override', () => {
    const recorded = {
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'Answer politely: where is order 42?',
      'llm.prompt_template.template': 'Answer politely: {question}',
      'llm.prompt_template.variables': JSON.stringify({ question: 'where is order 42?' }),
    };

    it('is linked to the one template the trace recorded when its text no longer matches, with a warning', async () => {
      await ingest(root(), oiLlm('1'.repeat(16), recorded, 1_700_000_000_010));
      const v4 = await file('support-v4.txt', 'You are our support agent. Customer asks: {question}');
      const job = await replay(TRACE, { template: { kind: 'file', path: v4 } });
      assert.equal(job.status, 'COMPLETED', job.error);
      const sent = gateway.executed[0].call.messages;
      assert.deepEqual(
        sent.map((m) => m.parts),
        [[{ type: 'text', text: 'You are our support agent. Customer asks: where is order 42?' }]],
      );
      assert.ok(
        job.spans[1].warnings.some((w) => w.includes('new version of the one template this trace recorded')),
        job.spans[1].warnings.join('\n'),
      );
    });

    it('that links to no span fails before sending anything, saying how to pick', async () => {
      await ingest(
        root(),
        oiLlm(
          '1'.repeat(16),
          { 'llm.input_messages.0.message.role': 'user', 'llm.input_messages.0.message.content': 'Hello' },
          1_700_000_000_010,
        ),
      );
      const v4 = await file('support-v4.txt', 'Completely different {thing}');
      const job = await replay(TRACE, { template: { kind: 'file', path: v4 } });
      assert.equal(job.status, 'FAILED');
      assert.equal(job.errorCode, 'TEMPLATE_NOT_LINKED');
      assert.match(job.error!, /links to no LLM span/);
      assert.match(job.error!, /--span/);
      assert.equal(gateway.executed.length, 0);
    });

    it('is refused when the trace recorded two different templates, naming both; --span picks one', async () => {
      await ingest(
        root(),
        oiLlm('1'.repeat(16), recorded, 1_700_000_000_010),
        oiLlm(
          '2'.repeat(16),
          {
            'llm.input_messages.0.message.role': 'user',
            'llm.input_messages.0.message.content': 'Summarize: it rained',
            'llm.prompt_template.template': 'Summarize: {text}',
            'llm.prompt_template.variables': JSON.stringify({ text: 'it rained' }),
          },
          1_700_000_000_020,
        ),
      );
      const v4 = await file('support-v4.txt', 'Kindly answer: {question}');
      const refused = await replay(TRACE, { template: { kind: 'file', path: v4 } });
      assert.equal(refused.errorCode, 'TEMPLATE_NOT_LINKED');
      assert.match(refused.error!, /2 different templates/);
      assert.match(refused.error!, /Answer politely: \{question\}/);
      assert.match(refused.error!, /Summarize: \{text\}/);
      assert.equal(gateway.executed.length, 0);

      const picked = await replay(TRACE, { template: { kind: 'file', path: v4 }, templateSpanIds: ['1'.repeat(16)] });
      assert.equal(picked.status, 'COMPLETED', picked.error);
      const texts = gateway.executed.map((e) => e.call.messages[0].parts[0]);
      assert.deepEqual(texts, [
        { type: 'text', text: 'Kindly answer: where is order 42?' },
        { type: 'text', text: 'Summarize: it rained' },
      ]);
    });

    it('is not taken as a new version of a template recorded under another prompt name, or one lacking its variables', async () => {
      await ingest(root(), oiLlm('1'.repeat(16), { ...recorded, 'prompt.id': 'summarize' }, 1_700_000_000_010));
      const translate = await file('translate.prompt.md', 'Translate to French: {question}');
      const named = await replay(TRACE, { template: { kind: 'file', path: translate } });
      assert.equal(named.errorCode, 'TEMPLATE_NOT_LINKED', 'the span says it came from prompt "summarize"');
      assert.match(named.error!, /"summarize" "Answer politely: \{question\}"/);
      await t.store.deleteTrace(TRACE);
      await ingest(root(), oiLlm('1'.repeat(16), recorded, 1_700_000_000_010));
      const otherVars = await file('other.txt', 'Translate {text} to {language}');
      const unfit = await replay(TRACE, { template: { kind: 'file', path: otherVars } });
      assert.equal(unfit.errorCode, 'TEMPLATE_NOT_LINKED', 'the recorded span has no text/language variables');
      assert.equal(gateway.executed.length, 0);
    });

    it('given for a span that is not an LLM span of the trace fails, listing the LLM spans', async () => {
      await ingest(root(), oiLlm('1'.repeat(16), recorded, 1_700_000_000_010));
      const v4 = await file('support-v4.txt', 'Kindly answer: {question}');
      const job = await replay(TRACE, { template: { kind: 'file', path: v4 }, templateSpanIds: ['f'.repeat(16)] });
      assert.equal(job.errorCode, 'TEMPLATE_NOT_LINKED');
      assert.match(job.error!, new RegExp(`pick among ${'1'.repeat(16)}`));
      assert.equal(gateway.executed.length, 0);
    });
  });

  describe('tool definitions that were not recorded', () => {
    it('are inferred from the recorded arguments (Traceloop Anthropic records none), with a warning naming the fix', async () => {
      const trace = await importFixture(t.store, 'traceloop-anthropic-agent');
      const job = await replay(trace.id);
      assert.equal(job.status, 'COMPLETED', job.error);
      const withCalls = gateway.executed.filter(
        (e) =>
          e.call.messages.some((m) => m.parts.some((p) => p.type === 'tool_call')) || e.call.output.toolCalls.length,
      );
      assert.ok(withCalls.length >= 1);
      for (const e of withCalls) {
        assert.deepEqual(e.call.tools, [
          {
            name: 'get_weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
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
    });

    it("come from the user's file (OpenAI form) before inference", async () => {
      const trace = await importFixture(t.store, 'traceloop-anthropic-agent');
      const tools = await file(
        'tools.json',
        JSON.stringify([
          {
            type: 'function',
            function: {
              name: 'get_weather',
              description: 'Weather for a city',
              parameters: { type: 'object', properties: { city: { type: 'string', description: 'City' } } },
            },
          },
        ]),
      );
      const job = await replay(trace.id, { toolsPath: tools });
      assert.equal(job.status, 'COMPLETED', job.error);
      const sent = gateway.executed.find((e) => e.call.tools?.length)!;
      assert.equal(sent.call.tools![0].description, 'Weather for a city');
      assert.ok(job.spans.flatMap((s) => s.warnings).some((w) => w.includes(`its definition was from ${tools}`)));
    });

    it('come from another trace of the store that recorded them, before the file', async () => {
      await importFixture(t.store, 'openinference-anthropic-agent');
      const trace = await importFixture(t.store, 'traceloop-anthropic-agent');
      const job = await replay(trace.id);
      assert.equal(job.status, 'COMPLETED', job.error);
      const sent = gateway.executed.find((e) => e.call.tools?.length)!;
      assert.equal(sent.call.tools![0].name, 'get_weather');
      assert.ok(sent.call.tools![0].description, 'the recorded definition (with its description) was used');
      assert.ok(
        job.spans.flatMap((s) => s.warnings).some((w) => /its definition was recorded in trace [0-9a-f]{32}/.test(w)),
      );
    });

    it('an unreadable tools file fails the job before any request', async () => {
      const trace = await importFixture(t.store, 'traceloop-anthropic-agent');
      const job = await replay(trace.id, { toolsPath: path.join(dir, 'missing.json') });
      assert.equal(job.status, 'FAILED');
      assert.equal(job.errorCode, 'TOOL_DEFINITIONS_FILE_INVALID');
      assert.match(job.error!, /does not exist/);
      assert.equal(gateway.executed.length, 0);
    });

    it('a span that recorded its definitions is sent with exactly those', async () => {
      const trace = await importFixture(t.store, 'openinference-openai-agent');
      const job = await replay(trace.id);
      assert.equal(job.status, 'COMPLETED', job.error);
      const recorded = trace.spans.filter((s) => s.llm?.tools?.length);
      assert.ok(recorded.length > 0);
      for (const e of gateway.executed.filter((x) => x.call.tools?.length))
        assert.deepEqual(e.call.tools, recorded[0].llm!.tools);
      assert.ok(!job.spans.flatMap((s) => s.warnings).some((w) => w.includes('no tool definitions')));
    });
  });
});
