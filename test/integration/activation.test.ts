// Activation and the manifest: what a user gets before any trace exists.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SETTING_DEFAULTS } from '../../src/extension/common/settings';
import { activatedApi, extension } from './helpers';

interface Manifest {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    viewsContainers: { activitybar: { id: string; title: string; icon: string }[] };
    views: Record<string, { id: string; name: string }[]>;
    viewsWelcome: { view: string; contents: string; when?: string }[];
    configuration: {
      properties: Record<string, { description?: string; markdownDescription?: string; default?: unknown }>;
    };
  };
}

describe('activation and manifest', () => {
  const manifest = (): Manifest => extension().packageJSON as Manifest;

  it('runs in a Node extension host of a real VS Code', () => {
    console.log(`    vscode ${vscode.version}, node ${process.versions.node}, appHost ${vscode.env.appHost}`);
    assert.strictEqual(typeof process.versions.node, 'string');
    assert.ok(vscode.version.startsWith('1.'));
  });

  it('activates and returns its API', async () => {
    const api = await activatedApi();
    assert.ok(extension().isActive);
    assert.strictEqual(typeof api.store, 'function');
    assert.ok(api.tracesTree);
    assert.strictEqual(api.receiver(), undefined, 'the receiver must not start unless autoStart is set');
  });

  it('registers every command it contributes, each with the "Trace Replay" category', async () => {
    await activatedApi();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = manifest().contributes.commands;
    assert.ok(contributed.length >= 6);
    for (const c of contributed) {
      assert.ok(registered.has(c.command), `command ${c.command} is contributed but not registered`);
      assert.strictEqual(c.category, 'Trace Replay', `command ${c.command} has no category`);
    }
    for (const id of [
      'traceReplay.importTraces',
      'traceReplay.startReceiver',
      'traceReplay.stopReceiver',
      'traceReplay.refreshTraces',
      'traceReplay.showOutput',
    ]) {
      assert.ok(
        contributed.some((c) => c.command === id),
        `${id} missing from package.json`,
      );
    }
  });

  it('contributes the "Trace Replay" activity-bar container with the Traces view and an icon on disk', () => {
    const { viewsContainers, views } = manifest().contributes;
    const container = viewsContainers.activitybar.find((c) => c.id === 'traceReplay');
    assert.ok(container);
    assert.strictEqual(container.title, 'Trace Replay');
    assert.ok(fs.existsSync(path.join(extension().extensionPath, container.icon)), `${container.icon} missing`);
    assert.deepStrictEqual(
      views.traceReplay.map((v) => [v.id, v.name]),
      [
        ['traceReplay.traces', 'Traces'],
        ['traceReplay.replays', 'Replays'],
      ],
    );
  });

  it('has a welcome view for the empty Traces view linking to the receiver and the import', () => {
    const welcome = manifest().contributes.viewsWelcome.filter((w) => w.view === 'traceReplay.traces');
    const idle = welcome.find((w) => w.when === '!traceReplay.tracesFiltered && !traceReplay.receiverRunning');
    assert.ok(idle, 'no welcome content for the idle state');
    assert.match(idle.contents, /\[Start OTLP Receiver\]\(command:traceReplay\.startReceiver\)/);
    assert.match(idle.contents, /\[Import Traces from File\.\.\.\]\(command:traceReplay\.importTraces\)/);
    assert.match(idle.contents, /\/v1\/traces/, 'the welcome text should show the endpoint form');
    // A filter that matches nothing must not claim the store is empty.
    const filtered = welcome.find((w) => w.when === 'traceReplay.tracesFiltered');
    assert.match(filtered?.contents ?? '', /\[Clear Filter\]\(command:traceReplay\.clearTracesFilter\)/);
  });

  it('declares every setting with a description and the default the code uses', () => {
    const props = manifest().contributes.configuration.properties;
    const keys = Object.keys(props);
    assert.deepStrictEqual(
      keys.sort(),
      Object.keys(SETTING_DEFAULTS)
        .map((k) => `traceReplay.${k}`)
        .sort(),
    );
    for (const [key, schema] of Object.entries(props)) {
      assert.ok((schema.description ?? schema.markdownDescription ?? '').length > 20, `${key} has no description`);
      const code = SETTING_DEFAULTS[key.slice('traceReplay.'.length) as keyof typeof SETTING_DEFAULTS];
      assert.deepStrictEqual(schema.default, code, `${key}: package.json default differs from settings.ts`);
    }
  });

  it('keeps the store under the first workspace folder by default', async () => {
    const api = await activatedApi();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test run opens a workspace folder');
    assert.strictEqual(api.storeDir(), path.join(folder.uri.fsPath, '.trace-replay'));
  });

  it('"Show Output" opens the Trace Replay output channel', async () => {
    await activatedApi();
    // The output panel is an editor (scheme "output", no view column) while it shows a channel.
    const isOurs = (e: vscode.TextEditor): boolean =>
      e.document.uri.scheme === 'output' && /trace.?replay/i.test(decodeURIComponent(e.document.uri.toString()));
    await vscode.commands.executeCommand('workbench.action.closePanel');
    assert.strictEqual(
      vscode.window.visibleTextEditors.find(isOurs),
      undefined,
      'the output panel is closed before the command',
    );
    const shown = new Promise<vscode.TextEditor>((resolve) => {
      const sub = vscode.window.onDidChangeVisibleTextEditors((editors) => {
        const editor = editors.find(isOurs);
        if (editor) {
          sub.dispose();
          resolve(editor);
        }
      });
    });
    await vscode.commands.executeCommand('traceReplay.showOutput');
    const editor = vscode.window.visibleTextEditors.find(isOurs) ?? (await shown);
    assert.strictEqual(editor.viewColumn, undefined, 'in the panel, not an editor tab');
  });
});
