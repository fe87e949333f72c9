import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EvaluationCancelledError } from '../../../src/core/eval/eval-errors';
import { evaluateReplay } from '../../../src/core/eval/evaluate-replay';
import type { PlatformScore, Score } from '../../../src/core/eval/evaluation-types';
import { defaultEvaluatorConfigs } from '../../../src/core/eval/evaluator-config';
import type { EvaluatorConfig } from '../../../src/core/eval/evaluator-types';
import { RequestAbortedError } from '../../../src/core/llm/llm-errors';
import type { BuiltRequest, LlmExecution, LlmGateway, ModelTarget } from '../../../src/core/llm/llm-types';
import type { LlmCall, Trace } from '../../../src/core/model/trace';
import { config } from './eval-inputs';
import { fixtureTrace, llmSpans, replayOf } from './eval-test-traces';

const brief = (s: Score): [string, string, number | null] => [s.evaluatorId, s.target.spanId ?? 'final', s.value];

/** An in-test gateway for the judge: answers a fixed score, counts calls in flight. */
class CountingGateway implements LlmGateway {
  inFlight = 0;
  maxInFlight = 0;
  calls = 0;
  build(call: LlmCall, target: ModelTarget): BuiltRequest {
    return { provider: target.provider, api: 'chat.completions', body: { call }, stream: false, warnings: [] };
  }
  async execute(): Promise<LlmExecution> {
    this.calls++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    // Yield so the other queued judge calls get the chance to start.
    await new Promise((resolve) => setImmediate(resolve));
    this.inFlight--;
    return { output: { text: '{"score": 0.7, "reason": "ok"}', toolCalls: [] }, durationMs: 1, streamed: false };
  }
}
const providerConfigs = { openai: { kind: 'openai' as const, apiKey: 'k' } };
const judge: EvaluatorConfig = {
  ...config('llm-judge', { model: 'openai:gpt-4o-mini', rubric: 'Helpful.' }, 'judge'),
  scope: 'all',
};

describe('evaluateReplay', () => {
  const agent = fixtureTrace('traceloop-openai-agent');
  const [step, answer] = llmSpans(agent);

  it('scores the original against itself as 1 with the defaults, per LLM span and the final output', async () => {
    const result = await evaluateReplay(agent, replayOf(agent), defaultEvaluatorConfigs());
    assert.deepEqual(result.original.map(brief), [
      ['similarity', step.id, 1],
      ['similarity', answer.id, 1],
      ['similarity', 'final', 1],
      // json: a plain-text app gets no json scores at all.
      ['tool-calls-match', step.id, 1],
      ['tool-calls-match', answer.id, 1],
      ['tool-calls-match', 'final', 1],
    ]);
    assert.ok(result.original.every((s) => s.target.traceId === agent.id));
    assert.ok(!Number.isNaN(Date.parse(result.evaluatedAt)));
    assert.equal(result.platform, undefined);
    assert.equal(result.skipped, undefined);
  });

  it('scores the replay against the original spans it replays, with the same evaluator versions', async () => {
    const replay = replayOf(agent, {
      outputs: {
        0: { toolCalls: [{ type: 'tool_call', name: 'get_weather', arguments: { city: 'Lyon' } }] },
        1: { text: 'It is rainy in Lyon.' },
      },
    });
    const result = await evaluateReplay(agent, replay, defaultEvaluatorConfigs());
    const [rStep, rAnswer] = llmSpans(replay);
    const values = result.replay.map(brief);
    assert.deepEqual(
      values.filter((v) => v[0] === 'tool-calls-match'),
      [
        ['tool-calls-match', rStep.id, 0.5],
        ['tool-calls-match', rAnswer.id, 1],
        // The final output is scored on the whole run's calls: get_weather with other arguments.
        ['tool-calls-match', 'final', 0.5],
      ],
    );
    const sim = values.filter((v) => v[0] === 'similarity');
    assert.equal(sim.length, 3);
    assert.ok(
      sim.every((v) => typeof v[2] === 'number' && v[2] > 0 && v[2] < 1),
      JSON.stringify(sim),
    );
    assert.ok(result.replay.every((s) => s.target.traceId === replay.id));
    const versions = (scores: Score[]) =>
      [...new Set(scores.map((s) => `${s.evaluatorId}=${s.evaluatorVersion}`))].sort();
    assert.deepEqual(versions(result.replay), versions(result.original));
  });

  it('gives failed and cancelled spans null with an error, not 0, and the final output of a failed last call too', async () => {
    const replay = replayOf(agent, { cancelled: [0], failed: [1] });
    const result = await evaluateReplay(agent, replay, [
      config('similarity'),
      config('contains', { values: ['Paris'] }),
    ]);
    const [rStep, rAnswer] = llmSpans(replay);
    for (const s of result.replay) {
      assert.equal(s.value, null, JSON.stringify(s));
      const cancelled = s.target.spanId === rStep.id;
      assert.equal(s.errorCode, cancelled ? 'SPAN_CANCELLED' : 'SPAN_FAILED');
      assert.equal(s.error, cancelled ? 'span was cancelled in the replay' : 'span failed in the replay');
    }
    assert.deepEqual(
      result.replay.map((s) => s.target.spanId ?? 'final'),
      [rStep.id, rAnswer.id, 'final', rStep.id, rAnswer.id, 'final'],
    );
    // The original side is scored normally.
    assert.ok(result.original.every((s) => typeof s.value === 'number'));
  });

  it('records a throwing evaluator on its scores only and lists skipped evaluators', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tr-eval-run-'));
    try {
      await writeFile(
        path.join(dir, 'picky.mjs'),
        'export function score({ output }) { if (output.toolCalls.length) throw new Error("no tools please"); return 1; }\n',
      );
      const configs = [
        config('javascript', { module: 'picky.mjs' }, 'picky'),
        config('tool-calls-match'),
        { ...config('similarity'), enabled: false },
      ];
      const result = await evaluateReplay(agent, replayOf(agent), configs, {
        allowJavaScript: true,
        workspaceDir: dir,
      });
      const picky = result.original.filter((s) => s.evaluatorId === 'picky');
      assert.deepEqual(
        picky.map((s) => [s.value, s.errorCode]),
        [
          [null, 'EVALUATOR_ERROR'],
          [1, undefined],
          [1, undefined],
        ],
      );
      assert.match(picky[0].error ?? '', /threw: no tools please/);
      assert.deepEqual(
        result.original.filter((s) => s.evaluatorId === 'tool-calls-match').map((s) => s.value),
        [1, 1, 1],
      );
      assert.deepEqual(result.skipped, [{ evaluatorId: 'similarity', reason: 'Disabled in the evaluators config.' }]);

      const refused = await evaluateReplay(agent, replayOf(agent), configs, { workspaceDir: dir });
      assert.deepEqual(
        refused.skipped?.map((s) => s.evaluatorId),
        ['picky', 'similarity'],
      );
      assert.ok(refused.original.every((s) => s.evaluatorId === 'tool-calls-match'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('honours scope: spans only or the final output only', async () => {
    const configs = [
      { ...config('similarity', {}, 'spans'), scope: 'spans' as const },
      { ...config('similarity', {}, 'final'), scope: 'final' as const },
    ];
    const result = await evaluateReplay(agent, replayOf(agent), configs);
    assert.deepEqual(
      result.original.map((s) => [s.evaluatorId, s.target.spanId ?? 'final']),
      [
        ['spans', step.id],
        ['spans', answer.id],
        ['final', 'final'],
      ],
    );
  });

  it("reads the final output from the root span's recorded io when a trace has no LLM span", async () => {
    const chain = fixtureTrace('traceloop-openai-chain');
    const root = structuredClone(chain.spans.find((s) => s.parentId === undefined)!);
    root.io = { output: { answer: 'La mer chante.' } };
    const original: Trace = { ...chain, spans: [root] };
    const replay = replayOf(original);
    const result = await evaluateReplay(original, replay, defaultEvaluatorConfigs());
    assert.deepEqual(result.replay.map(brief), [
      ['similarity', 'final', 1],
      ['json', 'final', 1],
      ['tool-calls-match', 'final', 1],
    ]);
  });

  it('passes platform scores through apart from the evaluators', async () => {
    const platformScores: PlatformScore[] = [
      { name: 'user-feedback', value: 1, source: 'langfuse', target: { traceId: agent.id }, comment: 'thumbs up' },
    ];
    const result = await evaluateReplay(agent, replayOf(agent), [], { platformScores });
    assert.deepEqual(result.platform, platformScores);
    assert.deepEqual([result.original, result.replay], [[], []]);
  });

  it('bounds the judge calls in flight across both traces', async () => {
    const gateway = new CountingGateway();
    const result = await evaluateReplay(agent, replayOf(agent), [judge], { gateway, providerConfigs, concurrency: 2 });
    assert.equal(gateway.calls, 6);
    assert.equal(gateway.maxInFlight, 2);
    assert.ok([...result.original, ...result.replay].every((s) => s.value === 0.7 && s.reason === 'ok'));
  });

  it('throws EvaluationCancelledError when the signal fires, before or during the run', async () => {
    const before = new AbortController();
    before.abort();
    await assert.rejects(
      evaluateReplay(agent, replayOf(agent), defaultEvaluatorConfigs(), { signal: before.signal }),
      EvaluationCancelledError,
    );

    const during = new AbortController();
    const gateway = new CountingGateway();
    gateway.execute = () => {
      gateway.calls++;
      during.abort();
      return Promise.reject(new RequestAbortedError('openai'));
    };
    await assert.rejects(
      evaluateReplay(agent, replayOf(agent), [judge], {
        gateway,
        providerConfigs,
        signal: during.signal,
        concurrency: 1,
      }),
      EvaluationCancelledError,
    );
    assert.equal(gateway.calls, 1, 'no judge call starts after the signal fired');
  });
});
