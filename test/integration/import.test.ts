// "Import Traces from File...": files in, trace rows and span rows out.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImportReport } from '../../src/core/ingest/import-files';
import type { TraceReplayApi } from '../../src/extension/extension';
import type { TracesTreeNode } from '../../src/extension/views/traces-tree';
import { activatedApi, describeSubtree, fixturePath, label, traceRoot, whenRoots } from './helpers';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('Import Traces from File...', () => {
  let api: TraceReplayApi;
  let tmp: string;

  before(async () => {
    api = await activatedApi();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tr-import-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('imports the fixture and the tree shows the trace with its span tree', async () => {
    const shown = whenRoots(api.tracesTree, (roots) => !!traceRoot(roots, TRACE_ID));
    const report = await vscode.commands.executeCommand<ImportReport>('traceReplay.importTraces', [
      vscode.Uri.file(fixturePath('weather-agent.otlp.json')),
    ]);
    assert.ok(report, 'the command returns its report');
    assert.strictEqual(report.files.length, 1);
    assert.deepStrictEqual(
      [report.files[0].ok, report.files[0].traceIds, report.files[0].errors],
      [true, [TRACE_ID], []],
    );

    const node = traceRoot(await shown, TRACE_ID) as TracesTreeNode;
    const item = api.tracesTree.getTreeItem(node);
    assert.strictEqual(item.id, `trace/${TRACE_ID}`);
    assert.strictEqual(label(item), 'weather-agent');
    assert.strictEqual(item.contextValue, 'trace');
    assert.strictEqual(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.match(String(item.description), /gpt-4o-mini/);
    assert.match(String(item.description), /49 tok/);
    assert.ok(item.tooltip instanceof vscode.MarkdownString);
    assert.ok(item.tooltip.value.includes(TRACE_ID), 'the tooltip shows the trace id');
    assert.match(item.tooltip.value, /42(&nbsp;| )in/);

    assert.deepStrictEqual(
      (await describeSubtree(api.tracesTree, node)).map(([l, icon]) => [l, icon]),
      [
        ['weather-agent', 'robot'],
        ['  #1 gpt-4o-mini-2024-07-18', 'sparkle'],
        ['  execute_tool get_weather', 'tools'],
      ],
    );
  });

  it("labels LLM spans by step and model with their tokens, gives stable ids and knows each node's parent", async () => {
    const roots = await api.tracesTree.getChildren();
    const traceNode = traceRoot(roots, TRACE_ID) as TracesTreeNode;
    const [rootSpan] = await api.tracesTree.getChildren(traceNode);
    const [llm, tool] = await api.tracesTree.getChildren(rootSpan);
    const llmItem = api.tracesTree.getTreeItem(llm);
    assert.strictEqual(llmItem.id, `span/${TRACE_ID}/a1b2c3d4e5f60718`);
    assert.strictEqual(llmItem.contextValue, 'span:llm');
    assert.strictEqual(label(llmItem), '#1 gpt-4o-mini-2024-07-18');
    assert.match(String(llmItem.description), /^42→7 tok · /);
    assert.strictEqual(api.tracesTree.getTreeItem(tool).contextValue, 'span:tool');
    assert.strictEqual(await api.tracesTree.getParent(llm), rootSpan);
    assert.strictEqual(await api.tracesTree.getParent(rootSpan), traceNode);
    assert.strictEqual(await api.tracesTree.getParent(traceNode), undefined);
  });

  it('reports a broken file with its reason and still imports the good one', async () => {
    const broken = path.join(tmp, 'broken.json');
    fs.writeFileSync(broken, '{ "resourceSpans": [ { "scopeSpans": ');
    const good = path.join(tmp, 'good.json');
    const otherId = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaa0001';
    fs.writeFileSync(
      good,
      fs.readFileSync(fixturePath('weather-agent.otlp.json'), 'utf8').replaceAll(TRACE_ID, otherId),
    );

    const shown = whenRoots(api.tracesTree, (roots) => !!traceRoot(roots, otherId));
    const report = await vscode.commands.executeCommand<ImportReport>('traceReplay.importTraces', [
      vscode.Uri.file(broken),
      vscode.Uri.file(good),
    ]);
    assert.ok(report);
    const [b, g] = report.files;
    assert.strictEqual(b.path, broken);
    assert.strictEqual(b.ok, false);
    assert.ok(b.errors.length > 0 && b.errors[0].length > 0, 'the broken file carries a reason');
    assert.deepStrictEqual(b.traceIds, []);
    assert.deepStrictEqual([g.ok, g.traceIds, g.spans], [true, [otherId], 3]);
    await shown;
    assert.ok(await (await api.store()).getTrace(otherId));
  });

  it('skips files that are not on disk (nothing imported, no crash)', async () => {
    assert.strictEqual(
      await vscode.commands.executeCommand('traceReplay.importTraces', [vscode.Uri.parse('untitled:x.json')]),
      undefined,
    );
  });
});
