// Live tools in VS Code (issue 17): the tool policy pick of the Replay Trace wizard offers Live only
// where it can run (a trusted workspace with .vscode/mcp.json, replaying here), saying why otherwise;
// picking it starts the MCP servers (an ${input:ID} is asked in a password box when the file says so)
// and the summary lists the tools that will really run; a server that does not start makes Live inert
// with that sentence. Replay from Here with live tools: the fake LLM server asks a tool, the real stdio
// MCP server (test/support/mcp) runs it, the job completes with the live result; changing the file
// closes the servers. With the setting traceReplay.replay.tools = live the summary starts on Live, its tools
// listed. The test workspace is trusted (code-server runs with workspace trust off).
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ReplayJob } from '../../src/core/replay/replay-types';
import type { TraceReplayApi } from '../../src/extension/extension-api';
import type { InputStep, PickStep, QuickInputs, StepResult } from '../../src/extension/common/multi-step-input';
import type { SummaryItem } from '../../src/extension/replay/replay-wizard';
import type { ToolPolicyItem } from '../../src/extension/replay/replay-tool-policy';
import type { TracesTreeNode } from '../../src/extension/views/traces-tree';
import type { FakeLlmServer } from '../support/fake-llm/fake-llm-server';
import { activatedApi, extension, traceRoot, whenRoots } from './helpers';
import { importFixtures, setUpProviders, tearDownProviders, WEATHER_TRACE } from './replay-helpers';

/** weather-agent.otlp.json: its one LLM span (asks get_weather), then the tool span. */
const LLM_SPAN = 'a1b2c3d4e5f60718';

interface Seen {
  summaries: PickStep<SummaryItem>[];
  policies: PickStep<ToolPolicyItem>[];
}

/** Scripted wizard: recorded model and parameters; the first summary opens the Tool results row,
 *  the policy pick answers `policy(pick, n)` (undefined cancels), later summaries start. */
function scripted(seen: Seen, policy: (pick: PickStep<ToolPolicyItem>, n: number) => string | undefined): QuickInputs {
  return {
    pickOne<I extends vscode.QuickPickItem>(s: PickStep<I>): Promise<StepResult<I>> {
      const items = s.items as unknown as (SummaryItem & ToolPolicyItem)[];
      const answer = (i: unknown): Promise<StepResult<I>> => Promise.resolve(i as I | undefined);
      if (items.some((i) => i.start)) {
        seen.summaries.push(s as unknown as PickStep<SummaryItem>);
        return answer(seen.summaries.length === 1 ? items.find((i) => i.tools) : items.find((i) => i.start));
      }
      if (items.some((i) => i.policy !== undefined)) {
        seen.policies.push(s as unknown as PickStep<ToolPolicyItem>);
        const want = policy(s as unknown as PickStep<ToolPolicyItem>, seen.policies.length);
        return answer(want === undefined ? undefined : items.find((i) => i.policy === want));
      }
      return answer(items[0]);
    },
    inputText: (s: InputStep) => Promise.resolve(s.value),
  };
}

function liveItem(pick: PickStep<ToolPolicyItem>): { item: ToolPolicyItem; inert: boolean } {
  const item = pick.items.find((i) => i.policy === 'live');
  assert.ok(item, 'the pick lists Live');
  return { item, inert: pick.inert?.(item) === true };
}

async function findSpanNode(api: TraceReplayApi, nodes: TracesTreeNode[], spanId: string): Promise<TracesTreeNode> {
  for (const n of nodes) {
    if (n.type === 'span' && n.span.id === spanId) return n;
    const found = await findSpanNode(api, await api.tracesTree.getChildren(n), spanId).catch(() => undefined);
    if (found) return found;
  }
  throw new Error(`span ${spanId} is not in the Traces view`);
}

describe('Live tools in VS Code: the MCP servers of .vscode/mcp.json', () => {
  let api: TraceReplayApi;
  let fake: FakeLlmServer | undefined;
  let configFile: string;
  let callLog: string;
  let tmp: string;

  /** Writes (or with undefined deletes) .vscode/mcp.json and waits for live tools to take it in. */
  async function writeConfig(config: unknown): Promise<void> {
    const reset = new Promise<void>((resolve) => {
      const sub = api.replays.liveTools.onDidReset(() => {
        sub.dispose();
        resolve();
      });
    });
    if (config === undefined) fs.rmSync(configFile);
    else fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
    await reset;
  }

  function weatherServer(env: Record<string, string>): Record<string, unknown> {
    const root = extension().extensionPath;
    return {
      type: 'stdio',
      command: process.execPath,
      args: ['--import', 'tsx', path.join(root, 'test', 'support', 'mcp', 'weather-mcp-server.ts')],
      cwd: root,
      env: { MCP_CALL_LOG: callLog, ...env },
    };
  }

  function servedCalls(): { tool: string; args: unknown }[] {
    const text = fs.existsSync(callLog) ? fs.readFileSync(callLog, 'utf8') : '';
    return text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { tool: string; args: unknown });
  }

  before(async () => {
    api = await activatedApi();
    fake = await setUpProviders(api);
    await importFixtures('weather-agent.otlp.json');
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    configFile = path.join(folder, '.vscode', 'mcp.json');
    fs.mkdirSync(path.dirname(configFile), { recursive: true });
    assert.ok(!fs.existsSync(configFile), 'the test workspace starts without .vscode/mcp.json');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tr-live-'));
    callLog = path.join(tmp, 'calls.jsonl');
  });
  after(async () => {
    api.presetReplayInputs(undefined);
    api.replays.liveTools.askInput = undefined;
    if (fs.existsSync(configFile)) await writeConfig(undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
    await tearDownProviders(api, fake);
  });

  it('without .vscode/mcp.json Live is listed but inert, naming the file to add; a Redis queue refuses it', async () => {
    const seen: Seen = { summaries: [], policies: [] };
    api.presetReplayInputs(scripted(seen, () => undefined));
    const job = await vscode.commands.executeCommand<ReplayJob | undefined>('traceReplay.replayTrace', WEATHER_TRACE);
    assert.strictEqual(job, undefined, 'cancelled in the policy pick: nothing queued');
    const { item, inert } = liveItem(seen.policies[0]);
    assert.strictEqual(inert, true);
    assert.match(item.detail ?? '', /\.vscode\/mcp\.json, which this workspace does not have; add your servers there/);

    const config = vscode.workspace.getConfiguration('traceReplay');
    await config.update('queue.redisUrl', 'redis://127.0.0.1:1', vscode.ConfigurationTarget.Workspace);
    try {
      const live = api.replays.liveTools.availability();
      assert.ok(!live.ok);
      assert.match(live.reason, /workers of a Redis queue \(traceReplay\.queue\.redisUrl\), which have none/);
      assert.strictEqual(api.replays.liveTools.toolHost(), undefined, 'the engine gets no tool host');
    } finally {
      await config.update('queue.redisUrl', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('a server that does not start: the pick says so in one sentence and Live is no longer offered', async () => {
    await writeConfig({
      servers: { weather: weatherServer({ MCP_FAIL_START: '1', MCP_SECRET: 'sk-live-secret-77' }) },
    });
    const seen: Seen = { summaries: [], policies: [] };
    api.presetReplayInputs(scripted(seen, (_pick, n) => (n === 1 ? 'live' : undefined)));
    const job = await vscode.commands.executeCommand<ReplayJob | undefined>('traceReplay.replayTrace', WEATHER_TRACE);
    assert.strictEqual(job, undefined);
    assert.strictEqual(seen.policies.length, 2, 'the pick shows again after the failed start');
    assert.strictEqual(liveItem(seen.policies[0]).inert, false, 'Live was offered');
    const after = liveItem(seen.policies[1]);
    assert.strictEqual(after.inert, true);
    assert.match(after.item.detail ?? '', /^The MCP server "weather" did not start \(.*\); run its command by hand/);
    assert.ok(!after.item.detail?.includes('sk-live-secret-77'), 'its env values are not shown');
    assert.strictEqual(fake!.requests.length, 0);
  });

  it('Replay from Here with Live: the summary lists the tools that will run, the MCP server runs the call, the job completes', async () => {
    fake!.reset();
    await writeConfig({
      inputs: [{ type: 'promptString', id: 'weather-key', description: 'Weather API key', password: true }],
      servers: { weather: weatherServer({ MCP_SECRET: '${input:weather-key}' }) },
    });
    const asked: { server: string; id: string; description?: string; password?: boolean }[] = [];
    api.replays.liveTools.askInput = (server, input) => {
      asked.push({ server, ...input });
      return Promise.resolve('k-123456');
    };
    fake!.enqueue([
      { toolCalls: [{ id: 'call_l', name: 'get_weather', arguments: { city: 'Lyon' } }] },
      { text: 'Lyon: see the forecast.' },
    ]);
    const roots = await whenRoots(api.tracesTree, (r) => !!traceRoot(r, WEATHER_TRACE));
    const node = await findSpanNode(api, [traceRoot(roots, WEATHER_TRACE)!], LLM_SPAN);
    const seen: Seen = { summaries: [], policies: [] };
    api.presetReplayInputs(scripted(seen, () => 'live'));
    const job = await vscode.commands.executeCommand<ReplayJob | undefined>('traceReplay.replayFromSpan', node);
    assert.ok(job, 'a job was queued');

    assert.strictEqual(liveItem(seen.policies[0]).inert, false);
    assert.deepStrictEqual(asked, [
      { server: 'weather', id: 'weather-key', description: 'Weather API key', password: true },
    ]);
    const tools = seen.summaries[1].items.find((i) => i.fact === 'tools');
    assert.match(tools?.description ?? '', /^Live: /);
    assert.match(tools?.detail ?? '', /^Will really run: fail_tool, get_time, get_weather\b.* \(weather\)$/);
    assert.deepStrictEqual(
      { fromSpanId: job.overrides.fromSpanId, toolPolicy: job.overrides.toolPolicy },
      { fromSpanId: LLM_SPAN, toolPolicy: 'live' },
    );

    const done = await api.replays.wait(job.id);
    assert.strictEqual(done.status, 'COMPLETED', done.error);
    assert.deepStrictEqual(
      servedCalls().filter((c) => c.tool !== '<exit>'),
      [{ tool: 'get_weather', args: { city: 'Lyon' } }],
      'the MCP server ran the call the replayed model asked for',
    );
    assert.strictEqual(fake!.requests.length, 2, 'the model got the live result and answered');
    assert.match(JSON.stringify(fake!.requests[1].body.messages), /\\"city\\":\\"Lyon\\"/);

    // The file changes: the servers started from it are closed (the server logs its exit).
    await writeConfig(undefined);
    assert.ok(
      servedCalls().some((c) => c.tool === '<exit>'),
      'the MCP server process ended',
    );
    assert.ok(!api.replays.liveTools.availability().ok);
  });
  it('traceReplay.replay.tools = live: the summary starts with Live and the tools that will run; the job runs them', async () => {
    fake!.reset();
    await writeConfig({ servers: { weather: weatherServer({}) } });
    const config = vscode.workspace.getConfiguration('traceReplay');
    await config.update('replay.tools', 'live', vscode.ConfigurationTarget.Workspace);
    try {
      fake!.enqueue([
        { toolCalls: [{ id: 'call_n', name: 'get_time', arguments: { zone: 'Europe/Paris' } }] },
        { text: 'It is noon.' },
      ]);
      const summaries: PickStep<SummaryItem>[] = [];
      api.presetReplayInputs({
        pickOne<I extends vscode.QuickPickItem>(s: PickStep<I>): Promise<StepResult<I>> {
          const items = s.items as unknown as SummaryItem[];
          const start = items.find((i) => i.start);
          if (start) summaries.push(s as unknown as PickStep<SummaryItem>);
          return Promise.resolve((start ?? items[0]) as unknown as I);
        },
        inputText: (s: InputStep) => Promise.resolve(s.value),
      });
      const job = await vscode.commands.executeCommand<ReplayJob | undefined>('traceReplay.replayTrace', WEATHER_TRACE);
      assert.ok(job, 'a job was queued');
      const tools = summaries[0].items.find((i) => i.fact === 'tools');
      assert.match(tools?.description ?? '', /^Live: /);
      assert.match(tools?.detail ?? '', /^Will really run: .*get_time.* \(weather\)/);
      assert.strictEqual(job.overrides.toolPolicy, 'live');
      const done = await api.replays.wait(job.id);
      assert.strictEqual(done.status, 'COMPLETED', done.error);
      assert.deepStrictEqual(
        servedCalls().filter((c) => c.tool === 'get_time'),
        [{ tool: 'get_time', args: { zone: 'Europe/Paris' } }],
      );
    } finally {
      await config.update('replay.tools', undefined, vscode.ConfigurationTarget.Workspace);
      await writeConfig(undefined);
    }
  });
});
