// The Replay Trace wizard with scripted answers (the same steps VS Code's quick input shows; the
// Playwright flow in test/e2e/ui.mjs drives the real widgets): the model step lists every provider
// with its key state and offline:echo, takes a typed provider:model (and refuses an unknown
// provider), and the last step is a summary whose "Start replay" queues the job; Escape there
// queues nothing.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { ReplayJob } from '../../src/core/replay/replay-types';
import type { TraceReplayApi } from '../../src/extension/extension';
import type { InputStep, PickStep, QuickInputs, StepResult } from '../../src/extension/common/multi-step-input';
import type { ModelItem, SummaryItem } from '../../src/extension/replay/replay-wizard';
import type { FakeLlmServer } from '../support/fake-llm/fake-llm-server';
import { activatedApi } from './helpers';
import { importFixtures, setUpProviders, tearDownProviders, WEATHER_TRACE } from './replay-helpers';

type AnyPick = PickStep<vscode.QuickPickItem>;
type Asked = { pick: AnyPick } | { input: InputStep };

/** Answers each step with `answer` (by the step's place), recording what was asked. */
function scripted(asked: Asked[], answer: (step: Asked, index: number) => unknown): QuickInputs {
  return {
    pickOne<I extends vscode.QuickPickItem>(s: PickStep<I>): Promise<StepResult<I>> {
      const step = { pick: s as unknown as AnyPick };
      asked.push(step);
      return Promise.resolve(answer(step, asked.length - 1) as StepResult<I>);
    },
    inputText(s: InputStep): Promise<StepResult<string>> {
      const step = { input: s };
      asked.push(step);
      return Promise.resolve(answer(step, asked.length - 1) as StepResult<string>);
    },
  };
}

const picks = (a: Asked): AnyPick => {
  if (!('pick' in a)) throw new Error('expected a quick pick step');
  return a.pick;
};
const rows = (a: Asked): vscode.QuickPickItem[] =>
  picks(a).items.filter((i) => i.kind !== vscode.QuickPickItemKind.Separator);
const separators = (a: Asked): string[] =>
  picks(a)
    .items.filter((i) => i.kind === vscode.QuickPickItemKind.Separator)
    .map((i) => i.label);

describe('Replay Trace wizard: model step, typed model, summary', () => {
  let api: TraceReplayApi;
  let fake: FakeLlmServer | undefined;

  before(async () => {
    api = await activatedApi();
    fake = await setUpProviders(api);
    await importFixtures('weather-agent.otlp.json');
  });
  after(async () => {
    api.presetReplayInputs(undefined);
    await tearDownProviders(api, fake);
  });

  it('lists providers with their key state and offline:echo, takes a typed provider:model, ends on a summary that starts the replay', async () => {
    fake!.reset();
    const asked: Asked[] = [];
    let unknownProvider: ModelItem | undefined;
    api.presetReplayInputs(
      scripted(asked, (step, i) => {
        if (i === 0) {
          const s = picks(step) as unknown as PickStep<ModelItem>;
          unknownProvider = s.typedItem?.('nosuch:model-1');
          return s.typedItem?.('openai:gpt-5-nano'); // typed, then Enter
        }
        if ('input' in step) return step.input.value; // parameters as recorded
        const items = picks(step).items;
        return items.find((it) => (it as SummaryItem).start) ?? items[0]; // mode: Independent; summary: Start replay
      }),
    );
    const job = await vscode.commands.executeCommand<ReplayJob | undefined>('traceReplay.replayTrace', WEATHER_TRACE);
    assert.ok(job, 'a job was queued');

    // The model step: each provider under its own separator, each row saying its key state.
    const model = asked[0];
    assert.strictEqual(picks(model).step, 1);
    const described = (label: string): string | undefined => rows(model).find((r) => r.label === label)?.description;
    assert.match(described('$(history) Keep recorded model') ?? '', /^openai:gpt-4o-mini · ready$/);
    assert.strictEqual(described('openai:gpt-4o-mini'), 'key set');
    assert.strictEqual(described('offline:echo'), 'no key needed');
    assert.strictEqual(
      described('anthropic:claude-haiku-4-5'),
      process.env.ANTHROPIC_API_KEY ? 'key set' : 'no key — Set API Key...',
    );
    for (const provider of ['OpenAI', 'Anthropic'])
      assert.ok(
        separators(model).some((l) => l.startsWith(provider)),
        `a separator for ${provider}: ${separators(model).join(' | ')}`,
      );
    assert.ok(separators(model).some((l) => l.startsWith('Offline stand-in')));
    assert.ok(separators(model).includes('Endpoint "keyed"'));
    assert.strictEqual(described('$(edit) Custom…'), 'type provider:model');
    // A typed model of an unknown provider cannot be picked and says which ones exist.
    assert.ok(unknownProvider?.problem, 'the typed row of an unknown provider carries its problem');
    assert.match(unknownProvider.detail ?? '', /^Unknown provider "nosuch": use one of openai, anthropic, .*keyed/);
    assert.strictEqual((picks(model) as unknown as PickStep<ModelItem>).inert?.(unknownProvider), true);

    // The summary: no step number, Start replay first, one row per fact.
    const summary = picks(asked.at(-1)!) as unknown as PickStep<SummaryItem>;
    assert.strictEqual(summary.step, undefined);
    assert.strictEqual(summary.back, true);
    assert.strictEqual(summary.items[0].label, '$(play) Start replay');
    assert.doesNotMatch(summary.title, /\(/, 'no estimate crammed into the title');
    const fact = (f: SummaryItem['fact']): string | undefined => summary.items.find((i) => i.fact === f)?.description;
    assert.strictEqual(fact('trace'), 'weather-agent');
    assert.strictEqual(fact('model'), 'openai:gpt-5-nano');
    assert.strictEqual(fact('parameters'), 'as recorded: temperature=0.2');
    assert.strictEqual(fact('template'), 'recorded prompt (no span is linked to a template)');
    assert.strictEqual(fact('mode'), 'Independent: each call gets its recorded inputs');
    assert.ok(fact('cost'), 'the estimated cost row');
    assert.match(fact('tools') ?? '', /^Recorded: /, 'the tool policy of traceReplay.replay.tools');
    assert.strictEqual(summary.inert?.(summary.items.find((i) => i.fact === 'tools')!), false, 'it opens its pick');
    assert.strictEqual(fact('samples'), '1 (a single replay)', 'the samples of traceReplay.replay.repeat');
    assert.strictEqual(summary.inert?.(summary.items.find((i) => i.fact === 'samples')!), false, 'it opens its pick');
    assert.ok(
      summary.items
        .filter((i) => !i.start && !i.tools && !i.samples && i.kind !== vscode.QuickPickItemKind.Separator)
        .every((i) => summary.inert?.(i)),
      'the other fact rows only inform',
    );

    assert.deepStrictEqual(job.overrides, { mode: 'independent', model: 'openai:gpt-5-nano' });
    const done = await api.replays.wait(job.id);
    assert.strictEqual(done.status, 'COMPLETED', done.error);
    assert.deepStrictEqual(
      fake!.requests.map((r) => r.body.model),
      ['gpt-5-nano'],
    );
  });

  it('the summary names a missing key with "Set API Key..."; Escape there queues nothing', async () => {
    const asked: Asked[] = [];
    api.presetReplayInputs(
      scripted(asked, (step, i) => {
        if (i === 0) return (picks(step) as unknown as PickStep<ModelItem>).typedItem?.('keyed:some-model');
        if ('input' in step) return step.input.value;
        if (picks(step).items.some((it) => (it as SummaryItem).start)) return undefined; // Escape on the summary
        return picks(step).items[0];
      }),
    );
    const before = (await api.replays.listJobs({ traceId: WEATHER_TRACE })).length;
    const result = await vscode.commands.executeCommand('traceReplay.replayTrace', WEATHER_TRACE);
    assert.strictEqual(result, undefined);
    assert.strictEqual((await api.replays.listJobs({ traceId: WEATHER_TRACE })).length, before, 'nothing was queued');
    const summary = picks(asked.at(-1)!) as unknown as PickStep<SummaryItem>;
    const missing = summary.items.find((i) => i.problem);
    assert.strictEqual(missing?.label, '$(key) No API key for endpoint "keyed"');
    assert.strictEqual(missing.description, 'Set API Key...');
    assert.strictEqual(summary.inert?.(missing), false, 'picking it opens the key box');
  });
});
