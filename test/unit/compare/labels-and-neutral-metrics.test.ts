// Calls that look alike stay apart and numbers do not mislead: LLM spans named alike get step labels
// in every text output, repeated warnings merge, token counts are a change (never a win or a
// regression), and reference-based scores show one value, replay vs original.
import { strict as assert } from 'node:assert';
import { aggregateBatch, regressions } from '../../../src/core/compare/aggregate-batch';
import { buildComparison } from '../../../src/core/compare/build-comparison';
import type { Comparison } from '../../../src/core/compare/comparison-types';
import { toBatchJson, toComparisonJson } from '../../../src/core/compare/render-json';
import { renderJunit } from '../../../src/core/compare/render-junit';
import { renderBatchMarkdown, renderComparisonMarkdown } from '../../../src/core/compare/render-markdown';
import { renderBatchText, renderComparisonText } from '../../../src/core/compare/render-text';
import type { Span } from '../../../src/core/model/trace';
import { llmSpans, loadFixture, makeReplay, replayIdOf, score } from './compare-test-helpers';

/** The traceloop agent: two LLM spans both named "chat gpt-4o-mini"; the replay answers both
 *  differently, with the same dropped-parameter warning on each and more output tokens. */
function twoAlikeCalls(outputTokens = 40): Comparison {
  const original = loadFixture('traceloop-openai-agent');
  const [first, second] = llmSpans(original);
  assert.equal(first.name, second.name, 'the fixture has two LLM spans with one name');
  const usage = { inputTokens: 48, outputTokens, inputIncludesCache: true };
  const { replay, job } = makeReplay(original, {
    edits: {
      [first.id]: { output: { text: 'first answer' }, warnings: ['parameter seed dropped: not supported'], usage },
      [second.id]: { output: { text: 'second answer' }, warnings: ['parameter seed dropped: not supported'], usage },
    },
  });
  return buildComparison({
    original,
    replay,
    job,
    evaluation: {
      evaluatedAt: '2025-01-01T00:00:00.000Z',
      original: [
        score('similarity', original.id, 1, first.id),
        score('similarity', original.id, 1, second.id),
        score('contains', original.id, 1),
      ],
      replay: [
        score('similarity', replay.id, 0.9, replayIdOf(first.id)),
        score('similarity', replay.id, 0.4, replayIdOf(second.id)),
        score('contains', replay.id, 0),
      ],
    },
  });
}

describe('step labels for LLM spans named alike', () => {
  const c = twoAlikeCalls();
  const model = c.spans.find((r) => r.llm)!.original!.model!;

  it('numbers LLM spans 1..n in start order on each side; other spans have no step', () => {
    const llm = c.spans.filter((r) => r.llm);
    assert.deepEqual(
      llm.map((r) => [r.original?.step, r.replay?.step]),
      [
        [1, 1],
        [2, 2],
      ],
    );
    assert.ok(c.spans.filter((r) => !r.llm).every((r) => r.original?.step === undefined));
    assert.deepEqual(
      toComparisonJson(c)
        .spans.filter((s) => s.llm)
        .map((s) => s.original!.step),
      [1, 2],
    );
  });

  it('counts the replay side in its own trace: an extra LLM call first shifts the replay steps only', () => {
    const original = loadFixture('traceloop-openai-agent');
    const [first] = llmSpans(original);
    const base = makeReplay(original);
    const extra: Span = {
      ...structuredClone(base.replay.spans.find((s) => s.id === replayIdOf(first.id))!),
      id: 'extra-call',
      startTime: base.replay.startTime,
    };
    delete extra.replay;
    const { replay, job } = makeReplay(original, { extra: [extra] });
    const d = buildComparison({ original, replay, job });
    const extraRow = d.spans.find((r) => r.status === 'extra')!;
    assert.equal(extraRow.replay!.step, 1);
    assert.deepEqual(
      d.spans.filter((r) => r.original?.step !== undefined).map((r) => [r.original!.step, r.replay?.step]),
      [
        [1, 2],
        [2, 3],
      ],
    );
  });

  it('text: the span tree, the per-span changes and the score sections name #1 and #2', () => {
    const text = renderComparisonText(c);
    assert.match(text, new RegExp(`replayed +  #1 ${model} +llm`));
    assert.match(text, new RegExp(`replayed +  #2 ${model} +llm`));
    assert.match(text, new RegExp(`^#1 ${model} \\(chat gpt-4o-mini, `, 'm'));
    assert.match(text, new RegExp(`^#2 ${model} \\(chat gpt-4o-mini, `, 'm'));
  });

  it('markdown: one heading per call, told apart by step', () => {
    const md = renderComparisonMarkdown(c);
    assert.match(md, new RegExp(`^#### #1 ${model} \\(chat gpt-4o-mini, \``, 'm'));
    assert.match(md, new RegExp(`^#### #2 ${model} \\(chat gpt-4o-mini, \``, 'm'));
    assert.match(md, new RegExp(`\\| replayed \\| [\\s\\u00a0]*#1 ${model} \\|`));
  });

  it('JUnit: one testcase per evaluator, names unique and stable across runs', () => {
    const xml = renderJunit(aggregateBatch([c, twoAlikeCalls()]));
    const names = [...xml.matchAll(/<testcase [^>]*name="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(names, ['contains', 'similarity']);
    assert.equal(renderJunit(aggregateBatch([twoAlikeCalls(), c])), xml);
  });
});

describe('merged warnings', () => {
  it('the same warning on two calls is one warning naming both, with a count', () => {
    const c = twoAlikeCalls();
    const model = c.spans.find((r) => r.llm)!.original!.model!;
    const seed = c.warnings.filter((w) => w.message.includes('seed dropped'));
    assert.equal(seed.length, 1);
    assert.equal(seed[0].count, 2);
    assert.equal(seed[0].message, `#1 ${model}, #2 ${model}: parameter seed dropped: not supported`);
    assert.match(renderComparisonText(c), /\[span\] #1 .*, #2 .*: parameter seed dropped: not supported \(×2\)/);
    assert.match(renderComparisonMarkdown(c), /- \[span\] #1 .*, #2 .*: parameter seed dropped: not supported \(×2\)/);
  });
});

describe('token counts are a change, not a win', () => {
  const more = twoAlikeCalls(400);

  it('more or fewer tokens is "changed", cost and time keep better / worse', () => {
    assert.equal(more.metrics.outputTokens.direction, 'changed');
    assert.equal(more.metrics.totalTokens.direction, 'changed');
    assert.equal(twoAlikeCalls(1).metrics.outputTokens.direction, 'changed');
    assert.match(renderComparisonText(more), /Output tokens .* changed\n/);
  });

  it('the batch counts token pairs as changed, never wins or losses, and the gate never fires on them', () => {
    const agg = aggregateBatch([more, twoAlikeCalls(1), twoAlikeCalls(400)]);
    const out = agg.metrics.outputTokens;
    assert.deepEqual([out.wins, out.losses, out.changed, out.direction], [0, 0, 3, 'changed']);
    assert.deepEqual(
      regressions(agg, 0)
        .map((r) => r.evaluatorId)
        .sort(),
      ['contains', 'similarity'],
    );
    const text = renderBatchText(agg, { threshold: 0 });
    assert.match(text, /Output tokens .* 3 changed, 0 same +3 +changed/);
    for (const line of text.split('\n').filter((l) => /tokens/.test(l))) assert.doesNotMatch(line, /REGRESSION/);
    assert.equal(toBatchJson(agg, 0).metrics.outputTokens.changed, 3);
    assert.match(renderBatchMarkdown(agg), /\| Output tokens \|.*\| 3 changed, 0 same \|/);
  });
});

describe('reference-based scores: one value, replay vs original', () => {
  const c = twoAlikeCalls();

  it('similarity is marked reference-based, contains is not', () => {
    const json = toComparisonJson(c);
    assert.equal(json.scores.find((s) => s.evaluator === 'contains')!.referenceBased, undefined);
    assert.deepEqual(
      json.spans.flatMap((s) => s.scores).map((s) => [s.evaluator, s.referenceBased]),
      [
        ['similarity', true],
        ['similarity', true],
      ],
    );
  });

  it('text and markdown show no Original 1.000 for similarity, both sides for contains', () => {
    const text = renderComparisonText(c);
    assert.match(text, /Evaluator +Replay vs original +Note\n +similarity +0\.900/);
    assert.match(text, /Evaluator +Replay vs original +Note\n +similarity +0\.400/);
    assert.doesNotMatch(text, /similarity +1\.000/);
    assert.match(text, /contains +1\.000 +0\.000 +▼ -1\.000/);
    const md = renderComparisonMarkdown(c);
    assert.match(
      md,
      /\| Evaluator \| Replay vs original \| Note \|\n\| --- \| ---: \| --- \|\n\| similarity \| 0\.900 \|/,
    );
    assert.doesNotMatch(md, /\| similarity \| 1\.000/);
  });

  it('the batch says what the number is: the mean replay-vs-original score and its CI', () => {
    const agg = aggregateBatch([c, c]);
    const sim = agg.evaluators.find((e) => e.name === 'similarity')!;
    assert.equal(sim.referenceBased, true);
    assert.ok(Math.abs(sim.meanReplay! - 0.65) < 1e-9);
    assert.deepEqual(
      [sim.replayCi!.low, sim.replayCi!.high].map((v) => v.toFixed(3)),
      ['0.650', '0.650'],
    );
    const text = renderBatchText(agg);
    assert.match(text, /scored against the original \(1\.000 = the same as the original/);
    assert.match(text, /similarity +0\.650 +\[0\.650, 0\.650\] +2\/0 +2/);
    assert.doesNotMatch(text, /similarity +1\.000/);
    assert.match(renderBatchMarkdown(agg), /\| similarity \| 0\.650 \| \[0\.650, 0\.650\] \| 2 \/ 0 \| 2 \|/);
    assert.match(renderJunit(agg), /mean replay vs original 0\.650/);
  });
});

describe('unknown cells say why', () => {
  it('a score missing on one side names the reason in the Note column', () => {
    const original = loadFixture('traceloop-openai-agent');
    const { replay, job } = makeReplay(original);
    const c = buildComparison({
      original,
      replay,
      job,
      evaluation: { evaluatedAt: 'x', original: [score('contains', original.id, 1)], replay: [] },
    });
    assert.match(renderComparisonText(c), /contains +1\.000 +— +\? — +replay: not scored/);
    assert.match(renderComparisonMarkdown(c), /\| contains \| 1\.000 \| — \| \? — \| {2}\| replay: not scored \|/);
  });
});

describe('quality first', () => {
  it('text and markdown lead with the trace and its overrides, then metrics and scores, the span tree after', () => {
    const c = twoAlikeCalls();
    const text = renderComparisonText(c);
    assert.match(
      text,
      /^"agent" replayed \(COMPLETED\)\noverrides: model=openai:gpt-4\.1-mini\nreplay job-1; original trace /,
    );
    assert.ok(text.indexOf('\nScores\n') < text.indexOf('\nSpans ('), 'scores come before the span tree');
    const md = renderComparisonMarkdown(c);
    assert.match(md, /^## agent replayed \(COMPLETED\)\n\n- Overrides: model=openai:gpt-4\.1-mini\n- Replay `job-1`/);
    assert.ok(md.indexOf('### Scores') < md.indexOf('### Spans'));
  });
});
