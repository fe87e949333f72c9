// The Traces view while the OTLP receiver listens and the store is still empty (issue 12, item 10):
// it shows where to send traces — the environment variable, the traces and the logs endpoints,
// each a row whose click (or inline copy button) puts it on the clipboard. Runs before any test
// fills the store. Waits are on the tree's change events, never on timers.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { TraceReplayApi } from '../../src/extension/extension';
import type { ReceiverInfo } from '../../src/extension/receiver/receiver-controller';
import type { EndpointNode, TracesTreeNode } from '../../src/extension/views/traces-tree';
import { activatedApi, extension, label, whenRoots } from './helpers';

async function setPort(port: number | undefined): Promise<void> {
  await vscode.workspace
    .getConfiguration('traceReplay')
    .update('receiver.port', port, vscode.ConfigurationTarget.Global);
}

const endpoints = (roots: TracesTreeNode[]): EndpointNode[] =>
  roots.filter((n): n is EndpointNode => n.type === 'endpoint');

describe('Traces view: the listening empty state', () => {
  let api: TraceReplayApi;

  before(async () => {
    api = await activatedApi();
    await setPort(0);
  });
  after(async () => {
    await vscode.commands.executeCommand('traceReplay.stopReceiver');
    await setPort(undefined);
  });

  it('an empty store with the receiver stopped has no rows (the welcome text says how to start it)', async () => {
    assert.strictEqual(await (await api.store()).countTraces({}), 0, 'this spec runs on an empty store');
    assert.deepStrictEqual(await api.tracesTree.getChildren(), []);
  });

  it('once the receiver listens, the rows show its addresses; a click copies one to the clipboard', async () => {
    const info = await vscode.commands.executeCommand<ReceiverInfo | undefined>('traceReplay.startReceiver');
    assert.ok(info, 'the receiver started');
    const roots = await whenRoots(api.tracesTree, (r) => endpoints(r).length > 0);
    const items = roots.map((n) => api.tracesTree.getTreeItem(n));
    assert.match(label(items[0]), /^Listening/);
    assert.deepStrictEqual(
      endpoints(roots).map((n) => label(api.tracesTree.getTreeItem(n))),
      [`OTEL_EXPORTER_OTLP_ENDPOINT=${info.url}`, `${info.url}/v1/traces`, `${info.url}/v1/logs`],
    );
    const traces = api.tracesTree.getTreeItem(endpoints(roots)[1]);
    assert.strictEqual(traces.contextValue, 'endpoint');
    assert.strictEqual(traces.command?.command, 'traceReplay.copyReceiverEndpoint');
    await vscode.env.clipboard.writeText('before');
    const copied = await vscode.commands.executeCommand<string>(
      traces.command.command,
      ...(traces.command.arguments ?? []),
    );
    assert.strictEqual(copied, info.endpoint);
    assert.strictEqual(await vscode.env.clipboard.readText(), info.endpoint);
    // The inline copy button passes the row itself.
    const logs = endpoints(roots)[2];
    assert.strictEqual(
      await vscode.commands.executeCommand<string>('traceReplay.copyReceiverEndpoint', logs),
      info.logsEndpoint,
    );
    assert.strictEqual(await vscode.env.clipboard.readText(), info.logsEndpoint);
    // The last row offers the other way in.
    assert.strictEqual(items[items.length - 1].command?.command, 'traceReplay.importTraces');
  });

  it('every endpoint row has an inline copy button (package.json menus)', () => {
    const manifest = extension().packageJSON as {
      contributes: { menus: Record<string, { command: string; when?: string; group?: string }[]> };
    };
    const inline = manifest.contributes.menus['view/item/context'].find(
      (m) => m.command === 'traceReplay.copyReceiverEndpoint',
    );
    assert.ok(inline, 'a copy entry on tree rows');
    assert.strictEqual(inline.group, 'inline');
    assert.match(inline.when ?? '', /viewItem == endpoint/);
  });

  it('stopping the receiver takes the rows away; Copy Endpoint then copies nothing', async () => {
    assert.strictEqual(await vscode.commands.executeCommand('traceReplay.stopReceiver'), true);
    await whenRoots(api.tracesTree, (r) => r.length === 0);
    await vscode.env.clipboard.writeText('unchanged');
    assert.strictEqual(await vscode.commands.executeCommand('traceReplay.copyReceiverEndpoint'), undefined);
    assert.strictEqual(await vscode.env.clipboard.readText(), 'unchanged');
  });
});
