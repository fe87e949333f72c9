// The fork point of a replay from a span (--from-span) in the comparison: the row of the chosen span
// carries forkPoint, the earlier LLM span is reused with its recorded output, and every renderer
// marks the row ("fork point"; JSON forkPoint: true). The overrides text names the fork and policy.
import assert from 'node:assert/strict';
import { buildComparison } from '../../../src/core/compare/build-comparison';
import { overridesText } from '../../../src/core/compare/format-values';
import { toComparisonJson } from '../../../src/core/compare/render-json';
import { renderComparisonMarkdown } from '../../../src/core/compare/render-markdown';
import { renderComparisonText } from '../../../src/core/compare/render-text';
import { llmSpans, loadFixture, makeReplay } from './compare-test-helpers';

describe('comparison of a replay from a span: the fork point', () => {
  const original = loadFixture('traceloop-openai-chain');
  const [first, second] = llmSpans(original);
  const { replay, job } = makeReplay(original, {
    edits: { [first.id]: { status: 'reused' }, [second.id]: { output: { text: 'La mer murmure au rivage.' } } },
  });
  job.overrides = { fromSpanId: second.id, toolPolicy: 'strict' };
  job.spans.find((s) => s.originalSpanId === second.id)!.forkPoint = true;
  const comparison = buildComparison({ original, replay, job });

  it('marks the chosen span, and only it; the span before it is reused', () => {
    const forks = comparison.spans.filter((r) => r.forkPoint);
    assert.deepEqual(
      forks.map((r) => r.original?.spanId),
      [second.id],
    );
    const before = comparison.spans.find((r) => r.original?.spanId === first.id)!;
    assert.equal(before.status, 'reused');
    assert.equal(before.llm?.output?.changed, false, 'the reused span keeps its recorded output');
  });

  it('text, markdown and JSON mark the fork row', () => {
    const text = renderComparisonText(comparison);
    const forkLine = text.split('\n').find((l) => l.includes('fork point'));
    assert.ok(forkLine, text);
    assert.match(forkLine, /#2 /, 'on the second LLM step');
    assert.equal(text.split('fork point').length, 2, 'once');
    const md = renderComparisonMarkdown(comparison);
    assert.match(md.split('\n').find((l) => l.includes('**fork point**')) ?? '', /#2 /);
    const json = toComparisonJson(comparison);
    assert.deepEqual(
      json.spans.filter((s) => s.forkPoint === true).map((s) => s.original?.spanId),
      [second.id],
    );
    assert.ok(!('forkPoint' in json.spans.find((s) => s.original?.spanId === first.id)!));
  });

  it('the overrides text names the fork span and a tool policy other than recorded', () => {
    assert.equal(overridesText(job.overrides), `from-span=${second.id}, tools=strict`);
    assert.equal(
      overridesText({ fromSpanId: 'abc', toolPolicy: 'recorded' }, { separator: ' · ', compact: true }),
      'recorded model · from span abc',
    );
  });
});
