// The OTLP receiver inside the extension host: start, receive, show live, stop.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as vscode from 'vscode';
import type { TraceReplayApi } from '../../src/extension/extension';
import type { ReceiverInfo } from '../../src/extension/receiver/receiver-controller';
import type { TracesTreeNode } from '../../src/extension/views/traces-tree';
import { activatedApi, describeSubtree, fixturePath, traceRoot, whenRoots } from './helpers';

const FIXTURE_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

function fixtureBody(traceId: string): string {
  return fs.readFileSync(fixturePath('weather-agent.otlp.json'), 'utf8').replaceAll(FIXTURE_TRACE_ID, traceId);
}

async function setPort(port: number | undefined): Promise<void> {
  await vscode.workspace
    .getConfiguration('traceReplay')
    .update('receiver.port', port, vscode.ConfigurationTarget.Global);
}

describe('OTLP receiver', () => {
  let api: TraceReplayApi;
  let blocker: net.Server | undefined;

  before(async () => {
    api = await activatedApi();
    await setPort(0); // any free port
  });
  after(async () => {
    await vscode.commands.executeCommand('traceReplay.stopReceiver');
    await setPort(undefined);
    await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  });

  it('starts on a free port, shows it in the status bar, and a POSTed trace appears in the tree without a refresh', async () => {
    const info = await vscode.commands.executeCommand<ReceiverInfo | undefined>('traceReplay.startReceiver');
    assert.ok(info, 'the receiver started');
    assert.ok(info.port > 0);
    assert.strictEqual(info.endpoint, `${info.url}/v1/traces`);
    assert.deepStrictEqual(api.receiver(), info);
    assert.strictEqual(api.receiverStatusText(), `$(broadcast) OTLP :${info.port}`);

    const traceId = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbb0002';
    const shown = whenRoots(api.tracesTree, (roots) => !!traceRoot(roots, traceId));
    const res = await fetch(info.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: fixtureBody(traceId),
    });
    assert.strictEqual(res.status, 200, await res.text());
    const node = traceRoot(await shown, traceId) as TracesTreeNode;
    assert.deepStrictEqual(
      (await describeSubtree(api.tracesTree, node)).map(([l, icon]) => [l, icon]),
      [
        ['weather-agent', 'robot'],
        ['  #1 gpt-4o-mini-2024-07-18', 'sparkle'],
        ['  execute_tool get_weather', 'tools'],
      ],
    );
  });

  it('a second start keeps the running receiver', async () => {
    const first = api.receiver();
    assert.ok(first);
    assert.deepStrictEqual(await vscode.commands.executeCommand('traceReplay.startReceiver'), first);
  });

  it('stops: the status bar item goes away and the port no longer answers', async () => {
    const info = api.receiver();
    assert.ok(info);
    assert.strictEqual(await vscode.commands.executeCommand('traceReplay.stopReceiver'), true);
    assert.strictEqual(api.receiver(), undefined);
    assert.strictEqual(api.receiverStatusText(), undefined);
    await assert.rejects(fetch(info.endpoint, { method: 'POST', body: '{}' }));
    assert.strictEqual(await vscode.commands.executeCommand('traceReplay.stopReceiver'), false);
  });

  it('reports a port already in use instead of failing activation or throwing', async () => {
    blocker = net.createServer();
    await new Promise<void>((resolve) => blocker?.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    await setPort(taken);
    assert.strictEqual(await vscode.commands.executeCommand('traceReplay.startReceiver'), undefined);
    assert.strictEqual(api.receiver(), undefined);
    assert.strictEqual(api.receiverStatusText(), undefined);
  });
});
