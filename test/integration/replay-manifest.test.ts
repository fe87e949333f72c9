// The replay part of package.json: views, menus and their `when` clauses, palette visibility.
import * as assert from 'node:assert';
import { ReplayContextValue } from '../../src/extension/views/replays-tree';
import { extension } from './helpers';

interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}
type Menus = Record<string, MenuEntry[]>;

const menus = (): Menus => (extension().packageJSON as { contributes: { menus: Menus } }).contributes.menus;

/** The `viewItem =~ /re/` of a when clause as a RegExp (or == value as an exact match). */
function viewItemMatcher(when: string): (value: string) => boolean {
  const re = /viewItem =~ \/(.+?)\/(?:\s|$)/.exec(when);
  if (re) return (v) => new RegExp(re[1]).test(v);
  const eq = /viewItem == (\S+)/.exec(when);
  if (eq) return (v) => v === eq[1];
  return () => true;
}

function itemsShowing(menu: string, command: string, view: string): string[] {
  const all = Object.values(ReplayContextValue) as string[];
  const entries = menus()[menu].filter((e) => e.command === command && (e.when ?? '').includes(`view == ${view}`));
  return all.filter((v) => entries.some((e) => viewItemMatcher(e.when ?? '')(v)));
}

describe('replay manifest', () => {
  it('Replays view context menu: cancel only while pending/running, re-run and delete once finished', () => {
    const v = 'traceReplay.replays';
    assert.deepStrictEqual(itemsShowing('view/item/context', 'traceReplay.cancelReplay', v), [
      'replay:pending',
      'replay:running',
    ]);
    assert.deepStrictEqual(itemsShowing('view/item/context', 'traceReplay.rerunReplay', v), [
      'replay:completed',
      'replay:failed',
      'replay:cancelled',
    ]);
    assert.deepStrictEqual(itemsShowing('view/item/context', 'traceReplay.deleteReplay', v), [
      'replay:completed',
      'replay:failed',
      'replay:cancelled',
    ]);
    assert.deepStrictEqual(itemsShowing('view/item/context', 'traceReplay.openComparison', v), [
      'replay:pending',
      'replay:running',
      'replay:completed',
      'replay:failed',
      'replay:cancelled',
    ]);
    const compare = menus()['view/item/context'].find((e) => e.command === 'traceReplay.compareReplays');
    assert.match(compare?.when ?? '', /listMultiSelection/);
  });

  it('Traces view: Replay Trace inline and in the menu, Replay Selected Traces on a multi-selection, Show Replays, Replay from Here on LLM spans', () => {
    const entries = menus()['view/item/context'].filter((e) => (e.when ?? '').includes('view == traceReplay.traces'));
    const replay = entries.filter((e) => e.command === 'traceReplay.replayTrace');
    assert.ok(replay.some((e) => e.group === 'inline'));
    // Replay only on traces with an LLM call (`trace`); opening and the history on every trace row
    // (`trace:no-llm` too), never on span rows.
    for (const e of replay) assert.match(e.when ?? '', /viewItem == trace(\s|$)/);
    // (The receiver's address rows of the empty listening view have their own copy button; Replay from
    // Here is on LLM span rows only, inline and in the menu.)
    const fromHere = entries.filter((x) => x.command === 'traceReplay.replayFromSpan');
    assert.ok(fromHere.some((e) => e.group === 'inline'));
    for (const e of fromHere) assert.match(e.when ?? '', /viewItem == span:llm(\s|$)/);
    for (const e of entries.filter(
      (x) => x.command !== 'traceReplay.copyReceiverEndpoint' && x.command !== 'traceReplay.replayFromSpan',
    ))
      assert.match(e.when ?? '', /viewItem == trace(\s|$)|viewItem =~ \/\^trace\//);
    assert.match(
      entries.find((e) => e.command === 'traceReplay.replaySelectedTraces')?.when ?? '',
      /&& listMultiSelection/,
    );
    assert.ok(entries.some((e) => e.command === 'traceReplay.showReplaysOfTrace'));
  });

  it('"Replay with This Prompt Version" shows on template files in the explorer, editor menu and editor title', () => {
    for (const menu of ['explorer/context', 'editor/context', 'editor/title']) {
      const e = menus()[menu]?.find((x) => x.command === 'traceReplay.replayWithTemplate');
      assert.strictEqual(e?.when, 'resourcePath in traceReplay.templateFiles', menu);
    }
  });

  it('hides commands that need an argument from the Command Palette', () => {
    const hidden = menus()
      .commandPalette.filter((e) => e.when === 'false')
      .map((e) => e.command);
    for (const id of [
      'traceReplay.replaySelectedTraces',
      'traceReplay.replayFromSpan',
      'traceReplay.compareReplays',
      'traceReplay.rerunReplay',
      'traceReplay.deleteReplay',
      'traceReplay.showReplaysOfTrace',
    ]) {
      assert.ok(hidden.includes(id), `${id} should be hidden from the palette`);
    }
    for (const id of [
      'traceReplay.replayTrace',
      'traceReplay.setApiKey',
      'traceReplay.cancelReplay',
      'traceReplay.openComparison',
    ]) {
      assert.ok(!hidden.includes(id), `${id} belongs in the palette`);
    }
  });
});
