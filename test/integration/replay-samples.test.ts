// Repeated samples from the Replay Trace wizard (issue 18, "wizard and setting too"): the summary's
// Samples row opens its pick; 3 samples queue 3 replays with the changes and 3 A/A without them
// (sent to the fake LLM server), which the Replays view labels "sample i/3" and "A/A i/3"; the
// Estimated cost row counts all six (6× a single replay at the recorded model); with
// traceReplay.replay.maxCostUsd below the estimate's high end the row warns that the replay stops
// when the budget is spent.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { formatUsd } from '../../src/core/pricing/estimate-text';
import type { ReplayJob } from '../../src/core/replay/replay-types';
import type { ShownToast } from '../../src/extension/common/notifications';
import type { TraceReplayApi } from '../../src/extension/extension';
import type { InputStep, PickStep, QuickInputs, StepResult } from '../../src/extension/common/multi-step-input';
import type { SamplesItem } from '../../src/extension/replay/replay-samples-step';
import type { ModelItem, SummaryItem } from '../../src/extension/replay/replay-wizard';
import type { FakeLlmServer } from '../support/fake-llm/fake-llm-server';
import type { Envelope } from '../../src/protocol';
import { activatedApi, whenShown } from './helpers';
import { importFixtures, replayRows, setUpProviders, tearDownProviders, WEATHER_TRACE } from './replay-helpers';

type AnyPick = PickStep<vscode.QuickPickItem>;

/** What the scripted wizard answers at each kind of step; the summary and samples picks are
 *  recorded in the order they were shown. */
interface Script {
  model(s: PickStep<ModelItem>): ModelItem | undefined;
  /** The n-th visit of the summary (from 0). */
  summary(s: PickStep<SummaryItem>, n: number): Promise<StepResult<SummaryItem>> | StepResult<SummaryItem>;
  samples?(s: PickStep<SamplesItem>): StepResult<SamplesItem>;
}

function scripted(script: Script, seen: { summaries: PickStep<SummaryItem>[]; samples: PickStep<SamplesItem>[] }) {
  const inputs: QuickInputs = {
    pickOne<I extends vscode.QuickPickItem>(s: PickStep<I>): Promise<StepResult<I>> {
      const pick = s as unknown as AnyPick;
      const answer = async (): Promise<unknown> => {
        if (pick.step === 1) return script.model(s as unknown as PickStep<ModelItem>);
        if (pick.items.some((i) => (i as SummaryItem).start)) {
          const summary = s as unknown as PickStep<SummaryItem>;
          seen.summaries.push(summary);
          return script.summary(summary, seen.summaries.length - 1);
        }
        if (pick.title.endsWith(': samples')) {
          const samples = s as unknown as PickStep<SamplesItem>;
          seen.samples.push(samples);
          return script.samples?.(samples);
        }
        return pick.items[0]; // mode: Independent
      };
      return answer() as Promise<StepResult<I>>;
    },
    inputText(s: InputStep): Promise<StepResult<string>> {
      return Promise.resolve(s.value); // parameters as recorded
    },
  };
  return inputs;
}

const row = (s: PickStep<SummaryItem>, fact: SummaryItem['fact']): SummaryItem => {
  const found = s.items.find((i) => i.fact === fact);
  if (!found) throw new Error(`no ${fact} row in the summary`);
  return found;
};
const keepRecorded = (s: PickStep<ModelItem>): ModelItem | undefined =>
  s.items.find((i) => i.label === '$(history) Keep recorded model');
const start = (s: PickStep<SummaryItem>): SummaryItem | undefined => s.items.find((i) => i.start);
const samplesRow = (s: PickStep<SummaryItem>): SummaryItem => row(s, 'samples');

describe('Repeated samples in the Replay Trace wizard', () => {
  let api: TraceReplayApi;
  let fake: FakeLlmServer | undefined;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('traceReplay');

  before(async () => {
    api = await activatedApi();
    fake = await setUpProviders(api);
    await importFixtures('weather-agent.otlp.json');
  });
  after(async () => {
    api.presetReplayInputs(undefined);
    await config().update('replay.maxCostUsd', undefined, vscode.ConfigurationTarget.Workspace);
    await tearDownProviders(api, fake);
  });

  it('3 samples: 3 replays with the model and 3 A/A without any override, labelled in the Replays view', async () => {
    fake!.reset();
    // What the person sees: the batch's toast once, no "Replay of ... completed" toast per sample.
    const toasts: ShownToast[] = [];
    let batchShown!: () => void;
    const batchToast = new Promise<void>((resolve) => (batchShown = resolve));
    const toastSub = api.toasts.onDidShow((t) => {
      toasts.push(t);
      if (/^The batch of 6 replays finished: 6 completed\.$/.test(t.message)) batchShown();
    });
    const seen = { summaries: [] as PickStep<SummaryItem>[], samples: [] as PickStep<SamplesItem>[] };
    api.presetReplayInputs(
      scripted(
        {
          model: (s) => s.typedItem?.('openai:gpt-5-nano'),
          summary: (s, n) => (n === 0 ? samplesRow(s) : start(s)),
          samples: (s) => s.items.find((i) => i.repeat === 3),
        },
        seen,
      ),
    );
    const first = await vscode.commands.executeCommand<ReplayJob | undefined>('traceReplay.replayTrace', WEATHER_TRACE);
    assert.ok(first?.sample?.run, 'the first sample was queued, with its run id');

    // The summary starts from the setting (1), its Samples row opens the pick, which offers 1, 3, 5, 10.
    const [before, after] = seen.summaries;
    assert.strictEqual(samplesRow(before).description, '1 (a single replay)');
    assert.strictEqual(before.inert?.(samplesRow(before)), false, 'the Samples row can be picked');
    assert.deepStrictEqual(
      seen.samples[0].items.map((i) => i.repeat),
      [1, 3, 5, 10, undefined],
      'the choices, then "Other number…"',
    );
    assert.strictEqual(seen.samples[0].typedItem?.('7')?.repeat, 7, 'a typed number is offered');
    assert.ok(seen.samples[0].typedItem?.('0')?.problem, 'a typed 0 is refused with why');
    assert.strictEqual(samplesRow(after).description, '3 with your changes + 3 without (A/A noise floor)');
    assert.match(samplesRow(after).detail ?? '', /bypass the response cache.*batch panel shows .*verdict/);
    assert.strictEqual(start(after)?.description, '6 replays');

    const jobs = (await api.replays.listJobs({ traceId: WEATHER_TRACE })).filter(
      (j) => j.sample?.run === first.sample!.run,
    );
    const ab = jobs.filter((j) => !j.sample!.baseline);
    const aa = jobs.filter((j) => j.sample!.baseline);
    assert.strictEqual(ab.length, 3, 'three samples with the changes');
    assert.strictEqual(aa.length, 3, 'three A/A samples');
    for (const j of ab) assert.strictEqual(j.overrides.model, 'openai:gpt-5-nano');
    for (const j of aa) {
      assert.strictEqual(j.overrides.model, undefined, 'an A/A sample keeps the recorded model');
      assert.strictEqual(j.overrides.parameters, undefined);
    }
    for (const j of jobs) {
      assert.strictEqual(j.overrides.cache, false, 'repeated samples bypass the response cache');
      assert.deepStrictEqual(j.sample!.of, { repeat: 3, baselineRepeat: 3 });
    }
    const done = await Promise.all(jobs.map((j) => api.replays.wait(j.id)));
    for (const d of done) assert.strictEqual(d.status, 'COMPLETED', d.error);
    await batchToast;
    toastSub.dispose();
    assert.deepStrictEqual(
      toasts.filter((t) => /^Replay of .* completed/.test(t.message)).map((t) => t.message),
      [],
      'no toast per sample',
    );
    assert.deepStrictEqual(toasts.find((t) => /^The batch of 6/.test(t.message))?.buttons, ['Open Batch Summary']);
    const models = fake!.requests.map((r) => r.body.model as string);
    const perReplay = models.length / 6;
    assert.ok(Number.isInteger(perReplay) && perReplay > 0, `every sample was sent: ${models.join(', ')}`);
    assert.strictEqual(models.filter((m) => m === 'gpt-5-nano').length, 3 * perReplay);
    assert.strictEqual(models.filter((m) => m === 'gpt-4o-mini').length, 3 * perReplay, 'the A/A ones: recorded');

    // The Replays view: each sample says which one it is; the A/A ones say what they are for.
    const group = (await replayRows(api.replaysTree)).find((g) => g.group.item.id === `replays-trace/${WEATHER_TRACE}`);
    assert.ok(group, 'the trace has its group in the Replays view');
    const itemOf = (job: ReplayJob): vscode.TreeItem => {
      const found = group.jobs.find((r) => r.item.id === `replay/${job.id}`);
      assert.ok(found, `a row for ${job.id}`);
      return found.item;
    };
    const label = (job: ReplayJob): string => String(itemOf(job).description).split(' · ')[0];
    assert.deepStrictEqual(ab.map(label).sort(), ['sample 1/3', 'sample 2/3', 'sample 3/3']);
    assert.deepStrictEqual(aa.map(label).sort(), ['A/A 1/3', 'A/A 2/3', 'A/A 3/3']);
    const tooltip = (job: ReplayJob): string =>
      (itemOf(job).tooltip as vscode.MarkdownString).value.replace(/\\(.)/g, '$1').replace(/&nbsp;/g, ' ');
    for (const j of aa)
      assert.match(
        tooltip(j),
        /A\/A sample: replayed without your changes, to measure how much the recorded model disagrees with itself/,
      );
    for (const j of ab) assert.doesNotMatch(tooltip(j), /A\/A sample/);

    // The comparison panel of the second A/B sample: its own tables with the spread over the run's 3.
    const second = ab.find((j) => j.sample!.index === 1)!;
    assert.strictEqual(
      await vscode.commands.executeCommand<string>('traceReplay.openComparison', second.id),
      second.id,
    );
    const probe = api.panels.comparison(second.id);
    assert.ok(probe, 'the comparison panel is open');
    try {
      const shown = (await whenShown(probe, (m) => m.method === 'comparison/show')) as Envelope<{
        comparison: { replayId: string; samples?: number; sample?: { index: number } };
      }>;
      assert.strictEqual(shown.params.comparison.replayId, second.id);
      assert.strictEqual(shown.params.comparison.samples, 3, 'the spread covers the 3 A/B samples');
      assert.strictEqual(shown.params.comparison.sample?.index, 1);
    } finally {
      probe.panel.dispose();
    }
  });

  it("the Estimated cost row counts every sample: 3 + 3 at the recorded model are 6× a single replay's", async () => {
    fake!.reset();
    const seen = { summaries: [] as PickStep<SummaryItem>[], samples: [] as PickStep<SamplesItem>[] };
    api.presetReplayInputs(
      scripted(
        {
          model: keepRecorded,
          summary: (s, n) => (n === 0 ? samplesRow(s) : undefined), // then Escape: nothing is queued
          samples: (s) => s.items.find((i) => i.repeat === 3),
        },
        seen,
      ),
    );
    const result = await vscode.commands.executeCommand('traceReplay.replayTrace', WEATHER_TRACE);
    assert.strictEqual(result, undefined);
    assert.strictEqual(fake!.requests.length, 0, 'nothing was sent');
    const single = row(seen.summaries[0], 'cost');
    const six = row(seen.summaries[1], 'cost');
    const one = single.cost!.estimate;
    const all = six.cost!.estimate;
    assert.ok(one.calls > 0 && one.usd.high > 0, 'the single replay is priced');
    assert.strictEqual(all.calls, 6 * one.calls);
    for (const end of ['low', 'expected', 'high'] as const)
      assert.ok(Math.abs(all.usd[end] - 6 * one.usd[end]) < 1e-12, `${end}: ${all.usd[end]} vs 6 × ${one.usd[end]}`);
    assert.strictEqual(single.description, `${formatUsd(one.usd.low)} – ${formatUsd(one.usd.high)}`);
    assert.strictEqual(six.description, `${formatUsd(6 * one.usd.low)} – ${formatUsd(6 * one.usd.high)}`);
    assert.match(six.detail ?? '', /^3 replays with your changes \+ 3 A\/A at the recorded model's prices per trace; /);
    assert.match(six.detail ?? '', new RegExp(`\\b${6 * one.calls} calls\\b`));
    assert.doesNotMatch(six.detail ?? '', /budget/, 'no budget set');
  });

  it('with traceReplay.replay.maxCostUsd below the high end, the cost row names the budget and warns', async () => {
    const seen = { summaries: [] as PickStep<SummaryItem>[], samples: [] as PickStep<SamplesItem>[] };
    let budget = 0;
    api.presetReplayInputs(
      scripted(
        {
          model: keepRecorded,
          summary: async (s, n) => {
            if (n > 0) return undefined; // Escape
            // Between the expected cost and the high end of a single replay.
            const { expected, high } = row(s, 'cost').cost!.estimate.usd;
            budget = (expected + high) / 2;
            await config().update('replay.maxCostUsd', budget, vscode.ConfigurationTarget.Workspace);
            return samplesRow(s); // the same count again: the summary is shown again, reading the budget
          },
          samples: (s) => s.items.find((i) => i.repeat === 1),
        },
        seen,
      ),
    );
    try {
      await vscode.commands.executeCommand('traceReplay.replayTrace', WEATHER_TRACE);
      assert.strictEqual(seen.summaries.length, 2, 'the summary again after the samples pick');
      const before = row(seen.summaries[0], 'cost');
      const after = row(seen.summaries[1], 'cost');
      assert.doesNotMatch(before.description ?? '', /budget/);
      assert.strictEqual(after.description, `${before.description} · budget ${formatUsd(budget)}`);
      assert.match(
        after.detail ?? '',
        /^\$\(warning\) The high end \S+ is over the \S+ budget \(traceReplay\.replay\.maxCostUsd\): the replay will stop when the budget is spent/,
      );
    } finally {
      await config().update('replay.maxCostUsd', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
