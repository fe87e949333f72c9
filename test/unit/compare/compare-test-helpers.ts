// Comparison inputs from real traces: a captured OTLP fixture (real instrumentation) decoded and
// normalized, and a replayed copy of it edited per span, with the ReplayJob that would go with it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Score } from '../../../src/core/eval/evaluation-types';
import type { LlmOutput, Message, ModelParameters, Span, Trace, Usage } from '../../../src/core/model/trace';
import { assembleTrace } from '../../../src/core/normalize/assemble-trace';
import { normalizeSpan } from '../../../src/core/normalize/normalize-span';
import { decodeOtlpJson } from '../../../src/core/otlp/decode-otlp-json';
import type { ReplayJob, ReplaySpanResult, ReplaySpanStatus } from '../../../src/core/replay/replay-types';

const FIXTURES = path.resolve(__dirname, '../../fixtures/otlp');

export function loadFixture(name: string): Trace {
  const bodies = JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as unknown[];
  return assembleTrace(bodies.flatMap((b) => decodeOtlpJson(b).spans).map(normalizeSpan));
}

export interface SpanEdit {
  status?: ReplaySpanStatus;
  output?: Partial<LlmOutput>;
  usage?: Usage;
  provider?: string;
  model?: string;
  parameters?: ModelParameters;
  messages?: Message[];
  durationMs?: number;
  costUsd?: number | null;
  originalCostUsd?: number | null;
  warnings?: string[];
  error?: string;
  cached?: boolean;
  divergence?: string;
}

export interface ReplayOptions {
  jobId?: string;
  /** Edits per original span id. */
  edits?: Record<string, SpanEdit>;
  /** Original span ids left out of the replayed trace. */
  drop?: string[];
  /** Spans only the replay has (their ids and parents are in the replay's id space). */
  extra?: Span[];
  /** false: no span.replay links (alignment falls back to position). */
  link?: boolean;
  providerMs?: number;
  queueWaitMs?: number;
  /** Default cost of each original and replayed call when the edit does not say. */
  defaultCostUsd?: number;
}

export const replayIdOf = (id: string): string => `r${id.slice(1)}`;

/** A replay of `original`: every span copied with new ids; LLM spans replayed with the edits. */
export function makeReplay(original: Trace, options: ReplayOptions = {}): { replay: Trace; job: ReplayJob } {
  const jobId = options.jobId ?? 'job-1';
  const shift = 60_000;
  const replayTraceId = `f${original.id.slice(1)}`;
  const results: ReplaySpanResult[] = [];
  const spans: Span[] = [];
  const defaultCost = options.defaultCostUsd ?? 0.0001;
  for (const s of original.spans) {
    const edit = options.edits?.[s.id] ?? {};
    const status: ReplaySpanStatus = edit.status ?? (s.kind === 'llm' && s.llm ? 'replayed' : 'reused');
    const copy: Span = structuredClone(s);
    copy.id = replayIdOf(s.id);
    copy.traceId = replayTraceId;
    if (s.parentId) copy.parentId = replayIdOf(s.parentId);
    copy.startTime = s.startTime + shift;
    copy.endTime = s.endTime + shift;
    const result: ReplaySpanResult = {
      originalSpanId: s.id,
      replaySpanId: copy.id,
      kind: s.kind,
      status,
      warnings: edit.warnings ?? [],
    };
    if (edit.error !== undefined) result.error = edit.error;
    if (edit.cached) result.cached = true;
    if (edit.divergence) result.divergence = { recorded: [], replayed: [], message: edit.divergence, first: true };
    if (copy.llm && status === 'replayed') {
      const output: LlmOutput = { ...copy.llm.output, ...edit.output };
      const usage = edit.usage ?? copy.llm.usage;
      const durationMs = edit.durationMs ?? s.endTime - s.startTime;
      copy.llm = {
        ...copy.llm,
        provider: edit.provider ?? copy.llm.provider,
        requestModel: edit.model ?? copy.llm.requestModel,
        responseModel: edit.model ?? copy.llm.responseModel,
        parameters: edit.parameters ?? copy.llm.parameters,
        messages: edit.messages ?? copy.llm.messages,
        output,
        usage,
      };
      copy.endTime = copy.startTime + durationMs;
      result.execution = {
        provider: copy.llm.provider ?? 'openai',
        api: copy.llm.api,
        model: copy.llm.requestModel ?? 'unknown',
        output,
        usage,
        costUsd: edit.costUsd === undefined ? defaultCost : edit.costUsd,
        originalCostUsd: edit.originalCostUsd === undefined ? defaultCost : edit.originalCostUsd,
        durationMs,
        streamed: false,
      };
      if (result.execution.costUsd === null) result.execution.costReason = 'no price data for model "mystery"';
    } else if (copy.llm && (status === 'failed' || status === 'cancelled')) {
      copy.llm = { ...copy.llm, output: { text: '', toolCalls: [] } };
      delete copy.llm.usage;
      copy.status = { code: 'error', message: edit.error ?? status };
    }
    if (options.link !== false) {
      copy.replay = { originalSpanId: s.id, status, warnings: result.warnings };
      if (result.error !== undefined) copy.replay.error = result.error;
      if (result.cached) copy.replay.cached = true;
      if (edit.divergence) copy.replay.divergence = { message: edit.divergence, first: true };
    }
    results.push(result);
    if (!options.drop?.includes(s.id)) spans.push(copy);
  }
  spans.push(...(options.extra ?? []));
  spans.sort((a, b) => a.startTime - b.startTime);
  const replay: Trace = {
    id: replayTraceId,
    name: original.name,
    startTime: Math.min(...spans.map((s) => s.startTime)),
    endTime: Math.max(...spans.map((s) => s.endTime)),
    spans,
    replayOf: { originalTraceId: original.id, replayId: jobId },
  };
  const job: ReplayJob = {
    id: jobId,
    traceId: original.id,
    replayTraceId,
    status: 'COMPLETED',
    overrides: { model: 'openai:gpt-4.1-mini' },
    createdAt: new Date(original.startTime + shift - 50).toISOString(),
    startedAt: new Date(original.startTime + shift).toISOString(),
    finishedAt: new Date(replay.endTime).toISOString(),
    queueWaitMs: options.queueWaitMs ?? 50,
    providerMs:
      options.providerMs ??
      results.reduce((sum, r) => sum + (r.execution && !r.cached ? r.execution.durationMs : 0), 0),
    spans: results,
  };
  return { replay, job };
}

export function score(
  evaluatorId: string,
  traceId: string,
  value: number | null,
  spanId?: string,
  extra: Partial<Score> = {},
): Score {
  return {
    evaluatorId,
    evaluatorType: evaluatorId.split('-')[0],
    evaluatorVersion: `${evaluatorId}@1`,
    target: spanId === undefined ? { traceId } : { traceId, spanId },
    value,
    ...extra,
  };
}

export const llmSpans = (t: Trace): Span[] => t.spans.filter((s) => s.kind === 'llm');
