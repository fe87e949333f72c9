// An agent trace from real instrumentation (traceloop-openai-agent: chat -> get_weather(Paris) ->
// chat "sunny") replayed while the model takes another path, under each tool policy: live runs the new
// tool on the MCP server and goes on from its result (new spans, tool drift with results live);
// strict stops at the first drift and sends nothing after it, but a mere reorder of the same calls is
// no drift (the drift report's pairing) and completes; from a span, nothing is sent for the spans
// before it (counted at the fake server) and the live run forks there. Real parts: the OpenAI SDK
// through the provider layer against the fake LLM server, the weather MCP server over stdio.
import assert from 'node:assert/strict';
import { comparisonOfJob } from '../../../src/core/compare/load-comparison';
import type { ReplayJob } from '../../../src/core/replay/replay-types';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { forecastOf, orderStatusText } from '../../support/mcp/weather-tools';
import { openLiveReplayWorld, type LiveReplayWorld } from './live-replay-world';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- request bodies are indexed freely

const ORDER = { toolCalls: [{ id: 'call_order', name: 'order_lookup', arguments: { orderId: 'A-17' } }] };

describe('an instrumented agent trace taking another tool path (live, strict, from a span)', function () {
  this.timeout(60_000);
  let llm: FakeLlmServer;
  let w: LiveReplayWorld;

  before(async () => {
    llm = await startFakeLlmServer();
  });
  after(async () => llm.close());
  beforeEach(async () => {
    llm.reset();
    w = await openLiveReplayWorld(llm);
  });
  afterEach(async () => w.dispose());

  const statuses = (job: ReplayJob): string[] => job.spans.map((s) => `${s.kind}:${s.status}`);
  const drift = async (job: ReplayJob): Promise<string[]> =>
    (await comparisonOfJob(w.t.store, job)).toolDrift
      .map((d) => `${d.status} ${d.replay?.name ?? d.recorded?.name} ${d.result}`)
      .sort();

  it('live: the model asks order_lookup instead of get_weather; the server runs it and the agent goes on from it', async () => {
    llm.enqueue([ORDER, { text: 'Your order A-17 arrives Friday.' }]);
    const job = await w.replay({ toolPolicy: 'live' });
    assert.equal(job.status, 'COMPLETED', job.error);
    assert.deepEqual(await w.mcp.servedCalls(), [{ tool: 'order_lookup', args: { orderId: 'A-17' } }]);
    assert.equal(llm.requests.length, 2);
    assert.deepEqual((llm.requests[1].body as Body).messages.at(-1), {
      role: 'tool',
      tool_call_id: 'call_order',
      content: orderStatusText('A-17'),
    });
    assert.deepEqual(statuses(job), ['chain:reused', 'llm:replayed', 'tool:missing', 'llm:replayed']);
    const replayed = await w.replayed(job);
    const added = replayed.spans.filter((s) => s.replay?.new);
    assert.deepEqual(
      added.map((s) => [s.kind, s.toolName, s.replay?.originalSpanId]),
      [['tool', 'order_lookup', '']],
    );
    assert.deepEqual(added[0].io, { input: { orderId: 'A-17' }, output: orderStatusText('A-17') });
    assert.deepEqual(await drift(job), ['missing get_weather none', 'new order_lookup live']);

    // The same tool with other arguments: changed, and its result is live.
    llm.reset();
    llm.enqueue([{ toolCalls: [{ id: 'c_l', name: 'get_weather', arguments: { city: 'Lyon' } }] }, { text: 'Lyon.' }]);
    const changed = await w.replay({ toolPolicy: 'live' });
    assert.equal(changed.status, 'COMPLETED', changed.error);
    assert.deepEqual(await drift(changed), ['changed get_weather live']);
    assert.equal(
      (await w.replayed(changed)).spans.find((s) => s.kind === 'tool')?.io?.output,
      JSON.stringify(forecastOf('Lyon')),
    );
  });

  it('strict: the same new path stops at the first drift, FAILED, nothing sent after it, no tool run', async () => {
    const [first] = w.trace.spans.filter((s) => s.kind === 'llm');
    llm.enqueue([ORDER, { text: 'never sent' }]);
    const job = await w.replay({ toolPolicy: 'strict' });
    assert.equal(job.status, 'FAILED');
    assert.equal(job.errorCode, 'TOOL_CALLS_DIVERGED');
    assert.equal(
      job.error,
      `Span ${first.id} (chat gpt-4o-mini): the replayed model asked for order_lookup({"orderId":"A-17"}) where the recording has get_weather({"city":"Paris"}); the replay stops here (--tools strict; --tools recorded goes on with the recorded tool results).`,
    );
    assert.equal(llm.requests.length, 1);
    assert.deepEqual(await w.mcp.servedCalls(), []);
  });

  it('strict: the recorded calls in another order are no drift (as the drift report pairs them), the replay completes', async () => {
    // The recording asked for two tools in one answer; the replayed model asks for both, swapped.
    const trace = structuredClone(w.trace);
    const first = trace.spans.find((s) => s.kind === 'llm')!;
    first.llm!.output.toolCalls.push({
      type: 'tool_call',
      id: 'call_time_1',
      name: 'get_time',
      arguments: '{"zone": "Europe/Paris"}',
    });
    await w.t.store.putTrace(trace);
    llm.enqueue([
      {
        toolCalls: [
          { id: 'b', name: 'get_time', arguments: { zone: 'Europe/Paris' } },
          { id: 'a', name: 'get_weather', arguments: { city: 'Paris' } },
        ],
      },
      { text: 'Sunny, and noon.' },
    ]);
    const job = await w.replay({ toolPolicy: 'strict' });
    assert.equal(job.status, 'COMPLETED', job.error);
    assert.equal(llm.requests.length, 2, 'the span after it was sent');
    assert.ok(job.spans.every((s) => s.divergence === undefined));
    assert.deepEqual(await drift(job), ['matched get_time recorded', 'matched get_weather recorded']);

    // One argument changed in the reorder: that is drift, and strict stops.
    llm.reset();
    llm.enqueue({
      toolCalls: [
        { name: 'get_time', arguments: { zone: 'UTC' } },
        { name: 'get_weather', arguments: { city: 'Paris' } },
      ],
    });
    const stopped = await w.replay({ toolPolicy: 'strict' });
    assert.equal(stopped.errorCode, 'TOOL_CALLS_DIVERGED', stopped.error);
    assert.equal(llm.requests.length, 1);
  });

  it('from a span, live: nothing is sent for the spans before it, the run forks there and takes the new path', async () => {
    const [first, second] = w.trace.spans.filter((s) => s.kind === 'llm');
    llm.enqueue([ORDER, { text: 'Sunny, and your order arrives Friday.' }]);
    const job = await w.replay({ toolPolicy: 'live', fromSpanId: second.id });
    assert.equal(job.status, 'COMPLETED', job.error);
    assert.equal(llm.requests.length, 2, 'the fork span and one live step; none for the span before it');
    const sent = (llm.requests[0].body as Body).messages as Body[];
    assert.deepEqual(sent.at(-1), {
      role: 'tool',
      tool_call_id: 'call_weather_1',
      content: JSON.stringify({ city: 'Paris', forecast: 'sunny', temperatureC: 21 }),
    });
    const before = job.spans.find((s) => s.originalSpanId === first.id)!;
    assert.equal(before.status, 'reused');
    assert.equal(before.execution, undefined);
    const fork = job.spans.find((s) => s.originalSpanId === second.id)!;
    assert.equal(fork.forkPoint, true);
    assert.deepEqual(fork.toolResults, ['live']);
    assert.deepEqual(await w.mcp.servedCalls(), [{ tool: 'order_lookup', args: { orderId: 'A-17' } }]);
    const added = (await w.replayed(job)).spans.filter((s) => s.replay?.new);
    assert.deepEqual(
      added.map((s) => (s.kind === 'tool' ? s.toolName : s.llm?.output.text)),
      ['order_lookup', 'Sunny, and your order arrives Friday.'],
    );
    assert.deepEqual(await drift(job), ['new order_lookup live']);
  });
});
