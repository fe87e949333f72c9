// Trace Replay in an UNTRUSTED workspace (package.json capabilities.untrustedWorkspaces: "limited"), in a
// real VS Code with workspace trust on: the extension activates; the workspace's restricted settings
// (traceReplay.receiver.autoStart, traceReplay.storePath, the provider endpoints...) are ignored while
// its other settings apply, so it cannot send the user's stored API key to a server it names;
// Live tools (.vscode/mcp.json) and javascript evaluators are refused with a sentence naming workspace
// trust, and neither the MCP server nor the evaluator module ever runs (each would leave a marker file).
// The workspace is a copy of test/integration-untrusted/workspace (run-host-tests.mjs --untrusted).
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ReplayJob } from '../../src/core/replay/replay-types';
import type { ShownToast } from '../../src/extension/common/notifications';
import type { PickStep, QuickInputs, StepResult } from '../../src/extension/common/multi-step-input';
import type { TraceReplayApi } from '../../src/extension/extension-api';
import type { ReceiverInfo } from '../../src/extension/receiver/receiver-controller';
import type { ToolPolicyItem } from '../../src/extension/replay/replay-tool-policy';
import type { SummaryItem } from '../../src/extension/replay/replay-wizard';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm/fake-llm-server';
import { activatedApi, extension } from '../integration/helpers';
import { importFixtures, replayTrace, WEATHER_TRACE } from '../integration/replay-helpers';

const KEY = 'sk-user-key-in-secret-storage';

/** The user's own provider set-up, in USER settings (a workspace's is ignored here): OpenAI at the fake
 *  server, the key in SecretStorage. */
async function userProviders(api: TraceReplayApi): Promise<FakeLlmServer> {
  const fake = await startFakeLlmServer();
  const config = vscode.workspace.getConfiguration('traceReplay');
  await config.update('providers.openai.baseUrl', fake.openaiBaseUrl, vscode.ConfigurationTarget.Global);
  await api.setApiKey('openai', KEY);
  return fake;
}

/** The sentence of live tools in an untrusted workspace (live-tools.ts availability()). */
const LIVE_REFUSED = /only a trusted workspace may do; trust this workspace \(Workspaces: Manage Workspace Trust\)/;
/** The reason a javascript evaluator is skipped (create-evaluators.ts JAVASCRIPT_REFUSED_REASON). */
const JS_REFUSED = /^JavaScript evaluators run code from the workspace: they run only in a trusted workspace/;

function workspaceFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(folder, 'the suite runs with a workspace folder open');
  return folder;
}

/** The workspace's .vscode/settings.json as written (comments stripped): what VS Code was given. */
function workspaceSettingsFile(): Record<string, unknown> {
  const text = fs.readFileSync(path.join(workspaceFolder(), '.vscode', 'settings.json'), 'utf8');
  return JSON.parse(text.replace(/^\s*\/\/.*$/gm, '')) as Record<string, unknown>;
}

function marker(name: string): string {
  return path.join(workspaceFolder(), name);
}

describe('An untrusted workspace (workspace trust on, this folder not trusted)', () => {
  let api: TraceReplayApi;
  let fake: FakeLlmServer | undefined;
  const toasts: ShownToast[] = [];
  let toastSub: vscode.Disposable | undefined;

  before(async function () {
    // Everything below means something only in an untrusted window: stop here in a trusted one.
    if (vscode.workspace.isTrusted !== false)
      throw new Error('the workspace is trusted: run this suite with `node test/e2e/run-host-tests.mjs --untrusted`');
    api = await activatedApi();
    api.toasts.preset(() => undefined); // nobody clicks; the toasts are recorded below
    toastSub = api.toasts.onDidShow((t) => toasts.push(t));
  });
  after(async () => {
    toastSub?.dispose();
    api?.toasts.preset(undefined);
    api?.presetReplayInputs(undefined);
    const config = vscode.workspace.getConfiguration('traceReplay');
    await config.update('providers.openai.baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await api?.setApiKey('openai', undefined);
    await fake?.close();
  });

  it('the workspace is not trusted and its settings file asks for the restricted settings', () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
    const file = workspaceSettingsFile();
    assert.strictEqual(file['traceReplay.receiver.autoStart'], true);
    assert.strictEqual(file['traceReplay.storePath'], 'untrusted-store');
  });

  it('the extension activates (limited support) and declares the restricted settings', async () => {
    assert.strictEqual(extension().isActive, true);
    const manifest = extension().packageJSON as {
      capabilities: { untrustedWorkspaces: { supported: unknown; restrictedConfigurations: string[] } };
    };
    assert.strictEqual(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
    for (const id of [
      'traceReplay.receiver.autoStart',
      'traceReplay.storePath',
      'traceReplay.providers.openai.baseUrl',
      'traceReplay.providers.endpoints',
      'traceReplay.queue.redisUrl',
      'traceReplay.langfuse.connections',
      'traceReplay.phoenix.connections',
    ])
      assert.ok(restricted.includes(id), `${id} is a restricted configuration`);
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['traceReplay.replayTrace', 'traceReplay.startReceiver', 'traceReplay.importTraces'])
      assert.ok(commands.includes(id), `${id} is registered`);
  });

  it('traceReplay.receiver.autoStart: true of the workspace does not start the receiver; starting it by hand works', async () => {
    // Stop is serialized after any start activation queued: false means none ever listened.
    assert.strictEqual(await vscode.commands.executeCommand<boolean>('traceReplay.stopReceiver'), false);
    assert.strictEqual(api.receiver(), undefined);
    assert.strictEqual(api.receiverStatusText(), undefined);
    // The control: the workspace's (unrestricted) receiver.port 0 applies, so its settings file is read.
    const info = await vscode.commands.executeCommand<ReceiverInfo | undefined>('traceReplay.startReceiver');
    try {
      assert.ok(info, 'the receiver started by hand');
      assert.notStrictEqual(info.port, 4318, 'the workspace port 0 (an ephemeral port) was used');
    } finally {
      assert.strictEqual(await vscode.commands.executeCommand<boolean>('traceReplay.stopReceiver'), true);
    }
  });

  it('the workspace traceReplay.storePath is ignored: traces go to the default store', async () => {
    const folder = workspaceFolder();
    assert.strictEqual(api.storeDir(), path.join(folder, '.trace-replay'));
    await importFixtures('weather-agent.otlp.json');
    const store = await api.store();
    assert.ok(await store.getTrace(WEATHER_TRACE), 'the imported trace is in the default store');
    assert.ok(fs.existsSync(path.join(folder, '.trace-replay')), 'the default store folder exists');
    assert.ok(!fs.existsSync(path.join(folder, 'untrusted-store')), 'nothing was written to the workspace storePath');
  });

  it('with .vscode/mcp.json, Live tools are refused with the sentence naming workspace trust; the server never starts', async () => {
    assert.ok(fs.existsSync(path.join(workspaceFolder(), '.vscode', 'mcp.json')), 'the workspace has .vscode/mcp.json');
    const live = api.replays.liveTools.availability();
    assert.ok(!live.ok, 'live tools are not available');
    assert.match(live.reason, LIVE_REFUSED);
    assert.strictEqual(api.replays.liveTools.toolHost(), undefined, 'the engine gets no tool host');

    // The wizard, with traceReplay.replay.tools = live: it starts on Recorded and says why, and the
    // Live row of the Tool results pick is inert with the sentence.
    const config = vscode.workspace.getConfiguration('traceReplay');
    await config.update('replay.tools', 'live', vscode.ConfigurationTarget.Workspace);
    const summaries: PickStep<SummaryItem>[] = [];
    const policies: PickStep<ToolPolicyItem>[] = [];
    const inputs: QuickInputs = {
      pickOne<I extends vscode.QuickPickItem>(s: PickStep<I>): Promise<StepResult<I>> {
        const items = s.items as unknown as (SummaryItem & ToolPolicyItem)[];
        const answer = (i: unknown): Promise<StepResult<I>> => Promise.resolve(i as I | undefined);
        if (items.some((i) => i.start)) {
          summaries.push(s as unknown as PickStep<SummaryItem>);
          return answer(items.find((i) => i.tools)); // open the Tool results row
        }
        if (items.some((i) => i.policy !== undefined)) {
          policies.push(s as unknown as PickStep<ToolPolicyItem>);
          return answer(undefined); // cancel: nothing is queued
        }
        return answer(items[0]);
      },
      inputText: (s) => Promise.resolve(s.value),
    };
    api.presetReplayInputs(inputs);
    try {
      const job = await vscode.commands.executeCommand<ReplayJob | undefined>('traceReplay.replayTrace', WEATHER_TRACE);
      assert.strictEqual(job, undefined, 'cancelled in the policy pick: nothing queued');
    } finally {
      api.presetReplayInputs(undefined);
      await config.update('replay.tools', undefined, vscode.ConfigurationTarget.Workspace);
    }
    const warning = toasts.find((t) => t.message.startsWith('traceReplay.replay.tools is live'));
    assert.ok(warning, `a warning says the setting is not applied; toasts: ${JSON.stringify(toasts)}`);
    assert.match(warning.message, LIVE_REFUSED);
    assert.match(summaries[0].items.find((i) => i.fact === 'tools')?.description ?? '', /^Recorded\b/);
    const item = policies[0]?.items.find((i) => i.policy === 'live');
    assert.ok(item, 'the pick lists Live');
    assert.strictEqual(policies[0].inert?.(item), true, 'Live cannot be picked');
    assert.match(item.detail ?? '', LIVE_REFUSED);

    // Queued without the wizard (a command argument, the API): refused before anything runs.
    await assert.rejects(api.replays.enqueue(WEATHER_TRACE, { toolPolicy: 'live' }), (err: Error) => {
      assert.match(err.message, LIVE_REFUSED);
      return true;
    });
    assert.ok(!fs.existsSync(marker('mcp-server-ran.marker')), 'the MCP server of .vscode/mcp.json never started');
  });

  it("the workspace's provider endpoints are ignored: the stored key goes where the user's settings say, never to the server the workspace names", async () => {
    fake ??= await userProviders(api);
    const elsewhere = await startFakeLlmServer();
    const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('traceReplay');
    try {
      await config().update('providers.openai.baseUrl', elsewhere.openaiBaseUrl, vscode.ConfigurationTarget.Workspace);
      await config().update(
        'providers.endpoints',
        [{ name: 'keyed', baseUrl: elsewhere.openaiBaseUrl, apiKeyRequired: true }],
        vscode.ConfigurationTarget.Workspace,
      );
      // Written to the workspace (so the test is real), and not what the extension reads.
      assert.strictEqual(workspaceSettingsFile()['traceReplay.providers.openai.baseUrl'], elsewhere.openaiBaseUrl);
      assert.strictEqual(config().get('providers.openai.baseUrl'), fake.openaiBaseUrl);
      assert.deepStrictEqual(config().get('providers.endpoints'), []);
      const job = await replayTrace({ traceId: WEATHER_TRACE, model: 'openai:gpt-4.1-mini' });
      const done = await api.replays.wait(job.id);
      assert.strictEqual(done.status, 'COMPLETED', done.error);
      assert.ok(fake.byKey(KEY).requests > 0, "the user's server got the calls, with the key");
      assert.strictEqual(elsewhere.requests.length, 0, 'nothing reached the server the workspace named');
    } finally {
      await config().update('providers.openai.baseUrl', undefined, vscode.ConfigurationTarget.Workspace);
      await config().update('providers.endpoints', undefined, vscode.ConfigurationTarget.Workspace);
      await elsewhere.close();
    }
  });

  it('a javascript evaluator of the evaluator config is refused with its sentence; the others score', async () => {
    fake ??= await userProviders(api);
    const job = await replayTrace({ traceId: WEATHER_TRACE, model: 'openai:gpt-4.1-mini' });
    const done = await api.replays.wait(job.id);
    assert.strictEqual(done.status, 'COMPLETED', done.error);
    assert.ok(done.evaluation, 'the job carries its evaluation');
    const skipped = done.evaluation.skipped ?? [];
    const refused = skipped.find((s) => s.evaluatorId === 'workspace-code');
    assert.ok(refused, `the javascript evaluator is listed as skipped: ${JSON.stringify(skipped)}`);
    assert.match(refused.reason, JS_REFUSED);
    // The control: the config (traceReplay.evaluators.configPath of the workspace) was read.
    assert.ok(
      done.evaluation.original.some((s) => s.evaluatorId === 'same-answer' && typeof s.value === 'number'),
      'the similarity evaluator of the same config scored',
    );
    assert.ok(!done.evaluation.original.some((s) => s.evaluatorId === 'workspace-code'), 'no score from it');
    assert.ok(!fs.existsSync(marker('js-evaluator-ran.marker')), 'the evaluator module was never loaded');
  });
});
