// Write-back of a replayed trace to Phoenix (OTLP protobuf into the connection's project, with
// OpenInference attributes) read back through the same source to the same LLM calls; our scores
// written as annotations (updated, not duplicated, on a rerun); Phoenix's annotations read as
// platform scores. Real HTTP against the fake Phoenix, which validates every JSON body.
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Score } from '../../../src/core/eval/evaluation-types';
import type { Trace } from '../../../src/core/model/trace';
import { otlpSpanId, otlpTraceId } from '../../../src/core/otlp/encode-otlp-json';
import { startFakePhoenix, type FakePhoenixServer } from '../../support/fake-phoenix/fake-phoenix-server';
import { importFixtureLocally, JS_FIXTURES, llmCallsOf, openPhoenix, PYTHON_FIXTURES } from './phoenix-test-helpers';

/** What the replay engine produces (replay-trace-builder.ts), reduced to what write-back reads:
 *  new ids, replayOf, replayed LLM spans with a new model, usage and output and no recorded attributes. */
function replayed(original: Trace): Trace {
  const id = 'e'.repeat(32);
  const spans = original.spans.map((s) => {
    const copy = {
      ...s,
      id: otlpSpanId(`replay/${s.id}`),
      traceId: id,
      parentId: s.parentId ? otlpSpanId(`replay/${s.parentId}`) : undefined,
    };
    if (!copy.parentId) delete copy.parentId;
    if (s.llm) {
      copy.llm = {
        ...s.llm,
        requestModel: 'gpt-4.1-mini',
        responseModel: 'gpt-4.1-mini-2025-04-14',
        parameters: { ...s.llm.parameters, temperature: 0 },
        usage: { inputTokens: 100, outputTokens: 10, cacheReadTokens: 20, inputIncludesCache: true },
        output: { ...s.llm.output, text: `${s.llm.output.text} (replayed)` },
      };
      copy.attributes = { 'trace_replay.original_span_id': s.id, 'trace_replay.replay_id': 'job-1' };
      copy.events = [];
      copy.replay = { originalSpanId: s.id, status: 'replayed', warnings: [] };
    } else {
      copy.replay = { originalSpanId: s.id, status: 'reused', warnings: [] };
    }
    return copy;
  });
  return { ...original, id, spans, replayOf: { originalTraceId: original.id, replayId: 'job-1' } };
}

function score(fields: Partial<Score> & Pick<Score, 'evaluatorId' | 'target'>): Score {
  return { evaluatorType: 'similarity', evaluatorVersion: 'similarity@1', value: 0.8, ...fields };
}

describe('Phoenix write-back and scores', () => {
  let server: FakePhoenixServer;
  beforeEach(async () => {
    server = await startFakePhoenix({ projects: ['support-bot'] });
  });
  afterEach(async () => {
    assert.deepEqual(server.violations, [], "requests and answers match Phoenix's OpenAPI document");
    await server.close();
  });

  const fixtures = [
    ...readdirSync(PYTHON_FIXTURES)
      .filter((f) => f.startsWith('openinference-'))
      .map((f) => join(PYTHON_FIXTURES, f)),
    ...readdirSync(JS_FIXTURES)
      .filter((f) => f.startsWith('openinference-'))
      .map((f) => join(JS_FIXTURES, f)),
  ];
  for (const fixture of fixtures) {
    it(`writes a replay of ${fixture.split('/fixtures/')[1]} that reads back to the replay's LLM calls`, async () => {
      server.ingestOtlpFile(fixture);
      const session = await openPhoenix(server);
      const original = await session.traces.requireTrace(importFixtureLocally(fixture).id);
      const replay = replayed(original);
      const result = await session.writeBack!(replay, { tags: ['model-swap'] });
      assert.equal(result.platformTraceId, otlpTraceId(replay.id));
      assert.equal(result.spanCount, replay.spans.length);
      const project = (
        (await (await fetch(`${server.baseUrl}/v1/projects/default`)).json()) as { data: { id: string } }
      ).data;
      assert.equal(
        result.url,
        `${server.baseUrl}/projects/${encodeURIComponent(project.id)}/traces/${result.platformTraceId}`,
      );
      assert.equal(await session.traceUrl(result.platformTraceId), result.url);

      // One protobuf OTLP request (Phoenix takes no JSON there), into the connection's project.
      assert.equal(server.otlpBodies.length, 1);
      const body = server.otlpBodies[0];
      assert.equal(body.contentType, 'application/x-protobuf');
      const resources = (
        body.request as {
          resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] } }[];
        }
      ).resourceSpans;
      for (const r of resources)
        assert.equal(
          r.resource.attributes.find((a) => a.key === 'openinference.project.name')?.value.stringValue,
          'default',
        );

      const back = await session.traces.requireTrace(result.platformTraceId);
      const expected = llmCallsOf(replay);
      assert.deepEqual(llmCallsOf(back), expected);
      assert.equal(Object.keys(expected).length, Object.keys(llmCallsOf(original)).length);
      assert.deepEqual(
        back.spans.map((s) => [s.id, s.parentId ?? null, s.name, s.kind]),
        replay.spans.map((s) => [s.id, s.parentId ?? null, s.name, s.kind]),
      );
      const root = back.spans.find((s) => !s.parentId)!;
      assert.deepEqual(root.attributes['tag.tags'], ['trace-replay', 'model-swap']);
      assert.deepEqual(JSON.parse(root.attributes.metadata as string), {
        trace_replay: { original_trace_id: original.id, replay_id: 'job-1' },
      });
      const llm = back.spans.find((s) => s.kind === 'llm')!;
      assert.equal(llm.attributes['trace_replay.replay_status'], 'replayed');
      assert.equal(llm.attributes['openinference.span.kind'], 'LLM');
      assert.equal(llm.attributes['llm.model_name'], 'gpt-4.1-mini-2025-04-14');
      assert.equal(llm.attributes['llm.token_count.prompt'], 100);
    });
  }

  it("files the replay under the project's name when the connection names the project by id", async () => {
    server.ingestOtlpFile(join(PYTHON_FIXTURES, 'openinference-openai-single.json'), 'support-bot');
    const projects = (
      (await (await fetch(`${server.baseUrl}/v1/projects`)).json()) as { data: { id: string; name: string }[] }
    ).data;
    const id = projects.find((p) => p.name === 'support-bot')!.id;
    const session = await openPhoenix(server, { project: id });
    const [summary] = (await session.traces.listTraces()).traces;
    const result = await session.writeBack!(replayed(await session.traces.requireTrace(summary.id)));
    const resource = (
      server.otlpBodies[0].request as {
        resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] } }[];
      }
    ).resourceSpans[0].resource;
    assert.equal(
      resource.attributes.find((a) => a.key === 'openinference.project.name')?.value.stringValue,
      'support-bot',
    );
    assert.ok(await session.traces.getTrace(result.platformTraceId));
  });

  it('writes our scores as annotations on the written spans and trace, updating them on a rerun', async () => {
    const fixture = join(PYTHON_FIXTURES, 'openinference-openai-chain.json');
    server.ingestOtlpFile(fixture);
    const session = await openPhoenix(server);
    const replay = replayed(await session.traces.requireTrace(importFixtureLocally(fixture).id));
    const { platformTraceId } = await session.writeBack!(replay);
    const llmSpan = replay.spans.find((s) => s.kind === 'llm')!;
    const scores = [
      score({
        evaluatorId: 'similar-answer',
        target: { traceId: replay.id, spanId: llmSpan.id },
        passed: true,
        reason: 'close to the original',
      }),
      score({
        evaluatorId: 'judge',
        evaluatorType: 'llm-judge',
        evaluatorVersion: 'llm-judge@3',
        target: { traceId: replay.id },
        value: 0.4,
        passed: false,
        reason: 'too long',
      }),
      score({
        evaluatorId: 'json',
        evaluatorType: 'json',
        target: { traceId: replay.id, spanId: llmSpan.id },
        value: null,
        error: 'no JSON in the answer',
        errorCode: 'EVALUATOR_ERROR',
      }),
    ];
    assert.equal(await session.writeScores!({ platformTraceId, scores }), 3);
    const span = server.spanAnnotations.filter((a) => a.span_id === otlpSpanId(llmSpan.id));
    assert.deepEqual(
      span
        .map((a) => [
          a.name,
          a.annotator_kind,
          a.identifier,
          a.result?.score ?? null,
          a.result?.label,
          a.result?.explanation,
        ])
        .sort(),
      [
        ['json', 'CODE', 'trace-replay', null, 'error', 'no JSON in the answer'],
        ['similar-answer', 'CODE', 'trace-replay', 0.8, 'pass', 'close to the original'],
      ],
    );
    const trace = server.traceAnnotations.filter((a) => a.trace_id === platformTraceId);
    assert.deepEqual(
      trace.map((a) => [a.name, a.annotator_kind, a.result?.score, a.result?.label]),
      [['judge', 'LLM', 0.4, 'fail']],
    );

    // Scoring again updates the same annotations.
    await session.writeScores!({ platformTraceId, scores: [{ ...scores[1], value: 0.9, passed: true }] });
    const again = server.traceAnnotations.filter((a) => a.trace_id === platformTraceId);
    assert.deepEqual(
      again.map((a) => [a.name, a.result?.score, a.result?.label]),
      [['judge', 0.9, 'pass']],
    );

    // And they read back as platform scores.
    const read = await session.scoresOf!(platformTraceId);
    assert.deepEqual(read.map((s) => [s.name, s.value, s.source, s.target.spanId ?? null]).sort(), [
      ['json', 'error', 'phoenix:code', otlpSpanId(llmSpan.id)],
      ['judge', 0.9, 'phoenix:llm', null],
      ['similar-answer', 0.8, 'phoenix:code', otlpSpanId(llmSpan.id)],
    ]);
  });

  it("reads Phoenix's annotations of a trace and its spans as platform scores", async () => {
    const fixture = join(JS_FIXTURES, 'openinference-openai-single.json');
    const local = importFixtureLocally(fixture);
    const llmSpan = local.spans.find((s) => s.kind === 'llm')!;
    await server.close();
    server = await startFakePhoenix({
      traceAnnotations: [
        {
          trace_id: local.id,
          name: 'helpful',
          annotator_kind: 'HUMAN',
          result: { label: 'yes', explanation: 'clear' },
        },
      ],
      spanAnnotations: [
        { span_id: llmSpan.id, name: 'hallucination', annotator_kind: 'LLM', result: { score: 0, label: 'factual' } },
      ],
    });
    server.ingestOtlpFile(fixture);
    const session = await openPhoenix(server);
    const scores = await session.scoresOf!(local.id);
    assert.deepEqual(scores, [
      { name: 'helpful', value: 'yes', source: 'phoenix:human', target: { traceId: local.id }, comment: 'clear' },
      { name: 'hallucination', value: 0, source: 'phoenix:llm', target: { traceId: local.id, spanId: llmSpan.id } },
    ]);
    assert.deepEqual(
      await session.scoresOf!('0123456789abcdef0123456789abcdef'),
      [],
      'a trace Phoenix does not hold has no scores',
    );
  });
});
