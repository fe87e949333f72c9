// Engine behaviour with a scripted in-test gateway: trace shape, overrides, modes, cache, failures.
// The same paths through the real provider layer and SDKs are in test/e2e-node/replay-e2e.test.ts.
import assert from 'node:assert/strict';
import { ReplayQueue } from '../../../src/core/replay/replay-queue';
import type { ReplayEvent, ReplayJob } from '../../../src/core/replay/replay-types';
import type { Trace } from '../../../src/core/model/trace';
import {
  importFixture,
  providerError,
  ScriptedGateway,
  scriptedServices,
  tempStore,
  type TempStore,
} from './replay-test-helpers';

describe('replay engine (scripted gateway)', () => {
  let t: TempStore;
  let gateway: ScriptedGateway;
  let queue: ReplayQueue;

  beforeEach(async () => {
    t = await tempStore();
    gateway = new ScriptedGateway();
    queue = await ReplayQueue.open(scriptedServices(t.store, gateway));
  });
  afterEach(async () => {
    await queue.close();
    await t.dispose();
  });

  async function replay(traceId: string, overrides = {}): Promise<ReplayJob> {
    const job = await queue.enqueue(traceId, overrides);
    return queue.wait(job.id);
  }

  it('writes a new trace with the same tree, new ids, a link to the original and reused tool spans', async () => {
    const original = await importFixture(t.store, 'traceloop-openai-agent');
    gateway.script = (_call, _target, n) =>
      n === 1
        ? { text: '', toolCalls: [{ type: 'tool_call', id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } }] }
        : undefined;
    const job = await replay(original.id);
    assert.equal(job.status, 'COMPLETED', job.error);
    assert.equal(gateway.executed.length, 2, 'both LLM spans sent, the tool span not');
    const replayed = (await t.store.getTrace(job.replayTraceId!)) as Trace;
    assert.deepEqual(replayed.replayOf, { originalTraceId: original.id, replayId: job.id });
    assert.notEqual(replayed.id, original.id);
    assert.match(replayed.id, /^[0-9a-f]{32}$/);
    assert.equal(replayed.spans.length, original.spans.length);
    const newIds = new Map(job.spans.map((s) => [s.originalSpanId, s.replaySpanId]));
    for (const [i, span] of original.spans.entries()) {
      const copy = replayed.spans[i];
      assert.equal(copy.kind, span.kind);
      assert.equal(copy.id, newIds.get(span.id));
      assert.notEqual(copy.id, span.id);
      assert.equal(copy.traceId, replayed.id);
      assert.equal(copy.parentId, span.parentId && newIds.get(span.parentId));
      assert.equal(copy.replay?.originalSpanId, span.id);
      assert.ok(copy.startTime <= copy.endTime);
      const parent = replayed.spans.find((s) => s.id === copy.parentId);
      if (parent)
        assert.ok(parent.startTime <= copy.startTime && parent.endTime >= copy.endTime, 'children inside their parent');
    }
    const tool = replayed.spans.find((s) => s.kind === 'tool')!;
    const originalTool = original.spans.find((s) => s.kind === 'tool')!;
    assert.equal(tool.replay?.status, 'reused');
    assert.deepEqual(tool.io, originalTool.io);
    const finalLlm = replayed.spans.filter((s) => s.kind === 'llm')[1];
    assert.equal(finalLlm.replay?.status, 'replayed');
    assert.equal(finalLlm.llm?.output.text, 'replayed by gpt-4o-mini');
    assert.deepEqual(finalLlm.llm?.usage, { inputTokens: 10, outputTokens: 5, inputIncludesCache: true });
    assert.equal(typeof finalLlm.llm?.costUsd, 'number', 'gpt-4o-mini is priced');
    assert.equal(finalLlm.endTime - finalLlm.startTime, 7, 'the replayed duration');
    assert.equal(job.spans.find((s) => s.kind === 'tool')?.status, 'reused');
    const listed = await t.store.listTraces();
    assert.ok(listed.some((s) => s.id === replayed.id && s.replayOf?.replayId === job.id));
  });

  it('independent mode sends every span its recorded input; overrides apply to every LLM span', async () => {
    const original = await importFixture(t.store, 'traceloop-openai-chain');
    const job = await replay(original.id, {
      model: 'anthropic:claude-haiku-4-5',
      parameters: { temperature: 0.3, max_tokens: 99, logprobs: true },
    });
    assert.equal(job.status, 'COMPLETED', job.error);
    const recorded = original.spans.filter((s) => s.kind === 'llm').map((s) => s.llm!);
    assert.equal(gateway.executed.length, 2);
    for (const [i, { call, target }] of gateway.executed.entries()) {
      assert.deepEqual(target, { provider: 'anthropic', model: 'claude-haiku-4-5' });
      assert.deepEqual(call.messages, recorded[i].messages, 'recorded input, unchanged');
      assert.equal(call.parameters.temperature, 0.3);
      assert.equal(call.parameters.maxTokens, 99);
      assert.deepEqual(call.parameters.extra, { logprobs: true });
    }
    const llmResults = job.spans.filter((s) => s.kind === 'llm');
    assert.deepEqual(
      llmResults[0].warnings,
      ['translated from openai to anthropic'],
      'build warnings are kept on the span',
    );
    assert.equal(llmResults[0].execution?.model, 'claude-haiku-4-5');
    assert.equal(typeof llmResults[0].execution?.originalCostUsd, 'number', 'the recorded call is priced too');
  });

  it('chained mode puts replayed answers into later inputs and flags the first tool-call divergence', async () => {
    const chain = await importFixture(t.store, 'traceloop-openai-chain');
    gateway.script = (_c, _t, n) => (n === 1 ? { text: 'Waves hum a quiet tune.' } : undefined);
    const chained = await replay(chain.id, { mode: 'chained' });
    assert.equal(chained.status, 'COMPLETED');
    const second = gateway.executed[1].call.messages[0].parts[0];
    assert.deepEqual(second, { type: 'text', text: 'Translate to French: Waves hum a quiet tune.' });

    gateway.executed.length = 0;
    const agent = await importFixture(t.store, 'traceloop-openai-agent');
    gateway.script = (_c, _t, n) =>
      n === 1
        ? { text: '', toolCalls: [{ type: 'tool_call', id: 'x', name: 'get_weather', arguments: { city: 'Lyon' } }] }
        : undefined;
    const job = await replay(agent.id, { mode: 'chained' });
    assert.equal(job.status, 'COMPLETED');
    const [first, last] = job.spans.filter((s) => s.kind === 'llm');
    assert.equal(first.divergence?.first, true);
    assert.deepEqual(first.divergence?.replayed, [{ name: 'get_weather', arguments: { city: 'Lyon' } }]);
    assert.deepEqual(first.divergence?.recorded, [{ name: 'get_weather', arguments: { city: 'Paris' } }]);
    assert.equal(last.divergence, undefined);
    assert.match(last.warnings.join('\n'), /keeps the recorded tool calls and results/);
    // The recorded tool call stays paired with the recorded tool result.
    const sent = gateway.executed[1].call.messages;
    const toolCall = sent.flatMap((m) => m.parts).find((p) => p.type === 'tool_call');
    const toolResult = sent.flatMap((m) => m.parts).find((p) => p.type === 'tool_result');
    assert.deepEqual(toolCall && { id: toolCall.id, args: toolCall.arguments }, {
      id: 'call_weather_1',
      args: { city: 'Paris' },
    });
    assert.equal(toolResult?.toolCallId, 'call_weather_1');
    const replayed = (await t.store.getTrace(job.replayTraceId!))!;
    assert.equal(replayed.spans.find((s) => s.replay?.divergence)?.replay?.divergence?.first, true);
  });

  it('serves temperature-0 or seeded requests from the response cache unless cache is off', async () => {
    const original = await importFixture(t.store, 'traceloop-openai-single');
    const first = await replay(original.id, { parameters: { temperature: 0 } });
    const second = await replay(original.id, { parameters: { temperature: 0 } });
    assert.equal(gateway.executed.length, 1, 'the second replay was a cache hit');
    assert.equal(first.spans.find((s) => s.kind === 'llm')?.cached, undefined);
    assert.equal(second.spans.find((s) => s.kind === 'llm')?.cached, true);
    assert.equal(second.providerMs, 0);
    const replayed = (await t.store.getTrace(second.replayTraceId!))!;
    assert.equal(replayed.spans.find((s) => s.kind === 'llm')?.replay?.cached, true);

    await replay(original.id, { parameters: { temperature: 0 }, cache: false });
    assert.equal(gateway.executed.length, 2, 'cache: false sends again');
    await replay(original.id, { parameters: { temperature: 0.7 } });
    await replay(original.id, { parameters: { temperature: 0.7 } });
    assert.equal(gateway.executed.length, 4, 'non-deterministic requests are never cached');
    await replay(original.id, { parameters: { temperature: 0.7, seed: 1 } });
    await replay(original.id, { parameters: { temperature: 0.7, seed: 1 } });
    assert.equal(gateway.executed.length, 5, 'seeded requests are cached');
  });

  it('a failing span fails the job with partial results kept; later spans still run', async () => {
    const original = await importFixture(t.store, 'traceloop-openai-chain');
    gateway.script = (_c, _t, n) => (n === 1 ? providerError(500, 'The server had an error') : undefined);
    const job = await replay(original.id, { mode: 'chained' });
    assert.equal(job.status, 'FAILED');
    assert.match(
      job.error!,
      /1 of 2 LLM spans failed; first: openai request failed \(HTTP 500\) after 2 retries: The server had an error/,
    );
    const [a, b] = job.spans.filter((s) => s.kind === 'llm');
    assert.equal(a.status, 'failed');
    assert.equal(b.status, 'replayed');
    assert.match(b.warnings.join(), /uses the recorded answer of span .* whose replay failed/);
    assert.ok(job.replayTraceId, 'the partial replay is still written');
    const replayed = (await t.store.getTrace(job.replayTraceId))!;
    assert.equal(replayed.spans.find((s) => s.replay?.status === 'failed')?.status.code, 'error');
  });

  it('a missing key fails the job at once, naming the env var, and leaves other jobs alone', async () => {
    const original = await importFixture(t.store, 'traceloop-openai-chain');
    gateway.missingKeyFor = 'anthropic';
    const failing = await queue.enqueue(original.id, { model: 'anthropic:claude-haiku-4-5' });
    const fine = await queue.enqueue(original.id, { model: 'openai:gpt-4.1-mini' });
    const [a, b] = await Promise.all([queue.wait(failing.id), queue.wait(fine.id)]);
    assert.equal(a.status, 'FAILED');
    assert.equal(a.errorCode, 'MISSING_API_KEY');
    assert.match(a.error!, /ANTHROPIC_API_KEY/);
    assert.equal(a.spans.filter((s) => s.kind === 'llm').length, 0, 'no span went on after the first');
    assert.equal(b.status, 'COMPLETED');
  });

  it('a trace missing from the store fails with a clear error', async () => {
    const job = await replay('0123456789abcdef0123456789abcdef');
    assert.equal(job.status, 'FAILED');
    assert.equal(job.errorCode, 'TRACE_NOT_FOUND');
    assert.match(job.error!, /is not in the trace store \(deleted since the replay was queued, or never imported\)/);
  });

  it('rejects a bad override before creating a job', async () => {
    await assert.rejects(queue.enqueue('x', { parameters: { temperature: 'hot' } }), { code: 'INVALID_OVERRIDE' });
    await assert.rejects(queue.enqueue('x', { mode: 'parallel' as never }), { code: 'INVALID_OVERRIDE' });
    assert.deepEqual(await queue.listJobs(), []);
  });

  it('emits progress events in order and persists the history', async () => {
    const original = await importFixture(t.store, 'traceloop-openai-chain');
    const events: ReplayEvent[] = [];
    queue.onEvent((e) => events.push(e));
    const job = await replay(original.id);
    assert.deepEqual(
      events.map((e) => e.type),
      ['job-queued', 'job-started', 'span-started', 'span-finished', 'span-started', 'span-finished', 'job-finished'],
    );
    const history = await queue.listJobs({ traceId: original.id });
    assert.equal(history.length, 1);
    assert.equal(history[0].status, 'COMPLETED');
    assert.deepEqual(history[0], job);
    assert.ok(job.queueWaitMs !== undefined && job.queueWaitMs >= 0);
  });
});
