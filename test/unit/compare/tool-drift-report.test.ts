// The tool-drift report in a whole comparison (a real captured agent trace and its replay): the rows
// and counts buildComparison adds, the JSON shape of issue 17, the "Tool calls" text and Markdown
// sections, and the batch's share of traces whose tool calls drifted.
import { strict as assert } from 'node:assert';
import { aggregateBatch } from '../../../src/core/compare/aggregate-batch';
import { buildComparison } from '../../../src/core/compare/build-comparison';
import type { Comparison } from '../../../src/core/compare/comparison-types';
import { toBatchJson, toComparisonJson } from '../../../src/core/compare/render-json';
import { renderBatchMarkdown, renderComparisonMarkdown } from '../../../src/core/compare/render-markdown';
import { renderBatchText, renderComparisonText } from '../../../src/core/compare/render-text';
import type { ToolCallPart, Trace } from '../../../src/core/model/trace';
import { llmSpans, loadFixture, makeReplay, type ReplayOptions } from './compare-test-helpers';

const call = (name: string, args: unknown, id = 'c'): ToolCallPart => ({
  type: 'tool_call',
  id,
  name,
  arguments: args,
});

/** The traceloop agent: LLM #1 calls get_weather({"city":"Paris"}), the tool runs, LLM #2 answers. */
function agent(): Trace {
  return loadFixture('traceloop-openai-agent');
}

function compare(original: Trace, firstCalls: ToolCallPart[] | undefined, options: ReplayOptions = {}): Comparison {
  const [first] = llmSpans(original);
  const edits = { ...options.edits };
  if (firstCalls) edits[first.id] = { ...edits[first.id], output: { toolCalls: firstCalls } };
  const { replay, job } = makeReplay(original, { ...options, edits });
  return buildComparison({ original, replay, job });
}

describe('tool drift in the comparison', () => {
  it('a replay that asks for the same call: one matched row, counts say so, no drift section noise', () => {
    const original = agent();
    const [first] = llmSpans(original);
    const c = compare(original, undefined);
    assert.deepEqual(c.toolDrift, [
      {
        spanId: first.id,
        recorded: { name: 'get_weather', arguments: { city: 'Paris' } },
        replay: { name: 'get_weather', arguments: { city: 'Paris' } },
        status: 'matched',
        result: 'recorded',
      },
    ]);
    assert.deepEqual(c.toolDriftCounts, { matched: 1, changed: 0, missing: 0, new: 0 });
  });

  it('changed arguments and a new call: rows, JSON shape, text and Markdown lines', () => {
    const original = agent();
    const [first] = llmSpans(original);
    const c = compare(original, [call('get_weather', '{"city":"Lyon"}'), call('get_time', { zone: 'CET' }, 'c2')]);
    assert.deepEqual(c.toolDriftCounts, { matched: 0, changed: 1, missing: 0, new: 1 });

    const json = toComparisonJson(c);
    assert.deepEqual(json.toolDrift, [
      {
        spanId: first.id,
        recorded: { name: 'get_weather', arguments: { city: 'Paris' } },
        replay: { name: 'get_weather', arguments: { city: 'Lyon' } },
        status: 'changed',
        result: 'recorded',
      },
      {
        spanId: first.id,
        recorded: null,
        replay: { name: 'get_time', arguments: { zone: 'CET' } },
        status: 'new',
        result: 'none',
      },
    ]);
    for (const row of json.toolDrift)
      assert.deepEqual(Object.keys(row).sort(), ['recorded', 'replay', 'result', 'spanId', 'status']);
    assert.deepEqual(json.toolDriftCounts, { matched: 0, changed: 1, missing: 0, new: 1 });
    // It survives JSON (what `compare --format json` prints).
    assert.deepEqual(JSON.parse(JSON.stringify(json)).toolDrift, json.toolDrift);

    const text = renderComparisonText(c);
    const section = text.slice(text.indexOf('\nTool calls'));
    assert.match(section, /^\nTool calls \(0 matched, 1 changed, 0 missing, 1 new\)\n/);
    assert.ok(
      section.includes(
        `  #1 gpt-4o-mini-2024-07-18 (span ${first.id}) · changed · get_weather({"city":"Paris"}) → get_weather({"city":"Lyon"}) · result recorded\n      city: "Paris" → "Lyon"\n`,
      ),
      section,
    );
    assert.ok(
      section.includes(
        `  #1 gpt-4o-mini-2024-07-18 (span ${first.id}) · new · — → get_time({"zone":"CET"}) · result none\n`,
      ),
      section,
    );

    const md = renderComparisonMarkdown(c);
    assert.ok(md.includes('### Tool calls\n\n0 matched, 1 changed, 0 missing, 1 new.\n'), md);
    assert.ok(
      md.includes(
        `- #1 gpt-4o-mini-2024-07-18 (span ${first.id}) · **changed** · get_weather({"city":"Paris"}) → get_weather({"city":"Lyon"}) · result recorded\n  - city: "Paris" → "Lyon"\n`,
      ),
      md,
    );
  });

  it('no tool call on either side: no Tool calls section', () => {
    const original = loadFixture('traceloop-openai-single');
    const c = compare(original, undefined);
    assert.deepEqual(c.toolDrift, []);
    assert.ok(!renderComparisonText(c).includes('Tool calls'));
    assert.ok(!renderComparisonMarkdown(c).includes('Tool calls'));
    assert.deepEqual(toComparisonJson(c).toolDrift, []);
  });

  it('a failed span says nothing about its tool calls', () => {
    const original = agent();
    const [first] = llmSpans(original);
    const c = compare(original, undefined, { edits: { [first.id]: { status: 'failed', error: 'HTTP 500' } } });
    assert.deepEqual(c.toolDrift, []);
  });

  it('a span dropped from a completed replay has its recorded calls missing; from a failed job, nothing', () => {
    const original = agent();
    const [first] = llmSpans(original);
    const { replay, job } = makeReplay(original, { drop: [first.id] });
    const done = buildComparison({ original, replay, job });
    assert.deepEqual(
      done.toolDrift.map((r) => [r.spanId, r.status, r.result]),
      [[first.id, 'missing', 'recorded']],
    );
    const stopped = buildComparison({ original, replay, job: { ...job, status: 'FAILED', error: 'stopped' } });
    assert.deepEqual(stopped.toolDrift, []);
  });

  it("the job's per-call result sources (live tools) are reported as they are", () => {
    const original = agent();
    const [first] = llmSpans(original);
    const { replay, job } = makeReplay(original, {});
    job.spans.find((s) => s.originalSpanId === first.id)!.toolResults = ['live'];
    const c = buildComparison({ original, replay, job });
    assert.deepEqual(
      c.toolDrift.map((r) => [r.status, r.result]),
      [['matched', 'live']],
    );
  });
});

describe('tool drift in a batch', () => {
  it('the share of traces whose tool calls drifted, among those with tool calls, in JSON, text and Markdown', () => {
    const same = compare(agent(), undefined);
    const changed = compare(agent(), [call('get_weather', { city: 'Lyon' })]);
    const none = compare(loadFixture('traceloop-openai-single'), undefined);
    const agg = aggregateBatch([same, changed, none], { resamples: 50 });
    assert.deepEqual(agg.toolDrift, {
      drifted: 1,
      withToolCalls: 2,
      share: 0.5,
      counts: { matched: 1, changed: 1, missing: 0, new: 0 },
    });
    assert.deepEqual(toBatchJson(agg).toolDrift, agg.toolDrift);
    assert.ok(
      renderBatchText(agg).includes(
        '\nTool calls\n  tool calls drifted in 1 of 2 traces with tool calls (50%); calls: 1 matched, 1 changed, 0 missing, 0 new\n',
      ),
    );
    assert.ok(
      renderBatchMarkdown(agg).includes(
        '### Tool calls\n\nTool calls drifted in 1 of 2 traces with tool calls (50%); calls: 1 matched, 1 changed, 0 missing, 0 new.\n',
      ),
    );
  });

  it('a batch without tool calls: share null, no Tool calls line', () => {
    const agg = aggregateBatch([compare(loadFixture('traceloop-openai-single'), undefined)], { resamples: 50 });
    assert.deepEqual(agg.toolDrift, {
      drifted: 0,
      withToolCalls: 0,
      share: null,
      counts: { matched: 0, changed: 0, missing: 0, new: 0 },
    });
    assert.ok(!renderBatchText(agg).includes('Tool calls'));
    assert.ok(!renderBatchMarkdown(agg).includes('Tool calls'));
  });
});
