// Prompt-template files: found by the glob, CodeLens counts the traces that used the template,
// and "Replay with This Prompt Version" replays them with the editor's current (unsaved) text.
import * as assert from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ReplayJob } from '../../src/core/replay/replay-types';
import type { ShownToast } from '../../src/extension/common/notifications';
import type { TraceReplayApi } from '../../src/extension/extension';
import type { FakeLlmServer } from '../support/fake-llm/fake-llm-server';
import { activatedApi, columnOf } from './helpers';
import { EMAIL_TRACE, importFixtures, NEWS_TRACE, setUpProviders, tearDownProviders } from './replay-helpers';

describe('Replay with This Prompt Version', () => {
  let api: TraceReplayApi;
  let fake: FakeLlmServer | undefined;
  let folder: vscode.Uri;
  let template: vscode.Uri;
  let plain: vscode.Uri;

  const write = (uri: vscode.Uri, text: string): Thenable<void> =>
    vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  const lensTitles = async (uri: vscode.Uri): Promise<string[]> => {
    await vscode.workspace.openTextDocument(uri); // the lens command needs the document loaded
    const lenses =
      (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10)) ?? [];
    return lenses.map((l) => l.command?.title ?? '').filter((t) => /prompt|template/.test(t));
  };

  before(async () => {
    api = await activatedApi();
    fake = await setUpProviders(api);
    await importFixtures('prompt-apps.otlp.json');
    folder = vscode.workspace.workspaceFolders![0].uri;
    template = vscode.Uri.joinPath(folder, 'prompts', 'summarize.prompt.md');
    plain = vscode.Uri.joinPath(folder, 'notes.txt');
    await write(template, 'Summarize in three words: {text}\n');
    await write(plain, 'Summarize in one line: {text}\n');
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, 'prompts'), { recursive: true });
    await vscode.workspace.fs.delete(plain);
    await tearDownProviders(api, fake);
  });

  it('finds template files by the glob (not other files, not the store folder)', async () => {
    const files = (await api.templateFiles.refresh()).map((u) => u.fsPath);
    assert.ok(files.includes(template.fsPath), `found: ${files.join(', ')}`);
    assert.ok(!files.includes(plain.fsPath));
    assert.ok(files.every((f) => !f.startsWith(api.storeDir())));
  });

  it('the CodeLens counts the traces whose spans used the prompt; other files get none', async () => {
    await vscode.window.showTextDocument(template);
    assert.deepStrictEqual(await lensTitles(template), ['Replay 2 traces that used this prompt']);
    assert.deepStrictEqual(await lensTitles(plain), []);
  });

  it('replays those traces with the unsaved editor text as the new version', async () => {
    const editor = await vscode.window.showTextDocument(template);
    await editor.edit((e) =>
      e.replace(new vscode.Range(0, 0, 0, 'Summarize in three words'.length), 'Summarize in five words'),
    );
    assert.ok(editor.document.isDirty);
    fake!.reset();
    const jobs = await vscode.commands.executeCommand<ReplayJob[]>('traceReplay.replayWithTemplate', {
      uri: template,
      confirm: false,
    });
    assert.deepStrictEqual(jobs.map((j) => j.traceId).sort(), [NEWS_TRACE, EMAIL_TRACE].sort());
    const snapshot = jobs[0].overrides.template?.kind === 'file' ? jobs[0].overrides.template.path : '';
    assert.ok(snapshot.startsWith(path.join(api.storeDir(), 'template-snapshots')), snapshot);
    assert.deepStrictEqual(
      jobs.map((j) => j.overrides.templateSpanIds),
      jobs.map((j) => [j.traceId === NEWS_TRACE ? '1111111111111112' : '2222222222222222']),
    );
    const done = await Promise.all(jobs.map((j) => api.replays.wait(j.id)));
    assert.deepStrictEqual(
      done.map((j) => j.status),
      ['COMPLETED', 'COMPLETED'],
      done.map((j) => j.error).join('; '),
    );
    const sent = fake!.requests.map((r) => r.body.messages.at(-1).content as string).sort();
    assert.deepStrictEqual(sent, [
      'Summarize in five words: Please send the quarterly report by Friday.',
      'Summarize in five words: The city council approved the new park budget on Monday.',
    ]);
    // The edit changed the document version: the lens is counted again and still finds both (by name).
    assert.deepStrictEqual(await lensTitles(template), ['Replay 2 traces that used this prompt']);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('the comparison of a template replay opens beside the template source', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const jobs = await vscode.commands.executeCommand<ReplayJob[]>('traceReplay.replayWithTemplate', {
      uri: template,
      confirm: false,
    });
    assert.deepStrictEqual(
      jobs[0].overrides.template,
      { kind: 'file', path: template.fsPath },
      'a saved template is replayed from the file itself',
    );
    assert.strictEqual((await api.replays.wait(jobs[0].id)).status, 'COMPLETED');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.strictEqual(
      await vscode.commands.executeCommand<string>('traceReplay.openComparison', jobs[0].id),
      jobs[0].id,
    );
    const panel = api.panels.comparison(jobs[0].id)!.panel;
    assert.strictEqual(await columnOf(panel), vscode.ViewColumn.Two);
    const source = vscode.window.visibleTextEditors.find((e) => e.document.uri.fsPath === template.fsPath);
    assert.strictEqual(source?.viewColumn, vscode.ViewColumn.One, 'the template is open on the left');
    panel.dispose();
    await Promise.all(jobs.slice(1).map((j) => api.replays.wait(j.id)));
  });

  it('without a key for the chosen provider nothing is queued and the toast offers "Set API Key..."', async () => {
    const shown: ShownToast[] = [];
    const sub = api.toasts.onDidShow((t) => shown.push(t));
    api.toasts.preset(() => undefined); // dismissed
    try {
      fake!.reset();
      const before = (await api.replays.listJobs()).length;
      const jobs = await vscode.commands.executeCommand<ReplayJob[]>('traceReplay.replayWithTemplate', {
        uri: template,
        model: 'keyed:some-model',
        confirm: false,
      });
      assert.deepStrictEqual(jobs, []);
      assert.strictEqual((await api.replays.listJobs()).length, before, 'nothing was queued');
      assert.strictEqual(fake!.requests.length, 0);
      assert.deepStrictEqual(
        shown.map((t) => [t.severity, t.buttons]),
        [['error', ['Set API Key...', 'Choose Model...']]],
      );
      assert.match(
        shown[0].message,
        /^Trace Replay needs an API key for endpoint "keyed" to replay 2 traces, so nothing was queued: set it with "Set API Key\.\.\." \(or the KEYED_API_KEY environment variable\)\.$/,
      );
    } finally {
      sub.dispose();
      api.toasts.preset(undefined);
    }
  });

  it('with offline:echo (no key needed) it runs without a request to any provider', async () => {
    fake!.reset();
    const jobs = await vscode.commands.executeCommand<ReplayJob[]>('traceReplay.replayWithTemplate', {
      uri: template,
      model: 'offline:echo',
      confirm: false,
    });
    assert.strictEqual(jobs.length, 2);
    const done = await Promise.all(jobs.map((j) => api.replays.wait(j.id)));
    assert.deepStrictEqual(
      done.map((j) => j.status),
      ['COMPLETED', 'COMPLETED'],
      done.map((j) => j.error).join('; '),
    );
    assert.deepStrictEqual(
      done.map((j) => j.overrides.model),
      ['offline:echo', 'offline:echo'],
    );
    assert.strictEqual(fake!.requests.length, 0);
  });

  it('traceReplay.replay.repeat = 2: each trace gets 2 samples with the new version and 2 A/A with the recorded prompt', async () => {
    const config = vscode.workspace.getConfiguration('traceReplay');
    await config.update('replay.repeat', 2, vscode.ConfigurationTarget.Workspace);
    const toasts: string[] = [];
    let batchShown!: () => void;
    const batchToast = new Promise<void>((resolve) => (batchShown = resolve));
    const toastSub = api.toasts.onDidShow((t) => {
      toasts.push(t.message);
      if (/^The batch of 8 replays finished: 8 completed\.$/.test(t.message)) batchShown();
    });
    try {
      const jobs = await vscode.commands.executeCommand<ReplayJob[]>('traceReplay.replayWithTemplate', {
        uri: template,
        model: 'offline:echo',
        confirm: false,
      });
      assert.strictEqual(jobs.length, 8, '2 traces x (2 A/B + 2 A/A)');
      const done = await Promise.all(jobs.map((j) => api.replays.wait(j.id)));
      const ab = done.filter((j) => j.sample && !j.sample.baseline);
      const aa = done.filter((j) => j.sample?.baseline);
      assert.strictEqual(ab.length, 4);
      assert.strictEqual(aa.length, 4);
      assert.ok(ab.every((j) => j.overrides.template?.kind === 'file' && j.overrides.model === 'offline:echo'));
      assert.ok(aa.every((j) => j.overrides.template === undefined && j.overrides.model === undefined));
      assert.ok(
        done.every((j) => j.overrides.cache === false),
        'repeated samples bypass the response cache',
      );
      assert.strictEqual(new Set(done.map((j) => j.sample?.run)).size, 1, 'one run');
      assert.deepStrictEqual(
        done.map((j) => j.status),
        Array(8).fill('COMPLETED'),
        done.map((j) => j.error).join('; '),
      );
      await batchToast; // one toast for the batch, none per sample
      assert.deepStrictEqual(
        toasts.filter((m) => /^Replay of .* completed/.test(m)),
        [],
      );
    } finally {
      toastSub.dispose();
      await config.update('replay.repeat', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('a template no trace used says so in its CodeLens', async () => {
    const other = vscode.Uri.joinPath(folder, 'prompts', 'translate.prompt.md');
    await write(other, 'Translate to French: {text}\n');
    await api.templateFiles.refresh();
    await vscode.window.showTextDocument(other);
    assert.deepStrictEqual(await lensTitles(other), ['No recorded traces use this prompt']);
    const jobs = await vscode.commands.executeCommand<ReplayJob[]>('traceReplay.replayWithTemplate', {
      uri: other,
      confirm: false,
    });
    assert.deepStrictEqual(jobs, []);
  });
});
