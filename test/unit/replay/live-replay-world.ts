// Shared set-up of the live-tool replay tests: the fake LLM server (real SDKs through the provider
// layer), a temp store with the traceloop-openai-agent trace (captured from the real Traceloop
// instrumentation: chat -> get_weather(Paris) -> chat "sunny"), the weather MCP server (stdio, built
// with the SDK, its call log in a temp folder) behind the MCP tool host, and a replay queue that has
// the host (live) next to one that has none (recorded, strict).
import assert from 'node:assert/strict';
import type { ProviderConfigs } from '../../../src/core/llm/llm-types';
import type { Trace } from '../../../src/core/model/trace';
import { createReplayServices } from '../../../src/core/replay/default-replay-services';
import { ReplayQueue } from '../../../src/core/replay/replay-queue';
import type { ReplayJob, ReplayOverrides } from '../../../src/core/replay/replay-types';
import { readMcpConfig } from '../../../src/core/tools/mcp-config';
import { createMcpToolHost, type McpToolHostOptions } from '../../../src/core/tools/mcp-tool-host';
import type { ToolHost } from '../../../src/core/tools/tool-host';
import type { FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { mcpTestFolder, weatherServerEntry, type McpTestFolder } from '../../support/mcp/weather-server-config';
import { fakeConfigs } from '../llm/recorded-world';
import { importFixture, tempStore, type TempStore } from './replay-test-helpers';

export interface LiveReplayWorld {
  t: TempStore;
  mcp: McpTestFolder;
  host: ToolHost;
  /** Has the tool host: live replays. */
  live: ReplayQueue;
  /** Has no tool host: recorded and strict replays. */
  plain: ReplayQueue;
  /** The imported traceloop-openai-agent trace. */
  trace: Trace;
  /** Runs one job to its end (cache off). */
  replay(overrides: ReplayOverrides, traceId?: string): Promise<ReplayJob>;
  /** The replayed trace of a job (asserted written). */
  replayed(job: ReplayJob): Promise<Trace>;
  dispose(): Promise<void>;
}

export async function openLiveReplayWorld(
  llm: FakeLlmServer,
  options: {
    serverEnv?: Record<string, string>;
    host?: McpToolHostOptions;
    /** The mcp.json servers instead of the weather server. */
    servers?: Record<string, unknown>;
  } = {},
): Promise<LiveReplayWorld> {
  const configs: ProviderConfigs = fakeConfigs(llm);
  const t = await tempStore();
  const mcp = await mcpTestFolder();
  const file = await mcp.writeConfig({
    servers: options.servers ?? { weather: weatherServerEntry({ MCP_CALL_LOG: mcp.callLog, ...options.serverEnv }) },
  });
  const host = createMcpToolHost(await readMcpConfig(file), options.host);
  const live = await ReplayQueue.open({ ...createReplayServices(t.store, configs), toolHost: host });
  const plain = await ReplayQueue.open(createReplayServices(t.store, configs));
  const trace = await importFixture(t.store, 'traceloop-openai-agent');
  return {
    t,
    mcp,
    host,
    live,
    plain,
    trace,
    async replay(overrides, traceId = trace.id) {
      const queue = overrides.toolPolicy === 'live' ? live : plain;
      return queue.wait((await queue.enqueue(traceId, { cache: false, ...overrides })).id);
    },
    async replayed(job) {
      assert.ok(job.replayTraceId, `no replayed trace: ${job.error ?? ''}`);
      const out = await t.store.getTrace(job.replayTraceId);
      assert.ok(out);
      return out;
    },
    async dispose() {
      await live.close();
      await plain.close();
      await host.close();
      await mcp.dispose();
      await t.dispose();
    },
  };
}
