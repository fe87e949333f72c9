// Replay from a span (--from-span) and the strict tool policy (--tools strict), through the real
// provider layer and OpenAI SDK against the loopback fake LLM server: what the server receives starts
// at the chosen span, spans that ended before it keep their recorded output (not sent), later spans
// chain on the replayed answer; strict stops the job at the first tool-call divergence; bad fork
// overrides are refused before a job exists or anything is sent.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { comparisonOfJob } from '../../../src/core/compare/load-comparison';
import type { ProviderConfigs } from '../../../src/core/llm/llm-types';
import type { Trace } from '../../../src/core/model/trace';
import { createReplayServices } from '../../../src/core/replay/default-replay-services';
import { ForkSpanError, ToolPolicyError } from '../../../src/core/replay/replay-fork';
import { ReplayQueue } from '../../../src/core/replay/replay-queue';
import type { ReplayJob, ReplayOverrides } from '../../../src/core/replay/replay-types';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { importFixture, tempStore, type TempStore } from './replay-test-helpers';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- request bodies are indexed freely

const POEM = 'The sea sings softly to the shore.';
const NEW_POEM = 'Grey waves fold the moonlight into foam.';

function sentText(body: Body): string {
  return JSON.stringify(body.messages);
}

describe('replay from a span and the strict tool policy (real SDK, fake LLM server)', function () {
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

  async function replay(traceId: string, overrides: ReplayOverrides): Promise<ReplayJob> {
    return queue.wait((await queue.enqueue(traceId, { cache: false, ...overrides })).id);
  }

  const llmSpans = (trace: Trace) => trace.spans.filter((s) => s.kind === 'llm');

  describe('--from-span', () => {
    it('sends nothing before the chosen span: earlier spans keep their recorded output, the fork is marked', async () => {
      const trace = await importFixture(t.store, 'traceloop-openai-chain');
      const [first, second] = llmSpans(trace);
      server.enqueue({ text: 'La mer murmure au rivage.' });
      const job = await replay(trace.id, { fromSpanId: second.id });
      assert.equal(job.status, 'COMPLETED', job.error);
      assert.equal(server.requests.length, 1, 'only the chosen span was sent');
      assert.match(sentText(server.requests[0].body as Body), /Translate to French: The sea sings softly/);

      const before = job.spans.find((s) => s.originalSpanId === first.id)!;
      assert.equal(before.status, 'reused');
      assert.equal(before.execution, undefined, 'no request, no execution');
      assert.equal(before.forkPoint, undefined);
      const fork = job.spans.find((s) => s.originalSpanId === second.id)!;
      assert.equal(fork.status, 'replayed');
      assert.equal(fork.forkPoint, true);

      const replayed = await t.store.getTrace(job.replayTraceId!);
      const [r1, r2] = llmSpans(replayed!);
      assert.equal(r1.llm!.output.text, POEM, 'the reused span keeps its recorded answer');
      assert.equal(r2.llm!.output.text, 'La mer murmure au rivage.');

      const comparison = await comparisonOfJob(t.store, job);
      const forks = comparison.spans.filter((r) => r.forkPoint);
      assert.deepEqual(
        forks.map((r) => r.original?.spanId),
        [second.id],
      );
      assert.equal(comparison.spans.find((r) => r.original?.spanId === first.id)!.status, 'reused');
    });

    it('replays the chosen span and every later one chained, even without --mode chained', async () => {
      const trace = await importFixture(t.store, 'traceloop-openai-chain');
      const [first] = llmSpans(trace);
      server.enqueue([{ text: NEW_POEM }, { text: 'Les vagues grises.' }]);
      const job = await replay(trace.id, { fromSpanId: first.id.toUpperCase() });
      assert.equal(job.status, 'COMPLETED', job.error);
      assert.equal(server.requests.length, 2);
      const second = sentText(server.requests[1].body as Body);
      assert.ok(second.includes(NEW_POEM), `the later span got the replayed answer: ${second}`);
      assert.ok(!second.includes(POEM));
      assert.equal(job.spans.find((s) => s.originalSpanId === first.id)!.forkPoint, true);
    });

    it('works with the other overrides: model and parameters apply to the spans it sends', async () => {
      const trace = await importFixture(t.store, 'traceloop-openai-chain');
      const [, second] = llmSpans(trace);
      const job = await replay(trace.id, {
        fromSpanId: second.id,
        model: 'openai:gpt-4.1-mini',
        parameters: { temperature: 0, max_tokens: 32 },
      });
      assert.equal(job.status, 'COMPLETED', job.error);
      assert.equal(server.requests.length, 1);
      const body = server.requests[0].body as Body;
      assert.equal(body.model, 'gpt-4.1-mini');
      assert.equal(body.temperature, 0);
      assert.ok(body.max_tokens === 32 || body.max_completion_tokens === 32, JSON.stringify(body));
    });

    it('is refused before a job exists or a request is sent: unknown span, not an LLM span, independent mode', async () => {
      const trace = await importFixture(t.store, 'traceloop-openai-agent');
      const tool = trace.spans.find((s) => s.kind === 'tool')!;
      await assert.rejects(
        queue.enqueue(trace.id, { fromSpanId: 'feedfacefeedface' }),
        (err: Error) =>
          err instanceof ForkSpanError &&
          err.message.includes('feedfacefeedface') &&
          err.message.includes(`trace-replay trace ${trace.id}`),
      );
      await assert.rejects(
        queue.enqueue(trace.id, { fromSpanId: tool.id }),
        (err: Error) => err instanceof ForkSpanError && err.message.includes(`${tool.id} (${tool.name})`),
      );
      await assert.rejects(
        queue.enqueue(trace.id, { fromSpanId: llmSpans(trace)[1].id, mode: 'independent' }),
        (err: Error) => err instanceof ForkSpanError && /drop --mode independent/.test(err.message),
      );
      assert.deepEqual(await queue.listJobs(), [], 'no job was stored');
      assert.equal(server.requests.length, 0);
    });

    it('refuses a template that applies only to spans before the fork, before any request', async () => {
      const trace = await importFixture(t.store, 'traceloop-openai-chain');
      const [first, second] = llmSpans(trace);
      const dir = await mkdtemp(path.join(os.tmpdir(), 'tr-fork-'));
      try {
        const file = path.join(dir, 'poem.txt');
        await writeFile(file, 'Write a haiku about the sea.');
        const job = await replay(trace.id, {
          fromSpanId: second.id,
          template: { kind: 'file', path: file },
          templateSpanIds: [first.id],
        });
        assert.equal(job.status, 'FAILED');
        assert.equal(job.errorCode, 'FORK_SPAN_INVALID', job.error);
        assert.match(job.error!, new RegExp(`end before span ${second.id}`));
        assert.equal(server.requests.length, 0);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  describe('--tools', () => {
    const lyon = { toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Lyon' } }] };

    it('strict: a divergent tool call stops the job there, FAILED with the divergence; later spans not sent', async () => {
      const trace = await importFixture(t.store, 'traceloop-openai-agent');
      const [first, second] = llmSpans(trace);
      server.enqueue([lyon, { text: 'never sent' }]);
      const job = await replay(trace.id, { toolPolicy: 'strict' });
      assert.equal(job.status, 'FAILED');
      assert.equal(job.errorCode, 'TOOL_CALLS_DIVERGED');
      assert.match(job.error!, new RegExp(`^Span ${first.id} \\(chat gpt-4o-mini\\): the replayed model asked for`));
      assert.match(
        job.error!,
        /get_weather\(\{"city":"Lyon"\}\) where the recording has get_weather\(\{"city":"Paris"\}\)/,
      );
      assert.match(job.error!, /stops here \(--tools strict/);
      assert.equal(server.requests.length, 1, 'the span after the divergence was not sent');
      const kept = job.spans.find((s) => s.originalSpanId === first.id)!;
      assert.equal(kept.status, 'replayed', 'the divergent span keeps its result');
      assert.ok(kept.divergence);
      assert.equal(
        job.spans.find((s) => s.originalSpanId === second.id),
        undefined,
      );
    });

    it('recorded (the default): the same divergence is flagged and the replay goes on', async () => {
      const trace = await importFixture(t.store, 'traceloop-openai-agent');
      server.enqueue([lyon, { text: 'It is cloudy in Lyon.' }]);
      const job = await replay(trace.id, { toolPolicy: 'recorded' });
      assert.equal(job.status, 'COMPLETED', job.error);
      assert.equal(server.requests.length, 2);
      assert.match(
        job.spans.find((s) => s.divergence)!.divergence!.message,
        /continues with the recorded tool results/,
      );
    });

    it('strict with the recorded tool calls completes; from a span it checks only what it replays', async () => {
      const trace = await importFixture(t.store, 'traceloop-openai-agent');
      const [, second] = llmSpans(trace);
      server.enqueue({ text: 'Sunny in Paris.' });
      const job = await replay(trace.id, { toolPolicy: 'strict', fromSpanId: second.id });
      assert.equal(job.status, 'COMPLETED', job.error);
      assert.equal(server.requests.length, 1);
    });

    it('live is refused before a job exists, saying what it needs', async () => {
      const trace = await importFixture(t.store, 'traceloop-openai-agent');
      await assert.rejects(
        queue.enqueue(trace.id, { toolPolicy: 'live' }),
        (err: Error) => err instanceof ToolPolicyError && /Live tools need an MCP server/.test(err.message),
      );
      await assert.rejects(
        queue.enqueue(trace.id, { toolPolicy: 'sometimes' as never }),
        (err: Error) => err instanceof ToolPolicyError && /recorded, strict or live/.test(err.message),
      );
      assert.equal(server.requests.length, 0);
    });
  });
});
