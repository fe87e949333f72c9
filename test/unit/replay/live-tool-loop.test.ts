// The live tool loop with real parts: the OpenAI SDK through the provider layer against the fake LLM
// server, and the weather MCP server (stdio, built with the SDK) behind the MCP tool host. The
// recording is the captured traceloop-openai-agent trace (get_weather(Paris) answered sunny, 21°C).
import assert from 'node:assert/strict';
import { createLlmGateway } from '../../../src/core/llm/llm-gateway';
import type { LlmGateway, ProviderConfigs } from '../../../src/core/llm/llm-types';
import { parseModelSpec, targetForRecorded } from '../../../src/core/llm/model-target';
import type { LlmCall, LlmOutput, Trace } from '../../../src/core/model/trace';
import { runLiveToolLoop, type LiveToolLoopInput } from '../../../src/core/replay/live-tool-loop';
import { ReplayCancelledError } from '../../../src/core/replay/replay-errors';
import type { ReplayServices } from '../../../src/core/replay/replay-services';
import { readMcpConfig } from '../../../src/core/tools/mcp-config';
import { createMcpToolHost } from '../../../src/core/tools/mcp-tool-host';
import { recordedToolResults } from '../../../src/core/tools/recorded-tool-results';
import type { ToolHost } from '../../../src/core/tools/tool-host';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { forecastOf } from '../../support/mcp/weather-tools';
import { mcpTestFolder, weatherServerEntry, type McpTestFolder } from '../../support/mcp/weather-server-config';
import { fakeConfigs } from '../llm/recorded-world';
import { importFixture, tempStore, type TempStore } from './replay-test-helpers';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- request bodies are indexed freely

const RECORDED_RESULT = JSON.stringify({ city: 'Paris', forecast: 'sunny', temperatureC: 21 });

describe('live tool loop (fake LLM server + real stdio MCP server)', function () {
  this.timeout(60_000);
  let llm: FakeLlmServer;
  let configs: ProviderConfigs;
  let gateway: LlmGateway;
  let services: Pick<ReplayServices, 'gateway' | 'resolveTarget'>;
  let store: TempStore;
  let trace: Trace;
  let t: McpTestFolder;
  let host: ToolHost | undefined;

  before(async () => {
    llm = await startFakeLlmServer();
    configs = fakeConfigs(llm);
    gateway = createLlmGateway(configs);
    services = {
      gateway,
      resolveTarget: (call, spec) =>
        spec !== undefined ? parseModelSpec(spec, configs) : targetForRecorded(call, configs),
    };
    store = await tempStore();
    trace = await importFixture(store.store, 'traceloop-openai-agent');
  });
  after(async () => {
    await llm.close();
    await store.dispose();
  });
  beforeEach(async () => {
    llm.reset();
    t = await mcpTestFolder();
  });
  afterEach(async () => {
    await host?.close();
    host = undefined;
    await t.dispose();
  });

  /** The first LLM span's call, sent once through the gateway; the fake server answers `first`. */
  async function firstAnswer(first: { toolCalls: { id?: string; name: string; arguments: unknown }[] }): Promise<{
    call: LlmCall;
    output: LlmOutput;
  }> {
    const span = trace.spans.find((s) => s.kind === 'llm' && s.llm)!;
    const call = structuredClone(span.llm!);
    llm.enqueue(first);
    const target = services.resolveTarget(call, undefined);
    const execution = await gateway.execute(gateway.build(call, target), target);
    return { call, output: execution.output };
  }

  async function hostWith(env: Record<string, string> = {}): Promise<ToolHost> {
    const file = await t.writeConfig({ servers: { weather: weatherServerEntry({ MCP_CALL_LOG: t.callLog, ...env }) } });
    host = createMcpToolHost(await readMcpConfig(file));
    return host;
  }

  function input(rest: Pick<LiveToolLoopInput, 'call' | 'output' | 'host'>, maxSteps = 20): LiveToolLoopInput {
    return { ...rest, services, recorded: recordedToolResults(trace), maxSteps, signal: new AbortController().signal };
  }

  it('the model asks get_weather: the MCP server runs it, the live result goes into the next request, the model answers', async () => {
    const { call, output } = await firstAnswer({
      toolCalls: [{ id: 'call_lyon', name: 'get_weather', arguments: { city: 'Lyon' } }],
    });
    llm.enqueue({ text: 'Lyon: see the forecast.' });
    const result = await runLiveToolLoop(input({ call, output, host: await hostWith() }));

    assert.equal(result.stopped, undefined);
    assert.deepEqual(result.toolResults, ['live']);
    assert.equal(result.output.text, 'Lyon: see the forecast.');
    assert.deepEqual(await t.servedCalls(), [{ tool: 'get_weather', args: { city: 'Lyon' } }], 'the tool really ran');
    assert.deepEqual(
      result.steps.map((s) => s.kind),
      ['tool', 'llm'],
    );
    const [tool] = result.toolSteps;
    assert.equal(tool.source, 'live');
    assert.equal(tool.server, 'weather');
    assert.deepEqual(tool.result, { content: JSON.stringify(forecastOf('Lyon')), isError: false });
    assert.deepEqual(result.llmSteps[0].toolResults, []);

    assert.equal(llm.requests.length, 2);
    const second = llm.requests[1].body as Body;
    assert.deepEqual(second.messages.slice(-2), [
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_lyon', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lyon"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_lyon', content: JSON.stringify(forecastOf('Lyon')) },
    ]);
    assert.deepEqual(second.messages.slice(0, -2), (llm.requests[0].body as Body).messages, 'the conversation goes on');
    assert.deepEqual(second.tools, (llm.requests[0].body as Body).tools, 'the same tools are offered');
  });

  it('a tool the servers do not offer falls back to the recorded result of the same call, with a warning', async () => {
    const { call, output } = await firstAnswer({
      toolCalls: [{ id: 'call_new_id', name: 'get_weather', arguments: { city: 'Paris' } }],
    });
    llm.enqueue({ text: 'Sunny.' });
    // This server's tools are x_get_weather, x_get_time, x_order_lookup, x_fail_tool.
    const result = await runLiveToolLoop(input({ call, output, host: await hostWith({ MCP_TOOL_PREFIX: 'x_' }) }));

    assert.equal(result.stopped, undefined);
    assert.deepEqual(result.toolResults, ['recorded']);
    assert.deepEqual(await t.servedCalls(), [], 'nothing ran on the server');
    assert.equal(result.warnings.length, 1);
    assert.match(
      result.warnings[0],
      /^The tool get_weather is not offered by the configured MCP servers \(it offers x_fail_tool, x_get_time, x_get_weather, x_order_lookup\); the replay used its recorded result \(span [0-9a-f]{16}\)\.$/,
    );
    const second = llm.requests[1].body as Body;
    assert.deepEqual(second.messages.at(-1), { role: 'tool', tool_call_id: 'call_new_id', content: RECORDED_RESULT });
  });

  it('a tool neither offered nor recorded stops the loop with the reason; nothing more is sent', async () => {
    const { call, output } = await firstAnswer({
      toolCalls: [
        { id: 'c1', name: 'get_time', arguments: { zone: 'UTC' } },
        { id: 'c2', name: 'get_stock', arguments: { symbol: 'ACME' } },
      ],
    });
    const result = await runLiveToolLoop(input({ call, output, host: await hostWith() }));
    assert.equal(result.stopped?.code, 'no-tool-result');
    assert.equal(
      result.stopped?.reason,
      'The model asked for get_stock({"symbol":"ACME"}), which no configured MCP server offers (it offers fail_tool, get_time, get_weather, order_lookup) and the recording has no result for; the replay stopped there.',
    );
    assert.deepEqual(result.toolResults, ['live', 'none']);
    assert.deepEqual(await t.servedCalls(), [{ tool: 'get_time', args: { zone: 'UTC' } }]);
    assert.equal(llm.requests.length, 1, 'no further request');
    assert.equal(result.llmSteps.length, 0);
  });

  it('a model that always asks for tools stops after maxSteps extra calls, with the sentence', async () => {
    const { call, output } = await firstAnswer({ toolCalls: [{ name: 'get_time', arguments: { zone: 'UTC' } }] });
    llm.setResponder(() => ({ toolCalls: [{ name: 'get_time', arguments: { zone: 'UTC' } }] }));
    const result = await runLiveToolLoop(input({ call, output, host: await hostWith() }, 2));

    assert.equal(result.stopped?.code, 'max-steps');
    assert.match(
      result.stopped!.reason,
      /^stopped after 2 steps \(--max-steps\) without running the tools the model still asked for: get_time\(\{"zone":"UTC"\}\)/,
    );
    assert.equal(result.llmSteps.length, 2);
    assert.equal(llm.requests.length, 3, 'the first call and 2 extra steps');
    // The tools of the answers that were followed up ran; the last answer's did not.
    assert.equal((await t.servedCalls()).length, 2);
    assert.deepEqual(result.toolResults, ['live']);
    assert.deepEqual(
      result.llmSteps.map((s) => s.toolResults),
      [['live'], ['none']],
    );
    const third = llm.requests[2].body as Body;
    assert.equal(third.messages.filter((m: Body) => m.role === 'tool').length, 2, 'both tool results were sent');
  });

  it('cancelled while a tool call is in flight: rejects with ReplayCancelledError, nothing more is sent', async () => {
    const { call, output } = await firstAnswer({
      toolCalls: [{ id: 't1', name: 'get_time', arguments: { zone: 'UTC' } }],
    });
    const real = await hostWith();
    const controller = new AbortController();
    // The job is cancelled the moment the call has gone to the MCP host.
    const cancelling: ToolHost = {
      warnings: real.warnings,
      tools: (signal) => real.tools(signal),
      call: (name, args, signal) => {
        const pending = real.call(name, args, signal);
        controller.abort();
        return pending;
      },
      close: () => real.close(),
    };
    await assert.rejects(
      runLiveToolLoop({ ...input({ call, output, host: cancelling }), signal: controller.signal }),
      ReplayCancelledError,
    );
    assert.equal(llm.requests.length, 1, 'no further request');
  });

  it('a tool error goes back to the model as an error result', async () => {
    const { call, output } = await firstAnswer({ toolCalls: [{ id: 'f1', name: 'fail_tool', arguments: {} }] });
    llm.enqueue({ text: 'The tool failed.' });
    const result = await runLiveToolLoop(input({ call, output, host: await hostWith() }));
    assert.equal(result.stopped, undefined);
    assert.deepEqual(result.toolSteps[0].result, { content: 'the tool broke', isError: true });
    assert.deepEqual((llm.requests[1].body as Body).messages.at(-1), {
      role: 'tool',
      tool_call_id: 'f1',
      content: 'the tool broke',
    });
  });
});
