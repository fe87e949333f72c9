// The replay engine end to end: real provider layer and official SDKs against the loopback fake
// LLM server, traces imported from OTLP captured from real instrumentation.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ProviderConfigs } from '../../src/core/llm/llm-types';
import type { Trace } from '../../src/core/model/trace';
import { createReplayServices } from '../../src/core/replay/default-replay-services';
import { REPLAYS_COLLECTION, ReplayQueue } from '../../src/core/replay/replay-queue';
import type { ReplayJob, ReplayOverrides } from '../../src/core/replay/replay-types';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm/fake-llm-server';
import { importFixture, tempStore, type TempStore } from '../unit/replay/replay-test-helpers';

function configs(
  server: FakeLlmServer,
  keys: { openai?: string; anthropic?: string } = { openai: 'sk-test', anthropic: 'sk-ant-test' },
): ProviderConfigs {
  return {
    openai: {
      kind: 'openai',
      baseURL: server.openaiBaseUrl,
      apiKey: keys.openai,
      keySource: 'OPENAI_API_KEY',
      maxRetries: 2,
    },
    anthropic: {
      kind: 'anthropic',
      baseURL: server.anthropicBaseUrl,
      apiKey: keys.anthropic,
      keySource: 'ANTHROPIC_API_KEY',
      maxRetries: 2,
    },
  };
}

describe('replay engine end to end (real SDKs, fake LLM server)', function () {
  this.timeout(30000);
  let server: FakeLlmServer;
  let t: TempStore;
  let queue: ReplayQueue | undefined;
  let release: () => void = () => undefined;

  before(async () => {
    server = await startFakeLlmServer();
  });
  after(async () => server.close());
  beforeEach(async () => {
    server.reset();
    t = await tempStore();
  });
  afterEach(async () => {
    release();
    await queue?.close();
    queue = undefined;
    await t.dispose();
  });

  async function open(keys?: { openai?: string; anthropic?: string }, concurrency?: number): Promise<ReplayQueue> {
    queue = await ReplayQueue.open(createReplayServices(t.store, configs(server, keys)), { concurrency });
    return queue;
  }

  async function replay(traceId: string, overrides: ReplayOverrides = {}): Promise<ReplayJob> {
    const q = queue ?? (await open());
    return q.wait((await q.enqueue(traceId, overrides)).id);
  }

  it('with no overrides re-sends the recorded conversation, tools and tool results', async () => {
    const original = await importFixture(t.store, 'openinference-anthropic-agent');
    server.enqueue([
      { toolCalls: [{ id: 'toolu_new', name: 'get_weather', arguments: { city: 'Paris' } }] },
      { text: 'Sunny, 21°C.' },
    ]);
    const job = await replay(original.id);
    assert.equal(job.status, 'COMPLETED', job.error);
    assert.deepEqual(
      server.requests.map((r) => r.api),
      ['anthropic.messages', 'anthropic.messages'],
    );
    const [first, second] = server.requests.map((r) => r.body);
    assert.equal(first.model, 'claude-haiku-4-5');
    assert.equal(first.system, 'You are a concise assistant.');
    assert.equal(first.temperature, 0);
    assert.equal(first.max_tokens, 256);
    assert.equal(first.tools[0].name, 'get_weather');
    const toolUse = second.messages
      .flatMap((m: { content: unknown }) => (Array.isArray(m.content) ? m.content : []))
      .find((b: { type: string }) => b.type === 'tool_use');
    const toolResult = second.messages
      .flatMap((m: { content: unknown }) => (Array.isArray(m.content) ? m.content : []))
      .find((b: { type: string }) => b.type === 'tool_result');
    assert.equal(toolUse.id, 'toolu_weather_1');
    assert.equal(toolResult.tool_use_id, 'toolu_weather_1', 'the recorded tool result, paired with its call');
    const replayed = (await t.store.getTrace(job.replayTraceId!)) as Trace;
    const llm = replayed.spans.filter((s) => s.kind === 'llm');
    assert.equal(llm[1].llm?.output.text, 'Sunny, 21°C.');
    assert.equal(llm[1].llm?.responseId, 'msg_fake2');
    assert.ok(llm[1].llm?.usage?.outputTokens);
    assert.equal(replayed.spans.find((s) => s.kind === 'tool')?.replay?.status, 'reused');
  });

  it('applies model and parameter overrides through the SDKs, across providers', async () => {
    const original = await importFixture(t.store, 'traceloop-openai-single');
    const job = await replay(original.id, {
      model: 'anthropic:claude-haiku-4-5',
      parameters: { temperature: 0, max_tokens: 50, top_k: 5, stop: 'END' },
    });
    assert.equal(job.status, 'COMPLETED', job.error);
    const [request] = server.requests;
    assert.equal(request.api, 'anthropic.messages');
    assert.equal(request.body.model, 'claude-haiku-4-5');
    assert.equal(request.body.temperature, 0);
    assert.equal(request.body.max_tokens, 50);
    assert.equal(request.body.top_k, 5);
    assert.deepEqual(request.body.stop_sequences, ['END']);
    const result = job.spans.find((s) => s.kind === 'llm')!;
    assert.equal(result.execution?.provider, 'anthropic');
    assert.equal(typeof result.execution?.costUsd, 'number', 'claude-haiku-4-5 is priced');
  });

  it('re-renders a new prompt-template version with recorded or recovered variables, and fails a span it cannot', async () => {
    const original = await importFixture(t.store, 'traceloop-openai-chain');
    const [poem, translate] = original.spans.filter((s) => s.kind === 'llm');
    poem.llm!.prompt = {
      name: 'poem',
      template: 'Write a one-line poem about {{topic}}.',
      variables: { topic: 'the sea' },
    };
    translate.llm!.prompt = { name: 'poem', template: 'Translate to French: {{text}}' }; // no variables, and not this template
    await t.store.putTrace(original);
    const file = path.join(t.dir, 'poem-v2.txt');
    await writeFile(file, 'Write a haiku about {{topic}}.');
    const job = await replay(original.id, { template: { kind: 'file', path: file }, templateSpanIds: [poem.id] });
    assert.equal(job.status, 'COMPLETED', job.error);
    assert.equal(server.requests[0].body.messages[0].content, 'Write a haiku about the sea.');

    server.reset();
    delete poem.llm!.prompt.variables; // recovered from the recorded message by matching the old version
    await t.store.putTrace(original);
    const recovered = await replay(original.id, { template: { kind: 'file', path: file }, templateSpanIds: [poem.id] });
    assert.equal(recovered.status, 'COMPLETED', recovered.error);
    assert.equal(server.requests[0].body.messages[0].content, 'Write a haiku about the sea.');

    server.reset();
    const failing = await replay(original.id, {
      template: { kind: 'file', path: file },
      templateSpanIds: [translate.id],
    });
    assert.equal(failing.status, 'FAILED');
    const failed = failing.spans.find((s) => s.originalSpanId === translate.id)!;
    assert.equal(failed.status, 'failed');
    assert.match(failed.error!, /needs variable "topic" that the span did not have/);
    assert.equal(server.requests.length, 1, 'only the other span was sent');
  });

  it('chained mode sends the replayed tool-call turn and flags a divergence', async () => {
    const original = await importFixture(t.store, 'traceloop-openai-agent');
    server.enqueue([{ toolCalls: [{ name: 'get_weather', arguments: { city: 'Rome' } }] }, { text: 'Done.' }]);
    const job = await replay(original.id, { mode: 'chained' });
    assert.equal(job.status, 'COMPLETED', job.error);
    const first = job.spans.find((s) => s.kind === 'llm')!;
    assert.equal(first.divergence?.first, true);
    assert.match(first.divergence!.message, /Rome.*Paris/);
    const sent = server.requests[1].body.messages;
    const call = sent.find((m: { tool_calls?: unknown[] }) => m.tool_calls)?.tool_calls[0];
    assert.equal(call.id, 'call_weather_1', 'the recorded call stays paired with the recorded result');
    assert.equal(sent.find((m: { role: string }) => m.role === 'tool').tool_call_id, 'call_weather_1');
  });

  it('retries a 429 honouring retry-after, then succeeds', async () => {
    const original = await importFixture(t.store, 'traceloop-openai-single');
    server.enqueue([{ status: 429, retryAfter: 0 }, { text: 'ok after retry' }]);
    const job = await replay(original.id);
    assert.equal(job.status, 'COMPLETED', job.error);
    assert.equal(server.requests.length, 2);
    assert.equal(job.spans.find((s) => s.kind === 'llm')?.execution?.output.text, 'ok after retry');
  });

  it('a persistent 500 fails that span with the provider message; the job keeps partial results', async () => {
    const original = await importFixture(t.store, 'traceloop-openai-chain');
    server.enqueue([
      { status: 500, retryAfter: 0 },
      { status: 500, retryAfter: 0 },
      { status: 500, retryAfter: 0 },
    ]);
    const job = await replay(original.id);
    assert.equal(job.status, 'FAILED');
    const [a, b] = job.spans.filter((s) => s.kind === 'llm');
    assert.equal(a.status, 'failed');
    assert.match(a.error!, /HTTP 500/);
    assert.equal(b.status, 'replayed', 'independent mode continues with the next span');
    assert.equal(server.requests.length, 4, '1 try + 2 retries, then the second span');
    const stored = await queue!.getJob(job.id);
    assert.equal(stored?.status, 'FAILED');
  });

  it('a missing key fails the job at once, naming the env var, before any request', async () => {
    const original = await importFixture(t.store, 'traceloop-openai-single');
    await open({ openai: 'sk-test' });
    const job = await replay(original.id, { model: 'anthropic:claude-haiku-4-5' });
    assert.equal(job.status, 'FAILED');
    assert.equal(job.errorCode, 'MISSING_API_KEY');
    assert.match(job.error!, /ANTHROPIC_API_KEY/);
    assert.equal(server.requests.length, 0);
  });

  it('cancel aborts the in-flight request and ends the job CANCELLED', async () => {
    const original = await importFixture(t.store, 'traceloop-openai-chain');
    const gate = new Promise<void>((r) => (release = r));
    let arrived!: () => void;
    const inFlight = new Promise<void>((r) => (arrived = r));
    server.setResponder(() => {
      arrived();
      return { hold: gate };
    });
    const q = await open();
    const started = new Promise<void>((resolve) => q.onEvent((e) => e.type === 'span-started' && resolve()));
    const job = await q.enqueue(original.id);
    await started;
    await inFlight;
    assert.equal(await q.cancel(job.id), true);
    const ended = await q.wait(job.id);
    assert.equal(ended.status, 'CANCELLED', 'ended while the server still holds the reply');
    assert.equal(ended.spans.find((s) => s.kind === 'llm')?.status, 'cancelled');
    assert.equal(server.requests.length, 1, 'the second span was never sent');
    assert.equal((await q.getJob(job.id))?.status, 'CANCELLED');
  });

  it('resumes a job interrupted by a crash without re-sending finished spans', async () => {
    const original = await importFixture(t.store, 'traceloop-openai-chain');
    const done = await replay(original.id);
    assert.equal(done.status, 'COMPLETED');
    await queue!.close();
    // What a crash after the first span leaves on disk: RUNNING, one span result.
    const firstLlm = done.spans.findIndex((s) => s.kind === 'llm');
    const crashed: ReplayJob = {
      ...done,
      status: 'RUNNING',
      spans: done.spans.slice(0, firstLlm + 1),
      finishedAt: undefined,
      replayTraceId: undefined,
    };
    const jobs = await t.store.collection<ReplayJob>(REPLAYS_COLLECTION);
    await jobs.put(crashed.id, JSON.parse(JSON.stringify(crashed)) as ReplayJob);
    server.reset();

    const q = await open();
    const resumed = await q.resume();
    assert.deepEqual(
      resumed.map((j) => j.id),
      [done.id],
    );
    const job = await q.wait(done.id);
    assert.equal(job.status, 'COMPLETED', job.error);
    assert.equal(server.requests.length, 1, 'only the unfinished span was sent');
    const second = original.spans.filter((s) => s.kind === 'llm')[1];
    assert.match(server.requests[0].body.messages[0].content, /^Translate to French/);
    assert.deepEqual(
      job.spans.find((s) => s.kind === 'llm'),
      done.spans[firstLlm],
      'the finished span result is kept as is',
    );
    assert.equal(job.spans.find((s) => s.originalSpanId === second.id)?.status, 'replayed');
    assert.equal(job.resumed, 1);
    assert.equal(job.replayTraceId, done.replayTraceId, 'the same replayed trace is rewritten, not a copy');
  });

  it('never has more jobs at their provider calls at once than the limit', async () => {
    const original = await importFixture(t.store, 'traceloop-openai-single');
    let open3!: () => void;
    const gate = new Promise<void>((r) => (open3 = r));
    release = open3;
    server.setResponder(() => {
      if (server.requests.length >= 3) open3();
      return { hold: gate };
    });
    const q = await open(undefined, 3);
    // A slot is for provider work: a job whose calls are done writes its trace after freeing it.
    let calling = 0;
    let maxCalling = 0;
    q.onEvent((e) => {
      if (e.type === 'span-started') maxCalling = Math.max(maxCalling, ++calling);
      if (e.type === 'span-finished') calling--;
    });
    const jobs = await Promise.all(Array.from({ length: 7 }, () => q.enqueue(original.id, { cache: false })));
    const ended = await Promise.all(jobs.map((j) => q.wait(j.id)));
    assert.deepEqual(
      ended.map((j) => j.status),
      Array(7).fill('COMPLETED'),
    );
    assert.equal(server.requests.length, 7);
    assert.equal(server.maxConcurrent, 3, 'three requests were held open together, never a fourth');
    assert.equal(maxCalling, 3);
  });
});
