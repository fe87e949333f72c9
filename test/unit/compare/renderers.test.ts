// Renderers: text (arrows, aligned columns, no colour by default), markdown tables, the stable
// JSON shape, and well-formed JUnit XML with a failure per regressing evaluator.
import { strict as assert } from 'node:assert';
import { aggregateBatch } from '../../../src/core/compare/aggregate-batch';
import { buildComparison } from '../../../src/core/compare/build-comparison';
import type { Comparison } from '../../../src/core/compare/comparison-types';
import { renderComparisonJson, toBatchJson, toComparisonJson } from '../../../src/core/compare/render-json';
import { renderJunit } from '../../../src/core/compare/render-junit';
import { escapeCell, renderBatchMarkdown, renderComparisonMarkdown } from '../../../src/core/compare/render-markdown';
import { renderBatchText, renderComparisonText } from '../../../src/core/compare/render-text';
import { llmSpans, loadFixture, makeReplay, replayIdOf, score } from './compare-test-helpers';

function sample(): Comparison {
  const original = loadFixture('traceloop-openai-agent');
  const [first, second] = llmSpans(original);
  const { replay, job } = makeReplay(original, {
    edits: {
      [first.id]: {
        output: { toolCalls: [{ type: 'tool_call', id: 'c', name: 'get_weather', arguments: { city: 'Lyon' } }] },
        durationMs: 5,
      },
      [second.id]: {
        model: 'gpt-4.1-mini',
        output: { text: 'Sunny in Paris today | 21°C \u001b[31m<b>' },
        usage: { inputTokens: 48, outputTokens: 20, inputIncludesCache: true },
        costUsd: null,
        warnings: ['seed dropped'],
        durationMs: 8,
      },
    },
  });
  return buildComparison({
    original,
    replay,
    job,
    evaluation: {
      evaluatedAt: '2025-01-01T00:00:00.000Z',
      original: [
        score('similarity', original.id, 1),
        score('contains', original.id, 1),
        score('json', original.id, 0.5, second.id),
      ],
      replay: [
        score('similarity', replay.id, 0.6),
        score('contains', replay.id, 1),
        score('json', replay.id, 1, replayIdOf(second.id)),
      ],
    },
  });
}

describe('renderComparisonText', () => {
  const c = sample();
  const text = renderComparisonText(c);

  it('shows trend arrows with better / worse marks', () => {
    const line = (label: string): string => text.split('\n').find((l) => l.startsWith(label))!;
    assert.match(line('Output tokens'), /21 +29 +▲ \+8 \(\+38\.1%\) +changed/);
    assert.match(line('LLM time'), /▼ -.* better/);
    assert.match(line('Input tokens'), /= 0 +same/);
    assert.match(line('Cost'), /\? —/);
    assert.match(text, /\[1\] Cost: replay #2 gpt-4\.1-mini: no price data/);
    assert.match(line('Cost'), /unknown \[1\]/);
    // similarity scores the replay against the original: one value, no Original column of 1.000.
    assert.match(text, /Evaluator +Replay vs original +Note\nsimilarity +0\.600\n/);
    assert.match(line('contains'), /1\.000 +1\.000 += 0\.000 +same/);
  });

  it('aligns columns: every metric row starts its values at the same column', () => {
    const rows = text
      .split('\n')
      .filter((l) => /^(Metric|Duration|LLM time|Input tokens|Output tokens|Total tokens|Cost) /.test(l));
    assert.equal(rows.length, 7);
    const deltaColumn = rows[0].indexOf('Delta');
    for (const r of rows.slice(1)) assert.match(r.slice(deltaColumn, deltaColumn + 1), /[▲▼=?]/, r);
    const replayEnd = rows[0].indexOf('Replay') + 'Replay'.length;
    for (const r of rows.slice(1)) assert.notEqual(r[replayEnd - 1], ' ', `right-aligned: ${r}`);
  });

  it('lists the span tree and the per-span changes as word and JSON diffs', () => {
    assert.match(text, /replayed + {2}#1 gpt-4o-mini\S* +llm/);
    assert.match(text, /reused + {2}get_weather\.tool +tool/);
    assert.match(text, /model: openai:gpt-4o-mini → openai:gpt-4\.1-mini/);
    assert.match(text, /\[-It is sunny-\]\{\+Sunny\+\}/);
    assert.match(text, /- +"city": "Paris"\n +\+ +"city": "Lyon"/);
    assert.match(text, /\[span\] #2 gpt-4o-mini-2024-07-18: seed dropped/);
  });

  it('has no ANSI codes unless asked, and never passes model output escapes through', () => {
    assert.equal(text.includes('\u001b'), false);
    assert.match(text, /\\u001b\[31m/);
    const coloured = renderComparisonText(c, { color: true });
    assert.ok(coloured.includes('\u001b[32m'));
    assert.equal(coloured.includes('\u001b[31m<b>'), false);
  });

  it('renders a batch with CI, W/L/T and REGRESSION marks', () => {
    const batch = renderBatchText(aggregateBatch([c, c, c]), { threshold: 0.1 });
    assert.match(batch, /similarity +0\.600 +\[0\.600, 0\.600\] +3\/0 +3 +REGRESSION/);
    assert.match(batch, /contains .* 0\/0\/3 +3 +same/);
  });
});

describe('renderComparisonMarkdown / renderBatchMarkdown', () => {
  const c = sample();
  const md = renderComparisonMarkdown(c);

  it('renders metric, span and score tables with consistent column counts', () => {
    const tables = md.split('\n\n').filter((b) => b.startsWith('| '));
    assert.ok(tables.length >= 4);
    for (const t of tables) {
      const lines = t.split('\n');
      assert.match(lines[1], /^\| (---:?|---)( \| (---:?|---))* \|$/);
      const cols = (l: string): number => l.replace(/\\\|/g, '').split('|').length;
      for (const l of lines) assert.equal(cols(l), cols(lines[0]), l);
    }
    assert.match(md, /\| Output tokens \| 21 \| 29 \| ▲ \+8 \(\+38\.1%\) \| changed \|/);
  });

  it('escapes untrusted text in cells and fences diffs', () => {
    assert.equal(escapeCell('a | <b> \n c'), 'a \\| &lt;b&gt; <br> c');
    assert.match(md, /```diff\n \{\n- +"city": "Paris"\n\+ +"city": "Lyon"\n \}\n```/);
    assert.match(md, /```text\n\[-It is sunny-\]\{\+Sunny\+\}/);
  });

  it('batch report marks regressions', () => {
    const report = renderBatchMarkdown(aggregateBatch([c, c]), { threshold: 0.1 });
    assert.match(report, /\| similarity \| 0\.600 \| \[0\.600, 0\.600\] \| 2 \/ 0 \| 2 \| \*\*regression\*\* \|/);
    assert.match(report, /Regression gate: mean score delta below −0\.1/);
  });
});

describe('JSON shape', () => {
  it('comparison: {metrics, spans, scores} with scores as {evaluator, original, replay, delta}', () => {
    const json = JSON.parse(renderComparisonJson(sample())) as ReturnType<typeof toComparisonJson>;
    assert.equal(json.schemaVersion, 1);
    assert.deepEqual(Object.keys(json.metrics), [
      'durationMs',
      'llmDurationMs',
      'inputTokens',
      'outputTokens',
      'totalTokens',
      'costUsd',
    ]);
    assert.deepEqual(json.metrics.outputTokens, {
      original: 21,
      replay: 29,
      delta: 8,
      relativeDelta: 8 / 21,
      direction: 'changed',
      lowerIsBetter: true,
      unit: 'tokens',
    });
    const sim = json.scores.find((s) => s.evaluator === 'similarity')!;
    assert.deepEqual([sim.original, sim.replay, sim.direction], [1, 0.6, 'worse']);
    assert.ok(Math.abs(sim.delta! + 0.4) < 1e-12);
    assert.equal(json.spans.length, 4);
    assert.equal(json.spans[0].original!.name, 'workflow');
    const llm = json.spans.filter((s) => s.llm);
    assert.equal(llm.length, 2);
    assert.deepEqual(
      llm[1].scores.map((s) => [s.evaluator, s.original, s.replay, s.delta]),
      [['json', 0.5, 1, 0.5]],
    );
    assert.equal(llm[1].llm!.output!.text.changed, true);
  });

  it('batch JSON lists regressions under a threshold', () => {
    const c = sample();
    const json = toBatchJson(aggregateBatch([c, c, c]), 0.1);
    assert.deepEqual(json.regressions, ['similarity']);
    assert.equal(json.evaluators.find((e) => e.name === 'contains')!.regression, false);
    assert.deepEqual(json.bootstrap, { seed: 42, resamples: 2000, level: 0.95 });
    assert.deepEqual(toBatchJson(aggregateBatch([c])).regressions, []);
  });
});

/** Minimal XML 1.0 well-formedness check: balanced tags, quoted attributes, escaped text. */
function assertWellFormed(xml: string): void {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const token =
    /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<&]*(?:&(?:amp|lt|gt|quot|apos);[^"<&]*)*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = token.exec(body))) {
    consumed = token.lastIndex;
    const [, close, name, , selfClose, text] = m;
    if (text !== undefined) {
      assert.doesNotMatch(text, /&(?!(amp|lt|gt|quot|apos);)/, 'bare & in text');
      if (!stack.length) assert.equal(text.trim(), '', 'text outside the root');
      continue;
    }
    if (close) assert.equal(stack.pop(), name, `closing </${name}>`);
    else if (!selfClose) stack.push(name);
  }
  assert.equal(consumed, body.length, `unparsable XML at: ${body.slice(consumed, consumed + 60)}`);
  assert.deepEqual(stack, [], 'unclosed tags');
}

describe('renderJunit', () => {
  const c = sample();
  c.scores[0].evaluatorId = 'contains<"&\'>';
  const agg = aggregateBatch([c, c, c]);

  it('one testcase per evaluator, a failure for each regression', () => {
    const xml = renderJunit(agg, { threshold: 0.1 });
    assertWellFormed(xml);
    assert.equal((xml.match(/<testcase /g) ?? []).length, 3);
    assert.match(xml, /<testsuites name="trace-replay" tests="3" failures="1" errors="0" skipped="0">/);
    assert.match(
      xml,
      /<testcase classname="trace-replay\.evaluators" name="similarity" time="0">\n +<failure message="similarity regressed: the replays score 0\.600 against the original on average, more than 0\.1 below the original&apos;s own 1\.000, and the CI of that difference excludes 0" type="regression">/,
    );
    assert.match(xml, /name="contains&lt;&quot;&amp;&apos;&gt;"/);
  });

  it('fails nothing without a threshold, and skips evaluators with no comparable pair', () => {
    const xml = renderJunit(agg);
    assertWellFormed(xml);
    assert.equal(xml.includes('<failure'), false);
    const d = sample();
    d.scores[0].replay = { value: null, error: 'boom\u0000' };
    const skipped = renderJunit(aggregateBatch([d]), { threshold: 0.1 });
    assertWellFormed(skipped);
    assert.match(skipped, /skipped="1"/);
    assert.match(skipped, /<skipped message=/);
  });
});
