// Produces the HTML pages the webview e2e test (webview-render.mjs) and the webview bench open in
// Chromium: a real comparison (a captured OTLP fixture imported into a temp store, replayed through
// the real provider layer against the loopback fake LLM server, scored by the default evaluators),
// its trace detail page, a batch, and a synthetic 1,000-span comparison.
// Run: npx tsx test/e2e/webview-fixtures.ts <outDir>   (prints the written paths as JSON)
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { aggregateBatch } from '../../src/core/compare/aggregate-batch';
import { buildComparison } from '../../src/core/compare/build-comparison';
import type { Comparison } from '../../src/core/compare/comparison-types';
import { toBatchJson, toComparisonJson } from '../../src/core/compare/render-json';
import { evaluateReplay } from '../../src/core/eval/evaluate-replay';
import { defaultEvaluatorConfigs } from '../../src/core/eval/evaluator-config';
import type { ProviderConfigs } from '../../src/core/llm/llm-types';
import type { Span, Trace } from '../../src/core/model/trace';
import { decodeOtlpJson } from '../../src/core/otlp/decode-otlp-json';
import { writeHtmlReport } from '../../src/core/report/html-report';
import { comparisonShowParams, traceShowParams } from '../../src/core/report/panel-data';
import { createReplayServices } from '../../src/core/replay/default-replay-services';
import { ReplayQueue } from '../../src/core/replay/replay-queue';
import type { ReplayJob, ReplayOverrides } from '../../src/core/replay/replay-types';
import { TraceStore } from '../../src/core/store/trace-store';
import { envelope, ShowTraceMessage } from '../../src/protocol';
import { startFakeLlmServer, type FakeReply } from '../support/fake-llm/fake-llm-server';
import { makeReplay } from '../unit/compare/compare-test-helpers';
import { writeSamplePages } from './webview-sample-fixtures';

const FIXTURES = path.resolve(__dirname, '../fixtures/otlp');

/** The untrusted output the XSS check looks for: it must show as text and never run. */
export const XSS_OUTPUT =
  'It is sunny in Paris, 22°C. <img src=x onerror="window.__xss=1"> <script>window.__xss=2</script>';

export interface FixturePages {
  comparison: string;
  trace: string;
  /** The replayed trace holding XSS_OUTPUT, its last LLM span selected. */
  traceXss: string;
  batch: string;
  large: string;
  /** A trace recorded with content capture off (official OTel openai instrumentation): not replayable. */
  traceNoContent: string;
  /** Repeated samples (webview-sample-fixtures.ts): a comparison with spreads, a batch with A/A samples. */
  comparisonSamples: string;
  batchSamples: string;
  /** What the pages should show, for the assertions. */
  expect: {
    spanRows: number;
    largeRows: number;
    replayId: string;
    historyJobs: string[];
    scoreRows: number;
    traceScores: number;
    referenceScores: number;
  };
}

async function importFixture(store: TraceStore, name: string): Promise<Trace> {
  const bodies = JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as unknown[];
  const { traceIds } = await store.ingest(bodies.flatMap((b) => decodeOtlpJson(b).spans));
  const trace = await store.getTrace(traceIds[0]);
  if (!trace) throw new Error(`fixture ${name} produced no trace`);
  return trace;
}

/** The captured otel-openai run with content capture off: its LLM span recorded no messages. */
async function noContentTrace(): Promise<Trace> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tr-webview-nocontent-'));
  const store = await TraceStore.open(path.join(dir, 'store'));
  try {
    return await importFixture(store, 'otel-openai-single-nocontent');
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** A replayed agent trace: a model and parameter override, real SDK calls to the fake server. */
async function realComparisons(): Promise<{
  original: Trace;
  replays: Trace[];
  jobs: ReplayJob[];
  comparisons: Comparison[];
}> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tr-webview-'));
  const server = await startFakeLlmServer();
  const store = await TraceStore.open(path.join(dir, 'store'));
  try {
    const configs: ProviderConfigs = {
      openai: {
        kind: 'openai',
        baseURL: server.openaiBaseUrl,
        apiKey: 'sk-test',
        keySource: 'OPENAI_API_KEY',
        maxRetries: 0,
      },
      anthropic: {
        kind: 'anthropic',
        baseURL: server.anthropicBaseUrl,
        apiKey: 'sk-ant-test',
        keySource: 'ANTHROPIC_API_KEY',
        maxRetries: 0,
      },
    };
    const queue = await ReplayQueue.open(createReplayServices(store, configs));
    const original = await importFixture(store, 'traceloop-openai-agent');
    const runs: [ReplayOverrides, FakeReply[]][] = [
      [
        { model: 'openai:gpt-4o' },
        [
          { toolCalls: [{ id: 'call_a', name: 'get_weather', arguments: { city: 'Paris' } }] },
          { text: 'It is sunny in Paris, 21°C.' },
        ],
      ],
      [
        { model: 'openai:gpt-4.1-mini', parameters: { temperature: 0.2 } },
        [
          { toolCalls: [{ id: 'call_b', name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } }] },
          { text: XSS_OUTPUT, usage: { output: 31 } },
        ],
      ],
    ];
    const jobs: ReplayJob[] = [];
    const comparisons: Comparison[] = [];
    const replays: Trace[] = [];
    for (const [overrides, replies] of runs) {
      server.enqueue(replies);
      const job = await queue.wait((await queue.enqueue(original.id, overrides)).id);
      if (job.status !== 'COMPLETED') throw new Error(`fixture replay ${job.status}: ${job.error}`);
      const replay = (await store.getTrace(job.replayTraceId!))!;
      const evaluation = await evaluateReplay(original, replay, defaultEvaluatorConfigs());
      jobs.push(job);
      replays.push(replay);
      comparisons.push(buildComparison({ original, replay, job, evaluation }));
    }
    await queue.close();
    return { original, replays, jobs, comparisons };
  } finally {
    await store.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/** A synthetic agent trace of `n` spans: nested chains, LLM calls with JSON and prose outputs, tools. */
export function syntheticTrace(n: number): Trace {
  const traceId = hex(0xabc, 32);
  const t0 = 1_760_000_000_000;
  const spans: Span[] = [];
  const base = (i: number, parentId: string | undefined, kind: Span['kind'], name: string): Span => ({
    id: hex(0xc000000000000 + i, 16),
    traceId,
    parentId,
    name,
    kind,
    startTime: t0 + i * 10,
    endTime: t0 + i * 10 + 8,
    startTimeUnixNano: `${(t0 + i * 10) * 1e6}`,
    endTimeUnixNano: `${(t0 + i * 10 + 8) * 1e6}`,
    status: { code: 'ok' },
    attributes: {},
    events: [],
    conventions: ['gen_ai'],
  });
  spans.push(base(0, undefined, 'agent', 'agent.run'));
  let chain = spans[0].id;
  for (let i = 1; i < n; i++) {
    if (i % 50 === 1) {
      const s = base(i, spans[0].id, 'chain', `step ${Math.ceil(i / 50)}`);
      spans.push(s);
      chain = s.id;
      continue;
    }
    if (i % 3 === 0) {
      const s = base(i, chain, 'tool', 'search.tool');
      s.toolName = 'search';
      s.io = { input: { q: `query ${i}` }, output: { hits: [i, i + 1] } };
      spans.push(s);
      continue;
    }
    const s = base(i, chain, 'llm', 'chat');
    const json = i % 2 === 0;
    s.llm = {
      provider: 'openai',
      api: 'chat.completions',
      requestModel: 'gpt-4o-mini',
      responseModel: 'gpt-4o-mini',
      messages: [
        { role: 'system', parts: [{ type: 'text', text: 'You are a helpful planning assistant.' }] },
        { role: 'user', parts: [{ type: 'text', text: `Plan step ${i} of the trip to Paris, briefly.` }] },
      ],
      parameters: { temperature: 0, maxTokens: 256 },
      output: {
        text: json
          ? JSON.stringify({ step: i, action: 'search', city: 'Paris' })
          : `Step ${i}: look up museums open on Monday and book tickets.`,
        toolCalls: [],
        finishReason: 'stop',
      },
      usage: { inputTokens: 40 + (i % 7), outputTokens: 20 + (i % 5), inputIncludesCache: true },
      costUsd: 0.00002,
    };
    spans.push(s);
  }
  return { id: traceId, name: 'synthetic agent', startTime: t0, endTime: t0 + n * 10, spans };
}

/** A 1,000-span comparison: every LLM span replayed with a changed output. */
export function largeComparison(n = 1000): Comparison {
  const original = syntheticTrace(n);
  const edits: Record<string, { output: { text: string } }> = {};
  for (const s of original.spans) {
    if (!s.llm) continue;
    const text = s.llm.output.text.startsWith('{')
      ? s.llm.output.text.replace('"search"', '"book"')
      : s.llm.output.text.replace('museums', 'galleries');
    edits[s.id] = { output: { text } };
  }
  const { replay, job } = makeReplay(original, { edits, jobId: 'job-large' });
  return buildComparison({ original, replay, job });
}

export async function writeFixturePages(outDir: string): Promise<FixturePages> {
  const { original, replays, jobs, comparisons } = await realComparisons();
  const shown = toComparisonJson(comparisons[1]);
  const history = comparisonShowParams(shown, jobs).history;
  const comparison = await writeHtmlReport(path.join(outDir, 'comparison.html'), shown, { history });
  const trace = await writeHtmlReport(
    path.join(outDir, 'trace.html'),
    envelope(ShowTraceMessage, traceShowParams(original, jobs)),
    { title: `Trace ${original.name}` },
  );
  const xssTrace = replays[1];
  const lastLlm = xssTrace.spans.filter((s) => s.kind === 'llm').pop()!;
  const traceXss = await writeHtmlReport(
    path.join(outDir, 'trace-xss.html'),
    envelope(ShowTraceMessage, { ...traceShowParams(xssTrace, []), selectSpanId: lastLlm.id }),
  );
  const batch = await writeHtmlReport(path.join(outDir, 'batch.html'), toBatchJson(aggregateBatch(comparisons), 0.05), {
    title: 'Batch: gpt-4o vs gpt-4.1-mini',
  });
  const noContent = await noContentTrace();
  const traceNoContent = await writeHtmlReport(
    path.join(outDir, 'trace-nocontent.html'),
    envelope(ShowTraceMessage, {
      ...traceShowParams(noContent, []),
      selectSpanId: noContent.spans.find((s) => s.kind === 'llm')?.id,
    }),
    { title: `Trace ${noContent.name}` },
  );
  const big = toComparisonJson(largeComparison(1000));
  const large = await writeHtmlReport(path.join(outDir, 'large.html'), big);
  const allScores = [...shown.scores, ...shown.spans.flatMap((r) => r.scores)];
  const scoreRows = allScores.length;
  const samples = await writeSamplePages(outDir, comparisons);
  return {
    comparison,
    trace,
    traceXss,
    batch,
    large,
    traceNoContent,
    ...samples,
    expect: {
      spanRows: shown.spans.length,
      largeRows: big.spans.length,
      replayId: shown.replayId,
      historyJobs: history.map((h) => h.jobId),
      scoreRows,
      traceScores: shown.scores.length,
      referenceScores: allScores.filter((s) => s.referenceBased).length,
    },
  };
}

if (require.main === module) {
  const outDir = process.argv[2];
  if (!outDir) {
    console.error('usage: tsx test/e2e/webview-fixtures.ts <outDir>');
    process.exit(2);
  }
  writeFixturePages(path.resolve(outDir)).then(
    (pages) => console.log(JSON.stringify(pages)),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
