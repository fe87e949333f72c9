// Live tools in a replay job (toolPolicy 'live'), end to end in core: the replay queue with the real
// provider layer against the fake LLM server and the weather MCP server (stdio, built with the SDK)
// as the services' tool host. The recording (traceloop-openai-agent): chat -> get_weather(Paris) ->
// chat "sunny". The replayed model takes other paths; the job's spans and the replayed trace say
// which recorded steps were matched, which are missing and which are new.
import assert from 'node:assert/strict';
import { comparisonOfJob } from '../../../src/core/compare/load-comparison';
import type { ProviderConfigs } from '../../../src/core/llm/llm-types';
import type { Span, Trace } from '../../../src/core/model/trace';
import { createReplayServices } from '../../../src/core/replay/default-replay-services';
import { ReplayQueue } from '../../../src/core/replay/replay-queue';
import type { ReplayJob, ReplayOverrides } from '../../../src/core/replay/replay-types';
import { readMcpConfig } from '../../../src/core/tools/mcp-config';
import { createMcpToolHost } from '../../../src/core/tools/mcp-tool-host';
import type { ToolHost } from '../../../src/core/tools/tool-host';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { forecastOf } from '../../support/mcp/weather-tools';
import { mcpTestFolder, weatherServerEntry, type McpTestFolder } from '../../support/mcp/weather-server-config';
import { fakeConfigs } from '../llm/recorded-world';
import { importFixture, tempStore, type TempStore } from './replay-test-helpers';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- request bodies are indexed freely

describe('live tools in a replay job (replay queue + fake LLM server + stdio MCP server)', function () {
  this.timeout(60_000);
  let llm: FakeLlmServer;
  let configs: ProviderConfigs;
  let t: TempStore;
  let mcp: McpTestFolder;
  let host: ToolHost;
  let queue: ReplayQueue;
  let trace: Trace;

  before(async () => {
    llm = await startFakeLlmServer();
    configs = fakeConfigs(llm);
  });
  after(async () => llm.close());
  beforeEach(async () => {
    llm.reset();
    t = await tempStore();
    mcp = await mcpTestFolder();
    const file = await mcp.writeConfig({ servers: { weather: weatherServerEntry({ MCP_CALL_LOG: mcp.callLog }) } });
    host = createMcpToolHost(await readMcpConfig(file));
    queue = await ReplayQueue.open({ ...createReplayServices(t.store, configs), toolHost: host });
    trace = await importFixture(t.store, 'traceloop-openai-agent');
  });
  afterEach(async () => {
    await queue.close();
    await host.close();
    await mcp.dispose();
    await t.dispose();
  });

  async function replay(overrides: ReplayOverrides = {}): Promise<{ job: ReplayJob; replayed: Trace }> {
    const job = await queue.wait((await queue.enqueue(trace.id, { toolPolicy: 'live', ...overrides })).id);
    assert.ok(job.replayTraceId, job.error);
    const replayed = await t.store.getTrace(job.replayTraceId);
    assert.ok(replayed);
    return { job, replayed };
  }

  const recorded = (kind: string): Span[] => trace.spans.filter((s) => s.kind === kind);
  const statuses = (job: ReplayJob): string[] => job.spans.map((s) => `${s.kind}:${s.status}`);

  it('same path, live result: the tool runs on the MCP server, its result reaches the next call, the recorded steps are matched', async () => {
    llm.enqueue([
      { toolCalls: [{ id: 'c_lyon', name: 'get_weather', arguments: { city: 'Lyon' } }] },
      { text: 'Lyon today.' },
    ]);
    const { job, replayed } = await replay();
    assert.equal(job.status, 'COMPLETED', job.error);
    assert.deepEqual(await mcp.servedCalls(), [{ tool: 'get_weather', args: { city: 'Lyon' } }]);
    assert.equal(llm.requests.length, 2);
    assert.deepEqual((llm.requests[1].body as Body).messages.at(-1), {
      role: 'tool',
      tool_call_id: 'c_lyon',
      content: JSON.stringify(forecastOf('Lyon')),
    });
    assert.deepEqual(statuses(job), ['chain:reused', 'llm:replayed', 'tool:replayed', 'llm:replayed']);
    const [first, second] = job.spans.filter((s) => s.kind === 'llm');
    assert.deepEqual(first.toolResults, ['live']);
    assert.match(first.divergence?.message ?? '', /continues from the live tool results/);
    assert.equal(second.execution?.output.text, 'Lyon today.');

    assert.equal(replayed.spans.length, trace.spans.length, 'nothing missing, nothing new');
    const tool = replayed.spans.find((s) => s.kind === 'tool')!;
    assert.deepEqual(tool.io, { input: { city: 'Lyon' }, output: JSON.stringify(forecastOf('Lyon')) });
    assert.equal(tool.replay?.status, 'replayed');
    assert.equal(replayed.spans.filter((s) => s.kind === 'llm').at(-1)?.llm?.output.text, 'Lyon today.');
  });

  it('a new path: extra tool and LLM steps become new spans; a recorded tool the run did not call is missing', async () => {
    llm.enqueue([
      { toolCalls: [{ id: 'c_time', name: 'get_time', arguments: { zone: 'Europe/Paris' } }] },
      { toolCalls: [{ id: 'c_w', name: 'get_weather', arguments: { city: 'Paris' } }] },
      { text: 'Noon and sunny-ish.' },
    ]);
    const { job, replayed } = await replay();
    assert.equal(job.status, 'COMPLETED', job.error);
    assert.equal(llm.requests.length, 3);
    assert.deepEqual(
      (await mcp.servedCalls()).map((c) => c.tool),
      ['get_time', 'get_weather'],
    );
    // The recorded get_weather span matches the run's get_weather call (second answer), the recorded
    // second chat matches the first extra call; get_time and the last chat are new.
    assert.deepEqual(statuses(job), ['chain:reused', 'llm:replayed', 'tool:replayed', 'llm:replayed']);
    const added = replayed.spans.filter((s) => s.replay?.new);
    assert.deepEqual(
      added.map((s) => [s.kind, s.kind === 'tool' ? s.toolName : s.llm?.output.text]),
      [
        ['tool', 'get_time'],
        ['llm', 'Noon and sunny-ish.'],
      ],
    );
    for (const s of added) {
      assert.equal(s.replay?.originalSpanId, '');
      assert.equal(s.parentId, replayed.spans[0].id, 'siblings of the span that handed over');
    }
    assert.deepEqual(added[0].io, { input: { zone: 'Europe/Paris' }, output: '12:00 in Europe/Paris' });
    // The comparison shows the new steps as extra rows, and the live result of each call.
    const comparison = await comparisonOfJob(t.store, job);
    assert.deepEqual(comparison.spans.map((r) => r.status).sort(), [
      'extra',
      'extra',
      'replayed',
      'replayed',
      'replayed',
      'reused',
    ]);
    assert.deepEqual(
      comparison.toolDrift.map((d) => `${d.status} ${d.replay?.name ?? d.recorded?.name} ${d.result}`).sort(),
      ['missing get_weather none', 'new get_time live', 'new get_weather live'],
    );

    // A run that never calls get_weather: the recorded tool span is missing from the replayed trace.
    llm.reset();
    llm.enqueue([{ toolCalls: [{ id: 'c_t', name: 'get_time', arguments: { zone: 'UTC' } }] }, { text: 'Noon.' }]);
    const other = await replay();
    assert.equal(other.job.status, 'COMPLETED', other.job.error);
    assert.equal(llm.requests.length, 2, 'both calls sent (live runs are not served from the cache)');
    assert.deepEqual(statuses(other.job), ['chain:reused', 'llm:replayed', 'tool:missing', 'llm:replayed']);
    assert.match(other.job.spans[2].warnings[0], /did not take this recorded step .*no live call of get_weather/);
    const [recordedTool] = recorded('tool');
    assert.ok(!other.replayed.spans.some((s) => s.replay?.originalSpanId === recordedTool.id), 'left out');
    assert.deepEqual(
      other.replayed.spans.filter((s) => s.replay?.new).map((s) => s.toolName),
      ['get_time'],
    );
    const rows = (await comparisonOfJob(t.store, other.job)).spans;
    assert.deepEqual(rows.map((r) => r.status).sort(), ['extra', 'missing', 'replayed', 'replayed', 'reused']);
  });

  it('a runaway agent stops at --max-steps: FAILED with the sentence, the replayed trace is still written', async () => {
    llm.setResponder(() => ({ toolCalls: [{ name: 'get_time', arguments: { zone: 'UTC' } }] }));
    const { job, replayed } = await replay({ maxSteps: 2 });
    assert.equal(job.status, 'FAILED');
    assert.equal(job.errorCode, 'LIVE_TOOLS_STOPPED');
    assert.match(job.error!, /^stopped after 2 steps \(--max-steps\)/);
    assert.equal(llm.requests.length, 3, 'the replayed span and 2 extra steps');
    assert.equal((await mcp.servedCalls()).length, 2);
    assert.ok(job.spans[1].warnings.some((w) => w.startsWith('stopped after 2 steps')));
    // Recorded: 1 more chat (matched to step 1); step 2 and the tool calls are new.
    assert.equal(replayed.spans.filter((s) => s.replay?.new && s.kind === 'llm').length, 1);
  });

  it('live is refused where no tool host is set up, and --max-steps must be a whole number', async () => {
    const plain = await ReplayQueue.open(createReplayServices(t.store, configs));
    try {
      await assert.rejects(
        plain.enqueue(trace.id, { toolPolicy: 'live' }),
        /^ToolPolicyError: Live tools need an MCP server/,
      );
    } finally {
      await plain.close();
    }
    await assert.rejects(
      queue.enqueue(trace.id, { toolPolicy: 'live', maxSteps: -1 }),
      /--max-steps must be a whole number/,
    );
    assert.equal(llm.requests.length, 0);
  });
});
