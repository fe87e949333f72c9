// "Filter Traces...": the query narrows the Traces view's roots (and its "Load more" count); clearing restores.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { RawSpan } from '../../src/core/model/trace';
import type { TraceReplayApi } from '../../src/extension/extension';
import type { TracesTreeNode } from '../../src/extension/views/traces-tree';
import { activatedApi, whenRoots } from './helpers';

interface Spec {
  id: string;
  name: string;
  model: string;
  prompt?: string;
  day: string; // YYYY-MM-DD, noon UTC so no time zone moves it to another local day
}

const SPECS: Spec[] = [
  { id: 'f1', name: 'filterbot-weather', model: 'filter-model-a', prompt: 'filter-weather', day: '2019-02-15' },
  { id: 'f2', name: 'filterbot-weather', model: 'filter-model-b', prompt: 'filter-weather', day: '2019-03-15' },
  { id: 'f3', name: 'filterbot-news', model: 'filter-model-a', day: '2019-04-15' },
];

function traceId(spec: Spec): string {
  return `f17e0000000000000000000000000${spec.id.slice(1).padStart(3, '0')}`;
}

function llmSpan(spec: Spec): RawSpan {
  const start = BigInt(Date.parse(`${spec.day}T12:00:00Z`)) * 1_000_000n;
  const attributes: Record<string, string> = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': spec.model,
  };
  if (spec.prompt) attributes['gen_ai.prompt.name'] = spec.prompt;
  return {
    traceId: traceId(spec),
    spanId: `f17e000000000${spec.id.slice(1).padStart(3, '0')}`,
    name: spec.name,
    otelKind: 3,
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: (start + 5_000_000n).toString(),
    attributes,
    events: [],
    links: [],
    status: { code: 'ok' },
    resource: { 'service.name': 'filter-test' },
    scope: { name: 'filter-test' },
  };
}

const ids = (roots: TracesTreeNode[]): string[] =>
  roots.flatMap((n) => (n.type === 'trace' ? [n.summary.id] : [])).sort();
const idsOf = (...which: string[]): string[] =>
  SPECS.filter((s) => which.includes(s.id))
    .map(traceId)
    .sort();

describe('Traces view filter', () => {
  let api: TraceReplayApi;
  before(async () => {
    api = await activatedApi();
    const store = await api.store();
    await store.ingest(SPECS.map(llmSpan));
  });
  after(async () => {
    await vscode.commands.executeCommand('traceReplay.clearTracesFilter');
  });

  /** Applies `query` through the command and resolves with the roots once they are exactly `expected`. */
  async function filtered(query: string, expected: string[]): Promise<TracesTreeNode[]> {
    const shown = whenRoots(api.tracesTree, (roots) => JSON.stringify(ids(roots)) === JSON.stringify(expected));
    await vscode.commands.executeCommand('traceReplay.filterTraces', query);
    return shown;
  }

  it('free text matches the trace name', async () => {
    await filtered('filterbot', idsOf('f1', 'f2', 'f3'));
    await filtered('filterbot-news', idsOf('f3'));
    assert.strictEqual(api.tracesTree.filter?.query, 'filterbot-news');
  });

  it('model:, prompt:, since:, until: narrow it down, combined with text', async () => {
    await filtered('model:filter-model-a', idsOf('f1', 'f3'));
    await filtered('prompt:FILTER-WEATHER', idsOf('f1', 'f2'));
    await filtered('since:2019-03-01 until:2019-03-31', idsOf('f2'));
    await filtered('filterbot since:2019-03-01', idsOf('f2', 'f3'));
    await filtered('weather model:filter-model-a', idsOf('f1'));
    assert.deepStrictEqual(api.tracesTree.filter?.filter, {
      origin: 'recorded',
      text: 'weather',
      model: 'filter-model-a',
    });
  });

  it('a query nothing matches shows no roots, and no "Load more" row', async () => {
    const roots = await filtered('model:no-such-model', []);
    assert.strictEqual(roots.length, 0);
  });

  it('a malformed query is refused and keeps the current filter', async () => {
    await filtered('model:filter-model-b', idsOf('f2'));
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('traceReplay.filterTraces', 'since:2019-02-30')),
      /not a date/,
    );
    assert.strictEqual(api.tracesTree.filter?.query, 'model:filter-model-b');
  });

  it('Clear Filter restores every recorded trace', async () => {
    await filtered('filterbot-news', idsOf('f3'));
    const all = await (await api.store()).countTraces({ origin: 'recorded' });
    const restored = whenRoots(
      api.tracesTree,
      (roots) => roots.filter((n) => n.type === 'trace').length === Math.min(all, 100),
    );
    await vscode.commands.executeCommand('traceReplay.clearTracesFilter');
    const roots = await restored;
    assert.strictEqual(api.tracesTree.filter, undefined);
    assert.ok(idsOf('f1', 'f2', 'f3').every((id) => ids(roots).includes(id)));
  });
});
