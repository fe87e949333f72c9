// buildComparison over real instrumented traces (captured OTLP fixtures) and edited replays of them.
import { strict as assert } from 'node:assert';
import { buildComparison } from '../../../src/core/compare/build-comparison';
import type { Span } from '../../../src/core/model/trace';
import { llmSpans, loadFixture, makeReplay, replayIdOf, score } from './compare-test-helpers';

describe('buildComparison: metrics', () => {
  const original = loadFixture('traceloop-openai-agent');
  const [first, second] = llmSpans(original);

  it('sums tokens, LLM time and cost over LLM spans with deltas and directions', () => {
    const { replay, job } = makeReplay(original, {
      edits: {
        [first.id]: {
          durationMs: 10,
          usage: { inputTokens: 21, outputTokens: 9, inputIncludesCache: true },
          costUsd: 0.0002,
          originalCostUsd: 0.0001,
        },
        [second.id]: {
          durationMs: 20,
          usage: { inputTokens: 48, outputTokens: 30, inputIncludesCache: true },
          costUsd: 0.0004,
          originalCostUsd: 0.0002,
        },
      },
    });
    const c = buildComparison({ original, replay, job });
    assert.deepEqual(
      [c.metrics.inputTokens.original, c.metrics.inputTokens.replay, c.metrics.inputTokens.direction],
      [69, 69, 'same'],
    );
    assert.deepEqual(
      [c.metrics.outputTokens.original, c.metrics.outputTokens.replay, c.metrics.outputTokens.delta],
      [21, 39, 18],
    );
    // More output tokens are a change, not a loss: tokens never get better / worse.
    assert.equal(c.metrics.outputTokens.direction, 'changed');
    assert.equal(c.metrics.totalTokens.replay, 108);
    assert.ok(Math.abs(c.metrics.costUsd.original! - 0.0003) < 1e-12);
    assert.ok(Math.abs(c.metrics.costUsd.replay! - 0.0006) < 1e-12);
    assert.ok(Math.abs(c.metrics.costUsd.relativeDelta! - 1) < 1e-9);
    assert.equal(c.metrics.costUsd.direction, 'worse');
    const llmOriginal = first.endTime - first.startTime + (second.endTime - second.startTime);
    assert.equal(c.metrics.llmDurationMs.original, llmOriginal);
    assert.equal(c.metrics.llmDurationMs.replay, 30);
    assert.equal(c.metrics.llmDurationMs.direction, 'better');
    assert.equal(c.metrics.durationMs.original, original.endTime - original.startTime);
    assert.equal(c.metrics.durationMs.replay, replay.endTime - replay.startTime);
    assert.equal(c.timing.providerMs, 30);
    assert.equal(c.timing.queueWaitMs, 50);
    assert.equal(c.timing.sentCalls, 2);
  });

  it('counts cache tokens on top of the input when usage does not include them', () => {
    const { replay, job } = makeReplay(original, {
      edits: {
        [first.id]: {
          usage: {
            inputTokens: 10,
            cacheReadTokens: 4,
            cacheWriteTokens: 3,
            outputTokens: 5,
            inputIncludesCache: false,
          },
        },
      },
    });
    const c = buildComparison({ original, replay, job });
    const row = c.spans.find((r) => r.original?.spanId === first.id)!;
    assert.equal(row.llm!.metrics.inputTokens.replay, 17);
    assert.equal(row.llm!.metrics.totalTokens.replay, 22);
    assert.equal(c.metrics.inputTokens.replay, 17 + 48);
  });

  it('reports an unknown cost as null with the reason, never as 0', () => {
    const { replay, job } = makeReplay(original, { edits: { [second.id]: { costUsd: null } } });
    const c = buildComparison({ original, replay, job });
    assert.equal(c.metrics.costUsd.replay, null);
    assert.equal(c.metrics.costUsd.delta, null);
    assert.equal(c.metrics.costUsd.direction, 'unknown');
    assert.match(c.metrics.costUsd.replayReason!, /no price data/);
    assert.equal(c.metrics.costUsd.original, 0.0002);
  });

  it('prices the recorded call when the job has no cost for it (the failed span), and says why the replay side is unknown', () => {
    const { replay, job } = makeReplay(original, { edits: { [second.id]: { status: 'failed', error: 'HTTP 500' } } });
    const c = buildComparison({ original, replay, job });
    const row = c.spans.find((r) => r.original?.spanId === second.id)!;
    // gpt-4o-mini-2024-07-18 has price data: the recorded call is priced locally.
    assert.ok(row.llm!.metrics.costUsd.original! > 0);
    assert.equal(row.llm!.metrics.costUsd.replay, null);
    assert.match(row.llm!.metrics.outputTokens.replayReason!, /failed \(HTTP 500\)/);
    assert.equal(c.metrics.outputTokens.replay, null);
    assert.equal(c.metrics.outputTokens.direction, 'unknown');
  });

  it('an original stream without usage leaves tokens unknown on that side', () => {
    const stream = loadFixture('traceloop-openai-stream');
    const [call] = llmSpans(stream);
    stream.spans.find((s) => s.id === call.id)!.llm!.usage = undefined;
    const { replay, job } = makeReplay(stream, {
      edits: { [call.id]: { usage: { inputTokens: 21, outputTokens: 9, inputIncludesCache: true } } },
    });
    const c = buildComparison({ original: stream, replay, job });
    assert.equal(c.metrics.outputTokens.original, null);
    assert.match(c.metrics.outputTokens.originalReason!, /no token usage/);
    assert.equal(c.metrics.outputTokens.replay, 9);
    assert.equal(c.metrics.outputTokens.direction, 'unknown');
  });
});

describe('buildComparison: span alignment', () => {
  const original = loadFixture('traceloop-openai-agent');
  const [first, second] = llmSpans(original);
  const tool = original.spans.find((s) => s.kind === 'tool')!;
  const root = original.spans.find((s) => s.parentId === undefined)!;

  it('same shape: one row per span, depth from the tree, replayed vs reused', () => {
    const { replay, job } = makeReplay(original);
    const c = buildComparison({ original, replay, job });
    assert.deepEqual(
      c.spans.map((r) => [r.original?.spanId, r.replay?.spanId, r.status, r.depth]),
      original.spans.map((s) => [s.id, replayIdOf(s.id), s.kind === 'llm' ? 'replayed' : 'reused', s.parentId ? 1 : 0]),
    );
    assert.deepEqual(c.counts, { replayed: 2, reused: 2, failed: 0, cancelled: 0, missing: 0, extra: 0 });
  });

  it('different shapes: failed, missing and extra spans each get a row under the right parent', () => {
    const extra: Span = {
      ...structuredClone(tool),
      id: 'e000000000000001',
      parentId: replayIdOf(root.id),
      name: 'retry.tool',
      startTime: second.startTime + 60_000 + 1,
      endTime: second.startTime + 60_000 + 2,
    };
    const { replay, job } = makeReplay(original, {
      edits: { [first.id]: { status: 'failed', error: 'rate limited' } },
      drop: [tool.id],
      extra: [extra],
    });
    const c = buildComparison({ original, replay, job });
    const byStatus = (status: string): typeof c.spans => c.spans.filter((r) => r.status === status);
    assert.equal(byStatus('failed')[0].original!.spanId, first.id);
    assert.equal(byStatus('failed')[0].error, 'rate limited');
    assert.equal(byStatus('failed')[0].llm!.output, undefined, 'no output diff for a call that produced nothing');
    assert.equal(byStatus('missing')[0].original!.spanId, tool.id);
    assert.equal(byStatus('missing')[0].replay, undefined);
    assert.equal(byStatus('extra')[0].replay!.spanId, extra.id);
    assert.equal(byStatus('extra')[0].original, undefined);
    assert.equal(byStatus('extra')[0].depth, 1);
    // Rows stay in tree order: the extra span (started after the second call) comes last.
    assert.equal(c.spans.at(-1)!.status, 'extra');
    assert.deepEqual(c.counts, { replayed: 1, reused: 1, failed: 1, cancelled: 0, missing: 1, extra: 1 });
    const messages = c.warnings.map((w) => w.message).join('\n');
    assert.match(messages, /failed: rate limited/);
    assert.match(messages, /1 span of the original has no counterpart/);
    assert.match(messages, /1 span of the replay has no counterpart/);
  });

  it('without replay links, pairs by position and kind/name, keeping an inserted span apart', () => {
    const extra: Span = {
      ...structuredClone(tool),
      id: 'e000000000000002',
      parentId: replayIdOf(root.id),
      name: 'cache.lookup',
      startTime: first.startTime + 60_000 - 0.5,
    };
    extra.endTime = extra.startTime + 0.1;
    const { replay, job } = makeReplay(original, { link: false, extra: [extra] });
    const c = buildComparison({ original, replay, job });
    const paired = c.spans.filter((r) => r.original && r.replay);
    assert.equal(paired.length, 4);
    for (const r of paired) assert.equal(r.replay!.spanId, replayIdOf(r.original!.spanId));
    // Statuses come from the job when the spans carry no replay info.
    assert.deepEqual(
      paired.map((r) => r.status),
      ['reused', 'replayed', 'reused', 'replayed'],
    );
    assert.equal(c.spans.find((r) => r.status === 'extra')!.replay!.name, 'cache.lookup');
  });

  it('collects span warnings, divergences and the job error', () => {
    const { replay, job } = makeReplay(original, {
      edits: {
        [first.id]: { warnings: ['parameter seed dropped: not supported by anthropic'], cached: true },
        [second.id]: { divergence: 'the model called get_time instead of get_weather' },
      },
    });
    job.error = 'one call failed';
    const c = buildComparison({ original, replay, job });
    const row = c.spans.find((r) => r.original?.spanId === first.id)!;
    assert.deepEqual(row.warnings, ['parameter seed dropped: not supported by anthropic']);
    assert.equal(row.cached, true);
    assert.deepEqual(
      c.warnings.map((w) => w.source),
      ['span', 'divergence', 'job'],
    );
    assert.equal(c.warnings[0].originalSpanId, first.id);
    assert.equal(c.warnings[1].replaySpanId, replayIdOf(second.id));
  });
});

describe('buildComparison: LLM span diffs', () => {
  const original = loadFixture('openinference-openai-single');
  const [call] = llmSpans(original);

  it('shows what the overrides changed in the request and the word diff of the answer', () => {
    const messages = structuredClone(call.llm!.messages);
    const system = messages[0].parts[0];
    if (system.type === 'text') system.text = `${system.text} Answer in French.`;
    const { replay, job } = makeReplay(original, {
      edits: {
        [call.id]: {
          provider: 'anthropic',
          model: 'claude-haiku-4-5',
          parameters: { temperature: 0, maxTokens: 64 },
          messages,
          output: { text: 'Rouge, jaune et bleu.' },
        },
      },
    });
    const c = buildComparison({ original, replay, job });
    const llm = c.spans.find((r) => r.original?.spanId === call.id)!.llm!;
    assert.deepEqual(llm.input.model, {
      original: 'openai:gpt-4o-mini',
      replay: 'anthropic:claude-haiku-4-5',
      changed: true,
    });
    assert.deepEqual(llm.input.parameters, [{ name: 'temperature', original: 0.3, replay: 0 }]);
    assert.equal(llm.input.messages.changed, true);
    const changes = llm.input.messages.chunks.filter((ch) => ch.op !== 'equal');
    assert.deepEqual(
      changes.map((ch) => [ch.op, ch.text.trim()]),
      [['insert', 'Answer in French.']],
    );
    assert.equal(llm.output!.changed, true);
    assert.equal(llm.output!.text.format, 'words');
    const joined = (op: string): string =>
      llm
        .output!.text.chunks.filter((ch) => ch.op === op)
        .map((ch) => ch.text)
        .join('|');
    assert.match(joined('delete'), /Red/);
    assert.match(joined('insert'), /Rouge/);
    assert.equal(
      llm
        .output!.text.chunks.filter((ch) => ch.op !== 'insert')
        .map((ch) => ch.text)
        .join(''),
      'Red, yellow and blue.',
    );
    assert.equal(
      llm
        .output!.text.chunks.filter((ch) => ch.op !== 'delete')
        .map((ch) => ch.text)
        .join(''),
      'Rouge, jaune et bleu.',
    );
  });

  it('diffs tool-call arguments as JSON', () => {
    const agent = loadFixture('traceloop-openai-agent');
    const [first] = llmSpans(agent);
    const { replay, job } = makeReplay(agent, {
      edits: {
        [first.id]: {
          output: { toolCalls: [{ type: 'tool_call', id: 'c1', name: 'get_weather', arguments: { city: 'Lyon' } }] },
        },
      },
    });
    const c = buildComparison({ original: agent, replay, job });
    const [tc] = c.spans.find((r) => r.original?.spanId === first.id)!.llm!.output!.toolCalls;
    assert.equal(tc.nameChanged, false);
    assert.equal(tc.arguments.format, 'json');
    assert.deepEqual(
      tc.arguments.chunks.filter((ch) => ch.op !== 'equal'),
      [
        { op: 'delete', text: '  "city": "Paris"\n' },
        { op: 'insert', text: '  "city": "Lyon"\n' },
      ],
    );
  });
});

describe('buildComparison: scores', () => {
  const original = loadFixture('traceloop-openai-agent');
  const [first, second] = llmSpans(original);

  it('pairs trace and span scores per evaluator, nests span scores under their row', () => {
    const { replay, job } = makeReplay(original);
    const c = buildComparison({
      original,
      replay,
      job,
      evaluation: {
        evaluatedAt: '2025-01-01T00:00:00.000Z',
        original: [
          score('similarity', original.id, 1),
          score('contains', original.id, 1),
          score('json', original.id, 0.5, second.id),
          score('judge', original.id, 0.8),
        ],
        replay: [
          score('similarity', replay.id, 0.75),
          score('contains', replay.id, null, undefined, { error: 'regex is invalid' }),
          score('json', replay.id, 1, replayIdOf(second.id)),
          score('judge', replay.id, 0.9, undefined, { evaluatorVersion: 'judge@2' }),
        ],
        platform: [{ name: 'user-feedback', value: 1, source: 'langfuse', target: { traceId: original.id } }],
        skipped: [{ evaluatorId: 'llm-judge', reason: 'opt-in' }],
      },
    });
    assert.deepEqual(
      c.scores.map((s) => [s.evaluatorId, s.original?.value, s.replay?.value, s.delta.delta, s.delta.direction]),
      [
        ['contains', 1, null, null, 'unknown'],
        ['judge', 0.8, 0.9, c.scores[1].delta.delta, 'unknown'],
        ['similarity', 1, 0.75, -0.25, 'worse'],
      ],
    );
    assert.equal(c.scores[1].versionMismatch, true);
    assert.equal(c.scores[0].replay!.error, 'regex is invalid');
    assert.equal(c.scores[0].delta.replayReason, 'regex is invalid');
    const row = c.spans.find((r) => r.original?.spanId === second.id)!;
    assert.deepEqual(
      row.scores.map((s) => [s.evaluatorId, s.originalSpanId, s.delta.delta, s.delta.direction]),
      [['json', second.id, 0.5, 'better']],
    );
    assert.deepEqual(c.spans.find((r) => r.original?.spanId === first.id)!.scores, []);
    assert.equal(c.platformScores.length, 1);
    assert.deepEqual(c.skippedEvaluators, [{ evaluatorId: 'llm-judge', reason: 'opt-in' }]);
    const scoreWarnings = c.warnings.filter((w) => w.source === 'score').map((w) => w.message);
    assert.equal(scoreWarnings.length, 2);
  });
});
